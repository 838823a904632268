/* raft_client: what a Raft server keeps for its clients (§8; dissertation
 * §6.3-6.4, §3.10) — the key-value store and the client sessions of the
 * state machine, the leader's pending linearizable reads (ReadIndex) and a
 * leadership transfer in progress. Included by raft.h; all of it is
 * volatile: the state machine is rebuilt by re-applying the log after a
 * restart, as commit_index and last_applied are. */
#ifndef PROTOCOLS_RAFT_CLIENT_H
#define PROTOCOLS_RAFT_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cowvec.h"
#include "proto.h"

/* One key of the store: the command that last set it ("KEY=VALUE"); the
 * value is the tail of the command after the first '='. */
struct raft_kv {
    const char *cmd;
    size_t key_len;
};

/* Dissertation §6.3: "each server's state machine ... tracks the latest
 * serial number processed for each client". */
struct raft_session {
    const char *client;
    int64_t seq;
};

/* A read the leader has not answered yet (dissertation §6.4). */
struct raft_read {
    int64_t id;
    const char *key;
    int64_t term;       /* the leader's term when the read arrived */
    int64_t read_index; /* -1: waiting for an entry of its term to commit */
    int64_t round;      /* the heartbeat round that must confirm it; 0: not begun */
    bool confirmed;     /* a majority acknowledged that round */
};

struct raft_clients {
    struct cowvec kv;       /* struct raft_kv */
    struct cowvec sessions; /* struct raft_session */
    struct cowvec skipped;  /* int64_t: indexes of duplicates not applied, ascending */
    struct cowvec reads;    /* struct raft_read, in arrival order */
    int64_t read_term;      /* the term the rounds below belong to */
    int64_t read_round;     /* heartbeat rounds begun in read_term */
    int64_t acked_round[PROTO_MAX_NODES]; /* the highest round each peer acknowledged */
    int transfer_to;                      /* §3.10: the target, -1: no transfer */
    int64_t transfer_deadline;            /* the transfer is given up at this time */
    bool timeout_now_sent;
};

/* The state machine's part of struct raft_clients — the store, the
 * sessions and the duplicates skipped — which a snapshot keeps (§7, and
 * dissertation §6.3: the session table is part of the state machine, so
 * a retried command is not applied twice after a snapshot either). */
struct raft_sm_clients {
    struct cowvec kv, sessions, skipped;
};

void raft_sm_clients_init(struct raft_sm_clients *s);
void raft_sm_clients_free(struct raft_sm_clients *s);
/* dst must not be initialised. */
void raft_sm_clients_clone(struct raft_sm_clients *dst, const struct raft_sm_clients *src);
/* The state machine's part of cl into dst (initialised; its old contents go). */
void raft_client_save(struct raft_sm_clients *dst, const struct raft_clients *cl);
/* cl's state machine becomes src (a restart from a snapshot, an install). */
void raft_client_restore(struct raft_clients *cl, const struct raft_sm_clients *src);

/* True if cmd is "KEY=VALUE" with a non-empty KEY; *key_len its length. */
bool raft_kv_command(const char *cmd, size_t *key_len);

#endif
