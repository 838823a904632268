/* history: every operation applied to the cluster, with snapshots, so any
 * earlier point can be revisited and the run resumed from there. The
 * history is a tree: acting in the past opens a new branch and keeps the
 * future it leaves as a branch one can switch back to (history_switch).
 * Position p is the state after the first p operations. Seeking restores
 * the nearest snapshot at or before p and replays the operations after it:
 * with a snapshot every HISTORY_INTERVAL operations (fewer, past a
 * budget), reaching any point of a long run replays a bounded number. Snapshots share log chunks
 * with the live state (cowvec), so they are cheap to keep.
 *
 * Operations are kept compact (struct history_op, 8 bytes): the common
 * kinds whole, the rest once in a side table the record indexes; marks are
 * kept as an index per position into a table of the distinct marks.
 * history_op_at() hands back the full struct sim_op. */
#ifndef TUTOR_HISTORY_H
#define TUTOR_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed.h"
#include "sim.h"

/* A snapshot every HISTORY_INTERVAL positions. The latest
 * HISTORY_RECENT_SNAPSHOTS stay, so stepping back near the end stays as
 * cheap as ever; older ones stay at multiples of old_interval, which
 * doubles (freeing every other older snapshot) whenever there would be
 * more than HISTORY_SNAPSHOT_BUDGET after position 0. Memory stays
 * bounded and a seek replays at most old_interval operations (design.md:
 * "past a budget, older snapshots thin out, nothing breaks"). A snapshot
 * costs its engines' and monitor's structs and the log chunks
 * copy-on-write then duplicates: about 20 KB in a 5-node Raft run under
 * load, 67 KB in Multi-Paxos. */
#define HISTORY_INTERVAL 1024
#define HISTORY_SNAPSHOT_BUDGET 320
#define HISTORY_RECENT_SNAPSHOTS 32
/* The memory budget: when the process's heap (tutor/heap_bytes.h) holds
 * more than this, the older interval doubles as it does past
 * HISTORY_SNAPSHOT_BUDGET, each time the heap is measured (every
 * HISTORY_BUDGET_CHECK snapshots) and found over, until only position 0
 * and the latest snapshots are left; what else the history holds (the
 * operations, the feed) is not given up. `--history-budget MB` sets it
 * for the process (tutor/cmd/main.c). */
#define HISTORY_DEFAULT_BUDGET_MB 512
#define HISTORY_BUDGET_CHECK 16
#define HISTORY_BUDGET_MAX_MB 1048576 /* 1 TB */

/* One recorded operation. form HOP_PLAIN: sim_op_make(kind, node), with
 * msg_id = arg for the message kinds; HOP_WIDE: the same with the one
 * wide field of its kind (msg_id, text or time) in wide[arg]; HOP_SESSION:
 * an OP_CLIENT in a client session, text, client and seq in wide[arg..arg+2];
 * HOP_FULL:
 * full[arg], for every operation the other forms do not reproduce field
 * for field. The side tables only grow and are shared by every branch. */
struct history_op {
    uint8_t kind; /* enum sim_op_kind */
    uint8_t form; /* HOP_PLAIN, HOP_WIDE, HOP_FULL */
    int8_t node;
    uint32_t arg;
};

enum { HOP_PLAIN, HOP_WIDE, HOP_FULL, HOP_SESSION };

union history_wide {
    uint64_t msg_id;
    const char *text;
    int64_t time;
};

struct history_snapshot {
    size_t pos;
    struct sim *sim;
};

/* A future left behind by acting in the past: it leaves the current line
 * at fork_pos, and its operations (with their feed entries and marks)
 * follow from there. */
struct history_branch {
    size_t fork_pos;
    struct history_op *ops; /* the operations after fork_pos */
    size_t n_ops;
    uint32_t *marks;  /* the marks (mark_vals indexes) of positions fork_pos+1 .. fork_pos+n_ops */
    struct feed feed; /* the entries of those operations */
};

struct history {
    struct sim *cur; /* the state at position pos */
    struct history_op *ops;
    size_t n_ops, cap_ops;
    struct sim_op *full; /* side tables of the records (struct history_op) */
    size_t n_full, cap_full;
    union history_wide *wide;
    size_t n_wide, cap_wide;
    struct history_snapshot *snaps; /* ascending pos; snaps[0] is position 0 */
    size_t n_snaps, cap_snaps;
    size_t
        old_interval; /* the older snapshots' spacing (HISTORY_INTERVAL, doubled past the budget) */
    size_t thinned;   /* snapshots freed for the budget (a status line may say so) */
    size_t budget;    /* bytes of heap past which older snapshots thin out; 0: none */
    size_t snaps_made; /* snapshots taken, to measure the heap every HISTORY_BUDGET_CHECK */
    size_t pos;
    bool forked;      /* a future was left behind as a branch (n_branches > 0) */
    struct feed feed; /* entries stamped with the position they lead to */
    /* Per position 0..n_ops, mark_size bytes the caller keeps with it (the
     * lesson flow's step there); they travel with their branch. */
    size_t mark_size;
    uint32_t *marks; /* per position, an index into mark_vals (0: all zero) */
    size_t cap_marks;
    unsigned char *mark_vals; /* the distinct marks written, mark_size bytes each */
    size_t n_mark_vals, cap_mark_vals;
    /* history_mark() hands out this copy of position slot_pos's mark; it
     * is stored back by the next history call that touches marks. */
    unsigned char *mark_slot;
    size_t slot_pos;
    bool slot_open;
    struct history_branch *branches; /* the futures left behind, oldest first */
    size_t n_branches, cap_branches;
    /* Message ids are never reused across branches: the highest id any
     * branch has used; a new branch's first operation carries it. */
    uint64_t id_high;
    /* Forks so far, and the position of the latest: a view that printed the
     * feed up to some position knows what of it is still on the line. */
    uint64_t n_forks;
    size_t last_fork_pos;
    /* Injected messages, owned here for as long as any branch may replay
     * them (the caller's copy may be gone by then). */
    struct msg **injected;
    size_t n_injected, cap_injected;
};

/* The budget of the histories made from now on, in bytes (0: none);
 * HISTORY_DEFAULT_BUDGET_MB until set. */
void history_set_budget(size_t bytes);

/* Takes ownership of a sim whose initial state is set, boots it and
 * records position 0. */
struct history *history_new(struct sim *s);
void history_free(struct history *h);
/* Applies op at the current position. In the past, this forks: the
 * operations after pos become a branch first. */
void history_apply(struct history *h, const struct sim_op *op, struct sim_result *res);
/* If the current position is in the past, keeps the future as a branch
 * (a fork). history_apply does this itself; call it before stamping feed
 * entries for an operation about to be applied. */
void history_fork_if_past(struct history *h);
/* Moves to position pos (0 <= pos <= n_ops). */
void history_seek(struct history *h, size_t pos);
/* A copy of the state at position pos of the current line (0 <= pos <=
 * n_ops), replayed from the nearest snapshot without moving h; its feed
 * is NULL. The caller frees it (sim_free). */
struct sim *history_state_at(const struct history *h, size_t pos);
/* True if the current position is before the end of the recorded run. */
bool history_in_past(const struct history *h);
/* Makes branch i the current line and moves to its end; the line it
 * leaves (from the branch's fork point on) becomes a branch in turn.
 * Branches are numbered from 0, oldest first. 0, or -1 for no such
 * branch. */
int history_switch(struct history *h, size_t i);
/* Sets how many bytes of marks each position keeps (once, before any
 * mark is written). */
void history_set_mark_size(struct history *h, size_t size);
/* The marks of position pos (0 <= pos <= n_ops), zero until written: a
 * copy to read and write, valid until the next call of history_mark or of
 * anything that applies, seeks, forks or switches. */
void *history_mark(struct history *h, size_t pos);
/* The operation that leads from position i to i+1 on the current line
 * (i < n_ops), exactly as it was applied. */
struct sim_op history_op_at(const struct history *h, size_t i);

/* What the history owns, in bytes (capacities, not just lengths):
 *   ops: the operation records of the line and of every branch, the side
 *     tables (full operations, wide fields) and the injected messages'
 *     own structs (not their payloads);
 *   marks: the per-position mark indexes (line and branches), the table
 *     of distinct marks and the slot;
 *   snapshots: the snapshot array, and per snapshot its struct sim and
 *     pending-message array (not the engines' states or the monitor, which
 *     are opaque here and share log chunks with the live state);
 *   other: struct history itself and the branch array.
 * Not counted: the feed (tutor/feed.*), the live state h->cur and the
 * string pool. total is the sum of the four. */
struct history_size {
    size_t ops, marks, snapshots, other, total;
};
struct history_size history_size(const struct history *h);
size_t history_bytes(const struct history *h);

#endif
