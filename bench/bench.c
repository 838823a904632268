/* bench: speed figures the project tracks (not a timed test).
 *   - events per second of a 5-node cluster under a steady client load,
 *     recorded in the history as the tutor records a run (Raft, and
 *     Multi-Paxos beside it);
 *   - the cost of stepping back at the end of a 1,000,000-event run
 *     (one step back, and jumps to random earlier points).
 * Usage: bench [EVENTS] (default 1000000). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "protocols/paxos.h"
#include "tutor/facts.h"
#include "tutor/history.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int leader_of(const struct sim *s)
{
    if (s->ops->protocol == PROTO_RAFT)
        return facts_leader(s);
    for (int i = 0; i < s->cfg.n_nodes; i++)
        if (paxos_phase_of(sim_node_const(s, i)) == PAXOS_LEADER)
            return i;
    return -1;
}

/* Runs `events` events with a client sending a command every 20 ms to the
 * node it believes leads; returns the history. */
static struct history *load_run(enum protocol p, unsigned options, long events,
                                struct strpool *pool, double *seconds, long *commands)
{
    static const char *const names[] = {"S1", "S2", "S3", "S4", "S5"};
    struct proto_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.n_nodes = 5;
    cfg.election_min = 150;
    cfg.election_max = 300;
    cfg.heartbeat = 50;
    for (int i = 0; i < 5; i++) {
        cfg.names[i] = names[i];
        cfg.fixed_timeout[i] = -1;
        cfg.options[i] = options;
        cfg.proposer[i] = cfg.acceptor[i] = cfg.learner[i] = true;
    }
    struct sim_net net = {5, 15, 0, 0};
    struct history *h = history_new(sim_new(p, &cfg, &net, 1, pool));
    double t0 = now_s();
    int64_t next_send = 0;
    int target = 0;
    long sent = 0;
    struct sim_result res;
    while ((long)h->cur->events < events) {
        int64_t t = sim_next_event_time(h->cur);
        if (t >= 0 && t < next_send) {
            struct sim_op op = sim_op_make(OP_EVENT, -1);
            history_apply(h, &op, &res);
            continue;
        }
        char buf[32];
        snprintf(buf, sizeof buf, "c%ld", ++sent);
        int l = leader_of(h->cur);
        struct sim_op op = sim_op_make(OP_CLIENT, l >= 0 ? l : target);
        op.text = strpool_intern(pool, buf);
        if (h->cur->now < next_send) {
            struct sim_op adv = sim_op_make(OP_ADVANCE, -1);
            adv.time = next_send;
            history_apply(h, &adv, &res);
        }
        history_apply(h, &op, &res);
        if (res.client != CLIENT_ACCEPTED)
            target = (target + 1) % 5;
        next_send += 20;
    }
    *seconds = now_s() - t0;
    *commands = sent;
    return h;
}

static void report(const char *name, enum protocol p, unsigned options, long events)
{
    struct strpool *pool = strpool_new();
    double secs;
    long commands;
    struct history *h = load_run(p, options, events, pool, &secs, &commands);
    size_t end = h->pos;
    size_t committed = p == PROTO_RAFT ? h->cur->mon.committed.len : h->cur->mon.slots.len;
    printf("%-12s %ld events (%zu history positions, %ld commands sent, %zu %s) in %.2f s: "
           "%.0f events/s; safe: %s\n",
           name, events, end, commands, committed, p == PROTO_RAFT ? "committed" : "slots", secs,
           (double)events / secs, h->cur->mon.violated ? h->cur->mon.violation : "yes");
    /* Stepping back: one step at the end, then jumps to random points. */
    double t0 = now_s();
    history_seek(h, end - 1);
    double one = now_s() - t0;
    struct prng rng;
    prng_seed(&rng, 99);
    double worst = 0, total = 0;
    const int jumps = 200;
    for (int i = 0; i < jumps; i++) {
        size_t pos = (size_t)prng_range(&rng, 0, (int64_t)end);
        double a = now_s();
        history_seek(h, pos);
        double d = now_s() - a;
        total += d;
        if (d > worst)
            worst = d;
    }
    printf("%-12s step back one at the end: %.3f ms; %d jumps to random points: mean %.3f ms, "
           "worst %.3f ms\n",
           name, one * 1e3, jumps, total / jumps * 1e3, worst * 1e3);
    history_free(h);
    strpool_free(pool);
}

int main(int argc, char **argv)
{
    long events = argc > 1 ? atol(argv[1]) : 1000000;
    report("raft", PROTO_RAFT, 0, events);
    report("multi-paxos", PROTO_PAXOS, OPT_MULTI, events);
    return 0;
}
