/* msg: the messages both engines exchange, one tagged struct so the virtual
 * network can carry, copy, filter and describe them without knowing the
 * protocol. A message owns its arrays (entries, accepted); strings
 * (commands, values) are borrowed from the caller's string arena and are
 * never freed by an engine. */
#ifndef PROTOCOLS_MSG_H
#define PROTOCOLS_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"
#include "sbuf.h"

enum msg_type {
    MSG_NONE = 0,
    /* Raft */
    MSG_REQUEST_VOTE,
    MSG_REQUEST_VOTE_REPLY,
    MSG_APPEND_ENTRIES,
    MSG_APPEND_ENTRIES_REPLY,
    MSG_INSTALL_SNAPSHOT, /* §7 */
    MSG_INSTALL_SNAPSHOT_REPLY,
    /* Paxos */
    MSG_PREPARE,
    MSG_PROMISE,
    MSG_ACCEPT,
    MSG_ACCEPTED,
    MSG_NACK,
    MSG_CHOSEN,
    /* Raft, dissertation §3.10 (leadership transfer) */
    MSG_TIMEOUT_NOW,
    MSG_TYPE_COUNT
};

/* One Raft log entry. */
struct entry {
    int64_t term;
    const char *cmd;
    /* A configuration entry (dissertation §4.1, extended paper §6): the
     * node bit set of the new configuration and, joint, of the old one; 0
     * means not a configuration entry (cmd is then the command). */
    uint32_t config, config_old; /* 32-bit: no padding (logs are compared bytewise) */
    /* Dissertation §6.3: the client session the command belongs to and its
     * serial number; NULL and 0 for a command sent without one. */
    const char *client;
    int64_t seq;
};

/* An acceptor's accepted proposal for one slot (ballot.round 0: none). */
struct slot_value {
    int64_t slot;
    struct ballot ballot;
    const char *value;
};

struct msg {
    enum msg_type type;
    int from, to; /* node indices */
    union {
        struct {
            int64_t term, last_log_index, last_log_term;
            bool prevote;
            /* Sent on TimeoutNow (dissertation §3.10): "I have permission
             * to disrupt the leader" — leader stickiness (§4.2.3) lets it
             * through. */
            bool transfer;
        } rv;
        struct {
            int64_t term;
            bool granted, prevote;
        } rvr;
        struct {
            int64_t term, prev_log_index, prev_log_term, leader_commit;
            struct entry *entries; /* owned */
            size_t n_entries;
            int64_t read_round; /* ReadIndex round (raft_client.c); 0: none */
        } ae;
        struct {
            int64_t term, match_index;
            bool success;
            int64_t conflict_term, conflict_index; /* fast_backup only */
            int64_t read_round; /* the read_round of the AppendEntries answered */
        } aer;
        struct {
            int64_t term, last_included_index, last_included_term;
            uint32_t config; /* bit per node index */
            /* While joint (§6): C_old, 0 otherwise. Carried with the
             * snapshot's configuration but not a field of the lesson
             * format's InstallSnapshot (whose `config` is C_new). */
            uint32_t config_old;
            const char **state; /* owned array; the strings are borrowed */
            size_t n_state;
            /* The state machine's store and client sessions (owned; NULL
             * in a hand-made message): the rest of "the state machine's
             * state", which the lesson format's `state` lists as commands. */
            struct raft_sm_clients *sm;
        } is;
        struct {
            int64_t term, match_index;
        } isr;
        struct {
            int64_t term;
        } tn; /* MSG_TIMEOUT_NOW */
        struct {
            struct ballot ballot;
            int64_t slot;
        } prepare;
        struct {
            struct ballot ballot;
            int64_t slot;
            struct slot_value *accepted; /* owned */
            size_t n_accepted;
        } promise;
        struct {
            struct ballot ballot;
            int64_t slot;
            const char *value;
        } accept; /* MSG_ACCEPT and MSG_ACCEPTED */
        struct {
            struct ballot ballot, promised;
        } nack;
        struct {
            int64_t slot;
            const char *value;
        } chosen;
    } u;
};

/* dst becomes a deep copy of src (its arrays duplicated). */
void msg_clone(struct msg *dst, const struct msg *src);
/* Frees the arrays a message owns; the struct itself is the caller's. */
void msg_free(struct msg *m);

const char *msg_type_name(enum msg_type t);     /* "AppendEntries", ... */
enum msg_type msg_type_parse(const char *name); /* MSG_NONE if unknown */
/* True if the type belongs to the protocol ("raft" or "paxos"). */
bool msg_type_in_protocol(enum msg_type t, enum protocol p);

/* The field names a message of type t has (besides type, from, to),
 * NULL-terminated, in the order of the lesson format. */
const char *const *msg_type_fields(enum msg_type t);
/* Writes the JSON text of a field ("type", "from", "to" or a field of the
 * type) into out; returns 0, or -1 if the message has no such field. */
int msg_field(const struct msg *m, const struct proto_config *cfg, const char *name,
              struct sbuf *out);
/* A log entry as the lesson format writes it: [term, "command"], or a
 * configuration entry [term, {"config": [names]}] (joint: with "old"). */
void entry_json(struct sbuf *out, const struct entry *e, const struct proto_config *cfg);
/* The same term and the same command, or the same configuration. */
bool entry_same(const struct entry *a, const struct entry *b);
/* A node bit set as a JSON array of names, in cluster.nodes order. */
void msg_nodeset_json(struct sbuf *out, uint32_t set, const struct proto_config *cfg);
/* One line for the event feed: "AppendEntries S1→S2 term=2 prev=3/1 entries=2 commit=1". */
void msg_describe(const struct msg *m, const struct proto_config *cfg, struct sbuf *out);

#endif
