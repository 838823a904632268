/* history: every operation applied to the cluster, with snapshots, so any
 * earlier point can be revisited and the run resumed from there (a fork).
 * Position p is the state after the first p operations. Seeking restores
 * the nearest snapshot at or before p and replays the operations after it:
 * with a snapshot every HISTORY_INTERVAL operations, reaching any point of
 * a long run replays at most that many. Snapshots share log chunks with the
 * live state (cowvec), so they are cheap to keep. */
#ifndef TUTOR_HISTORY_H
#define TUTOR_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "feed.h"
#include "sim.h"

#define HISTORY_INTERVAL 1024

struct history_snapshot {
    size_t pos;
    struct sim *sim;
};

struct history {
    struct sim *cur; /* the state at position pos */
    struct sim_op *ops;
    size_t n_ops, cap_ops;
    struct history_snapshot *snaps; /* ascending pos; snaps[0] is position 0 */
    size_t n_snaps, cap_snaps;
    size_t pos;
    bool forked;      /* an operation was applied in the past, discarding a future */
    struct feed feed; /* entries stamped with the position they lead to */
};

/* Takes ownership of a sim whose initial state is set, boots it and
 * records position 0. */
struct history *history_new(struct sim *s);
void history_free(struct history *h);
/* Applies op at the current position. In the past, this forks: the
 * operations after pos are forgotten first. */
void history_apply(struct history *h, const struct sim_op *op, struct sim_result *res);
/* If the current position is in the past, forgets the future (a fork).
 * history_apply does this itself; call it before stamping feed entries
 * for an operation about to be applied. */
void history_fork_if_past(struct history *h);
/* Moves to position pos (0 <= pos <= n_ops). */
void history_seek(struct history *h, size_t pos);
/* True if the current position is before the end of the recorded run. */
bool history_in_past(const struct history *h);

#endif
