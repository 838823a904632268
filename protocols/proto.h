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
    /* Raft membership (lesson-format.md, "Raft beyond Figure 2") */
    OPT_JOINT = 1u << 6,             /* membership "joint" (extended paper §6); off: "single" */
    OPT_LEADER_STICKINESS = 1u << 7, /* dissertation §4.2.3 */
};

/* Bug switches (cluster.bugs, the safety lab): each bit one named
 * departure from the rule it breaks, checked where that rule is applied
 * (protocols/bugs.c has the names). Off by default; the engines stay
 * deterministic either way. */
enum proto_bug {
    BUG_COMMIT_OLD_TERMS = 1u << 0,       /* Raft: count replicas for earlier terms (Figure 8) */
    BUG_VOLATILE_VOTE = 1u << 1,          /* Raft: voted_for forgotten on restart */
    BUG_NO_LOG_CHECK = 1u << 2,           /* Raft: votes without the §5.4.1 up-to-date check */
    BUG_TRUNCATE_ON_APPEND = 1u << 3,     /* Raft: delete after prev_log_index even if matching */
    BUG_CHANGE_WITHOUT_NOOP = 1u << 4,    /* Raft: membership changes (not wired yet) */
    BUG_STALE_READS = 1u << 5,            /* Raft: reads (not wired yet) */
    BUG_IGNORE_PROMISED_VALUES = 1u << 8, /* Paxos: phase 2 ignores what Promises carried */
    BUG_ACCEPT_BELOW_PROMISE = 1u << 9,   /* Paxos: Accept taken below the promise */
    BUG_LEARN_ACROSS_BALLOTS = 1u << 10, /* Paxos: Accepted of different ballots counted together */
    BUG_REUSE_BALLOT = 1u << 11,         /* Paxos: a restarted proposer forgets its round */
    BUG_VOLATILE_PROMISE = 1u << 12,     /* Paxos: promise and accepted forgotten on restart */
};

/* The contract's name of a bug bit ("commit_old_terms"), or NULL. */
const char *proto_bug_name(unsigned bit);
/* The bit of a bug name for protocol p, or 0 if p has no such bug. */
unsigned proto_bug_lookup(enum protocol p, const char *name);
/* The bug names of protocol p, NULL-terminated (static). */
const char *const *proto_bug_names(enum protocol p);

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
    unsigned bugs; /* enum proto_bug bits: rules broken on purpose (cluster.bugs) */
    /* Raft: the starting configuration (cluster.members) as a node bit set;
     * 0 means every node. */
    uint32_t members;
    /* Raft, dissertation §4.2.1: rounds a leader replicates to a new
     * server before adding it (option catch_up_rounds); 0: add at once. */
    int64_t catch_up_rounds;
};

enum proto_in_kind {
    IN_START,    /* the node boots for the first time (sets its timer) */
    IN_MESSAGE,  /* msg delivered to this node */
    IN_TIMER,    /* the node's timer fired (or the learner fired it by hand) */
    IN_CLIENT,   /* a client's command (Raft) or proposal value (Paxos) */
    IN_CRASH,    /* volatile state lost; persistent kept; node is down */
    IN_RESTART,  /* node up again, volatile state rebuilt from persistent */
    IN_SNAPSHOT, /* Raft: snapshot now (§7, action `snapshot`) */
    IN_READ,     /* Raft: a client's linearizable read of key `command`, id `seq` */
    IN_TRANSFER, /* Raft: hand leadership over to node `target` (§3.10) */
};

struct msg;

struct proto_in {
    enum proto_in_kind kind;
    int64_t now;           /* virtual time, ms */
    const struct msg *msg; /* IN_MESSAGE */
    const char *command;   /* IN_CLIENT; borrowed, lives as long as the run */
    /* IN_CLIENT: a membership change instead of a command (Raft) */
    enum proto_change { CHANGE_NONE, CHANGE_ADD_SERVER, CHANGE_REMOVE_SERVER } change;
    int server; /* the server added or removed */
    const struct proto_config *cfg;
    const char *client; /* IN_CLIENT: the client's session (borrowed), or NULL */
    int64_t seq;        /* IN_CLIENT: its serial number (0: none); IN_READ: the read's id */
    int target;         /* IN_TRANSFER: the node to hand leadership to */
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

/* Raft: a read answered (dissertation §6.4): the read's id, its key, the
 * value the node's key-value store holds (NULL: none) and the index the
 * store had applied. */
struct proto_read {
    int64_t id;
    const char *key, *value;
    int64_t applied;
};

/* Raft: a client request answered (dissertation §6.3), executed or from
 * the client's session; a command sent without a session has client NULL
 * and its log index as seq (§8: the leader answers once it has applied
 * it). */
struct proto_answer {
    const char *client;
    int64_t seq;
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
    int client_hint;          /* IN_CLIENT refused: the leader the node knows, or -1 */
    struct proto_read *reads; /* Raft: reads answered in this step */
    size_t n_reads, cap_reads;
    struct proto_answer *answers; /* Raft: client requests answered in this step */
    size_t n_answers, cap_answers;
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
void proto_read_answer(struct proto_out *o, const struct proto_read *r);
void proto_answer(struct proto_out *o, const char *client, int64_t seq);

/* Election (or retry) timeout for node self: its fixed timeout if set,
 * otherwise drawn uniformly from [election_min, election_max]. */
int64_t proto_draw_timeout(const struct proto_config *cfg, int self, struct prng *rng);
/* Index of the node named name, or -1. */
int proto_node_index(const struct proto_config *cfg, const char *name);
/* "3.S2", or "null" for round 0; buf of at least 32 bytes. */
const char *ballot_format(struct ballot b, const struct proto_config *cfg, char *buf, size_t n);

#endif
