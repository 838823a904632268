/* paxos_learner: learning a chosen value ("Paxos Made Simple", §2.3). A
 * learner learns a value when a majority of acceptors accepted it with one
 * ballot, or when a proposer that knows tells it (Chosen); it applies
 * learned values in slot order up to the first gap. Learned values are
 * volatile. */
#include <stdlib.h>
#include <string.h>

#include "paxos_internal.h"

bool paxos_can_learn(const struct paxos_ctx *c, int64_t slot)
{
    return c->cfg->learner[c->x->self] && !paxos_learned_get(c->v, slot);
}

static void tally_drop_slot(struct paxos_volatile *v, int64_t slot)
{
    size_t k = 0;
    for (size_t i = 0; i < v->n_tally; i++)
        if (v->tally[i].slot != slot)
            v->tally[k++] = v->tally[i];
    v->n_tally = k;
}

static struct paxos_tally *tally_find(struct paxos_volatile *v, int64_t slot, struct ballot b,
                                      const char *value)
{
    for (size_t i = 0; i < v->n_tally; i++) {
        struct paxos_tally *t = &v->tally[i];
        if (t->slot == slot && ballot_cmp(t->ballot, b) == 0 && strcmp(t->value, value) == 0)
            return t;
    }
    if (v->n_tally == v->cap_tally) {
        v->cap_tally = v->cap_tally ? v->cap_tally * 2 : 8;
        struct paxos_tally *q = realloc(v->tally, v->cap_tally * sizeof *q);
        if (!q)
            abort();
        v->tally = q;
    }
    struct paxos_tally *t = &v->tally[v->n_tally++];
    *t = (struct paxos_tally){.slot = slot, .ballot = b, .value = value, .from = 0};
    return t;
}

void paxos_learn(struct paxos_ctx *c, int64_t slot, const char *value)
{
    struct paxos_volatile *v = c->v;
    if (slot >= v->top_chosen) {
        v->top_chosen = slot;
        v->top_value = value;
    }
    if (!paxos_can_learn(c, slot))
        return;
    *(const char **)paxos_slot_mut(&v->learned, slot) = value;
    proto_learned(c->out, slot, value);
    tally_drop_slot(v, slot);
    const char *next;
    while ((next = paxos_learned_get(v, v->applied + 1)) != NULL) {
        v->applied++;
        proto_apply(c->out, v->applied, next);
    }
    if (v->applied < slot)
        proto_notef(c->out, "slot %lld waits: slot %lld is not learned yet (apply in slot order)",
                   (long long)slot, (long long)v->applied + 1);
}

void paxos_learner_accepted(struct paxos_ctx *c, const struct msg *m)
{
    struct paxos_volatile *v = c->v;
    const struct proto_config *cfg = c->cfg;
    int self = c->x->self;
    int64_t slot = m->u.accept.slot;
    struct ballot b = m->u.accept.ballot;
    const char *value = m->u.accept.value;
    char bs[48];
    paxos_b(c, b, bs);
    if (!cfg->learner[self]) {
        bool mine = v->phase != PAXOS_IDLE && ballot_cmp(b, v->ballot) == 0;
        if (!mine)
            proto_notef(c->out, "%s is neither a learner nor running %s: ignore Accepted",
                       paxos_name(c, self), bs);
        return;
    }
    if (!cfg->acceptor[m->from] || !value || b.round < 1) {
        proto_notef(c->out, "Accepted from %s: %s: ignore", paxos_name(c, m->from),
                   !cfg->acceptor[m->from] ? "not an acceptor" : "no ballot or value");
        return;
    }
    const char *known = paxos_learned_get(v, slot);
    if (known) {
        proto_notef(c->out, "Accepted %s '%s' from %s%s for slot %lld: already learned '%s'", bs,
                   value, paxos_name(c, m->from), paxos_local(c, m), (long long)slot, known);
        return;
    }
    struct paxos_tally *t = tally_find(v, slot, b, value);
    t->from |= 1u << m->from;
    int have = paxos_count(t->from), need = paxos_majority(cfg);
    if (have < need) {
        proto_notef(c->out, "Accepted %s '%s' from %s%s for slot %lld: %d of %d needed", bs, value,
                   paxos_name(c, m->from), paxos_local(c, m), (long long)slot, have, need);
        return;
    }
    proto_notef(c->out, "learned '%s' for slot %lld: %d of %d acceptors accepted %s", value,
               (long long)slot, have, paxos_acceptors(cfg), bs);
    paxos_learn(c, slot, value);
}

void paxos_learner_chosen(struct paxos_ctx *c, const struct msg *m)
{
    struct paxos_volatile *v = c->v;
    int self = c->x->self;
    int64_t slot = m->u.chosen.slot;
    const char *value = m->u.chosen.value;
    const char *from = paxos_name(c, m->from);
    /* Multi-Paxos: Chosen for a slot without a value, from another node, is
     * a learner asking what is chosen from that slot on (catch-up). */
    if (paxos_multi(c) && m->from != self && slot >= 1 && !value) {
        paxos_multi_answer(c, m->from, slot);
        return;
    }
    /* Multi-Paxos: Chosen is also the leader's heartbeat. */
    bool heartbeat = false;
    if (paxos_multi(c) && m->from != self) {
        /* Adopt the sender as leader only if this node's acceptor has not
         * promised someone else's ballot: a leader whose ballot is below
         * our promise cannot get anything accepted here, so its heartbeats
         * must not keep us from starting phase 1. A promise to its own
         * ballot is no one else's: a restarted node leads nothing, and
         * must not depose the leader it hears just because its disk still
         * holds the ballot of its own last phase 1. */
        struct ballot promised = c->x->p.promised;
        if (v->leader < 0 &&
            (promised.round == 0 || promised.node == m->from || promised.node == self))
            v->leader = m->from;
        if (m->from == v->leader && v->phase == PAXOS_IDLE) {
            heartbeat = true;
            paxos_multi_heard(c, m->from);
        }
    }
    const char *hb = heartbeat && c->cfg->proposer[self] ? "; heartbeat: reset retry timer" : "";
    if (slot < 1 || !value) {
        proto_notef(c->out, "Chosen from %s: nothing chosen yet%s", from,
                   heartbeat ? hb : ": ignore");
        return;
    }
    if (!c->cfg->learner[self]) {
        if (slot >= v->top_chosen) {
            v->top_chosen = slot;
            v->top_value = value;
        }
        proto_notef(c->out, "Chosen '%s' for slot %lld from %s: not a learner%s", value,
                   (long long)slot, from, hb);
        return;
    }
    const char *known = paxos_learned_get(v, slot);
    if (known) {
        proto_notef(c->out, "Chosen '%s' for slot %lld from %s: already learned%s", value,
                   (long long)slot, from, hb);
    } else {
        proto_notef(c->out, "learned '%s' for slot %lld: Chosen from %s%s", value, (long long)slot,
                   from, hb);
        paxos_learn(c, slot, value);
    }
    /* Multi-Paxos: a gap below a slot the sender knows chosen: ask it. */
    paxos_multi_ask(c, m->from, slot);
}
