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
    static const char *const keys[] = {"node", "command", NULL};
    size_t i = 0;
    for (const cJSON *r = v->child; r; r = r->next, i++) {
        const char *p = lesson_path_idx(c, path, i);
        if (!lesson_want_object(c, r, p))
            continue;
        lesson_check_keys(c, r, p, keys, "key");
        const cJSON *node = lesson_get(r, "node"), *cmd = lesson_get(r, "command");
        if (!node || !cmd) {
            lesson_err(c, p, "a request needs \"node\" and \"command\"");
            continue;
        }
        int k = lesson_read_node(c, node, lesson_path_key(c, p, "node"), false);
        const char *text = lesson_read_word(c, cmd, lesson_path_key(c, p, "command"), 0);
        if (k >= 0 && text)
            e->requests[e->n_requests++] = (struct lesson_request){k, text};
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
    lesson_check_keys(c, v, path, explore_keys, "key");
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
