/* lesson_facts: facts (expect, run until, goals, predict quizzes), message
 * filters (`match`) and hand-made messages (`inject`), checked against the
 * lesson's protocol, nodes and message types. */
#include <stdlib.h>
#include <string.h>

#include "tutor/lesson_internal.h"

static const struct cluster_fact {
    const char *name;
    enum fact_kind kind;
    unsigned proto;
} cluster_facts[] = {
    {"leader", FACT_LEADER, LP_RAFT},
    {"leaders_in_term", FACT_LEADERS_IN_TERM, LP_RAFT},
    {"committed", FACT_COMMITTED, LP_RAFT},
    {"chosen", FACT_CHOSEN, LP_PAXOS},
    {"pending", FACT_PENDING, LP_BOTH},
    {"time", FACT_TIME, LP_BOTH},
    {"safe", FACT_SAFE, LP_BOTH},
    {"all", FACT_ALL, LP_BOTH},
    {"any", FACT_ANY, LP_BOTH},
    {"not", FACT_NOT, LP_BOTH},
    {"reads", FACT_READS, LP_RAFT},
    {"answered", FACT_ANSWERED, LP_RAFT},
};
#define N_CLUSTER_FACTS (sizeof cluster_facts / sizeof cluster_facts[0])

static unsigned type_proto(enum msg_type t)
{
    return msg_type_in_protocol(t, PROTO_RAFT) ? LP_RAFT : LP_PAXOS;
}

static const struct cluster_fact *find_cluster_fact(const char *name)
{
    for (size_t i = 0; i < N_CLUSTER_FACTS; i++)
        if (!strcmp(cluster_facts[i].name, name))
            return &cluster_facts[i];
    return NULL;
}

/* ---- message types and filters ---- */

static const char *dym_type(struct lctx *c, const char *word)
{
    const char *names[MSG_TYPE_COUNT + 1];
    size_t n = 0;
    for (int t = MSG_NONE + 1; t < MSG_TYPE_COUNT; t++)
        if (type_proto((enum msg_type)t) & c->proto)
            names[n++] = msg_type_name((enum msg_type)t);
    names[n] = NULL;
    return lesson_dym(c, word, names);
}

/* A message type name of the lesson's protocol, or MSG_NONE (reported). */
static enum msg_type read_type(struct lctx *c, const cJSON *v, const char *path)
{
    if (!cJSON_IsString(v)) {
        lesson_err(c, path, "expected a message type name, found %s", lesson_describe(c, v));
        return MSG_NONE;
    }
    enum msg_type t = msg_type_parse(v->valuestring);
    if (t == MSG_NONE) {
        lesson_err(c, path, "unknown message type %s%s", lesson_quote(c, v->valuestring),
                   dym_type(c, v->valuestring));
        return MSG_NONE;
    }
    if (!(type_proto(t) & c->proto)) {
        lesson_err(c, path, "%s is a %s message; this lesson's protocol is %s", msg_type_name(t),
                   lesson_proto_title(type_proto(t)), lesson_proto_name(c->proto));
        return MSG_NONE;
    }
    return t;
}

static bool type_has_field(enum msg_type t, const char *name)
{
    for (const char *const *f = msg_type_fields(t); *f; f++)
        if (!strcmp(*f, name))
            return true;
    return false;
}

/* Checks a message field name for type t (MSG_NONE: any type of the
 * protocol); returns its spec or NULL (reported). */
static const struct lesson_fieldspec *msg_field_for(struct lctx *c, enum msg_type t,
                                                    const char *name, const char *path)
{
    if (t != MSG_NONE) {
        if (type_has_field(t, name))
            return lesson_msg_field(name);
        lesson_err(c, path, "%s has no field %s%s", msg_type_name(t), lesson_quote(c, name),
                   lesson_dym(c, name, msg_type_fields(t)));
        return NULL;
    }
    const struct lesson_fieldspec *f = lesson_msg_field(name);
    if (f && (f->proto & c->proto))
        return f;
    const char *names[32];
    size_t n = 0;
    names[n++] = "type";
    names[n++] = "from";
    names[n++] = "to";
    for (size_t i = 0; i < lesson_n_msg_fields; i++)
        if (lesson_msg_fields[i].proto & c->proto)
            names[n++] = lesson_msg_fields[i].name;
    names[n] = NULL;
    lesson_err(c, path, "unknown message field %s%s", lesson_quote(c, name),
               lesson_dym(c, name, names));
    return NULL;
}

bool lesson_parse_filter(struct lctx *c, const cJSON *v, const char *path, struct msg_filter *out)
{
    size_t before = c->n_errors;
    memset(out, 0, sizeof *out);
    out->type = MSG_NONE;
    out->from = out->to = -1;
    if (!cJSON_IsObject(v)) {
        lesson_err(c, path,
                   "expected a message filter (an object such as {\"type\": ...}), "
                   "found %s",
                   lesson_describe(c, v));
        return false;
    }
    const cJSON *t = lesson_get(v, "type");
    if (t)
        out->type = read_type(c, t, lesson_path_key(c, path, "type"));
    if (t && out->type == MSG_NONE)
        return false; /* its fields can't be checked without it */
    size_t n = 0;
    for (const cJSON *e = v->child; e; e = e->next)
        n++;
    out->fields = lesson_alloc_array(c->a, n, sizeof *out->fields);
    for (const cJSON *e = v->child; e; e = e->next) {
        const char *p = lesson_path_key(c, path, e->string);
        if (lesson_is_ext_key(e->string) || !strcmp(e->string, "type"))
            continue;
        if (!strcmp(e->string, "from")) {
            out->from = lesson_read_node(c, e, p, false);
            continue;
        }
        if (!strcmp(e->string, "to")) {
            out->to = lesson_read_node(c, e, p, false);
            continue;
        }
        const struct lesson_fieldspec *f = msg_field_for(c, out->type, e->string, path);
        if (!f)
            continue;
        if (lesson_check_value(c, f->kind, e, p))
            out->fields[out->n_fields++] = (struct lesson_field){f->name, e};
    }
    return c->n_errors == before;
}

/* ---- inject: a hand-made message ---- */

static int64_t *int_slot(struct msg *m, const char *f)
{
    switch (m->type) {
    case MSG_REQUEST_VOTE:
        return !strcmp(f, "term")             ? &m->u.rv.term
               : !strcmp(f, "last_log_index") ? &m->u.rv.last_log_index
                                              : &m->u.rv.last_log_term;
    case MSG_REQUEST_VOTE_REPLY:
        return &m->u.rvr.term;
    case MSG_APPEND_ENTRIES:
        return !strcmp(f, "term")             ? &m->u.ae.term
               : !strcmp(f, "prev_log_index") ? &m->u.ae.prev_log_index
               : !strcmp(f, "prev_log_term")  ? &m->u.ae.prev_log_term
               : !strcmp(f, "read_round")     ? &m->u.ae.read_round
                                              : &m->u.ae.leader_commit;
    case MSG_INSTALL_SNAPSHOT:
        return !strcmp(f, "term")                  ? &m->u.is.term
               : !strcmp(f, "last_included_index") ? &m->u.is.last_included_index
                                                   : &m->u.is.last_included_term;
    case MSG_INSTALL_SNAPSHOT_REPLY:
        return !strcmp(f, "term") ? &m->u.isr.term : &m->u.isr.match_index;
    case MSG_APPEND_ENTRIES_REPLY:
        return !strcmp(f, "term")            ? &m->u.aer.term
               : !strcmp(f, "match_index")   ? &m->u.aer.match_index
               : !strcmp(f, "conflict_term") ? &m->u.aer.conflict_term
               : !strcmp(f, "read_round")    ? &m->u.aer.read_round
                                             : &m->u.aer.conflict_index;
    case MSG_TIMEOUT_NOW:
        return &m->u.tn.term;
    case MSG_PREPARE:
        return &m->u.prepare.slot;
    case MSG_PROMISE:
        return &m->u.promise.slot;
    case MSG_ACCEPT:
    case MSG_ACCEPTED:
        return &m->u.accept.slot;
    case MSG_CHOSEN:
        return &m->u.chosen.slot;
    default:
        abort();
    }
}

static bool *bool_slot(struct msg *m, const char *f)
{
    switch (m->type) {
    case MSG_REQUEST_VOTE:
        return !strcmp(f, "transfer") ? &m->u.rv.transfer : &m->u.rv.prevote;
    case MSG_REQUEST_VOTE_REPLY:
        return !strcmp(f, "granted") ? &m->u.rvr.granted : &m->u.rvr.prevote;
    case MSG_APPEND_ENTRIES_REPLY:
        return &m->u.aer.success;
    default:
        abort();
    }
}

static struct ballot *ballot_slot(struct msg *m, const char *f)
{
    switch (m->type) {
    case MSG_PREPARE:
        return &m->u.prepare.ballot;
    case MSG_PROMISE:
        return &m->u.promise.ballot;
    case MSG_ACCEPT:
    case MSG_ACCEPTED:
        return &m->u.accept.ballot;
    case MSG_NACK:
        return !strcmp(f, "ballot") ? &m->u.nack.ballot : &m->u.nack.promised;
    default:
        abort();
    }
}

static const char **str_slot(struct msg *m)
{
    switch (m->type) {
    case MSG_ACCEPT:
    case MSG_ACCEPTED:
        return &m->u.accept.value;
    case MSG_CHOSEN:
        return &m->u.chosen.value;
    default:
        abort();
    }
}

static int cmp_slot_value(const void *a, const void *b)
{
    const struct slot_value *x = a, *y = b;
    return (x->slot > y->slot) - (x->slot < y->slot);
}

static bool read_entries(struct lctx *c, const cJSON *v, const char *path, struct msg *m)
{
    if (!lesson_want_array(c, v, path))
        return false;
    size_t n = (size_t)cJSON_GetArraySize(v);
    if (n > LESSON_MAX_INITIAL_LOG) {
        lesson_err(c, path, "%zu entries, more than the limit of %d", n, LESSON_MAX_INITIAL_LOG);
        return false;
    }
    struct entry *es = lesson_alloc_array(c->a, n, sizeof *es);
    bool ok = true;
    size_t i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++)
        ok &= lesson_read_entry(c, e, lesson_path_idx(c, path, i), 1, &es[i]);
    m->u.ae.entries = n ? es : NULL;
    m->u.ae.n_entries = n;
    return ok;
}

/* InstallSnapshot's config (names -> a bit per node) and state (the
 * applied commands, in order). */
static bool read_snapshot_config(struct lctx *c, const cJSON *v, const char *path, struct msg *m)
{
    if (!lesson_want_array(c, v, path))
        return false;
    bool ok = true;
    size_t i = 0;
    m->u.is.config = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        int node = lesson_read_node(c, e, lesson_path_idx(c, path, i), false);
        if (node >= 0)
            m->u.is.config |= 1u << node;
        ok &= node >= 0;
    }
    return ok;
}

static bool read_snapshot_state(struct lctx *c, const cJSON *v, const char *path, struct msg *m)
{
    if (!lesson_want_array(c, v, path))
        return false;
    size_t n = (size_t)cJSON_GetArraySize(v);
    if (n > LESSON_MAX_INITIAL_LOG) {
        lesson_err(c, path, "%zu commands, more than the limit of %d", n, LESSON_MAX_INITIAL_LOG);
        return false;
    }
    const char **cmds = lesson_alloc_array(c->a, n, sizeof *cmds);
    bool ok = true;
    size_t i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        cmds[i] = lesson_read_word(c, e, lesson_path_idx(c, path, i), 0);
        ok &= cmds[i] != NULL;
    }
    m->u.is.state = n ? cmds : NULL;
    m->u.is.n_state = n;
    return ok;
}

static bool read_promise_accepted(struct lctx *c, const cJSON *v, const char *path, struct msg *m)
{
    if (!lesson_want_object(c, v, path))
        return false;
    size_t n = (size_t)cJSON_GetArraySize(v);
    struct slot_value *sv = lesson_alloc_array(c->a, n, sizeof *sv);
    bool ok = true;
    size_t i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        const char *p = lesson_path_key(c, path, e->string);
        ok &= lesson_read_slot_key(c, e->string, p, &sv[i].slot);
        if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) != 2) {
            lesson_err(c, p, "expected [ballot, value] such as [\"2.S1\", \"blue\"], found %s",
                       lesson_describe(c, e));
            ok = false;
            continue;
        }
        ok &= lesson_read_ballot(c, e->child, lesson_path_idx(c, p, 0), false, &sv[i].ballot);
        sv[i].value = lesson_read_word(c, e->child->next, lesson_path_idx(c, p, 1), 0);
        ok &= sv[i].value != NULL;
    }
    qsort(sv, n, sizeof *sv, cmp_slot_value);
    for (size_t k = 1; k < n && ok; k++)
        if (sv[k].slot == sv[k - 1].slot) {
            lesson_err(c, path, "slot %lld given twice", (long long)sv[k].slot);
            ok = false;
        }
    m->u.promise.accepted = n ? sv : NULL;
    m->u.promise.n_accepted = n;
    return ok;
}

bool lesson_parse_message(struct lctx *c, const cJSON *v, const char *path, struct msg *out)
{
    size_t before = c->n_errors;
    memset(out, 0, sizeof *out);
    out->from = out->to = -1;
    if (!lesson_want_object(c, v, path))
        return false;
    bool ok = lesson_require(c, v, path, "type");
    ok &= lesson_require(c, v, path, "from");
    ok &= lesson_require(c, v, path, "to");
    const cJSON *t = lesson_get(v, "type");
    if (!t)
        return false;
    out->type = read_type(c, t, lesson_path_key(c, path, "type"));
    if (out->type == MSG_NONE)
        return false;
    /* Omitted fields keep their zero value, slot 0 included: the Paxos engine
     * reads slot 0 as slot 1 in Basic Paxos and, in a Prepare, as every slot. */
    for (const cJSON *e = v->child; e; e = e->next) {
        const char *name = e->string;
        const char *p = lesson_path_key(c, path, name);
        if (lesson_is_ext_key(name) || !strcmp(name, "type"))
            continue;
        if (!strcmp(name, "from") || !strcmp(name, "to")) {
            int node = lesson_read_node(c, e, p, false);
            *(!strcmp(name, "from") ? &out->from : &out->to) = node;
            continue;
        }
        const struct lesson_fieldspec *f = msg_field_for(c, out->type, name, path);
        if (!f)
            continue;
        bool b;
        switch (f->kind) {
        case VK_INT:
            lesson_read_int(c, e, p, 0, LESSON_MAX_INT, int_slot(out, name));
            break;
        case VK_SLOT:
            lesson_read_int(c, e, p, 0, LESSON_MAX_SLOT, int_slot(out, name));
            break;
        case VK_BOOL:
            if (lesson_read_bool(c, e, p, &b))
                *bool_slot(out, name) = b;
            break;
        case VK_BALLOT_OR_NULL:
            lesson_read_ballot(c, e, p, true, ballot_slot(out, name));
            break;
        case VK_STR_OR_NULL:
            *str_slot(out) = cJSON_IsNull(e) ? NULL : lesson_read_word(c, e, p, 0);
            break;
        case VK_LOG:
            read_entries(c, e, p, out);
            break;
        case VK_ACCEPTED_MAP:
            read_promise_accepted(c, e, p, out);
            break;
        case VK_NODE_ARRAY:
            read_snapshot_config(c, e, p, out);
            break;
        case VK_STR_ARRAY:
            read_snapshot_state(c, e, p, out);
            break;
        default:
            break;
        }
    }
    if (ok && c->nodes_known && out->from >= 0 && out->from == out->to)
        lesson_err(c, path, "from and to are the same node");
    return c->n_errors == before;
}

/* ---- facts ---- */

static bool parse_cluster_fact(struct lctx *c, const struct cluster_fact *cf, const cJSON *v,
                               const char *vpath, const char *fpath, struct fact *out);

static const char *dym_cluster_fact(struct lctx *c, const char *word)
{
    const char *names[N_CLUSTER_FACTS + 2];
    size_t n = 0;
    names[n++] = "node";
    for (size_t i = 0; i < N_CLUSTER_FACTS; i++)
        if (cluster_facts[i].proto & c->proto)
            names[n++] = cluster_facts[i].name;
    names[n] = NULL;
    return lesson_dym(c, word, names);
}

static bool parse_node_fact(struct lctx *c, const cJSON *v, const char *path, struct fact *out)
{
    size_t before = c->n_errors;
    out->kind = FACT_NODE;
    out->node = lesson_read_node(c, lesson_get(v, "node"), lesson_path_key(c, path, "node"), false);
    size_t n = 0;
    for (const cJSON *e = v->child; e; e = e->next)
        n++;
    out->fields = lesson_alloc_array(c->a, n, sizeof *out->fields);
    for (const cJSON *e = v->child; e; e = e->next) {
        if (lesson_is_ext_key(e->string) || !strcmp(e->string, "node"))
            continue;
        const struct lesson_fieldspec *f = lesson_node_field(c->proto, e->string);
        if (!f) {
            const struct cluster_fact *cf = find_cluster_fact(e->string);
            if (cf)
                lesson_err(c, path,
                           "\"%s\" is a cluster fact and can't be part of a node fact "
                           "(combine them with \"all\")",
                           cf->name);
            else
                lesson_err(c, path, "unknown node field %s%s", lesson_quote(c, e->string),
                           lesson_dym_node_field(c, e->string));
            continue;
        }
        if (lesson_check_value(c, f->kind, e, lesson_path_key(c, path, e->string)))
            out->fields[out->n_fields++] = (struct lesson_field){f->name, e};
    }
    if (c->n_errors == before && out->n_fields == 0)
        lesson_err(c, path, "a node fact needs at least one field besides \"node\"");
    return c->n_errors == before;
}

bool lesson_parse_fact(struct lctx *c, const cJSON *v, const char *path, struct fact *out)
{
    size_t before = c->n_errors;
    memset(out, 0, sizeof *out);
    out->path = path;
    out->node = -1;
    if (!cJSON_IsObject(v)) {
        lesson_err(c, path,
                   "expected a fact (an object such as {\"node\": \"S1\", ...}), "
                   "found %s",
                   lesson_describe(c, v));
        return false;
    }
    if (lesson_get(v, "node"))
        return parse_node_fact(c, v, path, out);
    size_t n = 0, n_keys = 0;
    for (const cJSON *e = v->child; e; e = e->next) {
        if (lesson_is_ext_key(e->string))
            continue;
        n_keys++;
        const struct cluster_fact *cf = find_cluster_fact(e->string);
        if (!cf) {
            if (lesson_node_field(LP_BOTH, e->string))
                lesson_err(c, path,
                           "node field \"%s\" needs the node: {\"node\": \"S1\", \"%s\": ...}",
                           e->string, e->string);
            else
                lesson_err(c, path, "unknown fact %s%s", lesson_quote(c, e->string),
                           dym_cluster_fact(c, e->string));
        } else if (!(cf->proto & c->proto)) {
            lesson_err(c, path, "\"%s\" is a %s fact; this lesson's protocol is %s", cf->name,
                       lesson_proto_title(cf->proto), lesson_proto_name(c->proto));
        } else {
            n++;
        }
    }
    if (n_keys == 0) {
        lesson_err(c, path,
                   "empty fact: give \"node\" and fields, or a cluster fact "
                   "(leader, chosen, pending, time, safe, all, any, not, ...)");
        return false;
    }
    if (c->n_errors != before)
        return false;
    if (n == 1) {
        for (const cJSON *e = v->child; e; e = e->next)
            if (!lesson_is_ext_key(e->string))
                return parse_cluster_fact(c, find_cluster_fact(e->string), e,
                                          lesson_path_key(c, path, e->string), path, out);
    }
    /* Several cluster facts in one object: all of them must hold. */
    out->kind = FACT_ALL;
    out->kids = lesson_alloc_array(c->a, n, sizeof *out->kids);
    for (const cJSON *e = v->child; e; e = e->next) {
        if (lesson_is_ext_key(e->string))
            continue;
        const char *p = lesson_path_key(c, path, e->string);
        struct fact *kid = &out->kids[out->n_kids++];
        memset(kid, 0, sizeof *kid);
        kid->node = -1;
        parse_cluster_fact(c, find_cluster_fact(e->string), e, p, p, kid);
    }
    return c->n_errors == before;
}

static bool parse_fact_list(struct lctx *c, const cJSON *v, const char *path, struct fact *out)
{
    if (!lesson_want_array(c, v, path))
        return false;
    size_t n = (size_t)cJSON_GetArraySize(v);
    if (n == 0) {
        lesson_err(c, path, "expected at least one fact");
        return false;
    }
    out->kids = lesson_alloc_array(c->a, n, sizeof *out->kids);
    bool ok = true;
    for (const cJSON *e = v->child; e; e = e->next) {
        ok &=
            lesson_parse_fact(c, e, lesson_path_idx(c, path, out->n_kids), &out->kids[out->n_kids]);
        out->n_kids++;
    }
    return ok;
}

/* `reads`: [{"node": name, "key": k, "value": v or null}, ...];
 * `answered`: [{"client": c, "seq": n}, ...] (dissertation §6.3-6.4). */
static void parse_client_list(struct lctx *c, const cJSON *v, const char *vpath, bool reads,
                              struct fact *out)
{
    static const char *const read_keys[] = {"node", "key", "value", NULL};
    static const char *const answer_keys[] = {"client", "seq", NULL};
    if (!lesson_want_array(c, v, vpath))
        return;
    size_t before = c->n_errors, i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        const char *p = lesson_path_idx(c, vpath, i);
        if (!lesson_want_object(c, e, p))
            continue;
        lesson_check_keys(c, e, p, reads ? read_keys : answer_keys, N_("key"));
        for (const char *const *k = reads ? read_keys : answer_keys; *k; k++) {
            if (!lesson_require(c, e, p, *k))
                continue;
            const cJSON *x = lesson_get(e, *k);
            const char *kp = lesson_path_key(c, p, *k);
            int64_t n;
            if (!strcmp(*k, "node"))
                lesson_read_node(c, x, kp, false);
            else if (!strcmp(*k, "seq"))
                lesson_read_int(c, x, kp, 1, LESSON_MAX_INT, &n);
            else if (!(!strcmp(*k, "value") && cJSON_IsNull(x)))
                lesson_read_word(c, x, kp, 0);
        }
    }
    if (c->n_errors == before)
        out->value = v;
}

static bool parse_cluster_fact(struct lctx *c, const struct cluster_fact *cf, const cJSON *v,
                               const char *vpath, const char *fpath, struct fact *out)
{
    size_t before = c->n_errors;
    out->kind = cf->kind;
    out->path = fpath;
    out->node = -1;
    switch (cf->kind) {
    case FACT_LEADER:
        out->node = lesson_read_node(c, v, vpath, true);
        break;
    case FACT_LEADERS_IN_TERM: {
        static const char *const keys[] = {"term", "count", NULL};
        if (!cJSON_IsObject(v)) {
            lesson_err(c, vpath, "expected {\"term\": t, \"count\": n}, found %s",
                       lesson_describe(c, v));
            break;
        }
        lesson_check_keys(c, v, vpath, keys, N_("key"));
        if (lesson_require(c, v, vpath, "term"))
            lesson_read_int(c, lesson_get(v, "term"), lesson_path_key(c, vpath, "term"), 0,
                            LESSON_MAX_INT, &out->term);
        if (lesson_require(c, v, vpath, "count"))
            lesson_read_int(c, lesson_get(v, "count"), lesson_path_key(c, vpath, "count"), 0,
                            PROTO_MAX_NODES, &out->count);
        break;
    }
    case FACT_COMMITTED:
        if (lesson_check_value(c, VK_STR_ARRAY, v, vpath))
            out->value = v;
        break;
    case FACT_CHOSEN:
        out->slot = 1;
        /* null: nothing is chosen (yet) in that slot. */
        if (cJSON_IsString(v) || cJSON_IsNull(v)) {
            out->value = v;
        } else if (cJSON_IsObject(v)) {
            static const char *const keys[] = {"slot", "value", NULL};
            lesson_check_keys(c, v, vpath, keys, N_("key"));
            if (lesson_require(c, v, vpath, "slot"))
                lesson_read_int(c, lesson_get(v, "slot"), lesson_path_key(c, vpath, "slot"), 1,
                                LESSON_MAX_SLOT, &out->slot);
            if (lesson_require(c, v, vpath, "value")) {
                const cJSON *val = lesson_get(v, "value");
                if (cJSON_IsNull(val) ||
                    lesson_check_value(c, VK_STR, val, lesson_path_key(c, vpath, "value")))
                    out->value = val;
            }
            if (out->slot > 1 && !c->multi && c->proto == LP_PAXOS)
                lesson_err(c, vpath,
                           "slot %lld: Basic Paxos has only slot 1 (set "
                           "cluster.options.multi for Multi-Paxos)",
                           (long long)out->slot);
        } else {
            lesson_err(c, vpath,
                       "expected a value string, null or {\"slot\": k, \"value\": v}, "
                       "found %s",
                       lesson_describe(c, v));
        }
        break;
    case FACT_PENDING: {
        static const char *const keys[] = {"match", "count", NULL};
        out->filter.type = MSG_NONE;
        out->filter.from = out->filter.to = -1;
        if (!cJSON_IsObject(v)) {
            lesson_err(c, vpath, "expected {\"match\": filter, \"count\": n}, found %s",
                       lesson_describe(c, v));
            break;
        }
        lesson_check_keys(c, v, vpath, keys, N_("key"));
        const cJSON *m = lesson_get(v, "match");
        if (m)
            lesson_parse_filter(c, m, lesson_path_key(c, vpath, "match"), &out->filter);
        if (lesson_require(c, v, vpath, "count"))
            lesson_read_int(c, lesson_get(v, "count"), lesson_path_key(c, vpath, "count"), 0,
                            LESSON_MAX_INT, &out->count);
        break;
    }
    case FACT_TIME:
        lesson_read_ms(c, v, vpath, 0, &out->count);
        break;
    case FACT_SAFE:
        if (!cJSON_IsTrue(v))
            lesson_err(c, vpath, "expected true (the only value of safe), found %s",
                       lesson_describe(c, v));
        break;
    case FACT_ALL:
    case FACT_ANY:
        parse_fact_list(c, v, vpath, out);
        break;
    case FACT_NOT:
        out->kids = lesson_alloc(c->a, sizeof *out->kids);
        out->n_kids = 1;
        lesson_parse_fact(c, v, vpath, &out->kids[0]);
        break;
    case FACT_READS:
    case FACT_ANSWERED:
        parse_client_list(c, v, vpath, cf->kind == FACT_READS, out);
        break;
    case FACT_NODE:
        break;
    }
    return c->n_errors == before;
}
