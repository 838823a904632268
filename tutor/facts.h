/* facts: evaluating a lesson's facts and message filters against the live
 * cluster. Engines describe fields as JSON text; expected values are the
 * lesson's JSON; the two are compared as JSON values (object key order
 * does not matter). */
#ifndef TUTOR_FACTS_H
#define TUTOR_FACTS_H

#include <stdbool.h>

#include "lesson.h"
#include "protocols/note.h"
#include "protocols/sbuf.h"
#include "sim.h"

/* Why a fact does not hold, as data: a note of tutor/notes_tutor.def (the
 * FACT_ notes: what was expected and what was found) whose string
 * arguments point into str, so a feed line can keep it and render it in
 * the interface language when it is shown. */
enum { FACT_WHY_STRS = 2 };
struct fact_why {
    struct proto_note note;
    struct sbuf str[FACT_WHY_STRS];
};
void fact_why_init(struct fact_why *w);
void fact_why_free(struct fact_why *w);
/* Whether f holds now; when it does not and why is non-NULL, why says why
 * (why must be fresh from fact_why_init). */
bool fact_holds_why(const struct sim *s, const struct fact *f, struct fact_why *why);
/* Whether f holds now. When it does not and why is non-NULL, why gets that
 * account in English (a check's detail, which records keep as text and
 * compare in any interface language). */
bool fact_holds(const struct sim *s, const struct fact *f, struct sbuf *why);
bool filter_matches(const struct sim *s, const struct msg_filter *f, const struct msg *m);
/* Raft: the live leader of the highest term, or -1. */
int facts_leader(const struct sim *s);
/* Replaces {NODE.field} references in text with live values, in words
 * (tutor/field_words.h), never as JSON. */
void facts_render_text(const struct sim *s, const char *text, struct sbuf *out);

#endif
