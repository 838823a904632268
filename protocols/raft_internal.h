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
int raft_config_size(const struct raft_ctx *c); /* nodes in the configuration in use */
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

/* raft_membership.c: membership changes (dissertation §4.1, extended paper
 * §6) and leader stickiness (dissertation §4.2.3). */
/* After the log changed from index `from` on: finds the configuration in use. */
void raft_membership_log_changed(struct raft *r, int64_t from);
/* The nodes of the configuration in use (both halves while joint). */
uint32_t raft_peers(const struct raft_ctx *c);
/* The node set `have` holds a majority of the configuration in use (while
 * joint, a majority of C_old and one of C_new). */
bool raft_quorum(const struct raft_ctx *c, uint32_t have);
/* Spare servers never start elections (true: it may campaign; otherwise
 * notes why and rearms the timer). */
bool raft_may_campaign(struct raft_ctx *c);
/* IN_CLIENT with in->change: add_server / remove_server. */
void raft_membership_request(struct raft_ctx *c);
/* Leader, after its commit_index advanced (or it was elected): moves a
 * committed C_old,new on to C_new, or steps down if not in a committed C_new. */
void raft_membership_after_commit(struct raft_ctx *c);
/* leader_stickiness: true if the RequestVote m is ignored (and answered). */
bool raft_sticky_refuses(struct raft_ctx *c, const struct msg *m);
/* Follower: notes the configuration its log now uses if it changed. */
void raft_membership_note_change(struct raft_ctx *c, int64_t before);

#endif
