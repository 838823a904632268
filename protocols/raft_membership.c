/* raft_membership: cluster membership changes — one server at a time
 * (dissertation §4.1, with the published fix of July 2015) or by joint
 * consensus (extended paper §6) — spare servers, and leader stickiness
 * (dissertation §4.2.3). */
#include "raft_internal.h"

static int popcount(uint32_t x)
{
    int n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

uint32_t raft_members(const struct proto_config *cfg)
{
    uint32_t all = cfg->n_nodes >= 32 ? ~0u : (1u << cfg->n_nodes) - 1;
    return cfg->members ? cfg->members & all : all;
}

/* The latest configuration entry from from_top down to down_to, among the
 * entries the log still holds (a snapshot keeps the configuration of what
 * it covers: raft_config). 0 if none. */
static int64_t scan_config(const struct raft *r, int64_t from_top, int64_t down_to)
{
    if (down_to <= r->p.snap.index)
        down_to = r->p.snap.index + 1;
    for (int64_t i = from_top; i >= down_to && i >= 1; i--)
        if (raft_entry(r, i)->config)
            return i;
    return 0;
}

void raft_membership_log_changed(struct raft *r, int64_t from)
{
    int64_t len = raft_log_length(r);
    if (from < 1)
        from = 1;
    int64_t found = scan_config(r, len, from);
    if (found)
        r->v.config_at = found;
    else if (r->v.config_at >= from || r->v.config_at > len)
        r->v.config_at = scan_config(r, from - 1 < len ? from - 1 : len, 1);
}

int64_t raft_config_index(const struct raft *r)
{
    /* A down node's volatile state is gone: read the log itself. */
    if (!r->v.up)
        return scan_config(r, raft_log_length(r), 1);
    return r->v.config_at;
}

/* A configuration entry at `at` (0: none in the log): that one; else the
 * snapshot's (§7, Figure 12); else cluster.members. */
static uint32_t config_from(const struct raft *r, const struct proto_config *cfg, int64_t at,
                            uint32_t *old)
{
    uint32_t o = 0, now;
    if (at > r->p.snap.index) {
        now = raft_entry(r, at)->config;
        o = raft_entry(r, at)->config_old;
    } else if (r->p.snap.index > 0) {
        now = r->p.snap.config;
        o = r->p.snap.config_old;
    } else {
        now = raft_members(cfg);
    }
    if (old)
        *old = o;
    return now;
}

uint32_t raft_config(const struct raft *r, const struct proto_config *cfg, uint32_t *old)
{
    return config_from(r, cfg, raft_config_index(r), old);
}

void raft_config_at(const struct raft *r, const struct proto_config *cfg, int64_t index,
                    uint32_t *now, uint32_t *old)
{
    *now = config_from(r, cfg, scan_config(r, index, 1), old);
}

bool raft_voting(const struct raft *r, const struct proto_config *cfg)
{
    uint32_t old, now = raft_config(r, cfg, &old);
    return ((now | old) >> r->self) & 1u;
}

uint32_t raft_peers(const struct raft_ctx *c)
{
    uint32_t old, now = raft_config(c->r, c->cfg, &old), also = 0;
    /* §4.2.1: a leader replicates to a server it is catching up as well. */
    if (c->r->v.role == RAFT_LEADER && c->r->v.catching_up)
        also = 1u << c->r->v.catch_up_node;
    return (now | old | also) & ~(1u << c->r->self);
}

static bool majority_of(uint32_t set, uint32_t have)
{
    int n = popcount(set);
    return n > 0 && popcount(set & have) >= n / 2 + 1;
}

/* Dissertation §4.1: elections and commitment count a majority of the
 * configuration in use (a server not in it counts nobody's vote for it,
 * not even its own); extended paper §6: "Agreement (for elections and
 * entry commitment) requires separate majorities from both the old and new
 * configurations." */
bool raft_quorum(const struct raft_ctx *c, uint32_t have)
{
    uint32_t old, now = raft_config(c->r, c->cfg, &old);
    return majority_of(now, have) && (!old || majority_of(old, have));
}

/* lesson-format.md, "Membership changes": a spare server (one outside
 * cluster.members) never starts an election until a configuration that
 * includes it reaches its log (dissertation §4.2.1: new servers join as
 * non-voting members). A server that has been in a configuration keeps
 * campaigning even once removed (§4.2.3: removed servers can disrupt). */
bool raft_may_campaign(struct raft_ctx *c)
{
    struct raft *r = c->r;
    uint32_t me = 1u << r->self;
    if (raft_members(c->cfg) & me || ((r->p.snap.config | r->p.snap.config_old) & me))
        return true;
    for (int64_t i = raft_log_length(r); i > r->p.snap.index; i--) {
        const struct entry *e = raft_entry(r, i);
        if ((e->config | e->config_old) & me)
            return true;
    }
    proto_note(c->out, NOTE_RAFT_SPARE_WAITS, note_node(r->self));
    raft_reset_election_timer(c);
    return false;
}

static void refuse(struct raft_ctx *c, int id, const struct note_arg *what, struct note_arg x)
{
    c->out->client = CLIENT_REFUSED;
    c->out->client_hint = c->r->v.leader_hint;
    proto_note(c->out, id, note_node(c->r->self), what[0], what[1], x);
}

/* Appends a configuration entry in the leader's term; the leader uses it at
 * once (§4.1: "a server always uses the latest configuration in its log,
 * regardless of whether the entry is committed"). */
static int64_t append_config(struct raft_ctx *c, uint32_t now, uint32_t old)
{
    struct raft *r = c->r;
    struct entry e = {.term = r->p.term, .cmd = NULL, .config = now, .config_old = old};
    cowvec_push(&r->p.log, &e);
    c->out->persisted = true;
    raft_membership_log_changed(r, raft_log_length(r));
    return raft_log_length(r);
}

/* add_server / remove_server (lesson-format.md): a client request to one
 * node, answered as a command is (§8: a follower refuses and names its
 * leader hint). */
void raft_membership_request(struct raft_ctx *c)
{
    struct raft *r = c->r;
    int server = c->in->server;
    bool add = c->in->change == CHANGE_ADD_SERVER;
    struct note_arg what[2] = {note_node(server),
                               note_phrase(add ? NOTE_RAFT_CHANGE_ADD : NOTE_RAFT_CHANGE_REMOVE)};
    if (r->v.role != RAFT_LEADER) {
        if (r->v.leader_hint >= 0)
            refuse(c, NOTE_RAFT_CHANGE_REFUSED_HINT, what, note_node(r->v.leader_hint));
        else
            refuse(c, NOTE_RAFT_CHANGE_REFUSED, what, note_int(0));
        return;
    }
    uint32_t old, now = raft_config(r, c->cfg, &old), bit = 1u << server;
    int64_t at = raft_config_index(r);
    bool joint = raft_has(c, OPT_JOINT);
    if (server < 0 || server >= c->cfg->n_nodes) {
        refuse(c, NOTE_RAFT_CHANGE_NO_SUCH, what, note_int(0));
        return;
    }
    if (r->v.catching_up) {
        /* §4.2.1: one change at a time, and the one under way has not
         * even reached the log yet. */
        refuse(c, NOTE_RAFT_CHANGE_BUSY_CATCH_UP, what, note_node(r->v.catch_up_node));
        return;
    }
    if (old) {
        /* §6: C_new follows a committed C_old,new; nothing else meanwhile. */
        refuse(c, NOTE_RAFT_CHANGE_BUSY_JOINT, what, note_int(at));
        return;
    }
    if (at > r->v.commit_index) {
        /* §4.1: "the leader ... does not begin another change until the
         * previous one is committed". */
        refuse(c, NOTE_RAFT_CHANGE_BUSY, what, note_int(at));
        return;
    }
    if (!joint && raft_term_at(r, r->v.commit_index) != r->p.term) {
        /* The fix (Ongaro, raft-dev, July 2015; dissertation errata): "a
         * leader may not append a new configuration entry until it has
         * committed an entry from its current term". Bug switch
         * change_without_noop: the change goes ahead without it. */
        if (!raft_bug(c, BUG_CHANGE_WITHOUT_NOOP)) {
            refuse(c, NOTE_RAFT_CHANGE_NO_OWN_COMMIT, what, note_int(r->p.term));
            return;
        }
        proto_note(c->out, NOTE_RAFT_BUG_CHANGE_WITHOUT_NOOP, note_node(r->self),
                   note_int(r->p.term));
    }
    if (add && (now & bit)) {
        refuse(c, NOTE_RAFT_CHANGE_ALREADY, what, note_int(0));
        return;
    }
    if (!add && !(now & bit)) {
        refuse(c, NOTE_RAFT_CHANGE_NOT_MEMBER, what, note_int(0));
        return;
    }
    if (!add && now == bit) {
        refuse(c, NOTE_RAFT_CHANGE_LAST, what, note_int(0));
        return;
    }
    if (add && c->cfg->catch_up_rounds > 0) {
        /* §4.2.1: the new server first catches up as a non-voting member. */
        c->out->client = CLIENT_ACCEPTED;
        raft_catch_up_begin(c, server);
        return;
    }
    c->out->client = CLIENT_ACCEPTED;
    raft_membership_append_change(c, server, add);
}

void raft_membership_append_change(struct raft_ctx *c, int server, bool add)
{
    struct raft *r = c->r;
    struct note_arg what[2] = {note_node(server),
                               note_phrase(add ? NOTE_RAFT_CHANGE_ADD : NOTE_RAFT_CHANGE_REMOVE)};
    uint32_t now = raft_config(r, c->cfg, NULL), bit = 1u << server;
    bool joint = raft_has(c, OPT_JOINT);
    uint32_t next = add ? now | bit : now & ~bit;
    int64_t i = append_config(c, next, joint ? now : 0);
    if (joint)
        proto_note(c->out, NOTE_RAFT_CHANGE_APPEND_JOINT, note_node(r->self), what[0], what[1],
                   note_nodeset(now), note_int(i), note_int(r->p.term), note_nodeset(next));
    else
        proto_note(c->out, NOTE_RAFT_CHANGE_APPEND, note_node(r->self), what[0], what[1],
                   note_nodeset(next), note_int(i), note_int(r->p.term));
    raft_broadcast_append(c);
    raft_leader_commit(c, false); /* a one-node configuration commits at once */
}

void raft_membership_after_commit(struct raft_ctx *c)
{
    struct raft *r = c->r;
    int64_t at = raft_config_index(r);
    /* No configuration entry in the log: the snapshot's, committed by
     * definition (§7), or cluster.members. */
    if (at == 0)
        at = r->p.snap.index;
    if (r->v.role != RAFT_LEADER || at > r->v.commit_index)
        return;
    /* The entry, or what a snapshot covering it kept of it (§7). */
    uint32_t old, now = raft_config(r, c->cfg, &old);
    if (old) {
        /* §6: "Once C_old,new has been committed ... it is now safe for the
         * leader to create a log entry describing C_new". */
        uint32_t next = now;
        int64_t i = append_config(c, next, 0);
        proto_note(c->out, NOTE_RAFT_JOINT_NEXT, note_node(r->self), note_nodeset(next),
                   note_int(i), note_int(r->p.term));
        raft_broadcast_append(c);
        raft_leader_commit(c, false);
        return;
    }
    if (!((now >> r->self) & 1u)) {
        /* §6: "the leader steps down (returns to follower state) once it
         * has committed the C_new log entry" if it is not part of it
         * (dissertation §4.2.2). */
        proto_note(c->out, NOTE_RAFT_REMOVED_STEPS_DOWN, note_node(r->self), note_int(at),
                   note_int(r->p.term));
        r->v.leader_hint = -1;
        raft_become_follower(c);
    }
}

/* Dissertation §4.2.3: "if a server receives a RequestVote request within
 * the minimum election timeout of hearing from a current leader, it does
 * not update its term or grant its vote". A leader hears from itself (as
 * in LogCabin, which withholds votes while it leads). Pre-votes need no
 * more: §9.6 already refuses them in that window. The exception is a
 * leadership transfer (§3.10): the same section says such RequestVotes
 * "should be processed by other servers even when they believe a current
 * cluster leader exists" — the old leader told the candidate to run. */
bool raft_sticky_refuses(struct raft_ctx *c, const struct msg *m)
{
    struct raft *r = c->r;
    struct raft_volatile *v = &r->v;
    if (!raft_has(c, OPT_LEADER_STICKINESS) || m->u.rv.term < r->p.term)
        return false;
    bool recent =
        v->last_leader_contact >= 0 && c->in->now - v->last_leader_contact < c->cfg->election_min;
    if (m->u.rv.transfer) {
        if (v->role == RAFT_LEADER || recent)
            proto_note(c->out, NOTE_RAFT_STICKY_TRANSFER, note_node(r->self), note_node(m->from),
                       note_int(m->u.rv.term));
        return false;
    }
    if (v->role == RAFT_LEADER) {
        proto_note(c->out, NOTE_RAFT_STICKY_LEADER, note_node(r->self), note_node(m->from),
                   note_int(m->u.rv.term), note_int(r->p.term));
    } else if (recent) {
        proto_note(c->out, NOTE_RAFT_STICKY_FOLLOWER, note_node(r->self), note_node(m->from),
                   note_int(m->u.rv.term), note_int(r->p.term), note_node(v->leader_hint),
                   note_int(c->in->now - v->last_leader_contact), note_int(c->cfg->election_min));
    } else {
        return false;
    }
    struct msg *reply = proto_send(c->out, MSG_REQUEST_VOTE_REPLY, r->self, m->from);
    reply->u.rvr.term = r->p.term;
    reply->u.rvr.granted = false;
    return true;
}

void raft_membership_note_change(struct raft_ctx *c, int64_t before)
{
    struct raft *r = c->r;
    int64_t at = r->v.config_at;
    if (at == before)
        return;
    uint32_t old, now = raft_config(r, c->cfg, &old);
    if (old)
        proto_note(c->out, NOTE_RAFT_USES_JOINT, note_node(r->self), note_nodeset(old),
                   note_nodeset(now), note_int(at));
    else
        proto_note(c->out, NOTE_RAFT_USES_CONFIG, note_node(r->self), note_nodeset(now),
                   note_int(at));
}
