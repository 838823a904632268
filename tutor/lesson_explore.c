/* lesson_explore: the explore step (lesson format, "The safety lab"): its
 * keys, their ranges and defaults. */
#include <string.h>

#include "tutor/lesson_internal.h"

/* The contract's keys, then the extension's: random-walk probes deeper
 * than depth (walks, walk_depth, walk_seed; tutor/explore.h). */
static const char *const explore_keys[] = {
    "until",      "depth",  "max_drops", "max_duplicates", "max_crashes", "timeouts", "requests",
    "max_states", "expect", "walks",     "walk_depth",     "walk_seed",   NULL};

static void read_small(struct lctx *c, const cJSON *v, const char *key, const char *path,
                       int64_t max, int *out)
{
    const cJSON *x = lesson_get(v, key);
    int64_t n;
    if (x && lesson_read_int(c, x, lesson_path_key(c, path, key), 0, max, &n))
        *out = (int)n;
}

/* A request's forms, by the key that says what it sends: the contract's
 * command, and (Raft, an extension) a read and the single-server
 * membership changes, named as the lesson actions are. */
static const char *const request_keys[] = {"node",       "command",       "read",
                                           "add_server", "remove_server", NULL};
static const char *const *const request_forms = request_keys + 1; /* enum request_kind order */

/* One entry of `requests`: "node" and exactly one of request_forms. */
static bool read_request(struct lctx *c, const cJSON *r, const char *p, struct lesson_request *q)
{
    if (!lesson_want_object(c, r, p))
        return false;
    lesson_check_keys(c, r, p, request_keys, N_("key"));
    const cJSON *node = lesson_get(r, "node"), *form = NULL;
    int kind = -1;
    for (int k = 0; request_forms[k]; k++) {
        const cJSON *x = lesson_get(r, request_forms[k]);
        if (!x)
            continue;
        if (form) {
            lesson_err(c, p, "a request sends one thing, found both \"%s\" and \"%s\"",
                       request_forms[kind], request_forms[k]);
            return false;
        }
        form = x;
        kind = k;
    }
    if (!node || !form) {
        lesson_err(c, p,
                   "a request needs \"node\" and \"command\" (or, in Raft, \"read\", "
                   "\"add_server\" or \"remove_server\")");
        return false;
    }
    const char *fp = lesson_path_key(c, p, request_forms[kind]);
    if (kind != REQUEST_COMMAND && c->proto == LP_PAXOS) {
        lesson_err(c, fp, "\"%s\" is a Raft request; this lesson's protocol is %s",
                   request_forms[kind], lesson_proto_name(c->proto));
        return false;
    }
    *q = (struct lesson_request){
        .node = lesson_read_node(c, node, lesson_path_key(c, p, "node"), false),
        .kind = (enum request_kind)kind,
        .server = -1};
    if (kind == REQUEST_COMMAND || kind == REQUEST_READ)
        q->command = lesson_read_word(c, form, fp, 0);
    else
        q->server = lesson_read_node(c, form, fp, false);
    return q->node >= 0 && (q->command || q->server >= 0);
}

static void read_requests(struct lctx *c, const cJSON *v, const char *path,
                          struct lesson_explore *e)
{
    if (!lesson_want_array(c, v, path))
        return;
    size_t n = (size_t)cJSON_GetArraySize(v);
    if (n > 16) {
        lesson_err(c, path, "%zu requests; an explore step takes at most 16", n);
        return;
    }
    e->requests = lesson_alloc_array(c->a, n ? n : 1, sizeof *e->requests);
    size_t i = 0;
    for (const cJSON *r = v->child; r; r = r->next, i++) {
        struct lesson_request q;
        if (read_request(c, r, lesson_path_idx(c, path, i), &q))
            e->requests[e->n_requests++] = q;
    }
}

struct lesson_explore *lesson_parse_explore(struct lctx *c, const cJSON *v, const char *path)
{
    struct lesson_explore *e = lesson_alloc(c->a, sizeof *e);
    memset(e, 0, sizeof *e);
    e->depth = 20;
    e->max_drops = 2;
    e->max_crashes = 1;
    e->timeouts = true;
    e->max_states = 1000000;
    e->expect = -1;
    e->walk_depth = 200;
    e->walk_seed = 1;
    if (!lesson_want_object(c, v, path))
        return e;
    lesson_check_keys(c, v, path, explore_keys, N_("key"));
    const cJSON *x;
    if ((x = lesson_get(v, "until"))) {
        e->has_until = lesson_parse_fact(c, x, lesson_path_key(c, path, "until"), &e->until);
        e->until_js = x;
    }
    read_small(c, v, "depth", path, 1000, &e->depth);
    read_small(c, v, "max_drops", path, 100, &e->max_drops);
    read_small(c, v, "max_duplicates", path, 100, &e->max_duplicates);
    read_small(c, v, "max_crashes", path, 100, &e->max_crashes);
    if ((x = lesson_get(v, "timeouts")))
        lesson_read_bool(c, x, lesson_path_key(c, path, "timeouts"), &e->timeouts);
    if ((x = lesson_get(v, "requests")))
        read_requests(c, x, lesson_path_key(c, path, "requests"), e);
    read_small(c, v, "walks", path, 1000000, &e->walks);
    read_small(c, v, "walk_depth", path, 100000, &e->walk_depth);
    int64_t n;
    if ((x = lesson_get(v, "walk_seed")) &&
        lesson_read_int(c, x, lesson_path_key(c, path, "walk_seed"), 0, 9007199254740992LL, &n))
        e->walk_seed = (uint64_t)n;
    if ((x = lesson_get(v, "max_states")) &&
        lesson_read_int(c, x, lesson_path_key(c, path, "max_states"), 1, 100000000, &n))
        e->max_states = (long)n;
    if ((x = lesson_get(v, "expect"))) {
        if (cJSON_IsString(x) && !strcmp(x->valuestring, "found"))
            e->expect = 1;
        else if (cJSON_IsString(x) && !strcmp(x->valuestring, "none"))
            e->expect = 0;
        else
            lesson_err(c, lesson_path_key(c, path, "expect"),
                       "expected \"found\" or \"none\", found %s", lesson_describe(c, x));
    }
    return e;
}
