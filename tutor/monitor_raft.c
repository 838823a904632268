/* monitor_raft: Raft's safety properties (Figure 3 of the extended paper)
 * checked incrementally after each step of one node. */
#include <string.h>

#include "monitor.h"
#include "protocols/raft.h"
#include "sim.h"

static const struct raft *node_of(const struct sim *s, int i)
{
    return sim_node_const(s, i);
}

static bool same_entry(const struct entry *a, const struct entry *b)
{
    if (a->term != b->term)
        return false;
    if (a->cmd == b->cmd)
        return true;
    return a->cmd && b->cmd && strcmp(a->cmd, b->cmd) == 0;
}

void monitor_raft_before(const struct sim *s, int node, struct monitor_pre *pre)
{
    const struct raft *r = node_of(s, node);
    pre->leader = r->v.up && r->v.role == RAFT_LEADER;
    pre->term = r->p.term;
    pre->commit_index = r->v.commit_index;
    cowvec_clone(&pre->log, &r->p.log);
}

/* Leader Completeness (Figure 3 of the extended paper): "if a log entry is
 * committed in a given term, then that entry will be present in the logs of
 * the leaders for all higher-numbered terms". The term is the one in which
 * the entry became committed, not the entry's own: a leader of term T must
 * hold every entry committed in a term below T. Returns false (after
 * reporting) if leader node lacks committed entry i. */
static bool check_leader_holds(struct sim *s, int node, const struct raft *r, int64_t i)
{
    const struct monitor *m = &s->mon;
    int64_t in_term = *(const int64_t *)cowvec_at(&m->commit_terms, (size_t)i - 1);
    if (in_term >= r->p.term)
        return true;
    const struct entry *c = cowvec_at(&m->committed, (size_t)i - 1);
    if (i <= raft_log_length(r) && same_entry(raft_entry(r, i), c))
        return true;
    monitor_violation(s, NOTE_MONITOR_LEADER_LACKS, note_node(node), note_int(r->p.term),
                      note_int(i), note_int(c->term), note_str(c->cmd ? c->cmd : ""),
                      note_int(in_term));
    return false;
}

/* Election Safety, and Leader Completeness at the moment of election. */
static void check_new_leader(struct sim *s, int node, const struct raft *r)
{
    struct monitor *m = &s->mon;
    for (size_t i = 0; i < m->leaders.len; i++) {
        const struct monitor_leader *l = cowvec_at(&m->leaders, i);
        if (l->term != r->p.term)
            continue;
        if (l->node == node)
            return; /* already known */
        monitor_violation(s, NOTE_MONITOR_TWO_LEADERS, note_int(r->p.term), note_node(l->node),
                          note_node(node));
    }
    struct monitor_leader l = {r->p.term, node};
    cowvec_push(&m->leaders, &l);
    for (size_t i = 1; i <= m->committed.len; i++)
        if (!check_leader_holds(s, node, r, (int64_t)i))
            return;
}

/* Log Matching: only entries from index k + 1 on changed in this node's
 * log; the property held before the step, so it suffices to compare the
 * changed part with every other log. */
static void check_log_matching(struct sim *s, int node, const struct raft *x, int64_t k)
{
    int64_t len_x = raft_log_length(x);
    if (len_x <= k)
        return;
    for (int j = 0; j < s->cfg.n_nodes; j++) {
        if (j == node)
            continue;
        const struct raft *y = node_of(s, j);
        int64_t top = len_x < raft_log_length(y) ? len_x : raft_log_length(y);
        int64_t i = top;
        while (i > k && raft_term_at(x, i) != raft_term_at(y, i))
            i--;
        if (i <= k)
            continue;
        /* x and y share an entry at index i > k with the same term: they
         * must agree on every entry up to it. */
        for (int64_t t = i; t >= (k > 0 ? k : 1); t--) {
            if (!same_entry(raft_entry(x, t), raft_entry(y, t))) {
                monitor_violation(s, NOTE_MONITOR_LOGS_DIFFER, note_node(node), note_node(j),
                                  note_int(i), note_int(raft_term_at(x, i)), note_int(t));
                return;
            }
        }
    }
}

/* The longest prefix any node has ever known committed (with the term in
 * which each entry became committed), and Leader Completeness for entries
 * that become committed while a leader of a higher term already exists. */
static void check_commit(struct sim *s, int node, const struct raft *r, int64_t old_commit)
{
    struct monitor *m = &s->mon;
    int64_t c = r->v.commit_index;
    if (c <= old_commit)
        return;
    for (int64_t i = old_commit + 1; i <= c; i++) {
        const struct entry *e = raft_entry(r, i);
        if ((size_t)i <= m->committed.len) {
            const struct entry *known = cowvec_at(&m->committed, (size_t)i - 1);
            if (!same_entry(e, known)) {
                monitor_violation(s, NOTE_MONITOR_COMMIT_CONFLICT, note_node(node),
                                  note_str(e->cmd ? e->cmd : ""), note_int(e->term), note_int(i),
                                  note_str(known->cmd ? known->cmd : ""), note_int(known->term));
                return;
            }
            continue;
        }
        /* First known committed now, in the term of the node that knows it
         * (the leader that committed it, in a correct run). */
        cowvec_push(&m->committed, e);
        cowvec_push(&m->commit_terms, &r->p.term);
        for (int j = 0; j < s->cfg.n_nodes; j++) {
            const struct raft *l = node_of(s, j);
            if (l->v.up && l->v.role == RAFT_LEADER)
                check_leader_holds(s, j, l, i);
        }
    }
}

void monitor_raft_after(struct sim *s, int node, struct monitor_pre *pre)
{
    const struct raft *r = node_of(s, node);
    size_t k = cowvec_first_diff(&pre->log, &r->p.log);
    bool leader = r->v.up && r->v.role == RAFT_LEADER;
    /* Leader Append-Only: a leader never overwrites or deletes its entries. */
    if (pre->leader && leader && pre->term == r->p.term && k < pre->log.len)
        monitor_violation(s, NOTE_MONITOR_LEADER_CHANGED_ENTRY, note_node(node),
                          note_int(r->p.term), note_int((int64_t)k + 1));
    if (leader)
        check_new_leader(s, node, r);
    check_log_matching(s, node, r, (int64_t)k);
    check_commit(s, node, r, pre->commit_index);
    monitor_clients_after(s, node);
    cowvec_free(&pre->log);
}
