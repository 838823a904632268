/* msg: copying, naming, field access and one-line descriptions of the
 * messages both engines exchange. Field names and types follow the lesson
 * format ("Raft message types and fields", "Paxos: ..."). */
#include "msg.h"

#include "raft_client.h"

#include <stdlib.h>
#include <string.h>

static const char *const type_names[MSG_TYPE_COUNT] = {
    [MSG_NONE] = "",
    [MSG_REQUEST_VOTE] = "RequestVote",
    [MSG_REQUEST_VOTE_REPLY] = "RequestVoteReply",
    [MSG_APPEND_ENTRIES] = "AppendEntries",
    [MSG_APPEND_ENTRIES_REPLY] = "AppendEntriesReply",
    [MSG_INSTALL_SNAPSHOT] = "InstallSnapshot",
    [MSG_INSTALL_SNAPSHOT_REPLY] = "InstallSnapshotReply",
    [MSG_PREPARE] = "Prepare",
    [MSG_PROMISE] = "Promise",
    [MSG_ACCEPT] = "Accept",
    [MSG_ACCEPTED] = "Accepted",
    [MSG_NACK] = "Nack",
    [MSG_CHOSEN] = "Chosen",
    [MSG_TIMEOUT_NOW] = "TimeoutNow",
};

static const char *const fields_rv[] = {"term",    "last_log_index", "last_log_term",
                                        "prevote", "transfer",       NULL};
static const char *const fields_rvr[] = {"term", "granted", "prevote", NULL};
static const char *const fields_ae[] = {
    "term", "prev_log_index", "prev_log_term", "entries", "leader_commit", "read_round", NULL};
static const char *const fields_aer[] = {
    "term", "success", "match_index", "conflict_term", "conflict_index", "read_round", NULL};
static const char *const fields_is[] = {
    "term", "last_included_index", "last_included_term", "config", "state", NULL};
static const char *const fields_isr[] = {"term", "match_index", NULL};
static const char *const fields_tn[] = {"term", NULL};
static const char *const fields_prepare[] = {"ballot", "slot", NULL};
static const char *const fields_promise[] = {"ballot", "slot", "accepted", NULL};
static const char *const fields_accept[] = {"ballot", "slot", "value", NULL};
static const char *const fields_nack[] = {"ballot", "promised", NULL};
static const char *const fields_chosen[] = {"slot", "value", NULL};
static const char *const fields_none[] = {NULL};

static void *dup_array(const void *src, size_t n, size_t elem)
{
    if (!n)
        return NULL;
    void *p = malloc(n * elem);
    if (!p)
        abort();
    memcpy(p, src, n * elem);
    return p;
}

void msg_clone(struct msg *dst, const struct msg *src)
{
    *dst = *src;
    if (src->type == MSG_APPEND_ENTRIES)
        dst->u.ae.entries =
            dup_array(src->u.ae.entries, src->u.ae.n_entries, sizeof *src->u.ae.entries);
    else if (src->type == MSG_INSTALL_SNAPSHOT) {
        dst->u.is.state = dup_array(src->u.is.state, src->u.is.n_state, sizeof *src->u.is.state);
        if (src->u.is.sm) {
            dst->u.is.sm = malloc(sizeof *dst->u.is.sm);
            if (!dst->u.is.sm)
                abort();
            raft_sm_clients_clone(dst->u.is.sm, src->u.is.sm);
        }
    } else if (src->type == MSG_PROMISE)
        dst->u.promise.accepted = dup_array(src->u.promise.accepted, src->u.promise.n_accepted,
                                            sizeof *src->u.promise.accepted);
}

void msg_free(struct msg *m)
{
    if (m->type == MSG_APPEND_ENTRIES) {
        free(m->u.ae.entries);
        m->u.ae.entries = NULL;
        m->u.ae.n_entries = 0;
    } else if (m->type == MSG_INSTALL_SNAPSHOT) {
        free(m->u.is.state);
        m->u.is.state = NULL;
        m->u.is.n_state = 0;
        if (m->u.is.sm) {
            raft_sm_clients_free(m->u.is.sm);
            free(m->u.is.sm);
            m->u.is.sm = NULL;
        }
    } else if (m->type == MSG_PROMISE) {
        free(m->u.promise.accepted);
        m->u.promise.accepted = NULL;
        m->u.promise.n_accepted = 0;
    }
}

const char *msg_type_name(enum msg_type t)
{
    return t > MSG_NONE && t < MSG_TYPE_COUNT ? type_names[t] : "?";
}

enum msg_type msg_type_parse(const char *name)
{
    for (int t = MSG_NONE + 1; t < MSG_TYPE_COUNT; t++)
        if (strcmp(type_names[t], name) == 0)
            return (enum msg_type)t;
    return MSG_NONE;
}

bool msg_type_in_protocol(enum msg_type t, enum protocol p)
{
    if (p == PROTO_RAFT)
        return (t >= MSG_REQUEST_VOTE && t <= MSG_INSTALL_SNAPSHOT_REPLY) || t == MSG_TIMEOUT_NOW;
    return t >= MSG_PREPARE && t <= MSG_CHOSEN;
}

const char *const *msg_type_fields(enum msg_type t)
{
    switch (t) {
    case MSG_REQUEST_VOTE:
        return fields_rv;
    case MSG_REQUEST_VOTE_REPLY:
        return fields_rvr;
    case MSG_APPEND_ENTRIES:
        return fields_ae;
    case MSG_APPEND_ENTRIES_REPLY:
        return fields_aer;
    case MSG_INSTALL_SNAPSHOT:
        return fields_is;
    case MSG_INSTALL_SNAPSHOT_REPLY:
        return fields_isr;
    case MSG_PREPARE:
        return fields_prepare;
    case MSG_PROMISE:
        return fields_promise;
    case MSG_ACCEPT:
    case MSG_ACCEPTED:
        return fields_accept;
    case MSG_NACK:
        return fields_nack;
    case MSG_CHOSEN:
        return fields_chosen;
    case MSG_TIMEOUT_NOW:
        return fields_tn;
    default:
        return fields_none;
    }
}

static void put_int(struct sbuf *out, int64_t v)
{
    sbuf_add_int(out, (long long)v);
}

static void put_bool(struct sbuf *out, bool v)
{
    sbuf_add(out, v ? "true" : "false");
}

static void put_ballot(struct sbuf *out, struct ballot b, const struct proto_config *cfg)
{
    char buf[48];
    if (b.round == 0)
        sbuf_add(out, "null");
    else
        sbuf_json_str(out, ballot_format(b, cfg, buf, sizeof buf));
}

static void put_node(struct sbuf *out, int node, const struct proto_config *cfg)
{
    if (node >= 0 && node < cfg->n_nodes)
        sbuf_json_str(out, cfg->names[node]);
    else
        sbuf_add(out, "null");
}

void msg_nodeset_json(struct sbuf *out, uint32_t set, const struct proto_config *cfg)
{
    bool first = true;
    sbuf_addc(out, '[');
    for (int i = 0; i < cfg->n_nodes; i++)
        if ((set >> i) & 1u) {
            if (!first)
                sbuf_addc(out, ',');
            first = false;
            sbuf_json_str(out, cfg->names[i]);
        }
    sbuf_addc(out, ']');
}

bool entry_same(const struct entry *a, const struct entry *b)
{
    if (a->term != b->term || a->config != b->config || a->config_old != b->config_old)
        return false;
    if (a->cmd == b->cmd)
        return true;
    return a->cmd && b->cmd && strcmp(a->cmd, b->cmd) == 0;
}

void entry_json(struct sbuf *out, const struct entry *e, const struct proto_config *cfg)
{
    sbuf_addc(out, '[');
    sbuf_add_int(out, (long long)e->term);
    sbuf_addc(out, ',');
    if (e->config) {
        sbuf_add(out, "{\"config\":");
        msg_nodeset_json(out, e->config, cfg);
        if (e->config_old) {
            sbuf_add(out, ",\"old\":");
            msg_nodeset_json(out, e->config_old, cfg);
        }
        sbuf_addc(out, '}');
    } else {
        sbuf_json_str(out, e->cmd ? e->cmd : "");
    }
    sbuf_addc(out, ']');
}

static void put_entries(struct sbuf *out, const struct entry *e, size_t n,
                        const struct proto_config *cfg)
{
    sbuf_addc(out, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            sbuf_addc(out, ',');
        entry_json(out, &e[i], cfg);
    }
    sbuf_addc(out, ']');
}

/* The configuration as the names of its nodes: ["S1","S2","S3"]. */
static void put_config(struct sbuf *out, uint32_t config, const struct proto_config *cfg)
{
    bool first = true;
    sbuf_addc(out, '[');
    for (int i = 0; i < cfg->n_nodes; i++)
        if (config & (1u << i)) {
            if (!first)
                sbuf_addc(out, ',');
            first = false;
            sbuf_json_str(out, cfg->names[i]);
        }
    sbuf_addc(out, ']');
}

static void put_strings(struct sbuf *out, const char *const *s, size_t n)
{
    sbuf_addc(out, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            sbuf_addc(out, ',');
        sbuf_json_str(out, s[i] ? s[i] : "");
    }
    sbuf_addc(out, ']');
}

/* InstallSnapshot and its reply (§7, Figure 13). */
static int field_snapshot(const struct msg *m, const struct proto_config *cfg, const char *f,
                          struct sbuf *out)
{
    if (m->type == MSG_INSTALL_SNAPSHOT_REPLY) {
        if (!strcmp(f, "term"))
            put_int(out, m->u.isr.term);
        else if (!strcmp(f, "match_index"))
            put_int(out, m->u.isr.match_index);
        else
            return -1;
        return 0;
    }
    if (!strcmp(f, "term"))
        put_int(out, m->u.is.term);
    else if (!strcmp(f, "last_included_index"))
        put_int(out, m->u.is.last_included_index);
    else if (!strcmp(f, "last_included_term"))
        put_int(out, m->u.is.last_included_term);
    else if (!strcmp(f, "config"))
        put_config(out, m->u.is.config, cfg);
    else if (!strcmp(f, "state"))
        put_strings(out, m->u.is.state, m->u.is.n_state);
    else
        return -1;
    return 0;
}

static void put_accepted(struct sbuf *out, const struct slot_value *a, size_t n,
                         const struct proto_config *cfg)
{
    sbuf_addc(out, '{');
    for (size_t i = 0; i < n; i++) {
        sbuf_add(out, i ? ",\"" : "\"");
        sbuf_add_int(out, (long long)a[i].slot);
        sbuf_add(out, "\":[");
        put_ballot(out, a[i].ballot, cfg);
        sbuf_addc(out, ',');
        sbuf_json_str(out, a[i].value);
        sbuf_addc(out, ']');
    }
    sbuf_addc(out, '}');
}

static int field_raft(const struct msg *m, const struct proto_config *cfg, const char *f,
                      struct sbuf *out)
{
    switch (m->type) {
    case MSG_REQUEST_VOTE:
        if (!strcmp(f, "term"))
            put_int(out, m->u.rv.term);
        else if (!strcmp(f, "last_log_index"))
            put_int(out, m->u.rv.last_log_index);
        else if (!strcmp(f, "last_log_term"))
            put_int(out, m->u.rv.last_log_term);
        else if (!strcmp(f, "prevote"))
            put_bool(out, m->u.rv.prevote);
        else if (!strcmp(f, "transfer"))
            put_bool(out, m->u.rv.transfer);
        else
            return -1;
        return 0;
    case MSG_REQUEST_VOTE_REPLY:
        if (!strcmp(f, "term"))
            put_int(out, m->u.rvr.term);
        else if (!strcmp(f, "granted"))
            put_bool(out, m->u.rvr.granted);
        else if (!strcmp(f, "prevote"))
            put_bool(out, m->u.rvr.prevote);
        else
            return -1;
        return 0;
    case MSG_APPEND_ENTRIES:
        if (!strcmp(f, "term"))
            put_int(out, m->u.ae.term);
        else if (!strcmp(f, "prev_log_index"))
            put_int(out, m->u.ae.prev_log_index);
        else if (!strcmp(f, "prev_log_term"))
            put_int(out, m->u.ae.prev_log_term);
        else if (!strcmp(f, "entries"))
            put_entries(out, m->u.ae.entries, m->u.ae.n_entries, cfg);
        else if (!strcmp(f, "leader_commit"))
            put_int(out, m->u.ae.leader_commit);
        else if (!strcmp(f, "read_round"))
            put_int(out, m->u.ae.read_round);
        else
            return -1;
        return 0;
    case MSG_APPEND_ENTRIES_REPLY:
        if (!strcmp(f, "term"))
            put_int(out, m->u.aer.term);
        else if (!strcmp(f, "success"))
            put_bool(out, m->u.aer.success);
        else if (!strcmp(f, "match_index"))
            put_int(out, m->u.aer.match_index);
        else if (!strcmp(f, "conflict_term"))
            put_int(out, m->u.aer.conflict_term);
        else if (!strcmp(f, "conflict_index"))
            put_int(out, m->u.aer.conflict_index);
        else if (!strcmp(f, "read_round"))
            put_int(out, m->u.aer.read_round);
        else
            return -1;
        return 0;
    case MSG_TIMEOUT_NOW:
        if (!strcmp(f, "term"))
            put_int(out, m->u.tn.term);
        else
            return -1;
        return 0;
    default:
        return -1;
    }
}

static int field_paxos(const struct msg *m, const struct proto_config *cfg, const char *f,
                       struct sbuf *out)
{
    switch (m->type) {
    case MSG_PREPARE:
        if (!strcmp(f, "ballot"))
            put_ballot(out, m->u.prepare.ballot, cfg);
        else if (!strcmp(f, "slot"))
            put_int(out, m->u.prepare.slot);
        else
            return -1;
        return 0;
    case MSG_PROMISE:
        if (!strcmp(f, "ballot"))
            put_ballot(out, m->u.promise.ballot, cfg);
        else if (!strcmp(f, "slot"))
            put_int(out, m->u.promise.slot);
        else if (!strcmp(f, "accepted"))
            put_accepted(out, m->u.promise.accepted, m->u.promise.n_accepted, cfg);
        else
            return -1;
        return 0;
    case MSG_ACCEPT:
    case MSG_ACCEPTED:
        if (!strcmp(f, "ballot"))
            put_ballot(out, m->u.accept.ballot, cfg);
        else if (!strcmp(f, "slot"))
            put_int(out, m->u.accept.slot);
        else if (!strcmp(f, "value"))
            sbuf_json_str(out, m->u.accept.value);
        else
            return -1;
        return 0;
    case MSG_NACK:
        if (!strcmp(f, "ballot"))
            put_ballot(out, m->u.nack.ballot, cfg);
        else if (!strcmp(f, "promised"))
            put_ballot(out, m->u.nack.promised, cfg);
        else
            return -1;
        return 0;
    case MSG_CHOSEN:
        if (!strcmp(f, "slot"))
            put_int(out, m->u.chosen.slot);
        else if (!strcmp(f, "value"))
            sbuf_json_str(out, m->u.chosen.value);
        else
            return -1;
        return 0;
    default:
        return -1;
    }
}

int msg_field(const struct msg *m, const struct proto_config *cfg, const char *name,
              struct sbuf *out)
{
    if (!strcmp(name, "type")) {
        sbuf_json_str(out, msg_type_name(m->type));
        return 0;
    }
    if (!strcmp(name, "from")) {
        put_node(out, m->from, cfg);
        return 0;
    }
    if (!strcmp(name, "to")) {
        put_node(out, m->to, cfg);
        return 0;
    }
    if (m->type == MSG_INSTALL_SNAPSHOT || m->type == MSG_INSTALL_SNAPSHOT_REPLY)
        return field_snapshot(m, cfg, name, out);
    if (msg_type_in_protocol(m->type, PROTO_RAFT))
        return field_raft(m, cfg, name, out);
    return field_paxos(m, cfg, name, out);
}

void msg_describe(const struct msg *m, const struct proto_config *cfg, struct sbuf *out)
{
    sbuf_add(out, msg_type_name(m->type));
    sbuf_addc(out, ' ');
    sbuf_add(out, m->from >= 0 && m->from < cfg->n_nodes ? cfg->names[m->from] : "?");
    sbuf_add(out, "\xe2\x86\x92");
    sbuf_add(out, m->to >= 0 && m->to < cfg->n_nodes ? cfg->names[m->to] : "?");
    for (const char *const *f = msg_type_fields(m->type); *f; f++) {
        /* Fast-backup hints and empty prevote flags are noise when unused. */
        if ((!strcmp(*f, "conflict_term") || !strcmp(*f, "conflict_index")) &&
            m->u.aer.conflict_term == 0 && m->u.aer.conflict_index == 0)
            continue;
        if (!strcmp(*f, "read_round") &&
            (m->type == MSG_APPEND_ENTRIES ? m->u.ae.read_round : m->u.aer.read_round) == 0)
            continue;
        if (!strcmp(*f, "prevote") &&
            !(m->type == MSG_REQUEST_VOTE ? m->u.rv.prevote : m->u.rvr.prevote))
            continue;
        if (!strcmp(*f, "transfer") && !m->u.rv.transfer)
            continue;
        /* A snapshot's state can be long: its size stands for it. */
        if (!strcmp(*f, "state")) {
            sbuf_printf(out, " state=[\xe2\x80\xa6%zu]", m->u.is.n_state);
            continue;
        }
        sbuf_addc(out, ' ');
        sbuf_add(out, *f);
        sbuf_addc(out, '=');
        msg_field(m, cfg, *f, out);
    }
}
