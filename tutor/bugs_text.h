/* bugs_text: the words every view and export uses to say that a cluster is
 * broken on purpose (the safety lab's bug switches), in the interface
 * language. */
#ifndef TUTOR_BUGS_TEXT_H
#define TUTOR_BUGS_TEXT_H

#include "protocols/sbuf.h"

/* "commit_old_terms, volatile_vote": the names of the bits in bugs. */
void bugs_names(unsigned bugs, struct sbuf *out);
/* "broken on purpose: commit_old_terms" (translated); nothing when bugs is 0. */
void bugs_text(unsigned bugs, struct sbuf *out);

#endif
