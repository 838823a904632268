/* cmd_explore: `tutor explore LESSON [--until FACT] [--depth N] [--states N]
 * [--seconds S] [--out FILE]` — the safety lab's search from the lesson's
 * state at its explore step (or at its end); 0 found, 1 none, 2 refused.
 * An extension: [--walks N] [--walk-depth N] [--walk-seed S], random-walk
 * probes deeper than the search's bound (tutor/explore.h). */
#include <cJSON.h>
#include <errno.h>
#include <signal.h>
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tutor/atomic_write.h"
#include "cli.h"
#include "tutor/i18n.h"
#include "tutor/explore_lesson.h"
#include "tutor/explore_step.h"
#include "tutor/lesson.h"
#include "tutor/runner.h"

static volatile sig_atomic_t stop_flag;

static void on_sigint(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void progress(void *ctx, const struct explore_result *r, size_t frontier)
{
    (void)ctx;
    fputc('\r', stderr);
    fprintf(stderr, gettext("explore: %ld states, %.0f states/s, depth %d, frontier %zu   "),
            r->states, r->seconds > 0 ? (double)r->states / r->seconds : 0.0, r->depth, frontier);
}

static int usage(const char *what)
{
    fprintf(stderr, "tutor: explore: %s", gettext(what));
    fprintf(stderr, gettext(" (usage: %s)\n"),
            "tutor explore LESSON [--until FACT] [--depth N] [--states N] [--seconds S] "
            "[--out FILE] [--walks N] [--walk-depth N] [--walk-seed S]");
    return 2;
}

static bool read_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* --until FACT: the fact parsed by the lesson loader, in a lesson of the
 * same protocol and nodes (so node names mean the same indices). */
static struct lesson *until_lesson(const struct lesson *l, const char *fact)
{
    struct sbuf b;
    sbuf_init(&b);
    sbuf_printf(&b,
                "{\"format\": 1, \"id\": \"until\", \"title\": \"until\", \"protocol\": \"%s\", "
                "\"cluster\": {\"nodes\": [",
                l->protocol == PROTO_RAFT ? "raft" : "paxos");
    for (int i = 0; i < l->cfg.n_nodes; i++) {
        sbuf_add(&b, i ? ", " : "");
        sbuf_json_str(&b, l->cfg.names[i]);
    }
    sbuf_printf(&b, "]}, \"steps\": [{\"expect\": %s}]}", fact);
    struct lesson *u = NULL;
    struct lesson_errors errs;
    lesson_errors_init(&errs);
    if (lesson_parse("--until", b.s, b.len, &u, &errs) != 0)
        for (size_t i = 0; i < errs.n; i++)
            fprintf(stderr, "tutor: explore: %s\n", errs.lines[i]);
    lesson_errors_free(&errs);
    sbuf_free(&b);
    return u;
}

int cmd_explore(int argc, char **argv)
{
    const char *file = NULL, *until = NULL, *outfile = NULL;
    long depth = -1, states = -1, seconds = 0, walks = -1, walk_depth = -1, walk_seed = -1;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        if (!strcmp(a, "--until") && has)
            until = argv[++i];
        else if (!strcmp(a, "--out") && has)
            outfile = argv[++i];
        else if (!strcmp(a, "--depth") && has) {
            if (!read_long(argv[++i], 0, 1000, &depth))
                return usage(N_("--depth takes 0 to 1000"));
        } else if (!strcmp(a, "--states") && has) {
            if (!read_long(argv[++i], 1, 100000000, &states))
                return usage(N_("--states takes 1 to 100000000"));
        } else if (!strcmp(a, "--seconds") && has) {
            if (!read_long(argv[++i], 1, 86400, &seconds))
                return usage(N_("--seconds takes 1 to 86400"));
        } else if (!strcmp(a, "--walks") && has) {
            if (!read_long(argv[++i], 0, 1000000, &walks))
                return usage(N_("--walks takes 0 to 1000000"));
        } else if (!strcmp(a, "--walk-depth") && has) {
            if (!read_long(argv[++i], 1, 100000, &walk_depth))
                return usage(N_("--walk-depth takes 1 to 100000"));
        } else if (!strcmp(a, "--walk-seed") && has) {
            if (!read_long(argv[++i], 0, 9007199254740992L, &walk_seed))
                return usage(N_("--walk-seed takes 0 to 2^53"));
        } else if (a[0] == '-' || file)
            return usage(N_("unknown argument"));
        else
            file = a;
    }
    if (!file)
        return usage(N_("no lesson given"));
    struct lesson *l = cli_load_lesson(file);
    if (!l)
        return 2;
    struct lesson *ul = until ? until_lesson(l, until) : NULL;
    if (until && !ul) {
        lesson_free(l);
        return 2;
    }
    struct runner *r = runner_new(l);
    while (r->step < l->n_steps && l->steps[r->step].kind != STEP_EXPLORE)
        runner_step_headless(r);
    size_t at = r->step;
    const struct lesson_explore *e = at < l->n_steps ? l->steps[at].explore : NULL;
    struct explore_request reqs[16];
    struct explore_bounds b;
    if (e)
        explore_bounds_from_step(e, r->strings, reqs, &b);
    else
        explore_bounds_default(&b);
    const struct cJSON *until_js = e && e->has_until ? e->until_js : NULL;
    if (ul) {
        b.until = &ul->steps[0].fact;
        until_js = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(ul->doc, "steps"), 0), "expect");
    }
    if (depth >= 0)
        b.depth = (int)depth;
    if (states > 0)
        b.max_states = states;
    b.seconds = (double)seconds;
    if (walks >= 0)
        b.walks = (int)walks;
    if (walk_depth > 0)
        b.walk_depth = (int)walk_depth;
    if (walk_seed >= 0)
        b.walk_seed = (uint64_t)walk_seed;
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, &old);
    struct explore_result res;
    const struct sim *s = runner_sim(r);
    explore_run(s, &b, &stop_flag, isatty(2) ? progress : NULL, NULL, &res);
    sigaction(SIGINT, &old, NULL);
    if (isatty(2))
        fprintf(stderr, "\n");
    double secs = res.seconds > 0 ? res.seconds : 1e-9;
    printf(gettext("explore: %ld states in %.2f s (%.0f states/s; %ld transitions, %.0f/s), depth "
                   "%d, frontier peak %zu, %zu bytes per stored state%s\n"),
           res.states, res.seconds, (double)res.states / secs, res.transitions,
           (double)res.transitions / secs, res.depth, res.frontier_peak, res.bytes_per_state,
           res.stopped ? gettext(" (stopped before the bounds were exhausted)") : "");
    /* Which bound ended it, when one did before every schedule was tried:
     * "none within the bounds" alone would read as a proof. */
    if (res.stopped && !res.found) {
        if (res.why_stopped == EXPLORE_AT_STATES)
            printf(gettext("the search reached its limit of %ld states before it had tried every "
                           "schedule up to depth %d (--states N searches further)\n"),
                   b.max_states, b.depth);
        else if (res.why_stopped == EXPLORE_AT_SECONDS)
            printf(gettext("the search reached its limit of %.0f s before it had tried every "
                           "schedule up to depth %d (--seconds S searches longer)\n"),
                   b.seconds, b.depth);
        else
            printf(gettext("the search was interrupted before it had tried every schedule up to "
                           "depth %d\n"),
                   b.depth);
    }
    if (res.walks > 0)
        printf(
            gettext(
                "random walks: %d drawn (seed %llu, up to %d events each), %ld events played%s\n"),
            res.walks, (unsigned long long)b.walk_seed, b.walk_depth, res.walk_events,
            res.walk_found >= 0 ? "" : gettext(", none reached the target"));
    int rc = 1;
    if (res.found) {
        if (res.walk_found >= 0)
            printf(gettext("found by random walk %d\n"), res.walk_found + 1);
        rc = 0;
        printf(gettext("found: %s\nschedule (%zu events, shrunk from %zu):\n"), res.what,
               res.n_events, res.n_found);
        struct sbuf t;
        sbuf_init(&t);
        for (size_t i = 0; i < res.n_events; i++) {
            sbuf_reset(&t);
            explore_event_json(s, &res.events[i], &t);
            printf("  %zu. %s\n", i + 1, t.s);
        }
        if (outfile) {
            sbuf_reset(&t);
            explore_lesson_text(l, at, s, &res, until_js, &t);
            struct sbuf err;
            sbuf_init(&err);
            if (atomic_write(outfile, t.s, t.len, true, &err) != 0) {
                fprintf(stderr, "tutor: explore: %s\n", err.s);
                rc = 2;
            }
            sbuf_free(&err);
        }
        sbuf_free(&t);
    } else if (res.stopped) {
        printf("%s", gettext("none within the bounds searched\n"));
    } else {
        printf("%s", gettext("none within the bounds\n"));
    }
    explore_result_free(&res);
    runner_free(r);
    if (ul)
        lesson_free(ul);
    lesson_free(l);
    return rc;
}
