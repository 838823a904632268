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
#include "raft_client.h"
#include "sbuf.h"

enum raft_role { RAFT_FOLLOWER, RAFT_CANDIDATE, RAFT_LEADER };

/* The state machine's state a snapshot keeps (§7): the applied commands,
 * in order (command k is the one of log index k). */
struct raft_sm {
    struct cowvec cmds;        /* const char *, borrowed like entry.cmd */
    struct raft_sm_clients cl; /* the store and the client sessions (§6.3) */
};

/* §7, Figure 12: "the last included index ... the last included term ...
 * the latest configuration as of the last included index" and the state
 * machine's state. index 0: no snapshot. */
struct raft_snapshot {
    int64_t index, term;
    uint32_t config;     /* bit per node index */
    uint32_t config_old; /* joint (§6): C_old as well; 0 otherwise */
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
    int64_t config_at; /* index of the latest configuration entry in the log, 0: none */
    /* leader, option catch_up_rounds (dissertation §4.2.1): the new server
     * being caught up before add_server appends its configuration */
    bool catching_up;
    int catch_up_node;
    int64_t catch_up_round; /* 1..catch_up_rounds */
    int64_t catch_up_end;   /* the leader's last index when the round began */
    int64_t catch_up_began; /* when the round began */
    int64_t catch_up_since; /* when the catch-up began */
};

struct raft {
    int self;
    struct raft_persist p;
    struct raft_volatile v;
    struct raft_clients cl; /* volatile too: the state machine, reads, transfer */
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

/* The log accessors below are inline: the engine and the monitors call
 * them several times per event. */
static inline int64_t raft_log_length(const struct raft *r)
{
    return r->p.snap.index + (int64_t)r->p.log.len;
}
/* Entry at log index i, 1 <= i <= raft_log_length(r). */
static inline const struct entry *raft_entry(const struct raft *r, int64_t i)
{
    if (i <= r->p.snap.index || i > raft_log_length(r))
        return NULL;
    return cowvec_at(&r->p.log, (size_t)(i - r->p.snap.index - 1));
}
/* Term of the entry at index i; 0 for i == 0. At the snapshot's index, the
 * snapshot's last included term; 0 below it (compacted away). */
int64_t raft_term_at(const struct raft *r, int64_t i);
/* §7: the last index a snapshot covers (0: none); entries at or below it
 * are no longer in the log, raft_entry() is NULL for them. */
static inline int64_t raft_snapshot_index(const struct raft *r)
{
    return r->p.snap.index;
}
/* The command of index i <= raft_snapshot_index(r), kept in the
 * snapshot's state machine state; NULL otherwise. */
const char *raft_snapshot_cmd(const struct raft *r, int64_t i);

/* The configuration node r uses (dissertation §4.1, extended paper §6: the
 * latest configuration entry in its log, committed or not; before any,
 * cluster.members): the new node set, and in *old the old set while joint
 * (0 otherwise). old may be NULL. */
uint32_t raft_config(const struct raft *r, const struct proto_config *cfg, uint32_t *old);
/* The configuration in force at log index `index` (Figure 12: what a
 * snapshot covering it keeps), with C_old while joint. */
void raft_config_at(const struct raft *r, const struct proto_config *cfg, int64_t index,
                    uint32_t *now, uint32_t *old);
/* Index of the configuration entry r uses; 0: the starting configuration. */
int64_t raft_config_index(const struct raft *r);
/* The node is in the configuration it uses (either half while joint). */
bool raft_voting(const struct raft *r, const struct proto_config *cfg);
/* cluster.members as a node set (every node when 0). */
uint32_t raft_members(const struct proto_config *cfg);

/* Node fields of the lesson format, NULL-terminated. */
const char *const *raft_fields(void);
/* JSON text of a node field into out; 0, or -1 for an unknown field. */
int raft_field(const struct raft *r, const struct proto_config *cfg, const char *name,
               struct sbuf *out);
const char *raft_role_name(enum raft_role role);

/* The key-value store a node has applied (raft_client.c): the value of
 * key (NULL: not set), and its keys in the order first set. */
const char *raft_kv_get(const struct raft *r, const char *key);
size_t raft_kv_count(const struct raft *r);
const struct raft_kv *raft_kv_at(const struct raft *r, size_t i);
/* True if log index i was a duplicate (§6.3) and so not applied. */
bool raft_applied_skipped(const struct raft *r, int64_t i);

#endif
