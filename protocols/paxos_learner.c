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

/* Bug switch learn_across_ballots (across): Accepted of one value count
 * together whatever their ballots, though §2.3 counts one proposal. */
static struct paxos_tally *tally_find(struct paxos_volatile *v, int64_t slot, struct ballot b,
                                      const char *value, bool across)
{
    for (size_t i = 0; i < v->n_tally; i++) {
        struct paxos_tally *t = &v->tally[i];
        if (t->slot == slot && (across || ballot_cmp(t->ballot, b) == 0) &&
            strcmp(t->value, value) == 0)
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
        proto_note(c->out, NOTE_PAXOS_APPLY_WAITS, note_int(slot), note_int(v->applied + 1));
}

void paxos_learner_accepted(struct paxos_ctx *c, const struct msg *m)
{
    struct paxos_volatile *v = c->v;
    const struct proto_config *cfg = c->cfg;
    int self = c->x->self;
    int64_t slot = m->u.accept.slot;
    struct ballot b = m->u.accept.ballot;
    const char *value = m->u.accept.value;
    struct note_arg bs = note_ballot(b);
    if (!cfg->learner[self]) {
        bool mine = v->phase != PAXOS_IDLE && ballot_cmp(b, v->ballot) == 0;
        if (!mine)
            proto_note(c->out, NOTE_PAXOS_ACCEPTED_NOT_LEARNER, note_node(self), bs);
        return;
    }
    if (!cfg->acceptor[m->from] || !value || b.round < 1) {
        proto_note(c->out,
                   !cfg->acceptor[m->from] ? NOTE_PAXOS_ACCEPTED_NOT_FROM_ACCEPTOR
                                           : NOTE_PAXOS_ACCEPTED_EMPTY,
                   note_node(m->from));
        return;
    }
    const char *known = paxos_learned_get(v, slot);
    if (known) {
        proto_note(c->out, NOTE_PAXOS_ACCEPTED_ALREADY_LEARNED, bs, note_str(value),
                   note_node(m->from), paxos_local(c, m), note_int(slot), note_str(known));
        return;
    }
    struct paxos_tally *t = tally_find(v, slot, b, value, paxos_bug(c, BUG_LEARN_ACROSS_BALLOTS));
    t->from |= 1u << m->from;
    int have = paxos_count(t->from), need = paxos_majority(cfg);
    if (have < need) {
        proto_note(c->out, NOTE_PAXOS_ACCEPTED_COUNT, bs, note_str(value), note_node(m->from),
                   paxos_local(c, m), note_int(slot), note_int(have), note_int(need));
        return;
    }
    proto_note(c->out, NOTE_PAXOS_LEARNED_MAJORITY, note_str(value), note_int(slot), note_int(have),
               note_int(paxos_acceptors(cfg)), bs);
    paxos_learn(c, slot, value);
}

void paxos_learner_chosen(struct paxos_ctx *c, const struct msg *m)
{
    struct paxos_volatile *v = c->v;
    int self = c->x->self;
    int64_t slot = m->u.chosen.slot;
    const char *value = m->u.chosen.value;
    struct note_arg from = note_node(m->from);
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
    struct note_arg hb =
        note_phrase(heartbeat && c->cfg->proposer[self] ? NOTE_PAXOS_HEARTBEAT_RESET : NOTE_NONE);
    if (slot < 1 || !value) {
        if (heartbeat)
            proto_note(c->out, NOTE_PAXOS_CHOSEN_NOTHING_YET, from, hb);
        else
            proto_note(c->out, NOTE_PAXOS_CHOSEN_NOTHING_YET_IGNORE, from);
        return;
    }
    if (!c->cfg->learner[self]) {
        if (slot >= v->top_chosen) {
            v->top_chosen = slot;
            v->top_value = value;
        }
        proto_note(c->out, NOTE_PAXOS_CHOSEN_NOT_LEARNER, note_str(value), note_int(slot), from,
                   hb);
        return;
    }
    const char *known = paxos_learned_get(v, slot);
    if (known) {
        proto_note(c->out, NOTE_PAXOS_CHOSEN_ALREADY_LEARNED, note_str(value), note_int(slot), from,
                   hb);
    } else {
        proto_note(c->out, NOTE_PAXOS_LEARNED_CHOSEN, note_str(value), note_int(slot), from, hb);
        paxos_learn(c, slot, value);
    }
    /* Multi-Paxos: a gap below a slot the sender knows chosen: ask it. */
    paxos_multi_ask(c, m->from, slot);
}
