/* explore: the safety lab's search over the schedules a cluster could take
 * from a state (lesson format, "The safety lab"): any pending message
 * delivered, and within bounds dropped or duplicated; timers fired; crashes
 * and restarts; client requests from a list (commands, and for Raft reads
 * and single-server changes: explore_requests.h). States are fingerprinted
 * (every node's state and the multiset of messages in flight, virtual time
 * left out: protocols/hash.h) so each is expanded once; the search is
 * breadth-first, so the first schedule found is among the shortest; it is
 * then shrunk until no event can be removed and the target still holds
 * (as DSLabs' trace minimizer does). */
#ifndef TUTOR_EXPLORE_H
#define TUTOR_EXPLORE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lesson.h"
#include "protocols/msg.h"
#include "sim.h"

/* A request the search may send at any point: a command (Raft request,
 * Paxos proposal), or for Raft a read of key `command` (§6.4) or a
 * single-server change of `server` (§4.1), sent to node. */
struct explore_request {
    int node;
    const char *command; /* interned in the sim's pool; a read's key */
    enum request_kind kind;
    int server; /* the server added or removed */
};

struct explore_bounds {
    int depth;          /* events, default 20 */
    int max_drops;      /* 2 */
    int max_duplicates; /* 0 */
    int max_crashes;    /* 1 */
    bool timeouts;      /* true */
    const struct explore_request *requests;
    size_t n_requests;        /* at most 16; each sent at most once per schedule */
    long max_states;          /* 1,000,000 */
    double seconds;           /* wall-clock budget, 0: none */
    const struct fact *until; /* NULL: a broken safety invariant */
    /* Random-walk probes for bugs deeper than depth (an extension of the
     * lesson format: `walks`, `walk_depth`, `walk_seed`): when the
     * breadth-first search finds nothing, `walks` schedules of up to
     * walk_depth events each are drawn from the seeded generator within
     * the same drop, duplicate, crash and request bounds: each walk draws
     * a weight per kind of event (deliveries and restarts the most, every
     * other kind 1 to 2^(about log2 walk_depth) times less), and each
     * event is a kind by those weights, then one of it uniformly; the first that reaches the target
     * is shrunk as a search's is. The same seed draws the same walks. */
    int walks;          /* 0: none */
    int walk_depth;     /* 200 */
    uint64_t walk_seed; /* 1 */
};

void explore_bounds_default(struct explore_bounds *b);

/* One event of a schedule, by content (a message by what it carries, not
 * its id, so a shrunk schedule still names it). */
struct explore_event {
    enum sim_op_kind kind; /* OP_DELIVER OP_DROP OP_DUPLICATE OP_TIMEOUT OP_CRASH OP_RESTART
                              OP_CLIENT OP_READ OP_ADD_SERVER OP_REMOVE_SERVER */
    int node;
    const char *text; /* OP_CLIENT: the command; OP_READ: the key */
    int server;       /* OP_ADD_SERVER, OP_REMOVE_SERVER: the server changed */
    struct msg m;     /* message events: a deep copy */
};

/* Why a search ended before it had tried every schedule within its bounds. */
enum explore_stop {
    EXPLORE_EXHAUSTED, /* it had not: every schedule within the depth was tried */
    EXPLORE_AT_STATES, /* max_states distinct states were reached */
    EXPLORE_AT_SECONDS,
    EXPLORE_INTERRUPTED, /* *stop was set (SIGINT) */
};

struct explore_result {
    bool found;
    bool stopped; /* interrupted, or out of time or states before the end */
    enum explore_stop why_stopped;
    long states;      /* distinct states reached */
    long expanded;    /* states whose successors were generated */
    long transitions; /* successors generated (new or already seen) */
    int depth;        /* deepest level reached */
    double seconds;   /* wall-clock time of the search */
    size_t frontier_peak;
    size_t bytes_per_state;       /* stored per distinct state (fingerprint table, parent links) */
    struct explore_event *events; /* found: the shrunk schedule */
    size_t n_events;
    size_t n_found;   /* length before shrinking */
    int walks;        /* random walks drawn */
    int walk_found;   /* the walk (0-based) that found the schedule, -1: the search did */
    long walk_events; /* events the walks played */
    char what[320];   /* found: the violation or "until" */
};

/* Progress, called about every 0.25 s: states so far, states per second
 * and the frontier. */
typedef void (*explore_progress_fn)(void *ctx, const struct explore_result *sofar, size_t frontier);

/* Searches from start (not changed). stop, when set by a signal handler,
 * ends the search cleanly. Returns 0; the result owns its events
 * (explore_result_free). */
int explore_run(const struct sim *start, const struct explore_bounds *b,
                volatile sig_atomic_t *stop, explore_progress_fn progress, void *ctx,
                struct explore_result *out);
void explore_result_free(struct explore_result *r);

/* Plays events on s; returns how many applied (stops at one that cannot:
 * no such message in flight, node in the wrong state). When target is
 * non-NULL, stops as soon as it holds, setting *reached. */
size_t explore_replay(struct sim *s, const struct explore_event *ev, size_t n,
                      const struct fact *until, bool *reached);
/* Whether the target holds in s: until, or a broken invariant. */
bool explore_target(const struct sim *s, const struct fact *until);

#endif
