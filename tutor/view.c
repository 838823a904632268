/* view: the cluster described for display, from the sim and the engines'
 * read-only accessors. */
#include "view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "protocols/paxos.h"
#include "protocols/raft.h"

void view_init(struct view *v)
{
    memset(v, 0, sizeof *v);
}

void view_free(struct view *v)
{
    for (int i = 0; i < PROTO_MAX_NODES; i++)
        free(v->nodes[i].cells);
    free(v->msgs);
    view_init(v);
}

/* The single-letter marker of a role or phase name ("leader" -> 'L'). */
static char view_role_letter(enum protocol p, const char *role)
{
    if (p == PROTO_RAFT)
        return !strcmp(role, "leader") ? 'L' : !strcmp(role, "candidate") ? 'C' : 'F';
    if (!strcmp(role, "prepare"))
        return 'P';
    if (!strcmp(role, "accept"))
        return 'A';
    if (!strcmp(role, "leader"))
        return 'L';
    return 'I';
}

long view_find_msg(const struct view *v, uint64_t id)
{
    for (size_t i = 0; i < v->n_msgs; i++)
        if (v->msgs[i].id == id)
            return (long)i;
    return -1;
}

static struct view_cell *cells_for(struct view *v, int i, size_t n)
{
    if (n > v->cap_cells[i]) {
        size_t cap = v->cap_cells[i] ? v->cap_cells[i] : 16;
        while (cap < n)
            cap *= 2;
        struct view_cell *c = realloc(v->nodes[i].cells, cap * sizeof *c);
        if (!c)
            abort();
        v->nodes[i].cells = c;
        v->cap_cells[i] = cap;
    }
    v->nodes[i].n_cells = n;
    /* Every field starts cleared: each protocol sets only its own (a Paxos
     * slot has no snapshot or configuration). */
    if (n)
        memset(v->nodes[i].cells, 0, n * sizeof *v->nodes[i].cells);
    return v->nodes[i].cells;
}

static void node_name(const struct sim *s, int i, char *out, size_t n)
{
    snprintf(out, n, "%s", i >= 0 && i < s->cfg.n_nodes ? s->cfg.names[i] : "-");
}

/* The node's key-value store (§8) as "x=2 y=1", keys in the order first
 * set, cut with "..." when it does not fit. */
static void view_kv(const struct raft *r, char *out, size_t size)
{
    size_t len = 0;
    out[0] = 0;
    for (size_t k = 0; k < raft_kv_count(r); k++) {
        const char *cmd = raft_kv_at(r, k)->cmd;
        size_t need = strlen(cmd) + (len ? 1 : 0);
        if (len + need + 4 > size) {
            snprintf(out + len, size - len, "%s...", len ? " " : "");
            return;
        }
        len += (size_t)snprintf(out + len, size - len, "%s%s", len ? " " : "", cmd);
    }
}

static void build_raft(struct view *v, const struct sim *s, int i)
{
    const struct raft *r = sim_node_const(s, i);
    struct view_node *n = &v->nodes[i];
    n->up = r->v.up;
    snprintf(n->role, sizeof n->role, "%s", raft_role_name(r->v.role));
    n->letter = n->up ? view_role_letter(PROTO_RAFT, n->role) : '-';
    n->term = r->p.term;
    snprintf(n->term_s, sizeof n->term_s, "%lld", (long long)r->p.term);
    node_name(s, r->p.voted_for, n->vote_s, sizeof n->vote_s);
    n->commit = n->up ? r->v.commit_index : 0;
    n->applied = n->up ? r->v.last_applied : 0;
    n->leader_hint = n->up ? r->v.leader_hint : -1;
    n->leader = n->up && r->v.role == RAFT_LEADER;
    n->has_repl = n->leader;
    n->n_votes = n->up && r->v.role != RAFT_FOLLOWER ? r->v.n_votes : 0;
    for (int k = 0; k < PROTO_MAX_NODES; k++) {
        n->next_index[k] = n->has_repl ? r->v.next_index[k] : 0;
        n->match_index[k] = n->has_repl ? r->v.match_index[k] : 0;
    }
    view_kv(r, n->kv, sizeof n->kv);
    int64_t len = raft_log_length(r);
    n->snapshot_index = raft_snapshot_index(r);
    n->snapshot_term = raft_term_at(r, n->snapshot_index);
    struct view_cell *c = cells_for(v, i, (size_t)len);
    for (int64_t k = 1; k <= len; k++) {
        const struct entry *e = raft_entry(r, k);
        struct view_cell *cell = &c[k - 1];
        cell->index = k;
        /* Entries a snapshot covers keep their index and command (§7). */
        cell->compacted = !e;
        cell->term = e ? e->term : raft_term_at(r, k);
        cell->text = e ? e->cmd : raft_snapshot_cmd(r, k);
        cell->ballot[0] = 0;
        cell->committed = k <= n->commit;
        cell->applied = k <= n->applied;
        cell->chosen = NULL;
        cell->learned = NULL;
        /* A configuration entry a snapshot covers left only a NULL in the
         * state machine's state: it shows as an empty command. */
        cell->config = e ? e->config : 0;
        cell->config_old = e ? e->config_old : 0;
        v->membership |= cell->config != 0;
    }
    n->config = raft_config(r, &s->cfg, &n->config_old);
    n->voting = raft_voting(r, &s->cfg);
    n->catching_up = r->v.up && r->v.catching_up ? r->v.catch_up_node : -1;
    v->membership |= n->catching_up >= 0;
}

void view_nodeset(const struct view *v, uint32_t set, char *out, size_t n)
{
    size_t len = 0;
    out[0] = 0;
    for (int i = 0; i < v->n_nodes && len + 1 < n; i++)
        if ((set >> i) & 1u)
            len += (size_t)snprintf(out + len, n - len, "%s%s", len ? "," : "", v->nodes[i].name);
}

void view_raft_cell(const struct view *v, const struct view_cell *c, char *out, size_t n)
{
    if (!c->config) {
        snprintf(out, n, "%lld:%s", (long long)c->term, c->text ? c->text : "");
        return;
    }
    char now[64], old[64] = "";
    view_nodeset(v, c->config, now, sizeof now);
    if (c->config_old)
        view_nodeset(v, c->config_old, old, sizeof old);
    snprintf(out, n, "%lld:C{%s%s%s}", (long long)c->term, old, c->config_old ? ">" : "", now);
}

/* The JSON text of a ballot field ("\"2.S1\"" or null) as "2.S1" or "-". */
static void field_ballot(const struct sim *s, int i, const char *field, char *out, size_t n)
{
    struct sbuf b;
    sbuf_init(&b);
    if (sim_node_field(s, i, field, &b) == 0 && b.len >= 2 && b.s[0] == '"')
        snprintf(out, n, "%.*s", (int)(b.len - 2), b.s + 1);
    else
        snprintf(out, n, "-");
    sbuf_free(&b);
}

static void build_paxos(struct view *v, const struct sim *s, int i)
{
    const struct paxos *x = sim_node_const(s, i);
    struct view_node *n = &v->nodes[i];
    n->catching_up = -1;
    n->up = paxos_up(x);
    enum paxos_phase ph = paxos_phase_of(x);
    snprintf(n->role, sizeof n->role, "%s", paxos_phase_name(ph));
    n->letter = n->up ? view_role_letter(PROTO_PAXOS, n->role) : '-';
    n->term = x->p.promised.round;
    if (x->p.promised.round > 0)
        ballot_format(x->p.promised, &s->cfg, n->term_s, sizeof n->term_s);
    else
        snprintf(n->term_s, sizeof n->term_s, "-");
    if (n->up)
        field_ballot(s, i, "proposing", n->vote_s, sizeof n->vote_s);
    else
        snprintf(n->vote_s, sizeof n->vote_s, "-");
    n->leader = n->up && ph == PAXOS_LEADER;
    n->leader_hint = -1;
    int64_t max = paxos_max_slot(x);
    if (max < 1 && !v->multi)
        max = 1; /* Basic Paxos: the one slot is always shown */
    struct view_cell *c = cells_for(v, i, (size_t)(max > 0 ? max : 0));
    int64_t learned = 0, applied = 0;
    bool gap = false;
    for (int64_t k = 1; k <= max; k++) {
        struct view_cell *cell = &c[k - 1];
        const struct paxos_accepted *a = paxos_accepted_at(x, k);
        const char *l = n->up ? paxos_learned_at(x, k) : NULL;
        cell->index = k;
        cell->term = a ? a->ballot.round : 0;
        cell->text = a ? a->value : NULL;
        if (a && a->ballot.round > 0)
            ballot_format(a->ballot, &s->cfg, cell->ballot, sizeof cell->ballot);
        else
            cell->ballot[0] = 0;
        cell->chosen = monitor_chosen(&s->mon, k);
        cell->committed = cell->chosen != NULL;
        cell->applied = l != NULL;
        cell->learned = l;
        if (l) {
            learned++;
            if (!gap)
                applied++;
        } else {
            gap = true;
        }
    }
    n->commit = learned;
    n->applied = applied;
}

static void build_msgs(struct view *v, const struct sim *s)
{
    if (s->n_pending > v->cap_msgs) {
        size_t cap = v->cap_msgs ? v->cap_msgs : 16;
        while (cap < s->n_pending)
            cap *= 2;
        struct view_msg *m = realloc(v->msgs, cap * sizeof *m);
        if (!m)
            abort();
        v->msgs = m;
        v->cap_msgs = cap;
    }
    v->n_msgs = s->n_pending;
    struct sbuf b;
    sbuf_init(&b);
    for (size_t i = 0; i < s->n_pending; i++) {
        const struct sim_msg *sm = &s->pending[i];
        struct view_msg *m = &v->msgs[i];
        m->id = sm->id;
        m->from = sm->m.from;
        m->to = sm->m.to;
        m->type = msg_type_name(sm->m.type);
        m->due = sm->due;
        m->duplicate = sm->duplicate;
        m->injected = sm->injected;
        m->link_open = sim_link_open(s, sm->m.from, sm->m.to);
        sbuf_reset(&b);
        msg_describe(&sm->m, &s->cfg, &b);
        /* Skip "Type A→B" (the list shows those in columns of their own). */
        const char *d = b.s;
        for (int sp = 0; sp < 2 && d; sp++) {
            d = strchr(d, ' ');
            if (d)
                d++;
        }
        snprintf(m->detail, sizeof m->detail, "%s", d ? d : "");
    }
    sbuf_free(&b);
}

void view_build(struct view *v, const struct sim *s)
{
    v->protocol = s->ops->protocol;
    v->n_nodes = s->cfg.n_nodes;
    v->multi = v->protocol == PROTO_PAXOS && (s->cfg.options[0] & OPT_MULTI);
    v->now = s->now;
    v->next_event = sim_next_event_time(s);
    v->events = s->events;
    v->timer_span = s->cfg.election_max > s->cfg.heartbeat ? s->cfg.election_max : s->cfg.heartbeat;
    for (int i = 0; i < s->cfg.n_nodes; i++)
        if (s->cfg.fixed_timeout[i] > v->timer_span)
            v->timer_span = s->cfg.fixed_timeout[i];
    if (v->timer_span < 1)
        v->timer_span = 1;
    v->violated = s->mon.violated;
    snprintf(v->violation, sizeof v->violation, "%s", s->mon.violation);
    v->partitioned = v->grouped = false;
    v->membership = v->protocol == PROTO_RAFT && s->cfg.members != 0;
    for (int i = 0; i < v->n_nodes; i++) {
        struct view_node *n = &v->nodes[i];
        snprintf(n->name, sizeof n->name, "%s", s->cfg.names[i]);
        n->timer = s->nodes[i].timer;
        n->group = s->group[i];
        if (s->group[i] != s->group[0])
            v->partitioned = v->grouped = true;
        for (int k = 0; k < v->n_nodes; k++) {
            v->cut[i][k] = s->cut[i][k];
            if (s->cut[i][k])
                v->partitioned = true;
        }
        if (v->protocol == PROTO_RAFT)
            build_raft(v, s, i);
        else
            build_paxos(v, s, i);
        if (!n->up)
            n->timer = -1;
    }
    v->leader = v->protocol == PROTO_RAFT ? facts_leader(s) : -1;
    build_msgs(v, s);
}
