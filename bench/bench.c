/* bench: speed figures the project tracks (not a timed test).
 *   bench [LESSON.json] (default bench/load-600s.json): runs a lesson whose
 *     steps are `load` actions headless, as `tutor check` does (history and
 *     all), and from the same run the speed-of-light baseline
 *     (bench/baseline, a bare event loop of the same message schedule);
 *     prints both speeds in virtual seconds per wall second, their ratio,
 *     the peak memory of each (getrusage maxrss) and the commands
 *     committed.
 *   bench --events [EVENTS [PROTOCOL]] (default 1000000 events; raft,
 *     basic-paxos or multi-paxos, default all three): events per second of
 *     a 5-node cluster under a steady client load, and the cost of
 *     stepping back at the end of the run (one step back, then 1,000 jumps
 *     to random earlier points: median, p99, max, in wall time and in the
 *     thread's CPU time, which a busy machine's preemptions leave out),
 *     with the snapshots kept, the peak memory and bytes per history
 *     position, and the cost of recording the first 200,000 feed lines as
 *     transcript lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "protocols/paxos.h"
#include "tutor/facts.h"
#include "tutor/history.h"
#include "tutor/runner.h"
#include "tutor/transcript.h"

#ifndef BENCH_SRCDIR
#define BENCH_SRCDIR "bench"
#endif

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

/* This thread's CPU time: a seek's own cost, which a busy machine's
 * preemptions (4 ms ticks) do not add to as they add to the wall time. */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

enum { RECORD_LINES = 200000 };

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
    /* Stepping back: one step at the end, then jumps to random points,
     * reported as median, p99 and max. */
    double t0 = now_s();
    history_seek(h, end - 1);
    double one = now_s() - t0;
    struct prng rng;
    prng_seed(&rng, 99);
    enum { JUMPS = 1000 };
    static double d[JUMPS], c[JUMPS];
    for (int i = 0; i < JUMPS; i++) {
        size_t pos = (size_t)prng_range(&rng, 0, (int64_t)end);
        double a = now_s(), ca = cpu_s();
        history_seek(h, pos);
        d[i] = now_s() - a;
        c[i] = cpu_s() - ca;
    }
    qsort(d, JUMPS, sizeof d[0], cmp_double);
    qsort(c, JUMPS, sizeof c[0], cmp_double);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%-12s step back one at the end: %.3f ms; %d jumps to random points: median %.3f ms, "
           "p99 %.3f ms, max %.3f ms; peak memory %ld MB (%.0f bytes per history position)\n",
           name, one * 1e3, JUMPS, d[JUMPS / 2] * 1e3, d[JUMPS * 99 / 100] * 1e3,
           d[JUMPS - 1] * 1e3, ru.ru_maxrss / 1024, ru.ru_maxrss * 1024.0 / (double)end);
    printf("%-12s the same jumps in CPU time: median %.3f ms, p99 %.3f ms, max %.3f ms (snapshot "
           "every %d positions, the older every %zu: %zu kept, %zu freed past the budget)\n",
           name, c[JUMPS / 2] * 1e3, c[JUMPS * 99 / 100] * 1e3, c[JUMPS - 1] * 1e3,
           HISTORY_INTERVAL, h->old_interval, h->n_snaps, h->thinned);
    struct history_size z = history_size(h);
    printf("%-12s history owns %.1f bytes per position (history_size: ops %.1f, marks %.1f, "
           "snapshots %.1f without their engines; the feed not counted)\n",
           name, (double)z.total / (double)end, (double)z.ops / (double)end,
           (double)z.marks / (double)end, (double)z.snapshots / (double)end);
    printf("%-12s the feed owns %.1f bytes per position (%zu lines, %.1f bytes a line, kept as "
           "notes, rendered when shown)\n",
           name, (double)feed_bytes(&h->feed) / (double)end, h->feed.n,
           (double)feed_stream_len(&h->feed) / (double)(h->feed.n ? h->feed.n : 1));
    /* Recording a transcript takes each feed line as data (its message
     * arguments as the words they render to). */
    size_t lines = h->feed.n < RECORD_LINES ? h->feed.n : RECORD_LINES;
    t0 = now_s();
    for (size_t k = 0; k < lines; k++) {
        struct transcript_line tl;
        transcript_line_from_feed(&tl, &h->feed, k);
        transcript_line_free(&tl);
    }
    double rec = now_s() - t0;
    printf("%-12s recording %zu feed lines for a transcript: %.3f s, %.2f us a line\n", name, lines,
           rec, rec * 1e6 / (double)(lines ? lines : 1));
    history_free(h);
    strpool_free(pool);
}

/* The lesson's first `load` step (every, for). */
static const struct action *first_load(const struct lesson *l)
{
    for (size_t i = 0; i < l->n_steps; i++)
        if (l->steps[i].kind == STEP_DO && l->steps[i].act.kind == ACT_LOAD)
            return &l->steps[i].act;
    return NULL;
}

static double maxrss_mb(int who)
{
    struct rusage ru;
    getrusage(who, &ru);
    return (double)ru.ru_maxrss / 1024.0; /* kB on Linux */
}

/* Runs bench/baseline (beside this program) on the lesson's cluster and
 * load; fills its figures. Returns 0, or -1 if it could not be run. */
static int run_baseline(const char *self, const struct lesson *l, const struct action *load,
                        double *virtual_s, double *wall_s, long long *committed,
                        unsigned long long *events)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", self);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "'%s/baseline' %d %lld %lld %lld %lld %lld %lld %lld %llu", dir,
             l->cfg.n_nodes, (long long)l->latency_min, (long long)l->latency_max,
             (long long)l->cfg.election_min, (long long)l->cfg.election_max,
             (long long)l->cfg.heartbeat, (long long)load->every, (long long)load->for_ms,
             (unsigned long long)l->seed);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    long long vms = 0;
    double w = 0;
    int got = fscanf(p, "baseline virtual_ms=%lld events=%llu committed=%lld wall_s=%lf", &vms,
                     events, committed, &w);
    if (pclose(p) != 0 || got != 4)
        return -1;
    *virtual_s = (double)vms / 1e3;
    *wall_s = w;
    return 0;
}

static int bench_lesson(const char *self, const char *path)
{
    struct lesson *l = NULL;
    struct lesson_errors errs;
    lesson_errors_init(&errs);
    if (lesson_load(path, &l, &errs) != 0) {
        for (size_t i = 0; i < errs.n; i++)
            fprintf(stderr, "%s\n", errs.lines[i]);
        lesson_errors_free(&errs);
        return 1;
    }
    lesson_errors_free(&errs);
    const struct action *load = first_load(l);
    if (l->protocol != PROTO_RAFT || !load) {
        fprintf(stderr, "%s: the baseline runs a Raft lesson with a load step\n", path);
        lesson_free(l);
        return 1;
    }
    double b_virtual, b_wall;
    long long b_committed;
    unsigned long long b_events;
    if (run_baseline(self, l, load, &b_virtual, &b_wall, &b_committed, &b_events) != 0) {
        fprintf(stderr, "bench: could not run the baseline beside %s\n", self);
        lesson_free(l);
        return 1;
    }
    double b_mem = maxrss_mb(RUSAGE_CHILDREN);

    struct runner *r = runner_new(l);
    double t0 = now_s();
    int failed = runner_check_all(r);
    double wall = now_s() - t0;
    const struct sim *s = runner_sim(r);
    double virtual_s = (double)s->now / 1e3;
    printf("workload   %s: %d nodes, latency %lld..%lld ms, load every %lld ms for %lld ms\n",
           l->file, l->cfg.n_nodes, (long long)l->latency_min, (long long)l->latency_max,
           (long long)load->every, (long long)load->for_ms);
    printf("tutor      %.1f virtual s in %.3f wall s: %.1f virtual s per wall s; %llu events, "
           "%zu commands committed, %zu history positions, peak memory %.1f MB%s\n",
           virtual_s, wall, virtual_s / wall, (unsigned long long)s->events, s->mon.committed.len,
           r->h->pos, maxrss_mb(RUSAGE_SELF), failed ? " (checks FAILED)" : "");
    printf("baseline   %.1f virtual s in %.3f wall s: %.1f virtual s per wall s; %llu events, "
           "%lld commands committed, peak memory %.1f MB\n",
           b_virtual, b_wall, b_virtual / b_wall, b_events, b_committed, b_mem);
    printf("ratio      the tutor takes %.1fx the baseline's time (goal: within 2x, <= 100 MB)\n",
           wall / b_wall);
    runner_free(r);
    lesson_free(l);
    return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--events")) {
        long events = argc > 2 ? atol(argv[2]) : 1000000;
        /* One protocol per process (argv[3]) gives its own peak memory. */
        const char *only = argc > 3 ? argv[3] : NULL;
        if (!only || !strcmp(only, "raft"))
            report("raft", PROTO_RAFT, 0, events);
        if (!only || !strcmp(only, "basic-paxos"))
            report("basic-paxos", PROTO_PAXOS, 0, events);
        if (!only || !strcmp(only, "multi-paxos"))
            report("multi-paxos", PROTO_PAXOS, OPT_MULTI, events);
        return 0;
    }
    return bench_lesson(argv[0], argc > 1 ? argv[1] : BENCH_SRCDIR "/load-600s.json");
}
