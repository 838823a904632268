/* raft_snapshot: log compaction (§7 of the extended paper, Figures 12 and
 * 13): taking a snapshot of the applied state, the InstallSnapshot RPC a
 * leader sends to a follower that lags behind its snapshot, and the
 * restart from a snapshot. One message, no chunks (offset and done of
 * Figure 13 are not needed: a message carries the whole state). */
#include <stdlib.h>

#include "raft_internal.h"

/* ---- the state machine's state ---- */

void raft_sm_init(struct raft_sm *sm)
{
    cowvec_init(&sm->cmds, sizeof(const char *));
    raft_sm_clients_init(&sm->cl);
}

void raft_sm_free(struct raft_sm *sm)
{
    cowvec_free(&sm->cmds);
    raft_sm_clients_free(&sm->cl);
}

void raft_sm_clone(struct raft_sm *dst, const struct raft_sm *src)
{
    cowvec_clone(&dst->cmds, &src->cmds);
    raft_sm_clients_clone(&dst->cl, &src->cl);
}

const char *raft_snapshot_cmd(const struct raft *r, int64_t i)
{
    if (i < 1 || i > r->p.snap.index || (size_t)i > r->p.snap.state.cmds.len)
        return NULL;
    return *(const char *const *)cowvec_at(&r->p.snap.state.cmds, (size_t)(i - 1));
}

/* The log keeps the entries after index (absolute); those up to it leave. */
static void drop_through(struct raft *r, int64_t index)
{
    struct cowvec kept;
    cowvec_init(&kept, sizeof(struct entry));
    for (int64_t i = index + 1; i <= raft_log_length(r); i++)
        cowvec_push(&kept, raft_entry(r, i));
    cowvec_free(&r->p.log);
    r->p.log = kept;
}

/* §7: "Each server takes snapshots independently, covering just the
 * committed entries in its log" — here everything it has applied. */
void raft_snapshot_take(struct raft_ctx *c, bool by_hand)
{
    struct raft *r = c->r;
    struct raft_snapshot *sn = &r->p.snap;
    int64_t upto = r->v.last_applied;
    if (upto <= sn->index) {
        if (by_hand)
            proto_note(c->out, NOTE_RAFT_SNAPSHOT_NOTHING, note_node(r->self), note_int(sn->index));
        return;
    }
    int64_t term = raft_term_at(r, upto);
    /* Figure 12: "the latest configuration as of the last included index". */
    raft_config_at(r, c->cfg, upto, &sn->config, &sn->config_old);
    for (int64_t i = sn->index + 1; i <= upto; i++)
        cowvec_push(&sn->state.cmds, &raft_entry(r, i)->cmd);
    raft_client_save(&sn->state.cl, &r->cl); /* the store and sessions as of upto */
    int64_t dropped = upto - sn->index;
    drop_through(r, upto);
    sn->index = upto;
    sn->term = term;
    c->out->persisted = true;
    proto_note(c->out, NOTE_RAFT_SNAPSHOT, note_node(r->self), note_int(upto), note_int(term),
               note_int(dropped));
}

void raft_snapshot_auto(struct raft_ctx *c)
{
    int64_t every = c->cfg->snapshot_every[c->r->self];
    if (every > 0 && c->r->v.last_applied - c->r->p.snap.index >= every)
        raft_snapshot_take(c, false);
}

/* §7: "the snapshot ... is used for the AppendEntries consistency check";
 * a restarted server starts from it: its state machine is the snapshot's
 * state, so commit_index and last_applied begin at its last index. */
void raft_snapshot_boot(struct raft_ctx *c)
{
    const struct raft_snapshot *sn = &c->r->p.snap;
    c->r->v.commit_index = sn->index;
    c->r->v.last_applied = sn->index;
    if (sn->index > 0)
        raft_client_restore(&c->r->cl, &sn->state.cl);
    if (sn->index > 0)
        proto_note(c->out, NOTE_RAFT_SNAPSHOT_RESTORE, note_node(c->r->self), note_int(sn->index),
                   note_int(sn->term));
}

/* §7: "the leader uses a new RPC called InstallSnapshot to send snapshots
 * to followers that are too far behind". */
void raft_send_snapshot(struct raft_ctx *c, int peer)
{
    struct raft *r = c->r;
    const struct raft_snapshot *sn = &r->p.snap;
    struct msg *m = proto_send(c->out, MSG_INSTALL_SNAPSHOT, r->self, peer);
    m->u.is.term = r->p.term;
    m->u.is.last_included_index = sn->index;
    m->u.is.last_included_term = sn->term;
    m->u.is.config = sn->config;
    m->u.is.config_old = sn->config_old;
    size_t n = sn->state.cmds.len;
    if (n) {
        m->u.is.state = malloc(n * sizeof *m->u.is.state);
        if (!m->u.is.state)
            abort();
        for (size_t i = 0; i < n; i++)
            m->u.is.state[i] = *(const char *const *)cowvec_at(&sn->state.cmds, i);
    }
    m->u.is.n_state = n;
    m->u.is.sm = malloc(sizeof *m->u.is.sm);
    if (!m->u.is.sm)
        abort();
    raft_sm_clients_clone(m->u.is.sm, &sn->state.cl);
    proto_note(c->out, NOTE_RAFT_SEND_SNAPSHOT, note_node(r->self), note_node(peer),
               note_int(r->v.next_index[peer]), note_int(sn->index), note_int(sn->term));
}

static void reply_snapshot(struct raft_ctx *c, const struct msg *m, int64_t match_index)
{
    struct msg *reply = proto_send(c->out, MSG_INSTALL_SNAPSHOT_REPLY, c->r->self, m->from);
    reply->u.isr.term = c->r->p.term;
    reply->u.isr.match_index = match_index;
}

/* Figure 13, steps 8 and the state: the snapshot's state replaces the
 * state machine's; what it holds beyond last_applied counts as applied
 * now, in order. */
static void install(struct raft_ctx *c, const struct msg *m)
{
    struct raft *r = c->r;
    struct raft_snapshot *sn = &r->p.snap;
    int64_t idx = m->u.is.last_included_index;
    raft_sm_free(&sn->state);
    raft_sm_init(&sn->state);
    for (size_t i = 0; i < m->u.is.n_state; i++)
        cowvec_push(&sn->state.cmds, &m->u.is.state[i]);
    /* The store and the sessions as of idx (a hand-made message has none). */
    if (m->u.is.sm) {
        raft_sm_clients_free(&sn->state.cl);
        raft_sm_clients_clone(&sn->state.cl, m->u.is.sm);
    }
    sn->index = idx;
    sn->term = m->u.is.last_included_term;
    sn->config = m->u.is.config;
    sn->config_old = m->u.is.config_old;
    /* "(and load snapshot's cluster configuration)": the one in use, unless
     * an entry it keeps after the snapshot is a later one. */
    raft_membership_log_changed(r, idx + 1);
    c->out->persisted = true;
    if (r->v.commit_index < idx)
        r->v.commit_index = idx;
    if (r->v.last_applied < idx) {
        int64_t from = r->v.last_applied + 1;
        raft_client_restore(&r->cl, &sn->state.cl);
        for (int64_t i = from; i <= idx; i++)
            if (raft_snapshot_cmd(r, i) && !raft_applied_skipped(r, i))
                proto_apply(c->out, i, raft_snapshot_cmd(r, i));
        r->v.last_applied = idx;
        proto_note(c->out, NOTE_RAFT_SNAPSHOT_STATE, note_node(r->self), note_int(from),
                   note_int(idx));
    }
}

/* Figure 13, InstallSnapshot RPC, receiver implementation. */
void raft_recv_install_snapshot(struct raft_ctx *c, const struct msg *m)
{
    struct raft *r = c->r;
    struct note_arg me = note_node(r->self), who = note_node(m->from);
    int64_t idx = m->u.is.last_included_index, term = m->u.is.last_included_term;
    raft_observe_term(c, m, m->u.is.term);
    /* 1. "Reply immediately if term < currentTerm" */
    if (m->u.is.term < r->p.term) {
        proto_note(c->out, NOTE_RAFT_STALE_REFUSE, note_msgtype(m->type), who,
                   note_int(m->u.is.term), note_int(r->p.term));
        reply_snapshot(c, m, 0);
        return;
    }
    if (!raft_heard_leader(c, m, NOTE_RAFT_LEADER_REFUSES_IS)) {
        reply_snapshot(c, m, 0);
        return;
    }

    /* A snapshot's state holds one command per index it covers; any other
     * message is malformed (only a forged one can be). */
    if (idx < 0 || (size_t)idx != m->u.is.n_state || (idx > 0 && term < 1) || term > m->u.is.term) {
        proto_note(c->out, NOTE_RAFT_SNAPSHOT_MALFORMED, me, who, note_int(idx), note_int(term),
                   note_int((int64_t)m->u.is.n_state));
        reply_snapshot(c, m, 0);
        return;
    }
    /* A snapshot no newer than the one it has tells it nothing. */
    if (idx <= r->p.snap.index) {
        proto_note(c->out, NOTE_RAFT_SNAPSHOT_OLD, me, note_int(idx), note_int(r->p.snap.index));
        reply_snapshot(c, m, idx);
        return;
    }
    /* 6. "If existing log entry has same index and term as snapshot's last
     * included entry, retain log entries following it and reply" */
    if (idx <= raft_log_length(r) && raft_term_at(r, idx) == term) {
        proto_note(c->out, NOTE_RAFT_SNAPSHOT_KEEP, me, note_int(idx), note_int(term),
                   note_int(raft_log_length(r) - idx));
        drop_through(r, idx);
    } else {
        /* 7. "Discard the entire log" */
        proto_note(c->out, NOTE_RAFT_SNAPSHOT_DISCARD, me, note_int(raft_log_length(r)),
                   note_int(idx), note_int(term));
        cowvec_truncate(&r->p.log, 0);
    }
    /* 8. "Reset state machine using snapshot contents (and load snapshot's
     * cluster configuration)" */
    install(c, m);
    reply_snapshot(c, m, idx);
}

/* The leader goes on from the snapshot's last index: match_index and
 * next_index as for a successful AppendEntries. */
void raft_recv_install_snapshot_reply(struct raft_ctx *c, const struct msg *m)
{
    struct raft_volatile *v = &c->r->v;
    struct note_arg who = note_node(m->from);
    int peer = m->from;
    if (!raft_leader_takes_reply(c, m, m->u.isr.term, NOTE_RAFT_ISR_NOT_LEADER))
        return;
    int64_t old_match = v->match_index[peer];
    raft_advance_match(c, peer, m->u.isr.match_index);
    proto_note(c->out, NOTE_RAFT_SNAPSHOT_ACKED, who, note_int(m->u.isr.match_index),
               note_int(old_match), note_int(v->match_index[peer]), note_int(v->next_index[peer]));
    if (v->match_index[peer] != old_match)
        raft_leader_commit(c, true);
    /* The entries after the snapshot follow at once (if not yet sent). */
    raft_send_more(c, peer);
}
