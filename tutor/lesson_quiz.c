/* lesson_quiz: quizzes (choice, value, predict) and goals (a fact to reach,
 * forbidden actions, a limit and a solution that proves it reachable). */
#include <string.h>

#include "tutor/lesson_internal.h"

static const char *const quiz_kinds[] = {"choice", "value", "predict", NULL};
static const char *const keys_choice[] = {"kind",   "question", "explain", "hint",
                                          "points", "choices",  "answer",  NULL};
static const char *const keys_value[] = {"kind",   "question", "explain", "hint",
                                         "points", "answer",   "field",   NULL};
static const char *const keys_predict[] = {"kind",    "question", "explain", "hint",   "points",
                                           "choices", "facts",    "answer",  "within", NULL};
static const char *const keys_any[] = {"kind",   "question", "explain", "hint",
                                       "points", "choices",  "answer",  "field",
                                       "facts",  "within",   NULL};

static bool in_list(const char *const *names, const char *s)
{
    for (size_t i = 0; names[i]; i++)
        if (!strcmp(names[i], s))
            return true;
    return false;
}

static bool read_choices(struct lctx *c, const cJSON *v, const char *path, struct quiz *q)
{
    if (!lesson_want_array(c, v, path))
        return false;
    size_t n = (size_t)cJSON_GetArraySize(v);
    if (n == 0) {
        lesson_err(c, path, "expected at least one choice");
        return false;
    }
    q->choices = lesson_alloc_array(c->a, n, sizeof *q->choices);
    bool ok = true;
    size_t i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        q->choices[i] = lesson_read_live_text(c, e, lesson_path_idx(c, path, i));
        ok &= q->choices[i] != NULL;
    }
    q->n_choices = n;
    return ok;
}

static bool read_index(struct lctx *c, const cJSON *v, const char *path, size_t n, int *out)
{
    int64_t i;
    if (!cJSON_IsNumber(v)) {
        lesson_err(c, path, "expected the index of a choice (0 to %zu), found %s", n ? n - 1 : 0,
                   lesson_describe(c, v));
        return false;
    }
    if (!lesson_read_int(c, v, path, 0, LESSON_MAX_INT, &i))
        return false;
    if (i >= (int64_t)n) {
        lesson_err(c, path, "there is no choice %lld (choices are numbered from 0 to %zu)",
                   (long long)i, n ? n - 1 : 0);
        return false;
    }
    *out = (int)i;
    return true;
}

static void read_choice_answer(struct lctx *c, const cJSON *v, const char *path, struct quiz *q)
{
    if (cJSON_IsArray(v)) {
        size_t n = (size_t)cJSON_GetArraySize(v);
        if (n == 0) {
            lesson_err(c, path, "expected at least one right answer");
            return;
        }
        q->multi = true;
        q->answers = lesson_alloc_array(c->a, n, sizeof *q->answers);
        size_t i = 0;
        for (const cJSON *e = v->child; e; e = e->next, i++) {
            const char *p = lesson_path_idx(c, path, i);
            if (!read_index(c, e, p, q->n_choices, &q->answers[q->n_answers]))
                continue;
            bool dup = false;
            for (size_t k = 0; k < q->n_answers; k++)
                dup |= q->answers[k] == q->answers[q->n_answers];
            if (dup)
                lesson_err(c, p, "choice %d is listed twice", q->answers[q->n_answers]);
            else
                q->n_answers++;
        }
        return;
    }
    q->answers = lesson_alloc(c->a, sizeof *q->answers);
    if (read_index(c, v, path, q->n_choices, &q->answers[0]))
        q->n_answers = 1;
}

static void read_field_ref(struct lctx *c, const cJSON *v, const char *path, struct quiz *q)
{
    if (!cJSON_IsString(v)) {
        lesson_err(c, path, "expected \"NODE.field\" such as \"S3.commit_index\", found %s",
                   lesson_describe(c, v));
        return;
    }
    const char *s = v->valuestring, *dot = strchr(s, '.');
    if (!dot || dot == s || !dot[1]) {
        lesson_err(c, path, "expected \"NODE.field\" such as \"S3.commit_index\", found %s",
                   lesson_quote(c, s));
        return;
    }
    char *node = lesson_strndup(c->a, s, (size_t)(dot - s));
    q->field_node = lesson_lookup_node(c, node, path);
    const struct lesson_fieldspec *f = lesson_node_field(c->proto, dot + 1);
    if (!f) {
        lesson_err(c, path, "unknown node field %s%s", lesson_quote(c, dot + 1),
                   lesson_dym_node_field(c, dot + 1));
        return;
    }
    q->field_name = f->name;
}

static void read_predict_facts(struct lctx *c, const cJSON *v, const char *path, struct quiz *q)
{
    if (!lesson_want_array(c, v, path))
        return;
    size_t n = (size_t)cJSON_GetArraySize(v);
    q->facts = lesson_alloc_array(c->a, n, sizeof *q->facts);
    size_t i = 0, nulls = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        const char *p = lesson_path_idx(c, path, i);
        if (cJSON_IsNull(e)) {
            if (++nulls == 2)
                lesson_err(c, p, "only one choice can be null (\"none of these\")");
            continue;
        }
        q->facts[i] = lesson_alloc(c->a, sizeof *q->facts[i]);
        lesson_parse_fact(c, e, p, q->facts[i]);
    }
    if (q->choices && n != q->n_choices)
        lesson_err(c, path, "%zu facts for %zu choices: give one fact (or null) per choice", n,
                   q->n_choices);
}

bool lesson_parse_quiz(struct lctx *c, const cJSON *v, const char *path, struct quiz *q)
{
    size_t before = c->n_errors;
    memset(q, 0, sizeof *q);
    q->points = 1;
    q->within = 5000;
    q->field_node = -1;
    if (!lesson_want_object(c, v, path))
        return false;
    const cJSON *kind = lesson_get(v, "kind");
    int k = -1;
    if (!kind) {
        lesson_err(c, path, "missing key \"kind\" (choice, value or predict)");
    } else if (!cJSON_IsString(kind)) {
        lesson_err(c, lesson_path_key(c, path, "kind"), "expected a quiz kind, found %s",
                   lesson_describe(c, kind));
    } else {
        for (int i = 0; quiz_kinds[i]; i++)
            if (!strcmp(quiz_kinds[i], kind->valuestring))
                k = i;
        if (k < 0)
            lesson_err(c, lesson_path_key(c, path, "kind"), "unknown quiz kind %s%s",
                       lesson_quote(c, kind->valuestring),
                       lesson_dym(c, kind->valuestring, quiz_kinds));
    }
    const char *const *keys = k == 0   ? keys_choice
                              : k == 1 ? keys_value
                              : k == 2 ? keys_predict
                                       : keys_any;
    for (const cJSON *e = v->child; e; e = e->next) {
        if (lesson_is_ext_key(e->string) || in_list(keys, e->string))
            continue;
        if (in_list(keys_any, e->string))
            lesson_err(c, path, "\"%s\" is not a key of %s quizzes", e->string, quiz_kinds[k]);
        else
            lesson_err(c, path, "unknown key %s%s", lesson_quote(c, e->string),
                       lesson_dym(c, e->string, keys));
    }
    const cJSON *x;
    if (lesson_require(c, v, path, "question"))
        q->question = lesson_read_live_text(c, lesson_get(v, "question"),
                                            lesson_path_key(c, path, "question"));
    if ((x = lesson_get(v, "explain")))
        q->explain = lesson_read_live_text(c, x, lesson_path_key(c, path, "explain"));
    if ((x = lesson_get(v, "hint")))
        q->hint = lesson_read_live_text(c, x, lesson_path_key(c, path, "hint"));
    if ((x = lesson_get(v, "points"))) {
        int64_t p = 1;
        lesson_read_int(c, x, lesson_path_key(c, path, "points"), 0, 1000, &p);
        q->points = (int)p;
    }
    if (k < 0)
        return false;
    q->kind = (enum quiz_kind)k;
    const cJSON *choices = lesson_get(v, "choices"), *answer = lesson_get(v, "answer");
    const char *apath = lesson_path_key(c, path, "answer");
    switch (q->kind) {
    case QUIZ_CHOICE: {
        bool have_choices = lesson_require(c, v, path, "choices") &&
                            read_choices(c, choices, lesson_path_key(c, path, "choices"), q);
        if (lesson_require(c, v, path, "answer") && have_choices)
            read_choice_answer(c, answer, apath, q);
        break;
    }
    case QUIZ_VALUE: {
        const cJSON *field = lesson_get(v, "field");
        if (answer && field) {
            lesson_err(c, path, "give answer or field, not both");
        } else if (!answer && !field) {
            lesson_err(c, path,
                       "missing key \"answer\" (a fixed value) or \"field\" "
                       "(\"S3.commit_index\")");
        } else if (answer) {
            if (cJSON_IsObject(answer))
                lesson_err(c, apath,
                           "expected a value (string, number, true, false, null or "
                           "an array), found an object");
            else
                q->answer_value = answer;
        } else {
            read_field_ref(c, field, lesson_path_key(c, path, "field"), q);
        }
        break;
    }
    case QUIZ_PREDICT: {
        bool have_choices = lesson_require(c, v, path, "choices") &&
                            read_choices(c, choices, lesson_path_key(c, path, "choices"), q);
        if (lesson_require(c, v, path, "facts"))
            read_predict_facts(c, lesson_get(v, "facts"), lesson_path_key(c, path, "facts"), q);
        if (answer && have_choices) {
            q->answers = lesson_alloc(c->a, sizeof *q->answers);
            if (read_index(c, answer, apath, q->n_choices, &q->answers[0]))
                q->n_answers = 1;
        }
        if ((x = lesson_get(v, "within")))
            lesson_read_duration(c, x, lesson_path_key(c, path, "within"), 1, &q->within);
        break;
    }
    }
    return c->n_errors == before;
}

bool lesson_parse_goal(struct lctx *c, const cJSON *v, const char *path, struct goal *g)
{
    static const char *const keys[] = {"text", "until", "forbid", "max_actions", "solution", NULL};
    size_t before = c->n_errors;
    memset(g, 0, sizeof *g);
    if (!lesson_want_object(c, v, path))
        return false;
    lesson_check_keys(c, v, path, keys, N_("key"));
    const cJSON *x;
    if (lesson_require(c, v, path, "text"))
        g->text = lesson_read_live_text(c, lesson_get(v, "text"), lesson_path_key(c, path, "text"));
    if (lesson_require(c, v, path, "until"))
        lesson_parse_fact(c, lesson_get(v, "until"), lesson_path_key(c, path, "until"), &g->until);
    if ((x = lesson_get(v, "forbid"))) {
        const char *fpath = lesson_path_key(c, path, "forbid");
        const char *names[ACT_COUNT + 1];
        memcpy(names, lesson_action_names, sizeof lesson_action_names);
        names[ACT_COUNT] = NULL;
        if (lesson_want_array(c, x, fpath)) {
            size_t i = 0;
            for (const cJSON *e = x->child; e; e = e->next, i++) {
                const char *p = lesson_path_idx(c, fpath, i);
                if (!cJSON_IsString(e)) {
                    lesson_err(c, p, "expected an action name, found %s", lesson_describe(c, e));
                    continue;
                }
                int k = 0;
                while (k < ACT_COUNT && strcmp(names[k], e->valuestring))
                    k++;
                if (k == ACT_COUNT)
                    lesson_err(c, p, "unknown action %s%s", lesson_quote(c, e->valuestring),
                               lesson_dym(c, e->valuestring, names));
                else
                    g->forbid |= 1u << k;
            }
        }
    }
    if ((x = lesson_get(v, "max_actions"))) {
        int64_t m = 0;
        lesson_read_int(c, x, lesson_path_key(c, path, "max_actions"), 0, 10000, &m);
        g->max_actions = (int)m;
    }
    if (lesson_require(c, v, path, "solution")) {
        const char *spath = lesson_path_key(c, path, "solution");
        x = lesson_get(v, "solution");
        if (lesson_want_array(c, x, spath)) {
            size_t n = (size_t)cJSON_GetArraySize(x);
            if (n == 0)
                lesson_err(c, spath,
                           "expected at least one action (the solution proves that "
                           "the goal can be reached)");
            g->solution = lesson_alloc_array(c->a, n, sizeof *g->solution);
            static const char *const extra[] = {"do", NULL};
            bool saved = c->in_solution;
            c->in_solution = true;
            for (const cJSON *e = x->child; e; e = e->next) {
                const char *p = lesson_path_idx(c, spath, g->n_solution);
                struct action *a = &g->solution[g->n_solution++];
                if (lesson_parse_action(c, e, p, extra, a) && (g->forbid & (1u << a->kind)))
                    lesson_err(c, lesson_path_key(c, p, "do"),
                               "the solution uses \"%s\", which the goal forbids",
                               lesson_action_names[a->kind]);
            }
            c->in_solution = saved;
            if (g->max_actions > 0 && lesson_solution_cost(g) > (size_t)g->max_actions)
                lesson_err(c, spath, "the solution takes %zu actions, more than max_actions %d",
                           lesson_solution_cost(g), g->max_actions);
        }
    }
    return c->n_errors == before;
}

size_t lesson_solution_cost(const struct goal *g)
{
    size_t n = 0;
    for (size_t i = 0; i < g->n_solution; i++)
        n += lesson_action_counts(g->solution[i].kind);
    return n;
}
