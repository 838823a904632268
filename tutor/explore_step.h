/* explore_step: an explore step's bounds, and the step checked headless. */
#ifndef TUTOR_EXPLORE_STEP_H
#define TUTOR_EXPLORE_STEP_H

#include "explore.h"
#include "runner.h"

/* The step's bounds; reqs (16) receives its requests, interned in pool. */
void explore_bounds_from_step(const struct lesson_explore *e, struct strpool *pool,
                              struct explore_request *reqs, struct explore_bounds *b);
/* Runs the search from the runner's cluster (unchanged); false, with why
 * in detail, when the outcome differs from the step's expect. */
bool explore_check_step(struct runner *r, const struct step *st, struct sbuf *detail);
/* Plays a found schedule on the runner's cluster as a learner's actions
 * would be (each a history operation with its "do:" feed line), a message
 * picked by content as explore_replay picks it. Returns how many events
 * played: all, unless one no longer applies here. */
size_t explore_play(struct runner *r, const struct explore_event *ev, size_t n);

#endif
