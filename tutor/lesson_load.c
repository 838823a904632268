/* lesson_load: reading a lesson file and checking its top level and cluster;
 * the entry points lesson_load, lesson_parse and lesson_free. */
#include <errno.h>
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tutor/lesson_internal.h"
#include "tutor/sha256.h"

static const char *const top_keys[] = {"format",  "id",      "title",   "lang",  "protocol",
                                       "summary", "cluster", "initial", "steps", NULL};
static const char *const cluster_keys[] = {
    "nodes",     "seed",     "latency", "loss",  "duplicate", "election_timeout",
    "heartbeat", "timeouts", "options", "roles", "bugs",      "members",
    NULL};
static const char *const protocols[] = {"raft", "paxos", NULL};
static const char *const role_keys[] = {"proposers", "acceptors", "learners", NULL};

static bool match_node_name(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 8)
        return false;
    if (!((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
            return false;
    return true;
}

static bool match_id(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

/* A BCP-47-shaped tag: a 2-8 letter language, then '-'-separated subtags. */
static bool match_lang(const char *s)
{
    size_t n = 0;
    while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z'))
        n++;
    if (n < 2 || n > 8)
        return false;
    s += n;
    while (*s == '-') {
        s++;
        n = 0;
        while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
               (s[n] >= '0' && s[n] <= '9'))
            n++;
        if (n < 1 || n > 8)
            return false;
        s += n;
    }
    return *s == '\0';
}

static void parse_nodes(struct lctx *c, const cJSON *v, struct lesson *l)
{
    const char *path = "cluster.nodes";
    struct proto_config *cfg = &l->cfg;
    if (cJSON_IsNumber(v)) {
        int64_t n;
        if (!lesson_read_int(c, v, path, 1, PROTO_MAX_NODES, &n))
            return;
        cfg->n_nodes = (int)n;
        for (int i = 0; i < cfg->n_nodes; i++)
            cfg->names[i] = lesson_sprintf(c->a, "S%d", i + 1);
        c->nodes_known = true;
        return;
    }
    if (!cJSON_IsArray(v)) {
        lesson_err(c, path, "expected a number of nodes (1 to %d) or an array of names, found %s",
                   PROTO_MAX_NODES, lesson_describe(c, v));
        return;
    }
    int n = cJSON_GetArraySize(v);
    if (n < 1 || n > PROTO_MAX_NODES) {
        lesson_err(c, path, "%d nodes; a cluster has 1 to %d", n, PROTO_MAX_NODES);
        return;
    }
    bool ok = true;
    int i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        const char *p = lesson_path_idx(c, path, (size_t)i);
        if (!cJSON_IsString(e) || !match_node_name(e->valuestring)) {
            lesson_err(c, p, "expected a node name ([A-Za-z][A-Za-z0-9_-]{0,7}), found %s",
                       lesson_describe(c, e));
            ok = false;
            continue;
        }
        for (int k = 0; k < i; k++)
            if (cfg->names[k] && !strcmp(cfg->names[k], e->valuestring)) {
                lesson_err(c, p, "duplicate node name \"%s\"", e->valuestring);
                ok = false;
            }
        cfg->names[i] = lesson_strdup(c->a, e->valuestring);
    }
    cfg->n_nodes = n;
    c->nodes_known = ok;
}

static void parse_roles(struct lctx *c, const cJSON *v, struct lesson *l)
{
    const char *path = "cluster.roles";
    if (c->proto == LP_RAFT) {
        lesson_err(c, path, "roles are for Paxos; in Raft every node plays every role");
        return;
    }
    if (!lesson_want_object(c, v, path))
        return;
    lesson_check_keys(c, v, path, role_keys, N_("role"));
    c->roles_given = true;
    bool *sets[3] = {l->cfg.proposer, l->cfg.acceptor, l->cfg.learner};
    for (int r = 0; r < 3; r++) {
        const cJSON *list = lesson_get(v, role_keys[r]);
        if (!list)
            continue; /* a role not given: every node has it */
        const char *p = lesson_path_key(c, path, role_keys[r]);
        if (!lesson_want_array(c, list, p))
            continue;
        if (r == 1 && !list->child)
            lesson_err(c, p, "at least one node must be an acceptor");
        bool given[PROTO_MAX_NODES] = {false};
        size_t i = 0;
        for (const cJSON *e = list->child; e; e = e->next, i++) {
            const char *ep = lesson_path_idx(c, p, i);
            int node = lesson_read_node(c, e, ep, false);
            if (node < 0 || !c->nodes_known)
                continue;
            if (given[node])
                lesson_err(c, ep, "%s is listed twice", l->cfg.names[node]);
            given[node] = true;
        }
        if (c->nodes_known)
            memcpy(sets[r], given, sizeof given);
    }
}

/* cluster.members (Raft, "Membership changes"): the starting configuration;
 * the other nodes start as spare servers. */
static void parse_members(struct lctx *c, const cJSON *v, struct lesson *l)
{
    const char *path = "cluster.members";
    if (c->proto == LP_PAXOS) {
        lesson_err(c, path, "members is for Raft (membership changes)");
        return;
    }
    uint32_t set;
    if (c->nodes_known && lesson_read_node_set(c, v, path, &set))
        l->cfg.members = set;
}

static void parse_cluster(struct lctx *c, const cJSON *v, struct lesson *l)
{
    const char *path = "cluster";
    if (!lesson_want_object(c, v, path))
        return;
    lesson_check_keys(c, v, path, cluster_keys, N_("key"));
    const cJSON *x;
    if (lesson_require(c, v, path, "nodes"))
        parse_nodes(c, lesson_get(v, "nodes"), l);
    if ((x = lesson_get(v, "seed"))) {
        int64_t seed;
        if (lesson_read_int(c, x, "cluster.seed", 0, LESSON_MAX_INT, &seed))
            l->seed = (uint64_t)seed;
    }
    if ((x = lesson_get(v, "latency")))
        lesson_read_range(c, x, "cluster.latency", 0, true, &l->latency_min, &l->latency_max);
    if ((x = lesson_get(v, "loss")))
        lesson_read_prob(c, x, "cluster.loss", &l->loss_ppb);
    if ((x = lesson_get(v, "duplicate")))
        lesson_read_prob(c, x, "cluster.duplicate", &l->duplicate_ppb);
    if ((x = lesson_get(v, "election_timeout")))
        lesson_read_range(c, x, "cluster.election_timeout", 1, false, &l->cfg.election_min,
                          &l->cfg.election_max);
    if ((x = lesson_get(v, "heartbeat")))
        lesson_read_ms(c, x, "cluster.heartbeat", 1, &l->cfg.heartbeat);
    if ((x = lesson_get(v, "timeouts")) && lesson_want_object(c, x, "cluster.timeouts")) {
        for (const cJSON *e = x->child; e; e = e->next) {
            const char *p = lesson_path_key(c, "cluster.timeouts", e->string);
            bool named = false;
            for (int i = 0; c->nodes_known && i < l->cfg.n_nodes; i++)
                named |= !strcmp(l->cfg.names[i], e->string);
            if (lesson_is_ext_key(e->string) && !named)
                continue;
            int node = lesson_lookup_node(c, e->string, "cluster.timeouts");
            int64_t ms;
            if (lesson_read_ms(c, e, p, 1, &ms) && node >= 0 && c->nodes_known)
                l->cfg.fixed_timeout[node] = ms;
        }
    }
    if ((x = lesson_get(v, "options"))) {
        unsigned on, off;
        lesson_read_options(c, x, "cluster.options", true, &on, &off);
        for (int i = 0; i < PROTO_MAX_NODES; i++)
            l->cfg.options[i] = on;
        c->multi = (on & OPT_MULTI) != 0;
        int64_t every;
        if (lesson_read_snapshot_every(c, x, "cluster.options", &every))
            for (int i = 0; i < PROTO_MAX_NODES; i++)
                l->cfg.snapshot_every[i] = every;
        lesson_read_catch_up_rounds(c, x, "cluster.options", &l->cfg.catch_up_rounds);
    }
    if ((x = lesson_get(v, "roles")))
        parse_roles(c, x, l);
    if ((x = lesson_get(v, "bugs")))
        l->cfg.bugs = lesson_read_bugs(c, x, "cluster.bugs");
    if ((x = lesson_get(v, "members")))
        parse_members(c, x, l);
}

static void set_defaults(struct lesson *l)
{
    l->protocol = PROTO_RAFT;
    l->seed = 1;
    l->latency_min = l->latency_max = 10;
    l->cfg.election_min = 150;
    l->cfg.election_max = 300;
    l->cfg.heartbeat = 50;
    for (int i = 0; i < PROTO_MAX_NODES; i++) {
        l->cfg.fixed_timeout[i] = -1;
        l->cfg.proposer[i] = l->cfg.acceptor[i] = l->cfg.learner[i] = true;
        l->initial[i].voted_for = -1;
    }
}

static void parse_top(struct lctx *c, const cJSON *doc, struct lesson *l)
{
    if (!cJSON_IsObject(doc)) {
        lesson_err(c, "", "a lesson is a JSON object, found %s", lesson_describe(c, doc));
        return;
    }
    const cJSON *x = lesson_get(doc, "format");
    if (!x) {
        lesson_err(c, "", "missing key \"format\" (1)");
    } else if (!cJSON_IsNumber(x)) {
        lesson_err(c, "format", "expected 1, found %s", lesson_describe(c, x));
    } else if (x->valuedouble != 1) {
        lesson_err(c, "format", "format %s is not supported; this program reads format 1",
                   lesson_describe(c, x));
        return; /* another format's keys would only give confusing errors */
    }
    lesson_check_keys(c, doc, "", top_keys, N_("key"));
    if (lesson_require(c, doc, "", "id")) {
        x = lesson_get(doc, "id");
        if (cJSON_IsString(x) && match_id(x->valuestring))
            l->id = lesson_strdup(c->a, x->valuestring);
        else
            lesson_err(c, "id",
                       "expected an id of 1 to 64 characters from a-z, 0-9 and '-', "
                       "found %s",
                       lesson_describe(c, x));
    }
    if (lesson_require(c, doc, "", "title")) {
        const char *t = lesson_read_text(c, lesson_get(doc, "title"), "title");
        if (t && !*t)
            lesson_err(c, "title", "must not be empty");
        l->title = (char *)t;
    }
    if ((x = lesson_get(doc, "lang"))) {
        if (cJSON_IsString(x) && match_lang(x->valuestring))
            l->lang = lesson_strdup(c->a, x->valuestring);
        else
            lesson_err(c, "lang", "expected a language tag such as \"en\" or \"zh-CN\", found %s",
                       lesson_describe(c, x));
    }
    if ((x = lesson_get(doc, "summary")))
        l->summary = (char *)lesson_read_text(c, x, "summary");
    if (lesson_require(c, doc, "", "protocol")) {
        x = lesson_get(doc, "protocol");
        if (cJSON_IsString(x) && !strcmp(x->valuestring, "raft")) {
            l->protocol = PROTO_RAFT;
            c->proto = LP_RAFT;
        } else if (cJSON_IsString(x) && !strcmp(x->valuestring, "paxos")) {
            l->protocol = PROTO_PAXOS;
            c->proto = LP_PAXOS;
        } else if (cJSON_IsString(x)) {
            const char *dym = lesson_dym(c, x->valuestring, protocols);
            lesson_err(c, "protocol", "unknown protocol %s%s", lesson_quote(c, x->valuestring),
                       *dym ? dym : " (raft or paxos)");
        } else {
            lesson_err(c, "protocol", "expected \"raft\" or \"paxos\", found %s",
                       lesson_describe(c, x));
        }
    }
    if (lesson_require(c, doc, "", "cluster"))
        parse_cluster(c, lesson_get(doc, "cluster"), l);
    if ((x = lesson_get(doc, "initial")))
        lesson_parse_initial(c, x, l);
    if (lesson_require(c, doc, "", "steps"))
        lesson_parse_steps(c, lesson_get(doc, "steps"), l);
}

int lesson_parse(const char *name, const char *buf, size_t len, struct lesson **out,
                 struct lesson_errors *errs)
{
    *out = NULL;
    size_t before = errs->n;
    if (len == 0) {
        lesson_errors_addf(errs, gettext("%s: empty file"), name);
        return -1;
    }
    if (len > LESSON_MAX_BYTES) {
        lesson_errors_addf(errs,
                           gettext("%s: the file is %zu bytes, more than the limit of %d (1 MiB)"),
                           name, len, LESSON_MAX_BYTES);
        return -1;
    }
    /* cJSON wants the NUL inside the length it is given. */
    char *text = malloc(len + 1);
    if (!text)
        abort();
    memcpy(text, buf, len);
    text[len] = '\0';
    bool flawed;
    cJSON *doc = lesson_json_parse(name, text, len, errs, &flawed);
    if (!doc) {
        free(text);
        return -1;
    }
    struct lesson *l = calloc(1, sizeof *l);
    if (!l)
        abort();
    struct lesson_arena *a = lesson_arena_new();
    l->arena = a;
    l->doc = doc;
    l->file = lesson_strdup(a, name);
    sha256_digest(text, len, l->sha256);
    free(text);
    set_defaults(l);
    l->lang = lesson_strdup(a, "en");
    struct lctx c = {
        .file = l->file,
        .errs = errs,
        .a = a,
        .proto = LP_BOTH,
        .cfg = &l->cfg,
    };
    parse_top(&c, doc, l);
    if (flawed || errs->n != before) {
        lesson_free(l);
        return -1;
    }
    *out = l;
    return 0;
}

int lesson_load(const char *path, struct lesson **out, struct lesson_errors *errs)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        lesson_errors_addf(errs, "%s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        lesson_errors_addf(errs, gettext("%s: is a directory"), path);
        fclose(f);
        return -1;
    }
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > LESSON_MAX_BYTES) {
        lesson_errors_addf(errs,
                           gettext("%s: the file is %lld bytes, more than the limit of %d (1 MiB)"),
                           path, (long long)st.st_size, LESSON_MAX_BYTES);
        fclose(f);
        return -1;
    }
    /* Read one byte past the limit, so a file that grew (or a pipe) is
     * still measured against it. */
    char *buf = malloc(LESSON_MAX_BYTES + 1);
    if (!buf)
        abort();
    size_t len = fread(buf, 1, LESSON_MAX_BYTES + 1, f);
    bool err = ferror(f);
    int saved = errno;
    fclose(f);
    if (err) {
        lesson_errors_addf(errs, "%s: %s", path, strerror(saved));
        free(buf);
        return -1;
    }
    if (len > LESSON_MAX_BYTES) {
        lesson_errors_addf(errs, gettext("%s: the file is more than %d bytes (1 MiB)"), path,
                           LESSON_MAX_BYTES);
        free(buf);
        return -1;
    }
    int rc = lesson_parse(path, buf, len, out, errs);
    free(buf);
    return rc;
}

void lesson_free(struct lesson *l)
{
    if (!l)
        return;
    cJSON_Delete(l->doc);
    lesson_arena_free(l->arena);
    free(l);
}
