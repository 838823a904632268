/* explore_step: the lesson's explore step run headless (tutor check): the
 * search from the runner's cluster, its outcome compared with `expect`. */
#include "explore_step.h"

#include <stdio.h>

void explore_bounds_from_step(const struct lesson_explore *e, struct strpool *pool,
                              struct explore_request *reqs, struct explore_bounds *b)
{
    explore_bounds_default(b);
    b->depth = e->depth;
    b->max_drops = e->max_drops;
    b->max_duplicates = e->max_duplicates;
    b->max_crashes = e->max_crashes;
    b->timeouts = e->timeouts;
    b->max_states = e->max_states;
    b->until = e->has_until ? &e->until : NULL;
    for (size_t i = 0; i < e->n_requests; i++)
        reqs[i] = (struct explore_request){e->requests[i].node,
                                           strpool_intern(pool, e->requests[i].command)};
    b->requests = reqs;
    b->n_requests = e->n_requests;
}

bool explore_check_step(struct runner *r, const struct step *st, struct sbuf *detail)
{
    const struct lesson_explore *e = st->explore;
    struct explore_request reqs[16];
    struct explore_bounds b;
    explore_bounds_from_step(e, r->strings, reqs, &b);
    struct explore_result res;
    explore_run(runner_sim(r), &b, NULL, NULL, NULL, &res);
    bool ok = e->expect < 0 || (e->expect == 1) == res.found;
    if (!ok && res.found)
        sbuf_printf(detail, "explore: expected none, found a schedule of %zu events: %s",
                    res.n_events, res.what);
    else if (!ok)
        sbuf_printf(detail, "explore: expected found, none within the bounds (%ld states%s)",
                    res.states, res.stopped ? ", stopped at max_states" : "");
    explore_result_free(&res);
    return ok;
}
