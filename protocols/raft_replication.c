/* raft_replication: log replication (§5.3), commitment (§5.4.2), applying
 * committed entries, heartbeats, check_quorum (dissertation §6.2) and fast
 * log backup. */
#include <stdlib.h>

#include "raft_internal.h"

void raft_append_local(struct raft_ctx *c, const char *cmd)
{
    struct entry e = {.term = c->r->p.term, .cmd = cmd};
    raft_append_entry(c, &e);
}

void raft_append_entry(struct raft_ctx *c, const struct entry *e)
{
    cowvec_push(&c->r->p.log, e);
    c->out->persisted = true;
    raft_membership_log_changed(c->r, raft_log_length(c->r));
}

/* The highest index this leader has carried to peer in its current term
 * (sent_index is volatile and belongs to one term: a new term starts from
 * nothing sent). */
static int64_t *sent_index(struct raft *r, int peer)
{
    if (r->v.sent_term != r->p.term) {
        for (int i = 0; i < PROTO_MAX_NODES; i++)
            r->v.sent_index[i] = 0;
        r->v.sent_term = r->p.term;
    }
    return &r->v.sent_index[peer];
}

/* Figure 2, Leaders: "If last log index >= nextIndex for a follower: send
 * AppendEntries RPC with log entries starting at nextIndex" — at most
 * PROTO_MAX_ENTRIES_PER_AE of them; none when the follower is believed up
 * to date (a heartbeat). */
void raft_send_append(struct raft_ctx *c, int peer)
{
    struct raft *r = c->r;
    int64_t *sent = sent_index(r, peer);
    int64_t last = raft_log_length(r);
    int64_t next = r->v.next_index[peer];
    if (next < 1)
        next = 1;
    if (next > last + 1)
        next = last + 1;
    /* §7: "the leader must occasionally send snapshots to followers that lag
     * behind" — when it has already discarded the next entry to send. */
    if (next <= r->p.snap.index) {
        if (r->p.snap.index > *sent)
            *sent = r->p.snap.index;
        raft_send_snapshot(c, peer);
        return;
    }
    int64_t n = last - next + 1;
    if (n > PROTO_MAX_ENTRIES_PER_AE)
        n = PROTO_MAX_ENTRIES_PER_AE;
    struct msg *m = proto_send(c->out, MSG_APPEND_ENTRIES, r->self, peer);
    m->u.ae.term = r->p.term;
    m->u.ae.prev_log_index = next - 1;
    m->u.ae.prev_log_term = raft_term_at(r, next - 1);
    m->u.ae.leader_commit = r->v.commit_index;
    m->u.ae.read_round = raft_client_round(r);
    if (n > 0) {
        m->u.ae.entries = malloc((size_t)n * sizeof *m->u.ae.entries);
        if (!m->u.ae.entries)
            abort();
        for (int64_t k = 0; k < n; k++)
            m->u.ae.entries[k] = *raft_entry(r, next + k);
        m->u.ae.n_entries = (size_t)n;
        if (next - 1 + n > *sent)
            *sent = next - 1 + n;
    }
}

void raft_send_more(struct raft_ctx *c, int peer)
{
    struct raft *r = c->r;
    int64_t last = raft_log_length(r);
    if (r->v.next_index[peer] <= last && last > *sent_index(r, peer))
        raft_send_append(c, peer);
}

/* To every other server of the configuration in use (dissertation §4.1;
 * both halves while joint). */
void raft_broadcast_append(struct raft_ctx *c)
{
    uint32_t peers = raft_peers(c);
    for (int i = 0; i < c->cfg->n_nodes; i++)
        if ((peers >> i) & 1u)
            raft_send_append(c, i);
}

/* Dissertation §6.2: "a leader steps down if an election timeout elapses
 * without a successful round of heartbeats to a majority of its cluster".
 * The window is the minimum election timeout (cfg->election_min): a
 * follower may time out that soon, so a leader that has not heard from a
 * majority for that long can no longer be sure it leads. Returns true if
 * the leader stepped down. */
static bool check_quorum(struct raft_ctx *c)
{
    struct raft *r = c->r;
    int64_t now = c->in->now, window = c->cfg->election_min;
    if (!raft_has(c, OPT_CHECK_QUORUM) || now < r->v.quorum_check_at)
        return false;
    int heard = 1; /* the leader itself */
    uint32_t who = 1u << r->self;
    for (int i = 0; i < c->cfg->n_nodes; i++)
        if (i != r->self && r->v.heard_from[i] >= 0 && now - r->v.heard_from[i] < window) {
            heard++;
            who |= 1u << i;
        }
    if (raft_quorum(c, who))
        return false;
    proto_note(c->out, NOTE_RAFT_CHECK_QUORUM, note_node(r->self), note_int(heard),
               note_int(raft_config_size(c)), note_int(window));
    r->v.leader_hint = -1;
    raft_become_follower(c);
    return true;
}

/* §5.2: "Leaders send periodic heartbeats (AppendEntries RPCs that carry
 * no log entries) to all followers"; here each carries whatever the
 * follower still lacks. */
void raft_heartbeat_timeout(struct raft_ctx *c)
{
    struct raft *r = c->r;
    if (check_quorum(c))
        return;
    proto_note(c->out, NOTE_RAFT_HEARTBEAT, note_node(r->self));
    raft_broadcast_append(c);
    r->v.deadline = c->in->now + c->cfg->heartbeat;
}

static void reply_append(struct raft_ctx *c, const struct msg *m, bool success, int64_t match_index,
                         int64_t conflict_term, int64_t conflict_index)
{
    struct msg *reply = proto_send(c->out, MSG_APPEND_ENTRIES_REPLY, c->r->self, m->from);
    reply->u.aer.term = c->r->p.term;
    reply->u.aer.success = success;
    reply->u.aer.match_index = match_index;
    reply->u.aer.read_round = m->u.ae.read_round;
    if (raft_has(c, OPT_FAST_BACKUP)) {
        reply->u.aer.conflict_term = conflict_term;
        reply->u.aer.conflict_index = conflict_index;
    }
}

/* Fast backup: the first index of the run of entries of term `term` that
 * ends at index i. */
static int64_t first_index_of_term(const struct raft *r, int64_t i, int64_t term)
{
    while (i > r->p.snap.index + 1 && raft_term_at(r, i - 1) == term)
        i--;
    return i;
}

/* §5.3, the consistency check: "If the follower does not find an entry in
 * its log with the same index and term, then it refuses the new entries."
 * Returns true if the log has prev_log_index with prev_log_term. */
static bool consistency_check(struct raft_ctx *c, const struct msg *m)
{
    struct raft *r = c->r;
    int64_t prev = m->u.ae.prev_log_index, last = raft_log_length(r);
    struct note_arg me = note_node(r->self);
    if (prev < 0) {
        proto_note(c->out, NOTE_RAFT_PREV_IMPOSSIBLE, note_int(prev));
        reply_append(c, m, false, 0, 0, 0);
        return false;
    }
    /* §7: the entries a snapshot covers are committed, so they match the
     * log of every leader of this term (Leader Completeness). */
    if (prev < r->p.snap.index) {
        proto_note(c->out, NOTE_RAFT_PREV_IN_SNAPSHOT, me, note_int(prev),
                   note_int(r->p.snap.index));
        return true;
    }
    if (prev > last) {
        proto_note(c->out, NOTE_RAFT_PREV_MISSING, me, note_int(prev), note_int(last));
        reply_append(c, m, false, 0, 0, last + 1);
        return false;
    }
    int64_t have = raft_term_at(r, prev);
    if (have != m->u.ae.prev_log_term) {
        proto_note(c->out, NOTE_RAFT_PREV_MISMATCH, me, note_int(prev), note_int(have),
                   note_int(m->u.ae.prev_log_term));
        reply_append(c, m, false, 0, have, first_index_of_term(r, prev, have));
        return false;
    }
    return true;
}

/* Figure 2, AppendEntries RPC, receiver implementation, steps 3 and 4:
 * "If an existing entry conflicts with a new one (same index but different
 * terms), delete the existing entry and all that follow it. Append any new
 * entries not already in the log." Entries that match are left alone, so a
 * late or duplicate request never truncates. */
static void merge_entries(struct raft_ctx *c, const struct msg *m)
{
    struct raft *r = c->r;
    struct note_arg me = note_node(r->self), leader = note_node(m->from);
    int64_t prev = m->u.ae.prev_log_index, n = (int64_t)m->u.ae.n_entries;
    /* Entries a snapshot covers are already held (§7). */
    int64_t k = r->p.snap.index > prev ? r->p.snap.index - prev : 0;
    if (k > n)
        k = n;
    /* Bug switch truncate_on_append: everything after prev_log_index goes,
     * matching or not, so a late or duplicate request truncates. */
    if (raft_bug(c, BUG_TRUNCATE_ON_APPEND) && prev + n < raft_log_length(r) &&
        prev >= r->p.snap.index) {
        proto_note(c->out, NOTE_RAFT_BUG_TRUNCATE, me, note_int(prev + 1),
                   note_int(raft_log_length(r)));
        raft_log_truncate(r, prev);
        c->out->persisted = true;
    }
    while (k < n && prev + 1 + k <= raft_log_length(r) &&
           raft_term_at(r, prev + 1 + k) == m->u.ae.entries[k].term)
        k++;
    if (k == n) {
        if (n > 0)
            proto_note(c->out, NOTE_RAFT_ALREADY_HAS, me, note_int(prev + 1), note_int(prev + n));
        else
            proto_note(c->out, NOTE_RAFT_HEARTBEAT_MATCH, leader, note_int(prev));
        return;
    }
    int64_t at = prev + 1 + k, config_before = r->v.config_at;
    if (at <= raft_log_length(r)) {
        int64_t old = raft_term_at(r, at);
        /* Figure 2 deletes the conflict whatever it is. A correct leader
         * never conflicts with a committed entry (Leader Completeness), so
         * only a forged message gets here; the safety monitor reports it. */
        if (at <= r->v.commit_index)
            proto_note(c->out, NOTE_RAFT_CONFLICT_COMMITTED, note_int(at), note_int(old),
                       note_int(m->u.ae.entries[k].term));
        proto_note(c->out, NOTE_RAFT_CONFLICT, note_int(at), note_int(old),
                   note_int(m->u.ae.entries[k].term));
        raft_log_truncate(r, at - 1);
    }
    for (int64_t j = k; j < n; j++)
        cowvec_push(&r->p.log, &m->u.ae.entries[j]);
    c->out->persisted = true;
    raft_membership_log_changed(r, at);
    if (n - k == 1)
        proto_note(c->out, NOTE_RAFT_APPEND_ONE, me, note_int(at), leader);
    else
        proto_note(c->out, NOTE_RAFT_APPEND_MANY, me, note_int(at), note_int(prev + n), leader);
    raft_membership_note_change(c, config_before);
}

bool raft_heard_leader(struct raft_ctx *c, const struct msg *m, int leader_refuses)
{
    struct raft *r = c->r;
    struct raft_volatile *v = &r->v;
    struct note_arg me = note_node(r->self), who = note_node(m->from);
    if (v->role == RAFT_LEADER) {
        proto_note(c->out, leader_refuses, me, note_int(r->p.term), who);
        return false;
    }
    if (v->role == RAFT_CANDIDATE) {
        /* §5.2: "If the leader's term ... is at least as large as the
         * candidate's current term, then the candidate recognizes the
         * leader as legitimate and returns to follower state." */
        proto_note(c->out, NOTE_RAFT_CANDIDATE_FALLBACK, who, note_int(r->p.term), me);
        raft_become_follower(c);
    }
    v->prevoting = false;
    v->n_prevotes = 0;
    v->leader_hint = m->from;
    v->last_leader_contact = c->in->now;
    raft_reset_election_timer(c);
    return true;
}

/* Figure 2, AppendEntries RPC, receiver implementation. */
void raft_recv_append_entries(struct raft_ctx *c, const struct msg *m)
{
    struct raft *r = c->r;
    struct raft_volatile *v = &r->v;
    struct note_arg me = note_node(r->self), who = note_node(m->from);
    raft_observe_term(c, m, m->u.ae.term);
    if (m->u.ae.term < r->p.term) {
        /* 1. "Reply false if term < currentTerm" — answered, so that a
         * deposed leader learns the new term. */
        proto_note(c->out, NOTE_RAFT_STALE_REFUSE, note_msgtype(m->type), who,
                   note_int(m->u.ae.term), note_int(r->p.term));
        reply_append(c, m, false, 0, 0, 0);
        return;
    }
    if (!raft_heard_leader(c, m, NOTE_RAFT_LEADER_REFUSES_AE)) {
        reply_append(c, m, false, 0, 0, 0);
        return;
    }

    if (!consistency_check(c, m))
        return;
    merge_entries(c, m);
    /* 5. "If leaderCommit > commitIndex, set commitIndex = min(leaderCommit,
     * index of last new entry)" */
    int64_t last_new = m->u.ae.prev_log_index + (int64_t)m->u.ae.n_entries;
    if (last_new < r->p.snap.index)
        last_new = r->p.snap.index; /* §7: the snapshot holds up to there */
    int64_t commit = m->u.ae.leader_commit < last_new ? m->u.ae.leader_commit : last_new;
    if (commit > v->commit_index) {
        proto_note(c->out, NOTE_RAFT_FOLLOWER_COMMIT, note_int(m->u.ae.leader_commit), me,
                   note_int(v->commit_index), note_int(commit));
        v->commit_index = commit;
    }
    reply_append(c, m, true, last_new, 0, 0);
    raft_apply_committed(c);
}

/* Fast backup (the extended paper, §5.3, and the common refinement): jump
 * past a whole conflicting term instead of one entry per round trip. */
static int64_t fast_backup_next(const struct raft *r, const struct msg *m)
{
    int64_t term = m->u.aer.conflict_term;
    if (term > 0) {
        for (int64_t i = raft_log_length(r); i >= 1; i--) {
            int64_t t = raft_term_at(r, i);
            if (t == term)
                return i + 1;
            if (t < term)
                break;
        }
    }
    return m->u.aer.conflict_index;
}

bool raft_leader_takes_reply(struct raft_ctx *c, const struct msg *m, int64_t term, int not_leader)
{
    struct raft *r = c->r;
    struct note_arg who = note_node(m->from);
    if (raft_observe_term(c, m, term))
        return false;
    if (term < r->p.term) {
        proto_note(c->out, NOTE_RAFT_STALE_IGNORE, note_msgtype(m->type), who, note_int(term),
                   note_int(r->p.term));
        return false;
    }
    if (r->v.role != RAFT_LEADER) {
        proto_note(c->out, not_leader, note_node(r->self), who);
        return false;
    }
    r->v.heard_from[m->from] = c->in->now;
    return true;
}

/* Replies may arrive late, twice or out of order: match_index only grows
 * (never past the leader's log), and next_index stays above it. */
int64_t raft_advance_match(struct raft_ctx *c, int peer, int64_t match)
{
    struct raft_volatile *v = &c->r->v;
    if (match > raft_log_length(c->r))
        match = raft_log_length(c->r);
    if (match > v->match_index[peer])
        v->match_index[peer] = match;
    if (v->next_index[peer] < v->match_index[peer] + 1)
        v->next_index[peer] = v->match_index[peer] + 1;
    return match;
}

/* Figure 2, Leaders: "If successful: update nextIndex and matchIndex for
 * follower. If AppendEntries fails because of log inconsistency: decrement
 * nextIndex and retry." */
void raft_recv_append_entries_reply(struct raft_ctx *c, const struct msg *m)
{
    struct raft *r = c->r;
    struct raft_volatile *v = &r->v;
    struct note_arg who = note_node(m->from);
    int peer = m->from;
    if (!raft_leader_takes_reply(c, m, m->u.aer.term, NOTE_RAFT_AER_NOT_LEADER))
        return;
    int64_t old_next = v->next_index[peer], old_match = v->match_index[peer];

    if (m->u.aer.success) {
        /* Each reply names the index its own request reached. */
        int64_t match = raft_advance_match(c, peer, m->u.aer.match_index);
        if (v->match_index[peer] != old_match)
            proto_note(c->out, NOTE_RAFT_MATCH_ADVANCE, who, note_int(match), note_int(old_match),
                       note_int(v->match_index[peer]), note_int(v->next_index[peer]));
        else
            proto_note(c->out, NOTE_RAFT_MATCH_STAYS, who, note_int(m->u.aer.match_index),
                       note_int(v->match_index[peer]));
        if (v->match_index[peer] != old_match)
            raft_leader_commit(c, true);
        /* The contract's AppendEntries rule (lesson-format.md, "Protocol
         * rules where sources differ"): "A success that leaves the
         * follower behind is followed at once by another AppendEntries
         * only if the leader holds entries it has not yet sent to that
         * follower in this term ... entries already sent are not sent
         * again until the next heartbeat or command", so that under a
         * steady load each entry travels about once per follower and the
         * messages in flight stay bounded. */
        raft_send_more(c, peer);
        return;
    }

    int64_t next;
    bool fast = raft_has(c, OPT_FAST_BACKUP) && m->u.aer.conflict_index > 0;
    next = fast ? fast_backup_next(r, m) : old_next - 1;
    /* Never below 1, never at or below what the follower is known to
     * hold, never forward on a refusal. */
    if (next >= old_next)
        next = old_next - 1;
    if (next < v->match_index[peer] + 1)
        next = v->match_index[peer] + 1;
    if (next < 1)
        next = 1;
    v->next_index[peer] = next;
    /* What the follower refused past next_index counts as not sent: a
     * success of the retry goes on from there at once. */
    int64_t *sent = sent_index(r, peer);
    if (*sent > next - 1)
        *sent = next - 1;
    if (fast)
        proto_note(c->out, NOTE_RAFT_FAST_BACKUP, who, note_int(m->u.aer.conflict_term),
                   note_int(m->u.aer.conflict_index), note_int(old_next), note_int(next));
    else
        proto_note(c->out, NOTE_RAFT_BACKUP, who, note_int(old_next), note_int(next));
    raft_send_append(c, peer);
}

/* Figure 2, Leaders: "If there exists an N such that N > commitIndex, a
 * majority of matchIndex[i] >= N, and log[N].term == currentTerm: set
 * commitIndex = N" (§5.4.2: never commit an entry from an earlier term by
 * counting replicas — Figure 8). */
void raft_leader_commit(struct raft_ctx *c, bool explain)
{
    struct raft *r = c->r;
    struct raft_volatile *v = &r->v;
    if (v->role != RAFT_LEADER)
        return;
    int64_t n;
    for (n = raft_log_length(r); n > v->commit_index; n--) {
        uint32_t have = 1u << r->self; /* the leader holds its whole log */
        for (int i = 0; i < c->cfg->n_nodes; i++)
            if (i != r->self && v->match_index[i] >= n)
                have |= 1u << i;
        if (raft_quorum(c, have)) /* of the configuration in use (§4.1, §6) */
            break;
    }
    if (n <= v->commit_index)
        return;
    /* Terms never decrease along a log, so if the highest entry stored on a
     * majority is from an older term, so is every entry below it. */
    int64_t term = raft_term_at(r, n);
    /* Bug switch commit_old_terms: the rule above is skipped, so an entry
     * of an earlier term commits by counting replicas (Figure 8). */
    if (term != r->p.term && raft_bug(c, BUG_COMMIT_OLD_TERMS)) {
        proto_note(c->out, NOTE_RAFT_BUG_COMMIT_OLD_TERM, note_int(n), note_int(term),
                   note_int(r->p.term));
    } else if (term != r->p.term) {
        if (explain)
            proto_note(c->out, NOTE_RAFT_OLD_TERM, note_int(n), note_int(term),
                       note_int(r->p.term));
        return;
    }
    proto_note(c->out, NOTE_RAFT_COMMIT, note_int(n), note_int(term), note_int(v->commit_index),
               note_int(n));
    v->commit_index = n;
    raft_membership_after_commit(c);
}

/* Figure 2, All Servers: "If commitIndex > lastApplied: increment
 * lastApplied, apply log[lastApplied] to state machine". */
void raft_apply_committed(struct raft_ctx *c)
{
    struct raft *r = c->r;
    struct raft_volatile *v = &r->v;
    if (v->commit_index > raft_log_length(r))
        v->commit_index = raft_log_length(r); /* defensive: never apply past the log */
    if (v->last_applied >= v->commit_index)
        return;
    int64_t from = v->last_applied + 1, duplicates = 0;
    bool one_applied = false;
    while (v->last_applied < v->commit_index) {
        v->last_applied++;
        /* A configuration entry is not a command: it took effect when it
         * reached the log (dissertation §4.1). A duplicate (§6.3) is
         * answered from its session, not applied again. */
        const struct entry *e = raft_entry(r, v->last_applied);
        if (!e || e->config)
            continue;
        if (raft_client_apply(c, v->last_applied, e)) {
            proto_apply(c->out, v->last_applied, e->cmd);
            one_applied = true;
        } else {
            duplicates++;
        }
    }
    if (from == v->last_applied) {
        /* One entry: said only if it was a command applied (a duplicate
         * has its own note). */
        if (one_applied)
            proto_note(c->out, NOTE_RAFT_APPLY_ONE, note_node(r->self), note_int(from),
                       raft_note_cmd(raft_entry(r, from)->cmd));
    } else if (duplicates) {
        proto_note(c->out, NOTE_RAFT_APPLY_MANY_DUPLICATES, note_node(r->self), note_int(from),
                   note_int(v->last_applied), note_int(duplicates));
    } else {
        proto_note(c->out, NOTE_RAFT_APPLY_MANY, note_node(r->self), note_int(from),
                   note_int(v->last_applied));
    }
}
