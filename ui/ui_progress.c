/* ui_progress: the terminal UI's saved progress — offer to resume a
 * lesson on opening it (the recorded inputs are replayed, so the run is
 * rebuilt exactly), save after every input, report a failing save in the
 * status line. */
#include <libintl.h>
#include <stdio.h>
#include <string.h>

#include "tutor/i18n.h"
#include "text.h"
#include "tutor/progress.h"
#include "ui_internal.h"

static void fill(const struct ui *u, struct progress *p)
{
    const struct lesson *l = u->r->lesson;
    memset(p, 0, sizeof *p);
    snprintf(p->id, sizeof p->id, "%s", l->id);
    snprintf(p->lang, sizeof p->lang, "%s", l->lang);
    progress_hex(l->sha256, p->sha256);
    p->step = u->r->step < l->n_steps ? u->r->step : l->n_steps;
    p->n_steps = l->n_steps;
    p->score = u->flow.score;
    p->max_score = u->flow.max_score;
    /* The record: progress_save merges it with what is stored, so neither
     * goes down. */
    p->done = u->flow.state == FLOW_END;
    p->best_score = p->done ? u->flow.score : 0;
    p->inputs = u->flow.inputs.s;
    p->n_inputs = u->flow.n_inputs;
}

static void set_note(struct ui *u, const char *note)
{
    if (strcmp(note, u->status_note)) {
        snprintf(u->status_note, sizeof u->status_note, "%s", note);
        u->dirty |= 1u << UI_STATUS;
    }
}

void ui_progress_save(struct ui *u)
{
    if (!u->progress_on || u->flow.n_inputs == u->progress_saved)
        return;
    char dir[4096];
    struct sbuf err;
    sbuf_init(&err);
    struct progress p;
    fill(u, &p);
    if (progress_dir(dir, sizeof dir) != 0)
        sbuf_add(&err, gettext("neither XDG_STATE_HOME nor HOME is set"));
    else
        progress_save(dir, &p, u->progress_owner, &err);
    if (err.len) {
        char note[sizeof u->status_note];
        ui_trf(note, sizeof note, UI_MSG_SAVE_FAILED, err.s);
        set_note(u, note);
    }
    /* A failed save is retried after the next input, not after every key. */
    u->progress_saved = u->flow.n_inputs;
    sbuf_free(&err);
}

/* Asks in a box over the screen; true to resume. */
static bool ask_resume(struct ui *u, const struct progress *p)
{
    if (u->lay.too_small)
        return true;
    /* The hint line names the box's keys while it is up. */
    u->resume_box = true;
    u->dirty = UI_DIRTY_ALL;
    ui_draw(u);
    char where[64], line[256];
    size_t at = p->step < p->n_steps ? p->step + 1 : p->n_steps;
    ui_trf(where, sizeof where, UI_MSG_STEP, at, p->n_steps);
    ui_trf(line, sizeof line, UI_MSG_RESUME, where, p->score, p->max_score);
    const char *keys = ui_tr(UI_MSG_RESUME_KEYS);
    int rows = getmaxy(stdscr), cols = getmaxx(stdscr);
    int wd = ui_text_width(line) + 6;
    if (ui_text_width(keys) + 6 > wd)
        wd = ui_text_width(keys) + 6;
    if (wd > cols - 2)
        wd = cols - 2;
    WINDOW *w = newwin(5, wd, (rows - 5) / 2, (cols - wd) / 2);
    PANEL *pan = new_panel(w);
    wattrset(w, ui_attr(u, UI_R_FOCUS));
    if (u->utf8)
        box(w, 0, 0);
    else
        wborder(w, '|', '|', '-', '-', '+', '+', '+', '+');
    wattrset(w, A_NORMAL);
    char cut[512];
    ui_text_truncate(line, wd - 4, u->utf8 ? "\xe2\x80\xa6" : "~", cut, sizeof cut);
    mvwaddstr(w, 1, 2, cut);
    ui_text_truncate(keys, wd - 4, NULL, cut, sizeof cut);
    wattrset(w, ui_attr(u, UI_R_TITLE));
    mvwaddstr(w, 3, 2, cut);
    wattrset(w, A_NORMAL);
    update_panels();
    doupdate();
    bool resume = true;
    timeout(-1);
    for (;;) {
        wint_t ch;
        int rc = get_wch(&ch);
        if (ui_term_interrupted() || rc == ERR)
            break;
        if (rc == KEY_CODE_YES && ch == KEY_RESIZE)
            continue;
        enum ui_cmd cmd = ui_key_lookup((int)ch, rc == KEY_CODE_YES, UI_KC_RESUME);
        if (cmd == UI_CMD_RESUME)
            break;
        if (cmd == UI_CMD_RESTART) {
            resume = false;
            break;
        }
    }
    u->resume_box = false;
    del_panel(pan);
    delwin(w);
    u->dirty = UI_DIRTY_ALL;
    return resume;
}

/* Sets a damaged file aside and says so in the status line. */
static void keep_bad(struct ui *u, const char *dir, const char *why)
{
    const struct lesson *l = u->r->lesson;
    char bad[4300] = "";
    char note[sizeof u->status_note];
    if (progress_keep_bad(dir, l->id, l->lang, bad, sizeof bad) == 0) {
        const char *base = strrchr(bad, '/');
        ui_trf(note, sizeof note, UI_MSG_PROGRESS_KEPT, why, base ? base + 1 : bad);
    } else {
        ui_trf(note, sizeof note, UI_MSG_PROGRESS_BAD, why);
    }
    set_note(u, note);
}

void ui_progress_open(struct ui *u)
{
    const struct lesson *l = u->r->lesson;
    u->progress_on = !u->opt.no_progress && l->n_steps > 0;
    if (!u->progress_on)
        return;
    char dir[4096];
    if (progress_dir(dir, sizeof dir) != 0)
        return;
    /* A second window on the same lesson records only the record (done,
     * best score): the first one's attempt is never overwritten. */
    u->progress_owner = progress_claim(dir, l->id, l->lang, &u->progress_fd) != 1;
    if (!u->progress_owner)
        set_note(u, ui_tr(UI_MSG_PROGRESS_OTHER));
    struct progress p;
    struct sbuf err;
    sbuf_init(&err);
    int rc = progress_load(dir, l->id, l->lang, &p, &err);
    char sha[65];
    progress_hex(l->sha256, sha);
    /* Saved inputs go through the lesson's validator before any runs. */
    if (rc == 0 && !strcmp(p.sha256, sha) && flow_inputs_check(l, p.inputs, &err) != 0) {
        progress_free(&p);
        rc = -1;
    }
    if (rc < 0 && u->progress_owner) {
        keep_bad(u, dir, err.s);
    } else if (rc == 0 && p.n_inputs > 0 && !strcmp(p.sha256, sha) && u->flow.n_inputs == 0 &&
               u->progress_owner) {
        /* Inputs recorded against another version of the file would not
         * rebuild the same run: only the same file resumes. Starting over
         * keeps the record (done, best score): the next save merges it. */
        if (ask_resume(u, &p)) {
            flow_replay(&u->flow, p.inputs);
            u->view_valid = false;
        }
        u->progress_saved = u->flow.n_inputs;
    }
    progress_free(&p);
    sbuf_free(&err);
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
            ui_trf(score, sizeof score, UI_MSG_BEST, p.best_score, p.max_score);
        } else {
            size_t at = p.step < p.n_steps ? p.step + 1 : p.n_steps;
            ui_trf(where, sizeof where, UI_MSG_STEP, at, p.n_steps);
            ui_trf(score, sizeof score, UI_MSG_SCORE, p.score, p.max_score);
        }
        snprintf(out, n, "%s \xc2\xb7 %s", where, score);
    }
    progress_free(&p);
    sbuf_free(&err);
}
