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

static bool was_proposed(const struct monitor *m, const char *value)
{
    if (same_text(value, "noop"))
        return true;
    for (size_t i = 0; i < m->proposed.len; i++)
        if (same_text(*(const char *const *)cowvec_at(&m->proposed, i), value))
            return true;
    return false;
}

static struct monitor_slot *slot_mut(struct monitor *m, int64_t slot)
{
    if ((size_t)slot > m->slots.len)
        cowvec_resize_zero(&m->slots, (size_t)slot);
    return cowvec_mut(&m->slots, (size_t)slot - 1);
}

/* Records that acceptor node accepted (ballot, value) at slot; a value is
 * chosen once a majority of acceptors accepted it with one ballot. */
void monitor_paxos_accepted(struct sim *s, int node, const struct proto_slot_event *a)
{
    if (a->slot < 1)
        return;
    struct monitor_slot *ms = slot_mut(&s->mon, a->slot);
    int k = 0;
    while (k < ms->n && ballot_cmp(ms->ballot[k], a->ballot) != 0)
        k++;
    if (k == ms->n) {
        if (ms->n == MONITOR_BALLOTS) {
            /* Forget the lowest ballot: a later, higher one is what can
             * still gather a majority in practice. */
            int low = 0;
            for (int i = 1; i < ms->n; i++)
                if (ballot_cmp(ms->ballot[i], ms->ballot[low]) < 0)
                    low = i;
            k = low;
        } else {
            ms->n++;
        }
        ms->ballot[k] = a->ballot;
        ms->value[k] = a->value;
        ms->acceptors[k] = 0;
    }
    ms->acceptors[k] |= (uint16_t)(1u << node);
    if (popcount16(ms->acceptors[k]) * 2 <= acceptor_count(&s->cfg))
        return;
    const char *v = ms->value[k];
    if (ms->chosen && !same_text(ms->chosen, v)) {
        monitor_violation(s, "two values chosen for slot %lld: \"%s\" and \"%s\"",
                          (long long)a->slot, ms->chosen, v ? v : "");
        return;
    }
    if (!ms->chosen) {
        ms->chosen = v;
        ms->chosen_ballot = a->ballot;
        if (!was_proposed(&s->mon, v))
            monitor_violation(s, "value \"%s\" chosen for slot %lld was never proposed", v ? v : "",
                              (long long)a->slot);
    }
}

void monitor_paxos_after(struct sim *s, int node, struct monitor_pre *pre)
{
    const struct paxos *x = sim_node_const(s, node);
    const struct proto_out *out = &s->out;
    char b1[48], b2[48];
    if (ballot_cmp(x->p.promised, pre->promised) < 0)
        monitor_violation(s, "acceptor %s's promise went down from %s to %s", s->cfg.names[node],
                          ballot_format(pre->promised, &s->cfg, b1, sizeof b1),
                          ballot_format(x->p.promised, &s->cfg, b2, sizeof b2));
    for (size_t i = 0; i < out->n_accepts; i++)
        monitor_paxos_accepted(s, node, &out->accepts[i]);
    for (size_t i = 0; i < out->n_learns; i++) {
        const struct proto_slot_event *l = &out->learns[i];
        const char *chosen = monitor_chosen(&s->mon, l->slot);
        if (!chosen || !same_text(chosen, l->value))
            monitor_violation(s, "%s learned \"%s\" for slot %lld, which is not chosen",
                              s->cfg.names[node], l->value ? l->value : "", (long long)l->slot);
    }
}
