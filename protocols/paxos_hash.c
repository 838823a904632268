/* paxos_hash: the fingerprint of a Paxos node (protocols/hash.h): its
 * persistent state and every volatile field a later step reads, except
 * the times (retry deadline, stall and catch-up times). */
#include "hash.h"
#include "paxos_internal.h"

static uint64_t ballot_h(uint64_t h, struct ballot b)
{
    return hash_mix(hash_mix(h, (uint64_t)b.round), (uint64_t)(b.round ? b.node : 0));
}

static uint64_t accepted_vec(uint64_t h, const struct cowvec *vec)
{
    for (size_t i = 0; i < vec->len; i++) {
        const struct paxos_accepted *a = cowvec_at(vec, i);
        h = hash_str(ballot_h(h, a->ballot), a->ballot.round ? a->value : NULL);
    }
    return hash_mix(h, vec->len);
}

static uint64_t strings_vec(uint64_t h, const struct cowvec *vec)
{
    for (size_t i = 0; i < vec->len; i++)
        h = hash_str(h, *(const char *const *)cowvec_at(vec, i));
    return hash_mix(h, vec->len);
}

uint64_t paxos_hash(const struct paxos *x)
{
    const struct paxos_volatile *v = x->v;
    uint64_t h = ballot_h(hash_mix(2, (uint64_t)x->self), x->p.promised);
    h = accepted_vec(h, &x->p.accepted);
    h = hash_mix(h, (uint64_t)x->p.max_round);
    h = hash_mix(h, (uint64_t)v->up | (uint64_t)v->phase << 1);
    if (!v->up)
        return h;
    /* Small fields two to a mix (the explorer hashes a node per
     * successor): rounds, slots and counts fit 32 bits. */
    h = hash_mix(h, (uint64_t)v->seen_round ^ (uint64_t)v->prepare_slot << 32);
    h = ballot_h(h, v->ballot);
    h = hash_str(h, v->value);
    h = hash_mix(h, v->promises);
    h = accepted_vec(h, &v->prom);
    for (size_t i = 0; i < v->props.len; i++) {
        const struct paxos_prop *p = cowvec_at(&v->props, i);
        h = hash_mix(hash_mix(hash_str(h, p->value), p->acks), (uint64_t)p->state);
    }
    h = hash_mix(h, v->props.len ^ (uint64_t)v->next_slot << 32);
    h = strings_vec(h, &v->queued);
    h = hash_mix(h, (uint64_t)v->resend_from ^ (uint64_t)v->stall_mark << 32);
    h = hash_str(hash_mix(h, (uint64_t)v->top_chosen), v->top_value);
    h = strings_vec(h, &v->learned);
    h = hash_mix(h, (uint64_t)v->applied ^ (uint64_t)v->ask_slot << 32);
    /* The tally is a set: combined in any order. */
    uint64_t t = 0;
    for (size_t i = 0; i < v->n_tally; i++) {
        const struct paxos_tally *e = &v->tally[i];
        t += hash_mix(hash_str(ballot_h(hash_mix(3, (uint64_t)e->slot), e->ballot), e->value),
                      e->from);
    }
    h = hash_mix(h, t);
    h = hash_mix(h, (uint64_t)(v->leader + 1));
    return ballot_h(h, v->leader_ballot);
}
