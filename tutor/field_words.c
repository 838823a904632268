/* field_words: a node field's JSON value as words in a lesson's text (see
 * field_words.h). The field names and shapes are lesson-format.md's
 * "Raft node fields" and "Paxos node fields". */
#include "field_words.h"

#include <cJSON.h>
#include <stdbool.h>
#include <string.h>

#include "tutor/i18n.h"

static bool is(const char *field, const char *name)
{
    return !strcmp(field, name);
}

/* Appends fmt with each "%s" replaced by the next of a and b (a catalog's
 * format, so no printf on a string the compiler cannot see). */
static void fill(struct sbuf *out, const char *fmt, const char *a, const char *b)
{
    const char *args[2] = {a, b};
    int k = 0;
    for (const char *p = fmt; *p;) {
        if (p[0] == '%' && p[1] == 's' && k < 2) {
            sbuf_add(out, args[k++]);
            p += 2;
        } else {
            sbuf_addc(out, *p++);
        }
    }
}

/* null: nobody has the vote or the lead; no ballot, value or old
 * configuration is "none". */
static const char *null_word(const char *field)
{
    if (is(field, "voted_for") || is(field, "leader_hint"))
        return ui_pgettext("value", "nobody");
    return ui_pgettext("value", "none");
}

static const char *empty_word(const char *field)
{
    if (is(field, "accepted"))
        return ui_pgettext("value", "nothing accepted");
    if (is(field, "learned"))
        return ui_pgettext("value", "nothing learned");
    if (is(field, "applied"))
        return ui_pgettext("value", "nothing applied");
    if (is(field, "log"))
        return ui_pgettext("value", "empty log");
    return ui_pgettext("value", "none");
}

static void words(const char *field, const cJSON *j, struct sbuf *out);

static void list(const char *field, const cJSON *j, struct sbuf *out)
{
    const char *sep = "";
    for (const cJSON *e = j->child; e; e = e->next) {
        sbuf_add(out, sep);
        words(field, e, out);
        sep = ui_pgettext("value", ", ");
    }
}

/* A Raft log entry [term, command], as the log panel writes it (term:command);
 * a configuration entry's command is {"config": [...], "old": [...]}. */
static void log_entry(const cJSON *e, struct sbuf *out)
{
    const cJSON *term = cJSON_GetArrayItem(e, 0), *cmd = cJSON_GetArrayItem(e, 1);
    words("term", term, out);
    sbuf_addc(out, ':');
    const cJSON *config = cJSON_GetObjectItemCaseSensitive(cmd, "config");
    const cJSON *old = cJSON_GetObjectItemCaseSensitive(cmd, "old");
    if (!config) {
        words("command", cmd, out);
        return;
    }
    struct sbuf now, before;
    sbuf_init(&now);
    sbuf_init(&before);
    list("config", config, &now);
    if (old) {
        list("config", old, &before);
        fill(out, ui_pgettext("value", "config %s > %s"), before.s, now.s);
    } else {
        fill(out, ui_pgettext("value", "config %s"), now.s, NULL);
    }
    sbuf_free(&now);
    sbuf_free(&before);
}

/* An object: accepted (slot -> [ballot, value]), learned (slot -> value),
 * next_index and match_index (name -> index). One slot 1 alone (Basic
 * Paxos has no other) is not named. */
static void object(const char *field, const cJSON *j, struct sbuf *out)
{
    bool slots = is(field, "accepted") || is(field, "learned");
    bool only_slot_1 = slots && j->child && !j->child->next && !strcmp(j->child->string, "1");
    struct sbuf v;
    sbuf_init(&v);
    const char *sep = "";
    for (const cJSON *e = j->child; e; e = e->next) {
        sbuf_reset(&v);
        if (is(field, "accepted") && cJSON_GetArraySize(e) == 2) {
            struct sbuf ballot;
            sbuf_init(&ballot);
            words("ballot", cJSON_GetArrayItem(e, 0), &ballot);
            struct sbuf value;
            sbuf_init(&value);
            words("value", cJSON_GetArrayItem(e, 1), &value);
            fill(&v, ui_pgettext("value", "%s (ballot %s)"), value.s, ballot.s);
            sbuf_free(&value);
            sbuf_free(&ballot);
        } else {
            words("value", e, &v);
        }
        sbuf_add(out, sep);
        if (only_slot_1)
            sbuf_add(out, v.s);
        else
            fill(out, slots ? ui_pgettext("value", "slot %s: %s") : ui_pgettext("value", "%s: %s"),
                 e->string, v.s);
        sep = ui_pgettext("value", ", ");
    }
    sbuf_free(&v);
}

static void words(const char *field, const cJSON *j, struct sbuf *out)
{
    if (!j || cJSON_IsNull(j)) {
        sbuf_add(out, null_word(field));
    } else if (cJSON_IsBool(j)) {
        sbuf_add(out, cJSON_IsTrue(j) ? ui_pgettext("value", "yes") : ui_pgettext("value", "no"));
    } else if (cJSON_IsNumber(j)) {
        double d = j->valuedouble;
        if (d > -9e15 && d < 9e15 && (double)(long long)d == d)
            sbuf_add_int(out, (long long)d);
        else
            sbuf_printf(out, "%g", d);
    } else if (cJSON_IsString(j)) {
        /* A role or phase is the engine's word (follower, prepare). */
        sbuf_add(out, is(field, "role") || is(field, "phase") ? ui_tr_role(j->valuestring)
                                                              : j->valuestring);
    } else if (!j->child) {
        sbuf_add(out, empty_word(field));
    } else if (cJSON_IsObject(j)) {
        object(field, j, out);
    } else if (is(field, "log")) {
        const char *sep = "";
        for (const cJSON *e = j->child; e; e = e->next) {
            sbuf_add(out, sep);
            log_entry(e, out);
            sep = " ";
        }
    } else {
        list(field, j, out);
    }
}

void field_words(const char *field, const char *json, struct sbuf *out)
{
    cJSON *j = cJSON_Parse(json);
    if (!j) {
        sbuf_add(out, json);
        return;
    }
    words(field, j, out);
    cJSON_Delete(j);
}
