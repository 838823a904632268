/* raft_fields: a node's state as the lesson format's "Raft node fields",
 * each written as compact JSON text. */
#include <string.h>

#include "raft.h"

static const char *const field_names[] = {
    "up",           "role",        "term",           "voted_for",
    "log",          "log_terms",   "log_length",     "commit_index",
    "last_applied", "applied",     "leader_hint",    "votes",
    "next_index",   "match_index", "snapshot_index", "snapshot_term",
    "config",       "config_old",  "voting",         "catching_up",
    NULL,
};

const char *const *raft_fields(void)
{
    return field_names;
}

static void put_node(struct sbuf *out, const struct proto_config *cfg, int node)
{
    if (node >= 0 && node < cfg->n_nodes)
        sbuf_json_str(out, cfg->names[node]);
    else
        sbuf_add(out, "null");
}

static void put_int(struct sbuf *out, int64_t v)
{
    sbuf_printf(out, "%lld", (long long)v);
}

/* {"S2":3,"S3":1} for a leader (itself not listed), {} otherwise. */
static void put_per_follower(struct sbuf *out, const struct raft *r, const struct proto_config *cfg,
                             const int64_t *values)
{
    bool first = true;
    sbuf_addc(out, '{');
    if (r->v.up && r->v.role == RAFT_LEADER) {
        for (int i = 0; i < cfg->n_nodes; i++) {
            if (i == r->self)
                continue;
            if (!first)
                sbuf_addc(out, ',');
            first = false;
            sbuf_json_str(out, cfg->names[i]);
            sbuf_addc(out, ':');
            put_int(out, values[i]);
        }
    }
    sbuf_addc(out, '}');
}

static void put_log(struct sbuf *out, const struct raft *r, const struct proto_config *cfg,
                    bool terms_only)
{
    int64_t n = raft_log_length(r), first = raft_snapshot_index(r) + 1;
    sbuf_addc(out, '[');
    for (int64_t i = first; i <= n; i++) {
        const struct entry *e = raft_entry(r, i);
        if (i > first)
            sbuf_addc(out, ',');
        if (terms_only) {
            put_int(out, e->term);
        } else {
            entry_json(out, e, cfg);
        }
    }
    sbuf_addc(out, ']');
}

/* The commands of log[1..last_applied]: what the state machine has seen
 * (those a snapshot covers from its state, §7). */
static void put_applied(struct sbuf *out, const struct raft *r)
{
    int64_t n = r->v.last_applied;
    if (n > raft_log_length(r))
        n = raft_log_length(r);
    sbuf_addc(out, '[');
    bool first = true;
    for (int64_t i = 1; i <= n; i++) {
        /* A configuration is not a command (dissertation §4.1); in a
         * snapshot's state it is the NULL its entry's command was. A
         * duplicate (§6.3) was not applied again. */
        const struct entry *e = i <= raft_snapshot_index(r) ? NULL : raft_entry(r, i);
        if (e ? e->config != 0 : raft_snapshot_cmd(r, i) == NULL)
            continue;
        if (raft_applied_skipped(r, i))
            continue;
        if (!first)
            sbuf_addc(out, ',');
        first = false;
        const char *cmd = i <= raft_snapshot_index(r) ? raft_snapshot_cmd(r, i) : e->cmd;
        sbuf_json_str(out, cmd ? cmd : "");
    }
    sbuf_addc(out, ']');
}

static void put_votes(struct sbuf *out, const struct raft *r, const struct proto_config *cfg)
{
    sbuf_addc(out, '[');
    if (r->v.up && r->v.role != RAFT_FOLLOWER) {
        for (int i = 0; i < r->v.n_votes; i++) {
            if (i)
                sbuf_addc(out, ',');
            put_node(out, cfg, r->v.votes[i]);
        }
    }
    sbuf_addc(out, ']');
}

/* The configuration in use (lesson-format.md: "config", and "config_old",
 * null unless joint). */
static void put_config(struct sbuf *out, const struct raft *r, const struct proto_config *cfg,
                       bool old_half)
{
    uint32_t old, now = raft_config(r, cfg, &old);
    uint32_t set = old_half ? old : now;
    if (old_half && !old) {
        sbuf_add(out, "null");
        return;
    }
    msg_nodeset_json(out, set, cfg);
}

int raft_field(const struct raft *r, const struct proto_config *cfg, const char *name,
               struct sbuf *out)
{
    if (!strcmp(name, "up"))
        sbuf_add(out, r->v.up ? "true" : "false");
    else if (!strcmp(name, "role"))
        sbuf_json_str(out, raft_role_name(r->v.role));
    else if (!strcmp(name, "term"))
        put_int(out, r->p.term);
    else if (!strcmp(name, "voted_for"))
        put_node(out, cfg, r->p.voted_for);
    else if (!strcmp(name, "log"))
        put_log(out, r, cfg, false);
    else if (!strcmp(name, "log_terms"))
        put_log(out, r, cfg, true);
    else if (!strcmp(name, "log_length"))
        put_int(out, raft_log_length(r));
    else if (!strcmp(name, "commit_index"))
        put_int(out, r->v.commit_index);
    else if (!strcmp(name, "last_applied"))
        put_int(out, r->v.last_applied);
    else if (!strcmp(name, "applied"))
        put_applied(out, r);
    else if (!strcmp(name, "leader_hint"))
        put_node(out, cfg, r->v.leader_hint);
    else if (!strcmp(name, "votes"))
        put_votes(out, r, cfg);
    else if (!strcmp(name, "next_index"))
        put_per_follower(out, r, cfg, r->v.next_index);
    else if (!strcmp(name, "match_index"))
        put_per_follower(out, r, cfg, r->v.match_index);
    else if (!strcmp(name, "snapshot_index"))
        put_int(out, r->p.snap.index);
    else if (!strcmp(name, "snapshot_term"))
        put_int(out, r->p.snap.term);
    else if (!strcmp(name, "config") || !strcmp(name, "config_old"))
        put_config(out, r, cfg, name[6] == '_');
    else if (!strcmp(name, "voting"))
        sbuf_add(out, raft_voting(r, cfg) ? "true" : "false");
    else if (!strcmp(name, "catching_up"))
        put_node(out, cfg, r->v.up && r->v.catching_up ? r->v.catch_up_node : -1);
    else
        return -1;
    return 0;
}
