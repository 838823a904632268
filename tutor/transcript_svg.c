/* transcript_svg: a transcript as a space-time (Lamport) diagram in SVG —
 * one lane per node, time flowing down in causal order, messages as arrows
 * colored by type, lost and dropped messages marked with a cross, crashes,
 * restarts, timers and new leaders marked on the lanes. Every text is
 * XML-escaped; the font list falls back to CJK fonts so Chinese renders. */
#include <libintl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bugs_text.h"
#include "lesson_sandbox.h"
#include "transcript.h"
#include "transcript_kept.h"
#include "transcript_st.h"

#define SVG_FONTS                                                                                  \
    "DejaVu Sans, Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, Microsoft YaHei, "    \
    "PingFang SC, sans-serif"
#define LEFT 120 /* time and step labels */
#define LANE 130 /* between lanes */
#define ROW 24   /* per logical row */
#define TOP 150  /* title, legend and node names */

/* A sandbox's title in the export's language (its record keeps the
 * English one). */
static const char *shown_title(const struct transcript *t)
{
    static char buf[160];
    return lesson_shown_title(t->lesson_id, t->lesson_title, buf, sizeof buf);
}

static const struct {
    const char *type, *color;
} colors[] = {
    {"RequestVote", "#1f77b4"},
    {"RequestVoteReply", "#17becf"},
    {"AppendEntries", "#2ca02c"},
    {"AppendEntriesReply", "#8c9e1a"},
    {"Prepare", "#9467bd"},
    {"Promise", "#e377c2"},
    {"Accept", "#ff7f0e"},
    {"Accepted", "#bc6c25"},
    {"Nack", "#d62728"},
    {"Chosen", "#7f7f7f"},
    {"InstallSnapshot", "#8c564b"},
    {"InstallSnapshotReply", "#c49c94"},
};

static const char *color_of(const char *type)
{
    for (size_t i = 0; i < sizeof colors / sizeof colors[0]; i++)
        if (!strcmp(colors[i].type, type))
            return colors[i].color;
    return "#555555";
}

static void xml(struct sbuf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            sbuf_add(b, "&amp;");
            break;
        case '<':
            sbuf_add(b, "&lt;");
            break;
        case '>':
            sbuf_add(b, "&gt;");
            break;
        case '"':
            sbuf_add(b, "&quot;");
            break;
        case '\'':
            sbuf_add(b, "&apos;");
            break;
        case '\n':
            sbuf_add(b, " ");
            break;
        default:
            /* XML 1.0 has no place for C0 controls, escaped or not. */
            if ((unsigned char)*s >= 0x20 || *s == '\t')
                sbuf_addc(b, *s);
        }
    }
}

/* printf, then XML-escaped (a translation may hold any character). */
static void xml_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void xml_printf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *tmp = malloc(n > 0 ? (size_t)n + 1 : 1);
    if (!tmp)
        abort();
    vsnprintf(tmp, n > 0 ? (size_t)n + 1 : 1, fmt, again);
    va_end(again);
    xml(b, tmp);
    free(tmp);
}

static int lane_x(int node)
{
    return LEFT + LANE / 2 + node * LANE;
}

static int row_y(size_t row)
{
    return TOP + (int)row * ROW;
}

static const char *node_name(const struct transcript *t, int i)
{
    return i >= 0 && i < t->n_nodes ? t->names[i] : "?";
}

static int type_index(const struct st_view *v, const char *type)
{
    for (int i = 0; i < v->n_types; i++)
        if (!strcmp(v->types[i], type))
            return i;
    return 0;
}

static void cross(struct sbuf *b, int x, int y, const char *color, int r)
{
    sbuf_printf(b, "<path d=\"M%d,%d L%d,%d M%d,%d L%d,%d\" stroke=\"%s\" stroke-width=\"2.5\"/>",
                x - r, y - r, x + r, y + r, x - r, y + r, x + r, y - r, color);
}

static void title_of(struct sbuf *b, const struct transcript *t, const struct st_event *ev)
{
    struct sbuf d;
    sbuf_init(&d);
    sbuf_printf(&d, "#%llu %s %s→%s, ", (unsigned long long)ev->msg, ev->type,
                node_name(t, ev->from), node_name(t, ev->node));
    sbuf_printf(&d, gettext("sent at %lld ms"), (long long)ev->send_time);
    switch (ev->fate) {
    case ST_DELIVERED:
        sbuf_add(&d, ", ");
        sbuf_printf(&d, gettext("delivered at %lld ms"), (long long)ev->time);
        break;
    case ST_IN_FLIGHT:
        sbuf_printf(&d, ", %s", gettext("still in flight at the end"));
        break;
    default:
        sbuf_add(&d, ", ");
        sbuf_printf(&d, gettext("at %lld ms: %s"), (long long)ev->time,
                    ev->why ? ev->why : gettext("lost"));
        break;
    }
    sbuf_add(b, "<title>");
    xml(b, d.s);
    sbuf_add(b, "</title>");
    sbuf_free(&d);
}

/* Label boxes already placed, so that no two labels overlap: a message's
 * type goes at the first point along its arrow (the middle, then a third,
 * two thirds, a quarter, three quarters of the way) where its box is free. */
struct box {
    int x0, y0, x1, y1;
};

struct labels {
    struct box *b;
    size_t n, cap;
    int n_nodes;
};

/* A network change's label, in pixels (a byte of UTF-8 counted as 6, a
 * CJK character's three bytes as 18: more than it takes). */
static int net_label_width(const struct st_event *ev)
{
    return 6 * (int)strlen(ev->why ? ev->why : "");
}

static void label_put(struct labels *l, int x0, int y0, int x1, int y1)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->b = realloc(l->b, l->cap * sizeof *l->b);
        if (!l->b)
            abort();
    }
    l->b[l->n++] = (struct box){x0, y0, x1, y1};
}

static bool label_free(const struct labels *l, int x0, int y0, int x1, int y1)
{
    for (size_t i = 0; i < l->n; i++)
        if (x0 < l->b[i].x1 && l->b[i].x0 < x1 && y0 < l->b[i].y1 && l->b[i].y0 < y1)
            return false;
    return true;
}

/* A message's arrow: from its sending row to its arriving row; one that
 * never arrived stops halfway to its receiver. */
static void arrow(const struct st_event *ev, size_t rows, int *x1, int *y1, int *x2, int *y2)
{
    *x1 = lane_x(ev->from);
    *y1 = row_y(ev->send_row);
    *x2 = lane_x(ev->node);
    *y2 = row_y(ev->fate == ST_IN_FLIGHT ? rows + 1 : ev->row);
    if (ev->fate == ST_DROPPED || ev->fate == ST_LOST_AT_SEND || ev->fate == ST_IN_FLIGHT) {
        *x2 = (*x1 + *x2) / 2;
        if (ev->fate == ST_LOST_AT_SEND)
            *y2 = *y1 + ROW / 2;
    }
}

/* Where a mark's label, or a lost message's, will be (mark() and
 * message() draw them there). */
static void mark_label_box(struct labels *l, const struct st_event *ev, size_t rows)
{
    if (ev->kind == ST_MSG) {
        int x1, y1, x2, y2;
        arrow(ev, rows, &x1, &y1, &x2, &y2);
        if (ev->fate != ST_DELIVERED && ev->fate != ST_IN_FLIGHT)
            label_put(l, x2 + 7, y2 - 7, x2 + 7 + 6 * 8, y2 + 6);
        return;
    }
    if (ev->kind == ST_NET) {
        int xb = lane_x(l->n_nodes - 1) + 24 + 6;
        label_put(l, xb, row_y(ev->row) - 7, xb + net_label_width(ev), row_y(ev->row) + 4);
        return;
    }
    int x = lane_x(ev->node), y = row_y(ev->row);
    if (ev->kind == ST_CRASH || ev->kind == ST_RESTART)
        label_put(l, x + 11, y - 7, x + 11 + 7 * 7, y + 4);
    else if (ev->kind == ST_LEADER)
        label_put(l, x - 66, y - 7, x - 6, y + 7);
}

static void message(struct sbuf *b, const struct transcript *t, const struct st_view *v,
                    const struct st_event *ev, size_t rows, struct labels *placed)
{
    static const char *const fates[] = {[ST_DELIVERED] = "delivered",
                                        [ST_LOST_AT_SEND] = "lost",
                                        [ST_LOST] = "lost",
                                        [ST_DROPPED] = "dropped",
                                        [ST_IN_FLIGHT] = "in-flight"};
    const char *color = color_of(ev->type);
    int x1, y1, x2, y2;
    arrow(ev, rows, &x1, &y1, &x2, &y2);
    sbuf_printf(b, "<g class=\"msg %s\">", fates[ev->fate]);
    title_of(b, t, ev);
    sbuf_printf(b,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1.6\"",
                x1, y1, x2, y2, color);
    if (ev->fate == ST_DELIVERED)
        sbuf_printf(b, " marker-end=\"url(#ah%d)\"/>", type_index(v, ev->type));
    else
        sbuf_add(b, ev->fate == ST_IN_FLIGHT ? " stroke-dasharray=\"2,4\"/>"
                                             : " stroke-dasharray=\"6,3\"/>");
    if (ev->fate != ST_DELIVERED && ev->fate != ST_IN_FLIGHT) {
        cross(b, x2, y2, "#d62728", 5);
        sbuf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"#d62728\">", x2 + 7,
                    y2 + 4);
        xml(b, ev->fate == ST_DROPPED ? gettext("dropped") : gettext("lost"));
        sbuf_add(b, "</text>");
    }
    static const int at[][2] = {{1, 2}, {1, 3}, {2, 3}, {1, 4}, {3, 4}};
    const char *ab = st_type_abbrev(ev->type);
    int half = 3 * (int)strlen(ab) + 1, lx = (x1 + x2) / 2, ly = (y1 + y2) / 2 - 3;
    /* Along the arrow; then the same points a line below, or above. */
    static const int shift[] = {0, 11, -11, 22};
    bool found = false;
    for (size_t d = 0; d < sizeof shift / sizeof *shift && !found; d++)
        for (size_t k = 0; k < sizeof at / sizeof at[0] && !found; k++) {
            int cx = x1 + (x2 - x1) * at[k][0] / at[k][1];
            int cy = y1 + (y2 - y1) * at[k][0] / at[k][1] - 3 + shift[d];
            if (label_free(placed, cx - half, cy - 9, cx + half, cy + 3)) {
                lx = cx;
                ly = cy;
                found = true;
            }
        }
    label_put(placed, lx - half, ly - 9, lx + half, ly + 3);
    sbuf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"9\" fill=\"%s\" text-anchor=\"middle\">",
                lx, ly, color);
    xml(b, ab);
    sbuf_add(b, "</text></g>\n");
}

static void mark(struct sbuf *b, const struct transcript *t, const struct st_event *ev)
{
    int x = lane_x(ev->node), y = row_y(ev->row);
    switch (ev->kind) {
    case ST_TIMER:
        sbuf_add(b, "<g class=\"timer\"><title>");
        xml_printf(b, gettext("%s's timer fires at %lld ms"), node_name(t, ev->node),
                   (long long)ev->time);
        sbuf_add(b, "</title>");
        sbuf_printf(b,
                    "<circle cx=\"%d\" cy=\"%d\" r=\"5\" fill=\"#ffffff\" stroke=\"#444444\"/>"
                    "<path d=\"M%d,%d L%d,%d L%d,%d\" stroke=\"#444444\" fill=\"none\"/></g>\n",
                    x, y, x, y - 3, x, y, x + 3, y);
        break;
    case ST_CRASH:
        sbuf_add(b, "<g class=\"crash\"><title>");
        xml_printf(b, gettext("%s crashes at %lld ms"), node_name(t, ev->node),
                   (long long)ev->time);
        sbuf_add(b, "</title>");
        cross(b, x, y, "#b00020", 8);
        sbuf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#b00020\">", x + 11, y + 4);
        xml(b, gettext("crash"));
        sbuf_add(b, "</text></g>\n");
        break;
    case ST_RESTART:
        sbuf_add(b, "<g class=\"restart\"><title>");
        xml_printf(b, gettext("%s restarts at %lld ms"), node_name(t, ev->node),
                   (long long)ev->time);
        sbuf_add(b, "</title>");
        sbuf_printf(b, "<path d=\"M%d,%d L%d,%d L%d,%d z\" fill=\"#2e7d32\"/>", x, y - 7, x - 7,
                    y + 5, x + 7, y + 5);
        sbuf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#2e7d32\">", x + 11, y + 4);
        xml(b, gettext("restart"));
        sbuf_add(b, "</text></g>\n");
        break;
    case ST_LEADER:
        sbuf_add(b, "<g class=\"leader\"><title>");
        if (ev->term >= 0)
            xml_printf(b, gettext("%s becomes leader of term %lld"), node_name(t, ev->node),
                       (long long)ev->term);
        else
            xml_printf(b, gettext("%s becomes leader"), node_name(t, ev->node));
        /* Left of the lane, where arrows leave from rather than pass. */
        int w = ev->term >= 0 ? 60 : 44;
        sbuf_printf(b,
                    "</title><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"14\" rx=\"3\" "
                    "fill=\"#fff3c4\" stroke=\"#b8860b\"/>",
                    x - 6 - w, y - 7, w);
        sbuf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"#7a5c00\">", x - 3 - w,
                    y + 4);
        xml(b, gettext("leader"));
        if (ev->term >= 0)
            sbuf_printf(b, " t%lld", (long long)ev->term);
        sbuf_add(b, "</text></g>\n");
        break;
    case ST_NET: {
        /* Across every lane: the network changed for all of them. */
        int xa = lane_x(0) - 24, xb = lane_x(t->n_nodes - 1) + 24;
        sbuf_add(b, "<g class=\"network\"><title>");
        xml_printf(b, gettext("the network changes at %lld ms: %s"), (long long)ev->time,
                   ev->why ? ev->why : "");
        sbuf_printf(b,
                    "</title><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#8e44ad\" "
                    "stroke-width=\"1.5\" stroke-dasharray=\"8,4\"/>",
                    xa, y, xb, y);
        sbuf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"#8e44ad\">", xb + 6, y + 4);
        xml(b, ev->why ? ev->why : "");
        sbuf_add(b, "</text></g>\n");
        break;
    }
    default:
        break;
    }
}

static void lanes(struct sbuf *b, const struct transcript *t, const struct st_view *v, int bottom)
{
    for (int n = 0; n < t->n_nodes; n++) {
        int x = lane_x(n);
        sbuf_printf(b, "<g class=\"lane\" id=\"lane-%d\">", n + 1);
        sbuf_printf(b,
                    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"24\" rx=\"4\" "
                    "fill=\"#eef2f7\" stroke=\"#34495e\"/>",
                    x - 40, TOP - 46, 80);
        sbuf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-weight=\"bold\">", x,
                    TOP - 29);
        xml(b, t->names[n]);
        sbuf_add(b, "</text>");
        /* Solid while up, dashed grey while down. */
        int y = TOP - 22;
        bool up = true;
        for (size_t i = 0; i < v->n; i++) {
            const struct st_event *ev = &v->ev[i];
            if (ev->node != n || (ev->kind != ST_CRASH && ev->kind != ST_RESTART))
                continue;
            if ((ev->kind == ST_CRASH) != up)
                continue;
            int y2 = row_y(ev->row);
            sbuf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" %s/>", x, y, x, y2,
                        up ? "stroke=\"#34495e\" stroke-width=\"2\""
                           : "stroke=\"#aaaaaa\" stroke-width=\"2\" stroke-dasharray=\"4,4\"");
            y = y2;
            up = !up;
        }
        sbuf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" %s/></g>\n", x, y, x, bottom,
                    up ? "stroke=\"#34495e\" stroke-width=\"2\""
                       : "stroke=\"#aaaaaa\" stroke-width=\"2\" stroke-dasharray=\"4,4\"");
    }
}

static void legend(struct sbuf *b, const struct st_view *v, int width)
{
    int x = 20, y = 64;
    sbuf_add(b, "<g class=\"legend\" font-size=\"11\">\n");
    for (int i = 0; i < v->n_types; i++) {
        int w = 34 + 7 * (int)strlen(v->types[i]);
        if (x + w > width - 10) {
            x = 20;
            y += 18;
        }
        sbuf_printf(b,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                    "stroke-width=\"2\" marker-end=\"url(#ah%d)\"/>",
                    x, y, x + 22, y, color_of(v->types[i]), i);
        sbuf_printf(b, "<text x=\"%d\" y=\"%d\">", x + 28, y + 4);
        xml(b, v->types[i]);
        sbuf_add(b, "</text>\n");
        x += w;
    }
    if (x + 600 > width - 10) {
        x = 20;
        y += 18;
    }
    cross(b, x + 6, y, "#d62728", 4);
    sbuf_printf(b, "<text x=\"%d\" y=\"%d\">", x + 16, y + 4);
    xml(b, gettext("lost / dropped"));
    sbuf_add(b, "</text>");
    cross(b, x + 124, y, "#b00020", 5);
    sbuf_printf(b, "<text x=\"%d\" y=\"%d\">", x + 134, y + 4);
    xml(b, gettext("crash"));
    sbuf_add(b, "</text>");
    sbuf_printf(b, "<path d=\"M%d,%d L%d,%d L%d,%d z\" fill=\"#2e7d32\"/>", x + 184, y - 5, x + 179,
                y + 4, x + 189, y + 4);
    sbuf_printf(b, "<text x=\"%d\" y=\"%d\">", x + 194, y + 4);
    xml(b, gettext("restart"));
    sbuf_add(b, "</text>");
    sbuf_printf(b, "<circle cx=\"%d\" cy=\"%d\" r=\"5\" fill=\"#ffffff\" stroke=\"#444444\"/>",
                x + 252, y);
    sbuf_printf(b, "<text x=\"%d\" y=\"%d\">", x + 262, y + 4);
    xml(b, gettext("timer"));
    sbuf_printf(b,
                "</text><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#8e44ad\" "
                "stroke-width=\"1.5\" stroke-dasharray=\"8,4\"/><text x=\"%d\" y=\"%d\">",
                x + 305, y, x + 329, y, x + 334, y + 4);
    xml(b, gettext("network change"));
    sbuf_printf(b, "</text><text x=\"%d\" y=\"%d\">", x + 432, y + 4);
    xml(b, gettext("time flows down (causal order)"));
    sbuf_add(b, "</text>\n");
    sbuf_add(b, "</g>\n");
}

void transcript_write_svg(const struct transcript *t, struct sbuf *b)
{
    transcript_render_lines(t); /* the lines' words, in the language asked for now */
    struct st_view v;
    st_build(t, &v);
    struct transcript_kept kept;
    transcript_kept_build(t, &kept);
    size_t n_kept = kept.n_kept;
    transcript_kept_free(&kept);
    int width = LEFT + t->n_nodes * LANE + 40;
    for (size_t i = 0; i < v.n; i++) /* room for the network changes' labels */
        if (v.ev[i].kind == ST_NET &&
            lane_x(t->n_nodes - 1) + 40 + net_label_width(&v.ev[i]) > width)
            width = lane_x(t->n_nodes - 1) + 40 + net_label_width(&v.ev[i]);
    if (width < 760)
        width = 760;
    int bottom = row_y(v.rows + 2);
    int height = bottom + 20;
    sbuf_add(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    sbuf_printf(b,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" "
                "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"%s\" font-size=\"12\">\n",
                width, height, width, height, SVG_FONTS);
    sbuf_add(b, "<title>");
    xml(b, shown_title(t));
    sbuf_add(b, "</title>\n<defs>\n");
    for (int i = 0; i < v.n_types; i++)
        sbuf_printf(b,
                    "<marker id=\"ah%d\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
                    "markerWidth=\"5\" markerHeight=\"5\" "
                    "orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"%s\"/></marker>\n",
                    i, color_of(v.types[i]));
    sbuf_add(b, "</defs>\n");
    sbuf_printf(b, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", width,
                height);
    sbuf_add(b, "<text x=\"20\" y=\"26\" font-size=\"17\" font-weight=\"bold\">");
    xml(b, shown_title(t));
    sbuf_add(b, "</text>\n<text x=\"20\" y=\"46\" font-size=\"12\" fill=\"#444444\">");
    if (t->mode == TRANSCRIPT_RUN) { /* first: nobody answered these quizzes */
        sbuf_add(b, "<tspan font-weight=\"bold\" fill=\"#b00020\">");
        xml(b, gettext("tutor run: the script answered every quiz from its key"));
        sbuf_add(b, "</tspan> · ");
    }
    if (t->student) {
        xml(b, t->student);
        sbuf_add(b, " — ");
    }
    xml(b, t->lesson_id);
    sbuf_printf(b, ", %s, ", t->protocol == PROTO_RAFT ? "Raft" : "Paxos");
    xml_printf(b, gettext("seed %llu"), (unsigned long long)t->cluster.seed);
    sbuf_add(b, ", ");
    xml_printf(b, gettext("the run as it ended: %zu of %zu steps"), n_kept, t->n);
    if (t->has_end)
        sbuf_printf(b, ", %lld ms", (long long)t->end.time);
    if (t->date) {
        sbuf_add(b, ", ");
        xml(b, t->date);
    }
    if (t->cluster.bugs) {
        struct sbuf broken;
        sbuf_init(&broken);
        bugs_text(t->cluster.bugs, &broken);
        sbuf_add(b, ", ");
        xml(b, broken.s);
        sbuf_free(&broken);
    }
    sbuf_add(b, "</text>\n");
    legend(b, &v, width);
    /* Step marks: where each recorded step's events begin. */
    sbuf_add(b, "<g class=\"steps\" font-size=\"10\" fill=\"#666666\">\n");
    for (size_t i = 0; i < v.n_marks; i++) {
        int y = row_y(v.marks[i].row) - ROW / 2;
        sbuf_printf(b,
                    "<line x1=\"10\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#dddddd\" "
                    "stroke-dasharray=\"2,3\"/>",
                    y, width - 10, y);
        sbuf_printf(b, "<text x=\"12\" y=\"%d\">", y + 12);
        xml_printf(b, gettext("step %zu"), v.marks[i].entry);
        sbuf_printf(b, " · %lld ms</text>\n", (long long)v.marks[i].time);
    }
    sbuf_add(b, "</g>\n");
    lanes(b, t, &v, bottom);
    struct labels placed = {.n_nodes = t->n_nodes};
    for (size_t i = 0; i < v.n; i++)
        mark_label_box(&placed, &v.ev[i], v.rows);
    for (size_t i = 0; i < v.n; i++)
        if (v.ev[i].kind == ST_MSG)
            message(b, t, &v, &v.ev[i], v.rows, &placed);
    free(placed.b);
    for (size_t i = 0; i < v.n; i++)
        if (v.ev[i].kind != ST_MSG)
            mark(b, t, &v.ev[i]);
    sbuf_add(b, "</svg>\n");
    st_free(&v);
}
