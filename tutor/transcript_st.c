/* transcript_st: messages, timers, crashes and leaders of a transcript on
 * logical rows, for the space-time diagrams. */
#include "transcript_st.h"

#include "note_text.h"
#include "transcript_kept.h"

#include "feed.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct open_msg {
    uint64_t id;
    int from, to;
    char type[24];
    size_t row;
    int64_t time;
};

struct builder {
    const struct transcript *t;
    struct st_view *v;
    struct open_msg *open;
    size_t n_open, cap_open;
    bool up[PROTO_MAX_NODES];
    int64_t term[PROTO_MAX_NODES];
    /* The row the last event was put on, and where and when: sends right
     * after a delivery, a timer or another send of the same node at the
     * same time share its row (a broadcast, a reply). */
    int last_node;
    int64_t last_time;
    bool last_shares;
    /* After lines left out of the record (transcript.h, feed_elided): a
     * delivery or loss of a message not in flight here whose id is below
     * the first one sent after the gap was sent in the gap, and is not
     * drawn (gap_below 0: no gap; UINT64_MAX: no send seen since). */
    uint64_t gap_below;
};

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap * 2 : 32;
    while (c < need)
        c *= 2;
    p = realloc(p, c * elem);
    if (!p)
        abort();
    *cap = c;
    return p;
}

static struct st_event *add(struct builder *b, enum st_kind kind, size_t entry, int64_t time,
                            int node)
{
    struct st_view *v = b->v;
    v->ev = grow(v->ev, &v->cap, v->n + 1, sizeof *v->ev);
    struct st_event *e = &v->ev[v->n++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->entry = entry;
    e->time = time;
    e->node = node;
    e->from = -1;
    e->term = -1;
    return e;
}

static void note_type(struct st_view *v, const char *type)
{
    for (int i = 0; i < v->n_types; i++)
        if (!strcmp(v->types[i], type))
            return;
    if (v->n_types < (int)(sizeof v->types / sizeof v->types[0]))
        snprintf(v->types[v->n_types++], sizeof v->types[0], "%s", type);
}

static size_t new_row(struct builder *b, int node, int64_t time, bool shares)
{
    b->v->rows++;
    b->last_node = node;
    b->last_time = time;
    b->last_shares = shares;
    return b->v->rows;
}

static struct open_msg *find_open(struct builder *b, uint64_t id)
{
    for (size_t i = b->n_open; i-- > 0;)
        if (b->open[i].id == id)
            return &b->open[i];
    return NULL;
}

static void close_open(struct builder *b, struct open_msg *m, size_t entry, size_t row,
                       int64_t time, enum st_fate fate, const char *why)
{
    struct st_event *e = add(b, ST_MSG, entry, time, m->to);
    e->row = row;
    e->from = m->from;
    snprintf(e->type, sizeof e->type, "%s", m->type);
    e->msg = m->id;
    e->send_row = m->row;
    e->send_time = m->time;
    e->fate = fate;
    e->why = why;
    if (fate == ST_LOST || fate == ST_DROPPED || fate == ST_LOST_AT_SEND)
        b->v->n_lost++;
    *m = b->open[--b->n_open];
}

static const char *lost_reason(const char *text)
{
    const char *w = strstr(text, " lost");
    if (!w)
        w = strstr(text, " dropped");
    return w ? w + 1 : text;
}

/* Lines left out of the record: what was in flight before them may have
 * ended among them, so it is no longer drawn. */
static void skip_gap(struct builder *b)
{
    b->n_open = 0;
    b->gap_below = UINT64_MAX;
    b->last_shares = false;
}

static void line(struct builder *b, size_t entry, const struct transcript_line *l)
{
    const struct transcript *t = b->t;
    char type[24];
    int from, to;
    switch (l->kind) {
    case FEED_SEND: {
        if (!transcript_line_msg(t, l, type, sizeof type, &from, &to))
            return;
        if (b->gap_below == UINT64_MAX)
            b->gap_below = l->msg;
        struct open_msg *old = find_open(b, l->msg);
        if (old) /* a fork reused the id: the old one never ended here */
            close_open(b, old, entry, b->v->rows, l->time, ST_IN_FLIGHT, NULL);
        size_t row = b->v->rows && b->last_shares && b->last_node == from && b->last_time == l->time
                         ? b->v->rows
                         : new_row(b, from, l->time, true);
        b->open = grow(b->open, &b->cap_open, b->n_open + 1, sizeof *b->open);
        struct open_msg *m = &b->open[b->n_open++];
        *m = (struct open_msg){.id = l->msg, .from = from, .to = to, .row = row, .time = l->time};
        snprintf(m->type, sizeof m->type, "%s", type);
        note_type(b->v, type);
        break;
    }
    case FEED_DELIVER:
    case FEED_LOST: {
        struct open_msg *m = l->msg ? find_open(b, l->msg) : NULL;
        bool dropped =
            l->legacy ? strstr(l->text, " dropped") != NULL : l->note.id == NOTE_SIM_DROPPED;
        enum st_fate fate = l->kind == FEED_DELIVER ? ST_DELIVERED
                            : dropped               ? ST_DROPPED
                            : m                     ? ST_LOST
                                                    : ST_LOST_AT_SEND;
        const char *why = l->kind == FEED_LOST ? lost_reason(l->text) : NULL;
        if (m) {
            size_t row = new_row(b, m->to, l->time, l->kind == FEED_DELIVER);
            close_open(b, m, entry, row, l->time, fate, why);
            return;
        }
        if (b->gap_below && l->msg < b->gap_below)
            return; /* sent in lines the record left out */
        if (!transcript_line_msg(t, l, type, sizeof type, &from, &to))
            return;
        /* Never seen in flight: lost as it was sent. */
        size_t row = new_row(b, from, l->time, false);
        struct open_msg tmp = {.id = l->msg, .from = from, .to = to, .row = row, .time = l->time};
        snprintf(tmp.type, sizeof tmp.type, "%s", type);
        note_type(b->v, type);
        b->open = grow(b->open, &b->cap_open, b->n_open + 1, sizeof *b->open);
        b->open[b->n_open++] = tmp;
        close_open(b, &b->open[b->n_open - 1], entry, row, l->time, fate, why);
        break;
    }
    case FEED_TIMER:
        if (l->node >= 0) {
            size_t row = new_row(b, l->node, l->time, true);
            add(b, ST_TIMER, entry, l->time, l->node)->row = row;
        }
        break;
    case FEED_ACTION: {
        b->last_shares = false; /* what follows an action is its own cause */
        /* "do: crash S5": the action's note and its node. */
        int node, act = transcript_line_action(t, l, NULL, &node);
        bool crash = act == NOTE_ACTION_CRASH;
        if (!crash && act != NOTE_ACTION_RESTART) {
            /* Partitions and cut links are marked where they happened. */
            static const int net[] = {NOTE_ACTION_PARTITION, NOTE_ACTION_HEAL,
                                      NOTE_ACTION_CUT,       NOTE_ACTION_CUT_BOTH,
                                      NOTE_ACTION_LINK,      NOTE_ACTION_LINK_BOTH};
            for (size_t k = 0; act && k < sizeof net / sizeof *net; k++)
                if (act == net[k]) {
                    size_t row = new_row(b, -1, l->time, false);
                    struct st_event *e = add(b, ST_NET, entry, l->time, -1);
                    e->row = row;
                    /* The action in words, borrowed from the line's text
                     * ("do: partition ..." without its "do: "). */
                    struct sbuf words;
                    sbuf_init(&words);
                    transcript_line_action(t, l, &words, NULL);
                    const char *at = l->text && words.len ? strstr(l->text, words.s) : NULL;
                    e->why = at ? at : l->text;
                    sbuf_free(&words);
                    break;
                }
            break;
        }
        if (node >= t->n_nodes)
            break;
        if (node < 0 || b->up[node] != crash)
            break;
        b->up[node] = !crash;
        size_t row = new_row(b, node, l->time, false);
        add(b, crash ? ST_CRASH : ST_RESTART, entry, l->time, node)->row = row;
        break;
    }
    case FEED_INFO:
        b->last_shares = false;
        break;
    default:
        break;
    }
}

/* New leaders of an entry, from the fields it changed. */
static void leaders(struct builder *b, size_t entry, const struct transcript_entry *e)
{
    for (size_t k = 0; k < e->n_changes; k++) {
        const struct transcript_change *c = &e->changes[k];
        if (!strcmp(c->field, "term"))
            b->term[c->node] = strtoll(c->to, NULL, 10);
    }
    for (size_t k = 0; k < e->n_changes; k++) {
        const struct transcript_change *c = &e->changes[k];
        if ((strcmp(c->field, "role") && strcmp(c->field, "phase")) || strcmp(c->to, "\"leader\""))
            continue;
        size_t row = b->v->rows ? b->v->rows : new_row(b, c->node, e->time, false);
        struct st_event *ev = add(b, ST_LEADER, entry, e->time, c->node);
        ev->row = row;
        ev->term = b->t->protocol == PROTO_RAFT ? b->term[c->node] : -1;
    }
}

void st_build(const struct transcript *t, struct st_view *v)
{
    memset(v, 0, sizeof *v);
    struct builder b = {.t = t, .v = v, .last_node = -1};
    for (int i = 0; i < PROTO_MAX_NODES; i++)
        b.up[i] = true;
    for (size_t i = 0; i < t->n_start; i++)
        line(&b, 0, &t->start[i]);
    /* The run as it ended: a branch left behind is never drawn. */
    struct transcript_kept kept;
    transcript_kept_build(t, &kept);
    for (size_t k = 0; k < t->n; k++) {
        const struct transcript_entry *e = &t->e[k];
        if (kept.entry[k] != TK_KEPT)
            continue;
        size_t first = v->rows + 1;
        for (size_t i = 0; i < e->n_lines; i++) {
            if (e->elided.n && i == e->elided.after)
                skip_gap(&b);
            if (transcript_kept_line(&kept, k, i))
                line(&b, k + 1, &e->lines[i]);
        }
        if (e->elided.n && e->elided.after == e->n_lines)
            skip_gap(&b);
        leaders(&b, k + 1, e);
        if (v->rows >= first) {
            v->marks = grow(v->marks, &v->cap_marks, v->n_marks + 1, sizeof *v->marks);
            v->marks[v->n_marks++] = (struct st_mark){k + 1, first, e->time};
        }
    }
    transcript_kept_free(&kept);
    /* Still in flight at the end: they run off the bottom. */
    while (b.n_open) {
        struct open_msg *m = &b.open[0];
        close_open(&b, m, t->n, v->rows + 1, m->time, ST_IN_FLIGHT, NULL);
    }
    free(b.open);
}

void st_free(struct st_view *v)
{
    free(v->ev);
    free(v->marks);
    memset(v, 0, sizeof *v);
}

const char *st_type_abbrev(const char *type)
{
    static const struct {
        const char *type, *abbrev;
    } names[] = {
        {"RequestVote", "RV"},     {"RequestVoteReply", "RVR"},
        {"AppendEntries", "AE"},   {"AppendEntriesReply", "AER"},
        {"Prepare", "Prep"},       {"Promise", "Prom"},
        {"Accept", "Acc"},         {"Accepted", "Accd"},
        {"Nack", "Nack"},          {"Chosen", "Chos"},
        {"InstallSnapshot", "IS"}, {"InstallSnapshotReply", "ISR"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(names[i].type, type))
            return names[i].abbrev;
    return type;
}
