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
/* Figure 2, Leaders: AppendEntries to peer from its next_index (or, §7, the
 * snapshot when the leader no longer holds that entry). */
void raft_send_append(struct raft_ctx *c, int peer);
/* The contract's follow-up rule: another AppendEntries at once only if the
 * leader holds entries it has not yet sent to peer in this term. */
void raft_send_more(struct raft_ctx *c, int peer);
/* A reply to a leader (§5.1): adopts a higher term, ignores a stale one or
 * one reaching a node that no longer leads (noted with not_leader); true if
 * the leader acts on it (and has heard from its sender). */
bool raft_leader_takes_reply(struct raft_ctx *c, const struct msg *m, int64_t term, int not_leader);
/* match_index[peer] grows to match (capped at the log), next_index above
 * it; returns match as capped. */
int64_t raft_advance_match(struct raft_ctx *c, int peer, int64_t match);
void raft_heartbeat_timeout(struct raft_ctx *c);
void raft_recv_append_entries(struct raft_ctx *c, const struct msg *m);
/* A request from the leader of this node's term (AppendEntries,
 * InstallSnapshot): a leader refuses it (noted with leader_refuses) and
 * false is returned; a candidate steps down (§5.2); the sender becomes the
 * leader hint and the election timer restarts. */
bool raft_heard_leader(struct raft_ctx *c, const struct msg *m, int leader_refuses);
void raft_recv_append_entries_reply(struct raft_ctx *c, const struct msg *m);
/* Leader: advance commit_index by the §5.4.2 rule; notes a declined
 * old-term entry when explain is set. */
void raft_leader_commit(struct raft_ctx *c, bool explain);
/* Applies log[last_applied+1 .. commit_index] in order. */
void raft_apply_committed(struct raft_ctx *c);
void raft_append_local(struct raft_ctx *c, const char *cmd);

/* raft.c: keeps the entries up to index last (absolute) and drops the rest. */
void raft_log_truncate(struct raft *r, int64_t last);

/* raft_snapshot.c: log compaction (§7, Figures 12 and 13). */
void raft_sm_init(struct raft_sm *sm);
void raft_sm_free(struct raft_sm *sm);
void raft_sm_clone(struct raft_sm *dst, const struct raft_sm *src);
/* Snapshots log[1..last_applied] now (by_hand: the action `snapshot`,
 * which says so even when there is nothing new to snapshot). */
void raft_snapshot_take(struct raft_ctx *c, bool by_hand);
/* Option snapshot_every: snapshots once that many entries are applied past
 * the last snapshot. */
void raft_snapshot_auto(struct raft_ctx *c);
/* Boot and restart: commit_index and last_applied start at the snapshot's
 * index, the state machine restored from it. */
void raft_snapshot_boot(struct raft_ctx *c);
/* Leader: sends peer the snapshot (its next_index is at or below it). */
void raft_send_snapshot(struct raft_ctx *c, int peer);
void raft_recv_install_snapshot(struct raft_ctx *c, const struct msg *m);
void raft_recv_install_snapshot_reply(struct raft_ctx *c, const struct msg *m);

#endif
