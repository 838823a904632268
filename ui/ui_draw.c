/* ui_draw: the panels' contents — status line, node cards, messages, logs,
 * event feed, lesson text, hint line and the help overlay — drawn into
 * their windows when dirty, then shown at one point (update_panels();
 * doupdate();). Every string is cut to its room in columns first, so wide
 * characters never break a border. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tutor/i18n.h"
#include "tutor/lesson_sandbox.h"
#include "text.h"
#include "tutor/bugs_text.h"
#include "tutor/note_text.h"
#include "tutor/safe_text.h"
#include "ui_internal.h"

/* Every mark comes from the one table of marks, UTF-8 or ASCII. */
#define MARK(u, m) text_mark((m), !(u)->utf8)
#define ARROW(u) MARK(u, TEXT_MARK_ARROW)
#define ELLIPSIS(u) MARK(u, TEXT_MARK_CUT)

/* How the frame being drawn spells text: with --ascii its marks and
 * symbols in ASCII, and in a locale that is not UTF-8 everything. */
static unsigned draw_safe;

/* Writes text at (y, x), at most w columns, in attr; returns the columns
 * used. */
static int put(WINDOW *win, int y, int x, int w, attr_t attr, const char *shown)
{
    if (w <= 0)
        return 0;
    /* Lesson text, commands and notes are made safe to show first. */
    char text[1024];
    text_safe(text, sizeof text, shown, draw_safe);
    int used;
    size_t n = ui_text_fit(text, w, &used);
    if (!n)
        return 0;
    wattrset(win, attr);
    mvwaddnstr(win, y, x, text, (int)n);
    wattrset(win, A_NORMAL);
    return used;
}

static int putf(WINDOW *win, int y, int x, int w, attr_t attr, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static int putf(WINDOW *win, int y, int x, int w, attr_t attr, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return put(win, y, x, w, attr, buf);
}

static void frame(struct ui *u, enum ui_panel p, const char *title, const char *right)
{
    WINDOW *w = u->win[p];
    int h = getmaxy(w), wd = getmaxx(w);
    attr_t a = ui_attr(u, u->focus == p ? UI_R_FOCUS : UI_R_BORDER);
    wattrset(w, a);
    if (u->utf8)
        box(w, 0, 0);
    else
        wborder(w, '|', '|', '-', '-', '+', '+', '+', '+');
    wattrset(w, A_NORMAL);
    (void)h;
    /* The focused panel (where the arrows move) says so in its title by a
     * mark as well as by bold and reverse: seen without colour and in
     * ASCII too. */
    char t[160];
    bool focused = u->focus == p;
    snprintf(t, sizeof t, " %s%s%d %s ", focused ? MARK(u, TEXT_MARK_FOCUS) : "",
             focused ? " " : "", (int)p, title);
    int used = put(w, 0, 2, wd - 4,
                   focused ? ui_attr(u, UI_R_FOCUS) | A_REVERSE : ui_attr(u, UI_R_TITLE), t);
    if (right && *right) {
        char r[160];
        snprintf(r, sizeof r, " %s ", right);
        int rw = ui_text_width(r);
        if (rw < wd - 4 - used - 1)
            put(w, 0, wd - 2 - rw, rw, ui_attr(u, UI_R_TITLE), r);
    }
}

/* Whether the arrows move the node selection (cluster, logs) or the
 * message selection now. */
static bool nodes_focused(const struct ui *u)
{
    return u->focus == UI_CLUSTER || u->focus == UI_LOGS;
}

/* A selected row's mark: ▸ where the arrows move it, ▹ in a panel without
 * the focus (Enter and c still act on it), so two selections never look
 * alike. */
static const char *pick_mark(const struct ui *u, bool focused)
{
    return MARK(u, focused ? TEXT_MARK_PICK : TEXT_MARK_PICK_IDLE);
}

/* Rows of a panel that do not fit, said on its bottom border: "↑ 1 more"
 * at the left, "↓ 2 more" at the right. */
static void more_rows(struct ui *u, WINDOW *w, int above, int below)
{
    int h = getmaxy(w), wd = getmaxx(w);
    char m[64];
    attr_t a = ui_attr(u, UI_R_WARN) | A_BOLD;
    int left = 0;
    if (above > 0) {
        ui_trf(m + 1, sizeof m - 2, UI_MSG_ROWS_MORE, MARK(u, TEXT_MARK_UP), above);
        m[0] = ' ';
        strcat(m, " ");
        left = put(w, h - 1, 2, wd - 4, a, m);
    }
    if (below > 0) {
        ui_trf(m + 1, sizeof m - 2, UI_MSG_ROWS_MORE, MARK(u, TEXT_MARK_DOWN), below);
        m[0] = ' ';
        strcat(m, " ");
        int mw = ui_text_width(m);
        if (2 + left + mw <= wd - 2)
            put(w, h - 1, wd - 2 - mw, mw, a, m);
    }
}

static enum ui_role role_of(const struct view_node *n)
{
    if (!n->up)
        return UI_R_DOWN;
    switch (n->letter) {
    case 'L':
        return UI_R_LEADER;
    case 'C':
    case 'P':
    case 'A':
        return UI_R_CANDIDATE;
    default:
        return UI_R_FOLLOWER;
    }
}

/* The cell's role in color: a changed field stands out. */
static attr_t field_attr(const struct ui *u, bool changed)
{
    return ui_attr(u, changed ? UI_R_CHANGED : UI_R_NORMAL);
}

static void draw_status(struct ui *u)
{
    WINDOW *w = u->win[UI_STATUS];
    int wd = getmaxx(w);
    attr_t base = ui_attr(u, UI_R_STATUS);
    wbkgdset(w, ' ' | base);
    werase(w);
    const struct view *v = &u->view;
    const struct history *h = u->r->h;
    char right[256], hist[64];
    /* The history position (what b and f move through), not the lesson's
     * step, which the lesson panel shows. */
    /* Past the snapshot budget older snapshots thin out (history.h):
     * memory stays bounded and a far jump replays more; say so. */
    ui_trf(hist, sizeof hist, h->thinned ? UI_MSG_HISTORY_THINNED : UI_MSG_HISTORY, h->pos,
           h->n_ops);
    char branches[96] = "";
    if (h->n_branches)
        ui_trnf(branches, sizeof branches, UI_MSG_BRANCHES_KEY, h->n_branches, h->n_branches);
    const char *proto = v->protocol == PROTO_RAFT ? "raft" : v->multi ? "multi-paxos" : "paxos";
    char now[64];
    ui_trf(now, sizeof now, UI_MSG_STATUS_TIME, (long long)v->now);
    snprintf(right, sizeof right, " %s  %s  %s%s%s ", proto, now, hist, *branches ? "  " : "",
             branches);
    const char *inv = v->violated ? v->violation : ui_tr(UI_MSG_SAFE);
    char invs[300];
    struct sbuf broken;
    sbuf_init(&broken);
    bugs_text(u->r->lesson->cfg.bugs, &broken);
    snprintf(invs, sizeof invs, " %s%s%s ", inv, broken.len ? " · " : "", broken.s);
    sbuf_free(&broken);
    int rw = ui_text_width(right), iw = ui_text_width(invs);
    if (iw > wd / 2)
        iw = wd / 2;
    /* Too narrow for all three: the branch count goes first, then the
     * rest is cut, never drawn under the invariant's text. */
    if (rw + iw > wd && *branches) {
        snprintf(right, sizeof right, " %s  %s  %s ", proto, now, hist);
        rw = ui_text_width(right);
    }
    char right_cut[256];
    if (rw + iw > wd) {
        rw = ui_text_truncate(right, wd - iw > 0 ? wd - iw : 0, ELLIPSIS(u), right_cut,
                              sizeof right_cut);
        snprintf(right, sizeof right, "%s", right_cut);
    }
    int title_w = wd - rw - iw;
    char title[300];
    char shown[160];
    snprintf(title, sizeof title, " %s",
             u->status_note[0]
                 ? u->status_note
                 : lesson_shown_title(u->r->lesson->id, u->r->lesson->title, shown, sizeof shown));
    char cut[300];
    ui_text_truncate(title, title_w, ELLIPSIS(u), cut, sizeof cut);
    put(w, 0, 0, title_w, u->status_note[0] ? ui_attr(u, UI_R_BAD) : base | A_BOLD, cut);
    put(w, 0, title_w > 0 ? title_w : 0, rw, base, right);
    attr_t ia = v->violated ? ui_attr(u, UI_R_BAD) : base;
    ui_text_truncate(invs, iw, ELLIPSIS(u), cut, sizeof cut);
    put(w, 0, wd - iw, iw, ia, cut);
    wbkgdset(w, ' ');
}

static void timer_bar(struct ui *u, WINDOW *w, int y, int x, int width, const struct view_node *n)
{
    const struct view *v = &u->view;
    if (width < 4)
        return;
    if (n->timer < 0) {
        put(w, y, x, width, ui_attr(u, UI_R_DIM), ui_tr(UI_MSG_C_NO_TIMER));
        return;
    }
    int64_t left = n->timer - v->now;
    if (left < 0)
        left = 0;
    char num[24];
    snprintf(num, sizeof num, " %lldms", (long long)left);
    int nw = (int)strlen(num);
    int bar = width - nw;
    if (bar > 20)
        bar = 20;
    if (bar < 3) {
        put(w, y, x, width, ui_attr(u, UI_R_NORMAL), num + 1);
        return;
    }
    int fill = (int)((left * bar + v->timer_span - 1) / v->timer_span);
    if (fill > bar)
        fill = bar;
    attr_t a = ui_attr(u, left <= v->timer_span / 10 ? UI_R_WARN : UI_R_OK);
    for (int i = 0; i < bar; i++) {
        const char *c = i < fill ? MARK(u, TEXT_MARK_BAR) : MARK(u, TEXT_MARK_BAR_EMPTY);
        put(w, y, x + i, 1, i < fill ? a : ui_attr(u, UI_R_DIM), c);
    }
    put(w, y, x + bar, nw, ui_attr(u, UI_R_NORMAL), num);
}

static void draw_card(struct ui *u, WINDOW *w, int y, int rows, int wd, int i, int namew)
{
    const struct view *v = &u->view;
    const struct view_node *n = &v->nodes[i];
    const struct view_node *o = u->prev_pos != u->view_pos ? &u->prev.nodes[i] : n;
    bool raft = v->protocol == PROTO_RAFT;
    bool sel = i == u->node_cur, hot = sel && nodes_focused(u);
    int x = 1, end = wd - 1;
    enum ui_role role = role_of(n);
    x += put(w, y, x, end - x, hot ? ui_attr(u, UI_R_CURSOR) : A_NORMAL,
             sel ? pick_mark(u, hot) : " ");
    char name[16];
    snprintf(name, sizeof name, "%-*s", namew, n->name);
    x += put(w, y, x, end - x, ui_attr(u, UI_R_TITLE) | (hot ? A_REVERSE : 0), name);
    x += put(w, y, x, end - x, A_NORMAL, " ");
    x += put(w, y, x, end - x, ui_attr(u, role) | A_BOLD | (!u->colors ? A_REVERSE : 0),
             ui_tr_role_letter(n->letter));
    bool role_changed = strcmp(n->role, o->role) != 0 || n->up != o->up;
    if (end - x > 40) {
        /* Padded to 9 columns by display width: 跟随者 is 9 bytes, 6 columns. */
        char rs[64];
        const char *word = ui_tr_role(n->up ? n->role : "down");
        int pad = 9 - ui_text_width(word);
        snprintf(rs, sizeof rs, " %s%*s", word, pad > 0 ? pad : 0, "");
        x += put(w, y, x, end - x, role_changed ? field_attr(u, true) : ui_attr(u, role), rs);
    } else if (!n->up) {
        char rs[64];
        snprintf(rs, sizeof rs, " %s", ui_tr_role("down"));
        x += put(w, y, x, end - x, ui_attr(u, UI_R_DOWN), rs);
    }
    if (raft) {
        x += put(w, y, x, end - x, A_NORMAL, ui_tr(UI_MSG_C_TERM));
        x += putf(w, y, x, end - x, field_attr(u, n->term != o->term), "%-3s", n->term_s);
        x += put(w, y, x, end - x, A_NORMAL, ui_tr(UI_MSG_C_VOTE));
        x += putf(w, y, x, end - x, field_attr(u, strcmp(n->vote_s, o->vote_s) != 0), "%-3s",
                  n->vote_s);
        x += put(w, y, x, end - x, A_NORMAL, ui_tr(UI_MSG_C_CI));
        x += putf(w, y, x, end - x, field_attr(u, n->commit != o->commit), "%-3lld",
                  (long long)n->commit);
    } else {
        x += put(w, y, x, end - x, A_NORMAL, ui_tr(UI_MSG_C_PROM));
        x += putf(w, y, x, end - x, field_attr(u, strcmp(n->term_s, o->term_s) != 0), "%-5s",
                  n->term_s);
        x += put(w, y, x, end - x, A_NORMAL, ui_tr(UI_MSG_C_PROP));
        x += putf(w, y, x, end - x, field_attr(u, strcmp(n->vote_s, o->vote_s) != 0), "%-5s",
                  n->vote_s);
        x += put(w, y, x, end - x, A_NORMAL, ui_tr(UI_MSG_C_LRN));
        x += putf(w, y, x, end - x, field_attr(u, n->commit != o->commit), "%-2lld",
                  (long long)n->commit);
    }
    if (v->grouped)
        x += putf(w, y, x, end - x, ui_attr(u, UI_R_WARN), " g%d", n->group + 1);
    x += put(w, y, x, end - x, A_NORMAL, " ");
    timer_bar(u, w, y, x, end - x, n);
    if (rows < 2)
        return;
    /* Second row: what the role is doing. */
    x = 3 + namew;
    if (!n->up) {
        put(w, y + 1, x, end - x, ui_attr(u, UI_R_DOWN), ui_tr(UI_MSG_C_CRASHED));
    } else if (raft && n->has_repl) {
        char buf[256];
        size_t len = 0;
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s", ui_tr(UI_MSG_C_NEXT_MATCH));
        for (int k = 0; k < v->n_nodes && len < sizeof buf - 20; k++)
            if (k != i)
                len +=
                    (size_t)snprintf(buf + len, sizeof buf - len, " %s:%lld/%lld", v->nodes[k].name,
                                     (long long)n->next_index[k], (long long)n->match_index[k]);
        put(w, y + 1, x, end - x, ui_attr(u, UI_R_DIM), buf);
    } else if (raft) {
        if (n->letter == 'C')
            putf(w, y + 1, x, end - x, ui_attr(u, UI_R_DIM), ui_tr(UI_MSG_C_VOTES), n->n_votes,
                 v->n_nodes);
        else
            putf(w, y + 1, x, end - x, ui_attr(u, UI_R_DIM), ui_tr(UI_MSG_C_LEADER),
                 n->leader_hint >= 0 ? v->nodes[n->leader_hint].name : ui_tr(UI_MSG_C_UNKNOWN));
    } else {
        putf(w, y + 1, x, end - x, ui_attr(u, UI_R_DIM), ui_tr(UI_MSG_C_PHASE), ui_tr_role(n->role),
             (long long)n->applied);
    }
    if (rows < 3)
        return;
    if (raft) {
        /* The log (with its snapshot, §7), the configuration in use and
         * whether it votes (membership), the key-value store it applied
         * (§8) when its commands set keys. */
        char buf[320];
        if (n->snapshot_index > 0)
            ui_trf(buf, sizeof buf, UI_MSG_C_LOG_SNAP, n->n_cells, (long long)n->applied,
                   u->utf8 ? "\xe2\x89\xa4" : "<=", (long long)n->snapshot_index);
        else
            ui_trf(buf, sizeof buf, UI_MSG_C_LOG, n->n_cells, (long long)n->applied);
        size_t len = strlen(buf);
        if (v->membership) {
            char now[64], old[64];
            view_nodeset(v, n->config, now, sizeof now);
            view_nodeset(v, n->config_old, old, sizeof old);
            if (n->config_old)
                ui_trf(buf + len, sizeof buf - len, UI_MSG_C_CONFIG_JOINT, old, now);
            else
                ui_trf(buf + len, sizeof buf - len, UI_MSG_C_CONFIG, now);
            len = strlen(buf);
            snprintf(buf + len, sizeof buf - len, "%s",
                     ui_tr(n->voting ? UI_MSG_C_VOTING : UI_MSG_C_SPARE));
            len = strlen(buf);
            if (n->catching_up >= 0)
                ui_trf(buf + len, sizeof buf - len, UI_MSG_C_CATCHING_UP,
                       v->nodes[n->catching_up].name);
            len = strlen(buf);
        }
        if (n->up && n->kv[0])
            ui_trf(buf + len, sizeof buf - len, UI_MSG_C_KV, n->kv);
        put(w, y + 2, x, end - x, ui_attr(u, UI_R_DIM), buf);
    } else
        putf(w, y + 2, x, end - x, ui_attr(u, UI_R_DIM),
             ui_tr(n->n_cells == 1 ? UI_MSG_C_SLOT : UI_MSG_C_SLOTS), n->n_cells);
}

static int name_width(const struct view *v)
{
    int w = 2;
    for (int i = 0; i < v->n_nodes; i++) {
        int k = ui_text_width(v->nodes[i].name);
        if (k > w)
            w = k;
    }
    return w;
}

static void draw_cluster(struct ui *u)
{
    WINDOW *w = u->win[UI_CLUSTER];
    werase(w);
    const struct view *v = &u->view;
    char right[64] = "";
    if (v->protocol == PROTO_RAFT)
        ui_trf(right, sizeof right, UI_MSG_P_LEADER,
               v->leader >= 0 ? v->nodes[v->leader].name : ui_tr(UI_MSG_P_NONE));
    frame(u, UI_CLUSTER, ui_tr(UI_MSG_P_CLUSTER), right);
    int h = getmaxy(w) - 2, wd = getmaxx(w);
    int cr = u->lay.card_rows;
    int fit = h / cr;
    if (fit < 1)
        return;
    int top = ui_layout_rows_top(v->n_nodes, fit, u->node_cur, v->leader);
    u->cluster_top = top;
    int namew = name_width(v);
    for (int i = top; i < v->n_nodes && i - top < fit; i++)
        draw_card(u, w, 1 + (i - top) * cr, cr, wd, i, namew);
    more_rows(u, w, top, v->n_nodes - top - fit);
}

static const char *short_type(const char *t)
{
    static const char *const pairs[][2] = {
        {"RequestVote", "RV"},     {"RequestVoteReply", "RVR"},
        {"AppendEntries", "AE"},   {"AppendEntriesReply", "AER"},
        {"Prepare", "Prep"},       {"Promise", "Prom"},
        {"Accept", "Acc"},         {"Accepted", "Accd"},
        {"Nack", "Nack"},          {"Chosen", "Chsn"},
        {"InstallSnapshot", "IS"}, {"InstallSnapshotReply", "ISR"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (!strcmp(t, pairs[i][0]))
            return pairs[i][1];
    return t;
}

/* The messages lost or dropped by the last step (feed entries stamped
 * with the current position), newest last: the messages panel lists them
 * under the pending ones for that one step. Returns how many; at most max
 * indexes into the feed go to out. */
static size_t lost_this_step(const struct ui *u, size_t *out, size_t max)
{
    const struct feed *f = &u->r->h->feed;
    uint64_t pos = u->r->h->pos;
    if (!pos)
        return 0;
    size_t last = feed_upto(f, pos);
    size_t first = feed_upto(f, pos - 1);
    size_t n = 0;
    struct feed_line e;
    for (size_t k = first; k < last; k++) {
        feed_get(f, k, &e);
        if (e.kind == FEED_LOST) {
            if (n < max)
                out[n] = k;
            n++;
        }
    }
    return n;
}

/* One lost message's row: "✗ #3   S1→S4 RequestVote  lost: S1 cannot reach S4". */
static void draw_lost_row(struct ui *u, WINDOW *w, int y, int wd, size_t k)
{
    const struct view *v = &u->view;
    const struct feed *f = &u->r->h->feed;
    struct feed_line e;
    feed_get(f, k, &e);
    char type[24];
    int from, to;
    enum ui_st_fate fate = ui_st_lost_fate(&e);
    struct sbuf text;
    sbuf_init(&text);
    feed_line_text(f, &e, &text);
    /* The reason, from the note (never from its words): its own phrase
     * with the line's arguments, in the interface language. */
    int why_id = e.note.id == NOTE_SIM_LOST_UNREACHABLE  ? NOTE_LOST_WHY_UNREACHABLE
                 : e.note.id == NOTE_SIM_LOST_DOWN       ? NOTE_LOST_WHY_DOWN
                 : e.note.id == NOTE_SIM_LOST_CUT        ? NOTE_LOST_WHY_CUT
                 : e.note.id == NOTE_SIM_LOST_BY_NETWORK ? NOTE_LOST_WHY_NETWORK
                                                         : NOTE_NONE;
    struct sbuf why;
    sbuf_init(&why);
    if (why_id != NOTE_NONE && wd >= 56) {
        struct proto_note wn = e.note;
        wn.id = (uint16_t)why_id;
        note_render(&wn, f->names, f->n_names, &why);
    }
    char line[400];
    if (ui_st_line_msg(&e, v, type, sizeof type, &from, &to))
        snprintf(line, sizeof line, "%s#%-3llu %s%s%s %s  %s%s", MARK(u, TEXT_MARK_LOST),
                 (unsigned long long)e.msg_id, v->nodes[from].name, ARROW(u), v->nodes[to].name,
                 wd >= 56 ? type : short_type(type),
                 ui_tr(fate == UI_ST_DROPPED ? UI_MSG_DROPPED_WORD : UI_MSG_LOST_WORD), why.s);
    else
        snprintf(line, sizeof line, "%s%s", MARK(u, TEXT_MARK_LOST), text.s);
    sbuf_free(&why);
    sbuf_free(&text);
    char cut[400];
    ui_text_truncate(line, wd - 2, ELLIPSIS(u), cut, sizeof cut);
    put(w, y, 1, wd - 2, ui_attr(u, UI_R_DIM) | (u->colors ? 0 : A_DIM), cut);
}

static void draw_messages(struct ui *u)
{
    WINDOW *w = u->win[UI_MESSAGES];
    werase(w);
    const struct view *v = &u->view;
    size_t lost[64];
    size_t n_lost = lost_this_step(u, lost, 64);
    if (n_lost > 64)
        n_lost = 64;
    int h = getmaxy(w) - 2, wd = getmaxx(w);
    char right[64];
    ui_trf(right, sizeof right, UI_MSG_P_PENDING, v->n_msgs);
    /* "· 1 lost" when the title has room for it. */
    if (n_lost && wd >= 44)
        ui_trf(right, sizeof right, UI_MSG_P_PENDING_LOST, v->n_msgs, n_lost);
    frame(u, UI_MESSAGES, ui_tr(UI_MSG_P_MESSAGES), right);
    if (h < 1)
        return;
    if (!v->n_msgs) {
        put(w, 1, 2, wd - 3, ui_attr(u, UI_R_DIM), ui_tr(UI_MSG_NO_MESSAGE));
        for (size_t i = 0; i < n_lost && (int)i + 1 < h; i++)
            draw_lost_row(u, w, 2 + (int)i, wd, lost[i]);
        return;
    }
    long cur = view_find_msg(v, u->msg_cur);
    if (cur < 0)
        cur = 0;
    if ((size_t)cur < u->msg_top)
        u->msg_top = (size_t)cur;
    if ((size_t)cur >= u->msg_top + (size_t)h)
        u->msg_top = (size_t)cur - (size_t)h + 1;
    if (u->msg_top + (size_t)h > v->n_msgs)
        u->msg_top = v->n_msgs > (size_t)h ? v->n_msgs - (size_t)h : 0;
    bool wide = wd >= 56;
    for (int row = 0; row < h && u->msg_top + (size_t)row < v->n_msgs; row++) {
        size_t k = u->msg_top + (size_t)row;
        const struct view_msg *m = &v->msgs[k];
        bool sel = (long)k == cur, hot = sel && u->focus == UI_MESSAGES;
        attr_t base = hot            ? ui_attr(u, UI_R_CURSOR)
                      : m->link_open ? A_NORMAL
                                     : ui_attr(u, UI_R_DIM);
        char due[32];
        snprintf(due, sizeof due, " @%lld", (long long)m->due);
        int dw = (int)strlen(due);
        char line[400];
        snprintf(line, sizeof line, "%s#%-3llu %s%s%s %s%s%s %s", sel ? pick_mark(u, hot) : " ",
                 (unsigned long long)m->id, v->nodes[m->from].name, ARROW(u), v->nodes[m->to].name,
                 wide ? m->type : short_type(m->type), m->duplicate ? "(dup)" : "",
                 m->link_open ? "" : (u->utf8 ? " \xe2\x9c\x97" : " X"), m->detail);
        int room = wd - 2 - dw;
        char cut[400];
        ui_text_truncate(line, room, ELLIPSIS(u), cut, sizeof cut);
        if (hot) {
            wattrset(w, base);
            mvwhline(w, 1 + row, 1, ' ', wd - 2);
        }
        put(w, 1 + row, 1, room, base, cut);
        put(w, 1 + row, wd - 1 - dw, dw, hot ? base : ui_attr(u, UI_R_DIM), due);
    }
    size_t shown = v->n_msgs - u->msg_top < (size_t)h ? v->n_msgs - u->msg_top : (size_t)h;
    more_rows(u, w, (int)u->msg_top, (int)(v->n_msgs - u->msg_top - shown));
    /* The last step's losses under the pending messages, while they fit. */
    int y = 1 + (int)(v->n_msgs - u->msg_top);
    for (size_t i = 0; i < n_lost && y <= h; i++, y++)
        draw_lost_row(u, w, y, wd, lost[i]);
}

/* One log cell's text: Raft "term:cmd"; Paxos the value the node learned
 * when it knows one (drawn with the learned mark), else the value it
 * accepted "value@ballot" (an acceptance is no decision: Paxos made
 * simple §2.3, a value is chosen by a majority of acceptors, and an
 * acceptor may accept another value at a higher ballot than the one it
 * learned), else the chosen value in parentheses. */
static void cell_text(const struct view *v, const struct view_cell *c, char *out, size_t n)
{
    if (v->protocol == PROTO_RAFT)
        view_raft_cell(v, c, out, n);
    else if (c->learned)
        snprintf(out, n, "%s", c->learned);
    else if (c->text)
        snprintf(out, n, "%s@%s", c->text, c->ballot);
    else if (c->chosen)
        snprintf(out, n, "(%s)", c->chosen);
    else
        snprintf(out, n, "-");
}

/* §7: the entries a snapshot covers are drawn as one mark, "snapshot ≤12
 * (t3)", over their visible cells on the first row they take. */
static void draw_snapshot_mark(struct ui *u, WINDOW *w, const struct view_node *n, size_t first,
                               size_t visible, int per_row, int cw, int y, int x0)
{
    if (n->snapshot_index < (int64_t)first)
        return;
    size_t last = (size_t)n->snapshot_index < first + visible - 1 ? (size_t)n->snapshot_index
                                                                  : first + visible - 1;
    int cells = (int)(last - first + 1);
    if (cells > per_row)
        cells = per_row;
    char t[96], cut[96];
    const char *le = u->utf8 ? "\xe2\x89\xa4" : "<=";
    ui_trf(t, sizeof t, UI_MSG_L_SNAPSHOT, le, (long long)n->snapshot_index,
           (long long)n->snapshot_term);
    if (ui_text_width(t) > cells * cw - 1) /* the short form, as the cards' "t3" */
        snprintf(t, sizeof t, "%s%lld t%lld", le, (long long)n->snapshot_index,
                 (long long)n->snapshot_term);
    ui_text_truncate(t, cells * cw - 1, ELLIPSIS(u), cut, sizeof cut);
    put(w, y, x0 + 1, cells * cw - 1, ui_attr(u, UI_R_DIM) | A_REVERSE, cut);
}

static void draw_logs(struct ui *u)
{
    WINDOW *w = u->win[UI_LOGS];
    if (!w)
        return; /* the space-time view took the logs' place */
    werase(w);
    const struct view *v = &u->view;
    bool raft = v->protocol == PROTO_RAFT;
    char legend[160];
    snprintf(legend, sizeof legend, "%s %s", u->utf8 ? "\xe2\x9c\x93" : "*", /* TEXT_MARK_APPLIED */
             ui_tr(raft ? UI_MSG_L_RAFT : UI_MSG_L_PAXOS));
    frame(u, UI_LOGS, ui_tr(raft ? UI_MSG_P_LOGS : UI_MSG_P_SLOTS), legend);
    int h = getmaxy(w) - 2, wd = getmaxx(w);
    if (h < 2)
        return;
    int namew = name_width(v);
    int x0 = 1 + namew + 1;
    int room = wd - 1 - x0;
    size_t maxlen = 0;
    int cw = 4;
    for (int i = 0; i < v->n_nodes; i++) {
        const struct view_node *n = &v->nodes[i];
        if (n->n_cells > maxlen)
            maxlen = n->n_cells;
        /* Only the tail is shown: size cells by the last ones. */
        size_t from = n->n_cells > 64 ? n->n_cells - 64 : 0;
        for (size_t k = from; k < n->n_cells; k++) {
            if (n->cells[k].compacted)
                continue;
            char t[64];
            cell_text(v, &n->cells[k], t, sizeof t);
            int tw = ui_text_width(t) + 2;
            if (tw > cw)
                cw = tw;
        }
    }
    if (cw > 12)
        cw = 12;
    int per_row = room / cw;
    if (per_row < 1)
        return;
    int rows_per_node = (h - 1) / (v->n_nodes ? v->n_nodes : 1);
    if (rows_per_node < 1)
        rows_per_node = 1;
    if (rows_per_node > 4)
        rows_per_node = 4;
    size_t visible = (size_t)per_row * (size_t)rows_per_node;
    /* The same first index for every node keeps the columns aligned. */
    size_t first = 1;
    if (maxlen > visible)
        first = maxlen - visible + 1;
    if ((size_t)u->log_scroll >= first)
        u->log_scroll = (int)(first - 1);
    first -= (size_t)u->log_scroll;
    for (int c = 0; c < per_row; c++) {
        size_t idx = first + (size_t)c;
        if (idx > maxlen)
            break;
        putf(w, 1, x0 + c * cw + 1, cw - 1, ui_attr(u, UI_R_DIM), "%zu", idx);
    }
    int fit_nodes = (h - 1) / rows_per_node;
    int top = ui_layout_rows_top(v->n_nodes, fit_nodes, u->node_cur, v->leader);
    more_rows(u, w, top, v->n_nodes - top - fit_nodes);
    for (int i = top; i < v->n_nodes && i - top < fit_nodes; i++) {
        const struct view_node *n = &v->nodes[i];
        int y = 2 + (i - top) * rows_per_node;
        /* The selected node: reverse where the arrows move it, else underlined. */
        attr_t sel = i != u->node_cur ? 0 : nodes_focused(u) ? A_REVERSE : A_UNDERLINE;
        put(w, y, 1, namew, ui_attr(u, role_of(n)) | sel, n->name);
        if (!n->n_cells) {
            put(w, y, x0, room, ui_attr(u, UI_R_DIM),
                ui_tr(raft ? UI_MSG_C_EMPTY_LOG : UI_MSG_C_NO_SLOT));
            continue;
        }
        draw_snapshot_mark(u, w, n, first, visible, per_row, cw, y, x0);
        for (size_t k = first; k <= n->n_cells && k < first + visible; k++) {
            const struct view_cell *c = &n->cells[k - 1];
            int slot = (int)(k - first);
            int cy = y + slot / per_row, cx = x0 + (slot % per_row) * cw;
            if (c->compacted)
                continue;
            const char *mark = c->applied     ? MARK(u, TEXT_MARK_APPLIED)
                               : c->committed ? "+"
                                              : MARK(u, TEXT_MARK_PENDING);
            if (!raft && !c->text && !c->chosen && !c->learned)
                mark = " ";
            put(w, cy, cx, 1, c->committed ? ui_attr(u, UI_R_OK) : ui_attr(u, UI_R_DIM), mark);
            char t[64], cut[64];
            cell_text(v, c, t, sizeof t);
            ui_text_truncate(t, cw - 2, ELLIPSIS(u), cut, sizeof cut);
            attr_t a = c->term > 0 && !c->learned ? ui_attr(u, UI_R_TERM0 + (int)(c->term % 6))
                       : c->learned               ? ui_attr(u, UI_R_OK)
                                                  : A_NORMAL;
            if (c->config)
                a |= A_UNDERLINE; /* a configuration entry stands out (§4.1) */
            if (c->committed)
                a |= A_BOLD;
            else if (!u->colors)
                a |= A_DIM;
            put(w, cy, cx + 1, cw - 2, a, cut);
        }
    }
}

static enum ui_role feed_role(const struct feed_line *e)
{
    switch (e->kind) {
    case FEED_ACTION:
        return UI_R_TITLE;
    case FEED_SEND:
        return UI_R_DIM;
    case FEED_LOST:
        return UI_R_WARN;
    case FEED_APPLY:
        return UI_R_OK;
    case FEED_VIOLATION:
        return UI_R_BAD;
    case FEED_INFO:
        return note_is_warning(e->note.id) ? UI_R_WARN : UI_R_DIM; /* a flow warning */
    default:
        return UI_R_NORMAL;
    }
}

/* The indent of a feed entry's continuation lines. */
#define FEED_HANG 2

static void feed_line(const struct ui *u, const struct feed_line *e, char *out, size_t n)
{
    const struct view *v = &u->view;
    struct sbuf text;
    sbuf_init(&text);
    feed_line_text(&u->r->h->feed, e, &text);
    snprintf(out, n, "%5lld %s%s%s", (long long)e->time,
             e->node >= 0 && e->node < v->n_nodes ? v->nodes[e->node].name : "",
             e->node >= 0 ? ui_pgettext("feed", ": ") : "", text.s); /* Chinese: "S1：" */
    sbuf_free(&text);
}

static void draw_feed(struct ui *u)
{
    WINDOW *w = u->win[UI_FEED];
    werase(w);
    const struct feed *f = &u->r->h->feed;
    size_t pos = u->r->h->pos;
    size_t last = feed_upto(f, pos); /* entries [0, last) are shown: those at or before pos */
    char right[160] = "";
    if (u->search[0])
        snprintf(right, sizeof right, "/%s", u->search);
    frame(u, UI_FEED, ui_tr(UI_MSG_P_FEED), right);
    int h = getmaxy(w) - 2, wd = getmaxx(w) - 2;
    if (h < 1 || wd < 4)
        return;
    /* Fill from the bottom up, wrapping each entry; skip feed_back lines. */
    size_t skip = u->feed_back;
    int y = h;
    enum { MAXL = 64 };
    struct ui_text_line lines[MAXL];
    for (size_t k = last; k-- > 0 && y > 0;) {
        char text[1200];
        struct feed_line e;
        feed_get(f, k, &e);
        feed_line(u, &e, text, sizeof text);
        /* Continuation lines are drawn 2 columns in: wrap them 2 narrower. */
        size_t nl = ui_text_wrap_hang(text, wd, FEED_HANG, lines, MAXL);
        if (nl > MAXL)
            nl = MAXL;
        attr_t a = ui_attr(u, feed_role(&e));
        if ((long)k == u->search_hit)
            a = ui_attr(u, UI_R_CURSOR);
        for (size_t li = nl; li-- > 0 && y > 0;) {
            if (skip) {
                skip--;
                continue;
            }
            char seg[1200];
            size_t len = lines[li].len < sizeof seg - 1 ? lines[li].len : sizeof seg - 1;
            memcpy(seg, text + lines[li].start, len);
            seg[len] = 0;
            put(w, y, 1 + (li ? FEED_HANG : 0), wd - (li ? FEED_HANG : 0), a, seg);
            y--;
        }
    }
    if (u->feed_back > 0 && skip > 0)
        u->feed_back -= skip; /* scrolled past the top: stop there */
}

static attr_t st_attr(const struct ui *u, unsigned char role)
{
    switch (role) {
    case UI_ST_R_NAME:
    case UI_ST_R_LABEL:
        return ui_attr(u, UI_R_TITLE);
    case UI_ST_R_TIME:
    case UI_ST_R_FLIGHT:
        return ui_attr(u, UI_R_DIM);
    case UI_ST_R_LIFE:
        return ui_attr(u, UI_R_BORDER);
    case UI_ST_R_DOWN:
        return ui_attr(u, UI_R_DOWN);
    case UI_ST_R_NEW:
        return ui_attr(u, UI_R_CHANGED);
    case UI_ST_R_LOST:
    case UI_ST_R_CRASH:
        return ui_attr(u, UI_R_BAD);
    case UI_ST_R_TIMER:
        return ui_attr(u, UI_R_WARN);
    case UI_ST_R_RESTART:
        return ui_attr(u, UI_R_OK) | A_BOLD;
    default:
        return A_NORMAL;
    }
}

/* The space-time view (v): the model's grid, cell by cell. */
static void draw_spacetime(struct ui *u)
{
    WINDOW *w = u->win[UI_SPACETIME];
    if (!w)
        return;
    werase(w);
    int h = getmaxy(w) - 2, wd = getmaxx(w) - 2;
    ui_st_build(&u->r->h->feed, u->r->h->pos, &u->view, u->st_skip, h, wd, u->utf8, &u->st);
    /* "↑14 older  ↓1 newer  2 lost", or "↑14 ↓1 ✗2" when that is too long. */
    char right[96] = "", shorter[64] = "";
    size_t len = 0, slen = 0;
    const char *up = MARK(u, TEXT_MARK_UP), *down = MARK(u, TEXT_MARK_DOWN);
    if (u->st.n_older) {
        const char *plus = u->st.n_older >= UI_ST_OLDER_MAX ? "+" : "";
        len += (size_t)ui_trf(right + len, sizeof right - len, UI_MSG_ST_OLDER, up, u->st.n_older,
                              plus);
        slen += (size_t)snprintf(shorter + slen, sizeof shorter - slen, "%s%zu%s", up,
                                 u->st.n_older, plus);
    }
    if (len >= sizeof right)
        len = sizeof right - 1; /* a long translation: cut, never past the buffer */
    if (u->st_skip) {
        if (len)
            len += (size_t)snprintf(right + len, sizeof right - len, "  ");
        len += (size_t)ui_trf(right + len, sizeof right - len, UI_MSG_ST_NEWER, down, u->st_skip);
        slen += (size_t)snprintf(shorter + slen, sizeof shorter - slen, "%s%s%zu", slen ? " " : "",
                                 down, u->st_skip);
    }
    if (len >= sizeof right)
        len = sizeof right - 1;
    if (u->st.n_lost) {
        if (len)
            len += (size_t)snprintf(right + len, sizeof right - len, "  ");
        ui_trf(right + len, sizeof right - len, UI_MSG_ST_LOST, u->st.n_lost);
        snprintf(shorter + slen, sizeof shorter - slen, "%s%s%zu", slen ? " " : "",
                 MARK(u, TEXT_MARK_LOST), u->st.n_lost);
    }
    if (ui_text_width(right) + 21 > wd)
        memcpy(right, shorter, sizeof shorter);
    frame(u, UI_SPACETIME, ui_tr(UI_MSG_P_SPACETIME), right);
    if (h < 1 || wd < 1)
        return;
    for (int y = 0; y < u->st.rows; y++)
        for (int x = 0; x < u->st.cols; x++) {
            const struct ui_st_cell *c = &u->st.cells[(size_t)y * (size_t)u->st.cols + (size_t)x];
            /* An empty cell is the second half of a double-width one. */
            if (c->role != UI_ST_R_BLANK && c->ch[0])
                put(w, 1 + y, 1 + x, ui_text_width(c->ch) > 1 ? 2 : 1, st_attr(u, c->role), c->ch);
        }
    if (!u->st.n_events && h > 1)
        put(w, 2, 2, wd - 1, ui_attr(u, UI_R_DIM),
            ui_tr(u->st_skip ? UI_MSG_ST_NOTHING_OLDER : UI_MSG_ST_NO_MESSAGE));
}

static unsigned long text_sig(const char *s)
{
    unsigned long h = 5381;
    for (; *s; s++)
        h = h * 33 + (unsigned char)*s;
    return h;
}

/* The lesson panel's text at its width: the rows it needs. */
static int lesson_text_rows(const struct ui *u, int cols)
{
    struct sbuf text;
    sbuf_init(&text);
    flow_describe(&u->flow, &text);
    int n = (int)ui_text_wrap_items(text.s, cols - 4, NULL, 0);
    sbuf_free(&text);
    return n;
}

static bool starts_with(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

static void draw_lesson(struct ui *u)
{
    WINDOW *w = u->win[UI_LESSON];
    werase(w);
    char prog[64], right[160];
    flow_progress(&u->flow, prog, sizeof prog);
    char score[64];
    if (flow_score_text(&u->flow, score, sizeof score)) {
        snprintf(right, sizeof right, "%s \xc2\xb7 %s", prog, score);
    } else {
        snprintf(right, sizeof right, "%s", prog);
    }
    const char *title = u->flow.title ? u->flow.title : ui_tr(UI_MSG_LESSON_TITLE);
    frame(u, UI_LESSON, title, right);
    int h = getmaxy(w) - 2, wd = getmaxx(w) - 4;
    if (h < 1 || wd < 4)
        return;
    struct sbuf text;
    sbuf_init(&text);
    flow_describe(&u->flow, &text);
    unsigned long sig = text_sig(text.s);
    if (sig != u->lesson_sig) {
        /* A new item starts at its top. */
        u->lesson_sig = sig;
        u->lesson_scroll = 0;
    }
    /* A quiz's choices wrap under their text (ui_text_wrap_items). */
    size_t nl = ui_text_wrap_items(text.s, wd, NULL, 0);
    struct ui_text_line *lines = calloc(nl ? nl : 1, sizeof *lines);
    if (!lines)
        abort();
    ui_text_wrap_items(text.s, wd, lines, nl);
    int max_scroll = (int)nl > h ? (int)nl - h : 0;
    if (u->lesson_scroll > max_scroll)
        u->lesson_scroll = max_scroll;
    if (u->lesson_scroll < 0)
        u->lesson_scroll = 0;
    u->lesson_rows = h;
    attr_t a = A_NORMAL;
    if (u->flow.state == FLOW_DO || u->flow.state == FLOW_GOTO)
        a = ui_attr(u, UI_R_DIM);
    for (int row = 0; row < h && (size_t)(row + u->lesson_scroll) < nl; row++) {
        const struct ui_text_line *ln = &lines[row + u->lesson_scroll];
        char seg[2048];
        size_t len = ln->len < sizeof seg - 1 ? ln->len : sizeof seg - 1;
        memcpy(seg, text.s + ln->start, len);
        seg[len] = 0;
        attr_t la = a;
        if (starts_with(seg, ui_tr(UI_MSG_RIGHT)) || starts_with(seg, ui_tr(UI_MSG_RIGHT_RETRY)))
            la = ui_attr(u, UI_R_OK) | A_BOLD;
        else if (starts_with(seg, ui_tr(UI_MSG_WRONG)))
            la = ui_attr(u, UI_R_WARN) | A_BOLD;
        else if (starts_with(seg, ui_tr(UI_MSG_HINT)))
            la = ui_attr(u, UI_R_TITLE);
        put(w, 1 + row, 2 + ln->indent, wd - ln->indent, la, seg);
    }
    /* Scroll markers on the bottom border: the learner knows more is
     * there and which keys show it. */
    int bw = getmaxx(w);
    if (u->lesson_scroll > 0) {
        char m[64];
        snprintf(m, sizeof m, " %s PgUp ", u->utf8 ? ui_tr(UI_MSG_MORE_UP) : "^ more");
        put(w, h + 1, 2, bw - 4, ui_attr(u, UI_R_WARN) | A_BOLD, m);
    }
    if (u->lesson_scroll < max_scroll) {
        char m[64];
        snprintf(m, sizeof m, " %s PgDn ", u->utf8 ? ui_tr(UI_MSG_MORE_DOWN) : "more v");
        int mw = ui_text_width(m);
        put(w, h + 1, bw - 2 - mw, mw, ui_attr(u, UI_R_WARN) | A_BOLD, m);
    }
    free(lines);
    sbuf_free(&text);
}

/* The hint line: a question or the resume box's title first when one is
 * up, then the keys in force now, generated from the key table of the
 * current state, so it never names a key that does something else. */
static void draw_hint(struct ui *u)
{
    WINDOW *w = u->win[UI_HINT];
    werase(w);
    int wd = getmaxx(w);
    if (u->toast[0] && u->confirm == UI_CMD_NONE) {
        char cut[512];
        ui_text_truncate(u->toast, wd - 1, ELLIPSIS(u), cut, sizeof cut);
        put(w, 0, 0, wd - 1, ui_attr(u, u->toast_bad ? UI_R_WARN : UI_R_TITLE), cut);
        return;
    }
    struct ui_keys_state ks;
    ui_keys_state_of(u, &ks);
    const char *ask = u->confirm != UI_CMD_NONE ? u->confirm_text
                      : u->resume_box           ? ui_tr(UI_MSG_RESUME_HINT)
                                                : "";
    int x = 0;
    if (ask[0])
        x = put(w, 0, 0, wd - 1, ui_attr(u, UI_R_TITLE), ask) + 2;
    const char *right = u->autoplay ? "[autoplay]" : "";
    int rw = ui_text_width(right);
    char hint[512];
    ui_keys_hint(&ks, hint, sizeof hint, wd - x - rw - 2);
    put(w, 0, x, wd - x - rw - 2, ui_attr(u, UI_R_HINT), hint);
    if (rw)
        put(w, 0, wd - rw - 1, rw, ui_attr(u, UI_R_TITLE), right);
}

static void draw_help(struct ui *u)
{
    static char keys[64][UI_HELP_LINE];
    /* The keys in force in the state the help was opened from. */
    size_t n_keys = ui_keys_help(ui_keys_ctx(u), keys, 64);
    int rows = getmaxy(stdscr), cols = getmaxx(stdscr);
    /* Two columns when one does not fit the height; pages (Space) when
     * two do not either, so every key is listed at any size. */
    int ncol = (int)n_keys + 4 > rows - 2 && cols >= 120 ? 2 : 1;
    int colw = ncol == 2 ? (cols - 4) / 2 : 66;
    if (colw > cols - 4)
        colw = cols - 4;
    /* A line wider than its column wraps under its description (the keys
     * take 15 columns), never cut: "· : a command ..." at 80 columns. */
    enum { HANG = 15, MAX_LINES = 192 };
    static char lines[MAX_LINES][UI_HELP_LINE];
    size_t n = 0;
    for (size_t i = 0; i < n_keys && n < MAX_LINES; i++) {
        struct ui_text_line wl[8];
        size_t nw = ui_text_wrap_hang(keys[i], colw - 1, HANG, wl, 8);
        for (size_t k = 0; k < nw && k < 8 && n < MAX_LINES; k++, n++)
            snprintf(lines[n], UI_HELP_LINE, "%*s%.*s", k ? HANG : 0, "", (int)wl[k].len,
                     keys[i] + wl[k].start);
    }
    int h = rows - 2 < (int)n / ncol + 5 ? rows - 2 : ((int)n + ncol - 1) / ncol + 4;
    int per_col = h - 4 > 1 ? h - 4 : 1;
    int per_page = per_col * ncol;
    u->help_pages = ((int)n + per_page - 1) / per_page;
    if (u->help_page >= u->help_pages)
        u->help_page = 0;
    int wd = colw * ncol + 2;
    if (wd > cols - 2)
        wd = cols - 2;
    if (u->help_pan) {
        del_panel(u->help_pan);
        delwin(u->help_win);
    }
    u->help_win = newwin(h, wd, (rows - h) / 2, (cols - wd) / 2);
    u->help_pan = new_panel(u->help_win);
    WINDOW *w = u->help_win;
    werase(w);
    wattrset(w, ui_attr(u, UI_R_FOCUS));
    if (u->utf8)
        box(w, 0, 0);
    else
        wborder(w, '|', '|', '-', '-', '+', '+', '+', '+');
    put(w, 0, 2, wd - 4, ui_attr(u, UI_R_FOCUS), ui_tr(UI_MSG_HELP_TITLE));
    if (u->help_pages > 1) {
        char more[96];
        snprintf(more, sizeof more, " %d/%d %s ", u->help_page + 1, u->help_pages,
                 u->help_page + 1 < u->help_pages ? ui_tr(UI_MSG_HELP_MORE) : "");
        int mw = ui_text_width(more);
        put(w, h - 1, wd - 2 - mw, mw, ui_attr(u, UI_R_FOCUS), more);
    }
    size_t first = (size_t)u->help_page * (size_t)per_page;
    for (size_t i = first; i < n && i < first + (size_t)per_page; i++) {
        int k = (int)(i - first), c = k / per_col, r = k % per_col;
        put(w, 2 + r, 1 + c * colw, colw - 1, A_NORMAL, lines[i]);
    }
    top_panel(u->help_pan);
}

static void draw_too_small(struct ui *u)
{
    for (int p = 0; p < UI_PANEL_COUNT; p++)
        if (u->pan[p])
            hide_panel(u->pan[p]);
    werase(stdscr);
    char msg[128];
    ui_trf(msg, sizeof msg, UI_MSG_TOO_SMALL, UI_MIN_COLS, UI_MIN_ROWS, u->lay.cols, u->lay.rows);
    /* Wrapped, not cut: at 40 columns a cut "(now 40×12)" read "(now 40×1". */
    struct ui_text_line lines[8];
    size_t n = ui_text_wrap(msg, u->lay.cols, lines, 8);
    if (n > 8)
        n = 8;
    int y = (u->lay.rows - (int)n - 1) / 2;
    if (y < 0)
        y = 0;
    for (size_t i = 0; i < n && y < u->lay.rows; i++, y++) {
        char seg[128];
        size_t len = lines[i].len < sizeof seg - 1 ? lines[i].len : sizeof seg - 1;
        memcpy(seg, msg + lines[i].start, len);
        seg[len] = 0;
        int x = (u->lay.cols - lines[i].width) / 2;
        put(stdscr, y, x > 0 ? x : 0, u->lay.cols, A_BOLD, seg);
    }
    put(stdscr, y < u->lay.rows ? y : 0, 0, u->lay.cols, A_NORMAL, ui_tr(UI_MSG_Q_QUITS));
    wnoutrefresh(stdscr);
}

void ui_draw(struct ui *u)
{
    draw_safe = u->utf8 ? 0 : ui_locale_utf8() ? TEXT_SAFE_MARKS : TEXT_SAFE_ASCII;
    ui_update_view(u);
    if (!u->lay.too_small) {
        /* The lesson strip grows with its item: lay the panels out again
         * when the item needs another height. */
        int need = lesson_text_rows(u, u->lay.cols);
        if (need != u->lesson_need) {
            u->lesson_need = need;
            struct ui_layout l;
            ui_layout_full(u->lay.rows, u->lay.cols, u->r->lesson->cfg.n_nodes, need, u->spacetime,
                           &l);
            if (memcmp(&l, &u->lay, sizeof l) != 0)
                ui_relayout(u);
        }
    }
    if (u->lay.too_small) {
        draw_too_small(u);
        doupdate();
        return;
    }
    if (u->dirty & (1u << UI_STATUS))
        draw_status(u);
    if (u->dirty & (1u << UI_CLUSTER))
        draw_cluster(u);
    if (u->dirty & (1u << UI_MESSAGES))
        draw_messages(u);
    if (u->dirty & (1u << UI_LOGS))
        draw_logs(u);
    if (u->dirty & (1u << UI_FEED))
        draw_feed(u);
    if (u->dirty & (1u << UI_SPACETIME))
        draw_spacetime(u);
    if (u->dirty & (1u << UI_LESSON))
        draw_lesson(u);
    if (u->dirty & (1u << UI_HINT))
        draw_hint(u);
    if (u->help) {
        draw_help(u);
    } else if (u->help_pan) {
        del_panel(u->help_pan);
        delwin(u->help_win);
        u->help_pan = NULL;
        u->help_win = NULL;
    }
    u->dirty = 0;
    update_panels();
    doupdate();
}

/* UTF-8 encoding of one character. */
static size_t encode(wchar_t wc, char *out)
{
    unsigned c = (unsigned)wc;
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xc0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3f));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xe0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        out[2] = (char)(0x80 | (c & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
    out[3] = (char)(0x80 | (c & 0x3f));
    return 4;
}

void ui_read_row(int y, char *out, size_t n)
{
    size_t len = 0;
    int cols = getmaxx(curscr);
    out[0] = 0;
    for (int x = 0; x < cols; x++) {
        cchar_t cc;
        if (mvwin_wch(curscr, y, x, &cc) == ERR)
            break;
        wchar_t wcs[CCHARW_MAX + 1];
        attr_t a;
        short pair;
        if (getcchar(&cc, wcs, &a, &pair, NULL) == ERR)
            continue;
        if (ui_text_char_width(wcs[0]) == 2)
            x++; /* the next cell is the character's right half */
        char buf[4];
        wchar_t wc = wcs[0] ? wcs[0] : L' ';
        /* ACS line drawing reads back as its ASCII fallback. */
        size_t k = encode(wc, buf);
        if (len + k + 1 > n)
            break;
        memcpy(out + len, buf, k);
        len += k;
    }
    while (len && out[len - 1] == ' ')
        len--;
    out[len] = 0;
}
