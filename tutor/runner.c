/* runner: lesson steps and actions on a recorded cluster. */
#include "runner.h"

#include "note_text.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore_step.h"
#include "facts.h"
#include "protocols/paxos.h"
#include "protocols/raft.h"

static void set_initial_state(struct runner *r, struct sim *s)
{
    const struct lesson *l = r->lesson;
    for (int i = 0; i < l->cfg.n_nodes; i++) {
        const struct lesson_initial *in = &l->initial[i];
        if (!in->given)
            continue;
        if (l->protocol == PROTO_RAFT) {
            struct entry *log = calloc(in->n_log ? in->n_log : 1, sizeof *log);
            if (!log)
                abort();
            for (size_t k = 0; k < in->n_log; k++) {
                log[k] = in->log[k]; /* a configuration entry has no command */
                if (in->log[k].cmd)
                    log[k].cmd = strpool_intern(r->strings, in->log[k].cmd);
            }
            raft_set_initial(sim_node(s, i), in->term, in->voted_for, log, in->n_log);
            free(log);
        } else {
            struct paxos_accepted *acc = calloc(in->n_accepted ? in->n_accepted : 1, sizeof *acc);
            if (!acc)
                abort();
            for (size_t k = 0; k < in->n_accepted; k++) {
                acc[k].ballot = in->accepted[k].ballot;
                acc[k].value = strpool_intern(r->strings, in->accepted[k].value);
                /* Values accepted before the lesson began were proposed then,
                 * and count towards what is chosen. */
                monitor_proposed(&s->mon, acc[k].value);
                struct proto_slot_event e = {in->slots[k], acc[k].ballot, acc[k].value};
                monitor_paxos_accepted(s, i, &e);
            }
            paxos_set_initial(sim_node(s, i), in->promised, in->slots, acc, in->n_accepted);
            free(acc);
        }
    }
}

struct runner *runner_new(const struct lesson *l)
{
    struct runner *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    r->lesson = l;
    r->strings = strpool_new();
    struct sim_net net = {l->latency_min, l->latency_max, l->loss_ppb, l->duplicate_ppb};
    struct sim *s = sim_new(l->protocol, &l->cfg, &net, l->seed, r->strings);
    set_initial_state(r, s);
    r->h = history_new(s);
    return r;
}

void runner_free(struct runner *r)
{
    if (!r)
        return;
    history_free(r->h);
    strpool_free(r->strings);
    free(r);
}

struct sim *runner_sim(const struct runner *r)
{
    return r->h->cur;
}

static void apply(struct runner *r, struct sim_op *op, struct sim_result *res)
{
    /* A delivery to a node that is down only loses the message. */
    const struct sim *s = runner_sim(r);
    const struct sim_msg *m = op->kind == OP_DELIVER ? sim_find_msg(s, op->msg_id) : NULL;
    bool to_down = m && !sim_node_up(s, m->m.to);
    history_apply(r->h, op, res);
    if (res->did && !to_down && res->client != CLIENT_REFUSED && res->client != CLIENT_DOWN)
        r->effective++;
}

static void action_note(const struct runner *r, const struct action *a, struct proto_note *n,
                        char *buf, size_t size);

/* Tells the feed what is being done, stamped with the position of the
 * action's first operation (after forking, if acting in the past). */
static void say_action(struct runner *r, const struct action *a)
{
    struct history *h = r->h;
    history_fork_if_past(h);
    r->acts++;
    h->feed.pos = h->pos + 1;
    /* "do: {1}", {1} the action's own note with its arguments after it,
     * kept as data (rendered when shown, in the language of the moment). */
    struct proto_note what, n = {.id = NOTE_RUNNER_DO, .n_args = 1};
    char groups[PROTO_MAX_NODES * 40];
    action_note(r, a, &what, groups, sizeof groups);
    if (what.n_args < NOTE_MAX_ARGS) {
        n.args[0] = note_phrase(what.id);
        n.args[0].aux = 1;
        memcpy(n.args + 1, what.args, what.n_args * sizeof *what.args);
        n.n_args = (uint8_t)(1 + what.n_args);
        feed_add_note(&h->feed, h->cur->now, -1, FEED_ACTION, 0, &n, r->lesson->cfg.names,
                      r->lesson->cfg.n_nodes);
        return;
    }
    struct sbuf b;
    sbuf_init(&b);
    note_render(&what, r->lesson->cfg.names, r->lesson->cfg.n_nodes, &b);
    n.args[0] = note_str(b.s);
    feed_add_note(&h->feed, h->cur->now, -1, FEED_ACTION, 0, &n, r->lesson->cfg.names,
                  r->lesson->cfg.n_nodes);
    sbuf_free(&b);
}

static const char *node_name(const struct runner *r, int i)
{
    return i >= 0 && i < r->lesson->cfg.n_nodes ? r->lesson->cfg.names[i] : "?";
}

/* The action as a note of tutor/notes_tutor.def; texts it names
 * (groups) go in buf, which must outlive the note. */
static void action_note(const struct runner *r, const struct action *a, struct proto_note *n,
                        char *buf, size_t size)
{
    static const int match_notes[] = {
        [ACT_DELIVER] = NOTE_ACTION_DELIVER,
        [ACT_DROP] = NOTE_ACTION_DROP,
        [ACT_DUPLICATE] = NOTE_ACTION_DUPLICATE,
    };
    static const int node_notes[] = {
        [ACT_TIMEOUT] = NOTE_ACTION_TIMEOUT,       [ACT_CRASH] = NOTE_ACTION_CRASH,
        [ACT_RESTART] = NOTE_ACTION_RESTART,       [ACT_SNAPSHOT] = NOTE_ACTION_SNAPSHOT,
        [ACT_ADD_SERVER] = NOTE_ACTION_ADD_SERVER, [ACT_REMOVE_SERVER] = NOTE_ACTION_REMOVE_SERVER,
    };
    memset(n, 0, sizeof *n);
    struct note_arg *g = n->args;
    switch (a->kind) {
    case ACT_STEP:
        n->id = a->count != 1 ? NOTE_ACTION_STEP_N : NOTE_ACTION_STEP;
        g[n->n_args++] = note_int(a->count);
        break;
    case ACT_RUN:
        n->id = a->for_ms >= 0 ? (a->until ? NOTE_ACTION_RUN_FOR_UNTIL : NOTE_ACTION_RUN_FOR)
                               : (a->until ? NOTE_ACTION_RUN_UNTIL : NOTE_ACTION_RUN);
        g[n->n_args++] = note_int(a->for_ms);
        break;
    case ACT_SETTLE:
        n->id = NOTE_ACTION_SETTLE;
        break;
    case ACT_DELIVER:
    case ACT_DROP:
    case ACT_DUPLICATE: {
        bool m = a->has_match;
        n->id = (uint16_t)match_notes[a->kind];
        g[0] = note_phrase(m && a->match.type != MSG_NONE ? NOTE_ACTION_MATCH_TYPE : NOTE_NONE);
        g[1] = note_phrase(m && a->match.from >= 0 ? NOTE_ACTION_MATCH_FROM : NOTE_NONE);
        g[2] = note_phrase(m && a->match.to >= 0 ? NOTE_ACTION_MATCH_TO : NOTE_NONE);
        g[3] = note_phrase(a->all ? NOTE_ACTION_MATCH_ALL : NOTE_NONE);
        g[4] = note_msgtype(m ? a->match.type : MSG_NONE);
        g[5] = note_node(m ? a->match.from : -1);
        g[6] = note_node(m ? a->match.to : -1);
        n->n_args = 7;
        break;
    }
    case ACT_TIMEOUT:
    case ACT_CRASH:
    case ACT_RESTART:
    case ACT_SNAPSHOT:
    case ACT_ADD_SERVER:
    case ACT_REMOVE_SERVER:
        n->id = (uint16_t)node_notes[a->kind];
        g[n->n_args++] = note_node(a->node);
        break;
    case ACT_PARTITION: {
        size_t k = 0;
        buf[0] = 0;
        for (int grp = 0; grp <= PROTO_MAX_NODES; grp++) {
            bool any = false;
            for (int i = 0; i < r->lesson->cfg.n_nodes; i++)
                if (a->groups[i] == grp && k < size) {
                    k += (size_t)snprintf(buf + k, size - k, "%s%s",
                                          any   ? " "
                                          : grp ? " | "
                                                : " ",
                                          node_name(r, i));
                    any = true;
                }
        }
        n->id = NOTE_ACTION_PARTITION;
        g[n->n_args++] = note_str(buf);
        break;
    }
    case ACT_HEAL:
        n->id = NOTE_ACTION_HEAL;
        break;
    case ACT_CUT:
    case ACT_LINK:
        n->id = a->kind == ACT_CUT ? (a->both ? NOTE_ACTION_CUT_BOTH : NOTE_ACTION_CUT)
                                   : (a->both ? NOTE_ACTION_LINK_BOTH : NOTE_ACTION_LINK);
        g[n->n_args++] = note_node(a->from);
        g[n->n_args++] = note_node(a->to);
        break;
    case ACT_REQUEST:
    case ACT_PROPOSE:
        n->id = a->kind == ACT_REQUEST ? NOTE_ACTION_REQUEST : NOTE_ACTION_PROPOSE;
        g[n->n_args++] = note_node(a->node);
        g[n->n_args++] = note_str(a->text ? a->text : "");
        if (a->client) {
            n->id = NOTE_ACTION_REQUEST_CLIENT;
            g[n->n_args++] = note_str(a->client);
            g[n->n_args++] = note_int(a->seq);
        }
        break;
    case ACT_READ:
        n->id = NOTE_ACTION_READ;
        g[n->n_args++] = note_node(a->node);
        g[n->n_args++] = note_str(a->text ? a->text : "");
        break;
    case ACT_TRANSFER:
        n->id = NOTE_ACTION_TRANSFER;
        g[n->n_args++] = note_node(a->to);
        break;
    case ACT_LOAD:
        n->id = NOTE_ACTION_LOAD;
        g[n->n_args++] = note_int(a->every);
        g[n->n_args++] = note_int(a->for_ms);
        break;
    case ACT_INJECT:
        n->id = NOTE_ACTION_INJECT;
        g[n->n_args++] = note_msgtype(a->inject.type);
        g[n->n_args++] = note_node(a->inject.from);
        g[n->n_args++] = note_node(a->inject.to);
        break;
    case ACT_SET:
        n->id = NOTE_ACTION_SET;
        break;
    case ACT_GOTO:
        n->id = NOTE_ACTION_GOTO;
        g[n->n_args++] = note_str(a->label ? a->label : "");
        break;
    case ACT_COUNT:
        break;
    }
}

void runner_describe_action(const struct runner *r, const struct action *a, struct sbuf *out)
{
    struct proto_note n;
    char groups[PROTO_MAX_NODES * 40];
    action_note(r, a, &n, groups, sizeof groups);
    note_render(&n, r->lesson->cfg.names, r->lesson->cfg.n_nodes, out);
}

/* A failed action: why, as data in r->err_note (a RUNNER_ note; a feed
 * warning keeps it) and in words in err. Returns -1. */
static int fail_note(struct runner *r, struct sbuf *err, int id, struct note_arg arg)
{
    r->err_note = (struct proto_note){.id = (uint16_t)id, .n_args = 1, .args = {arg}};
    note_render(&r->err_note, r->lesson->cfg.names, r->lesson->cfg.n_nodes, err);
    return -1;
}

/* A failed action's why in English, as a check's detail (records keep it
 * as text and compare it in any interface language). */
static void en_error(const struct runner *r, struct sbuf *err)
{
    sbuf_reset(err);
    note_render_en(&r->err_note, r->lesson->cfg.names, r->lesson->cfg.n_nodes, err);
}

int runner_action_msg(struct runner *r, enum action_kind kind, uint64_t msg_id, struct sbuf *err)
{
    const struct sim_msg *m = sim_find_msg(runner_sim(r), msg_id);
    if (!m || (kind != ACT_DELIVER && kind != ACT_DROP && kind != ACT_DUPLICATE)) {
        return fail_note(r, err, NOTE_SIM_NOT_IN_FLIGHT, note_int((int64_t)msg_id));
    }
    struct history *h = r->h;
    history_fork_if_past(h);
    r->acts++;
    h->feed.pos = h->pos + 1;
    /* The action's name alone (its note, kept as data; a phrase with no
     * arguments of its own): the message number and text say which. */
    struct action named = {.kind = kind};
    struct proto_note what, n;
    char unused[8];
    action_note(r, &named, &what, unused, sizeof unused);
    struct note_arg verb = note_phrase(what.id);
    /* The phrase's own arguments follow the three: its four filter
     * phrases, none (every {k} of a note has an argument, or a transcript
     * that keeps the line does not read back). */
    verb.aux = 3;
    struct note_arg none = note_phrase(NOTE_NONE);
    n = (struct proto_note){
        .id = NOTE_RUNNER_DO_MSG,
        .n_args = 7,
        .args = {verb, note_int((int64_t)msg_id), note_msg(&m->m), none, none, none, none}};
    feed_add_note(&h->feed, h->cur->now, -1, FEED_ACTION, msg_id, &n, r->lesson->cfg.names,
                  r->lesson->cfg.n_nodes);
    struct sim_op op = sim_op_make(kind == ACT_DELIVER ? OP_DELIVER
                                   : kind == ACT_DROP  ? OP_DROP
                                                       : OP_DUPLICATE,
                                   -1);
    op.msg_id = msg_id;
    struct sim_result res;
    apply(r, &op, &res);
    return 0;
}

/* Pending message ids matching a filter (all of them, or the first), in
 * send order. Returns the count. */
static size_t matching_ids(const struct sim *s, const struct action *a, uint64_t *ids, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n_pending && n < max; i++) {
        if (a->has_match && !filter_matches(s, &a->match, &s->pending[i].m))
            continue;
        ids[n++] = s->pending[i].id;
    }
    return n;
}

/* Whether to stop long work now, `done` into it (events stepped,
 * milliseconds run, deliveries settled, milliseconds of load). Asked only
 * where a shorter action of the same kind would have done exactly what was
 * done so far, so the record of what ran replays it. Replaying such a
 * record (stop_at), it stops where the record says instead. */
static bool stop_here(struct runner *r, const struct action *a, int64_t done)
{
    if (r->stop_at) {
        if (done != (a->kind == ACT_STEP     ? r->stop_at->count
                     : a->kind == ACT_SETTLE ? r->stop_at->settle_count
                                             : r->stop_at->for_ms))
            return false;
    } else if (!r->stop || !r->stop(r->stop_ctx)) {
        return false;
    }
    r->interrupted = true;
    r->ran = *a;
    return true;
}

static int act_step(struct runner *r, const struct action *a)
{
    for (int64_t i = 0; i < a->count; i++) {
        if (i > 0 && stop_here(r, a, i)) {
            r->ran.count = i; /* the events done: step i does the same */
            break;
        }
        struct sim_op op = sim_op_make(OP_EVENT, -1);
        struct sim_result res;
        apply(r, &op, &res);
        if (!res.did)
            break;
    }
    return 0;
}

static int act_run(struct runner *r, const struct action *a, struct sbuf *err)
{
    const struct sim *s;
    int64_t start = runner_sim(r)->now;
    int64_t limit = start + a->max;
    int64_t end = a->for_ms >= 0 ? start + a->for_ms : limit;
    if (end > limit)
        end = limit;
    for (;;) {
        s = runner_sim(r);
        if (a->until && fact_holds(s, a->until, NULL))
            return 0;
        int64_t t = sim_next_event_time(s);
        if (t < 0 || t > end)
            break;
        /* Every event up to now is done (the next is later), so a run for
         * the time passed, with no `until` (false all along), does the
         * same. */
        if (t > s->now && s->now > start && stop_here(r, a, s->now - start)) {
            r->ran.until = NULL;
            r->ran.for_ms = s->now - start;
            return 0;
        }
        struct sim_op op = sim_op_make(OP_EVENT, -1);
        struct sim_result res;
        apply(r, &op, &res);
    }
    if (runner_sim(r)->now < end) {
        struct sim_op op = sim_op_make(OP_ADVANCE, -1);
        op.time = end;
        struct sim_result res;
        apply(r, &op, &res);
    }
    if (a->until && !fact_holds(runner_sim(r), a->until, NULL)) {
        if (a->for_ms >= 0 && a->for_ms < a->max)
            return 0; /* the time given was spent: not a failure */
        return fail_note(r, err, NOTE_RUNNER_UNTIL_FALSE, note_int(a->max));
    }
    return 0;
}

static int act_settle(struct runner *r, const struct action *a, struct sbuf *err)
{
    int64_t delivered = 0;
    while (runner_sim(r)->n_pending) {
        if (a->settle_count > 0 && delivered == a->settle_count)
            break;
        if (delivered > 0 && stop_here(r, a, delivered)) {
            r->ran.settle_count = delivered;
            break;
        }
        if (delivered == a->max) {
            return fail_note(r, err, NOTE_RUNNER_SETTLE_MAX, note_int(a->max));
        }
        struct sim_op op = sim_op_make(OP_DELIVER, -1);
        op.msg_id = runner_sim(r)->pending[0].id;
        struct sim_result res;
        apply(r, &op, &res);
        delivered++;
    }
    return 0;
}

static int act_messages(struct runner *r, const struct action *a, struct sbuf *err)
{
    const struct sim *s = runner_sim(r);
    size_t max = a->kind == ACT_DUPLICATE || !a->all ? 1 : s->n_pending;
    uint64_t *ids = calloc(max ? max : 1, sizeof *ids);
    if (!ids)
        abort();
    size_t n = matching_ids(s, a, ids, max);
    if (n == 0 && a->kind != ACT_DROP) {
        free(ids);
        return fail_note(r, err, NOTE_RUNNER_NO_MATCH, note_str(lesson_action_names[a->kind]));
    }
    enum sim_op_kind kind = a->kind == ACT_DELIVER ? OP_DELIVER
                            : a->kind == ACT_DROP  ? OP_DROP
                                                   : OP_DUPLICATE;
    for (size_t i = 0; i < n; i++) {
        struct sim_op op = sim_op_make(kind, -1);
        op.msg_id = ids[i];
        struct sim_result res;
        apply(r, &op, &res);
    }
    free(ids);
    return 0;
}

/* One client command, following refusals' hints (and trying the next node
 * when there is none) for at most two rounds of the cluster, and no more
 * once every node in turn has refused without naming a leader: at the
 * same instant, asking them again would be refused the same way. */
static void client_send(struct runner *r, const char *command)
{
    int n = r->lesson->cfg.n_nodes;
    /* Dissertation §6.3: the client numbers its commands and resends a
     * command with the same serial number when it retries (Raft only:
     * Multi-Paxos has no client sessions). */
    bool raft = r->lesson->protocol == PROTO_RAFT;
    int64_t seq = raft ? ++r->load_seq : 0;
    int hintless = 0; /* refusals in a row that named no other node */
    for (int tries = 0; tries < 2 * n && hintless < n; tries++) {
        struct sim_op op = sim_op_make(OP_CLIENT, r->load_target);
        op.text = command;
        if (raft) {
            op.client = strpool_intern(r->strings, RUNNER_LOAD_CLIENT);
            op.seq = seq;
        }
        struct sim_result res;
        apply(r, &op, &res);
        if (res.client == CLIENT_ACCEPTED)
            return;
        if (res.client == CLIENT_REFUSED && res.client_hint >= 0 &&
            res.client_hint != r->load_target) {
            r->load_target = res.client_hint;
            hintless = 0;
        } else {
            r->load_target = (r->load_target + 1) % n;
            hintless++;
        }
    }
}

/* add_server / remove_server: a client request naming the server to change
 * (the action's `node`), sent to `to` if given; otherwise to the node the
 * client believes leads, following a refusal's hint as `load` does. */
static void member_send(struct runner *r, const struct action *a)
{
    enum sim_op_kind kind = a->kind == ACT_ADD_SERVER ? OP_ADD_SERVER : OP_REMOVE_SERVER;
    int n = r->lesson->cfg.n_nodes, target = a->to >= 0 ? a->to : r->load_target;
    for (int tries = 0; tries < n; tries++) {
        struct sim_op op = sim_op_make(kind, target);
        op.to = a->node;
        struct sim_result res;
        apply(r, &op, &res);
        if (a->to >= 0 || res.client != CLIENT_REFUSED || res.client_hint < 0 ||
            res.client_hint == target)
            return;
        target = r->load_target = res.client_hint;
    }
}

static long *load_counter(struct runner *r, const char *prefix)
{
    const char *p = strpool_intern(r->strings, prefix);
    int i = 0;
    while (i < r->n_load_counters && r->load_counters[i].prefix != p)
        i++;
    if (i == r->n_load_counters) {
        if (i == (int)(sizeof r->load_counters / sizeof r->load_counters[0]))
            i--; /* more prefixes than any lesson uses: share the last counter */
        else
            r->n_load_counters++;
        r->load_counters[i].prefix = p;
        r->load_counters[i].next = 1;
    }
    return &r->load_counters[i].next;
}

static int act_load(struct runner *r, const struct action *a)
{
    int64_t start = runner_sim(r)->now;
    int64_t end = start + (a->for_ms >= 0 ? a->for_ms : 0);
    int64_t next_send = start;
    long *counter = load_counter(r, a->text ? a->text : "c");
    const char *prefix = a->text ? a->text : "c";
    for (;;) {
        const struct sim *s = runner_sim(r);
        int64_t t = sim_next_event_time(s);
        bool event_first = t >= 0 && t <= end && (next_send >= end || t < next_send);
        if (event_first) {
            struct sim_op op = sim_op_make(OP_EVENT, -1);
            struct sim_result res;
            apply(r, &op, &res);
            continue;
        }
        if (next_send >= end) /* `for` ms hold for/every commands, the first at once */
            break;
        /* Before a send, every event before it done: the time passes to
         * the send, which is then the first thing the rest of the load
         * does (an event at the send's own time comes after it, as in the
         * whole load). */
        if (next_send > start && stop_here(r, a, next_send - start)) {
            r->ran.for_ms = next_send - start;
            if (s->now < next_send) {
                struct sim_op op = sim_op_make(OP_ADVANCE, -1);
                op.time = next_send;
                struct sim_result res;
                apply(r, &op, &res);
            }
            return 0;
        }
        if (s->now < next_send) {
            struct sim_op op = sim_op_make(OP_ADVANCE, -1);
            op.time = next_send;
            struct sim_result res;
            apply(r, &op, &res);
        }
        char cmd[80];
        snprintf(cmd, sizeof cmd, "%s%ld", prefix, (*counter)++);
        client_send(r, strpool_intern(r->strings, cmd));
        next_send += a->every > 0 ? a->every : 1;
    }
    if (runner_sim(r)->now < end) {
        struct sim_op op = sim_op_make(OP_ADVANCE, -1);
        op.time = end;
        struct sim_result res;
        apply(r, &op, &res);
    }
    return 0;
}

static void fill_set(struct sim_op *op, const struct action *a)
{
    op->set_has_timeout = a->set_has_timeout;
    op->set_timeout = a->set_timeout;
    op->set_timeouts_mask = a->set_timeouts_mask;
    memcpy(op->set_timeouts, a->set_timeouts, sizeof op->set_timeouts);
    op->set_options_on = a->set_options_on;
    op->set_options_off = a->set_options_off;
    op->set_has_election = a->set_has_election;
    op->set_election_min = a->set_election_min;
    op->set_election_max = a->set_election_max;
    op->set_has_heartbeat = a->set_has_heartbeat;
    op->set_heartbeat = a->set_heartbeat;
    op->set_has_snapshot_every = a->set_has_snapshot_every;
    op->set_snapshot_every = a->set_snapshot_every;
}

bool runner_action_rest(const struct action *a, const struct action *ran, struct action *rest)
{
    if (ran->kind != a->kind)
        return false;
    *rest = *a;
    switch (a->kind) {
    case ACT_STEP:
        rest->count = a->count - ran->count;
        return ran->count > 0 && ran->count < a->count;
    case ACT_RUN: {
        /* The stop came with every event up to then done: from there the
         * same end time, the same limit, the same until. */
        int64_t done = ran->for_ms;
        int64_t end = a->for_ms >= 0 && a->for_ms < a->max ? a->for_ms : a->max;
        rest->for_ms = a->for_ms >= 0 ? a->for_ms - done : -1;
        rest->max = a->max - done;
        return done > 0 && done < end;
    }
    case ACT_SETTLE: {
        int64_t done = ran->settle_count;
        rest->settle_count = a->settle_count > 0 ? a->settle_count - done : 0;
        rest->max = a->max - done;
        return done > 0 && done < a->max && (a->settle_count <= 0 || done < a->settle_count);
    }
    case ACT_LOAD:
        /* Stopped just before a send: the rest sends it at once. */
        rest->for_ms = a->for_ms - ran->for_ms;
        return ran->for_ms > 0 && ran->for_ms < a->for_ms && ran->every == a->every;
    default:
        return false;
    }
}

int runner_action(struct runner *r, const struct action *a, struct sbuf *err)
{
    struct sim_op op = sim_op_make(OP_EVENT, a->node);
    struct sim_result res;
    r->interrupted = false;
    say_action(r, a);
    switch (a->kind) {
    case ACT_STEP:
        return act_step(r, a);
    case ACT_RUN:
        return act_run(r, a, err);
    case ACT_SETTLE:
        return act_settle(r, a, err);
    case ACT_DELIVER:
    case ACT_DROP:
    case ACT_DUPLICATE:
        return act_messages(r, a, err);
    case ACT_TIMEOUT:
        op.kind = OP_TIMEOUT;
        break;
    case ACT_CRASH:
        op.kind = OP_CRASH;
        break;
    case ACT_RESTART:
        op.kind = OP_RESTART;
        break;
    case ACT_SNAPSHOT:
        op.kind = OP_SNAPSHOT;
        break;
    case ACT_ADD_SERVER:
    case ACT_REMOVE_SERVER:
        member_send(r, a);
        return 0;
    case ACT_PARTITION:
        op.kind = OP_PARTITION;
        memcpy(op.groups, a->groups, sizeof op.groups);
        break;
    case ACT_HEAL:
        op.kind = OP_HEAL;
        break;
    case ACT_CUT:
    case ACT_LINK:
        op.kind = a->kind == ACT_CUT ? OP_CUT : OP_LINK;
        op.from = a->from;
        op.to = a->to;
        op.both = a->both;
        break;
    case ACT_REQUEST:
    case ACT_PROPOSE:
        op.kind = OP_CLIENT;
        op.text = strpool_intern(r->strings, a->text);
        if (a->client) {
            op.client = strpool_intern(r->strings, a->client);
            op.seq = a->seq;
        }
        break;
    case ACT_READ:
        op.kind = OP_READ;
        op.text = strpool_intern(r->strings, a->text);
        break;
    case ACT_TRANSFER:
        /* Asked of the leader named, or of the one that leads now. */
        op.kind = OP_TRANSFER;
        op.node = a->node >= 0 ? a->node : facts_leader(runner_sim(r));
        op.to = a->to;
        break;
    case ACT_LOAD:
        return act_load(r, a);
    case ACT_INJECT:
        op.kind = OP_INJECT;
        op.msg = &a->inject;
        break;
    case ACT_SET:
        op.kind = OP_SET;
        fill_set(&op, a);
        break;
    case ACT_GOTO:
    case ACT_COUNT:
        return 0; /* goto is a step-level move, handled by the caller */
    }
    apply(r, &op, &res);
    return 0;
}

int runner_predict(const struct runner *r, const struct quiz *q)
{
    struct sim *s = sim_clone(runner_sim(r));
    int64_t end = s->now + q->within;
    int truth = -1;
    for (;;) {
        for (size_t i = 0; i < q->n_choices && truth < 0; i++)
            if (q->facts[i] && fact_holds(s, q->facts[i], NULL))
                truth = (int)i;
        if (truth >= 0)
            break;
        int64_t t = sim_next_event_time(s);
        if (t < 0 || t > end)
            break;
        if (r->stop && r->stop(r->stop_ctx)) {
            sim_free(s);
            return RUNNER_PREDICT_STOPPED;
        }
        struct sim_op op = sim_op_make(OP_EVENT, -1);
        struct sim_result res;
        sim_apply(s, &op, &res);
    }
    sim_free(s);
    if (truth < 0)
        for (size_t i = 0; i < q->n_choices; i++)
            if (!q->facts[i])
                truth = (int)i;
    return truth;
}

void runner_value_answer(const struct runner *r, const struct quiz *q, struct sbuf *out)
{
    if (q->field_node >= 0) {
        if (sim_node_field(runner_sim(r), q->field_node, q->field_name, out) != 0)
            sbuf_add(out, "null");
        return;
    }
    char *t = cJSON_PrintUnformatted(q->answer_value);
    sbuf_add(out, t ? t : "null");
    cJSON_free(t);
}

static void report(struct runner *r, const char *path, bool ok, const char *detail)
{
    if (ok)
        r->passed++;
    else
        r->failed++;
    if (r->on_check)
        r->on_check(r->ctx, r, path, ok, detail);
}

static void check_quiz(struct runner *r, const struct step *st)
{
    const struct quiz *q = &st->quiz;
    char detail[256] = "";
    bool ok = true;
    if (q->kind == QUIZ_PREDICT) {
        int truth = runner_predict(r, q);
        if (truth < 0) {
            ok = false;
            snprintf(detail, sizeof detail,
                     "predict: no choice's fact holds within %lld ms and no choice is null",
                     (long long)q->within);
        } else if (q->n_answers && q->answers[0] != truth) {
            ok = false;
            snprintf(detail, sizeof detail,
                     "predict: the key says choice %d, but the cluster does choice %d (\"%s\")",
                     q->answers[0], truth, q->choices[truth]);
        }
    } else if (q->kind == QUIZ_VALUE && q->field_node < 0 && !q->answer_value) {
        ok = false;
        snprintf(detail, sizeof detail, "value: no answer and no field");
    }
    report(r, st->path, ok, detail);
}

static void check_goal(struct runner *r, const struct step *st)
{
    const struct goal *g = &st->goal;
    struct sbuf err;
    sbuf_init(&err);
    bool ok = true;
    if (g->max_actions > 0 && lesson_solution_cost(g) > (size_t)g->max_actions) {
        sbuf_printf(&err, "goal: the solution takes %zu actions, more than max_actions %d",
                    lesson_solution_cost(g), g->max_actions);
        ok = false;
    }
    for (size_t i = 0; ok && i < g->n_solution; i++) {
        const struct action *a = &g->solution[i];
        if (g->forbid & (1u << a->kind)) {
            sbuf_printf(&err, "goal: the solution uses the forbidden action \"%s\"",
                        lesson_action_names[a->kind]);
            ok = false;
        } else if (runner_action(r, a, &err) != 0) {
            en_error(r, &err);
            ok = false;
        }
    }
    if (ok && !fact_holds(runner_sim(r), &g->until, &err)) {
        struct sbuf why;
        sbuf_init(&why);
        sbuf_add(&why, "goal: after the solution, ");
        sbuf_add(&why, err.s);
        sbuf_free(&err);
        err = why;
        ok = false;
    }
    report(r, st->path, ok, err.s);
    sbuf_free(&err);
}

bool runner_step_headless(struct runner *r)
{
    const struct lesson *l = r->lesson;
    if (r->step >= l->n_steps)
        return false;
    const struct step *st = &l->steps[r->step];
    struct sbuf err;
    sbuf_init(&err);
    size_t next = r->step + 1;
    switch (st->kind) {
    case STEP_SAY:
        break;
    case STEP_DO:
        if (st->act.kind == ACT_GOTO) {
            /* check follows a goto at most 100 times; after that it goes
             * on with the next step (a loop is not an error). */
            if (r->gotos < RUNNER_MAX_GOTOS) {
                r->gotos++;
                next = (size_t)st->act.goto_step;
            }
        } else if (runner_action(r, &st->act, &err) != 0) {
            en_error(r, &err);
            report(r, st->path, false, err.s);
        }
        break;
    case STEP_EXPECT: {
        bool ok = fact_holds(runner_sim(r), &st->fact, &err);
        report(r, st->path, ok, err.s);
        break;
    }
    case STEP_QUIZ:
        check_quiz(r, st);
        break;
    case STEP_GOAL:
        check_goal(r, st);
        break;
    case STEP_EXPLORE:
        report(r, st->path, explore_check_step(r, st, &err), err.s);
        break;
    }
    sbuf_free(&err);
    r->step = next;
    return r->step < l->n_steps;
}

/* Whether a fact says "not safe" somewhere: a lesson that demonstrates a
 * broken invariant (with a forged message) says so, and then the violation
 * is what it teaches, not a failure. */
static bool fact_denies_safety(const struct fact *f, bool negated)
{
    if (f->kind == FACT_SAFE)
        return negated;
    for (size_t i = 0; i < f->n_kids; i++)
        if (fact_denies_safety(&f->kids[i], negated != (f->kind == FACT_NOT)))
            return true;
    return false;
}

static bool lesson_expects_violation(const struct lesson *l)
{
    for (size_t i = 0; i < l->n_steps; i++)
        if (l->steps[i].kind == STEP_EXPECT && fact_denies_safety(&l->steps[i].fact, false))
            return true;
    return false;
}

int runner_check_all(struct runner *r)
{
    while (runner_step_headless(r))
        ;
    const struct sim *s = runner_sim(r);
    if (s->mon.violated && !lesson_expects_violation(r->lesson))
        report(r, "run", false, s->mon.violation);
    return r->failed;
}
