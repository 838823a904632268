/* monitor_raft: Raft's safety properties (Figure 3 of the extended paper)
 * checked incrementally after each step of one node.
 *
 * Membership changes (dissertation §4, extended paper §6) change none of
 * them: Election Safety is per term, whatever configuration elected the
 * leader; "committed" is what a node's commit_index covers, whichever
 * majority made it so; a configuration entry is an entry like any other
 * for Log Matching and Leader Completeness (compared with its node sets).
 * A broken change protocol (bug switch change_without_noop) shows up as
 * two leaders in one term or a leader lacking a committed entry. */
#include <string.h>

#include "monitor.h"
#include "protocols/raft.h"
#include "sim.h"

static const struct raft *node_of(const struct sim *s, int i)
{
    return sim_node_const(s, i);
}

/* A violation names an entry in words: a phrase argument (its command
 * quoted, or "the configuration change to {S1, S2, S3}" for a
 * configuration entry, dissertation §4.1 / extended paper §6, by the
 * servers of C_new) whose {1} is entry_content(), passed as argument
 * at + 1 of the note. */
static struct note_arg entry_phrase(const struct entry *e, int at)
{
    struct note_arg a =
        note_phrase(monitor_is_config(e) ? NOTE_MONITOR_ENTRY_CONFIG : NOTE_MONITOR_ENTRY_COMMAND);
    a.aux = at;
    return a;
}

static struct note_arg entry_content(const struct entry *e)
{
    return monitor_is_config(e) ? note_nodeset(e->config) : note_str(e->cmd ? e->cmd : "");
}

/* Term and command, or term and configuration (a configuration entry is
 * an entry like any other for Log Matching and Leader Completeness). An
 * entry a snapshot covers (entry_at) is known only by what the snapshot
 * keeps (§7: the last included term, the commands of the state machine,
 * in which a configuration entry left a NULL): it agrees with any entry
 * that does not contradict that. */
static bool same_entry(const struct entry *a, const struct entry *b)
{
    if (!monitor_compacted(a) && !monitor_compacted(b))
        return entry_same(a, b);
    if (a->term != b->term && a->term && b->term)
        return false;
    if (!a->cmd || !b->cmd)
        return true;
    return strcmp(a->cmd, b->cmd) == 0;
}

/* Entry i of r as the monitor sees it: the log's own (not copied: this
 * runs several times per step), or for an index a snapshot covers, the
 * command its state keeps (and the last included term at its last index,
 * term 0 below it), made in *buf. Entries a snapshot covers count as
 * present. NULL if r has no entry i. */
static const struct entry *entry_at(const struct raft *r, int64_t i, struct entry *buf)
{
    int64_t snap = raft_snapshot_index(r);
    if (i < 1 || i > raft_log_length(r))
        return NULL;
    if (i > snap)
        return raft_entry(r, i);
    *buf = (struct entry){.term = i == snap ? raft_term_at(r, i) : 0,
                          .cmd = raft_snapshot_cmd(r, i),
                          .config = MONITOR_ENTRY_COMPACTED};
    return buf;
}

/* The first absolute index where r's log differs from its log before the
 * step (pre: a clone of the log, whose first entry was index pre_snap + 1),
 * minus one: entries a snapshot covers (before or after) count as the
 * same, since only committed entries are ever compacted. */
static int64_t unchanged_prefix(const struct raft *r, const struct cowvec *pre, int64_t pre_snap)
{
    int64_t snap = raft_snapshot_index(r);
    if (snap == pre_snap)
        return snap + (int64_t)cowvec_first_diff(pre, &r->p.log);
    int64_t pre_last = pre_snap + (int64_t)pre->len, last = raft_log_length(r);
    int64_t i = snap > pre_snap ? snap + 1 : pre_snap + 1;
    for (; i <= pre_last && i <= last; i++) {
        struct entry buf;
        if (!same_entry(cowvec_at(pre, (size_t)(i - pre_snap - 1)), entry_at(r, i, &buf)))
            break;
    }
    return i - 1 < pre_last ? i - 1 : pre_last;
}

void monitor_raft_before(const struct sim *s, int node, struct monitor_pre *pre)
{
    const struct raft *r = node_of(s, node);
    pre->leader = r->v.up && r->v.role == RAFT_LEADER;
    pre->term = r->p.term;
    pre->commit_index = r->v.commit_index;
    pre->snapshot_index = raft_snapshot_index(r);
    /* The engine steps the log it owns; watching it costs nothing until
     * the step changes an entry (a follower's truncation, a compaction). */
    cowvec_watch(&((struct raft *)r)->p.log, &pre->w);
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
    struct entry buf;
    const struct entry *have = entry_at(r, i, &buf);
    if (have && same_entry(have, c))
        return true;
    monitor_violation(s, NOTE_MONITOR_LEADER_LACKS, note_node(node), note_int(r->p.term),
                      note_int(i), note_int(c->term), entry_phrase(c, 6), note_int(in_term),
                      entry_content(c));
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
        struct entry bx, by;
        const struct entry *ex, *ey;
        while (i > k && !((ex = entry_at(x, i, &bx)) && (ey = entry_at(y, i, &by)) && ex->term &&
                          ex->term == ey->term))
            i--;
        if (i <= k)
            continue;
        /* x and y share an entry at index i > k with the same term: they
         * must agree on every entry up to it. */
        for (int64_t t = i; t >= (k > 0 ? k : 1); t--) {
            if (!same_entry(entry_at(x, t, &bx), entry_at(y, t, &by))) {
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
static void check_commit(struct sim *s, int node, const struct raft *r,
                         const struct monitor_pre *pre)
{
    struct monitor *m = &s->mon;
    int64_t c = r->v.commit_index, old_commit = pre->commit_index;
    if (c <= old_commit)
        return;
    /* A leader of the same term that commits and snapshots in one step
     * still held the entries before it (Leader Append-Only): what they
     * were, configurations included, is known exactly from there. */
    bool same_leader = pre->leader && r->v.up && r->v.role == RAFT_LEADER && pre->term == r->p.term;
    for (int64_t i = old_commit + 1; i <= c; i++) {
        struct entry buf;
        const struct entry *e = entry_at(r, i, &buf);
        if (!e)
            return;
        if (monitor_compacted(e) && same_leader && i > pre->snapshot_index &&
            i <= pre->snapshot_index + (int64_t)pre->log.len)
            e = cowvec_at(&pre->log, (size_t)(i - pre->snapshot_index - 1));
        if ((size_t)i <= m->committed.len) {
            const struct entry *known = cowvec_at(&m->committed, (size_t)i - 1);
            if (!same_entry(e, known)) {
                /* Seven arguments at most: the line that says the
                 * invariant broke adds one (monitor_violation_args), so
                 * the entry committed before is named by the note. */
                monitor_violation(s,
                                  monitor_is_config(known) ? NOTE_MONITOR_COMMIT_CONFLICT_CONFIG
                                                           : NOTE_MONITOR_COMMIT_CONFLICT,
                                  note_node(node), entry_phrase(e, 6), note_int(e->term),
                                  note_int(i), entry_content(known), note_int(known->term),
                                  entry_content(e));
                return;
            }
            /* Known so far only from a snapshot: the whole entry now. */
            if (monitor_compacted(known) && !monitor_compacted(e))
                *(struct entry *)cowvec_mut(&m->committed, (size_t)i - 1) = *e;
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
    struct raft *rw = sim_node(s, node);
    const struct raft *r = rw;
    cowvec_unwatch(&rw->p.log, &pre->w);
    int64_t k;
    if (pre->w.saved) {
        pre->log = pre->w.before;
        k = unchanged_prefix(r, &pre->log, pre->snapshot_index);
    } else {
        /* Only appended: the log's first w.len entries are those it had. */
        pre->log = r->p.log;
        pre->log.len = pre->w.len;
        pre->log.n_chunks = (pre->w.len + COWVEC_CHUNK - 1) / COWVEC_CHUNK;
        pre->log.watch = NULL;
        k = raft_snapshot_index(r) == pre->snapshot_index
                ? pre->snapshot_index + (int64_t)pre->w.len
                : unchanged_prefix(r, &pre->log, pre->snapshot_index);
    }
    bool leader = r->v.up && r->v.role == RAFT_LEADER;
    /* Leader Append-Only: a leader never overwrites or deletes its entries. */
    if (pre->leader && leader && pre->term == r->p.term &&
        k < pre->snapshot_index + (int64_t)pre->log.len)
        monitor_violation(s, NOTE_MONITOR_LEADER_CHANGED_ENTRY, note_node(node),
                          note_int(r->p.term), note_int(k + 1));
    if (leader)
        check_new_leader(s, node, r);
    check_log_matching(s, node, r, k);
    check_commit(s, node, r, pre);
    monitor_clients_after(s, node);
    if (pre->w.saved)
        cowvec_free(&pre->log);
}
