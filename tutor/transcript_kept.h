/* transcript_kept: which steps of a transcript are the run as it ended.
 * A learner who steps back and acts forks the history (tutor/history.h):
 * the future left behind is kept as a branch, and a later switch (B) can
 * make it the line again. The exports show the branch that led to the end
 * (the final line of the history), in order; the steps of branches left
 * behind, and the moves in the history themselves, are not the run.
 *
 * A transcript recorded in this process knows, for every feed line, the
 * history position it was stamped with and, for every step, where the
 * history forked: the history's branching is replayed on those positions
 * (a fork at F moves everything stamped after F to a new branch, appended
 * as the history appends it; a switch puts branch i back on the line).
 * A transcript read from JSON has the verdict written in it (a step's
 * "abandoned": true), which `tutor verify` checks against the re-run. */
#ifndef TUTOR_TRANSCRIPT_KEPT_H
#define TUTOR_TRANSCRIPT_KEPT_H

#include <stdbool.h>
#include <stddef.h>

#include "transcript.h"

enum tk_where {
    TK_KEPT,      /* on the line that led to the end */
    TK_ABANDONED, /* on a branch the run left */
    TK_MOVE,      /* a move in the history (b, f, B): no step of the run itself */
};

struct transcript_kept {
    enum tk_where *entry; /* per step */
    bool **line;          /* per step, per feed line: on the line (NULL: every one) */
    size_t n;
    size_t n_kept, n_abandoned, n_moves;
};

void transcript_kept_build(const struct transcript *t, struct transcript_kept *k);
void transcript_kept_free(struct transcript_kept *k);
/* Feed line i of step e is part of the run as it ended. */
bool transcript_kept_line(const struct transcript_kept *k, size_t e, size_t i);
/* Step e only moved in the history (every input a seek or a branch switch). */
bool transcript_entry_is_move(const struct transcript_entry *e);

#endif
