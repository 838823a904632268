/* hash: fingerprints of messages and Raft nodes (paxos_hash.c for Paxos,
 * whose volatile state is private to the engine). */
#include "hash.h"

#include "raft.h"

uint64_t hash_str(uint64_t h, const char *s)
{
    if (!s)
        return hash_mix(h, 0x5bd1e995);
    uint64_t f = 0xcbf29ce484222325ULL; /* FNV-1a */
    for (; *s; s++)
        f = (f ^ (unsigned char)*s) * 0x100000001b3ULL;
    return hash_mix(h, f);
}

static uint64_t hash_ballot(uint64_t h, struct ballot b)
{
    return hash_mix(hash_mix(h, (uint64_t)b.round), (uint64_t)(b.round ? b.node : 0));
}

uint64_t hash_msg(const struct msg *m)
{
    uint64_t h =
        hash_mix(hash_mix(hash_mix(0, (uint64_t)m->type), (uint64_t)m->from), (uint64_t)m->to);
    switch (m->type) {
    case MSG_REQUEST_VOTE:
        h = hash_mix(h, (uint64_t)m->u.rv.term);
        h = hash_mix(h, (uint64_t)m->u.rv.last_log_index);
        h = hash_mix(h, (uint64_t)m->u.rv.last_log_term);
        return hash_mix(h, (uint64_t)m->u.rv.transfer * 2 + m->u.rv.prevote);
    case MSG_REQUEST_VOTE_REPLY:
        h = hash_mix(h, (uint64_t)m->u.rvr.term);
        return hash_mix(h, (uint64_t)m->u.rvr.granted * 2 + m->u.rvr.prevote);
    case MSG_APPEND_ENTRIES:
        h = hash_mix(h, (uint64_t)m->u.ae.term);
        h = hash_mix(h, (uint64_t)m->u.ae.prev_log_index);
        h = hash_mix(h, (uint64_t)m->u.ae.prev_log_term);
        h = hash_mix(h, (uint64_t)m->u.ae.leader_commit);
        for (size_t i = 0; i < m->u.ae.n_entries; i++)
            h = hash_str(hash_mix(h, (uint64_t)m->u.ae.entries[i].term), m->u.ae.entries[i].cmd);
        return hash_mix(h, m->u.ae.n_entries);
    case MSG_APPEND_ENTRIES_REPLY:
        h = hash_mix(h, (uint64_t)m->u.aer.term);
        h = hash_mix(h, (uint64_t)m->u.aer.match_index);
        h = hash_mix(h, m->u.aer.success);
        h = hash_mix(h, (uint64_t)m->u.aer.conflict_term);
        return hash_mix(h, (uint64_t)m->u.aer.conflict_index);
    case MSG_PREPARE:
        return hash_mix(hash_ballot(h, m->u.prepare.ballot), (uint64_t)m->u.prepare.slot);
    case MSG_PROMISE:
        h = hash_mix(hash_ballot(h, m->u.promise.ballot), (uint64_t)m->u.promise.slot);
        for (size_t i = 0; i < m->u.promise.n_accepted; i++) {
            const struct slot_value *sv = &m->u.promise.accepted[i];
            h = hash_str(hash_ballot(hash_mix(h, (uint64_t)sv->slot), sv->ballot), sv->value);
        }
        return hash_mix(h, m->u.promise.n_accepted);
    case MSG_ACCEPT:
    case MSG_ACCEPTED:
        h = hash_mix(hash_ballot(h, m->u.accept.ballot), (uint64_t)m->u.accept.slot);
        return hash_str(h, m->u.accept.value);
    case MSG_NACK:
        return hash_ballot(hash_ballot(h, m->u.nack.ballot), m->u.nack.promised);
    case MSG_CHOSEN:
        return hash_str(hash_mix(h, (uint64_t)m->u.chosen.slot), m->u.chosen.value);
    default:
        return h;
    }
}

static uint64_t hash_set(const int *who, int n)
{
    uint64_t bits = 0;
    for (int i = 0; i < n; i++)
        bits |= 1ull << who[i];
    return bits;
}

uint64_t raft_hash(const struct raft *r)
{
    const struct raft_persist *p = &r->p;
    const struct raft_volatile *v = &r->v;
    uint64_t h = hash_mix(hash_mix(hash_mix(1, (uint64_t)r->self), (uint64_t)p->term),
                          (uint64_t)(p->voted_for + 1));
    for (size_t i = 0; i < p->log.len; i++) {
        const struct entry *e = cowvec_at(&p->log, i);
        h = hash_str(hash_mix(h, (uint64_t)e->term), e->cmd);
        if (e->config)
            h = hash_mix(hash_mix(h, e->config), e->config_old);
    }
    h = hash_mix(h, p->log.len);
    /* The snapshot (§7) is persistent state too. */
    if (p->snap.index) {
        h = hash_mix(hash_mix(h, (uint64_t)p->snap.index), (uint64_t)p->snap.term);
        h = hash_mix(hash_mix(h, p->snap.config), p->snap.config_old);
        for (size_t i = 0; i < p->snap.state.cmds.len; i++)
            h = hash_str(h, *(const char *const *)cowvec_at(&p->snap.state.cmds, i));
    }
    h = hash_mix(h, (uint64_t)v->up | (uint64_t)v->role << 1 | (uint64_t)v->prevoting << 3);
    if (!v->up)
        return h;
    h = hash_mix(h, (uint64_t)v->commit_index);
    h = hash_mix(h, (uint64_t)v->last_applied);
    h = hash_mix(h, (uint64_t)(v->leader_hint + 1));
    h = hash_mix(h, hash_set(v->votes, v->n_votes));
    h = hash_mix(h, hash_set(v->prevotes, v->n_prevotes));
    if (v->role == RAFT_LEADER) {
        /* One mix per peer, its three indices side by side (the
         * explorer hashes a node per successor). */
        for (int i = 0; i < PROTO_MAX_NODES; i++)
            h = hash_mix(h, (uint64_t)v->next_index[i] ^ (uint64_t)v->match_index[i] << 21 ^
                                (uint64_t)v->sent_index[i] << 42);
        h = hash_mix(h, (uint64_t)v->sent_term);
        /* §4.2.1: the catch-up under way (its times abstracted away). */
        if (v->catching_up)
            h = hash_mix(
                hash_mix(hash_mix(h, (uint64_t)v->catch_up_node + 1), (uint64_t)v->catch_up_round),
                (uint64_t)v->catch_up_end);
    }
    return h;
}
