/* soak: randomized runs of 3-, 5- and 7-node clusters under random
 * delivery order, loss, duplication, partitions, cuts, crashes and
 * restarts, with every safety invariant checked after every step; then the
 * faults heal and the cluster must make progress again (a leader, and a
 * new command committed or chosen).
 *
 * SOAK_SEEDS (default 2000) seeds per protocol mode: Raft, Basic Paxos,
 * Multi-Paxos and Raft with log compaction (§7: snapshot_every on some
 * nodes, random `snapshot` actions, so that followers that lag behind a
 * crash or a partition are brought back by InstallSnapshot). Exits non-zero naming the seed of any
 * failure. The default keeps `make check` quick (about 16 s of CPU); SOAK_SEEDS=20000 takes about
 * ten times that, more than CI's budget, so it is run by hand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocols/paxos.h"
#include "protocols/raft.h"
#include "tutor/facts.h"
#include "tutor/feed.h"
#include "tutor/sim.h"

enum mode { MODE_RAFT, MODE_PAXOS, MODE_MULTI, MODE_RAFT_SNAPSHOT };
static const char *const mode_names[] = {"raft", "basic-paxos", "multi-paxos", "raft-snapshot"};

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
    char failure[512];
};

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
    if (r->mode == MODE_RAFT || r->mode == MODE_RAFT_SNAPSHOT)
        return facts_leader(r->s) >= 0;
    for (int i = 0; i < r->s->cfg.n_nodes; i++)
        if (paxos_phase_of(sim_node_const(r->s, i)) == PAXOS_LEADER)
            return 1;
    return 0;
}

static int is_done(const struct run *r, const void *arg)
{
    const char *cmd = arg;
    if (r->mode == MODE_RAFT || r->mode == MODE_RAFT_SNAPSHOT) {
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
    if (r->mode == MODE_RAFT || r->mode == MODE_RAFT_SNAPSHOT)
        return facts_leader(r->s);
    for (int i = 0; i < r->s->cfg.n_nodes; i++)
        if (paxos_phase_of(sim_node_const(r->s, i)) == PAXOS_LEADER)
            return i;
    return -1;
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
        if (run_until(r, is_done, cmd, 2000))
            return;
        if (s->mon.violated)
            return;
    }
    if (!is_done(r, cmd))
        snprintf(r->failure, sizeof r->failure, "%s within 40 tries after healing",
                 r->mode != MODE_PAXOS && r->mode != MODE_MULTI
                     ? "the new command was not committed"
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
    for (size_t i = 0; i < f->n; i++)
        printf("[%7lld] %-9s %s%s%s\n", (long long)f->e[i].time, feed_kind_name(f->e[i].kind),
               f->e[i].node >= 0 ? s->cfg.names[f->e[i].node] : "", f->e[i].node >= 0 ? ": " : "",
               f->e[i].text);
}

static int soak_one(enum mode mode, uint64_t seed, uint64_t *ops_done, uint64_t *snapshots)
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
    for (int i = 0; i < n; i++) {
        cfg.names[i] = names[i];
        cfg.fixed_timeout[i] = -1;
        cfg.proposer[i] = cfg.acceptor[i] = cfg.learner[i] = true;
        if (mode == MODE_RAFT || mode == MODE_RAFT_SNAPSHOT)
            cfg.options[i] = opts; /* prevote, check_quorum, noop, fast_backup */
        /* §7: most nodes snapshot every 1..8 applied entries, some never
         * (they snapshot only by the random `snapshot` action). */
        if (mode == MODE_RAFT_SNAPSHOT && prng_range(&r.pick, 0, 3))
            cfg.snapshot_every[i] = prng_range(&r.pick, 1, 8);
        else
            cfg.options[i] = (mode == MODE_MULTI ? OPT_MULTI : 0) | ((opts & 1) ? OPT_NACK : 0);
    }
    struct sim_net net = {.latency_min = 5,
                          .latency_max = prng_range(&r.pick, 5, 40),
                          .loss_ppb = (uint64_t)prng_range(&r.pick, 0, 200000000),
                          .duplicate_ppb = (uint64_t)prng_range(&r.pick, 0, 100000000)};
    bool raft = mode == MODE_RAFT || mode == MODE_RAFT_SNAPSHOT;
    r.s = sim_new(raft ? PROTO_RAFT : PROTO_PAXOS, &cfg, &net, seed, r.strings);
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
    *ops_done += r.s->events;
    *snapshots += r.snapshots_seen;
    sim_free(r.s);
    strpool_free(r.strings);
    return failed;
}

int main(void)
{
    const char *env = getenv("SOAK_SEEDS");
    long seeds = env ? atol(env) : 2000;
    int failures = 0;
    const char *only = getenv("SOAK_MODE"); /* one mode by name, to soak it alone */
    int modes = 0;
    for (int mode = MODE_RAFT; mode <= MODE_RAFT_SNAPSHOT; mode++) {
        if (only && strcmp(only, mode_names[mode]))
            continue;
        modes++;
        uint64_t events = 0, snapshots = 0;
        int mode_failures = 0;
        for (long seed = 1; seed <= seeds; seed++)
            mode_failures += soak_one((enum mode)mode, (uint64_t)seed, &events, &snapshots);
        printf("%s: %ld seeds, %llu events, %d failures", mode_names[mode], seeds,
               (unsigned long long)events, mode_failures);
        if (mode == MODE_RAFT_SNAPSHOT)
            printf(", %llu InstallSnapshot sent", (unsigned long long)snapshots);
        printf("\n");
        failures += mode_failures;
    }
    long total = seeds * modes;
    printf("%ld passed, %d failed\n", total - failures, failures);
    return failures ? 1 : 0;
}
