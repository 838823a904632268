/* sim: the virtual cluster — clock, network and the nodes' engines. */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "note_text.h"

#define PPB 1000000000ULL

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p)
        abort();
    return p;
}

struct sim *sim_new(enum protocol p, const struct proto_config *cfg, const struct sim_net *net,
                    uint64_t seed, struct strpool *strings)
{
    struct sim *s = xcalloc(1, sizeof *s);
    s->ops = engine_for(p);
    s->cfg = *cfg;
    s->net = *net;
    prng_seed(&s->rng, seed);
    s->strings = strings;
    monitor_init(&s->mon, p);
    proto_out_init(&s->out);
    for (int i = 0; i < cfg->n_nodes; i++) {
        s->nodes[i].engine = s->ops->create(i);
        s->nodes[i].timer = -1;
    }
    return s;
}

void sim_free(struct sim *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->cfg.n_nodes; i++)
        s->ops->destroy(s->nodes[i].engine);
    for (size_t i = 0; i < s->n_pending; i++)
        msg_free(&s->pending[i].m);
    free(s->pending);
    monitor_free(&s->mon);
    proto_out_free(&s->out);
    free(s);
}

struct sim *sim_clone(const struct sim *s)
{
    struct sim *c = xcalloc(1, sizeof *c);
    *c = *s;
    c->feed = NULL;
    proto_out_init(&c->out);
    for (int i = 0; i < s->cfg.n_nodes; i++)
        c->nodes[i].engine = s->ops->clone(s->nodes[i].engine);
    c->cap_pending = s->n_pending;
    c->pending = s->n_pending ? xcalloc(s->n_pending, sizeof *c->pending) : NULL;
    for (size_t i = 0; i < s->n_pending; i++) {
        c->pending[i] = s->pending[i];
        msg_clone(&c->pending[i].m, &s->pending[i].m);
    }
    monitor_clone(&c->mon, &s->mon);
    return c;
}

bool sim_op_same(const struct sim_op *a, const struct sim_op *b)
{
    return a->kind == b->kind && a->msg_id == b->msg_id && a->id_floor == b->id_floor &&
           a->node == b->node && a->from == b->from && a->to == b->to && a->both == b->both &&
           !memcmp(a->groups, b->groups, sizeof a->groups) && a->text == b->text &&
           a->msg == b->msg && a->time == b->time && a->set_has_timeout == b->set_has_timeout &&
           a->set_timeout == b->set_timeout && a->set_timeouts_mask == b->set_timeouts_mask &&
           !memcmp(a->set_timeouts, b->set_timeouts, sizeof a->set_timeouts) &&
           a->set_options_on == b->set_options_on && a->set_options_off == b->set_options_off &&
           a->set_has_election == b->set_has_election &&
           a->set_election_min == b->set_election_min &&
           a->set_election_max == b->set_election_max &&
           a->set_has_heartbeat == b->set_has_heartbeat && a->set_heartbeat == b->set_heartbeat &&
           a->set_has_snapshot_every == b->set_has_snapshot_every &&
           a->set_snapshot_every == b->set_snapshot_every && a->client == b->client &&
           a->seq == b->seq;
}

bool sim_node_up(const struct sim *s, int i)
{
    return s->ops->up(s->nodes[i].engine);
}

bool sim_link_open(const struct sim *s, int from, int to)
{
    return s->group[from] == s->group[to] && !s->cut[from][to];
}

int sim_node_field(const struct sim *s, int node, const char *name, struct sbuf *out)
{
    return s->ops->field(s->nodes[node].engine, &s->cfg, name, out);
}

const struct sim_msg *sim_find_msg(const struct sim *s, uint64_t id)
{
    for (size_t i = 0; i < s->n_pending; i++)
        if (s->pending[i].id == id)
            return &s->pending[i];
    return NULL;
}

static void sim_note_args(struct sim *s, int node, enum feed_kind kind, uint64_t msg_id, int id,
                          const struct note_arg *args, size_t n)
{
    /* The arguments go to the feed's line as they are (no struct
     * proto_note of NOTE_MAX_ARGS between). */
    feed_add_args(s->feed, s->now, node, kind, msg_id, id, args, (int)n, s->cfg.names,
                  s->cfg.n_nodes);
}

/* A feed entry as a note of tutor/notes_tutor.def. */
#define sim_note(s, node, kind, msg_id, id, ...)                                                   \
    sim_note_args((s), (node), (kind), (msg_id), (id), (const struct note_arg[]){__VA_ARGS__},     \
                  sizeof((const struct note_arg[]){__VA_ARGS__}) / sizeof(struct note_arg))

/* Nothing happened: why, in the interface language. */
static void nothing_note(struct sim *s, struct sim_result *res, int id, int n_args,
                         struct note_arg arg)
{
    struct proto_note note = {.id = (uint16_t)id, .n_args = (uint8_t)n_args, .args = {arg}};
    struct sbuf b;
    sbuf_init(&b);
    note_render(&note, s->cfg.names, s->cfg.n_nodes, &b);
    res->did = false;
    snprintf(res->why, sizeof res->why, "%s", b.s);
    res->why_note = note;
    sbuf_free(&b);
}

static int64_t draw_latency(struct sim *s)
{
    if (s->net.latency_min >= s->net.latency_max)
        return s->net.latency_min;
    return prng_range(&s->rng, s->net.latency_min, s->net.latency_max);
}

static struct sim_msg *push_pending(struct sim *s)
{
    if (s->n_pending == s->cap_pending) {
        s->cap_pending = s->cap_pending ? s->cap_pending * 2 : 16;
        struct sim_msg *p = realloc(s->pending, s->cap_pending * sizeof *p);
        if (!p)
            abort();
        s->pending = p;
    }
    s->next.known = false;
    return &s->pending[s->n_pending++];
}

static void remove_pending(struct sim *s, size_t i)
{
    s->next.known = false;
    memmove(&s->pending[i], &s->pending[i + 1], (s->n_pending - i - 1) * sizeof *s->pending);
    s->n_pending--;
}

/* Puts m in flight (taking ownership of its arrays): lost at once if the
 * link is closed or the network loses it; otherwise due after a drawn
 * latency, perhaps with a duplicate. A copy made by the `duplicate` action
 * (by_hand) is never lost or duplicated by the network's loss and
 * duplicate (the lesson format's duplicate action): only its latency is
 * drawn. */
static void net_send_as(struct sim *s, struct msg *m, bool injected, bool by_hand)
{
    uint64_t id = ++s->next_msg_id;
    if (!sim_link_open(s, m->from, m->to)) {
        sim_note(s, m->from, FEED_LOST, id, NOTE_SIM_LOST_UNREACHABLE, note_int((int64_t)id),
                 note_msg(m), note_node(m->from), note_node(m->to));
        msg_free(m);
        return;
    }
    if (!by_hand && s->net.loss_ppb && prng_chance(&s->rng, s->net.loss_ppb, PPB)) {
        sim_note(s, m->from, FEED_LOST, id, NOTE_SIM_LOST_BY_NETWORK, note_int((int64_t)id),
                 note_msg(m));
        msg_free(m);
        return;
    }
    int64_t latency = draw_latency(s);
    struct sim_msg *p = push_pending(s);
    *p = (struct sim_msg){.id = id,
                          .seq = s->next_seq++,
                          .sent_at = s->now,
                          .due = s->now + latency,
                          .injected = injected,
                          .m = *m};
    sim_note(s, m->from, FEED_SEND, id, NOTE_SIM_SENT, note_int((int64_t)id), note_msg(m),
             note_int(p->due));
    if (!by_hand && s->net.duplicate_ppb && prng_chance(&s->rng, s->net.duplicate_ppb, PPB)) {
        struct msg copy;
        msg_clone(&copy, m);
        int64_t lat2 = draw_latency(s);
        uint64_t id2 = ++s->next_msg_id;
        struct sim_msg *d = push_pending(s);
        *d = (struct sim_msg){.id = id2,
                              .seq = s->next_seq++,
                              .sent_at = s->now,
                              .due = s->now + lat2,
                              .duplicate = true,
                              .injected = injected,
                              .m = copy};
        sim_note(s, m->from, FEED_SEND, id2, NOTE_SIM_SENT_DUPLICATE, note_int((int64_t)id2),
                 note_msg(m), note_int((int64_t)id), note_int(d->due));
    }
}

static void net_send(struct sim *s, struct msg *m, bool injected)
{
    net_send_as(s, m, injected, false);
}

/* Steps one node's engine and carries out what it asked for. */
static void node_step_in(struct sim *s, int i, struct proto_in in, struct sim_result *res)
{
    struct monitor_pre pre;
    monitor_before(s, i, &pre);
    in.now = s->now;
    in.cfg = &s->cfg;
    in.rng = &s->rng;
    proto_out_reset(&s->out);
    s->ops->step(s->nodes[i].engine, &in, &s->out);
    monitor_after(s, i, &pre);
    struct proto_out *out = &s->out;
    for (size_t k = 0; k < out->n_notes; k++)
        feed_add_note(s->feed, s->now, i, FEED_NOTE, 0, &out->notes[k], s->cfg.names,
                      s->cfg.n_nodes);
    for (size_t k = 0; k < out->n_applied; k++)
        sim_note(s, i, FEED_APPLY, 0, NOTE_SIM_APPLIES, note_node(i),
                 note_int(out->applied[k].index),
                 note_str(out->applied[k].cmd ? out->applied[k].cmd : ""));
    if (out->timer != s->nodes[i].timer) {
        s->next.known = false;
        s->nodes[i].timer = out->timer;
        s->nodes[i].timer_seq = s->next_seq++;
    }
    if (res) {
        res->client = out->client;
        res->client_hint = out->client_hint;
    }
    /* The network takes the messages over: the scratch output forgets them. */
    size_t n = out->n_msgs;
    out->n_msgs = 0;
    for (size_t k = 0; k < n; k++)
        net_send(s, &out->msgs[k], false);
}

static void node_step(struct sim *s, int i, enum proto_in_kind kind, const struct msg *m,
                      const char *command, struct sim_result *res)
{
    node_step_in(s, i, (struct proto_in){.kind = kind, .msg = m, .command = command}, res);
}

/* A client's operation: a request, a read or a transfer. */
static void client_op(struct sim *s, const struct sim_op *op, struct sim_result *res)
{
    struct proto_in in = {.kind = IN_CLIENT,
                          .command = op->text,
                          .client = op->client,
                          .seq = op->seq,
                          .target = op->to};
    if (op->kind == OP_READ) {
        in.kind = IN_READ;
        in.seq = monitor_read_begin(s, op->node, op->text);
    } else if (op->kind == OP_TRANSFER) {
        in.kind = IN_TRANSFER;
    }
    node_step_in(s, op->node, in, res);
}

void sim_start(struct sim *s)
{
    for (int i = 0; i < s->cfg.n_nodes; i++)
        node_step(s, i, IN_START, NULL, NULL, NULL);
}

/* The next event: the earliest (time, seq) among pending messages and
 * node timers. Returns 1 for a message (index in *msg), 2 for a timer
 * (node in *node), 0 for none. */
static int scan_next_event(const struct sim *s, size_t *msg, int *node, int64_t *time)
{
    int kind = 0;
    int64_t best_t = 0;
    uint64_t best_seq = 0;
    for (size_t i = 0; i < s->n_pending; i++) {
        const struct sim_msg *p = &s->pending[i];
        /* In send order, sent_at never decreases (the clock only moves
         * forward) and seq grows, and no message is due before sent_at +
         * latency_min (the network's settings are fixed): once that bound
         * reaches the best so far, no later message can come first. */
        if (kind && p->sent_at + s->net.latency_min >= best_t)
            break;
        if (!kind || p->due < best_t || (p->due == best_t && p->seq < best_seq)) {
            kind = 1, *msg = i, best_t = p->due, best_seq = p->seq;
        }
    }
    for (int i = 0; i < s->cfg.n_nodes; i++) {
        const struct sim_node *n = &s->nodes[i];
        if (n->timer < 0)
            continue;
        if (!kind || n->timer < best_t || (n->timer == best_t && n->timer_seq < best_seq)) {
            kind = 2, *node = i, best_t = n->timer, best_seq = n->timer_seq;
        }
    }
    *time = best_t;
    return kind;
}

/* scan_next_event, remembered in s->next (a memo, hence the cast: the
 * runner asks for the next event's time and then processes it, and the
 * scan of every message in flight is done once for both). */
static int next_event(const struct sim *cs, size_t *msg, int *node, int64_t *time)
{
    struct sim_next *n = &((struct sim *)cs)->next;
    if (!n->known) {
        n->msg = 0;
        n->node = -1;
        n->kind = scan_next_event(cs, &n->msg, &n->node, &n->time);
        n->known = true;
    }
    *msg = n->msg;
    *node = n->node;
    *time = n->time;
    return n->kind;
}

int64_t sim_next_event_time(const struct sim *s)
{
    size_t m;
    int n;
    int64_t t;
    return next_event(s, &m, &n, &t) ? t : -1;
}

/* Delivers pending message i now (removing it from flight). */
static void deliver(struct sim *s, size_t i)
{
    struct sim_msg p = s->pending[i];
    remove_pending(s, i);
    if (!sim_node_up(s, p.m.to)) {
        sim_note(s, p.m.to, FEED_LOST, p.id, NOTE_SIM_LOST_DOWN, note_int((int64_t)p.id),
                 note_msg(&p.m), note_node(p.m.to));
    } else {
        sim_note(s, p.m.to, FEED_DELIVER, p.id, NOTE_SIM_DELIVERED, note_int((int64_t)p.id),
                 note_msg(&p.m));
        node_step(s, p.m.to, IN_MESSAGE, &p.m, NULL, NULL);
    }
    msg_free(&p.m);
}

static size_t find_index(const struct sim *s, uint64_t id)
{
    for (size_t i = 0; i < s->n_pending; i++)
        if (s->pending[i].id == id)
            return i;
    return (size_t)-1;
}

/* Loses every message in flight on a link that is now closed. */
static void drop_closed_links(struct sim *s)
{
    for (size_t i = 0; i < s->n_pending;) {
        struct sim_msg *p = &s->pending[i];
        if (sim_link_open(s, p->m.from, p->m.to)) {
            i++;
            continue;
        }
        sim_note(s, -1, FEED_LOST, p->id, NOTE_SIM_LOST_CUT, note_int((int64_t)p->id),
                 note_msg(&p->m));
        msg_free(&p->m);
        remove_pending(s, i);
    }
}

static void apply_set(struct sim *s, const struct sim_op *op)
{
    for (int i = 0; i < s->cfg.n_nodes; i++) {
        if (op->node >= 0 && op->node != i)
            continue;
        if (op->set_has_timeout)
            s->cfg.fixed_timeout[i] = op->set_timeout;
        s->cfg.options[i] = (s->cfg.options[i] | op->set_options_on) & ~op->set_options_off;
        if (op->set_has_snapshot_every)
            s->cfg.snapshot_every[i] = op->set_snapshot_every;
    }
    for (int i = 0; i < s->cfg.n_nodes; i++)
        if (op->set_timeouts_mask & (1u << i))
            s->cfg.fixed_timeout[i] = op->set_timeouts[i];
    if (op->set_has_election) {
        s->cfg.election_min = op->set_election_min;
        s->cfg.election_max = op->set_election_max;
    }
    if (op->set_has_heartbeat)
        s->cfg.heartbeat = op->set_heartbeat;
}

static void op_event(struct sim *s, struct sim_result *res)
{
    size_t mi;
    int node;
    int64_t t;
    int kind = next_event(s, &mi, &node, &t);
    if (!kind) {
        nothing_note(s, res, NOTE_SIM_NOTHING_SCHEDULED, 0, note_int(0));
        return;
    }
    if (t > s->now)
        s->now = t;
    s->events++;
    if (kind == 1) {
        deliver(s, mi);
        return;
    }
    s->nodes[node].timer = -1; /* consumed; the engine sets the next one */
    s->next.known = false;
    sim_note(s, node, FEED_TIMER, 0, NOTE_SIM_TIMER_FIRES, note_node(node));
    node_step(s, node, IN_TIMER, NULL, NULL, NULL);
}

void sim_apply(struct sim *s, const struct sim_op *op, struct sim_result *res)
{
    /* Field by field: the why text (160 bytes) and note are written only
     * when nothing happens (nothing_note), and clearing them whole on
     * every event cost more than the event's bookkeeping. */
    res->did = true;
    res->client = CLIENT_NONE;
    res->client_hint = -1;
    res->why[0] = '\0';
    res->why_note.id = 0;
    res->why_note.n_args = 0;
    if (op->id_floor > s->next_msg_id)
        s->next_msg_id = op->id_floor;
    size_t i;
    switch (op->kind) {
    case OP_EVENT:
        op_event(s, res);
        break;
    case OP_DELIVER:
    case OP_DROP:
    case OP_DUPLICATE:
        i = find_index(s, op->msg_id);
        if (i == (size_t)-1) {
            nothing_note(s, res, NOTE_SIM_NOT_IN_FLIGHT, 1, note_int((int64_t)op->msg_id));
        } else if (op->kind == OP_DELIVER) {
            deliver(s, i);
        } else if (op->kind == OP_DROP) {
            sim_note(s, -1, FEED_LOST, op->msg_id, NOTE_SIM_DROPPED, note_int((int64_t)op->msg_id),
                     note_msg(&s->pending[i].m));
            msg_free(&s->pending[i].m);
            remove_pending(s, i);
        } else {
            struct msg copy;
            msg_clone(&copy, &s->pending[i].m);
            uint64_t from = op->msg_id;
            uint64_t next = s->next_msg_id + 1;
            net_send_as(s, &copy, s->pending[i].injected, true);
            i = find_index(s, next);
            if (i != (size_t)-1)
                s->pending[i].duplicate = true;
            sim_note(s, -1, FEED_ACTION, next, NOTE_SIM_COPY, note_int((int64_t)next),
                     note_int((int64_t)from));
        }
        break;
    case OP_TIMEOUT:
        if (!sim_node_up(s, op->node))
            nothing_note(s, res, NOTE_SIM_DOWN_NO_TIMER, 1, note_node(op->node));
        else
            node_step(s, op->node, IN_TIMER, NULL, NULL, NULL);
        break;
    case OP_CRASH:
        if (!sim_node_up(s, op->node))
            nothing_note(s, res, NOTE_SIM_ALREADY_DOWN, 1, note_node(op->node));
        else
            node_step(s, op->node, IN_CRASH, NULL, NULL, NULL);
        break;
    case OP_RESTART:
        if (sim_node_up(s, op->node))
            nothing_note(s, res, NOTE_SIM_ALREADY_UP, 1, note_node(op->node));
        else
            node_step(s, op->node, IN_RESTART, NULL, NULL, NULL);
        break;
    case OP_SNAPSHOT:
        if (!sim_node_up(s, op->node))
            nothing_note(s, res, NOTE_SIM_DOWN_NO_SNAPSHOT, 1, note_node(op->node));
        else
            node_step(s, op->node, IN_SNAPSHOT, NULL, NULL, NULL);
        break;
    case OP_PARTITION:
        memcpy(s->group, op->groups, sizeof s->group);
        drop_closed_links(s);
        break;
    case OP_HEAL:
        memset(s->group, 0, sizeof s->group);
        memset(s->cut, 0, sizeof s->cut);
        break;
    case OP_CUT:
    case OP_LINK:
        s->cut[op->from][op->to] = op->kind == OP_CUT;
        if (op->both)
            s->cut[op->to][op->from] = op->kind == OP_CUT;
        drop_closed_links(s);
        break;
    case OP_CLIENT:
        if (!sim_node_up(s, op->node)) {
            nothing_note(s, res, NOTE_SIM_DOWN_NO_ANSWER, 1, note_node(op->node));
            res->client = CLIENT_DOWN;
            break;
        }
        if (s->ops->protocol == PROTO_PAXOS)
            monitor_proposed(&s->mon, op->text);
        client_op(s, op, res);
        break;
    case OP_READ:
    case OP_TRANSFER:
        if (op->node < 0) {
            nothing_note(s, res, NOTE_SIM_NO_LEADER, 0, note_int(0));
            res->client = CLIENT_DOWN;
        } else if (!sim_node_up(s, op->node)) {
            nothing_note(s, res, NOTE_SIM_DOWN_NO_ANSWER, 1, note_node(op->node));
            res->client = CLIENT_DOWN;
        } else {
            client_op(s, op, res);
        }
        break;
    case OP_ADD_SERVER:
    case OP_REMOVE_SERVER:
        if (!sim_node_up(s, op->node)) {
            nothing_note(s, res, NOTE_SIM_DOWN_NO_ANSWER, 1, note_node(op->node));
            res->client = CLIENT_DOWN;
        } else {
            struct proto_in in = {.kind = IN_CLIENT,
                                  .now = s->now,
                                  .cfg = &s->cfg,
                                  .rng = &s->rng,
                                  .change = op->kind == OP_ADD_SERVER ? CHANGE_ADD_SERVER
                                                                      : CHANGE_REMOVE_SERVER,
                                  .server = op->to};
            node_step_in(s, op->node, in, res);
        }
        break;
    case OP_INJECT: {
        struct msg copy;
        msg_clone(&copy, op->msg);
        net_send(s, &copy, true);
        break;
    }
    case OP_SET:
        apply_set(s, op);
        break;
    case OP_ADVANCE:
        if (op->time > s->now)
            s->now = op->time;
        break;
    }
    if (!res->did)
        feed_add_note(s->feed, s->now, -1, FEED_INFO, 0, &res->why_note, s->cfg.names,
                      s->cfg.n_nodes);
}
