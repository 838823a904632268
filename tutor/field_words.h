/* field_words: a node field's value (the engines' compact JSON, as
 * `expect` reads it) in the words a learner reads in a lesson's text:
 * "none" for null, "nothing accepted" for an empty `accepted`, "blue
 * (ballot 1.S1)" for an accepted proposal, a role in the interface
 * language. Never JSON syntax: a {S1.promised} in narration must not show
 * null, braces, brackets or quotes (lesson-format.md: text "must render
 * correctly in any language"). */
#ifndef TUTOR_FIELD_WORDS_H
#define TUTOR_FIELD_WORDS_H

#include "protocols/sbuf.h"

/* Appends the words for field's value json to out, in the interface
 * language (gettext); json that does not parse is appended as it is. */
void field_words(const char *field, const char *json, struct sbuf *out);

#endif
