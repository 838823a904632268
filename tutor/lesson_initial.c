/* lesson_initial: the persistent state nodes start from (`initial`), refused
 * when no run could have produced it: decreasing log terms, a term below the
 * last log term, votes in term 0, logs that break Log Matching (§5.3), an
 * accepted ballot above the promise, one ballot with two values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tutor/lesson_internal.h"

static const char *const raft_keys[] = {"term", "voted_for", "log", "log_terms", NULL};
static const char *const paxos_keys[] = {"promised", "accepted", NULL};

static bool in_list(const char *const *names, const char *s)
{
    for (size_t i = 0; names[i]; i++)
        if (!strcmp(names[i], s))
            return true;
    return false;
}

static void check_state_keys(struct lctx *c, const cJSON *v, const char *path)
{
    bool raft = c->proto == LP_RAFT;
    const char *const *own = raft ? raft_keys : paxos_keys;
    const char *const *other = raft ? paxos_keys : raft_keys;
    for (const cJSON *e = v->child; e; e = e->next) {
        if (lesson_is_ext_key(e->string) || in_list(own, e->string))
            continue;
        if (in_list(other, e->string))
            lesson_err(c, path, "\"%s\" is %s state; this lesson's protocol is %s", e->string,
                       raft ? "Paxos" : "Raft", raft ? "raft" : "paxos");
        else
            lesson_err(c, path, "unknown key %s%s", lesson_quote(c, e->string),
                       lesson_dym(c, e->string, own));
    }
}

static const char *ballot_text(struct lctx *c, struct ballot b)
{
    if (b.round == 0)
        return "null";
    return lesson_sprintf(c->a, "%lld.%s", (long long)b.round,
                          c->nodes_known ? c->cfg->names[b.node] : "?");
}

/* ---- Raft ---- */

static void read_raft_log(struct lctx *c, const cJSON *v, const char *path, bool short_form,
                          struct lesson_initial *ini)
{
    if (!lesson_want_array(c, v, path))
        return;
    size_t n = (size_t)cJSON_GetArraySize(v);
    if (n > LESSON_MAX_INITIAL_LOG) {
        lesson_err(c, path, "%zu entries, more than the limit of %d", n, LESSON_MAX_INITIAL_LOG);
        return;
    }
    ini->log = lesson_alloc_array(c->a, n, sizeof *ini->log);
    ini->n_log = n;
    size_t i = 0;
    int64_t prev = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        const char *p = lesson_path_idx(c, path, i);
        const cJSON *term = e, *cmd = NULL;
        const char *tpath = p;
        if (!short_form) {
            if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) != 2) {
                lesson_err(c, p,
                           "expected an entry [term, \"command\"], found %s (a configuration "
                           "entry is [term, {\"config\": [names]}])",
                           lesson_describe(c, e));
                continue;
            }
            term = e->child;
            cmd = e->child->next;
            tpath = lesson_path_idx(c, p, 0);
        }
        int64_t t;
        if (lesson_read_int(c, term, tpath, 0, LESSON_MAX_INT, &t)) {
            if (t == 0)
                lesson_err(c, tpath,
                           "an entry of term 0 is impossible: entries are made by "
                           "leaders, and the first leader's term is 1");
            else if (t < prev)
                lesson_err(c, tpath,
                           "term %lld after term %lld: the terms in a log never "
                           "decrease",
                           (long long)t, (long long)prev);
            ini->log[i].term = t;
            if (t > prev)
                prev = t;
        }
        if (short_form)
            ini->log[i].cmd = lesson_sprintf(c->a, "c%zu", i + 1);
        else if (cJSON_IsObject(cmd))
            lesson_read_config_entry(c, cmd, lesson_path_idx(c, p, 1), &ini->log[i].config,
                                     &ini->log[i].config_old);
        else
            ini->log[i].cmd = lesson_read_word(c, cmd, lesson_path_idx(c, p, 1), 0);
    }
}

static void parse_raft_state(struct lctx *c, const cJSON *v, const char *path,
                             struct lesson_initial *ini)
{
    const cJSON *term = lesson_get(v, "term"), *vote = lesson_get(v, "voted_for"),
                *log = lesson_get(v, "log"), *terms = lesson_get(v, "log_terms");
    bool term_ok = true;
    if (term)
        term_ok = lesson_read_int(c, term, lesson_path_key(c, path, "term"), 0, LESSON_MAX_INT,
                                  &ini->term);
    if (vote) {
        int node = lesson_read_node(c, vote, lesson_path_key(c, path, "voted_for"), true);
        if (node >= -1)
            ini->voted_for = node;
        if (node >= 0 && term_ok && ini->term == 0)
            lesson_err(c, lesson_path_key(c, path, "voted_for"),
                       "a vote in term 0 is impossible: the first election is in term 1 (give "
                       "\"term\")");
    }
    if (log && terms) {
        lesson_err(c, path, "give log or log_terms, not both");
        return;
    }
    if (log)
        read_raft_log(c, log, lesson_path_key(c, path, "log"), false, ini);
    else if (terms)
        read_raft_log(c, terms, lesson_path_key(c, path, "log_terms"), true, ini);
    if (ini->n_log && term_ok) {
        int64_t last = ini->log[ini->n_log - 1].term;
        if (ini->term < last) {
            if (term)
                lesson_err(c, lesson_path_key(c, path, "term"),
                           "term %lld is lower than the last log term %lld", (long long)ini->term,
                           (long long)last);
            else
                lesson_err(c, path,
                           "term 0 (not given) is lower than the last log term %lld; add "
                           "\"term\": %lld",
                           (long long)last, (long long)last);
        }
    }
}

/* Log Matching (§5.3): if two logs hold an entry with the same index and
 * term, they are identical in every entry up to that index. */
static void check_log_matching(struct lctx *c, struct lesson *l)
{
    for (int a = 0; a < c->cfg->n_nodes; a++)
        for (int b = a + 1; b < c->cfg->n_nodes; b++) {
            const struct lesson_initial *x = &l->initial[a], *y = &l->initial[b];
            size_t n = x->n_log < y->n_log ? x->n_log : y->n_log;
            size_t last = 0; /* highest index (1-based) with equal terms */
            for (size_t i = n; i > 0; i--)
                if (x->log[i - 1].term == y->log[i - 1].term) {
                    last = i;
                    break;
                }
            for (size_t i = 0; i < last; i++) {
                const struct entry *ex = &x->log[i], *ey = &y->log[i];
                if (entry_same(ex, ey))
                    continue;
                lesson_err(c, lesson_path_key(c, "initial", c->cfg->names[b]),
                           "%s and %s both hold an entry of term %lld at index %zu, but their "
                           "logs differ at index %zu (Log Matching: logs that agree on an "
                           "entry agree on everything before it)",
                           c->cfg->names[a], c->cfg->names[b], (long long)x->log[last - 1].term,
                           last, i + 1);
                break;
            }
        }
}

/* ---- Paxos ---- */

static int cmp_accepted(const void *pa, const void *pb)
{
    const int64_t *a = pa, *b = pb;
    return (*a > *b) - (*a < *b);
}

static void parse_paxos_state(struct lctx *c, const cJSON *v, const char *path, int node,
                              struct lesson_initial *ini)
{
    const cJSON *promised = lesson_get(v, "promised"), *accepted = lesson_get(v, "accepted");
    const char *ppath = lesson_path_key(c, path, "promised");
    bool promise_ok = true;
    if (promised)
        promise_ok = lesson_read_ballot(c, promised, ppath, true, &ini->promised);
    if (c->roles_given && c->nodes_known && !c->cfg->acceptor[node] && (promised || accepted))
        lesson_err(c, path, "%s is not an acceptor, so it has no promise and accepts nothing",
                   c->cfg->names[node]);
    if (promise_ok && ini->promised.round && c->roles_given && c->nodes_known &&
        !c->cfg->proposer[ini->promised.node])
        lesson_err(c, ppath, "ballot %s: %s is not a proposer", ballot_text(c, ini->promised),
                   c->cfg->names[ini->promised.node]);
    if (!accepted)
        return;
    const char *apath = lesson_path_key(c, path, "accepted");
    if (!lesson_want_object(c, accepted, apath))
        return;
    size_t n = (size_t)cJSON_GetArraySize(accepted);
    if (n > LESSON_MAX_INITIAL_LOG) {
        lesson_err(c, apath, "%zu slots, more than the limit of %d", n, LESSON_MAX_INITIAL_LOG);
        return;
    }
    /* Sorted by slot: one array of {slot, index} keeps slots and values together. */
    struct {
        int64_t slot;
        size_t idx;
    } *order = lesson_alloc_array(c->a, n, sizeof *order);
    int64_t *slots = lesson_alloc_array(c->a, n, sizeof *slots);
    struct paxos_accepted_init *acc = lesson_alloc_array(c->a, n, sizeof *acc);
    size_t k = 0;
    for (const cJSON *e = accepted->child; e; e = e->next) {
        const char *p = lesson_path_key(c, apath, e->string);
        int64_t slot;
        if (!lesson_read_slot_key(c, e->string, p, &slot))
            continue;
        if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) != 2) {
            lesson_err(c, p, "expected [ballot, value] such as [\"2.S1\", \"blue\"], found %s",
                       lesson_describe(c, e));
            continue;
        }
        struct ballot b;
        const char *bpath = lesson_path_idx(c, p, 0);
        bool b_ok = lesson_read_ballot(c, e->child, bpath, false, &b);
        const char *value = lesson_read_word(c, e->child->next, lesson_path_idx(c, p, 1), 0);
        if (!b_ok || !value)
            continue;
        if (slot > 1 && !c->multi)
            lesson_err(c, p,
                       "slot %lld: Basic Paxos has only slot 1 (set cluster.options.multi "
                       "for Multi-Paxos)",
                       (long long)slot);
        if (promise_ok && ini->promised.round == 0)
            lesson_err(c, bpath,
                       "ballot %s accepted without a promise: an acceptor that accepts a "
                       "ballot has promised at least that ballot (add \"promised\": \"%s\")",
                       ballot_text(c, b), ballot_text(c, b));
        else if (promise_ok && ballot_cmp(b, ini->promised) > 0)
            lesson_err(c, bpath, "accepted ballot %s is above the promise %s", ballot_text(c, b),
                       ballot_text(c, ini->promised));
        if (c->roles_given && c->nodes_known && !c->cfg->proposer[b.node])
            lesson_err(c, bpath, "ballot %s: %s is not a proposer", ballot_text(c, b),
                       c->cfg->names[b.node]);
        order[k].slot = slot;
        order[k].idx = k;
        slots[k] = slot;
        acc[k].ballot = b;
        acc[k].value = value;
        k++;
    }
    qsort(order, k, sizeof *order, cmp_accepted);
    ini->slots = lesson_alloc_array(c->a, k, sizeof *ini->slots);
    ini->accepted = lesson_alloc_array(c->a, k, sizeof *ini->accepted);
    for (size_t i = 0; i < k; i++) {
        ini->slots[i] = slots[order[i].idx];
        ini->accepted[i] = acc[order[i].idx];
    }
    ini->n_accepted = k;
}

/* One ballot proposes one value per slot, so two acceptors that accepted the
 * same ballot in the same slot accepted the same value. */
static void check_one_value_per_ballot(struct lctx *c, struct lesson *l)
{
    for (int a = 0; a < c->cfg->n_nodes; a++)
        for (int b = a + 1; b < c->cfg->n_nodes; b++) {
            const struct lesson_initial *x = &l->initial[a], *y = &l->initial[b];
            for (size_t i = 0; i < x->n_accepted; i++)
                for (size_t j = 0; j < y->n_accepted; j++) {
                    if (x->slots[i] != y->slots[j] ||
                        ballot_cmp(x->accepted[i].ballot, y->accepted[j].ballot) != 0 ||
                        !strcmp(x->accepted[i].value, y->accepted[j].value))
                        continue;
                    char slot[32];
                    snprintf(slot, sizeof slot, "%lld", (long long)y->slots[j]);
                    lesson_err(
                        c,
                        lesson_path_key(
                            c,
                            lesson_path_key(c, lesson_path_key(c, "initial", c->cfg->names[b]),
                                            "accepted"),
                            slot),
                        "%s accepted %s and %s accepted %s in slot %s with the same "
                        "ballot %s: a ballot proposes one value per slot",
                        c->cfg->names[a], lesson_quote(c, x->accepted[i].value), c->cfg->names[b],
                        lesson_quote(c, y->accepted[j].value), slot,
                        ballot_text(c, y->accepted[j].ballot));
                }
        }
}

static bool is_node(struct lctx *c, const char *name)
{
    for (int i = 0; i < c->cfg->n_nodes; i++)
        if (!strcmp(c->cfg->names[i], name))
            return true;
    return false;
}

void lesson_parse_initial(struct lctx *c, const cJSON *v, struct lesson *l)
{
    if (!lesson_want_object(c, v, "initial"))
        return;
    if (c->proto == LP_BOTH || !c->nodes_known)
        return; /* without a protocol and nodes there is nothing to check against */
    size_t before = c->n_errors;
    for (const cJSON *e = v->child; e; e = e->next) {
        if (lesson_is_ext_key(e->string) && !is_node(c, e->string))
            continue;
        int node = lesson_lookup_node(c, e->string, "initial");
        if (node < 0)
            continue;
        const char *path = lesson_path_key(c, "initial", e->string);
        struct lesson_initial *ini = &l->initial[node];
        if (ini->given)
            continue; /* a duplicate key, reported by the scanner */
        if (!lesson_want_object(c, e, path))
            continue;
        ini->given = true;
        check_state_keys(c, e, path);
        if (c->proto == LP_RAFT)
            parse_raft_state(c, e, path, ini);
        else
            parse_paxos_state(c, e, path, node, ini);
    }
    if (c->n_errors != before)
        return;
    if (c->proto == LP_RAFT)
        check_log_matching(c, l);
    else
        check_one_value_per_ballot(c, l);
}
