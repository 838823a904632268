/* paxos_multi: Multi-Paxos ("Paxos Made Simple", §3): a distinguished
 * proposer runs phase 1 once for every slot from the first it does not
 * know to be chosen, re-proposes what the promises report, fills gaps with
 * no-ops, then runs phase 2 alone per command. Its heartbeat is a Chosen
 * message; a node that hears no leader before its timer fires starts
 * phase 1 itself.
 *
 * Catch-up. Learned values are volatile, so a learner that restarts (or
 * that missed a Chosen) knows only the slots chosen after it came back,
 * and `applied` would stop at its first gap for ever: the leader's
 * heartbeat names only the highest chosen slot, and the leader cannot
 * know which slots a learner lacks. So the learner says so, with the one
 * message type that talks about chosen values:
 *
 *   - A learner that receives Chosen for slot k while it has not learned
 *     some slot j < k (j its first gap) asks the sender, which knows k is
 *     chosen, with Chosen(slot j, no value): "what is chosen from slot j
 *     on?". It asks at most once per heartbeat interval, unless its first
 *     gap has moved past the window the last answer covers.
 *   - A node that receives such a request and knows slot j to be chosen
 *     answers with Chosen(slot s, value) for every slot s in
 *     j .. j+PAXOS_CATCH_UP-1 that it knows to be chosen: learned by its
 *     learner, or chosen by a majority of Accepted for its own ballot. It
 *     sends nothing it does not know, and nothing at all if it does not
 *     know slot j (later slots would not let the asker apply anything; a
 *     gap that is merely out of order, with slot j still being chosen,
 *     costs one request and no answer).
 *
 * This is §2.3's "distinguished learner ... informs the other learners
 * when a value has been chosen", on demand. It is safe whatever happens to
 * the messages, because every value sent is known to be chosen; it
 * terminates, because a request is only ever answered and an answer only
 * carries values; and it is live, because the leader's heartbeat (Chosen
 * for its highest chosen slot) reaches a learner with a gap below it every
 * heartbeat, so a lost request or answer is asked again. A slot nobody
 * knows to be chosen is filled the ordinary way: a new leader's phase 1
 * starts at its first unlearned slot and re-proposes (§3). */
#include <string.h>

#include "paxos_internal.h"

/* The value that fills a gap: a command that changes nothing. */
static const char noop[] = "noop";

int64_t paxos_multi_first_unchosen(const struct paxos_ctx *c)
{
    /* Slots 1..applied are learned (a learner applies in slot order up to
     * its first gap), so the search starts after them: constant work per
     * Chosen in a long run, not a scan from slot 1. */
    int64_t s = c->v->applied + 1;
    while (paxos_learned_get(c->v, s))
        s++;
    return s;
}

/* A value this node knows to be chosen at slot: learned, or chosen for
 * its own ballot. NULL: it does not know. */
static const char *known_chosen(const struct paxos_ctx *c, int64_t slot)
{
    const char *value = paxos_learned_get(c->v, slot);
    if (value)
        return value;
    const struct paxos_prop *p = paxos_slot_at(&c->v->props, slot);
    return p && p->state == PROP_CHOSEN ? p->value : NULL;
}

void paxos_multi_ask(struct paxos_ctx *c, int from, int64_t slot)
{
    struct paxos_volatile *v = c->v;
    if (!paxos_multi(c) || from == c->x->self || !c->cfg->learner[c->x->self])
        return;
    int64_t gap = paxos_multi_first_unchosen(c);
    if (gap >= slot)
        return;
    int64_t interval = c->cfg->heartbeat > 0 ? c->cfg->heartbeat : 1;
    /* An answer to the last request may still be on its way. */
    if (v->ask_slot > 0 && gap < v->ask_slot + PAXOS_CATCH_UP &&
        c->in->now - v->ask_time < interval)
        return;
    v->ask_slot = gap;
    v->ask_time = c->in->now;
    struct msg *m = paxos_send(c, MSG_CHOSEN, from);
    m->u.chosen.slot = gap;
    m->u.chosen.value = NULL;
    proto_note(c->out, NOTE_PAXOS_CATCHUP_ASK, note_int(slot), note_int(gap), note_node(from));
}

void paxos_multi_answer(struct paxos_ctx *c, int to, int64_t slot)
{
    /* Values after the asker's first gap would not let it apply anything:
     * answer only if this node knows that slot itself. */
    if (!known_chosen(c, slot)) {
        proto_note(c->out, NOTE_PAXOS_CATCHUP_NOTHING, note_node(to), note_int(slot));
        return;
    }
    int64_t last = slot;
    int sent = 0;
    for (int64_t s = slot; s < slot + PAXOS_CATCH_UP && s <= PAXOS_MAX_SLOT; s++) {
        const char *value = known_chosen(c, s);
        if (!value)
            continue;
        struct msg *m = paxos_send(c, MSG_CHOSEN, to);
        m->u.chosen.slot = s;
        m->u.chosen.value = value;
        last = s;
        sent++;
    }
    if (sent == 1)
        proto_note(c->out, NOTE_PAXOS_CATCHUP_SEND_ONE, note_node(to), note_int(slot));
    else
        proto_note(c->out, NOTE_PAXOS_CATCHUP_SEND_MANY, note_node(to), note_int(slot),
                   note_int(sent), note_int(last));
}

void paxos_multi_heard(struct paxos_ctx *c, int from)
{
    struct paxos_volatile *v = c->v;
    if (!paxos_multi(c) || from == c->x->self || from != v->leader ||
        !c->cfg->proposer[c->x->self] || v->phase != PAXOS_IDLE)
        return;
    paxos_retry_timer(c);
}

void paxos_multi_client(struct paxos_ctx *c, const char *value)
{
    struct paxos_volatile *v = c->v;
    int self = c->x->self;
    if (v->phase != PAXOS_LEADER && (v->leader < 0 || v->leader == self) &&
        c->cfg->proposer[self]) {
        /* No leader is known: this proposer runs phase 1 to become the
         * distinguished proposer itself, and proposes the value once it
         * leads ("Paxos Made Simple" §3: any proposer may try). */
        cowvec_push(&v->queued, &value);
        c->out->client = CLIENT_ACCEPTED;
        if (v->phase == PAXOS_IDLE) {
            proto_note(c->out, NOTE_PAXOS_CLIENT_WAITS_NO_LEADER, note_str(value), note_node(self));
            paxos_proposer_phase1(c, NOTE_PAXOS_WHY_NO_LEADER, NULL);
        } else {
            proto_note(c->out, NOTE_PAXOS_CLIENT_WAITS_PHASE1, note_str(value));
        }
        return;
    }
    if (v->phase != PAXOS_LEADER) {
        int hint = v->leader != self ? v->leader : -1;
        c->out->client = CLIENT_REFUSED;
        c->out->client_hint = hint;
        if (hint >= 0)
            proto_note(c->out, NOTE_PAXOS_CLIENT_NOT_LEADER, note_str(value), note_node(hint));
        else
            proto_note(c->out, NOTE_PAXOS_CLIENT_NOT_LEADER_NO_HINT, note_str(value));
        return;
    }
    int64_t slot = v->next_slot > 0 ? v->next_slot : 1;
    while (paxos_learned_get(v, slot))
        slot++;
    if (slot > PAXOS_MAX_SLOT) {
        c->out->client = CLIENT_REFUSED;
        proto_note(c->out, NOTE_PAXOS_LOG_FULL, note_int(PAXOS_MAX_SLOT), note_str(value));
        return;
    }
    v->next_slot = slot + 1;
    c->out->client = CLIENT_ACCEPTED;
    proto_note(c->out, NOTE_PAXOS_LEADER_PROPOSES, note_str(value), note_int(slot),
               note_ballot(v->ballot));
    paxos_proposer_propose(c, slot, value);
}

/* A leader whose Accepts no majority takes for a whole election timeout
 * has probably been overtaken by a higher ballot it never heard of (without
 * nacks, acceptors refuse silently, and heartbeats carry no ballot). It
 * gives up leadership and runs phase 1 again, as any proposer that sees no
 * progress must, or a stale leader would swallow commands forever. */
static bool stalled(struct paxos_ctx *c, int pending)
{
    struct paxos_volatile *v = c->v;
    if (!pending || v->resend_from != v->stall_mark) {
        v->stall_since = pending ? c->in->now : -1;
        v->stall_mark = v->resend_from;
        return false;
    }
    if (v->stall_since < 0) {
        v->stall_since = c->in->now;
        return false;
    }
    if (c->in->now - v->stall_since < c->cfg->election_max)
        return false;
    v->stall_since = -1;
    paxos_proposer_reset(c);
    paxos_proposer_phase1(c, NOTE_PAXOS_WHY_STALLED, NULL);
    return true;
}

static void heartbeat(struct paxos_ctx *c, bool resend)
{
    struct paxos_volatile *v = c->v;
    const struct proto_config *cfg = c->cfg;
    int self = c->x->self;
    int pending = 0;
    if (resend) {
        /* Accepts that may have been lost: re-send them to the acceptors
         * that have not answered. */
        if (v->resend_from < 1)
            v->resend_from = 1;
        for (int64_t s = v->resend_from; s < v->next_slot; s++) {
            const struct paxos_prop *p = paxos_slot_at(&v->props, s);
            if (!p || p->state != PROP_SENT) {
                if (s == v->resend_from)
                    v->resend_from = s + 1;
                continue;
            }
            pending++;
            for (int i = 0; i < cfg->n_nodes; i++) {
                if (!cfg->acceptor[i] || (p->acks & (1u << i)))
                    continue;
                struct msg *m = paxos_send(c, MSG_ACCEPT, i);
                m->u.accept.ballot = v->ballot;
                m->u.accept.slot = s;
                m->u.accept.value = p->value;
            }
        }
    }
    for (int i = 0; i < cfg->n_nodes; i++) {
        if (i == self || !(cfg->proposer[i] || cfg->learner[i]))
            continue;
        struct msg *m = paxos_send(c, MSG_CHOSEN, i);
        m->u.chosen.slot = v->top_chosen;
        m->u.chosen.value = v->top_chosen > 0 ? v->top_value : NULL;
    }
    v->deadline = c->in->now + (cfg->heartbeat > 0 ? cfg->heartbeat : 1);
    if (resend && stalled(c, pending))
        return;
    if (pending)
        proto_note(c->out,
                   pending == 1 ? NOTE_PAXOS_HEARTBEAT_RESEND_ONE
                                : NOTE_PAXOS_HEARTBEAT_RESEND_MANY,
                   note_int(v->top_chosen), note_int(pending));
    else
        proto_note(c->out, NOTE_PAXOS_HEARTBEAT, note_int(v->top_chosen));
}

void paxos_multi_heartbeat(struct paxos_ctx *c)
{
    heartbeat(c, true);
}

void paxos_multi_elected(struct paxos_ctx *c)
{
    struct paxos_volatile *v = c->v;
    int self = c->x->self;
    v->phase = PAXOS_LEADER;
    v->leader = self;
    if (ballot_cmp(v->ballot, v->leader_ballot) > 0)
        v->leader_ballot = v->ballot;
    int64_t top = (int64_t)v->prom.len;
    proto_note(c->out, NOTE_PAXOS_LEADS, note_node(self), note_ballot(v->ballot),
               note_int(v->prepare_slot));
    for (int64_t s = v->prepare_slot; s <= top; s++) {
        if (paxos_learned_get(v, s))
            continue;
        const struct paxos_accepted *a = paxos_slot_at(&v->prom, s);
        if (a && a->ballot.round > 0) {
            proto_note(c->out, NOTE_PAXOS_REPROPOSE, note_int(s), note_str(a->value),
                       note_ballot(a->ballot));
            paxos_proposer_propose(c, s, a->value);
        } else {
            proto_note(c->out, NOTE_PAXOS_FILL_NOOP, note_int(s), note_str(noop));
            paxos_proposer_propose(c, s, noop);
        }
    }
    int64_t next = top;
    if (v->top_chosen > next)
        next = v->top_chosen;
    if ((int64_t)v->learned.len > next)
        next = (int64_t)v->learned.len;
    if (v->prepare_slot - 1 > next)
        next = v->prepare_slot - 1;
    v->next_slot = next + 1;
    v->resend_from = v->prepare_slot;
    v->stall_since = -1;
    v->stall_mark = v->resend_from;
    cowvec_free(&v->prom); /* phase 1 is done with it */
    /* Proposals that waited for this phase 1 go to the next free slots. */
    enum client_result client = c->out->client;
    for (size_t i = 0; i < v->queued.len; i++)
        paxos_multi_client(c, *(const char *const *)cowvec_at(&v->queued, i));
    c->out->client = client;
    cowvec_truncate(&v->queued, 0);
    /* Tell every node at once who leads; the Accepts just went out. */
    heartbeat(c, false);
}

void paxos_multi_step_down(struct paxos_ctx *c, struct ballot seen)
{
    struct paxos_volatile *v = c->v;
    proto_note(c->out, v->phase == PAXOS_LEADER ? NOTE_PAXOS_STEP_DOWN : NOTE_PAXOS_ABANDON_PHASE1,
               note_ballot(seen), note_ballot(v->ballot));
    paxos_proposer_reset(c);
    if (v->queued.len) {
        proto_note(c->out,
                   v->queued.len == 1 ? NOTE_PAXOS_DROP_QUEUED_ONE : NOTE_PAXOS_DROP_QUEUED_MANY,
                   note_int((int64_t)v->queued.len));
        cowvec_truncate(&v->queued, 0);
    }
    if (c->cfg->proposer[c->x->self])
        paxos_retry_timer(c);
}
