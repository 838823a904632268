/* soak: randomized runs of 3-, 5- and 7-node clusters under random
 * delivery order, loss, duplication, partitions, cuts, crashes and
 * restarts, with every safety invariant checked after every step; then the
 * faults heal and the cluster must make progress again (a leader, and a
 * new command committed or chosen).
 *
 * SOAK_SEEDS (default 2000) seeds per protocol mode: Raft, Basic Paxos,
 * Multi-Paxos, Raft with log compaction (§7: snapshot_every on some
 * nodes, random `snapshot` actions, so that followers that lag behind a
 * crash or a partition are brought back by InstallSnapshot), and Raft with
 * membership changes (random add_server and remove_server from a random
 * starting configuration; single-server and joint consensus; half the
 * time new servers catch up in rounds first, dissertation §4.2.1). Plain Raft
 * runs also have two clients sending KEY=VALUE commands with serial
 * numbers, retrying them with the same number, reading keys and asking for
 * leadership transfers (dissertation §6.3-6.4, §3.10); after healing, a
 * read at the leader must be answered. Exits non-zero naming the seed of
 * any failure. The default keeps `make check` quick; SOAK_SEEDS=20000
 * takes about ten times that, more than CI's budget, so it is run by hand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocols/paxos.h"
#include "protocols/raft.h"
#include "tutor/facts.h"
#include "tutor/feed.h"
#include "tutor/sim.h"

enum mode {
    MODE_RAFT,
    MODE_PAXOS,
    MODE_MULTI,
    MODE_RAFT_SNAPSHOT,
    MODE_RAFT_SINGLE,
    MODE_RAFT_JOINT,
    MODE_COUNT
};
static const char *const mode_names[] = {"raft",          "basic-paxos", "multi-paxos",
                                         "raft-snapshot", "raft-single", "raft-joint"};

static bool is_raft(enum mode m)
{
    return m == MODE_RAFT || m == MODE_RAFT_SNAPSHOT || m == MODE_RAFT_SINGLE ||
           m == MODE_RAFT_JOINT;
}

#define CHAOS_OPS 1500

struct run {
    struct sim *s;
    struct prng pick; /* the soak's own choices, separate from the run's generator */
    struct strpool *strings;
    enum mode mode;
    long commands;
    int proposer;            /* Basic Paxos: where the last command after healing went */
    uint64_t snapshots_seen; /* InstallSnapshot messages sent (highest id counted) */
    uint64_t last_id;
    long changes;   /* membership changes asked */
    long accepted;  /* ... and appended by a leader */
    long transfers; /* membership modes: leadership transfers asked */
    char failure[512];
    /* Raft clients (dissertation §6.3-6.4): each client's last command,
     * which a retry sends again with the same serial number. */
    struct {
        const char *name, *last;
        int64_t seq;
    } clients[2];
};

/* What the Raft runs did with clients, over all seeds. */
static struct {
    unsigned long requests, retries, reads, transfers, reads_answered, answered;
} raft_stats;

static void apply(struct run *r, struct sim_op *op)
{
    struct sim_result res;
    sim_apply(r->s, op, &res);
    if (r->mode != MODE_RAFT_SNAPSHOT)
        return;
    for (size_t i = 0; i < r->s->n_pending; i++)
        if (r->s->pending[i].id > r->last_id && r->s->pending[i].m.type == MSG_INSTALL_SNAPSHOT)
            r->snapshots_seen++;
    if (r->s->next_msg_id > r->last_id)
        r->last_id = r->s->next_msg_id;
}

static const char *new_command(struct run *r)
{
    char buf[32];
    snprintf(buf, sizeof buf, "c%ld", ++r->commands);
    return strpool_intern(r->strings, buf);
}

/* Raft: a client operation — a new KEY=VALUE command of one of two
 * clients, a retry of that client's last command (same seq), a read of a
 * key, or a leadership transfer. */
static void raft_client_op(struct run *r, struct sim_op *op, int64_t roll)
{
    static const char *const keys[] = {"a", "b", "c"};
    int n = r->s->cfg.n_nodes;
    int k = (int)prng_range(&r->pick, 0, 1);
    /* Half of them go to the node that leads now, as a client that
     * followed the hints would. */
    int leader = facts_leader(r->s);
    if (leader >= 0 && prng_range(&r->pick, 0, 1))
        op->node = leader;
    if (roll < 89 || (roll < 91 && !r->clients[k].last)) {
        char buf[48];
        snprintf(buf, sizeof buf, "%s=%ld", keys[prng_range(&r->pick, 0, 2)], ++r->commands);
        r->clients[k].last = strpool_intern(r->strings, buf);
        r->clients[k].seq++;
        raft_stats.requests++;
    } else if (roll < 91) {
        raft_stats.retries++;
    } else if (roll < 93) {
        op->kind = OP_READ;
        op->text = strpool_intern(r->strings, keys[prng_range(&r->pick, 0, 2)]);
        raft_stats.reads++;
        return;
    } else {
        op->kind = OP_TRANSFER;
        op->to = (int)prng_range(&r->pick, 0, n - 1);
        raft_stats.transfers++;
        return;
    }
    op->kind = OP_CLIENT;
    op->text = r->clients[k].last;
    op->client = r->clients[k].name;
    op->seq = r->clients[k].seq;
}

static void chaos_op(struct run *r)
{
    struct sim *s = r->s;
    int n = s->cfg.n_nodes;
    int node = (int)prng_range(&r->pick, 0, n - 1);
    int64_t roll = prng_range(&r->pick, 0, 99);
    struct sim_op op = sim_op_make(OP_EVENT, node);
    if (roll < 55) {
        op.kind = OP_EVENT;
    } else if (roll < 67 && s->n_pending) {
        op.kind = OP_DELIVER; /* any pending message, out of order */
        op.msg_id = s->pending[prng_range(&r->pick, 0, (int64_t)s->n_pending - 1)].id;
    } else if (roll < 70 && s->n_pending) {
        op.kind = OP_DROP;
        op.msg_id = s->pending[prng_range(&r->pick, 0, (int64_t)s->n_pending - 1)].id;
    } else if (roll < 72 && s->n_pending) {
        op.kind = OP_DUPLICATE;
        op.msg_id = s->pending[prng_range(&r->pick, 0, (int64_t)s->n_pending - 1)].id;
    } else if (roll < 75) {
        op.kind = OP_CRASH;
    } else if (roll < 79) {
        op.kind = OP_RESTART;
    } else if (roll < 81) {
        op.kind = OP_PARTITION;
        for (int i = 0; i < n; i++)
            op.groups[i] = (int)prng_range(&r->pick, 0, 2);
    } else if (roll < 83) {
        op.kind = OP_HEAL;
    } else if (roll < 84) {
        op.kind = prng_range(&r->pick, 0, 1) ? OP_CUT : OP_LINK;
        op.from = node;
        op.to = (int)prng_range(&r->pick, 0, n - 1);
        op.both = prng_range(&r->pick, 0, 1);
        if (op.to == op.from)
            op.kind = OP_EVENT;
    } else if (roll < 88 && r->mode >= MODE_RAFT_SINGLE) {
        /* A membership change, mostly at the leader (any node may be asked:
         * a follower refuses). */
        int leader = facts_leader(s);
        op.node = leader >= 0 && prng_range(&r->pick, 0, 3) ? leader : node;
        /* Mostly a change that can be made: add a server outside the
         * configuration the asked node uses, or remove one in it. */
        uint32_t config = raft_config(sim_node_const(s, op.node), &s->cfg, NULL);
        op.to = (int)prng_range(&r->pick, 0, n - 1);
        op.kind = (config >> op.to) & 1u ? OP_REMOVE_SERVER : OP_ADD_SERVER;
        if (!prng_range(&r->pick, 0, 7))
            op.kind = op.kind == OP_ADD_SERVER ? OP_REMOVE_SERVER : OP_ADD_SERVER;
        r->changes++;
        struct sim_result res;
        sim_apply(s, &op, &res);
        r->accepted += res.client == CLIENT_ACCEPTED;
        return;
    } else if (roll < 94 && (r->mode == MODE_RAFT || r->mode == MODE_RAFT_SNAPSHOT)) {
        raft_client_op(r, &op, roll);
    } else if (roll == 93 && r->mode >= MODE_RAFT_SINGLE) {
        /* A leadership transfer (§3.10), mostly at the leader: with
         * leader_stickiness (half of these runs) its RequestVotes must get
         * through (§4.2.3), and configurations change under it. */
        int leader = facts_leader(s);
        op.node = leader >= 0 && prng_range(&r->pick, 0, 3) ? leader : node;
        op.kind = OP_TRANSFER;
        op.to = (int)prng_range(&r->pick, 0, n - 1);
        r->transfers++;
    } else if (roll < 94) {
        op.kind = OP_CLIENT;
        op.text = new_command(r);
    } else if (roll < 97 && r->mode == MODE_RAFT_SNAPSHOT) {
        op.kind = OP_SNAPSHOT;
    } else {
        op.kind = OP_TIMEOUT;
    }
    apply(r, &op);
}

/* Runs events until done() holds or `ms` of virtual time pass. */
static int run_until(struct run *r, int (*done)(const struct run *, const void *), const void *arg,
                     int64_t ms)
{
    int64_t end = r->s->now + ms;
    while (!done(r, arg)) {
        int64_t t = sim_next_event_time(r->s);
        if (t < 0 || t > end)
            return 0;
        struct sim_op op = sim_op_make(OP_EVENT, -1);
        apply(r, &op);
        if (r->s->mon.violated)
            return 0;
    }
    return 1;
}

static int has_leader(const struct run *r, const void *arg)
{
    (void)arg;
    if (is_raft(r->mode))
        return facts_leader(r->s) >= 0;
    for (int i = 0; i < r->s->cfg.n_nodes; i++)
        if (paxos_phase_of(sim_node_const(r->s, i)) == PAXOS_LEADER)
            return 1;
    return 0;
}

static int is_done(const struct run *r, const void *arg)
{
    const char *cmd = arg;
    if (is_raft(r->mode)) {
        const struct cowvec *c = &r->s->mon.committed;
        for (size_t i = c->len; i-- > 0;)
            if (((const struct entry *)cowvec_at(c, i))->cmd == cmd)
                return 1;
        return 0;
    }
    if (r->mode == MODE_PAXOS) {
        /* Single-decree: whatever value is chosen is final; progress means
         * one is chosen and the proposer's learner knows it. */
        const char *v = monitor_chosen(&r->s->mon, 1);
        return v && paxos_learned_at(sim_node_const(r->s, r->proposer), 1) == v;
    }
    for (size_t k = 1; k <= r->s->mon.slots.len; k++)
        if (monitor_chosen(&r->s->mon, (int64_t)k) == cmd)
            return 1;
    return 0;
}

static int leader_index(const struct run *r)
{
    if (is_raft(r->mode))
        return facts_leader(r->s);
    for (int i = 0; i < r->s->cfg.n_nodes; i++)
        if (paxos_phase_of(sim_node_const(r->s, i)) == PAXOS_LEADER)
            return i;
    return -1;
}

/* A configuration entry that is not joint (C_new) is committed at or after
 * this index (as the monitor knows what is committed). */
static int change_committed(const struct run *r, const void *arg)
{
    const int64_t *at = arg;
    const struct cowvec *c = &r->s->mon.committed;
    for (size_t i = (size_t)*at; i <= c->len; i++) {
        const struct entry *e = cowvec_at(c, i - 1);
        if (monitor_is_config(e) && !e->config_old)
            return 1;
    }
    return 0;
}

/* Membership modes, once a command of the healed cluster is committed: a
 * change the leader accepts (it has committed an entry of its term) must
 * get committed too (with joint consensus, C_new as well). */
static int config_settled(const struct run *r, const void *arg)
{
    (void)arg;
    int leader = facts_leader(r->s);
    if (leader < 0)
        return 0;
    const struct raft *l = sim_node_const(r->s, leader);
    uint32_t old;
    raft_config(l, &r->s->cfg, &old);
    /* A catch-up under way (§4.2.1) ends too: added, or aborted after at
     * most catch_up_rounds election timeouts. */
    return !old && !l->v.catching_up && raft_config_index(l) <= l->v.commit_index &&
           raft_term_at(l, l->v.commit_index) == l->p.term;
}

/* One try: 1 committed, 0 not committed in 10 s (an uncommitted entry may
 * be lost when its leader is deposed: the client asks again), -1 failure
 * (r->failure says why). */
static int try_change(struct run *r)
{
    struct sim *s = r->s;
    /* A change under way (C_new after a committed C_old,new, say) finishes
     * first. */
    bool settled = false;
    for (int attempt = 0; attempt < 10 && !settled && !s->mon.violated; attempt++) {
        settled = run_until(r, config_settled, NULL, 1000);
        int leader = facts_leader(s);
        if (!settled && leader >= 0) {
            /* A leader without the no-op commits an entry of its term
             * only with a command (the fix waits for one). */
            struct sim_op op = sim_op_make(OP_CLIENT, leader);
            op.text = new_command(r);
            apply(r, &op);
        }
    }
    if (!settled) {
        if (!s->mon.violated)
            snprintf(r->failure, sizeof r->failure,
                     "the configuration did not settle within 10 s after healing");
        return -1;
    }
    int leader = facts_leader(s);
    if (leader < 0)
        return 1; /* it just stepped down: nothing to ask */
    const struct raft *l = sim_node_const(s, leader);
    uint32_t config = raft_config(l, &s->cfg, NULL);
    int server = -1;
    for (int i = 0; i < s->cfg.n_nodes && server < 0; i++)
        if (!((config >> i) & 1u))
            server = i; /* a spare to add */
    for (int i = 0; i < s->cfg.n_nodes && server < 0; i++)
        if (i != leader && ((config >> i) & 1u))
            server = i; /* or a follower to remove */
    if (server < 0)
        return 1; /* a one-node cluster */
    struct sim_op op =
        sim_op_make((config >> server) & 1u ? OP_REMOVE_SERVER : OP_ADD_SERVER, leader);
    op.to = server;
    /* The configuration entry's index: the next one, whether the leader
     * appends it at once or after catching a new server up (§4.2.1). */
    int64_t at = raft_log_length(l) + 1;
    struct sim_result res;
    sim_apply(s, &op, &res);
    if (res.client != CLIENT_ACCEPTED) {
        snprintf(r->failure, sizeof r->failure,
                 "leader %s refused a membership change after committing in its term",
                 s->cfg.names[leader]);
        return -1;
    }
    /* A later leader commits it only with an entry of its own term
     * (§5.4.2): without the no-op, that takes a command. */
    for (int attempt = 0; attempt < 10 && !s->mon.violated; attempt++) {
        if (run_until(r, change_committed, &at, 1000))
            return 1;
        int now_leader = facts_leader(s);
        if (now_leader >= 0) {
            struct sim_op cmd = sim_op_make(OP_CLIENT, now_leader);
            cmd.text = new_command(r);
            apply(r, &cmd);
        }
    }
    return s->mon.violated ? -1 : 0;
}

static void check_change_progress(struct run *r)
{
    for (int round = 0; round < 3; round++)
        if (try_change(r) != 0)
            return;
    snprintf(r->failure, sizeof r->failure,
             "three membership changes in a row were not committed within 10 s each");
}

static int read_answered(const struct run *r, const void *arg)
{
    return r->s->mon.clients.reads.len > *(const size_t *)arg;
}

/* Raft, after healing: a read at the leader is answered (ReadIndex makes
 * progress once the leader has committed an entry of its term, §6.4). */
static void check_read_answered(struct run *r)
{
    size_t before = r->s->mon.clients.reads.len;
    for (int attempt = 0; attempt < 10; attempt++) {
        int leader = facts_leader(r->s);
        if (leader < 0 && !run_until(r, has_leader, NULL, 5000))
            break;
        struct sim_op op = sim_op_make(OP_READ, facts_leader(r->s));
        op.text = strpool_intern(r->strings, "a");
        apply(r, &op);
        if (attempt > 0) {
            /* A leader elected since has committed nothing of its term
             * (no noop_on_election): a write of its term lets it read. */
            struct sim_op w = sim_op_make(OP_CLIENT, op.node);
            w.text = new_command(r);
            apply(r, &w);
        }
        if (run_until(r, read_answered, &before, 2000) || r->s->mon.violated)
            return;
    }
    snprintf(r->failure, sizeof r->failure, "a read at the leader was not answered after healing");
}

/* After the faults heal, the cluster must elect a leader and get a new
 * command committed (Raft) or chosen (Paxos). */
static void check_progress(struct run *r)
{
    struct sim *s = r->s;
    struct sim_op heal = sim_op_make(OP_HEAL, -1);
    apply(r, &heal);
    s->net.loss_ppb = 0;
    s->net.duplicate_ppb = 0;
    for (int i = 0; i < s->cfg.n_nodes; i++) {
        if (!sim_node_up(s, i)) {
            struct sim_op op = sim_op_make(OP_RESTART, i);
            apply(r, &op);
        }
    }
    const char *cmd = new_command(r);
    if (r->mode != MODE_PAXOS) {
        if (!run_until(r, has_leader, NULL, 20000)) {
            snprintf(r->failure, sizeof r->failure, "no leader within 20 s after healing");
            return;
        }
    }
    /* Retry the command at the leader (or any proposer) until it is done. */
    for (int attempt = 0; attempt < 40 && !is_done(r, cmd); attempt++) {
        int target = leader_index(r);
        if (target < 0)
            target = attempt % s->cfg.n_nodes;
        struct sim_op op = sim_op_make(OP_CLIENT, target);
        op.text = cmd;
        r->proposer = target;
        apply(r, &op);
        if (run_until(r, is_done, cmd, 2000)) {
            /* Without leader_stickiness a removed server may disrupt the
             * cluster for ever (dissertation §4.2.3): only safety then. */
            if (r->mode >= MODE_RAFT_SINGLE && (s->cfg.options[0] & OPT_LEADER_STICKINESS))
                check_change_progress(r);
            break;
        }
        if (s->mon.violated)
            return;
    }
    if (is_done(r, cmd) && (r->mode == MODE_RAFT || r->mode == MODE_RAFT_SNAPSHOT))
        check_read_answered(r);
    else if (!is_done(r, cmd))
        snprintf(r->failure, sizeof r->failure, "%s within 40 tries after healing",
                 is_raft(r->mode)        ? "the new command was not committed"
                 : r->mode == MODE_MULTI ? "the new command was not chosen"
                                         : "no value chosen and learned");
}

/* SOAK_TRACE=MODE:SEED (e.g. multi-paxos:1284) prints what happens after
 * the faults heal in that one run, to debug a failure. */
static int traced(enum mode mode, uint64_t seed)
{
    const char *t = getenv("SOAK_TRACE");
    char want[64];
    snprintf(want, sizeof want, "%s:%llu", mode_names[mode], (unsigned long long)seed);
    return t && strcmp(t, want) == 0;
}

static void print_feed(const struct feed *f, const struct sim *s)
{
    struct sbuf text;
    sbuf_init(&text);
    for (size_t i = 0; i < f->n; i++) {
        struct feed_line l;
        feed_get(f, i, &l);
        sbuf_reset(&text);
        feed_line_text(f, &l, &text);
        printf("[%7lld] %-9s %s%s%s\n", (long long)l.time, feed_kind_name(l.kind),
               l.node >= 0 ? s->cfg.names[l.node] : "", l.node >= 0 ? ": " : "", text.s);
    }
    sbuf_free(&text);
}

/* What a mode's runs add up to. */
struct soak_counts {
    uint64_t events, snapshots;
    long changes, accepted, transfers;
};

static int soak_one(enum mode mode, uint64_t seed, struct soak_counts *counts)
{
    struct run r;
    memset(&r, 0, sizeof r);
    r.mode = mode;
    r.strings = strpool_new();
    prng_seed(&r.pick, seed * 7919 + (uint64_t)mode);
    int n = 3 + 2 * (int)(seed % 3);
    struct proto_config cfg;
    memset(&cfg, 0, sizeof cfg);
    static const char *const names[] = {"S1", "S2", "S3", "S4", "S5", "S6", "S7"};
    cfg.n_nodes = n;
    cfg.election_min = 150;
    cfg.election_max = 300;
    cfg.heartbeat = 50;
    unsigned opts = (unsigned)prng_range(&r.pick, 0, 15);
    bool membership = mode == MODE_RAFT_SINGLE || mode == MODE_RAFT_JOINT;
    unsigned extra = 0;
    if (membership) /* membership, and leader_stickiness half of the time */
        extra = (mode == MODE_RAFT_JOINT ? OPT_JOINT : 0) |
                (prng_range(&r.pick, 0, 1) ? OPT_LEADER_STICKINESS : 0);
    for (int i = 0; i < n; i++) {
        cfg.names[i] = names[i];
        cfg.fixed_timeout[i] = -1;
        cfg.proposer[i] = cfg.acceptor[i] = cfg.learner[i] = true;
        if (mode == MODE_RAFT || mode == MODE_RAFT_SNAPSHOT)
            cfg.options[i] = opts; /* prevote, check_quorum, noop, fast_backup */
        else if (membership)
            cfg.options[i] = opts | extra;
        else
            cfg.options[i] = (mode == MODE_MULTI ? OPT_MULTI : 0) | ((opts & 1) ? OPT_NACK : 0);
        /* §7: most nodes snapshot every 1..8 applied entries, some never
         * (they snapshot only by the random `snapshot` action); with
         * membership changes, half the time too, so that snapshots carry
         * configurations (Figure 12). */
        if ((mode == MODE_RAFT_SNAPSHOT || (membership && (seed & 1))) && prng_range(&r.pick, 0, 3))
            cfg.snapshot_every[i] = prng_range(&r.pick, 1, 8);
    }
    struct sim_net net = {.latency_min = 5,
                          .latency_max = prng_range(&r.pick, 5, 40),
                          .loss_ppb = (uint64_t)prng_range(&r.pick, 0, 200000000),
                          .duplicate_ppb = (uint64_t)prng_range(&r.pick, 0, 100000000)};
    if (membership) {
        /* cluster.members: the first 1..n nodes; the others are spares. */
        int k = (int)prng_range(&r.pick, 1, n);
        cfg.members = k < n ? (1u << k) - 1 : 0;
        /* With PreVote, half the time a new server is caught up in 1..4
         * rounds before it is added (dissertation §4.2.1). Not without:
         * a removed server that keeps campaigning (§4.2.3) runs its term
         * ahead, and its reply to every catch-up AppendEntries deposes
         * the leader (Figure 2: a higher term in a response), so it can
         * never be added again — the disruption §9.6's PreVote prevents;
         * the progress check below would report it. */
        if ((opts & OPT_PREVOTE) && prng_range(&r.pick, 0, 1))
            cfg.catch_up_rounds = prng_range(&r.pick, 1, 4);
        /* SOAK_CHANGE_WITHOUT_NOOP=1: the broken variant, to see the
         * monitor catch it. */
        if (getenv("SOAK_CHANGE_WITHOUT_NOOP"))
            cfg.bugs |= BUG_CHANGE_WITHOUT_NOOP;
    }
    /* SOAK_STALE_READS=1 turns the stale_reads bug switch on, to watch the
     * linearizable-reads invariant catch it (the run then fails). */
    if (mode == MODE_RAFT && getenv("SOAK_STALE_READS"))
        cfg.bugs |= BUG_STALE_READS;
    r.clients[0].name = strpool_intern(r.strings, "k1");
    r.clients[1].name = strpool_intern(r.strings, "k2");
    r.s = sim_new(is_raft(mode) ? PROTO_RAFT : PROTO_PAXOS, &cfg, &net, seed, r.strings);
    sim_start(r.s);
    for (int i = 0; i < CHAOS_OPS && !r.s->mon.violated; i++)
        chaos_op(&r);
    struct feed feed;
    feed_init(&feed);
    if (traced(mode, seed))
        r.s->feed = &feed;
    if (!r.s->mon.violated)
        check_progress(&r);
    if (traced(mode, seed))
        print_feed(&feed, r.s);
    r.s->feed = NULL;
    feed_free(&feed);
    int failed = 0;
    if (r.s->mon.violated) {
        printf("FAIL %s seed %llu (%d nodes): safety: %s\n", mode_names[mode],
               (unsigned long long)seed, n, r.s->mon.violation);
        failed = 1;
    } else if (r.failure[0]) {
        printf("FAIL %s seed %llu (%d nodes): liveness: %s\n", mode_names[mode],
               (unsigned long long)seed, n, r.failure);
        failed = 1;
    }
    counts->events += r.s->events;
    counts->snapshots += r.snapshots_seen;
    counts->changes += r.changes;
    counts->accepted += r.accepted;
    counts->transfers += r.transfers;
    if (mode == MODE_RAFT) {
        raft_stats.reads_answered += r.s->mon.clients.reads.len;
        raft_stats.answered += r.s->mon.clients.answered.len;
    }
    sim_free(r.s);
    strpool_free(r.strings);
    return failed;
}

int main(void)
{
    const char *env = getenv("SOAK_SEEDS");
    long seeds = env ? atol(env) : 2000;
    /* SOAK_FIRST=N: start at seed N (to rerun one seed: SOAK_FIRST=N SOAK_SEEDS=N) */
    const char *first_env = getenv("SOAK_FIRST");
    long first = first_env ? atol(first_env) : 1;
    int failures = 0;
    const char *only = getenv("SOAK_MODE"); /* one mode by name, to soak it alone */
    int modes = 0;
    for (int mode = MODE_RAFT; mode < MODE_COUNT; mode++) {
        if (only && strcmp(only, mode_names[mode]))
            continue;
        modes++;
        struct soak_counts c = {0};
        int mode_failures = 0;
        for (long seed = first; seed <= seeds; seed++)
            mode_failures += soak_one((enum mode)mode, (uint64_t)seed, &c);
        printf("%s: %ld seeds, %llu events, ", mode_names[mode], seeds - first + 1,
               (unsigned long long)c.events);
        if (c.snapshots)
            printf("%llu InstallSnapshot sent, ", (unsigned long long)c.snapshots);
        if (c.changes)
            printf("%ld membership changes asked, %ld appended, %ld transfers, ", c.changes,
                   c.accepted, c.transfers);
        printf("%d failures\n", mode_failures);
        failures += mode_failures;
        if (mode == MODE_RAFT)
            printf("raft clients: %lu requests, %lu retries (same client and seq), %lu reads "
                   "(%lu answered), %lu transfers; %lu requests answered\n",
                   raft_stats.requests, raft_stats.retries, raft_stats.reads,
                   raft_stats.reads_answered, raft_stats.transfers, raft_stats.answered);
    }
    long total = (seeds - first + 1) * modes;
    printf("%ld passed, %d failed\n", total - failures, failures);
    return failures ? 1 : 0;
}
