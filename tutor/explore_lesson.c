/* explore_lesson: writing a found schedule as a lesson (explore_lesson.h). */
#include "explore_lesson.h"

#include <libintl.h>
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cJSON *match_of(const struct sim *s, const struct msg *m)
{
    cJSON *match = cJSON_CreateObject();
    cJSON_AddStringToObject(match, "type", msg_type_name(m->type));
    cJSON_AddStringToObject(match, "from", s->cfg.names[m->from]);
    cJSON_AddStringToObject(match, "to", s->cfg.names[m->to]);
    struct sbuf b;
    sbuf_init(&b);
    for (const char *const *f = msg_type_fields(m->type); *f; f++) {
        sbuf_reset(&b);
        if (msg_field(m, &s->cfg, *f, &b) != 0)
            continue;
        cJSON *v = cJSON_Parse(b.s);
        if (v)
            cJSON_AddItemToObject(match, *f, v);
    }
    sbuf_free(&b);
    return match;
}

/* The lesson action of each event kind (lesson format, `do`). */
static const char *action_name(const struct sim *s, enum sim_op_kind k)
{
    switch (k) {
    case OP_DELIVER:
        return "deliver";
    case OP_DROP:
        return "drop";
    case OP_DUPLICATE:
        return "duplicate";
    case OP_TIMEOUT:
        return "timeout";
    case OP_CRASH:
        return "crash";
    case OP_RESTART:
        return "restart";
    case OP_CLIENT:
        return s->ops->protocol == PROTO_RAFT ? "request" : "propose";
    case OP_READ:
        return "read";
    case OP_ADD_SERVER:
        return "add_server";
    case OP_REMOVE_SERVER:
        return "remove_server";
    default:
        return "?";
    }
}

static cJSON *event_obj(const struct sim *s, const struct explore_event *e)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "do", action_name(s, e->kind));
    if (e->kind == OP_DELIVER || e->kind == OP_DROP || e->kind == OP_DUPLICATE) {
        cJSON_AddItemToObject(o, "match", match_of(s, &e->m));
        return o;
    }
    if (e->kind == OP_ADD_SERVER || e->kind == OP_REMOVE_SERVER) {
        /* The lesson action: `node` the server changed, `to` the server
         * asked (lesson format, add_server). */
        cJSON_AddStringToObject(o, "node", s->cfg.names[e->server]);
        cJSON_AddStringToObject(o, "to", s->cfg.names[e->node]);
        return o;
    }
    cJSON_AddStringToObject(o, "node", s->cfg.names[e->node]);
    if (e->kind == OP_READ)
        cJSON_AddStringToObject(o, "key", e->text);
    if (e->kind == OP_CLIENT)
        cJSON_AddStringToObject(o, s->ops->protocol == PROTO_RAFT ? "command" : "value", e->text);
    return o;
}

void explore_event_json(const struct sim *s, const struct explore_event *e, struct sbuf *out)
{
    cJSON *o = event_obj(s, e);
    char *t = cJSON_PrintUnformatted(o);
    sbuf_add(out, t ? t : "{}");
    cJSON_free(t);
    cJSON_Delete(o);
}

void explore_lesson_text(const struct lesson *l, size_t at, const struct sim *s,
                         const struct explore_result *res, const struct cJSON *until_js,
                         struct sbuf *out)
{
    cJSON *doc = cJSON_Duplicate(l->doc, 1);
    char id[80];
    snprintf(id, sizeof id, "%.50s-found", l->id);
    cJSON_ReplaceItemInObject(doc, "id", cJSON_CreateString(id));
    struct sbuf title;
    sbuf_init(&title);
    /* The lesson file is written once, in the language of the session that
     * found it. */
    sbuf_printf(&title, gettext("Counterexample found by the explorer: %s"), l->title);
    cJSON_ReplaceItemInObject(doc, "title", cJSON_CreateString(title.s));
    sbuf_free(&title);
    cJSON *steps = cJSON_CreateArray();
    const cJSON *old = cJSON_GetObjectItemCaseSensitive(l->doc, "steps");
    size_t i = 0;
    for (const cJSON *st = old ? old->child : NULL; st && i < at; st = st->next, i++) {
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(st, "do");
        if (d && !(cJSON_IsString(d) && !strcmp(d->valuestring, "goto")))
            cJSON_AddItemToArray(steps, cJSON_Duplicate(st, 1));
    }
    for (size_t k = 0; k < res->n_events; k++)
        cJSON_AddItemToArray(steps, event_obj(s, &res->events[k]));
    cJSON *expect = cJSON_CreateObject();
    if (until_js) {
        cJSON_AddItemToObject(expect, "expect", cJSON_Duplicate(until_js, 1));
    } else {
        cJSON *notsafe = cJSON_CreateObject();
        cJSON *safe = cJSON_CreateObject();
        cJSON_AddTrueToObject(safe, "safe");
        cJSON_AddItemToObject(notsafe, "not", safe);
        cJSON_AddItemToObject(expect, "expect", notsafe);
    }
    cJSON_AddItemToArray(steps, expect);
    cJSON_ReplaceItemInObject(doc, "steps", steps);
    /* One top-level key per line and one step per line, as the shipped
     * lessons are laid out, so the schedule reads as a list. */
    sbuf_add(out, "{\n");
    for (const cJSON *k = doc->child; k; k = k->next) {
        sbuf_add(out, "  ");
        sbuf_json_str(out, k->string);
        sbuf_add(out, ": ");
        if (k == cJSON_GetObjectItemCaseSensitive(doc, "steps")) {
            sbuf_add(out, "[\n");
            for (const cJSON *st = k->child; st; st = st->next) {
                char *t = cJSON_PrintUnformatted(st);
                sbuf_printf(out, "    %s%s\n", t ? t : "{}", st->next ? "," : "");
                cJSON_free(t);
            }
            sbuf_add(out, "  ]");
        } else {
            char *t = cJSON_PrintUnformatted(k);
            sbuf_add(out, t ? t : "null");
            cJSON_free(t);
        }
        sbuf_add(out, k->next ? ",\n" : "\n");
    }
    sbuf_add(out, "}\n");
    cJSON_Delete(doc);
}
