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
/* A bug switch of the safety lab (enum proto_bug) is on. */
static inline bool raft_bug(const struct raft_ctx *c, unsigned bug)
{
    return (c->cfg->bugs & bug) != 0;
}
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

#endif
