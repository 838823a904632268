/* spacetime: the feed's recent messages, timers, crashes and restarts laid
 * out as a grid of cells with one column per node (no curses). */
#include "spacetime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "tutor/i18n.h"
#include "tutor/note_text.h"
#include "tutor/transcript_st.h"

static const char *const glyph_utf8[] = {
    "\xe2\x94\x82", /* │ lifeline */
    "\xe2\x95\x8e", /* ╎ down */
    "\xe2\x94\x80", /* ─ line */
    "\xe2\x95\x8c", /* ╌ in flight, and after a loss */
    "\xe2\x94\x9c", /* ├ start going right */
    "\xe2\x94\xa4", /* ┤ start going left */
    "\xe2\x96\xba", /* ► head right */
    "\xe2\x97\x84", /* ◄ head left */
    "\xe2\x9c\x97", /* ✗ lost */
    "\xe2\x97\x86", /* ◆ timer */
    "\xe2\x96\xbc", /* ▼ crash */
    "\xe2\x96\xb2", /* ▲ restart */
};
static const char *const glyph_ascii[] = {"|", ":", "-", ".", "+", "+",
                                          ">", "<", "x", "*", "#", "^"};

enum glyph {
    G_LIFE,
    G_DOWN,
    G_LINE,
    G_DASH,
    G_START_R,
    G_START_L,
    G_HEAD_R,
    G_HEAD_L,
    G_LOST,
    G_TIMER,
    G_CRASH,
    G_RESTART
};

bool ui_st_line_msg(const struct feed_line *e, const struct view *v, char *type, size_t tn,
                    int *from, int *to)
{
    for (int k = 0; k < e->note.n_args; k++) {
        const struct note_arg *a = &e->note.args[k];
        if (a->kind != NA_MSG || !a->v.m)
            continue;
        const struct msg *m = a->v.m;
        if (m->from < 0 || m->from >= v->n_nodes || m->to < 0 || m->to >= v->n_nodes)
            return false;
        snprintf(type, tn, "%s", msg_type_name(m->type));
        *from = m->from;
        *to = m->to;
        return true;
    }
    return false;
}

enum ui_st_fate ui_st_lost_fate(const struct feed_line *e)
{
    switch (e->note.id) {
    case NOTE_SIM_DROPPED:
        return UI_ST_DROPPED;
    case NOTE_SIM_LOST_UNREACHABLE:
    case NOTE_SIM_LOST_BY_NETWORK:
        return UI_ST_LOST_AT_SEND;
    default:
        return UI_ST_LOST;
    }
}

/* The node of a learner's or lesson's action on one node ("do: crash
 * S5": RUNNER_DO with the action's note as its phrase), or -1. */
static int action_node(const struct feed_line *e, int action_note, const struct view *v)
{
    const struct proto_note *n = &e->note;
    if (n->id != NOTE_RUNNER_DO || n->n_args < 2 || n->args[0].kind != NA_NOTE ||
        n->args[0].v.i != action_note || n->args[1].kind != NA_NODE)
        return -1;
    int node = (int)n->args[1].v.i;
    return node >= 0 && node < v->n_nodes ? node : -1;
}

/* The entry as an event; false when it is none (a note, a send that has
 * ended since, an action that did nothing). */
static bool classify(const struct feed_line *e, const struct view *v, uint64_t info_pos,
                     struct ui_st_event *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->pos = e->pos;
    ev->time = e->time;
    ev->msg = e->msg_id;
    ev->node = e->node;
    switch (e->kind) {
    case FEED_SEND:
        /* Ended messages show where they ended; one still pending at
         * this position shows where it was sent. */
        if (view_find_msg(v, e->msg_id) < 0)
            return false;
        ev->fate = UI_ST_IN_FLIGHT;
        break;
    case FEED_DELIVER:
        ev->fate = UI_ST_DELIVERED;
        break;
    case FEED_LOST:
        ev->fate = ui_st_lost_fate(e);
        break;
    case FEED_TIMER:
        ev->kind = UI_ST_TIMER;
        return e->node >= 0 && e->node < v->n_nodes;
    case FEED_ACTION: {
        /* An action followed by "nothing happened" in its step did not
         * change the node. */
        if (info_pos == e->pos)
            return false;
        static const struct {
            int note;
            enum ui_st_kind kind;
        } verbs[] = {{NOTE_ACTION_CRASH, UI_ST_CRASH},
                     {NOTE_ACTION_RESTART, UI_ST_RESTART},
                     {NOTE_ACTION_TIMEOUT, UI_ST_TIMER}};
        for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
            int node = action_node(e, verbs[i].note, v);
            if (node >= 0) {
                ev->kind = verbs[i].kind;
                ev->node = node;
                return true;
            }
        }
        return false;
    }
    default:
        return false;
    }
    ev->kind = UI_ST_MSG;
    return ui_st_line_msg(e, v, ev->type, sizeof ev->type, &ev->from, &ev->to);
}

size_t ui_st_collect(const struct feed *f, uint64_t pos, const struct view *v, size_t skip,
                     struct ui_st_event *out, size_t max, size_t *older)
{
    size_t last = feed_upto(f, pos);
    /* Walk back from the newest, filling out from its end. */
    size_t n = 0, seen = 0, more = 0;
    uint64_t info_pos = UINT64_MAX;
    struct feed_line line, *e = &line;
    size_t stop = last > UI_ST_SCAN_MAX ? last - UI_ST_SCAN_MAX : 0;
    for (size_t k = last; k-- > stop;) {
        if (n == max && last - k > UI_ST_OLDER_SCAN)
            break; /* counting older events: a bounded look, not the whole history */
        feed_get(f, k, e);
        if (e->kind == FEED_INFO && !note_is_warning(e->note.id))
            info_pos = e->pos;
        struct ui_st_event ev;
        if (!classify(e, v, info_pos, &ev))
            continue;
        if (seen++ < skip)
            continue;
        if (n < max) {
            out[max - 1 - n] = ev;
            n++;
        } else if (older && more < UI_ST_OLDER_MAX) {
            more++; /* counted up to a bound: a frame never walks the whole history */
        } else {
            break;
        }
    }
    if (n < max)
        memmove(out, out + (max - n), n * sizeof *out);
    if (older)
        *older = more;
    return n;
}

static void set_cell(struct ui_st_grid *g, int y, int x, const char *ch, enum ui_st_role role)
{
    if (y < 0 || y >= g->rows || x < 0 || x >= g->cols)
        return;
    struct ui_st_cell *c = &g->cells[(size_t)y * (size_t)g->cols + (size_t)x];
    snprintf(c->ch, sizeof c->ch, "%s", ch);
    c->role = (unsigned char)role;
}

/* Text from x on; stops before the column `end`. A double-width
 * character (the Chinese words of the event marks) takes its cell and an
 * empty one after it, which the view skips; one that does not fit ends
 * the text. */
static void set_text(struct ui_st_grid *g, int y, int x, int end, const char *s,
                     enum ui_st_role role)
{
    while (*s && x < end) {
        wchar_t wc;
        size_t n = ui_text_decode(s, &wc);
        int w = ui_text_char_width(wc);
        if (w < 1 || n >= sizeof g->cells[0].ch) {
            set_cell(g, y, x++, "?", role);
        } else if (x + w > end) {
            break;
        } else {
            char c[sizeof g->cells[0].ch];
            memcpy(c, s, n);
            c[n] = 0;
            set_cell(g, y, x++, c, role);
            if (w == 2)
                set_cell(g, y, x++, "", role);
        }
        s += n;
    }
}

static int digits(int64_t t)
{
    int d = 1;
    for (t = t < 0 ? -t : t; t >= 10; t /= 10)
        d++;
    return d;
}

static void draw_msg(struct ui_st_grid *g, int y, const struct ui_st_event *e, uint64_t pos,
                     const char *const *gl)
{
    int xa = g->node_x[e->from], xb = g->node_x[e->to];
    const char *abbrev = st_type_abbrev(e->type);
    enum ui_st_role base = e->fate == UI_ST_IN_FLIGHT ? UI_ST_R_FLIGHT
                           : e->pos == pos            ? UI_ST_R_NEW
                                                      : UI_ST_R_ARROW;
    bool lost = e->fate == UI_ST_LOST || e->fate == UI_ST_LOST_AT_SEND || e->fate == UI_ST_DROPPED;
    if (lost)
        base = UI_ST_R_LOST;
    if (xa == xb) {
        set_text(g, y, xa + 1, g->cols, abbrev, UI_ST_R_LABEL);
        return;
    }
    int dir = xb > xa ? 1 : -1;
    /* Where a lost message ends: next to its sender when the network never
     * took it, next to its receiver otherwise. */
    int mark = !lost ? xb : e->fate == UI_ST_LOST_AT_SEND ? xa + dir : xb - dir;
    set_cell(g, y, xa, gl[dir > 0 ? G_START_R : G_START_L], base);
    for (int x = xa + dir; x != xb; x += dir) {
        bool after = lost && (x - mark) * dir > 0;
        set_cell(g, y, x, gl[after || e->fate == UI_ST_IN_FLIGHT ? G_DASH : G_LINE],
                 after ? UI_ST_R_LOST : base);
    }
    if (lost)
        set_cell(g, y, mark, gl[G_LOST], UI_ST_R_LOST);
    else
        set_cell(g, y, xb, gl[dir > 0 ? G_HEAD_R : G_HEAD_L], base);
    /* The type in the middle of the line (the solid part of a lost one),
     * with the message number when there is room. */
    int lo = xa + dir, hi = (lost ? mark : xb) - dir;
    if (lost && e->fate == UI_ST_LOST_AT_SEND)
        lo = mark + dir, hi = xb - dir;
    if (lo > hi) {
        int t = lo;
        lo = hi;
        hi = t;
    }
    int room = hi - lo + 1;
    char label[48];
    snprintf(label, sizeof label, "%s#%llu", abbrev, (unsigned long long)e->msg);
    if ((int)strlen(label) + 4 > room)
        snprintf(label, sizeof label, "%s", abbrev);
    int len = (int)strlen(label);
    if (len + 2 > room)
        return;
    int x0 = lo + (room - len) / 2;
    set_text(g, y, x0, x0 + len, label, UI_ST_R_LABEL);
}

void ui_st_build(const struct feed *f, uint64_t pos, const struct view *v, size_t skip, int rows,
                 int cols, bool utf8, struct ui_st_grid *g)
{
    if (rows < 0)
        rows = 0;
    if (cols < 0)
        cols = 0;
    size_t need = (size_t)rows * (size_t)cols;
    if (need > g->cap) {
        g->cells = realloc(g->cells, need * sizeof *g->cells);
        if (!g->cells)
            abort();
        g->cap = need;
    }
    g->rows = rows;
    g->cols = cols;
    g->n_events = g->n_lost = g->n_older = 0;
    for (size_t i = 0; i < need; i++)
        g->cells[i] = (struct ui_st_cell){.ch = " ", .role = UI_ST_R_BLANK};
    int n = v->n_nodes;
    if (rows < 1 || cols < 1 || n < 1)
        return;
    const char *const *gl = utf8 ? glyph_utf8 : glyph_ascii;
    size_t max = (size_t)(rows - 1);
    struct ui_st_event *ev = calloc(max ? max : 1, sizeof *ev);
    if (!ev)
        abort();
    size_t nev = ui_st_collect(f, pos, v, skip, ev, max, &g->n_older);
    g->n_events = nev;
    /* The time gutter, when the nodes still get two columns each. */
    int tw = 2;
    for (size_t i = 0; i < nev; i++)
        if (digits(ev[i].time) + 1 > tw)
            tw = digits(ev[i].time) + 1;
    if (cols - tw < 2 * n)
        tw = 0;
    int w = cols - tw;
    for (int k = 0; k < n; k++)
        g->node_x[k] = tw + w * (2 * k + 1) / (2 * n);
    /* Header: the names centred on their columns. */
    int free_x = tw;
    for (int k = 0; k < n; k++) {
        int len = (int)strlen(v->nodes[k].name);
        int x = g->node_x[k] - (len - 1) / 2;
        if (x < free_x)
            x = free_x;
        int end = k + 1 < n ? g->node_x[k + 1] - 1 : cols;
        set_text(g, 0, x, end, v->nodes[k].name, UI_ST_R_NAME);
        free_x = x + len + 1;
    }
    /* Which nodes were up before the first row: undo the rows' crashes
     * and restarts from the state now. */
    bool up[PROTO_MAX_NODES];
    for (int k = 0; k < n; k++)
        up[k] = v->nodes[k].up;
    for (size_t i = nev; i-- > 0;) {
        if (ev[i].kind == UI_ST_CRASH)
            up[ev[i].node] = true;
        else if (ev[i].kind == UI_ST_RESTART)
            up[ev[i].node] = false;
    }
    int64_t prev_time = -1;
    for (size_t i = 0; i < nev; i++) {
        const struct ui_st_event *e = &ev[i];
        int y = 1 + (int)i;
        if (e->kind == UI_ST_CRASH)
            up[e->node] = false;
        else if (e->kind == UI_ST_RESTART)
            up[e->node] = true;
        if (tw && (i == 0 || e->time != prev_time)) {
            char t[24];
            snprintf(t, sizeof t, "%*lld", tw - 1, (long long)e->time);
            set_text(g, y, 0, tw - 1, t, UI_ST_R_TIME);
        }
        prev_time = e->time;
        for (int k = 0; k < n; k++)
            set_cell(g, y, g->node_x[k], gl[up[k] ? G_LIFE : G_DOWN],
                     up[k] ? UI_ST_R_LIFE : UI_ST_R_DOWN);
        if (e->kind == UI_ST_MSG) {
            draw_msg(g, y, e, pos, gl);
            if (e->fate != UI_ST_DELIVERED && e->fate != UI_ST_IN_FLIGHT)
                g->n_lost++;
            continue;
        }
        static const char *const words[] = {[UI_ST_TIMER] = NC_("spacetime", "timer"),
                                            [UI_ST_CRASH] = NC_("spacetime", "crash"),
                                            [UI_ST_RESTART] = NC_("spacetime", "restart")};
        const char *word = ui_pgettext("spacetime", words[e->kind]);
        enum glyph gi = e->kind == UI_ST_TIMER   ? G_TIMER
                        : e->kind == UI_ST_CRASH ? G_CRASH
                                                 : G_RESTART;
        enum ui_st_role role = e->kind == UI_ST_TIMER   ? UI_ST_R_TIMER
                               : e->kind == UI_ST_CRASH ? UI_ST_R_CRASH
                                                        : UI_ST_R_RESTART;
        int x = g->node_x[e->node];
        set_cell(g, y, x, gl[gi], role);
        int end = e->node + 1 < n ? g->node_x[e->node + 1] - 1 : cols;
        if (end - (x + 1) >= ui_text_width(word))
            set_text(g, y, x + 1, end, word, role);
    }
    free(ev);
}

void ui_st_row_text(const struct ui_st_grid *g, int y, char *out, size_t n)
{
    size_t len = 0;
    if (n)
        out[0] = 0;
    if (y < 0 || y >= g->rows || !n)
        return;
    for (int x = 0; x < g->cols; x++) {
        const char *ch = g->cells[(size_t)y * (size_t)g->cols + (size_t)x].ch;
        size_t k = strlen(ch);
        if (len + k + 1 > n)
            break;
        memcpy(out + len, ch, k);
        len += k;
    }
    while (len && out[len - 1] == ' ')
        len--;
    out[len] = 0;
}

void ui_st_free(struct ui_st_grid *g)
{
    free(g->cells);
    memset(g, 0, sizeof *g);
}
