/* raft: Raft as in Figure 2 of the extended paper (Ongaro and Ousterhout),
 * with the dissertation's PreVote (§9.6) and check-quorum options, the
 * leader no-op (§8) and fast log backup (§5.3). A pure state machine: the
 * caller steps it with an input (proto.h) and reads the output.
 *
 * Persistent and volatile state are separate structs: a crash discards
 * `v` entirely; a restart rebuilds `v` from `p` alone. */
#ifndef PROTOCOLS_RAFT_H
#define PROTOCOLS_RAFT_H

#include <stdbool.h>
#include <stdint.h>

#include "cowvec.h"
#include "msg.h"
#include "proto.h"
#include "sbuf.h"

enum raft_role { RAFT_FOLLOWER, RAFT_CANDIDATE, RAFT_LEADER };

/* The state machine's state a snapshot keeps (§7): the applied commands,
 * in order (command k is the one of log index k). */
struct raft_sm {
    struct cowvec cmds; /* const char *, borrowed like entry.cmd */
};

/* §7, Figure 12: "the last included index ... the last included term ...
 * the latest configuration as of the last included index" and the state
 * machine's state. index 0: no snapshot. */
struct raft_snapshot {
    int64_t index, term;
    uint32_t config; /* bit per node index */
    struct raft_sm state;
};

/* Figure 2, "Persistent state on all servers", and the snapshot (§7). */
struct raft_persist {
    int64_t term;
    int voted_for;     /* node index, or -1 */
    struct cowvec log; /* struct entry; log index i is element i - snap.index - 1 */
    struct raft_snapshot snap;
};

/* Figure 2, "Volatile state on all servers" and "on leaders", plus what
 * the timers and options need. All of it is lost on a crash. */
struct raft_volatile {
    bool up;
    enum raft_role role;
    int64_t commit_index, last_applied;
    int leader_hint;            /* -1: unknown */
    int votes[PROTO_MAX_NODES]; /* voters in arrival order, self first */
    int n_votes;
    int prevotes[PROTO_MAX_NODES]; /* pre-votes gathered (prevote option) */
    int n_prevotes;
    bool prevoting; /* in the pre-vote phase */
    int64_t next_index[PROTO_MAX_NODES], match_index[PROTO_MAX_NODES];
    /* leader: the highest index carried to each follower in term sent_term
     * (the entries it has already sent there; 0 in any other term) */
    int64_t sent_index[PROTO_MAX_NODES];
    int64_t sent_term;
    int64_t deadline;            /* timer: election timeout or heartbeat */
    int64_t last_leader_contact; /* time of the last AppendEntries from a leader, -1 never */
    int64_t heard_from[PROTO_MAX_NODES]; /* leader: last reply time per node (check_quorum) */
    int64_t quorum_check_at;             /* leader: check_quorum is evaluated from this time on */
};

struct raft {
    int self;
    struct raft_persist p;
    struct raft_volatile v;
};

/* A node with empty persistent state (term 0, no vote, empty log), down
 * until it receives IN_START. */
struct raft *raft_new(int self);
void raft_free(struct raft *r);
/* A deep copy sharing log chunks (cheap). */
struct raft *raft_clone(const struct raft *r);
/* Sets persistent state before IN_START (lesson `initial`). voted_for -1
 * for none. Returns 0. */
int raft_set_initial(struct raft *r, int64_t term, int voted_for, const struct entry *log,
                     size_t n);
/* The one entry point: apply one input event, append the effects to out. */
void raft_step(struct raft *r, const struct proto_in *in, struct proto_out *out);

int64_t raft_log_length(const struct raft *r);
/* Entry at log index i, 1 <= i <= raft_log_length(r). */
const struct entry *raft_entry(const struct raft *r, int64_t i);
/* Term of the entry at index i; 0 for i == 0. At the snapshot's index, the
 * snapshot's last included term; 0 below it (compacted away). */
int64_t raft_term_at(const struct raft *r, int64_t i);
/* §7: the last index a snapshot covers (0: none); entries at or below it
 * are no longer in the log, raft_entry() is NULL for them. */
int64_t raft_snapshot_index(const struct raft *r);
/* The command of index i <= raft_snapshot_index(r), kept in the
 * snapshot's state machine state; NULL otherwise. */
const char *raft_snapshot_cmd(const struct raft *r, int64_t i);

/* Node fields of the lesson format, NULL-terminated. */
const char *const *raft_fields(void);
/* JSON text of a node field into out; 0, or -1 for an unknown field. */
int raft_field(const struct raft *r, const struct proto_config *cfg, const char *name,
               struct sbuf *out);
const char *raft_role_name(enum raft_role role);

#endif
