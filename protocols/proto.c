/* proto: the output buffers engines fill, and small shared helpers. */
#include "proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"

static void *grow(void *p, size_t *cap, size_t elem)
{
    *cap = *cap ? *cap * 2 : 8;
    void *q = realloc(p, *cap * elem);
    if (!q)
        abort();
    return q;
}

void proto_out_init(struct proto_out *o)
{
    memset(o, 0, sizeof *o);
    o->timer = -1;
    o->client_hint = -1;
}

void proto_out_reset(struct proto_out *o)
{
    for (size_t i = 0; i < o->n_msgs; i++)
        msg_free(&o->msgs[i]);
    o->n_msgs = o->n_notes = o->n_applied = o->n_accepts = o->n_learns = 0;
    o->n_reads = o->n_answers = 0;
    o->timer = -1;
    o->persisted = false;
    o->client = CLIENT_NONE;
    o->client_hint = -1;
}

void proto_out_free(struct proto_out *o)
{
    proto_out_reset(o);
    free(o->msgs);
    free(o->notes);
    free(o->applied);
    free(o->accepts);
    free(o->learns);
    free(o->reads);
    free(o->answers);
    proto_out_init(o);
}

struct msg *proto_send(struct proto_out *o, int type, int from, int to)
{
    if (o->n_msgs == o->cap_msgs)
        o->msgs = grow(o->msgs, &o->cap_msgs, sizeof *o->msgs);
    struct msg *m = &o->msgs[o->n_msgs++];
    memset(m, 0, sizeof *m);
    m->type = (enum msg_type)type;
    m->from = from;
    m->to = to;
    return m;
}

static struct proto_note *new_note(struct proto_out *o, int id)
{
    if (o->n_notes == o->cap_notes)
        o->notes = grow(o->notes, &o->cap_notes, sizeof *o->notes);
    struct proto_note *n = &o->notes[o->n_notes++];
    n->id = (uint16_t)id;
    n->n_args = 0;
    return n;
}

void proto_note0(struct proto_out *o, int id)
{
    new_note(o, id);
}

void proto_note_args(struct proto_out *o, int id, const struct note_arg *args, size_t n)
{
    struct proto_note *note = new_note(o, id);
    if (n > NOTE_MAX_ARGS)
        abort(); /* a note with more arguments than its template can name */
    memcpy(note->args, args, n * sizeof *args);
    note->n_args = (uint8_t)n;
}

void proto_apply(struct proto_out *o, int64_t index, const char *cmd)
{
    if (o->n_applied == o->cap_applied)
        o->applied = grow(o->applied, &o->cap_applied, sizeof *o->applied);
    o->applied[o->n_applied].index = index;
    o->applied[o->n_applied].cmd = cmd;
    o->n_applied++;
}

void proto_read_answer(struct proto_out *o, const struct proto_read *r)
{
    if (o->n_reads == o->cap_reads)
        o->reads = grow(o->reads, &o->cap_reads, sizeof *o->reads);
    o->reads[o->n_reads++] = *r;
}

void proto_answer(struct proto_out *o, const char *client, int64_t seq)
{
    if (o->n_answers == o->cap_answers)
        o->answers = grow(o->answers, &o->cap_answers, sizeof *o->answers);
    o->answers[o->n_answers++] = (struct proto_answer){client, seq};
}

static void slot_event(struct proto_slot_event **arr, size_t *n, size_t *cap, int64_t slot,
                       struct ballot b, const char *value)
{
    if (*n == *cap)
        *arr = grow(*arr, cap, sizeof **arr);
    (*arr)[*n].slot = slot;
    (*arr)[*n].ballot = b;
    (*arr)[*n].value = value;
    (*n)++;
}

void proto_accepted(struct proto_out *o, int64_t slot, struct ballot b, const char *value)
{
    slot_event(&o->accepts, &o->n_accepts, &o->cap_accepts, slot, b, value);
}

void proto_learned(struct proto_out *o, int64_t slot, const char *value)
{
    struct ballot none = {0, 0};
    slot_event(&o->learns, &o->n_learns, &o->cap_learns, slot, none, value);
}

int64_t proto_draw_timeout(const struct proto_config *cfg, int self, struct prng *rng)
{
    if (cfg->fixed_timeout[self] >= 0)
        return cfg->fixed_timeout[self];
    return prng_range(rng, cfg->election_min, cfg->election_max);
}

int proto_node_index(const struct proto_config *cfg, const char *name)
{
    for (int i = 0; i < cfg->n_nodes; i++)
        if (strcmp(cfg->names[i], name) == 0)
            return i;
    return -1;
}

/* Appends the n bytes at s to buf (size cap, *len used), cut as snprintf
 * cuts: at most cap - 1 bytes, then the NUL. */
static void put_cut(char *buf, size_t cap, size_t *len, const char *s, size_t n)
{
    if (*len + 1 >= cap)
        return;
    size_t room = cap - 1 - *len;
    if (n > room)
        n = room;
    memcpy(buf + *len, s, n);
    *len += n;
    buf[*len] = '\0';
}

const char *ballot_format(struct ballot b, const struct proto_config *cfg, char *buf, size_t n)
{
    if (n == 0)
        return buf;
    size_t len = 0;
    buf[0] = '\0';
    if (b.round == 0) {
        put_cut(buf, n, &len, "null", 4);
        return buf;
    }
    /* "%lld.%s" without printf (ballots are in every Paxos line a feed or
     * a transcript renders). */
    char num[24], *p = num + sizeof num;
    unsigned long long u =
        b.round < 0 ? 0ull - (unsigned long long)b.round : (unsigned long long)b.round;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (b.round < 0)
        *--p = '-';
    put_cut(buf, n, &len, p, (size_t)(num + sizeof num - p));
    put_cut(buf, n, &len, ".", 1);
    const char *name = b.node >= 0 && b.node < cfg->n_nodes ? cfg->names[b.node] : "?";
    put_cut(buf, n, &len, name, strlen(name));
    return buf;
}
