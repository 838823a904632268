/* monitor_paxos: the safety properties of "Paxos Made Simple" (only a
 * proposed value may be chosen, only a single value is chosen, a process
 * never learns a value unless it has been chosen) and an acceptor's promise
 * never decreasing, checked from what each step reports. */
#include <string.h>

#include "monitor.h"
#include "protocols/paxos.h"
#include "sim.h"

static bool same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static int acceptor_count(const struct proto_config *cfg)
{
    int n = 0;
    for (int i = 0; i < cfg->n_nodes; i++)
        n += cfg->acceptor[i];
    return n;
}

static int popcount16(uint16_t x)
{
    int n = 0;
    for (; x; x &= (uint16_t)(x - 1))
        n++;
    return n;
}

void monitor_paxos_before(const struct sim *s, int node, struct monitor_pre *pre)
{
    const struct paxos *x = sim_node_const(s, node);
    memset(pre, 0, sizeof *pre);
    pre->promised = x->p.promised;
}

/* The proposed values, indexed by text: a look-up costs the same however
 * many values clients proposed. */
struct text_key {
    const struct monitor *m;
    const char *value;
};

static bool proposed_match(const void *ctx, size_t rec)
{
    const struct text_key *k = ctx;
    return same_text(*(const char *const *)cowvec_at(&k->m->proposed, rec), k->value);
}

static bool was_proposed(const struct monitor *m, const char *value)
{
    if (same_text(value, "noop"))
        return true;
    struct text_key k = {m, value};
    return monitor_index_find(&m->proposed_index, monitor_hash_text(value), m->proposed.len,
                              proposed_match, &k) >= 0;
}

void monitor_proposed(struct monitor *m, const char *value)
{
    struct text_key k = {m, value};
    uint64_t h = monitor_hash_text(value);
    if (monitor_index_find(&m->proposed_index, h, m->proposed.len, proposed_match, &k) >= 0)
        return;
    cowvec_push(&m->proposed, &value);
    monitor_index_add(&m->proposed_index, h, m->proposed.len - 1);
}

static struct monitor_slot *slot_mut(struct monitor *m, int64_t slot)
{
    if ((size_t)slot > m->slots.len)
        cowvec_resize_zero(&m->slots, (size_t)slot);
    return cowvec_mut(&m->slots, (size_t)slot - 1);
}

/* The proposals, indexed by (slot, ballot). */
struct proposal_key {
    const struct monitor *m;
    int64_t slot;
    struct ballot ballot;
};

static uint64_t proposal_key_hash(int64_t slot, struct ballot b)
{
    return monitor_hash_mix((uint64_t)slot * 0x9e3779b97f4a7c15ULL ^
                            monitor_hash_mix((uint64_t)b.round * 16 + (uint64_t)b.node));
}

static bool proposal_match(const void *ctx, size_t rec)
{
    const struct proposal_key *k = ctx;
    const struct monitor_proposal *p = cowvec_at(&k->m->proposals, rec);
    return p->slot == k->slot && ballot_cmp(p->ballot, k->ballot) == 0;
}

/* The proposal (slot, ballot), added with value if new. */
static struct monitor_proposal *proposal_mut(struct monitor *m, int64_t slot, struct ballot b,
                                             const char *value)
{
    struct proposal_key k = {m, slot, b};
    uint64_t h = proposal_key_hash(slot, b);
    long rec = monitor_index_find(&m->proposal_index, h, m->proposals.len, proposal_match, &k);
    if (rec < 0) {
        struct monitor_proposal p = {slot, b, value, 0};
        cowvec_push(&m->proposals, &p);
        rec = (long)m->proposals.len - 1;
        monitor_index_add(&m->proposal_index, h, (size_t)rec);
    }
    return cowvec_mut(&m->proposals, (size_t)rec);
}

/* Records that acceptor node accepted (ballot, value) at slot. "A value is
 * chosen when a single proposal with that value has been accepted by a
 * majority of the acceptors" ("Paxos Made Simple", 2.2): acceptors are
 * counted per (slot, ballot), for every ballot ever accepted. */
void monitor_paxos_accepted(struct sim *s, int node, const struct proto_slot_event *a)
{
    if (a->slot < 1)
        return;
    struct monitor_proposal *p = proposal_mut(&s->mon, a->slot, a->ballot, a->value);
    p->acceptors |= (uint16_t)(1u << node);
    if (popcount16(p->acceptors) * 2 <= acceptor_count(&s->cfg))
        return;
    const char *v = p->value;
    struct monitor_slot *ms = slot_mut(&s->mon, a->slot);
    if (ms->chosen && !same_text(ms->chosen, v)) {
        monitor_violation(s, NOTE_MONITOR_TWO_CHOSEN, note_int(a->slot), note_str(ms->chosen),
                          note_str(v ? v : ""));
        return;
    }
    if (!ms->chosen) {
        ms->chosen = v;
        ms->chosen_ballot = a->ballot;
        if (!was_proposed(&s->mon, v))
            monitor_violation(s, NOTE_MONITOR_NEVER_PROPOSED, note_str(v ? v : ""),
                              note_int(a->slot));
    }
}

void monitor_paxos_after(struct sim *s, int node, struct monitor_pre *pre)
{
    const struct paxos *x = sim_node_const(s, node);
    const struct proto_out *out = &s->out;
    if (ballot_cmp(x->p.promised, pre->promised) < 0)
        monitor_violation(s, NOTE_MONITOR_PROMISE_DOWN, note_node(node), note_ballot(pre->promised),
                          note_ballot(x->p.promised));
    for (size_t i = 0; i < out->n_accepts; i++)
        monitor_paxos_accepted(s, node, &out->accepts[i]);
    for (size_t i = 0; i < out->n_learns; i++) {
        const struct proto_slot_event *l = &out->learns[i];
        const char *chosen = monitor_chosen(&s->mon, l->slot);
        if (!chosen || !same_text(chosen, l->value))
            monitor_violation(s, NOTE_MONITOR_LEARNED_UNCHOSEN, note_node(node),
                              note_str(l->value ? l->value : ""), note_int(l->slot));
    }
}
