/* paxos_proposer: the proposer's two phases ("Paxos Made Simple", §2.2):
 * phase 1 sends Prepare with a fresh ballot; with a majority of Promises,
 * phase 2 proposes the value of the highest-numbered proposal among them,
 * or its own if none (P2c); a majority of Accepted means chosen. */
#include <string.h>

#include "paxos_internal.h"

/* A ballot above every round seen (its own acceptor's promise included),
 * saved before anything is sent, so a restart never reuses it. */
static struct ballot new_ballot(struct paxos_ctx *c)
{
    struct paxos *x = c->x;
    int64_t round = x->p.max_round;
    /* Bug switch reuse_ballot: the proposer counts only its own (forgotten)
     * round, not the promise its acceptor half made. */
    if (x->p.promised.round > round && !paxos_bug(c, BUG_REUSE_BALLOT))
        round = x->p.promised.round;
    if (c->v->seen_round > round)
        round = c->v->seen_round;
    x->p.max_round = round + 1;
    c->out->persisted = true;
    return (struct ballot){x->p.max_round, x->self};
}

void paxos_proposer_phase1(struct paxos_ctx *c, int why, const char *value)
{
    struct paxos_volatile *v = c->v;
    const struct proto_config *cfg = c->cfg;
    paxos_proposer_reset(c);
    struct ballot b = new_ballot(c);
    v->ballot = b;
    v->phase = PAXOS_PREPARE;
    v->prepare_slot = paxos_multi(c) ? paxos_multi_first_unchosen(c) : 1;
    paxos_retry_timer(c);
    if (paxos_multi(c))
        proto_note(c->out, NOTE_PAXOS_PHASE1_MULTI, note_phrase(why), note_ballot(b),
                   note_int(v->prepare_slot));
    else if (value)
        proto_note(c->out, NOTE_PAXOS_PHASE1_VALUE, note_phrase(why), note_ballot(b),
                   note_str(value));
    else
        proto_note(c->out, NOTE_PAXOS_PHASE1, note_phrase(why), note_ballot(b));
    for (int i = 0; i < cfg->n_nodes; i++) {
        if (!cfg->acceptor[i])
            continue;
        struct msg *m = paxos_send(c, MSG_PREPARE, i);
        m->u.prepare.ballot = b;
        m->u.prepare.slot = v->prepare_slot;
    }
}

void paxos_proposer_propose(struct paxos_ctx *c, int64_t slot, const char *value)
{
    struct paxos_prop *p = paxos_slot_mut(&c->v->props, slot);
    p->value = value;
    p->acks = 0;
    p->state = PROP_SENT;
    for (int i = 0; i < c->cfg->n_nodes; i++) {
        if (!c->cfg->acceptor[i])
            continue;
        struct msg *m = paxos_send(c, MSG_ACCEPT, i);
        m->u.accept.ballot = c->v->ballot;
        m->u.accept.slot = slot;
        m->u.accept.value = value;
    }
}

void paxos_proposer_client(struct paxos_ctx *c)
{
    struct paxos_volatile *v = c->v;
    const char *value = c->in->command;
    int self = c->x->self;
    if (!c->cfg->proposer[self] || !value) {
        c->out->client = CLIENT_REFUSED;
        c->out->client_hint = paxos_multi(c) && v->leader != self ? v->leader : -1;
        proto_note(c->out, NOTE_PAXOS_NOT_PROPOSER_REFUSE, note_node(self));
        return;
    }
    if (paxos_multi(c)) {
        paxos_multi_client(c, value);
        return;
    }
    c->out->client = CLIENT_ACCEPTED;
    v->value = value;
    paxos_proposer_phase1(c, NOTE_PAXOS_WHY_PROPOSE, value);
}

void paxos_proposer_timer(struct paxos_ctx *c)
{
    struct paxos_volatile *v = c->v;
    if (!c->cfg->proposer[c->x->self]) {
        v->deadline = -1;
        proto_note(c->out, NOTE_PAXOS_NOT_PROPOSER_TIMER, note_node(c->x->self));
        return;
    }
    if (paxos_multi(c)) {
        if (v->phase == PAXOS_LEADER)
            paxos_multi_heartbeat(c);
        else
            paxos_proposer_phase1(c,
                                  v->phase == PAXOS_PREPARE ? NOTE_PAXOS_WHY_RETRY_PHASE1
                                                            : NOTE_PAXOS_WHY_RETRY_NO_LEADER,
                                  NULL);
        return;
    }
    if (!v->value) {
        v->deadline = -1;
        proto_note0(c->out, NOTE_PAXOS_RETRY_NOTHING);
        return;
    }
    const char *known = paxos_learned_get(v, 1);
    const struct paxos_prop *p = paxos_slot_at(&v->props, 1);
    if (known || (p && p->state == PROP_CHOSEN)) {
        proto_note(c->out, NOTE_PAXOS_RETRY_CHOSEN, note_str(known ? known : p->value));
        paxos_proposer_reset(c);
        v->value = NULL;
        v->deadline = -1;
        return;
    }
    paxos_proposer_phase1(c, NOTE_PAXOS_WHY_RETRY_PROPOSE, v->value);
}

/* Phase 2 of Basic Paxos, once a majority promised (P2c). */
static void phase2_basic(struct paxos_ctx *c)
{
    struct paxos_volatile *v = c->v;
    const struct paxos_accepted *a = paxos_slot_at(&v->prom, 1);
    const char *value = v->value;
    if (a && a->ballot.round > 0) {
        value = a->value;
        proto_note(c->out, NOTE_PAXOS_ADOPT, note_str(value), note_ballot(a->ballot));
    } else {
        proto_note(c->out, NOTE_PAXOS_OWN_VALUE, note_str(value));
    }
    v->phase = PAXOS_ACCEPT;
    paxos_proposer_propose(c, 1, value);
}

void paxos_proposer_promise(struct paxos_ctx *c, const struct msg *m)
{
    struct paxos_volatile *v = c->v;
    struct ballot b = m->u.promise.ballot;
    struct note_arg bs = note_ballot(b);
    paxos_saw_ballot(c, b);
    if (!c->cfg->acceptor[m->from]) {
        proto_note(c->out, NOTE_PAXOS_PROMISE_NOT_FROM_ACCEPTOR, note_node(m->from));
        return;
    }
    if (ballot_cmp(b, v->ballot) != 0 || m->u.promise.slot != v->prepare_slot) {
        proto_note(c->out, NOTE_PAXOS_PROMISE_OTHER_BALLOT, bs, note_node(m->from));
        return;
    }
    if (v->phase != PAXOS_PREPARE) {
        proto_note(c->out, NOTE_PAXOS_PROMISE_LATE, bs, note_node(m->from));
        return;
    }
    unsigned bit = 1u << m->from;
    if (v->promises & bit) {
        proto_note(c->out, NOTE_PAXOS_PROMISE_DUPLICATE, bs, note_node(m->from));
        return;
    }
    v->promises |= bit;
    /* Keep, per slot, the highest-numbered proposal the promises report. */
    for (size_t i = 0; i < m->u.promise.n_accepted; i++) {
        const struct slot_value *sv = &m->u.promise.accepted[i];
        if (sv->slot < v->prepare_slot || sv->slot > PAXOS_MAX_SLOT || sv->ballot.round < 1 ||
            !sv->value)
            continue;
        /* Bug switch ignore_promised_values: P2c is skipped, what the
         * acceptor accepted is thrown away and phase 2 proposes freely. */
        if (paxos_bug(c, BUG_IGNORE_PROMISED_VALUES)) {
            proto_note(c->out, NOTE_PAXOS_BUG_IGNORE_PROMISED, note_node(m->from),
                       note_str(sv->value), note_ballot(sv->ballot));
            continue;
        }
        const struct paxos_accepted *cur = paxos_slot_at(&v->prom, sv->slot);
        if (cur && ballot_cmp(cur->ballot, sv->ballot) >= 0)
            continue;
        struct paxos_accepted *p = paxos_slot_mut(&v->prom, sv->slot);
        p->ballot = sv->ballot;
        p->value = sv->value;
    }
    int have = paxos_count(v->promises), need = paxos_majority(c->cfg);
    if (have < need) {
        proto_note(c->out, NOTE_PAXOS_PROMISE_COUNT, bs, note_node(m->from), paxos_local(c, m),
                   note_int(have), note_int(need));
        return;
    }
    proto_note(c->out, NOTE_PAXOS_PROMISE_MAJORITY, bs, note_node(m->from), paxos_local(c, m),
               note_int(have), note_int(need));
    if (paxos_multi(c))
        paxos_multi_elected(c);
    else
        phase2_basic(c);
}

void paxos_proposer_accepted(struct paxos_ctx *c, const struct msg *m)
{
    struct paxos_volatile *v = c->v;
    const struct proto_config *cfg = c->cfg;
    int64_t slot = m->u.accept.slot;
    if ((v->phase != PAXOS_ACCEPT && v->phase != PAXOS_LEADER) ||
        ballot_cmp(m->u.accept.ballot, v->ballot) != 0 || !cfg->acceptor[m->from] ||
        !m->u.accept.value)
        return;
    const struct paxos_prop *cur = paxos_slot_at(&v->props, slot);
    if (!cur || cur->state != PROP_SENT || strcmp(cur->value, m->u.accept.value) != 0)
        return;
    struct paxos_prop *p = paxos_slot_mut(&v->props, slot);
    p->acks |= 1u << m->from;
    int have = paxos_count(p->acks), need = paxos_majority(cfg);
    struct note_arg bs = note_ballot(v->ballot);
    if (have < need) {
        /* A learner has already said this while counting. */
        if (!cfg->learner[c->x->self])
            proto_note(c->out, NOTE_PAXOS_PROPOSER_ACCEPTED_COUNT, bs, note_node(m->from),
                       note_int(slot), note_int(have), note_int(need));
        return;
    }
    p->state = PROP_CHOSEN;
    const char *value = p->value;
    if (slot >= v->top_chosen) {
        v->top_chosen = slot;
        v->top_value = value;
    }
    proto_note(c->out, NOTE_PAXOS_CHOSEN, note_str(value), note_int(slot), note_int(have),
               note_int(paxos_acceptors(cfg)), bs);
    int self = c->x->self;
    if (paxos_can_learn(c, slot)) {
        proto_note(c->out, NOTE_PAXOS_LEARNED_OWN, note_str(value), note_int(slot));
        paxos_learn(c, slot, value);
    }
    for (int i = 0; i < cfg->n_nodes; i++) {
        if (!cfg->learner[i] || i == self)
            continue;
        struct msg *r = paxos_send(c, MSG_CHOSEN, i);
        r->u.chosen.slot = slot;
        r->u.chosen.value = value;
    }
    if (!paxos_multi(c)) {
        /* Basic Paxos: done; nothing left to retry. */
        paxos_proposer_reset(c);
        v->value = NULL;
        v->deadline = -1;
    }
}

void paxos_proposer_nack(struct paxos_ctx *c, const struct msg *m)
{
    struct paxos_volatile *v = c->v;
    struct ballot b = m->u.nack.ballot, promised = m->u.nack.promised;
    struct note_arg bs = note_ballot(b), ps = note_ballot(promised);
    bool running = v->phase != PAXOS_IDLE && ballot_cmp(b, v->ballot) == 0;
    /* In Multi-Paxos a higher ballot makes a leader or candidate step down
     * (paxos_saw_ballot notes it). */
    paxos_saw_ballot(c, promised);
    if (!running) {
        proto_note(c->out, NOTE_PAXOS_NACK_NOT_RUNNING, bs, note_node(m->from), ps,
                   note_int(promised.round));
        return;
    }
    if (paxos_multi(c) || ballot_cmp(promised, b) <= 0) {
        if (v->phase != PAXOS_IDLE)
            proto_note(c->out, NOTE_PAXOS_NACK_NOT_HIGHER, bs, note_node(m->from), ps);
        return;
    }
    /* Basic Paxos: abandon the round; the retry timer starts a higher one. */
    paxos_proposer_reset(c);
    proto_note(c->out, NOTE_PAXOS_NACK_ABANDON, note_node(m->from), ps, bs,
               note_int(promised.round));
}
