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
    proto_notef(c->out, "§5.1: %s from %s has term %lld > %lld: %s %s", msg_type_name(m->type),
               raft_name(c, m->from), (long long)term, (long long)r->p.term, raft_name(c, r->self),
               was_follower ? "adopts the new term" : "adopts it and steps down to follower");
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

/* The names of a vote list, "S1, S2, S3", for notes. */
static const char *vote_list(const struct raft_ctx *c, const int *who, int n, struct sbuf *b)
{
    for (int i = 0; i < n; i++) {
        if (i)
            sbuf_add(b, ", ");
        sbuf_add(b, raft_name(c, who[i]));
    }
    return b->s;
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
 * the candidate's log is at least as up to date as ours; otherwise writes
 * why not into why. */
static bool log_up_to_date(const struct raft *r, int64_t last_index, int64_t last_term,
                           struct sbuf *why)
{
    int64_t my_term = raft_last_term(r), my_index = raft_log_length(r);
    if (last_term != my_term) {
        sbuf_printf(why, "last term %lld < %lld", (long long)last_term, (long long)my_term);
        return last_term > my_term;
    }
    sbuf_printf(why, "last term %lld, length %lld < %lld", (long long)last_term,
                (long long)last_index, (long long)my_index);
    return last_index >= my_index;
}

static void send_request_vote(struct raft_ctx *c, bool prevote)
{
    struct raft *r = c->r;
    for (int i = 0; i < c->cfg->n_nodes; i++) {
        if (i == r->self)
            continue;
        struct msg *m = proto_send(c->out, MSG_REQUEST_VOTE, r->self, i);
        m->u.rv.term = prevote ? r->p.term + 1 : r->p.term;
        m->u.rv.last_log_index = raft_log_length(r);
        m->u.rv.last_log_term = raft_last_term(r);
        m->u.rv.prevote = prevote;
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
    struct sbuf names;
    sbuf_init(&names);
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
    proto_notef(c->out, "§5.2: %s has votes from a majority (%s): leader of term %lld",
               raft_name(c, r->self), vote_list(c, v->votes, v->n_votes, &names),
               (long long)r->p.term);
    sbuf_free(&names);
    if (raft_has(c, OPT_NOOP_ON_ELECTION)) {
        raft_append_local(c, "noop");
        proto_notef(c->out, "§8: leader %s appends a no-op entry at index %lld (term %lld)",
                   raft_name(c, r->self), (long long)raft_log_length(r), (long long)r->p.term);
    }
    raft_broadcast_append(c);
    raft_leader_commit(c, false); /* a one-node cluster commits at once */
}

/* §5.2: "To begin an election, a follower increments its current term and
 * transitions to candidate state. It then votes for itself and issues
 * RequestVote RPCs in parallel to each of the other servers." */
static void start_election(struct raft_ctx *c, bool timeout)
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
    proto_notef(c->out,
               "§5.2: %s%s becomes candidate in term %lld, votes for itself, asks for votes",
               timeout ? "election timeout: " : "", raft_name(c, r->self), (long long)r->p.term);
    send_request_vote(c, false);
    if (v->n_votes >= raft_majority(c))
        become_leader(c);
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
    proto_notef(c->out,
               "§9.6: election timeout: %s asks for pre-votes for term %lld (its term stays %lld)",
               raft_name(c, r->self), (long long)r->p.term + 1, (long long)r->p.term);
    send_request_vote(c, true);
    if (v->n_prevotes >= raft_majority(c))
        start_election(c, false);
}

/* Figure 2, Followers: "If election timeout elapses without receiving
 * AppendEntries RPC from current leader or granting vote to candidate:
 * convert to candidate"; Candidates: "If election timeout elapses: start
 * new election". */
void raft_election_timeout(struct raft_ctx *c)
{
    if (raft_has(c, OPT_PREVOTE))
        start_prevote(c);
    else
        start_election(c, true);
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
    const char *me = raft_name(c, r->self), *who = raft_name(c, m->from);
    struct sbuf why;
    sbuf_init(&why);
    bool granted = false;
    if (m->u.rv.term < r->p.term) {
        proto_notef(c->out, "§9.6: pre-vote from %s for term %lld < own term %lld: refuse", who,
                   (long long)m->u.rv.term, (long long)r->p.term);
    } else if (m->u.rv.term == r->p.term && r->p.voted_for >= 0 && r->p.voted_for != m->from) {
        proto_notef(c->out, "§9.6: %s already voted for %s in term %lld: refuses pre-vote to %s", me,
                   raft_name(c, r->p.voted_for), (long long)r->p.term, who);
    } else if (v->role == RAFT_LEADER) {
        proto_notef(c->out, "§9.6: %s is the leader of term %lld: refuses pre-vote to %s", me,
                   (long long)r->p.term, who);
    } else if (v->last_leader_contact >= 0 &&
               c->in->now - v->last_leader_contact < c->cfg->election_min) {
        proto_notef(
            c->out, "§9.6: %s heard from leader %s %lld ms ago (< %lld): refuses pre-vote to %s",
            me, v->leader_hint >= 0 ? raft_name(c, v->leader_hint) : "?",
            (long long)(c->in->now - v->last_leader_contact), (long long)c->cfg->election_min, who);
    } else if (!log_up_to_date(r, m->u.rv.last_log_index, m->u.rv.last_log_term, &why)) {
        proto_notef(c->out, "§9.6, §5.4.1: %s's log is not up to date (%s): refuse pre-vote", who,
                   why.s);
    } else {
        granted = true;
        proto_notef(c->out, "§9.6: %s grants a pre-vote to %s for term %lld (changes nothing)", me,
                   who, (long long)m->u.rv.term);
    }
    sbuf_free(&why);
    reply_vote(c, m, granted ? m->u.rv.term : r->p.term, granted, true);
}

/* Figure 2, RequestVote RPC, receiver implementation. */
void raft_recv_request_vote(struct raft_ctx *c, const struct msg *m)
{
    struct raft *r = c->r;
    const char *me = raft_name(c, r->self), *who = raft_name(c, m->from);
    struct sbuf why;
    sbuf_init(&why);
    if (m->u.rv.prevote) {
        recv_prevote(c, m);
        return;
    }
    raft_observe_term(c, m, m->u.rv.term);
    bool granted = false;
    if (m->u.rv.term < r->p.term) {
        /* 1. "Reply false if term < currentTerm" */
        proto_notef(c->out, "§5.1: RequestVote from %s has stale term %lld < %lld: refuse", who,
                   (long long)m->u.rv.term, (long long)r->p.term);
    } else if (r->p.voted_for >= 0 && r->p.voted_for != m->from) {
        /* 2. "If votedFor is null or candidateId, and ..." */
        proto_notef(c->out, "§5.2: %s already voted for %s in term %lld: refuses %s", me,
                   raft_name(c, r->p.voted_for), (long long)r->p.term, who);
    } else if (!log_up_to_date(r, m->u.rv.last_log_index, m->u.rv.last_log_term, &why)) {
        /* "... and candidate's log is at least as up-to-date" */
        proto_notef(c->out, "§5.4.1: %s's log is not up to date (%s): refuse vote", who, why.s);
    } else {
        granted = true;
        if (r->p.voted_for != m->from) {
            r->p.voted_for = m->from;
            c->out->persisted = true;
        }
        /* Granting a vote resets the election timer (Figure 2). */
        raft_reset_election_timer(c);
        proto_notef(c->out, "§5.2: %s grants its vote to %s in term %lld", me, who,
                   (long long)r->p.term);
    }
    sbuf_free(&why);
    reply_vote(c, m, r->p.term, granted, false);
}

static void recv_prevote_reply(struct raft_ctx *c, const struct msg *m)
{
    struct raft *r = c->r;
    struct raft_volatile *v = &r->v;
    const char *me = raft_name(c, r->self), *who = raft_name(c, m->from);
    /* A refusal carries the voter's own term: a higher one is adopted, as
     * any reply's (Figure 2). A grant carries the term asked, which is not
     * a term anyone holds: it is never adopted. */
    if (!m->u.rvr.granted && raft_observe_term(c, m, m->u.rvr.term))
        return;
    if (!v->prevoting) {
        proto_notef(c->out, "§9.6: %s is not asking for pre-votes now: ignores %s's reply", me, who);
        return;
    }
    if (!m->u.rvr.granted) {
        proto_notef(c->out, "§9.6: %s refuses %s a pre-vote", who, me);
        return;
    }
    /* A grant counts only for the round still running (term + 1): a
     * delayed grant from an earlier round never starts an election. */
    if (m->u.rvr.term != r->p.term + 1) {
        proto_notef(c->out,
                   "§9.6: %s's pre-vote grant is for term %lld, an earlier round (this round asks "
                   "for term %lld): ignore",
                   who, (long long)m->u.rvr.term, (long long)r->p.term + 1);
        return;
    }
    if (has_voter(v->prevotes, v->n_prevotes, m->from)) {
        proto_notef(c->out, "§9.6: pre-vote from %s already counted", who);
        return;
    }
    v->prevotes[v->n_prevotes++] = m->from;
    if (v->n_prevotes >= raft_majority(c)) {
        struct sbuf names;
        sbuf_init(&names);
        proto_notef(c->out, "§9.6: %s has pre-votes from a majority (%s): starts a real election",
                   me, vote_list(c, v->prevotes, v->n_prevotes, &names));
        sbuf_free(&names);
        start_election(c, false);
    } else {
        proto_notef(c->out, "§9.6: %s has %d of %d pre-votes (needs %d)", me, v->n_prevotes,
                   c->cfg->n_nodes, raft_majority(c));
    }
}

/* Figure 2, Candidates: "If votes received from majority of servers:
 * become leader". */
void raft_recv_request_vote_reply(struct raft_ctx *c, const struct msg *m)
{
    struct raft *r = c->r;
    struct raft_volatile *v = &r->v;
    const char *me = raft_name(c, r->self), *who = raft_name(c, m->from);
    if (m->u.rvr.prevote) {
        recv_prevote_reply(c, m);
        return;
    }
    if (raft_observe_term(c, m, m->u.rvr.term))
        return;
    if (m->u.rvr.term < r->p.term) {
        proto_notef(c->out, "§5.1: RequestVoteReply from %s has stale term %lld < %lld: ignore", who,
                   (long long)m->u.rvr.term, (long long)r->p.term);
        return;
    }
    if (v->role == RAFT_FOLLOWER) {
        proto_notef(c->out, "%s is not a candidate in term %lld: ignores %s's vote reply", me,
                   (long long)r->p.term, who);
        return;
    }
    if (!m->u.rvr.granted) {
        if (v->role == RAFT_CANDIDATE)
            proto_notef(c->out, "§5.2: %s refuses its vote to %s; %s stays candidate", who, me, me);
        else
            proto_notef(c->out, "§5.2: %s refuses its vote to %s", who, me);
        return;
    }
    if (has_voter(v->votes, v->n_votes, m->from)) {
        proto_notef(c->out, "§5.2: vote from %s already counted", who);
        return;
    }
    v->votes[v->n_votes++] = m->from;
    if (v->role == RAFT_LEADER) {
        proto_notef(c->out, "§5.2: %s's vote arrives after %s already won term %lld", who, me,
                   (long long)r->p.term);
        return;
    }
    if (v->n_votes >= raft_majority(c))
        become_leader(c);
    else
        proto_notef(c->out, "§5.2: %s gets %s's vote: %d of %d (needs %d)", me, who, v->n_votes,
                   c->cfg->n_nodes, raft_majority(c));
}
