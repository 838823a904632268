/* ui_progress: the terminal UI's saved progress — offer to resume a
 * lesson on opening it (the recorded inputs are replayed, so the run is
 * rebuilt exactly), save after every input, report a failing save in the
 * status line; the core is tutor/session/progress_session.c, shared with
 * the plain mode. */
#include <libintl.h>
#include <stdio.h>
#include <string.h>

#include "tutor/i18n.h"
#include "text.h"
#include "tutor/progress.h"
#include "tutor/session/progress_session.h"
#include "ui_internal.h"

/* The status line's note; a long one is cut at a character's start. */
static void set_note(struct ui *u, const char *note)
{
    size_t k = strlen(note);
    if (k >= sizeof u->status_note) {
        k = sizeof u->status_note - 1;
        while (k && ((unsigned char)note[k] & 0xc0) == 0x80)
            k--;
    }
    if (strncmp(note, u->status_note, k) || u->status_note[k]) {
        memcpy(u->status_note, note, k);
        u->status_note[k] = 0;
        u->dirty |= 1u << UI_STATUS;
    }
}

void ui_progress_save(struct ui *u)
{
    char note[sizeof u->status_note];
    if (progress_session_save(&u->progress, &u->flow, note, sizeof note) != 0)
        set_note(u, note);
}

/* The resume box over the screen: the question, and under it the keys,
 * or (after a key that does nothing there) the line that says so and
 * names the keys that work, wide enough for it. Replaces *w and *pan. */
static void draw_resume_box(struct ui *u, const char *line, const char *keys, bool unknown,
                            WINDOW **w, PANEL **pan)
{
    if (*pan)
        del_panel(*pan);
    if (*w)
        delwin(*w);
    int rows = getmaxy(stdscr), cols = getmaxx(stdscr);
    int wd = ui_text_width(line) + 6;
    if (ui_text_width(keys) + 6 > wd)
        wd = ui_text_width(keys) + 6;
    if (wd > cols - 2)
        wd = cols - 2;
    *w = newwin(5, wd, (rows - 5) / 2, (cols - wd) / 2);
    *pan = new_panel(*w);
    wattrset(*w, ui_attr(u, UI_R_FOCUS));
    if (u->utf8)
        box(*w, 0, 0);
    else
        wborder(*w, '|', '|', '-', '-', '+', '+', '+', '+');
    wattrset(*w, A_NORMAL);
    char cut[512];
    ui_text_truncate(line, wd - 4, u->utf8 ? "\xe2\x80\xa6" : "~", cut, sizeof cut);
    mvwaddstr(*w, 1, 2, cut);
    ui_text_truncate(keys, wd - 4, NULL, cut, sizeof cut);
    wattrset(*w, ui_attr(u, unknown ? UI_R_WARN : UI_R_TITLE));
    mvwaddstr(*w, 3, 2, cut);
    wattrset(*w, A_NORMAL);
    update_panels();
    doupdate();
}

/* The hint line under the box: the resume question's keys, or while
 * starting over is asked, that question and its y/n. */
static void draw_hint_under(struct ui *u, const char *restart_q)
{
    u->resume_box = !restart_q;
    u->confirm = restart_q ? UI_CMD_RESTART : UI_CMD_NONE;
    if (restart_q)
        snprintf(u->confirm_text, sizeof u->confirm_text, "%s", restart_q);
    u->dirty = UI_DIRTY_ALL;
    ui_draw(u);
}

/* Asks in a box over the screen; true to resume. A key that does nothing
 * there says so, naming the keys that work, and changes nothing: silence
 * looked like a frozen program. Starting over (n, Esc) asks once more,
 * naming the step the saved attempt reached, and only y then starts over:
 * n is the step key everywhere else, and a newcomer's stray n followed by
 * one more key replaced the saved progress. Any other key goes back to
 * the first question. */
static bool ask_resume(struct ui *u, const struct progress *p)
{
    if (u->lay.too_small)
        return true;
    char line[256], restart_q[256];
    progress_session_question(p, line, sizeof line);
    progress_session_restart_question(p, restart_q, sizeof restart_q);
    WINDOW *w = NULL;
    PANEL *pan = NULL;
    draw_hint_under(u, NULL);
    draw_resume_box(u, line, ui_tr(UI_MSG_RESUME_KEYS), false, &w, &pan);
    bool resume = true, unknown = false, asking_restart = false;
    timeout(-1);
    for (;;) {
        wint_t ch;
        int rc = get_wch(&ch);
        if (ui_term_interrupted() || rc == ERR)
            break;
        /* Not keys: a resize, a mouse report. */
        if (rc == KEY_CODE_YES && (ch == KEY_RESIZE || ch == KEY_MOUSE))
            continue;
        if (asking_restart) {
            if (ui_key_lookup((int)ch, rc == KEY_CODE_YES, UI_KC_CONFIRM) == UI_CMD_YES ||
                (rc != KEY_CODE_YES && ch == 'Y')) {
                resume = false;
                break;
            }
            asking_restart = unknown = false;
            draw_hint_under(u, NULL);
            draw_resume_box(u, line, ui_tr(UI_MSG_RESUME_KEYS), false, &w, &pan);
            continue;
        }
        enum ui_cmd cmd = ui_key_lookup((int)ch, rc == KEY_CODE_YES, UI_KC_RESUME);
        if (cmd == UI_CMD_RESUME)
            break;
        if (cmd == UI_CMD_RESTART) {
            asking_restart = true;
            draw_hint_under(u, restart_q);
            draw_resume_box(u, restart_q, ui_tr(UI_MSG_RESTART_KEYS), false, &w, &pan);
            continue;
        }
        if (!unknown) {
            unknown = true;
            char keys[256], notice[512];
            struct ui_keys_state ks = {.ctx = UI_KC_RESUME};
            ui_keys_hint(&ks, keys, sizeof keys, (int)sizeof keys);
            ui_trf(notice, sizeof notice, UI_MSG_KEY_UNKNOWN, keys);
            draw_resume_box(u, line, notice, true, &w, &pan);
        }
    }
    u->resume_box = false;
    u->confirm = UI_CMD_NONE;
    del_panel(pan);
    delwin(w);
    u->dirty = UI_DIRTY_ALL;
    return resume;
}

void ui_progress_open(struct ui *u)
{
    struct progress_found found;
    progress_session_open(&u->progress, &u->flow, !u->opt.no_progress, &found);
    /* Another window holds the lesson: this one's steps are not saved. The
     * status line keeps the note, but at 80 columns it is cut before "only
     * finishing it is recorded here", so on opening the hint line says it
     * whole (the plain mode's line), until the first key. */
    if (found.other) {
        set_note(u, found.other);
        snprintf(u->toast, sizeof u->toast, "%s", found.other);
        u->toast_bad = true;
    }
    if (found.notice[0])
        set_note(u, found.notice);
    if (found.resumable) {
        bool resume = ask_resume(u, &found.saved);
        progress_session_answer(&u->progress, &u->flow, &found.saved, resume);
        if (resume)
            u->view_valid = false;
    }
    progress_found_free(&found);
    u->dirty = UI_DIRTY_ALL;
}

void ui_progress_summary(const char *id, const char *lang, char *out, size_t n)
{
    out[0] = 0;
    char dir[4096];
    if (progress_dir(dir, sizeof dir) != 0)
        return;
    struct progress p;
    struct sbuf err;
    sbuf_init(&err);
    if (progress_load(dir, id, lang, &p, &err) == 0 && (p.n_inputs > 0 || p.done)) {
        char where[64], score[64];
        if (p.done) {
            snprintf(where, sizeof where, "%s", ui_tr(UI_MSG_MENU_DONE));
            ui_trf(score, sizeof score, UI_MSG_BEST, p.best_score, p.best_total);
        } else {
            size_t at = p.step < p.n_steps ? p.step + 1 : p.n_steps;
            ui_trf(where, sizeof where, UI_MSG_STEP, at, p.n_steps);
            ui_trf(score, sizeof score, UI_MSG_SCORE, p.score, p.total);
        }
        if (p.done ? p.best_total : p.total)
            snprintf(out, n, "%s \xc2\xb7 %s", where, score);
        else /* nothing tried yet: no score (tutor/score.h) */
            snprintf(out, n, "%s", where);
    }
    progress_free(&p);
    sbuf_free(&err);
}
