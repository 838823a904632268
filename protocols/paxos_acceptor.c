/* paxos_acceptor: the acceptor's two rules. "Paxos Made Simple", P1a: an
 * acceptor can accept a proposal numbered n iff it has not responded to a
 * prepare request having a number greater than n; phase 1(b): it promises
 * a Prepare numbered above any it has promised, replying with what it has
 * accepted. Its promise and accepted proposals are persistent. */
#include <stdlib.h>
#include <string.h>

#include "paxos_internal.h"

static bool is_acceptor(struct paxos_ctx *c, const struct msg *m)
{
    if (c->cfg->acceptor[c->x->self])
        return true;
    proto_note(c->out, NOTE_PAXOS_NOT_ACCEPTOR, note_node(c->x->self), note_msgtype(m->type),
               note_node(m->from));
    return false;
}

/* Every accepted proposal in slots >= from, as the Promise reports them. */
static void fill_promise(struct paxos_ctx *c, struct msg *r, int64_t from)
{
    const struct cowvec *acc = &c->x->p.accepted;
    size_t n = 0;
    for (size_t i = (size_t)from - 1; i < acc->len; i++)
        n += ((const struct paxos_accepted *)cowvec_at(acc, i))->ballot.round > 0;
    r->u.promise.n_accepted = n;
    if (!n)
        return;
    r->u.promise.accepted = malloc(n * sizeof *r->u.promise.accepted);
    if (!r->u.promise.accepted)
        abort();
    size_t k = 0;
    for (size_t i = (size_t)from - 1; i < acc->len; i++) {
        const struct paxos_accepted *a = cowvec_at(acc, i);
        if (a->ballot.round > 0)
            r->u.promise.accepted[k++] =
                (struct slot_value){.slot = (int64_t)i + 1, .ballot = a->ballot, .value = a->value};
    }
}

void paxos_acceptor_prepare(struct paxos_ctx *c, const struct msg *m)
{
    struct paxos *x = c->x;
    struct ballot b = m->u.prepare.ballot;
    paxos_saw_ballot(c, b);
    if (!is_acceptor(c, m))
        return;
    struct note_arg bs = note_ballot(b), ps = note_ballot(x->p.promised);
    if (ballot_cmp(b, x->p.promised) > 0) {
        x->p.promised = b;
        c->out->persisted = true;
        if (m->from == x->self)
            proto_note(c->out, NOTE_PAXOS_PROMISE_LOCAL, bs, ps, note_node(x->self));
        else
            proto_note(c->out, NOTE_PAXOS_PROMISE, bs, ps);
        struct msg *r = paxos_send(c, MSG_PROMISE, m->from);
        r->u.promise.ballot = b;
        r->u.promise.slot = m->u.prepare.slot;
        fill_promise(c, r, m->u.prepare.slot);
        /* Like granting a vote: give the would-be leader time to finish. */
        paxos_multi_heard(c, m->from);
        return;
    }
    if (c->cfg->options[x->self] & OPT_NACK) {
        proto_note(c->out, NOTE_PAXOS_PREPARE_NACK, bs, ps, paxos_local(c, m));
        struct msg *r = paxos_send(c, MSG_NACK, m->from);
        r->u.nack.ballot = b;
        r->u.nack.promised = x->p.promised;
    } else {
        proto_note(c->out, NOTE_PAXOS_PREPARE_IGNORE, bs, ps, paxos_local(c, m));
    }
}

void paxos_acceptor_accept(struct paxos_ctx *c, const struct msg *m)
{
    struct paxos *x = c->x;
    const struct proto_config *cfg = c->cfg;
    struct ballot b = m->u.accept.ballot;
    int64_t slot = m->u.accept.slot;
    const char *value = m->u.accept.value;
    paxos_saw_ballot(c, b);
    if (!is_acceptor(c, m))
        return;
    if (!value || b.round < 1) {
        proto_note(c->out, value ? NOTE_PAXOS_ACCEPT_NO_BALLOT : NOTE_PAXOS_ACCEPT_NO_VALUE,
                   note_node(m->from));
        return;
    }
    struct note_arg bs = note_ballot(b), ps = note_ballot(x->p.promised);
    /* Bug switch accept_below_promise: P1a is skipped. */
    if (ballot_cmp(b, x->p.promised) < 0 && paxos_bug(c, BUG_ACCEPT_BELOW_PROMISE))
        proto_note(c->out, NOTE_PAXOS_BUG_ACCEPT_BELOW, bs, ps);
    else if (ballot_cmp(b, x->p.promised) < 0) {
        if (cfg->options[x->self] & OPT_NACK) {
            proto_note(c->out, NOTE_PAXOS_ACCEPT_NACK, bs, ps, note_str(value), note_int(slot),
                       paxos_where(c), paxos_local(c, m));
            struct msg *r = paxos_send(c, MSG_NACK, m->from);
            r->u.nack.ballot = b;
            r->u.nack.promised = x->p.promised;
        } else {
            proto_note(c->out, NOTE_PAXOS_ACCEPT_IGNORE, bs, ps, note_str(value), note_int(slot),
                       paxos_where(c), paxos_local(c, m));
        }
        return;
    }
    /* Accepting answers nothing above b, so the promise may rise to b. */
    if (ballot_cmp(b, x->p.promised) > 0)
        x->p.promised = b;
    const struct paxos_accepted *old = paxos_accepted_at(x, slot);
    bool again = old && ballot_cmp(old->ballot, b) == 0 && strcmp(old->value, value) == 0;
    if (!again) {
        struct paxos_accepted *a = paxos_slot_mut(&x->p.accepted, slot);
        a->ballot = b;
        a->value = value;
        c->out->persisted = true;
        proto_accepted(c->out, slot, b, value);
    }
    proto_note(c->out, NOTE_PAXOS_ACCEPT, bs, ps, note_str(value), note_int(slot), paxos_where(c),
               paxos_local(c, m), note_phrase(again ? NOTE_PAXOS_AGAIN : NOTE_NONE));
    /* Accepted goes to the proposer and to every learner, once each. */
    bool sent[PROTO_MAX_NODES] = {false};
    for (int i = -1; i < cfg->n_nodes; i++) {
        int to = i < 0 ? m->from : i;
        if (sent[to] || (i >= 0 && !cfg->learner[i]))
            continue;
        sent[to] = true;
        struct msg *r = paxos_send(c, MSG_ACCEPTED, to);
        r->u.accept.ballot = b;
        r->u.accept.slot = slot;
        r->u.accept.value = value;
    }
    if (m->from == b.node)
        paxos_multi_heard(c, m->from);
}
