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
int raft_config_size(const struct raft_ctx *c); /* nodes in the configuration in use */
int64_t raft_last_term(const struct raft *r);
void raft_reset_election_timer(struct raft_ctx *c);
/* About an election timeout: the node's fixed timeout or election_max. */
int64_t raft_election_span(const struct raft_ctx *c);
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
/* The same for an entry made whole (its term the current one). */
void raft_append_entry(struct raft_ctx *c, const struct entry *e);
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
/* The request's entry, tagged with its client and seq (§6.3), to append
 * whole: tagging it after the append would write an entry the history
 * shares with its snapshots (a chunk copy) and wake the monitor's watch. */
struct entry raft_client_entry(const struct raft_ctx *c, const char *cmd);
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
/* Leader: appends the configuration entry that adds or removes server
 * (all checks made), notes it, sends it, and commits what it can. */
void raft_membership_append_change(struct raft_ctx *c, int server, bool add);
/* raft_catch_up.c: option catch_up_rounds (dissertation §4.2.1). */
/* Leader: begins catching server up before adding it. */
void raft_catch_up_begin(struct raft_ctx *c, int server);
/* At the end of every step of a live node: ends a round, adds the server
 * after the last one, or aborts. */
void raft_catch_up_progress(struct raft_ctx *c);
/* Leader, after its commit_index advanced (or it was elected): moves a
 * committed C_old,new on to C_new, or steps down if not in a committed C_new. */
void raft_membership_after_commit(struct raft_ctx *c);
/* leader_stickiness: true if the RequestVote m is ignored (and answered). */
bool raft_sticky_refuses(struct raft_ctx *c, const struct msg *m);
/* Follower: notes the configuration its log now uses if it changed. */
void raft_membership_note_change(struct raft_ctx *c, int64_t before);

#endif
