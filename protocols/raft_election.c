/* raft_election: terms (§5.1), leader election (§5.2), the election
 * restriction (§5.4.1) and PreVote (dissertation §9.6). */
#include "raft_internal.h"

/* "If RPC request or response contains term T > currentTerm: set
 * currentTerm = T, convert to follower" (Figure 2, Rules for Servers). The
 * vote and the leader known belong to the old term and are forgotten. */
bool raft_observe_term(struct raft_ctx *c, const struct msg *m, int64_t term)
{
    struct raft *r = c->r;
    if (term <= r->p.term)
        return false;
    bool was_follower = r->v.role == RAFT_FOLLOWER && !r->v.prevoting;
    proto_note(c->out, NOTE_RAFT_HIGHER_TERM, note_msgtype(m->type), note_node(m->from),
               note_int(term), note_int(r->p.term), note_node(r->self),
               note_phrase(was_follower ? NOTE_RAFT_ADOPTS_TERM : NOTE_RAFT_ADOPTS_AND_STEPS_DOWN));
    r->p.term = term;
    r->p.voted_for = -1;
    c->out->persisted = true;
    r->v.leader_hint = -1;
    r->v.last_leader_contact = -1;
    raft_become_follower(c);
    return true;
}

void raft_become_follower(struct raft_ctx *c)
{
    struct raft_volatile *v = &c->r->v;
    bool was_leader = v->role == RAFT_LEADER;
    v->role = RAFT_FOLLOWER;
    v->n_votes = 0;
    v->n_prevotes = 0;
    v->prevoting = false;
    for (int i = 0; i < PROTO_MAX_NODES; i++) {
        v->next_index[i] = 0;
        v->match_index[i] = 0;
        v->heard_from[i] = -1;
    }
    v->quorum_check_at = 0;
    /* A leader's timer was a heartbeat timer: as a follower it needs an
     * election timeout again. A candidate keeps the one it drew. */
    if (was_leader)
        raft_reset_election_timer(c);
}

/* A vote list for a note: who[0] is the candidate itself, named first
 * (argument 1); the others are argument 3, a node set. Returns the phrase
 * that shows them. */
static int vote_list(const int *who, int n, uint32_t *others)
{
    *others = 0;
    for (int i = 1; i < n; i++)
        *others |= 1u << who[i];
    return *others ? NOTE_RAFT_VOTERS_SELF_AND_OTHERS : NOTE_RAFT_VOTERS_SELF;
}

/* The voters as a node set, for raft_quorum. */
static uint32_t voter_set(const int *who, int n)
{
    uint32_t set = 0;
    for (int i = 0; i < n; i++)
        set |= 1u << who[i];
    return set;
}

static bool has_voter(const int *who, int n, int node)
{
    for (int i = 0; i < n; i++)
        if (who[i] == node)
            return true;
    return false;
}

/* §5.4.1: "If the logs have last entries with different terms, then the log
 * with the later term is more up-to-date. If the logs end with the same
 * term, then whichever log is longer is more up-to-date." Returns true if
 * the candidate's log is at least as up to date as ours; *why is the
 * phrase that compares the two logs. */
static bool log_up_to_date(const struct raft *r, int64_t last_index, int64_t last_term, int *why)
{
    int64_t my_term = raft_last_term(r), my_index = raft_log_length(r);
    if (last_term != my_term) {
        *why = NOTE_RAFT_WHY_LAST_TERM;
        return last_term > my_term;
    }
    *why = NOTE_RAFT_WHY_LENGTH;
    return last_index >= my_index;
}

/* A refusal for an out-of-date log: {1} the candidate, {2} the phrase why,
 * {3}..{6} the last terms and lengths the phrases name. */
static void note_log_refusal(struct raft_ctx *c, int id, const struct msg *m, int why)
{
    const struct raft *r = c->r;
    proto_note(c->out, id, note_node(m->from), note_phrase(why), note_int(m->u.rv.last_log_term),
               note_int(raft_last_term(r)), note_int(m->u.rv.last_log_index),
               note_int(raft_log_length(r)));
}

static void send_request_vote(struct raft_ctx *c, bool prevote, bool transfer)
{
    struct raft *r = c->r;
    uint32_t peers = raft_peers(c); /* the configuration in use (§4.1, §6) */
    for (int i = 0; i < c->cfg->n_nodes; i++) {
        if (!((peers >> i) & 1u))
            continue;
        struct msg *m = proto_send(c->out, MSG_REQUEST_VOTE, r->self, i);
        m->u.rv.term = prevote ? r->p.term + 1 : r->p.term;
        m->u.rv.last_log_index = raft_log_length(r);
        m->u.rv.last_log_term = raft_last_term(r);
        m->u.rv.prevote = prevote;
        m->u.rv.transfer = transfer;
    }
}

/* §5.2: "Once a candidate wins an election, it becomes leader. It then
 * sends heartbeat messages to all of the other servers"; Figure 2:
 * nextIndex is initialized to the leader's last log index + 1, matchIndex
 * to 0. */
static void become_leader(struct raft_ctx *c)
{
    struct raft *r = c->r;
    struct raft_volatile *v = &r->v;
    v->role = RAFT_LEADER;
    v->prevoting = false;
    v->n_prevotes = 0;
    v->leader_hint = r->self;
    for (int i = 0; i < PROTO_MAX_NODES; i++) {
        v->next_index[i] = raft_log_length(r) + 1;
        v->match_index[i] = 0;
        v->heard_from[i] = -1;
    }
    /* Dissertation §6.2: the first check_quorum comes one (minimum)
     * election timeout after the election. */
    v->quorum_check_at = c->in->now + c->cfg->election_min;
    v->deadline = c->in->now + c->cfg->heartbeat;
    uint32_t others;
    int voters = vote_list(v->votes, v->n_votes, &others);
    proto_note(c->out, NOTE_RAFT_ELECTED, note_node(r->self), note_phrase(voters),
               note_nodeset(others), note_int(r->p.term));
    if (raft_has(c, OPT_NOOP_ON_ELECTION)) {
        raft_append_local(c, "noop");
        proto_note(c->out, NOTE_RAFT_NOOP, note_node(r->self), note_int(raft_log_length(r)),
                   note_int(r->p.term));
    }
    raft_broadcast_append(c);
    raft_leader_commit(c, false); /* a one-node cluster commits at once */
    raft_membership_after_commit(c);
}

/* §5.2: "To begin an election, a follower increments its current term and
 * transitions to candidate state. It then votes for itself and issues
 * RequestVote RPCs in parallel to each of the other servers." */
static void start_election(struct raft_ctx *c, bool timeout, bool transfer)
{
    struct raft *r = c->r;
    struct raft_volatile *v = &r->v;
    r->p.term++;
    r->p.voted_for = r->self;
    c->out->persisted = true;
    v->role = RAFT_CANDIDATE;
    v->prevoting = false;
    v->n_prevotes = 0;
    v->leader_hint = -1;
    v->votes[0] = r->self;
    v->n_votes = 1;
    raft_reset_election_timer(c);
    proto_note(c->out, NOTE_RAFT_CANDIDATE, note_node(r->self), note_int(r->p.term),
               note_phrase(timeout ? NOTE_RAFT_TIMEOUT_PREFIX : NOTE_NONE));
    send_request_vote(c, false, transfer);
    if (raft_quorum(c, voter_set(v->votes, v->n_votes)))
        become_leader(c);
}

/* Dissertation §3.10, on TimeoutNow. Its RequestVotes say so: §4.2.3,
 * "RequestVote messages should be processed by other servers even when
 * they believe a current cluster leader exists. Those RequestVote requests
 * can include a special flag to indicate this behavior". */
void raft_start_election_now(struct raft_ctx *c)
{
    start_election(c, false, true);
}

/* Dissertation §9.6: "a candidate would first ask other servers whether
 * its log was up-to-date enough to get their vote", without changing its
 * term, vote or role. */
static void start_prevote(struct raft_ctx *c)
{
    struct raft *r = c->r;
    struct raft_volatile *v = &r->v;
    v->prevoting = true;
    v->prevotes[0] = r->self;
    v->n_prevotes = 1;
    raft_reset_election_timer(c);
    proto_note(c->out, NOTE_RAFT_PREVOTE_START, note_node(r->self), note_int(r->p.term + 1),
               note_int(r->p.term));
    send_request_vote(c, true, false);
    if (raft_quorum(c, voter_set(v->prevotes, v->n_prevotes)))
        start_election(c, false, false);
}

/* Figure 2, Followers: "If election timeout elapses without receiving
 * AppendEntries RPC from current leader or granting vote to candidate:
 * convert to candidate"; Candidates: "If election timeout elapses: start
 * new election". */
void raft_election_timeout(struct raft_ctx *c)
{
    if (!raft_may_campaign(c))
        return;
    if (raft_has(c, OPT_PREVOTE))
        start_prevote(c);
    else
        start_election(c, true, false);
}

static void reply_vote(struct raft_ctx *c, const struct msg *m, int64_t term, bool granted,
                       bool prevote)
{
    struct msg *reply = proto_send(c->out, MSG_REQUEST_VOTE_REPLY, c->r->self, m->from);
    reply->u.rvr.term = term;
    reply->u.rvr.granted = granted;
    reply->u.rvr.prevote = prevote;
}

/* Dissertation §9.6: grant a pre-vote for term T if T is above this
 * node's term (or equals it and it has voted for nobody else in it), the
 * candidate's log is at least as up to date, and no leader was heard from
 * within the minimum election timeout. A pre-vote changes nothing here:
 * not the term, the vote or the timer. A grant carries T, the term asked,
 * so the asker can tell which of its rounds it answers; a refusal carries
 * this node's own term. */
static void recv_prevote(struct raft_ctx *c, const struct msg *m)
{
    struct raft *r = c->r;
    struct raft_volatile *v = &r->v;
    struct note_arg me = note_node(r->self), who = note_node(m->from);
    int why;
    bool granted = false;
    if (m->u.rv.term < r->p.term) {
        proto_note(c->out, NOTE_RAFT_PREVOTE_STALE, who, note_int(m->u.rv.term),
                   note_int(r->p.term));
    } else if (m->u.rv.term == r->p.term && r->p.voted_for >= 0 && r->p.voted_for != m->from) {
        proto_note(c->out, NOTE_RAFT_PREVOTE_VOTED, me, note_node(r->p.voted_for),
                   note_int(r->p.term), who);
    } else if (v->role == RAFT_LEADER) {
        proto_note(c->out, NOTE_RAFT_PREVOTE_LEADER, me, note_int(r->p.term), who);
    } else if (v->last_leader_contact >= 0 &&
               c->in->now - v->last_leader_contact < c->cfg->election_min) {
        proto_note(c->out, NOTE_RAFT_PREVOTE_RECENT, me, note_node(v->leader_hint),
                   note_int(c->in->now - v->last_leader_contact), note_int(c->cfg->election_min),
                   who);
    } else if (!log_up_to_date(r, m->u.rv.last_log_index, m->u.rv.last_log_term, &why)) {
        note_log_refusal(c, NOTE_RAFT_PREVOTE_LOG, m, why);
    } else {
        granted = true;
        proto_note(c->out, NOTE_RAFT_PREVOTE_GRANT, me, who, note_int(m->u.rv.term));
    }
    reply_vote(c, m, granted ? m->u.rv.term : r->p.term, granted, true);
}

/* Figure 2, RequestVote RPC, receiver implementation. */
void raft_recv_request_vote(struct raft_ctx *c, const struct msg *m)
{
    struct raft *r = c->r;
    struct note_arg me = note_node(r->self), who = note_node(m->from);
    int why;
    if (m->u.rv.prevote) {
        recv_prevote(c, m);
        return;
    }
    if (raft_sticky_refuses(c, m))
        return;
    raft_observe_term(c, m, m->u.rv.term);
    bool granted = false;
    if (m->u.rv.term < r->p.term) {
        /* 1. "Reply false if term < currentTerm" */
        proto_note(c->out, NOTE_RAFT_STALE_REFUSE, note_msgtype(m->type), who,
                   note_int(m->u.rv.term), note_int(r->p.term));
    } else if (r->p.voted_for >= 0 && r->p.voted_for != m->from) {
        /* 2. "If votedFor is null or candidateId, and ..." */
        proto_note(c->out, NOTE_RAFT_VOTE_VOTED, me, note_node(r->p.voted_for), note_int(r->p.term),
                   who);
    } else if (!log_up_to_date(r, m->u.rv.last_log_index, m->u.rv.last_log_term, &why) &&
               !raft_bug(c, BUG_NO_LOG_CHECK)) {
        /* "... and candidate's log is at least as up-to-date" (skipped by
         * the bug switch no_log_check) */
        note_log_refusal(c, NOTE_RAFT_VOTE_LOG, m, why);
    } else {
        granted = true;
        if (r->p.voted_for != m->from) {
            r->p.voted_for = m->from;
            c->out->persisted = true;
        }
        /* Granting a vote resets the election timer (Figure 2). */
        raft_reset_election_timer(c);
        proto_note(c->out, NOTE_RAFT_VOTE_GRANT, me, who, note_int(r->p.term));
    }
    reply_vote(c, m, r->p.term, granted, false);
}

static void recv_prevote_reply(struct raft_ctx *c, const struct msg *m)
{
    struct raft *r = c->r;
    struct raft_volatile *v = &r->v;
    struct note_arg me = note_node(r->self), who = note_node(m->from);
    /* A refusal carries the voter's own term: a higher one is adopted, as
     * any reply's (Figure 2). A grant carries the term asked, which is not
     * a term anyone holds: it is never adopted. */
    if (!m->u.rvr.granted && raft_observe_term(c, m, m->u.rvr.term))
        return;
    if (!v->prevoting) {
        proto_note(c->out, NOTE_RAFT_PREVOTE_NOT_ASKING, me, who);
        return;
    }
    if (!m->u.rvr.granted) {
        proto_note(c->out, NOTE_RAFT_PREVOTE_REFUSED, who, me);
        return;
    }
    /* A grant counts only for the round still running (term + 1): a
     * delayed grant from an earlier round never starts an election. */
    if (m->u.rvr.term != r->p.term + 1) {
        proto_note(c->out, NOTE_RAFT_PREVOTE_OLD_ROUND, who, note_int(m->u.rvr.term),
                   note_int(r->p.term + 1));
        return;
    }
    if (has_voter(v->prevotes, v->n_prevotes, m->from)) {
        proto_note(c->out, NOTE_RAFT_PREVOTE_COUNTED, who);
        return;
    }
    v->prevotes[v->n_prevotes++] = m->from;
    if (raft_quorum(c, voter_set(v->prevotes, v->n_prevotes))) {
        uint32_t others;
        int voters = vote_list(v->prevotes, v->n_prevotes, &others);
        proto_note(c->out, NOTE_RAFT_PREVOTE_MAJORITY, me, note_phrase(voters),
                   note_nodeset(others));
        start_election(c, false, false);
    } else {
        proto_note(c->out, NOTE_RAFT_PREVOTE_TALLY, me, note_int(v->n_prevotes),
                   note_int(raft_config_size(c)), note_int(raft_majority(c)));
    }
}

/* Figure 2, Candidates: "If votes received from majority of servers:
 * become leader". */
void raft_recv_request_vote_reply(struct raft_ctx *c, const struct msg *m)
{
    struct raft *r = c->r;
    struct raft_volatile *v = &r->v;
    struct note_arg me = note_node(r->self), who = note_node(m->from);
    if (m->u.rvr.prevote) {
        recv_prevote_reply(c, m);
        return;
    }
    if (raft_observe_term(c, m, m->u.rvr.term))
        return;
    if (m->u.rvr.term < r->p.term) {
        proto_note(c->out, NOTE_RAFT_STALE_IGNORE, note_msgtype(m->type), who,
                   note_int(m->u.rvr.term), note_int(r->p.term));
        return;
    }
    if (v->role == RAFT_FOLLOWER) {
        proto_note(c->out, NOTE_RAFT_VOTE_NOT_CANDIDATE, me, note_int(r->p.term), who);
        return;
    }
    if (!m->u.rvr.granted) {
        if (v->role == RAFT_CANDIDATE)
            proto_note(c->out, NOTE_RAFT_VOTE_REFUSED_STAYS, who, me);
        else
            proto_note(c->out, NOTE_RAFT_VOTE_REFUSED, who, me);
        return;
    }
    if (has_voter(v->votes, v->n_votes, m->from)) {
        proto_note(c->out, NOTE_RAFT_VOTE_COUNTED, who);
        return;
    }
    v->votes[v->n_votes++] = m->from;
    if (v->role == RAFT_LEADER) {
        proto_note(c->out, NOTE_RAFT_VOTE_LATE, who, me, note_int(r->p.term));
        return;
    }
    if (raft_quorum(c, voter_set(v->votes, v->n_votes)))
        become_leader(c);
    else
        proto_note(c->out, NOTE_RAFT_VOTE_TALLY, me, who, note_int(v->n_votes),
                   note_int(raft_config_size(c)), note_int(raft_majority(c)));
}
