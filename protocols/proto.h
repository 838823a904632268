/* proto: what every engine shares — the configuration it reads, the input
 * events it is stepped with and the output it produces. An engine is a pure
 * state machine: step(node, input) -> output, with no I/O, clock, global
 * state or hidden randomness (random draws come from in->rng, which the
 * caller owns). */
#ifndef PROTOCOLS_PROTO_H
#define PROTOCOLS_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "note.h"
#include "prng.h"

#define PROTO_MAX_NODES 9
#define PROTO_MAX_ENTRIES_PER_AE 64

enum protocol { PROTO_RAFT, PROTO_PAXOS };

/* Option bits (cluster.options); per node so `set` can change one node. */
enum proto_option {
    OPT_PREVOTE = 1u << 0,
    OPT_CHECK_QUORUM = 1u << 1,
    OPT_NOOP_ON_ELECTION = 1u << 2,
    OPT_FAST_BACKUP = 1u << 3,
    OPT_MULTI = 1u << 4,
    OPT_NACK = 1u << 5,
};

/* A Paxos ballot "round.node"; round 0 is "no ballot". Ballots compare by
 * round, then by the node's position in cluster.nodes. */
struct ballot {
    int64_t round;
    int node;
};

static inline int ballot_cmp(struct ballot a, struct ballot b)
{
    if (a.round != b.round)
        return a.round < b.round ? -1 : 1;
    if (a.round == 0)
        return 0;
    return (a.node > b.node) - (a.node < b.node);
}

static inline struct note_arg note_ballot(struct ballot b)
{
    return (struct note_arg){.kind = NA_BALLOT, .aux = b.node, .v.i = b.round};
}

/* The cluster configuration, owned by the caller and passed with every
 * input (it can change mid-run through the lesson's `set`). */
struct proto_config {
    int n_nodes;
    const char *names[PROTO_MAX_NODES];
    int64_t election_min, election_max;     /* ms; Raft election, Paxos retry */
    int64_t heartbeat;                      /* ms */
    int64_t fixed_timeout[PROTO_MAX_NODES]; /* ms, or -1: draw from the range */
    unsigned options[PROTO_MAX_NODES];      /* enum proto_option bits */
    /* Paxos roles (every node every role by default). */
    bool proposer[PROTO_MAX_NODES], acceptor[PROTO_MAX_NODES], learner[PROTO_MAX_NODES];
    /* Raft §7: snapshot once this many entries are applied past the last
     * snapshot; 0: never (option snapshot_every). */
    int64_t snapshot_every[PROTO_MAX_NODES];
};

enum proto_in_kind {
    IN_START,   /* the node boots for the first time (sets its timer) */
    IN_MESSAGE, /* msg delivered to this node */
    IN_TIMER,   /* the node's timer fired (or the learner fired it by hand) */
    IN_CLIENT,  /* a client's command (Raft) or proposal value (Paxos) */
    IN_CRASH,   /* volatile state lost; persistent kept; node is down */
    IN_RESTART, /* node up again, volatile state rebuilt from persistent */
    /* Raft: snapshot now (§7, action `snapshot`) */
    IN_SNAPSHOT,
};

struct msg;

struct proto_in {
    enum proto_in_kind kind;
    int64_t now;           /* virtual time, ms */
    const struct msg *msg; /* IN_MESSAGE */
    const char *command;   /* IN_CLIENT; borrowed, lives as long as the run */
    const struct proto_config *cfg;
    struct prng *rng;
};

struct proto_applied {
    int64_t index; /* Raft log index or Paxos slot */
    const char *cmd;
};

/* A Paxos acceptance or learning, reported for the safety monitors. */
struct proto_slot_event {
    int64_t slot;
    struct ballot ballot; /* acceptances only */
    const char *value;
};

enum client_result {
    CLIENT_NONE,     /* the step was not a client request */
    CLIENT_ACCEPTED, /* appended (Raft) or taken up for proposing (Paxos) */
    CLIENT_REFUSED,  /* not leader / not a proposer; see client_hint */
    CLIENT_DOWN,     /* the node is down: nothing happened */
};

/* What one step produced. The caller resets it (proto_out_reset) before a
 * step and owns the messages afterwards. */
struct proto_out {
    struct msg *msgs;
    size_t n_msgs, cap_msgs;
    struct proto_note *notes; /* one per decision, citing the rule */
    size_t n_notes, cap_notes;
    struct proto_applied *applied; /* entries applied to the state machine, in order */
    size_t n_applied, cap_applied;
    /* Paxos: every (slot, ballot, value) this node's acceptor accepted in
     * this step, and every (slot, value) its learner learned. */
    struct proto_slot_event *accepts;
    size_t n_accepts, cap_accepts;
    struct proto_slot_event *learns;
    size_t n_learns, cap_learns;
    int64_t timer;  /* the node's timer deadline after the step; -1: none */
    bool persisted; /* persistent state changed and was saved */
    enum client_result client;
    int client_hint; /* IN_CLIENT refused: the leader the node knows, or -1 */
};

void proto_out_init(struct proto_out *o);
/* Forgets the previous step's output (freeing messages still held). */
void proto_out_reset(struct proto_out *o);
void proto_out_free(struct proto_out *o);
/* Appends a zeroed message of type t from -> to and returns it. */
struct msg *proto_send(struct proto_out *o, int type, int from, int to);
/* Appends note id with its arguments (note.h): proto_note(o, NOTE_X, note_int(3)). */
#define proto_note(o, id, ...)                                                                     \
    proto_note_args((o), (id), (const struct note_arg[]){__VA_ARGS__},                             \
                    sizeof((const struct note_arg[]){__VA_ARGS__}) / sizeof(struct note_arg))
void proto_note0(struct proto_out *o, int id);
void proto_note_args(struct proto_out *o, int id, const struct note_arg *args, size_t n);
void proto_apply(struct proto_out *o, int64_t index, const char *cmd);
void proto_accepted(struct proto_out *o, int64_t slot, struct ballot b, const char *value);
void proto_learned(struct proto_out *o, int64_t slot, const char *value);

/* Election (or retry) timeout for node self: its fixed timeout if set,
 * otherwise drawn uniformly from [election_min, election_max]. */
int64_t proto_draw_timeout(const struct proto_config *cfg, int self, struct prng *rng);
/* Index of the node named name, or -1. */
int proto_node_index(const struct proto_config *cfg, const char *name);
/* "3.S2", or "null" for round 0; buf of at least 32 bytes. */
const char *ballot_format(struct ballot b, const struct proto_config *cfg, char *buf, size_t n);

#endif
