/* facts: evaluating a lesson's facts and message filters against the live
 * cluster. Engines describe fields as JSON text; expected values are the
 * lesson's JSON; the two are compared as JSON values (object key order
 * does not matter). */
#ifndef TUTOR_FACTS_H
#define TUTOR_FACTS_H

#include <stdbool.h>

#include "lesson.h"
#include "protocols/sbuf.h"
#include "sim.h"

/* Whether f holds now. When it does not and why is non-NULL, why gets a
 * short account: what was expected and what was found. */
bool fact_holds(const struct sim *s, const struct fact *f, struct sbuf *why);
bool filter_matches(const struct sim *s, const struct msg_filter *f, const struct msg *m);
/* Raft: the live leader of the highest term, or -1. */
int facts_leader(const struct sim *s);
/* Replaces {NODE.field} references in text with live values. */
void facts_render_text(const struct sim *s, const char *text, struct sbuf *out);

#endif
