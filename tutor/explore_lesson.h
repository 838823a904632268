/* explore_lesson: a found schedule written as a lesson file (the cluster,
 * the steps that led to the explored state, the schedule as `do` actions
 * and an `expect` of what it reaches), which `tutor check` reproduces. */
#ifndef TUTOR_EXPLORE_LESSON_H
#define TUTOR_EXPLORE_LESSON_H

#include "explore.h"
#include "protocols/sbuf.h"

/* One event as a lesson action object, JSON text. */
void explore_event_json(const struct sim *s, const struct explore_event *e, struct sbuf *out);
/* The lesson text: l's document with its steps before step `at` that are
 * `do` actions, then the events, then the expect (until_js, or a broken
 * invariant when NULL). */
void explore_lesson_text(const struct lesson *l, size_t at, const struct sim *s,
                         const struct explore_result *res, const struct cJSON *until_js,
                         struct sbuf *out);

#endif
