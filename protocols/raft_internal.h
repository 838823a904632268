/* raft_internal: what the raft*.c files share and nobody else sees — the
 * step context, the role changes and the replication helpers. */
#ifndef PROTOCOLS_RAFT_INTERNAL_H
#define PROTOCOLS_RAFT_INTERNAL_H

#include "raft.h"

/* Short forms of one step's input and output, passed between handlers. */
struct raft_ctx {
    struct raft *r;
    const struct proto_in *in;
    const struct proto_config *cfg;
    struct proto_out *out;
};

/* raft.c: small helpers. */
const char *raft_name(const struct raft_ctx *c, int node);
bool raft_has(const struct raft_ctx *c, unsigned option);
int raft_majority(const struct raft_ctx *c);
int64_t raft_last_term(const struct raft *r);
void raft_reset_election_timer(struct raft_ctx *c);
/* A command as a note argument, cut to RAFT_NOTE_CMD bytes when shown:
 * commands may be long, notes must stay short. */
#define RAFT_NOTE_CMD 48
static inline struct note_arg raft_note_cmd(const char *cmd)
{
    struct note_arg a = note_str(cmd ? cmd : "");
    a.aux = RAFT_NOTE_CMD;
    return a;
}

/* raft_election.c: terms, votes, pre-votes, role changes. */
/* §5.1: adopt a higher term seen in any message; returns true if it did. */
bool raft_observe_term(struct raft_ctx *c, const struct msg *m, int64_t term);
void raft_become_follower(struct raft_ctx *c);
void raft_election_timeout(struct raft_ctx *c);
void raft_recv_request_vote(struct raft_ctx *c, const struct msg *m);
void raft_recv_request_vote_reply(struct raft_ctx *c, const struct msg *m);

/* raft_replication.c: AppendEntries, commitment, applying. */
void raft_broadcast_append(struct raft_ctx *c);
void raft_heartbeat_timeout(struct raft_ctx *c);
void raft_recv_append_entries(struct raft_ctx *c, const struct msg *m);
void raft_recv_append_entries_reply(struct raft_ctx *c, const struct msg *m);
/* Leader: advance commit_index by the §5.4.2 rule; notes a declined
 * old-term entry when explain is set. */
void raft_leader_commit(struct raft_ctx *c, bool explain);
/* Applies log[last_applied+1 .. commit_index] in order. */
void raft_apply_committed(struct raft_ctx *c);
void raft_append_local(struct raft_ctx *c, const char *cmd);
void raft_send_append(struct raft_ctx *c, int peer);

/* raft_election.c: an election at once, without a pre-vote (TimeoutNow). */
void raft_start_election_now(struct raft_ctx *c);

/* raft_client.c: clients (§8; dissertation §6.3-6.4, §3.10). */
void raft_client_init(struct raft_clients *cl);
void raft_client_free(struct raft_clients *cl);
void raft_client_clone(struct raft_clients *dst, const struct raft_clients *src);
/* Forgets everything (crash, restart): the state machine is rebuilt. */
void raft_client_reset(struct raft_clients *cl);
/* Before a request is appended: true if it was handled here (refused
 * during a transfer, or a duplicate answered from its session). */
bool raft_client_intercept(struct raft_ctx *c);
/* After the request's entry is appended: tags it with client and seq. */
void raft_client_tag(struct raft_ctx *c);
/* Applies entry i to the state machine; false if it was a duplicate. */
bool raft_client_apply(struct raft_ctx *c, int64_t i, const struct entry *e);
void raft_client_read(struct raft_ctx *c);
void raft_client_transfer(struct raft_ctx *c);
void raft_recv_timeout_now(struct raft_ctx *c, const struct msg *m);
/* The read_round an AppendEntries carries now. */
int64_t raft_client_round(const struct raft *r);
/* A leader heard an AppendEntriesReply (read rounds, transfer progress). */
void raft_client_after_reply(struct raft_ctx *c, const struct msg *m);
/* At the end of every step of a live node: reads waiting for a commit, a
 * confirmation or an apply; a transfer that timed out; abandoned work. */
void raft_client_progress(struct raft_ctx *c);

#endif
