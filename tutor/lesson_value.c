/* lesson_value: typed readers of JSON values (integers, times, names,
 * ballots, ranges, options) and the tables of node and message fields;
 * every reader reports what it refuses with the JSON path. */
#include <libintl.h>
#include <math.h>
#include <string.h>
#include <strings.h>

#include "tutor/lesson_internal.h"

const struct lesson_fieldspec lesson_node_fields[] = {
    {"up", VK_BOOL, LP_BOTH},
    {"role", VK_ROLE, LP_RAFT},
    {"term", VK_INT, LP_RAFT},
    {"voted_for", VK_NODE_OR_NULL, LP_RAFT},
    {"log", VK_LOG, LP_RAFT},
    {"log_terms", VK_INT_ARRAY, LP_RAFT},
    {"log_length", VK_INT, LP_RAFT},
    {"commit_index", VK_INT, LP_RAFT},
    {"last_applied", VK_INT, LP_RAFT},
    {"applied", VK_STR_ARRAY, LP_BOTH},
    {"leader_hint", VK_NODE_OR_NULL, LP_RAFT},
    {"votes", VK_NODE_ARRAY, LP_RAFT},
    {"next_index", VK_NODE_INT_MAP, LP_RAFT},
    {"match_index", VK_NODE_INT_MAP, LP_RAFT},
    {"snapshot_index", VK_INT, LP_RAFT},
    {"snapshot_term", VK_INT, LP_RAFT},
    {"config", VK_NODE_ARRAY, LP_RAFT},
    {"config_old", VK_NODE_ARRAY_OR_NULL, LP_RAFT},
    {"voting", VK_BOOL, LP_RAFT},
    {"catching_up", VK_NODE_OR_NULL, LP_RAFT},
    {"promised", VK_BALLOT_OR_NULL, LP_PAXOS},
    {"accepted", VK_ACCEPTED_MAP, LP_PAXOS},
    {"accepted_ballot", VK_BALLOT_OR_NULL, LP_PAXOS},
    {"accepted_value", VK_STR_OR_NULL, LP_PAXOS},
    {"learned", VK_SLOT_STR_MAP, LP_PAXOS},
    {"learned_value", VK_STR_OR_NULL, LP_PAXOS},
    {"proposing", VK_BALLOT_OR_NULL, LP_PAXOS},
    {"phase", VK_PHASE, LP_PAXOS},
};
const size_t lesson_n_node_fields = sizeof lesson_node_fields / sizeof lesson_node_fields[0];

const struct lesson_fieldspec lesson_msg_fields[] = {
    {"term", VK_INT, LP_RAFT},
    {"last_log_index", VK_INT, LP_RAFT},
    {"last_log_term", VK_INT, LP_RAFT},
    {"prevote", VK_BOOL, LP_RAFT},
    {"transfer", VK_BOOL, LP_RAFT},
    {"granted", VK_BOOL, LP_RAFT},
    {"prev_log_index", VK_INT, LP_RAFT},
    {"prev_log_term", VK_INT, LP_RAFT},
    {"entries", VK_LOG, LP_RAFT},
    {"leader_commit", VK_INT, LP_RAFT},
    {"success", VK_BOOL, LP_RAFT},
    {"match_index", VK_INT, LP_RAFT},
    {"conflict_term", VK_INT, LP_RAFT},
    {"conflict_index", VK_INT, LP_RAFT},
    {"ballot", VK_BALLOT_OR_NULL, LP_PAXOS},
    {"slot", VK_SLOT, LP_PAXOS},
    {"accepted", VK_ACCEPTED_MAP, LP_PAXOS},
    {"value", VK_STR_OR_NULL, LP_PAXOS},
    {"promised", VK_BALLOT_OR_NULL, LP_PAXOS},
    /* InstallSnapshot (§7) */
    {"last_included_index", VK_INT, LP_RAFT},
    {"last_included_term", VK_INT, LP_RAFT},
    {"config", VK_NODE_ARRAY, LP_RAFT},
    {"state", VK_STR_ARRAY, LP_RAFT},
    /* ReadIndex heartbeat rounds (dissertation §6.4) */
    {"read_round", VK_INT, LP_RAFT},
};
const size_t lesson_n_msg_fields = sizeof lesson_msg_fields / sizeof lesson_msg_fields[0];

static const char *const role_names[] = {"follower", "candidate", "leader", NULL};
static const char *const phase_names[] = {"idle", "prepare", "accept", "leader", NULL};

static const struct option_spec {
    const char *name;
    unsigned bit;
    unsigned proto;
} options[] = {
    {"prevote", OPT_PREVOTE, LP_RAFT},
    {"check_quorum", OPT_CHECK_QUORUM, LP_RAFT},
    {"noop_on_election", OPT_NOOP_ON_ELECTION, LP_RAFT},
    {"fast_backup", OPT_FAST_BACKUP, LP_RAFT},
    {"membership", OPT_JOINT, LP_RAFT}, /* "single" or "joint", not a bool */
    {"leader_stickiness", OPT_LEADER_STICKINESS, LP_RAFT},
    {"multi", OPT_MULTI, LP_PAXOS},
    {"nack", OPT_NACK, LP_PAXOS},
};
#define N_OPTIONS (sizeof options / sizeof options[0])

const struct lesson_fieldspec *lesson_node_field(unsigned proto, const char *name)
{
    for (size_t i = 0; i < lesson_n_node_fields; i++)
        if ((lesson_node_fields[i].proto & proto) && !strcmp(lesson_node_fields[i].name, name))
            return &lesson_node_fields[i];
    return NULL;
}

const struct lesson_fieldspec *lesson_msg_field(const char *name)
{
    for (size_t i = 0; i < lesson_n_msg_fields; i++)
        if (!strcmp(lesson_msg_fields[i].name, name))
            return &lesson_msg_fields[i];
    return NULL;
}

const char *lesson_dym_node_field(struct lctx *c, const char *word)
{
    const struct lesson_fieldspec *other = lesson_node_field(LP_BOTH, word);
    if (other && !(other->proto & c->proto))
        return lesson_sprintf(c->a, gettext(" (a %s field; this lesson's protocol is %s)"),
                              lesson_proto_title(other->proto), lesson_proto_name(c->proto));
    const char *names[sizeof lesson_node_fields / sizeof lesson_node_fields[0] + 1];
    size_t n = 0;
    for (size_t i = 0; i < lesson_n_node_fields; i++)
        if (lesson_node_fields[i].proto & c->proto)
            names[n++] = lesson_node_fields[i].name;
    names[n] = NULL;
    return lesson_dym(c, word, names);
}

const cJSON *lesson_get(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

bool lesson_is_ext_key(const char *key)
{
    return key && key[0] == 'x' && key[1] == '-';
}

static bool simple_key(const char *k)
{
    if (!*k)
        return false;
    for (; *k; k++)
        if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9') ||
              *k == '_' || *k == '-'))
            return false;
    return true;
}

char *lesson_path_key(struct lctx *c, const char *base, const char *key)
{
    if (simple_key(key))
        return *base ? lesson_sprintf(c->a, "%s.%s", base, key) : lesson_strdup(c->a, key);
    return lesson_sprintf(c->a, "%s[%s]", base, lesson_quote(c, key));
}

char *lesson_path_idx(struct lctx *c, const char *base, size_t i)
{
    return lesson_sprintf(c->a, "%s[%zu]", base, i);
}

bool lesson_want_object(struct lctx *c, const cJSON *v, const char *path)
{
    if (cJSON_IsObject(v))
        return true;
    lesson_err(c, path, "expected an object, found %s", lesson_describe(c, v));
    return false;
}

bool lesson_want_array(struct lctx *c, const cJSON *v, const char *path)
{
    if (cJSON_IsArray(v))
        return true;
    lesson_err(c, path, "expected an array, found %s", lesson_describe(c, v));
    return false;
}

/* ">= 0" reads better than "from 0 to 9007199254740992", unless the value
 * found is above the maximum. */
static const char *range_text(struct lctx *c, int64_t min, int64_t max, const cJSON *v)
{
    bool above = cJSON_IsNumber(v) && v->valuedouble > (double)max;
    if (max >= LESSON_MAX_INT && !above)
        return lesson_sprintf(c->a, ">= %lld", (long long)min);
    return lesson_sprintf(c->a, gettext("from %lld to %lld"), (long long)min, (long long)max);
}

bool lesson_read_int(struct lctx *c, const cJSON *v, const char *path, int64_t min, int64_t max,
                     int64_t *out)
{
    if (!cJSON_IsNumber(v)) {
        lesson_err(c, path, "expected an integer %s, found %s", range_text(c, min, max, v),
                   lesson_describe(c, v));
        return false;
    }
    double d = v->valuedouble;
    if (isfinite(d) && d == floor(d) && fabs(d) <= (double)LESSON_MAX_INT && d >= (double)min &&
        d <= (double)max) {
        *out = (int64_t)d;
        return true;
    }
    if (isfinite(d) && d != floor(d))
        lesson_err(c, path, "expected an integer, found %s", lesson_describe(c, v));
    else
        lesson_err(c, path, "expected an integer %s, found %s", range_text(c, min, max, v),
                   lesson_describe(c, v));
    return false;
}

static bool read_ms_upto(struct lctx *c, const cJSON *v, const char *path, int64_t min, int64_t max,
                         int64_t *out)
{
    if (cJSON_IsNumber(v) && isfinite(v->valuedouble) && v->valuedouble != floor(v->valuedouble))
        return lesson_read_int(c, v, path, min, max, out); /* "expected an integer" */
    if (cJSON_IsNumber(v) && v->valuedouble >= (double)min && v->valuedouble <= (double)max) {
        *out = (int64_t)v->valuedouble;
        return true;
    }
    lesson_err(c, path, "expected a time in ms from %lld to %lld, found %s", (long long)min,
               (long long)max, lesson_describe(c, v));
    return false;
}

bool lesson_read_ms(struct lctx *c, const cJSON *v, const char *path, int64_t min, int64_t *out)
{
    return read_ms_upto(c, v, path, min, LESSON_MAX_MS, out);
}

bool lesson_read_duration(struct lctx *c, const cJSON *v, const char *path, int64_t min,
                          int64_t *out)
{
    return read_ms_upto(c, v, path, min, LESSON_MAX_RUN_MS, out);
}

bool lesson_read_bool(struct lctx *c, const cJSON *v, const char *path, bool *out)
{
    if (cJSON_IsBool(v)) {
        *out = cJSON_IsTrue(v);
        return true;
    }
    lesson_err(c, path, "expected true or false, found %s", lesson_describe(c, v));
    return false;
}

bool lesson_read_prob(struct lctx *c, const cJSON *v, const char *path, uint64_t *ppb)
{
    if (cJSON_IsNumber(v) && isfinite(v->valuedouble) && v->valuedouble >= 0 &&
        v->valuedouble <= 1) {
        *ppb = (uint64_t)llround(v->valuedouble * 1e9);
        return true;
    }
    lesson_err(c, path, "expected a probability from 0 to 1, found %s", lesson_describe(c, v));
    return false;
}

const char *lesson_read_text(struct lctx *c, const cJSON *v, const char *path)
{
    if (!cJSON_IsString(v)) {
        lesson_err(c, path, "expected a string, found %s", lesson_describe(c, v));
        return NULL;
    }
    return lesson_sanitize(c->a, v->valuestring);
}

const char *lesson_read_word(struct lctx *c, const cJSON *v, const char *path, size_t max)
{
    if (!cJSON_IsString(v)) {
        lesson_err(c, path, "expected a string, found %s", lesson_describe(c, v));
        return NULL;
    }
    const char *s = v->valuestring;
    if (!max)
        max = LESSON_MAX_STRING;
    if (!*s) {
        lesson_err(c, path, "must not be empty");
        return NULL;
    }
    if (strlen(s) > max) {
        lesson_err(c, path, "%s is longer than %zu bytes", lesson_quote(c, s), max);
        return NULL;
    }
    if (lesson_has_control(s)) {
        lesson_err(c, path, "%s contains a control character or invalid UTF-8", lesson_quote(c, s));
        return NULL;
    }
    return lesson_strdup(c->a, s);
}

int lesson_lookup_node(struct lctx *c, const char *name, const char *path)
{
    if (!c->nodes_known)
        return 0;
    for (int i = 0; i < c->cfg->n_nodes; i++)
        if (!strcmp(c->cfg->names[i], name))
            return i;
    /* Suggest a name only when it is clearly a typo: "S4" is not "S1". */
    const char *best = NULL;
    for (int i = 0; i < c->cfg->n_nodes && !best; i++)
        if (!strcasecmp(c->cfg->names[i], name))
            best = c->cfg->names[i];
    if (!best && strlen(name) >= 4)
        best =
            lesson_suggest(name, c->cfg->names, sizeof c->cfg->names[0], (size_t)c->cfg->n_nodes);
    if (best)
        lesson_err(c, path, "unknown node %s (did you mean \"%s\"?)", lesson_quote(c, name), best);
    else
        lesson_err(c, path, "unknown node %s (nodes: %s)", lesson_quote(c, name),
                   lesson_node_list(c));
    return -2;
}

int lesson_read_node(struct lctx *c, const cJSON *v, const char *path, bool allow_null)
{
    if (allow_null && cJSON_IsNull(v))
        return -1;
    if (cJSON_IsString(v))
        return lesson_lookup_node(c, v->valuestring, path);
    lesson_err(c, path, "expected a node name%s, found %s", allow_null ? gettext(" or null") : "",
               lesson_describe(c, v));
    return -2;
}

static bool lesson_parse_ballot_str(struct lctx *c, const char *s, const char *path,
                                    struct ballot *out)
{
    const char *dot = strchr(s, '.');
    size_t nd = dot ? (size_t)(dot - s) : 0;
    bool digits = nd > 0 && nd <= 15;
    for (size_t i = 0; i < nd && digits; i++)
        digits = s[i] >= '0' && s[i] <= '9';
    if (!dot || !digits || !dot[1] || (nd > 1 && s[0] == '0')) {
        lesson_err(c, path, "expected a ballot \"round.node\" such as \"2.S1\", found %s",
                   lesson_quote(c, s));
        return false;
    }
    int64_t round = 0;
    for (size_t i = 0; i < nd; i++)
        round = round * 10 + (s[i] - '0');
    if (round < 1) {
        lesson_err(c, path, "ballot %s: rounds start at 1", lesson_quote(c, s));
        return false;
    }
    int node = lesson_lookup_node(c, dot + 1, path);
    if (node < 0)
        return false;
    out->round = round;
    out->node = node;
    return true;
}

bool lesson_read_ballot(struct lctx *c, const cJSON *v, const char *path, bool allow_null,
                        struct ballot *out)
{
    if (allow_null && cJSON_IsNull(v)) {
        out->round = 0;
        out->node = 0;
        return true;
    }
    if (cJSON_IsString(v))
        return lesson_parse_ballot_str(c, v->valuestring, path, out);
    lesson_err(c, path, "expected a ballot \"round.node\"%s, found %s",
               allow_null ? gettext(" or null") : "", lesson_describe(c, v));
    return false;
}

bool lesson_read_slot_key(struct lctx *c, const char *key, const char *path, int64_t *out)
{
    size_t n = strlen(key);
    bool ok = n > 0 && n <= 7 && key[0] != '0';
    for (size_t i = 0; i < n && ok; i++)
        ok = key[i] >= '0' && key[i] <= '9';
    int64_t v = 0;
    for (size_t i = 0; i < n && ok; i++)
        v = v * 10 + (key[i] - '0');
    if (!ok || v < 1 || v > LESSON_MAX_SLOT) {
        lesson_err(c, path, "expected a slot number from 1 to %d as key, found %s", LESSON_MAX_SLOT,
                   lesson_quote(c, key));
        return false;
    }
    *out = v;
    return true;
}

static bool read_enum(struct lctx *c, const cJSON *v, const char *path, const char *what,
                      const char *const *names)
{
    if (!cJSON_IsString(v)) {
        lesson_err(c, path, "expected a %s name, found %s", gettext(what), lesson_describe(c, v));
        return false;
    }
    for (size_t i = 0; names[i]; i++)
        if (!strcmp(names[i], v->valuestring))
            return true;
    lesson_err(c, path, "unknown %s %s%s", gettext(what), lesson_quote(c, v->valuestring),
               lesson_dym(c, v->valuestring, names));
    return false;
}

static bool check_log(struct lctx *c, const cJSON *v, const char *path)
{
    if (!lesson_want_array(c, v, path))
        return false;
    bool ok = true;
    size_t i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        struct entry en;
        ok &= lesson_read_entry(c, e, lesson_path_idx(c, path, i), 0, &en);
    }
    return ok;
}

static bool check_accepted_map(struct lctx *c, const cJSON *v, const char *path)
{
    if (!lesson_want_object(c, v, path))
        return false;
    bool ok = true;
    for (const cJSON *e = v->child; e; e = e->next) {
        const char *p = lesson_path_key(c, path, e->string);
        int64_t slot;
        ok &= lesson_read_slot_key(c, e->string, p, &slot);
        if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) != 2) {
            lesson_err(c, p, "expected [ballot, value] such as [\"2.S1\", \"blue\"], found %s",
                       lesson_describe(c, e));
            ok = false;
            continue;
        }
        struct ballot b;
        ok &= lesson_read_ballot(c, e->child, lesson_path_idx(c, p, 0), false, &b);
        if (!cJSON_IsString(e->child->next)) {
            lesson_err(c, lesson_path_idx(c, p, 1), "expected a value string, found %s",
                       lesson_describe(c, e->child->next));
            ok = false;
        }
    }
    return ok;
}

bool lesson_check_value(struct lctx *c, enum lesson_vkind kind, const cJSON *v, const char *path)
{
    int64_t i64;
    bool b;
    struct ballot bal;
    bool ok = true;
    size_t i = 0;
    switch (kind) {
    case VK_BOOL:
        return lesson_read_bool(c, v, path, &b);
    case VK_INT:
        return lesson_read_int(c, v, path, 0, LESSON_MAX_INT, &i64);
    case VK_SLOT: /* 0 is a message's zero value (an injected message without a slot) */
        return lesson_read_int(c, v, path, 0, LESSON_MAX_SLOT, &i64);
    case VK_NODE_OR_NULL:
        return lesson_read_node(c, v, path, true) >= -1;
    case VK_ROLE:
        return read_enum(c, v, path, N_("role"), role_names);
    case VK_PHASE:
        return read_enum(c, v, path, N_("phase"), phase_names);
    case VK_LOG:
        return check_log(c, v, path);
    case VK_INT_ARRAY:
        if (!lesson_want_array(c, v, path))
            return false;
        for (const cJSON *e = v->child; e; e = e->next, i++)
            ok &= lesson_read_int(c, e, lesson_path_idx(c, path, i), 0, LESSON_MAX_INT, &i64);
        return ok;
    case VK_STR_ARRAY:
        if (!lesson_want_array(c, v, path))
            return false;
        for (const cJSON *e = v->child; e; e = e->next, i++)
            if (!cJSON_IsString(e)) {
                lesson_err(c, lesson_path_idx(c, path, i), "expected a string, found %s",
                           lesson_describe(c, e));
                ok = false;
            }
        return ok;
    case VK_NODE_ARRAY_OR_NULL:
        if (cJSON_IsNull(v))
            return true;
        /* fall through */
    case VK_NODE_ARRAY:
        if (!lesson_want_array(c, v, path))
            return false;
        for (const cJSON *e = v->child; e; e = e->next, i++)
            ok &= lesson_read_node(c, e, lesson_path_idx(c, path, i), false) >= 0;
        return ok;
    case VK_NODE_INT_MAP:
        if (!lesson_want_object(c, v, path))
            return false;
        for (const cJSON *e = v->child; e; e = e->next) {
            const char *p = lesson_path_key(c, path, e->string);
            ok &= lesson_lookup_node(c, e->string, p) >= 0;
            ok &= lesson_read_int(c, e, p, 0, LESSON_MAX_INT, &i64);
        }
        return ok;
    case VK_BALLOT_OR_NULL:
        return lesson_read_ballot(c, v, path, true, &bal);
    case VK_ACCEPTED_MAP:
        return check_accepted_map(c, v, path);
    case VK_SLOT_STR_MAP:
        if (!lesson_want_object(c, v, path))
            return false;
        for (const cJSON *e = v->child; e; e = e->next) {
            const char *p = lesson_path_key(c, path, e->string);
            ok &= lesson_read_slot_key(c, e->string, p, &i64);
            if (!cJSON_IsString(e)) {
                lesson_err(c, p, "expected a value string, found %s", lesson_describe(c, e));
                ok = false;
            }
        }
        return ok;
    case VK_STR_OR_NULL:
        if (cJSON_IsNull(v))
            return true;
        /* fall through */
    case VK_STR:
        if (cJSON_IsString(v))
            return true;
        lesson_err(c, path, "expected a string%s, found %s",
                   kind == VK_STR ? "" : gettext(" or null"), lesson_describe(c, v));
        return false;
    }
    return false;
}

bool lesson_check_keys(struct lctx *c, const cJSON *obj, const char *path, const char *const *names,
                       const char *what)
{
    bool ok = true;
    for (const cJSON *e = obj->child; e; e = e->next) {
        if (lesson_is_ext_key(e->string))
            continue;
        bool known = false;
        for (size_t i = 0; names[i] && !known; i++)
            known = !strcmp(names[i], e->string);
        if (known)
            continue;
        lesson_err(c, path, "unknown %s %s%s", gettext(what), lesson_quote(c, e->string),
                   lesson_dym(c, e->string, names));
        ok = false;
    }
    return ok;
}

bool lesson_require(struct lctx *c, const cJSON *obj, const char *path, const char *key)
{
    if (lesson_get(obj, key))
        return true;
    lesson_err(c, path, "missing key \"%s\"", key);
    return false;
}

bool lesson_read_range(struct lctx *c, const cJSON *v, const char *path, int64_t min_allowed,
                       bool allow_plain, int64_t *lo, int64_t *hi)
{
    if (allow_plain && cJSON_IsNumber(v)) {
        if (!lesson_read_ms(c, v, path, min_allowed, lo))
            return false;
        *hi = *lo;
        return true;
    }
    if (!cJSON_IsObject(v)) {
        lesson_err(c, path, "expected {\"min\": ms, \"max\": ms}%s, found %s",
                   allow_plain ? gettext(" or ms") : "", lesson_describe(c, v));
        return false;
    }
    static const char *const keys[] = {"min", "max", NULL};
    bool ok = lesson_check_keys(c, v, path, keys, N_("key"));
    ok &= lesson_require(c, v, path, "min");
    ok &= lesson_require(c, v, path, "max");
    if (!ok)
        return false;
    if (!lesson_read_ms(c, lesson_get(v, "min"), lesson_path_key(c, path, "min"), min_allowed,
                        lo) ||
        !lesson_read_ms(c, lesson_get(v, "max"), lesson_path_key(c, path, "max"), min_allowed, hi))
        return false;
    if (*lo > *hi) {
        lesson_err(c, path, "min %lld is greater than max %lld", (long long)*lo, (long long)*hi);
        return false;
    }
    return true;
}

bool lesson_read_options(struct lctx *c, const cJSON *v, const char *path, bool in_cluster,
                         unsigned *on, unsigned *off)
{
    *on = *off = 0;
    if (!lesson_want_object(c, v, path))
        return false;
    bool ok = true;
    for (const cJSON *e = v->child; e; e = e->next) {
        if (lesson_is_ext_key(e->string))
            continue;
        if (!strcmp(e->string, SNAPSHOT_EVERY)) {
            if (c->proto & LP_RAFT)
                continue; /* a number, read by lesson_read_snapshot_every */
            lesson_err(c, path, "\"%s\" is a Raft option; this lesson's protocol is %s",
                       SNAPSHOT_EVERY, lesson_proto_name(c->proto));
            ok = false;
            continue;
        }
        if (!strcmp(e->string, CATCH_UP_ROUNDS)) {
            if (!(c->proto & LP_RAFT))
                lesson_err(c, path, "\"%s\" is a Raft option; this lesson's protocol is %s",
                           CATCH_UP_ROUNDS, lesson_proto_name(c->proto));
            else if (!in_cluster)
                lesson_err(c, path, "\"%s\" is set in cluster.options only", CATCH_UP_ROUNDS);
            else
                continue; /* a number, read by lesson_read_catch_up_rounds */
            ok = false;
            continue;
        }
        const struct option_spec *o = NULL;
        for (size_t i = 0; i < N_OPTIONS && !o; i++)
            if (!strcmp(options[i].name, e->string))
                o = &options[i];
        const char *p = lesson_path_key(c, path, e->string);
        if (o && !(o->proto & c->proto)) {
            lesson_err(c, path, "\"%s\" is a %s option; this lesson's protocol is %s", o->name,
                       lesson_proto_title(o->proto), lesson_proto_name(c->proto));
            ok = false;
            continue;
        }
        if (!o) {
            const char *names[N_OPTIONS + 1];
            size_t n = 0;
            for (size_t i = 0; i < N_OPTIONS; i++)
                if (options[i].proto & c->proto)
                    names[n++] = options[i].name;
            names[n] = NULL;
            lesson_err(c, path, "unknown option %s%s", lesson_quote(c, e->string),
                       lesson_dym(c, e->string, names));
            ok = false;
            continue;
        }
        bool b;
        if (o->bit == OPT_JOINT) {
            /* "Membership changes": "single" (dissertation §4.1, the
             * default) or "joint" (extended paper §6). */
            if (!cJSON_IsString(e) ||
                (strcmp(e->valuestring, "single") && strcmp(e->valuestring, "joint"))) {
                lesson_err(c, p, "expected \"single\" or \"joint\", found %s",
                           lesson_describe(c, e));
                ok = false;
                continue;
            }
            b = !strcmp(e->valuestring, "joint");
        } else if (!lesson_read_bool(c, e, p, &b)) {
            ok = false;
            continue;
        }
        if (b)
            *on |= o->bit;
        else
            *off |= o->bit;
    }
    return ok;
}

/* A Raft option that is a number from 0 to max, if the options object v
 * gives it. */
static bool read_int_option(struct lctx *c, const cJSON *v, const char *path, const char *name,
                            int64_t max, int64_t *out)
{
    const cJSON *e = cJSON_IsObject(v) ? lesson_get(v, name) : NULL;
    if (!e || !(c->proto & LP_RAFT))
        return false;
    return lesson_read_int(c, e, lesson_path_key(c, path, name), 0, max, out);
}

bool lesson_read_snapshot_every(struct lctx *c, const cJSON *v, const char *path, int64_t *every)
{
    return read_int_option(c, v, path, SNAPSHOT_EVERY, LESSON_MAX_INT, every);
}

bool lesson_read_catch_up_rounds(struct lctx *c, const cJSON *v, const char *path, int64_t *rounds)
{
    return read_int_option(c, v, path, CATCH_UP_ROUNDS, CATCH_UP_ROUNDS_MAX, rounds);
}

const char *lesson_proto_name(unsigned p)
{
    return p == LP_RAFT ? "raft" : "paxos";
}

const char *lesson_proto_title(unsigned p)
{
    return p == LP_RAFT ? "Raft" : "Paxos";
}

const char *lesson_read_live_text(struct lctx *c, const cJSON *v, const char *path)
{
    const char *t = lesson_read_text(c, v, path);
    if (t)
        lesson_check_refs(c, t, path);
    return t;
}
