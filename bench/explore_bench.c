/* explore_bench: the safety lab's explorer speed (not a timed test).
 *   explore_bench [--depth N] [LESSON.json...] (default bench/explore-raft.json
 *   and bench/explore-paxos.json): runs each lesson to its explore step
 *   and the search there on one core, and prints the distinct states, the
 *   transitions, the depth, the time, states per second, the frontier
 *   peak, the bytes per stored state (fingerprint table and parent links)
 *   and the peak memory of the process (getrusage maxrss). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "tutor/cmd/cli.h"
#include "tutor/explore_step.h"
#include "tutor/lesson.h"

#ifndef BENCH_SRCDIR
#define BENCH_SRCDIR "bench"
#endif

static int bench_one(const char *path, int depth)
{
    struct lesson *l = cli_load_lesson(path);
    if (!l)
        return 1;
    struct runner *r = runner_new(l);
    while (r->step < l->n_steps && l->steps[r->step].kind != STEP_EXPLORE)
        runner_step_headless(r);
    if (r->step >= l->n_steps) {
        fprintf(stderr, "explore_bench: %s has no explore step\n", path);
        runner_free(r);
        lesson_free(l);
        return 1;
    }
    struct explore_request reqs[16];
    struct explore_bounds b;
    explore_bounds_from_step(l->steps[r->step].explore, r->strings, reqs, &b);
    if (depth > 0)
        b.depth = depth;
    struct explore_result res;
    struct rusage ru0, ru;
    getrusage(RUSAGE_SELF, &ru0);
    explore_run(runner_sim(r), &b, NULL, NULL, NULL, &res);
    getrusage(RUSAGE_SELF, &ru);
    /* CPU seconds of the search: on a shared machine the wall clock also
     * counts the time other processes held the core. */
    double cpu = (double)(ru.ru_utime.tv_sec - ru0.ru_utime.tv_sec) +
                 (double)(ru.ru_utime.tv_usec - ru0.ru_utime.tv_usec) / 1e6;
    double secs = res.seconds > 0 ? res.seconds : 1e-9;
    double cpus = cpu > 0 ? cpu : 1e-9;
    printf("%s: %s, %ld states, %ld transitions, depth %d%s, %.2f s: %.0f states/s, %.0f "
           "transitions/s; %.2f CPU s: %.0f states per CPU second; frontier peak %zu; %zu bytes "
           "per stored state; peak memory %.1f MB\n",
           l->id, res.found ? "found" : "none", res.states, res.transitions, res.depth,
           res.stopped ? " (stopped)" : "", res.seconds, (double)res.states / secs,
           (double)res.transitions / secs, cpu, (double)res.states / cpus, res.frontier_peak,
           res.bytes_per_state, (double)ru.ru_maxrss / 1024.0);
    explore_result_free(&res);
    runner_free(r);
    lesson_free(l);
    return 0;
}

int main(int argc, char **argv)
{
    int depth = 0, rc = 0, files = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--depth") && i + 1 < argc) {
            depth = atoi(argv[++i]);
            continue;
        }
        files++;
        rc |= bench_one(argv[i], depth);
    }
    if (!files) {
        rc |= bench_one(BENCH_SRCDIR "/explore-raft.json", depth);
        rc |= bench_one(BENCH_SRCDIR "/explore-paxos.json", depth);
    }
    return rc;
}
