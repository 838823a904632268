/* ui: the terminal UI's key loop — one loop for keys, KEY_RESIZE and the
 * autoplay timer; every command marks what it changed dirty and the loop
 * redraws at one point. Learner actions go through the lesson flow (and so
 * through runner_action), so they are recorded in the history. */
#include <libintl.h>
#include <ctype.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "tutor/i18n.h"
#include "text.h"
#include "tutor/atomic_write.h"
#include "tutor/transcript.h"
#include "tutor/session/transcript_flow.h"
#include "tutor/progress.h"
#include "tutor/student_config.h"
#include "ui_internal.h"

static enum ui_locale_state locale_state;
static char locale_notice[320];
static bool locale_notice_shown; /* on the screens too, not only stderr */

void ui_setup_locale(void)
{
    /* The user's locale as it is: a non-UTF-8 one (LANG=C) is not switched
     * to UTF-8 behind their back, since their terminal could not show it;
     * the interfaces draw ASCII there instead (ui_check_locale). A UTF-8
     * one that is not installed gets C.UTF-8's characters. */
    locale_state = ui_i18n_setlocale();
}

const char *ui_locale_notice(void)
{
    return locale_notice_shown ? locale_notice : "";
}

bool ui_want_plain(const struct ui_options *o)
{
    const char *term = getenv("TERM");
    return o->plain || !isatty(STDOUT_FILENO) || (term && !strcmp(term, "dumb"));
}

bool ui_locale_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
}

void ui_check_locale(struct ui_options *o)
{
    if (ui_locale_utf8())
        return;
    o->ascii = true;
    /* On the screens when it takes away something asked for (a language,
     * a locale); English in LANG=C only loses the box drawing. */
    locale_notice_shown = locale_state == UI_LOCALE_MISSING || strcmp(ui_i18n_lang(), "en");
    if (strcmp(ui_i18n_lang(), "en"))
        ui_i18n_init("en"); /* Chinese cannot be shown in this codeset */
    /* A locale that is not there is named as such: "not UTF-8" misled
     * those whose LANG said UTF-8. */
    if (locale_state == UI_LOCALE_MISSING && *ui_i18n_locale_asked())
        ui_trf(locale_notice, sizeof locale_notice, UI_MSG_LOCALE_MISSING, ui_i18n_locale_asked());
    else
        ui_trf(locale_notice, sizeof locale_notice, UI_MSG_LOCALE_NOTICE, nl_langinfo(CODESET));
    fprintf(stderr, "%s\n", locale_notice);
}

static bool ui_stop_poll(void *ctx);

struct ui *ui_new(struct runner *r, const struct ui_options *o)
{
    struct ui *u = calloc(1, sizeof *u);
    if (!u)
        abort();
    u->r = r;
    u->opt = *o;
    u->utf8 = !o->ascii && ui_locale_utf8();
    u->focus = UI_MESSAGES;
    u->speed_ms = 400;
    u->search_hit = -1;
    u->progress.fd = -1;
    view_init(&u->view);
    view_init(&u->prev);
    flow_init(&u->flow, r);
    u->flow.stop = ui_stop_poll;
    u->flow.stop_ctx = u;
    /* The transcript records every input from here on (e exports it). */
    u->tr = transcript_new(r->lesson, TRANSCRIPT_LEARNER,
                           &(struct transcript_meta){.student = o->student});
    transcript_flow_begin(u->tr, &u->flow);
    ui_color_init(u);
    u->dirty = UI_DIRTY_ALL;
    return u;
}

static void drop_windows(struct ui *u)
{
    for (int p = 0; p < UI_PANEL_COUNT; p++) {
        if (u->pan[p])
            del_panel(u->pan[p]);
        if (u->win[p])
            delwin(u->win[p]);
        u->pan[p] = NULL;
        u->win[p] = NULL;
    }
    if (u->help_pan) {
        del_panel(u->help_pan);
        delwin(u->help_win);
        u->help_pan = NULL;
        u->help_win = NULL;
    }
}

void ui_free(struct ui *u)
{
    if (!u)
        return;
    drop_windows(u);
    progress_session_close(&u->progress);
    transcript_free(u->tr);
    flow_free(&u->flow);
    view_free(&u->view);
    view_free(&u->prev);
    ui_st_free(&u->st);
    free(u);
}

void ui_relayout(struct ui *u)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    drop_windows(u);
    ui_layout_full(rows, cols, u->r->lesson->cfg.n_nodes, u->lesson_need, u->spacetime, &u->lay);
    werase(stdscr);
    wnoutrefresh(stdscr);
    if (!u->lay.too_small) {
        for (int p = 0; p < UI_PANEL_COUNT; p++) {
            const struct ui_rect *rc = &u->lay.r[p];
            if (!ui_layout_shown(&u->lay, p))
                continue; /* the logs under the space-time view */
            u->win[p] = newwin(rc->h, rc->w, rc->y, rc->x);
            u->pan[p] = new_panel(u->win[p]);
        }
    }
    if (!u->lay.too_small && !ui_layout_shown(&u->lay, u->focus))
        u->focus = u->focus == UI_LOGS ? UI_SPACETIME : UI_CLUSTER;
    u->dirty = UI_DIRTY_ALL;
}

/* v: turns the space-time view on or off and lays the panels out again. */
static void ui_toggle_spacetime(struct ui *u)
{
    u->spacetime = !u->spacetime;
    u->st_skip = 0;
    if (!u->spacetime && u->focus == UI_SPACETIME)
        u->focus = UI_LOGS;
    ui_relayout(u);
}

void ui_update_view(struct ui *u)
{
    const struct history *h = u->r->h;
    if (u->view_valid && !(u->dirty & ((1u << UI_CLUSTER) | (1u << UI_MESSAGES) | (1u << UI_LOGS) |
                                       (1u << UI_STATUS))))
        return;
    if (u->view_valid && h->pos != u->view_pos) {
        struct view t = u->prev;
        u->prev = u->view;
        u->view = t;
        u->prev_pos = u->view_pos;
    }
    view_build(&u->view, h->cur);
    if (!u->view_valid) {
        view_build(&u->prev, h->cur);
        u->prev_pos = h->pos;
    }
    u->view_pos = h->pos;
    u->view_valid = true;
    if (u->node_cur >= u->view.n_nodes)
        u->node_cur = u->view.n_nodes - 1;
}

static void toast(struct ui *u, bool bad, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void toast(struct ui *u, bool bad, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(u->toast, sizeof u->toast, fmt, ap);
    va_end(ap);
    u->toast_bad = bad;
    u->dirty |= 1u << UI_HINT;
}

/* The prompt's line: its label, the end of what is typed, and the keys
 * that end it at the right when they fit. */
static void draw_prompt(struct ui *u, const char *label, const char *out, bool keys_shown)
{
    WINDOW *w = u->win[UI_HINT];
    werase(w);
    int wd = getmaxx(w);
    wattrset(w, ui_attr(u, UI_R_TITLE));
    mvwaddstr(w, 0, 0, label);
    wattrset(w, A_NORMAL);
    int lw = ui_text_width(label);
    /* Show the end of a long answer. */
    const char *shown = out;
    while (ui_text_width(shown) > wd - lw - 2 && *shown) {
        wchar_t wc;
        shown += ui_text_decode(shown, &wc);
    }
    const char *keys = ui_tr(UI_MSG_PROMPT_KEYS);
    int kw = ui_text_width(keys);
    if (keys_shown && lw + ui_text_width(shown) + 4 + kw <= wd) {
        wattrset(w, ui_attr(u, UI_R_HINT));
        mvwaddstr(w, 0, wd - kw - 1, keys);
        wattrset(w, A_NORMAL);
    }
    mvwaddstr(w, 0, lw, shown);
    wnoutrefresh(w);
    update_panels();
    doupdate();
}

/* The next key at a prompt showing label and out, with the cursor when
 * cursor: OK or KEY_CODE_YES (wget_wch's), or ERR when interrupted. A
 * resize lays the screen out again; while the terminal is too small the
 * too-small screen stays and only Esc counts: what cannot be seen is not
 * answered. */
static int prompt_key(struct ui *u, const char *label, const char *out, bool cursor, wint_t *ch)
{
    timeout(-1);
    for (;;) {
        WINDOW *w = u->lay.too_small ? stdscr : u->win[UI_HINT];
        curs_set(cursor && !u->lay.too_small);
        if (!u->lay.too_small)
            draw_prompt(u, label, out, cursor); /* a one-key question has no Enter */
        int rc = wget_wch(w, ch);
        if (ui_term_interrupted())
            return ERR;
        if (rc == ERR)
            continue;
        if (rc == KEY_CODE_YES && *ch == KEY_RESIZE) {
            ui_relayout(u);
            ui_draw(u);
            continue;
        }
        if (u->lay.too_small && !(rc != KEY_CODE_YES && *ch == 27))
            continue;
        return rc;
    }
}

/* A one-line prompt in the hint line; wide characters arrive through
 * wget_wch. Returns false when cancelled (Esc). With offered, out holds a
 * suggestion: Enter takes it, Backspace edits it, and a typed character
 * replaces it (typing md at "json" gives md, not jsonmd). Ctrl-U clears
 * the line and Ctrl-W deletes the word before the cursor, as readline
 * does; the keys are named at the right while there is room. A terminal
 * too small for a while keeps the prompt and its text. */
static bool prompt_offer(struct ui *u, const char *label, char *out, size_t n, bool offered)
{
    size_t len = strlen(out);
    bool ok = false;
    for (;;) {
        wint_t ch;
        int rc = prompt_key(u, label, out, true, &ch);
        if (rc == ERR)
            break;
        if (rc == KEY_CODE_YES) {
            if (ch == KEY_BACKSPACE) {
                offered = false;
                len = ui_text_erase_char(out, len);
                out[len] = 0;
            } else if (ch == KEY_ENTER) {
                ok = true;
                break;
            }
            continue;
        }
        if (ch == 27) {
            if (u->lay.too_small) /* said once there is room again */
                toast(u, true, "%s", ui_tr(UI_MSG_PROMPT_CANCELLED));
            break;
        }
        if (ch == '\n' || ch == '\r') {
            ok = true;
            break;
        }
        /* Backspace, Ctrl-U (the whole line) and Ctrl-W (the last word). */
        if (ch == 127 || ch == 8 || ch == 21 || ch == 23) {
            offered = false;
            len = ch == 21   ? 0
                  : ch == 23 ? ui_text_erase_word(out, len)
                             : ui_text_erase_char(out, len);
            out[len] = 0;
            continue;
        }
        if (ch < 0x20 || ch == 127)
            continue;
        char buf[8];
        mbstate_t st;
        memset(&st, 0, sizeof st);
        size_t k = wcrtomb(buf, (wchar_t)ch, &st);
        if (k == (size_t)-1 || k + 1 > n)
            continue;
        if (offered)
            len = 0;
        offered = false;
        if (len + k + 1 > n)
            continue;
        memcpy(out + len, buf, k);
        len += k;
        out[len] = 0;
    }
    curs_set(0);
    u->dirty |= 1u << UI_HINT;
    return ok;
}

static bool prompt(struct ui *u, const char *label, char *out, size_t n)
{
    return prompt_offer(u, label, out, n, false);
}

/* A question in the hint line answered by one key, no Enter: true for
 * the confirm keys' yes (y, or Y), false for any other key or Esc. */
static bool ask_key(struct ui *u, const char *question)
{
    wint_t ch;
    int rc = prompt_key(u, question, "", false, &ch);
    bool code = rc == KEY_CODE_YES;
    u->dirty |= 1u << UI_HINT;
    return rc != ERR &&
           (ui_key_lookup((int)ch, code, UI_KC_CONFIRM) == UI_CMD_YES || (!code && ch == 'Y'));
}

static void moved(struct ui *u)
{
    flow_refresh(&u->flow);
    u->feed_back = 0;
    u->st_skip = 0;
    u->search_hit = -1;
    u->dirty = UI_DIRTY_ALL;
}

static long long wall_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Asks of the stop hook between two reads of the keyboard. The hook is
 * asked once per event of a long action (a step's event, a settle's
 * delivery, each advance of a run's clock), so this bounds the work done
 * between a key and the stop, however busy the machine: a few hundred
 * events, under a millisecond here, where a wall-clock interval let a
 * loaded machine run on for seconds. Where it stops is recorded as the
 * shorter action that ran (runner.h), so no replay depends on when the
 * key came; and an action shorter than this is never cut by a key typed
 * ahead of it. */
#define UI_STOP_EVERY 256

/* Whether a key was typed, using it up. A resize is no key: the panels are
 * laid out again and the action goes on. */
static bool key_typed(struct ui *u)
{
    wint_t ch;
    timeout(0);
    int rc = get_wch(&ch);
    timeout(-1);
    if (rc == KEY_CODE_YES && ch == KEY_RESIZE) {
        ui_relayout(u);
        return false;
    }
    return rc != ERR;
}

/* Asked between the events of a learner's long action (the flow's stop
 * hook): any key, or SIGINT, stops it where it is (the key is consumed,
 * not acted on). After a quarter second the cluster is redrawn as it runs
 * and the hint line says how to stop. */
static bool ui_stop_poll(void *ctx)
{
    struct ui *u = ctx;
    if (ui_term_interrupted())
        return true;
    if (u->flow.exploring.on) {
        /* The explorer asks about every quarter second: each time, its
         * progress line, and the keyboard. */
        toast(u, false, ui_tr(UI_MSG_EXPLORING), u->flow.exploring.states,
              u->flow.exploring.frontier, u->flow.exploring.depth, u->flow.exploring.per_s);
        ui_draw(u);
        u->long_asks = UI_STOP_EVERY; /* keys typed after the last look: used up too */
        return key_typed(u);
    }
    if (++u->long_asks % UI_STOP_EVERY)
        return false;
    long long now = wall_ms();
    if (!u->long_began)
        u->long_began = u->long_drawn = now;
    /* How often it is drawn is the screen's business only. */
    if (now - u->long_began >= 250 && now - u->long_drawn >= 250) {
        u->long_drawn = now;
        toast(u, false, "%s", ui_tr(UI_MSG_RUNNING));
        u->dirty |= 1u << UI_STATUS | 1u << UI_CLUSTER | 1u << UI_MESSAGES | 1u << UI_LOGS;
        ui_draw(u);
    }
    return key_typed(u);
}

/* Before a learner's action that may run long (and ask ui_stop_poll). */
static void long_work_begin(struct ui *u)
{
    u->long_asks = 0;
    u->long_began = 0;
}

/* After it, once its outcome is shown: a long one goes into the transcript
 * now, not at the loop's turn (recording a long run's feed takes seconds
 * of its own), and every key typed while it ran or was recorded, under
 * "running… any key stops it", was meant to stop it: used up, never acted
 * on (a c left over crashed a node). */
static void long_work_end(struct ui *u)
{
    if (u->long_asks < UI_STOP_EVERY)
        return;
    transcript_flow_record(u->tr, &u->flow);
    flushinp();
    u->long_asks = 0;
}

/* Does action a, or the lesson action written as the JSON object json
 * when a is NULL; what went wrong or what stopped it in the hint line. */
static void do_action_or_json(struct ui *u, const struct action *a, const char *json)
{
    struct sbuf why;
    sbuf_init(&why);
    long_work_begin(u);
    u->toast[0] = '\0';
    int rc = a ? flow_action(&u->flow, a, &why) : flow_action_json(&u->flow, json, &why);
    if (rc != 0 || why.len)
        toast(u, rc != 0 && !u->flow.stopped, "%s", why.s);
    sbuf_free(&why);
    moved(u);
    long_work_end(u);
}

static void do_action(struct ui *u, const struct action *a)
{
    do_action_or_json(u, a, NULL);
}

static long selected_msg(struct ui *u)
{
    ui_update_view(u);
    if (!u->view.n_msgs)
        return -1;
    long k = view_find_msg(&u->view, u->msg_cur);
    return k < 0 ? 0 : k;
}

static void msg_action(struct ui *u, enum action_kind kind)
{
    long k = selected_msg(u);
    if (k < 0) {
        toast(u, true, "%s", ui_tr(UI_MSG_NO_MESSAGE));
        return;
    }
    uint64_t id = u->view.msgs[k].id;
    struct sbuf why;
    sbuf_init(&why);
    if (flow_msg_action(&u->flow, kind, id, &why) != 0)
        toast(u, true, "%s", why.s);
    sbuf_free(&why);
    /* Keep the cursor on the same row: the next message moves up. */
    moved(u);
    ui_update_view(u);
    if (u->view.n_msgs) {
        size_t row = (size_t)k < u->view.n_msgs ? (size_t)k : u->view.n_msgs - 1;
        if (view_find_msg(&u->view, u->msg_cur) < 0 || kind != ACT_DUPLICATE)
            u->msg_cur = u->view.msgs[row].id;
    }
}

static void node_action(struct ui *u, enum ui_cmd cmd)
{
    ui_update_view(u);
    int node = u->node_cur;
    const struct view_node *n = &u->view.nodes[node];
    struct action a;
    if (cmd == UI_CMD_CRASH) {
        flow_simple_action(&a, n->up ? ACT_CRASH : ACT_RESTART, node, NULL);
    } else if (cmd == UI_CMD_TIMEOUT) {
        flow_simple_action(&a, ACT_TIMEOUT, node, NULL);
    } else {
        bool raft = u->view.protocol == PROTO_RAFT;
        char label[128], text[256] = "";
        ui_trf(label, sizeof label, raft ? UI_MSG_ASK_REQUEST : UI_MSG_ASK_PROPOSE, n->name);
        if (!prompt(u, label, text, sizeof text) || !text[0])
            return;
        flow_simple_action(&a, raft ? ACT_REQUEST : ACT_PROPOSE, node, text);
    }
    do_action(u, &a);
}

static void partition(struct ui *u)
{
    char text[256] = "";
    if (!prompt(u, ui_tr(UI_MSG_ASK_GROUPS), text, sizeof text) || !text[0])
        return;
    struct action a;
    flow_simple_action(&a, ACT_PARTITION, -1, NULL);
    struct sbuf why;
    sbuf_init(&why);
    if (flow_parse_groups(u->r->lesson, text, a.groups, &why) != 0)
        toast(u, true, "%s", why.s);
    else
        do_action(u, &a);
    sbuf_free(&why);
}

/* Delivers, drops or duplicates message id, given by its number. */
static void msg_action_id(struct ui *u, enum action_kind kind, uint64_t id)
{
    struct sbuf why;
    sbuf_init(&why);
    u->toast[0] = '\0';
    if (flow_msg_action(&u->flow, kind, id, &why) != 0)
        toast(u, true, "%s", why.s);
    sbuf_free(&why);
    moved(u);
}

/* A known word with the wrong arguments: "write crash NODE". */
/* form: a command's form as one types it, its placeholders translated
 * (NC_("usage", ...)), as the help's ':' line writes them. */
static void cmd_usage(struct ui *u, const char *form)
{
    char m[256];
    ui_trf(m, sizeof m, UI_MSG_CMD_USAGE, ui_pgettext("usage", form));
    toast(u, true, "%s", m);
}

/* The ':' words that take one node: crash S1, ...; a membership change
 * (dissertation §4.1) is asked of the node the client believes leads,
 * following refusals' hints; a snapshot is §7. */
static const struct node_word {
    const char *word, *usage;
    enum action_kind kind;
    bool raft;
} node_words[] = {
    {"crash", NC_("usage", "crash NODE"), ACT_CRASH, false},
    {"restart", NC_("usage", "restart NODE"), ACT_RESTART, false},
    {"timeout", NC_("usage", "timeout NODE"), ACT_TIMEOUT, false},
    {"add_server", NC_("usage", "add_server NODE"), ACT_ADD_SERVER, true},
    {"remove_server", NC_("usage", "remove_server NODE"), ACT_REMOVE_SERVER, true},
    {"snapshot", NC_("usage", "snapshot NODE"), ACT_SNAPSHOT, true},
};

static const struct node_word *node_word(const char *word, bool raft)
{
    for (size_t i = 0; i < sizeof node_words / sizeof *node_words; i++)
        if (!strcmp(node_words[i].word, word) && (raft || !node_words[i].raft))
            return &node_words[i];
    return NULL;
}

/* ':' — every action the plain mode takes, in its words (ui/plain.c):
 * settle, run MS, step N, crash/restart/timeout NODE, request/propose NODE
 * TEXT, read NODE KEY, transfer NODE, add_server/remove_server/snapshot
 * NODE, partition GROUPS, heal, deliver/drop/dup #ID, or a lesson action
 * as one JSON object. */
static void command(struct ui *u)
{
    char text[256] = "";
    if (!prompt(u, ui_tr(UI_MSG_CMD_PROMPT), text, sizeof text) || !text[0])
        return;
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '{') {
        do_action_or_json(u, NULL, p);
        return;
    }
    char word[24] = "", who[24] = "";
    int words = sscanf(p, "%23s %23s", word, who);
    /* The rest after the node: a request's command, a read's key. */
    const char *rest = p + strcspn(p, " \t");
    rest += strspn(rest, " \t");
    rest += strcspn(rest, " \t");
    rest += strspn(rest, " \t");
    const char *after_word = p + strcspn(p, " \t");
    after_word += strspn(after_word, " \t");
    char *end = NULL;
    long long n = words >= 2 ? strtoll(who[0] == '#' ? who + 1 : who, &end, 10) : -1;
    bool number = words >= 2 && end && !*end && n >= 0;
    int node = words >= 2 ? proto_node_index(&u->r->lesson->cfg, who) : -1;
    bool raft = u->r->lesson->protocol == PROTO_RAFT;
    const char *usage = NULL; /* a known word with wrong arguments: its form */
    struct action a;
    if (!strcmp(word, "settle")) {
        flow_simple_action(&a, ACT_SETTLE, -1, NULL);
    } else if (!strcmp(word, "run")) {
        if (!number || n < 1 || n > 3600000)
            usage = NC_("usage", "run MS (1..3600000)");
        flow_simple_action(&a, ACT_RUN, -1, NULL);
        a.for_ms = a.max = n;
    } else if (!strcmp(word, "step") || !strcmp(word, "n")) {
        if (words >= 2 && (!number || n < 1 || n > 1000000))
            usage = NC_("usage", "step N (1..1000000)");
        flow_simple_action(&a, ACT_STEP, -1, NULL);
        a.count = words >= 2 ? n : 1;
    } else if (node_word(word, raft)) {
        const struct node_word *w = node_word(word, raft);
        if (node < 0 || words != 2)
            usage = w->usage;
        flow_simple_action(&a, w->kind, node, NULL);
    } else if (!strcmp(word, "request") || !strcmp(word, "propose") ||
               (raft && !strcmp(word, "read"))) {
        bool read = word[2] == 'a';
        if (node < 0 || !*rest)
            usage = read             ? NC_("usage", "read NODE KEY")
                    : word[0] == 'p' ? NC_("usage", "propose NODE VALUE")
                                     : NC_("usage", "request NODE COMMAND");
        /* The text is the lesson's to keep: the action outlives this buffer. */
        flow_simple_action(&a,
                           read             ? ACT_READ
                           : word[0] == 'p' ? ACT_PROPOSE
                                            : ACT_REQUEST,
                           node, strpool_intern(u->r->strings, rest));
    } else if (raft && !strcmp(word, "transfer")) {
        if (node < 0 || words != 2)
            usage = NC_("usage", "transfer NODE");
        flow_simple_action(&a, ACT_TRANSFER, -1, NULL); /* §3.10, asked of the leader */
        a.to = node;
    } else if (!strcmp(word, "partition")) {
        flow_simple_action(&a, ACT_PARTITION, -1, NULL);
        struct sbuf why;
        sbuf_init(&why);
        int rc = flow_parse_groups(u->r->lesson, after_word, a.groups, &why);
        if (rc != 0)
            toast(u, true, "%s", why.s);
        sbuf_free(&why);
        if (rc != 0)
            return;
    } else if (!strcmp(word, "heal")) {
        flow_simple_action(&a, ACT_HEAL, -1, NULL);
    } else if (!strcmp(word, "deliver") || !strcmp(word, "drop") || !strcmp(word, "dup") ||
               !strcmp(word, "duplicate")) {
        if (!number || words != 2) {
            cmd_usage(u, word[1] == 'e'   ? NC_("usage", "deliver #ID")
                         : word[1] == 'r' ? NC_("usage", "drop #ID")
                                          : NC_("usage", "dup #ID"));
            return;
        }
        msg_action_id(u,
                      word[1] == 'e'   ? ACT_DELIVER
                      : word[1] == 'r' ? ACT_DROP
                                       : ACT_DUPLICATE,
                      (uint64_t)n);
        return;
    } else {
        /* What is not a command here: its word, and where the words are
         * (the help's ':' line), short enough for an 80-column line. */
        char m[256];
        ui_trf(m, sizeof m, UI_MSG_CMD_BAD, word);
        toast(u, true, "%s", m);
        return;
    }
    if (usage) {
        cmd_usage(u, usage);
        return;
    }
    do_action(u, &a);
}

static void switch_branch(struct ui *u)
{
    struct history *h = u->r->h;
    if (!h->n_branches) {
        toast(u, true, "%s", ui_tr(UI_MSG_NO_BRANCHES));
        return;
    }
    struct sbuf why;
    sbuf_init(&why);
    /* The branch left last: B again comes back to where the learner was. */
    if (flow_switch_branch(&u->flow, h->n_branches - 1, &why) != 0)
        toast(u, true, "%s", why.s);
    else
        toast(u, false, "%s", ui_tr(UI_MSG_BRANCH_SWITCHED));
    sbuf_free(&why);
    moved(u);
}

static void step_once(struct ui *u)
{
    if (sim_next_event_time(runner_sim(u->r)) < 0) {
        toast(u, true, "%s", ui_tr(UI_MSG_NOTHING));
        u->autoplay = false;
        return;
    }
    struct action a;
    flow_simple_action(&a, ACT_STEP, -1, NULL);
    do_action(u, &a);
}

/* After the explorer ran: its outcome in the hint line too (the feed and
 * the lesson panel have it), or why it did not run. */
static void explored(struct ui *u, bool ran, const char *why)
{
    if (ran)
        toast(u, false, "%s", u->flow.explored.s);
    else
        toast(u, !u->flow.stopped, "%s", why);
    moved(u);
}

static void go_on(struct ui *u)
{
    struct sbuf why;
    sbuf_init(&why);
    long_work_begin(u);
    u->toast[0] = '\0';
    bool exploring = u->flow.state == FLOW_EXPLORE;
    bool ran = flow_continue(&u->flow, &why);
    if (exploring) {
        explored(u, ran, why.s);
    } else if (ran) {
        if (u->flow.stopped) /* a long step stopped: what is left of it */
            toast(u, false, "%s", why.s);
        moved(u);
    } else if (u->flow.state == FLOW_END) {
        /* What is left to do, not only that it is over. */
        toast(u, false, "%s",
              gettext("the lesson is over: e exports your transcript, q leaves it"));
    } else {
        toast(u, true, "%s", why.s);
    }
    sbuf_free(&why);
    long_work_end(u);
}

/* E: the explorer from the current state. */
static void explore(struct ui *u)
{
    struct sbuf why;
    sbuf_init(&why);
    long_work_begin(u);
    explored(u, flow_explore(&u->flow, &why) == 0, why.s);
    sbuf_free(&why);
    long_work_end(u);
}

static bool has_text(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, n))
            return true;
    return false;
}

/* Finds the next match going older (dir -1) or newer (+1) from the current
 * hit, and scrolls the feed so it shows. Without one the view stays where
 * it was, and the hint line says why: no line matches at all (from no hit
 * going older, every line shown was looked at), or none further on. */
static void search(struct ui *u, int dir)
{
    const struct feed *f = &u->r->h->feed;
    size_t last = feed_upto(f, u->r->h->pos);
    if (!u->search[0])
        return;
    long k = u->search_hit < 0 ? (long)last : u->search_hit;
    struct sbuf text;
    sbuf_init(&text);
    for (k += dir; k >= 0 && k < (long)last; k += dir) {
        sbuf_reset(&text);
        feed_text(f, (size_t)k, &text); /* in the language shown */
        if (has_text(text.s, u->search))
            break;
    }
    if (k < 0 || k >= (long)last) {
        sbuf_free(&text);
        enum ui_msg why = u->search_hit < 0 && dir < 0 ? UI_MSG_NO_MATCH
                          : dir < 0                    ? UI_MSG_NO_OLDER_MATCH
                                                       : UI_MSG_NO_NEWER_MATCH;
        toast(u, true, ui_tr(why), u->search);
        return;
    }
    u->search_hit = k;
    /* Lines below the hit, wrapped as the feed panel wraps them. */
    int wd = u->win[UI_FEED] ? getmaxx(u->win[UI_FEED]) - 2 : 40;
    int h = u->win[UI_FEED] ? getmaxy(u->win[UI_FEED]) - 2 : 10;
    size_t below = 0;
    for (size_t i = (size_t)k + 1; i < last; i++) {
        char line[1200];
        struct feed_line e;
        feed_get(f, i, &e);
        sbuf_reset(&text);
        feed_line_text(f, &e, &text);
        snprintf(line, sizeof line, "%5lld %s%s%s", (long long)e.time,
                 e.node >= 0 ? u->r->lesson->cfg.names[e.node] : "",
                 e.node >= 0 ? ui_pgettext("feed", ": ") : "", text.s);
        below += ui_text_wrap_hang(line, wd, 2, NULL, 0); /* as draw_feed wraps */
    }
    sbuf_free(&text);
    u->feed_back = below > (size_t)h / 2 ? below - (size_t)h / 2 : 0;
    u->focus = UI_FEED;
    u->dirty = UI_DIRTY_ALL;
}

void ui_search_start(struct ui *u, const char *text)
{
    snprintf(u->search, sizeof u->search, "%s", text);
    /* The previous search's mark and its title go: left up, they would
     * read as this search's result. */
    u->search_hit = -1;
    u->dirty |= 1u << UI_FEED;
    search(u, -1);
}

static void move_cursor(struct ui *u, int d, bool page)
{
    ui_update_view(u);
    /* The lesson text scrolls with the arrows when focused, and with
     * PgUp/PgDn whenever it does not fit (its border says "more"). */
    if (u->focus == UI_LESSON || (page && u->lesson_need > u->lesson_rows)) {
        u->lesson_scroll += page ? d * (u->lesson_rows > 2 ? u->lesson_rows - 1 : 1) : d;
        if (u->lesson_scroll < 0)
            u->lesson_scroll = 0;
        u->dirty |= 1u << UI_LESSON;
        return;
    }
    int h = u->win[u->focus] ? getmaxy(u->win[u->focus]) - 2 : 1;
    switch (u->focus) {
    case UI_CLUSTER:
    case UI_LOGS:
        if (page && u->focus == UI_LOGS) {
            u->log_scroll -= d * 8;
            if (u->log_scroll < 0)
                u->log_scroll = 0;
        } else {
            u->node_cur += d;
            if (u->node_cur < 0)
                u->node_cur = 0;
            if (u->node_cur >= u->view.n_nodes)
                u->node_cur = u->view.n_nodes - 1;
        }
        break;
    case UI_MESSAGES: {
        long k = selected_msg(u);
        if (k < 0)
            break;
        k += page ? d * h : d;
        if (k < 0)
            k = 0;
        if (k >= (long)u->view.n_msgs)
            k = (long)u->view.n_msgs - 1;
        u->msg_cur = u->view.msgs[k].id;
        break;
    }
    case UI_FEED: {
        long b = (long)u->feed_back - (page ? d * h : d);
        u->feed_back = b < 0 ? 0 : (size_t)b;
        break;
    }
    case UI_SPACETIME: {
        /* Up goes back in time; the top stops at the oldest event. */
        long b = (long)u->st_skip - (page ? d * (h - 1) : d);
        if (b > (long)(u->st_skip + u->st.n_older))
            b = (long)(u->st_skip + u->st.n_older);
        u->st_skip = b < 0 ? 0 : (size_t)b;
        u->dirty |= 1u << UI_SPACETIME;
        break;
    }
    default:
        break;
    }
    /* The hint line too: c's word follows the selected node. */
    u->dirty |= (1u << UI_CLUSTER) | (1u << UI_LOGS) | (1u << UI_MESSAGES) | (1u << UI_FEED) |
                (1u << UI_HINT);
}

static void focus(struct ui *u, enum ui_panel p)
{
    /* Every panel has a number: the space-time view's turns it on, the
     * logs' turns it off when it took their place. */
    if (p == UI_SPACETIME && !u->spacetime)
        ui_toggle_spacetime(u);
    else if (p == UI_LOGS && !ui_layout_shown(&u->lay, UI_LOGS) && u->spacetime)
        ui_toggle_spacetime(u);
    u->focus = p;
    u->dirty = UI_DIRTY_ALL;
}

/* Tab and Shift-Tab: the next shown panel in number order. */
static void focus_step(struct ui *u, int d)
{
    int p = (int)u->focus;
    for (int i = 0; i < UI_SPACETIME; i++) {
        p += d;
        if (p > UI_SPACETIME)
            p = UI_CLUSTER;
        if (p < UI_CLUSTER)
            p = UI_SPACETIME;
        if (ui_layout_shown(&u->lay, (enum ui_panel)p))
            break;
    }
    focus(u, (enum ui_panel)p);
}

static bool inside(const struct ui_rect *r, int y, int x)
{
    return r->h > 0 && y > r->y && y < r->y + r->h - 1 && x > r->x && x < r->x + r->w - 1;
}

void ui_click(struct ui *u, int y, int x, bool double_click)
{
    if (u->lay.too_small || u->help)
        return;
    ui_update_view(u);
    const struct ui_rect *cr = &u->lay.r[UI_CLUSTER], *mr = &u->lay.r[UI_MESSAGES];
    if (inside(cr, y, x)) {
        int node = u->cluster_top + (y - cr->y - 1) / (u->lay.card_rows ? u->lay.card_rows : 1);
        if (node < u->view.n_nodes) {
            u->node_cur = node;
            u->focus = UI_CLUSTER;
            u->dirty = UI_DIRTY_ALL;
        }
        return;
    }
    if (inside(mr, y, x)) {
        size_t k = u->msg_top + (size_t)(y - mr->y - 1);
        if (k >= u->view.n_msgs)
            return;
        bool again = u->focus == UI_MESSAGES && view_find_msg(&u->view, u->msg_cur) == (long)k;
        u->msg_cur = u->view.msgs[k].id;
        u->focus = UI_MESSAGES;
        u->dirty = UI_DIRTY_ALL;
        if (double_click || again)
            msg_action(u, ACT_DELIVER);
        return;
    }
    for (int p = UI_CLUSTER; p <= UI_SPACETIME; p++)
        if (ui_layout_shown(&u->lay, p) && inside(&u->lay.r[p], y, x) && (int)u->focus != p)
            focus(u, (enum ui_panel)p);
}

static void mouse_event(struct ui *u)
{
    MEVENT ev;
    if (getmouse(&ev) != OK)
        return;
    if (ev.bstate & BUTTON1_DOUBLE_CLICKED)
        ui_click(u, ev.y, ev.x, true);
    else if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED))
        ui_click(u, ev.y, ev.x, false);
}

/* A value quiz: the answer typed in the hint line. */
static void type_answer(struct ui *u)
{
    char ans[256] = "";
    if (prompt(u, ui_tr(UI_MSG_YOUR_ANSWER), ans, sizeof ans) && ans[0])
        flow_answer_value(&u->flow, ans);
    u->dirty = UI_DIRTY_ALL;
}

unsigned ui_keys_ctx(const struct ui *u)
{
    if (u->confirm != UI_CMD_NONE)
        return UI_KC_CONFIRM;
    if (u->resume_box)
        return UI_KC_RESUME;
    const struct flow *f = &u->flow;
    switch (f->state) {
    case FLOW_GOTO:
        return UI_KC_GOTO;
    case FLOW_QUIZ: {
        const struct quiz *q = &flow_step(f)->quiz;
        unsigned k = q->kind == QUIZ_VALUE ? UI_KC_VALUE : q->multi ? UI_KC_MULTI : UI_KC_PICK;
        return k | (f->tries > 0 ? UI_KC_RETRY : 0u);
    }
    case FLOW_GOAL:
        return UI_KC_GOAL;
    case FLOW_END:
        return UI_KC_END;
    case FLOW_EXPLORE:
    case FLOW_EXPLORED:
        return UI_KC_SCRIPT | UI_KC_EXPLORE;
    case FLOW_PREDICTED:
        return UI_KC_SCRIPT | UI_KC_REPICK;
    default:
        return UI_KC_SCRIPT;
    }
}

void ui_keys_state_of(const struct ui *u, struct ui_keys_state *st)
{
    const struct flow *f = &u->flow;
    st->ctx = ui_keys_ctx(u);
    st->n_choices = 0;
    st->go_word = NULL;
    /* r proposes in Paxos (the lesson format's propose), and says so. */
    st->request_word = f->l->protocol != PROTO_RAFT ? ui_pgettext("key", "propose") : NULL;
    st->answer_word = f->state == FLOW_PREDICTED ? ui_tr(UI_MSG_K_REPICK) : NULL;
    /* c restarts a node that is down, and says so. */
    bool down = u->view_valid && u->node_cur < u->view.n_nodes && !u->view.nodes[u->node_cur].up;
    st->crash_word = down ? ui_pgettext("key", "restart") : NULL;
    st->hidden = 0;
    if (f->state == FLOW_GOAL) {
        /* The hint line offers no key whose action the goal forbids. */
        static const struct {
            enum action_kind act;
            enum ui_cmd cmd;
        } by_act[] = {{ACT_STEP, UI_CMD_STEP},      {ACT_DELIVER, UI_CMD_DELIVER},
                      {ACT_DROP, UI_CMD_DROP},      {ACT_DUPLICATE, UI_CMD_DUPLICATE},
                      {ACT_CRASH, UI_CMD_CRASH},    {ACT_TIMEOUT, UI_CMD_TIMEOUT},
                      {ACT_REQUEST, UI_CMD_REQUEST}};
        unsigned forbid = flow_step(f)->goal.forbid;
        if (f->l->protocol != PROTO_RAFT) /* r proposes in Paxos */
            forbid = (forbid & ~(1u << ACT_REQUEST)) | ((forbid >> ACT_PROPOSE & 1) << ACT_REQUEST);
        if (down) /* c restarts it: the bar keeps c while restart is allowed */
            forbid = (forbid & ~(1u << ACT_CRASH)) | ((forbid >> ACT_RESTART & 1) << ACT_CRASH);
        for (size_t i = 0; i < sizeof by_act / sizeof *by_act; i++)
            if (forbid >> by_act[i].act & 1)
                st->hidden |= (uint64_t)1 << by_act[i].cmd;
    }
    if (f->state == FLOW_QUIZ || f->state == FLOW_PREDICTED)
        st->n_choices = (int)flow_step(f)->quiz.n_choices;
    enum ui_msg m = UI_MSG_K_CONTINUE;
    if (f->state == FLOW_DO)
        m = UI_MSG_K_DO;
    else if (f->state == FLOW_PREDICTED)
        m = UI_MSG_K_WATCH;
    else if (f->state == FLOW_SOLUTION)
        m = UI_MSG_K_SOLUTION;
    else if (f->state == FLOW_GOTO)
        m = UI_MSG_K_GOTO;
    else if (f->state == FLOW_EXPLORE)
        m = UI_MSG_K_EXPLORE;
    st->go_word = ui_tr(m);
}

/* Asks text in the hint line; y then runs cmd (ui_key). */
static void ask(struct ui *u, enum ui_cmd cmd, const char *text)
{
    u->confirm = cmd;
    snprintf(u->confirm_text, sizeof u->confirm_text, "%s", text);
    u->dirty |= 1u << UI_HINT;
}

/* At the first export with no student known (no --student, nothing
 * remembered), asks the learner's name once and remembers it in the
 * config file (tutor/student_config.h); an empty answer exports without. */
static void ask_student(struct ui *u)
{
    static bool asked;
    char name[128] = "";
    if (u->tr->student || asked)
        return;
    asked = true;
    if (!prompt(u, student_config_question(), name, sizeof name) || !name[0])
        return;
    transcript_set_student(u->tr, name);
    struct sbuf err;
    char path[4200] = "";
    sbuf_init(&err);
    if (student_config_save(name, &err) != 0)
        toast(u, true, "%s", err.s);
    else if (student_config_path(path, sizeof path) == 0)
        toast(u, false, student_config_saved(), path);
    sbuf_free(&err);
}

/* e: writes the transcript as JSON, Markdown or SVG to a file the learner
 * names (by default <lesson>-<student or run>.<format> here; a name
 * without an extension gets the format's). An existing file is replaced
 * only after y, and another key asks for another name; a failed write
 * says why and keeps the transcript, so another name can be tried. */
static void export_transcript(struct ui *u)
{
    char fmt[16] = "json", probe[32], path[1024], ask[1200];
    if (!u->tr || !prompt_offer(u, ui_tr(UI_MSG_EXPORT_AS), fmt, sizeof fmt, true))
        return;
    snprintf(probe, sizeof probe, "x.%s", fmt);
    enum transcript_format f = transcript_format_of(probe);
    if (f == TF_UNKNOWN) {
        toast(u, true, ui_tr(UI_MSG_EXPORT_FORMATS), fmt);
        return;
    }
    ask_student(u);
    transcript_default_name(u->tr, f, path, sizeof path);
    /* A file that exists is replaced after y; any other key asks for
     * another name, with this one to edit. */
    bool replace;
    for (;;) {
        if (!prompt_offer(u, ui_tr(UI_MSG_EXPORT_TO), path, sizeof path, true) || !path[0]) {
            if (path[0] && atomic_exists(path))
                toast(u, false, ui_tr(UI_MSG_EXPORT_KEPT), path);
            return;
        }
        if (transcript_format_of(path) != TF_UNKNOWN)
            f = transcript_format_of(path); /* the name's ending wins */
        else
            transcript_name_add_ext(path, sizeof path, f); /* "mine" is mine.json */
        replace = atomic_exists(path);
        ui_trf(ask, sizeof ask, UI_MSG_EXPORT_EXISTS, path);
        if (!replace || ask_key(u, ask))
            break;
    }
    transcript_flow_record(u->tr, &u->flow);
    transcript_finish(u->tr, u->r);
    struct sbuf err;
    sbuf_init(&err);
    if (transcript_export(u->tr, f, path, replace, &err) != 0)
        toast(u, true, ui_tr(UI_MSG_EXPORT_FAILED), err.s);
    else
        toast(u, false, ui_tr(UI_MSG_PL_WRITTEN), path);
    sbuf_free(&err);
}

static void heal(struct ui *u)
{
    struct action a;
    flow_simple_action(&a, ACT_HEAL, -1, NULL);
    do_action(u, &a);
}

/* Runs a command after its question was answered yes. */
static void confirmed(struct ui *u, enum ui_cmd cmd)
{
    if (cmd == UI_CMD_QUIT)
        u->quit = true;
    else if (cmd == UI_CMD_HEAL)
        heal(u);
    else
        node_action(u, cmd);
}

bool ui_key(struct ui *u, wint_t key, bool code)
{
    /* A resize is no key the learner pressed: the message stays. */
    if (code && key == KEY_RESIZE) {
        ui_relayout(u);
        return true;
    }
    if (u->toast[0]) {
        u->toast[0] = 0;
        u->dirty |= 1u << UI_HINT;
    }
    if (code && key == KEY_MOUSE) {
        if (u->opt.mouse && u->confirm == UI_CMD_NONE)
            mouse_event(u);
        return true;
    }
    if (u->confirm != UI_CMD_NONE) {
        /* y (or q for quit) says yes; any other key is no. */
        enum ui_cmd asked = u->confirm;
        u->confirm = UI_CMD_NONE;
        u->dirty |= 1u << UI_HINT;
        if (ui_key_lookup((int)key, code, UI_KC_CONFIRM) == UI_CMD_YES || (!code && key == 'Y') ||
            (asked == UI_CMD_QUIT && !code && key == 'q'))
            confirmed(u, asked);
        else if (asked != UI_CMD_QUIT)
            toast(u, false, "%s", ui_tr(UI_MSG_NOT_DONE));
        return !u->quit;
    }
    if (u->help) {
        /* Space pages through a help taller than the screen. */
        if (!code && key == ' ' && u->help_page + 1 < u->help_pages)
            u->help_page++;
        else
            u->help = false;
        u->dirty = UI_DIRTY_ALL;
        return true;
    }
    enum ui_cmd cmd = ui_key_lookup((int)key, code, ui_keys_ctx(u));
    if (u->lay.too_small && cmd != UI_CMD_QUIT)
        return true;
    switch (cmd) {
    case UI_CMD_STEP:
        /* n goes on through a search's matches until Esc ends it. */
        if (key == 'n' && u->search[0])
            search(u, -1);
        else
            step_once(u);
        break;
    case UI_CMD_DELIVER:
        msg_action(u, ACT_DELIVER);
        break;
    case UI_CMD_ANSWER:
        long_work_begin(u);
        if (!flow_answer_choice(&u->flow, (int)(key - '1'))) {
            struct sbuf why;
            sbuf_init(&why);
            flow_choices_why(&u->flow, &why);
            toast(u, true, "%s", why.s);
            sbuf_free(&why);
        } else if (u->flow.stopped)
            toast(u, false, "%s", u->flow.result.s);
        u->dirty = UI_DIRTY_ALL;
        long_work_end(u);
        break;
    case UI_CMD_SUBMIT:
        if (!flow_answer_submit(&u->flow) && u->flow.state == FLOW_QUIZ)
            toast(u, true, "%s", ui_tr(UI_MSG_PICK_FIRST));
        u->dirty = UI_DIRTY_ALL;
        break;
    case UI_CMD_TYPE_ANSWER:
        type_answer(u);
        break;
    case UI_CMD_REVEAL: /* flow_continue after a miss shows the answer */
        go_on(u);
        break;
    case UI_CMD_NEED_ANSWER:
        toast(u, true, "%s", ui_tr(UI_MSG_PICK_FIRST));
        break;
    case UI_CMD_SKIP_GOTO:
        flow_skip_goto(&u->flow);
        u->dirty = UI_DIRTY_ALL;
        break;
    case UI_CMD_END_SEARCH:
        if (u->search[0]) {
            u->search[0] = 0;
            u->search_hit = -1;
            u->dirty = UI_DIRTY_ALL;
            toast(u, false, "%s", ui_tr(UI_MSG_SEARCH_ENDED));
        }
        break;
    case UI_CMD_DROP:
        msg_action(u, ACT_DROP);
        break;
    case UI_CMD_DUPLICATE:
        msg_action(u, ACT_DUPLICATE);
        break;
    case UI_CMD_CRASH:
        /* A crash or restart during a quiz changes its premise: ask. */
        if (u->flow.state == FLOW_QUIZ || u->flow.state == FLOW_PREDICTED) {
            ui_update_view(u);
            const struct view_node *vn = &u->view.nodes[u->node_cur];
            char q[256];
            ui_trf(q, sizeof q, vn->up ? UI_MSG_ASK_CRASH : UI_MSG_ASK_RESTART, vn->name);
            ask(u, cmd, q);
            break;
        }
        node_action(u, cmd);
        break;
    case UI_CMD_TIMEOUT:
    case UI_CMD_REQUEST:
        node_action(u, cmd);
        break;
    case UI_CMD_PARTITION:
        partition(u);
        break;
    case UI_CMD_COMMAND:
        command(u);
        break;
    case UI_CMD_BRANCH:
        switch_branch(u);
        break;
    case UI_CMD_EXPLORE:
        explore(u);
        break;
    case UI_CMD_HEAL:
        /* Healing undoes a lesson's partition: ask while a lesson runs. */
        ui_update_view(u);
        if (u->view.partitioned && u->r->lesson->n_steps > 0 && u->flow.state != FLOW_END)
            ask(u, cmd, ui_tr(UI_MSG_ASK_HEAL));
        else
            heal(u);
        break;
    case UI_CMD_BACK:
    case UI_CMD_FORWARD: {
        struct history *h = u->r->h;
        if (cmd == UI_CMD_BACK && h->pos == 0) {
            toast(u, true, "%s", ui_tr(UI_MSG_BEGINNING));
            break;
        }
        if (cmd == UI_CMD_FORWARD && !history_in_past(h)) {
            toast(u, true, "%s", ui_tr(UI_MSG_LATEST));
            break;
        }
        /* The lesson's step moves with the cluster (flow_seek). */
        flow_seek(&u->flow, cmd == UI_CMD_BACK ? h->pos - 1 : h->pos + 1);
        moved(u);
        break;
    }
    case UI_CMD_NEXT_STEP:
        go_on(u);
        break;
    case UI_CMD_AUTOPLAY:
        u->autoplay = !u->autoplay;
        toast(u, false, ui_tr(u->autoplay ? UI_MSG_AUTOPLAY_ON : UI_MSG_AUTOPLAY_OFF), u->speed_ms);
        break;
    case UI_CMD_FASTER:
    case UI_CMD_SLOWER:
        u->speed_ms = cmd == UI_CMD_FASTER ? u->speed_ms / 2 : u->speed_ms * 2;
        if (u->speed_ms < 25)
            u->speed_ms = 25;
        if (u->speed_ms > 3200)
            u->speed_ms = 3200;
        toast(u, false, ui_tr(UI_MSG_AUTOPLAY_SPEED), u->speed_ms);
        break;
    case UI_CMD_FOCUS_NEXT:
    case UI_CMD_FOCUS_PREV:
        focus_step(u, cmd == UI_CMD_FOCUS_NEXT ? 1 : -1);
        break;
    case UI_CMD_SPACETIME:
        ui_toggle_spacetime(u);
        if (u->spacetime)
            u->focus = UI_SPACETIME;
        break;
    case UI_CMD_UP:
    case UI_CMD_DOWN:
        move_cursor(u, cmd == UI_CMD_UP ? -1 : 1, false);
        break;
    case UI_CMD_PAGE_UP:
    case UI_CMD_PAGE_DOWN:
        move_cursor(u, cmd == UI_CMD_PAGE_UP ? -1 : 1, true);
        break;
    case UI_CMD_SEARCH: {
        char text[128] = "";
        if (prompt(u, "/", text, sizeof text))
            ui_search_start(u, text);
        break;
    }
    case UI_CMD_SEARCH_PREV:
        search(u, 1);
        break;
    case UI_CMD_SOLUTION:
        if (u->flow.state == FLOW_GOAL) {
            flow_give_up(&u->flow);
            moved(u);
        } else {
            toast(u, true, "%s", ui_tr(UI_MSG_NO_GOAL));
        }
        break;
    case UI_CMD_HINT:
        if (flow_show_hint(&u->flow))
            u->dirty = UI_DIRTY_ALL;
        else
            toast(u, true, "%s", ui_tr(UI_MSG_NO_HINT));
        break;
    case UI_CMD_EXPORT:
        export_transcript(u);
        break;
    case UI_CMD_HELP:
        u->help = true;
        u->help_page = 0;
        u->dirty = UI_DIRTY_ALL;
        break;
    case UI_CMD_REDRAW:
        clearok(curscr, TRUE);
        u->dirty = UI_DIRTY_ALL;
        break;
    case UI_CMD_QUIT:
        ask(u, cmd, ui_tr(UI_MSG_QUIT_ASK));
        break;
    default:
        if (cmd >= UI_CMD_FOCUS_1 && cmd < UI_CMD_FOCUS_1 + UI_SPACETIME)
            focus(u, (enum ui_panel)(UI_CLUSTER + (cmd - UI_CMD_FOCUS_1)));
        /* E where the explorer does not run says where it does (the lab's
         * text names the explorer steps before its explore step). */
        else if (cmd == UI_CMD_NONE &&
                 ui_key_lookup((int)key, code, UI_KC_EXPLORE) == UI_CMD_EXPLORE)
            toast(u, true, "%s", ui_tr(UI_MSG_EXPLORE_WHERE));
        break;
    }
    return !u->quit;
}

/* One autoplay tick: the lesson's do steps, otherwise the next event; the
 * lesson's say, quiz and goto wait for the learner. */
static void autoplay_tick(struct ui *u)
{
    switch (u->flow.state) {
    case FLOW_DO:
    case FLOW_SOLUTION:
        go_on(u);
        break;
    case FLOW_GOAL:
    case FLOW_END:
        step_once(u);
        break;
    default:
        u->autoplay = false;
        toast(u, false, "%s", ui_tr(UI_MSG_WAITS));
        break;
    }
}

int ui_lesson_loop(struct ui *u)
{
    if (u->opt.mouse) {
        /* Clicks only: no motion reports, and a short interval so a
         * double click is told from two clicks. */
        mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED, NULL);
        mouseinterval(300);
    }
    ui_relayout(u);
    ui_draw(u);
    ui_progress_open(u);
    ui_draw(u);
    while (!u->quit && !ui_term_interrupted()) {
        timeout(u->autoplay ? u->speed_ms : 250);
        wint_t ch;
        int rc = get_wch(&ch);
        if (rc == ERR) {
            if (u->autoplay)
                autoplay_tick(u);
        } else {
            ui_key(u, ch, rc == KEY_CODE_YES);
        }
        ui_progress_save(u);
        transcript_flow_record(u->tr, &u->flow);
        if (u->dirty || u->help)
            ui_draw(u);
    }
    if (u->opt.mouse)
        mousemask(0, NULL); /* the lesson menu takes no clicks */
    return ui_term_interrupted() ? 130 : 0;
}

int ui_run_lesson(const struct lesson *l, const struct ui_options *opt)
{
    struct ui_options checked = *opt;
    const struct ui_options *o = &checked;
    ui_check_locale(&checked);
    if (ui_want_plain(o))
        return ui_plain_run(l, stdin, stdout, o);
    if (ui_term_start() != 0) {
        fprintf(stderr, "%s\n",
                gettext("tutor: this terminal is unknown to curses: using the plain mode"));
        return ui_plain_run(l, stdin, stdout, o);
    }
    struct runner *r = runner_new(l);
    struct ui *u = ui_new(r, o);
    if (o->prepare) {
        /* tutor replay: the recorded inputs, before the first frame. */
        const char *note = o->prepare(&u->flow, &u->tr, o->prepare_ctx);
        if (note)
            toast(u, false, "%s", note);
    }
    /* Standard error is under the curses screen: the locale's notice is
     * shown on it as well. */
    if (*ui_locale_notice() && !u->toast[0])
        toast(u, true, "%s", ui_locale_notice());
    int rc = ui_lesson_loop(u);
    ui_free(u);
    ui_term_end();
    runner_free(r);
    return rc;
}
