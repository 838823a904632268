/* lesson_config: configuration entries in lesson files (lesson-format.md,
 * "Membership changes"): [term, {"config": [names]}] and the joint
 * [term, {"config": [new names], "old": [old names]}], wherever a log entry
 * may be written (initial logs, injected AppendEntries, log facts). */
#include <string.h>

#include "tutor/lesson_internal.h"

static const char *const config_keys[] = {"config", "old", NULL};

bool lesson_read_node_set(struct lctx *c, const cJSON *v, const char *path, uint32_t *set)
{
    *set = 0;
    if (!lesson_want_array(c, v, path))
        return false;
    bool ok = true;
    size_t i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        const char *p = lesson_path_idx(c, path, i);
        int node = lesson_read_node(c, e, p, false);
        if (node < 0) {
            ok = false;
            continue;
        }
        if (*set & (1u << node)) {
            lesson_err(c, p, "%s is listed twice", e->valuestring);
            ok = false;
        }
        *set |= 1u << node;
    }
    if (ok && !*set) {
        lesson_err(c, path, "a configuration needs at least one server");
        ok = false;
    }
    return ok;
}

bool lesson_read_config_entry(struct lctx *c, const cJSON *v, const char *path, uint32_t *now,
                              uint32_t *old)
{
    *now = *old = 0;
    if (!lesson_want_object(c, v, path))
        return false;
    bool ok = lesson_check_keys(c, v, path, config_keys, N_("key of a configuration entry"));
    if (!lesson_require(c, v, path, "config"))
        return false;
    ok &= lesson_read_node_set(c, lesson_get(v, "config"), lesson_path_key(c, path, "config"), now);
    const cJSON *o = lesson_get(v, "old");
    if (o)
        ok &= lesson_read_node_set(c, o, lesson_path_key(c, path, "old"), old);
    return ok;
}

bool lesson_read_entry(struct lctx *c, const cJSON *e, const char *p, int64_t min_term,
                       struct entry *out)
{
    memset(out, 0, sizeof *out);
    if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) != 2) {
        lesson_err(c, p,
                   "expected an entry [term, \"command\"], found %s (a configuration entry is "
                   "[term, {\"config\": [names]}])",
                   lesson_describe(c, e));
        return false;
    }
    bool ok = lesson_read_int(c, e->child, lesson_path_idx(c, p, 0), min_term, LESSON_MAX_INT,
                              &out->term);
    const cJSON *body = e->child->next;
    const char *bp = lesson_path_idx(c, p, 1);
    if (cJSON_IsObject(body))
        return lesson_read_config_entry(c, body, bp, &out->config, &out->config_old) && ok;
    if (!cJSON_IsString(body)) {
        lesson_err(c, bp,
                   "expected a command string, found %s (or a configuration {\"config\": "
                   "[names]})",
                   lesson_describe(c, body));
        return false;
    }
    out->cmd = lesson_read_word(c, body, bp, 0);
    return out->cmd != NULL && ok;
}
