/* transcript_json: the JSON form of a transcript (docs/transcript-format.md),
 * written with a fixed layout (the same bytes for the same run) and read
 * back strictly: a truncated or corrupted file is refused with where and
 * what. */
#include <cJSON.h>
#include <errno.h>
#include <libintl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "note_text.h"
#include "protocols/paxos.h"
#include "transcript.h"
#include "transcript_kept.h"

void transcript_json_canonical(const char *json, struct sbuf *out)
{
    cJSON *v = json && *json ? cJSON_Parse(json) : NULL;
    char *t = v ? cJSON_PrintUnformatted(v) : NULL;
    sbuf_add(out, t ? t : "null");
    cJSON_free(t);
    cJSON_Delete(v);
}

/* ---- Writing ---- */

static void put_str(struct sbuf *b, const char *key, const char *s)
{
    sbuf_printf(b, "\"%s\": ", key);
    sbuf_json_str(b, s);
}

static void put_node(struct sbuf *b, const struct transcript *t, int node)
{
    if (node >= 0 && node < t->n_nodes)
        sbuf_json_str(b, t->names[node]);
    else
        sbuf_add(b, "null");
}

/* A probability in parts per billion as an exact decimal: 0.25, 1, 0. */
static void put_ppb(struct sbuf *b, uint64_t ppb)
{
    if (ppb >= 1000000000ULL) {
        sbuf_add(b, "1");
        return;
    }
    if (!ppb) {
        sbuf_add(b, "0");
        return;
    }
    char digits[16];
    snprintf(digits, sizeof digits, "%09llu", (unsigned long long)ppb);
    size_t n = strlen(digits);
    while (n && digits[n - 1] == '0')
        n--;
    digits[n] = 0;
    sbuf_printf(b, "0.%s", digits);
}

/* Compact JSON text with a space after each ':' and ',' outside strings
 * (it reads back to the same compact form). */
static void put_spaced(struct sbuf *b, const char *json)
{
    bool in_str = false, esc = false;
    for (const char *p = json; *p; p++) {
        sbuf_addc(b, *p);
        if (in_str) {
            if (esc)
                esc = false;
            else if (*p == '\\')
                esc = true;
            else if (*p == '"')
                in_str = false;
        } else if (*p == '"') {
            in_str = true;
        } else if (*p == ':' || *p == ',') {
            sbuf_addc(b, ' ');
        }
    }
}

/* "note": "SIM_SENT", "args": [{"int": 3}, {"msg": "RequestVote S1→S2 ..."}, ...]
 * (docs/transcript-format.md, "Notes"). */
static void put_note(struct sbuf *b, const struct transcript *t, const struct proto_note *n)
{
    const char *name = note_id_name(n->id);
    put_str(b, "note", name ? name : "FEED_TEXT");
    sbuf_add(b, ", \"args\": [");
    for (int i = 0; i < n->n_args; i++) {
        const struct note_arg *a = &n->args[i];
        sbuf_add(b, i ? ", {" : "{");
        switch ((enum note_arg_kind)a->kind) {
        case NA_INT:
            sbuf_printf(b, "\"int\": %lld", (long long)a->v.i);
            break;
        case NA_NODE:
            sbuf_add(b, "\"node\": ");
            put_node(b, t, (int)a->v.i);
            break;
        case NA_NODESET: {
            sbuf_add(b, "\"nodes\": [");
            bool first = true;
            for (int k = 0; k < PROTO_MAX_NODES; k++)
                if (a->v.i & (1LL << k)) {
                    sbuf_add(b, first ? "" : ", ");
                    put_node(b, t, k);
                    first = false;
                }
            sbuf_add(b, "]");
            break;
        }
        case NA_BALLOT:
            if (!a->v.i) {
                sbuf_add(b, "\"ballot\": null");
            } else {
                sbuf_printf(b, "\"ballot\": {\"round\": %lld, \"node\": ", (long long)a->v.i);
                put_node(b, t, a->aux);
                sbuf_add(b, "}");
            }
            break;
        case NA_STR:
            put_str(b, a->aux == TRANSCRIPT_ARG_MSG ? "msg" : "str", a->v.s ? a->v.s : "");
            if (a->aux > 0)
                sbuf_printf(b, ", \"cut\": %d", (int)a->aux);
            break;
        case NA_MSGTYPE:
            sbuf_add(b, "\"msgtype\": ");
            if (a->v.i > MSG_NONE && a->v.i < MSG_TYPE_COUNT)
                sbuf_json_str(b, msg_type_name((enum msg_type)a->v.i));
            else
                sbuf_add(b, "null");
            break;
        case NA_NOTE: {
            const char *p = note_id_name((int)a->v.i);
            sbuf_add(b, "\"phrase\": ");
            if (p)
                sbuf_json_str(b, p);
            else
                sbuf_add(b, "null");
            if (a->aux > 0)
                sbuf_printf(b, ", \"from\": %d", (int)a->aux);
            break;
        }
        case NA_MSG: /* never in a transcript: kept as its line */
            sbuf_add(b, "\"msg\": \"\"");
            break;
        }
        sbuf_add(b, "}");
    }
    sbuf_add(b, "]");
}

void transcript_line_json(struct sbuf *b, const struct transcript *t,
                          const struct transcript_line *l)
{
    sbuf_printf(b, "{\"t\": %lld, ", (long long)l->time);
    if (l->node >= 0) {
        sbuf_add(b, "\"node\": ");
        put_node(b, t, l->node);
        sbuf_add(b, ", ");
    }
    sbuf_printf(b, "\"kind\": \"%s\", ", feed_kind_name(l->kind));
    if (l->msg)
        sbuf_printf(b, "\"msg\": %llu, ", (unsigned long long)l->msg);
    put_note(b, t, &l->note);
    sbuf_add(b, "}");
}

static void put_lines(struct sbuf *b, const struct transcript *t, const char *key,
                      const struct transcript_line *lines, size_t n, const char *indent)
{
    sbuf_printf(b, "\"%s\": [", key);
    for (size_t i = 0; i < n; i++) {
        sbuf_printf(b, "%s\n%s  ", i ? "," : "", indent);
        transcript_line_json(b, t, &lines[i]);
    }
    sbuf_printf(b, n ? "\n%s]" : "]", indent);
}

static void put_range(struct sbuf *b, const char *key, int64_t lo, int64_t hi)
{
    sbuf_printf(b, "\"%s\": {\"min\": %lld, \"max\": %lld}", key, (long long)lo, (long long)hi);
}

/* Indexed by bit (enum proto_option); "joint" is membership "joint". */
static const char *const option_names[] = {
    "prevote", "check_quorum", "noop_on_election", "fast_backup", "multi",
    "nack",    "joint",        "leader_stickiness"};
#define N_OPTIONS (sizeof option_names / sizeof option_names[0])

static void put_cluster(struct sbuf *b, const struct transcript *t)
{
    const struct transcript_cluster *c = &t->cluster;
    sbuf_add(b, "  \"cluster\": {\"nodes\": [");
    for (int i = 0; i < t->n_nodes; i++) {
        sbuf_add(b, i ? ", " : "");
        sbuf_json_str(b, t->names[i]);
    }
    sbuf_printf(b, "], \"seed\": %llu, ", (unsigned long long)c->seed);
    put_range(b, "latency", c->latency_min, c->latency_max);
    sbuf_add(b, ", \"loss\": ");
    put_ppb(b, c->loss_ppb);
    sbuf_add(b, ", \"duplicate\": ");
    put_ppb(b, c->duplicate_ppb);
    sbuf_add(b, ", ");
    put_range(b, "election_timeout", c->election_min, c->election_max);
    sbuf_printf(b, ", \"heartbeat\": %lld, \"timeouts\": {", (long long)c->heartbeat);
    bool any = false;
    for (int i = 0; i < t->n_nodes; i++) {
        if (c->timeouts[i] < 0)
            continue;
        sbuf_add(b, any ? ", " : "");
        sbuf_json_str(b, t->names[i]);
        sbuf_printf(b, ": %lld", (long long)c->timeouts[i]);
        any = true;
    }
    sbuf_add(b, "}, \"options\": [");
    any = false;
    for (size_t k = 0; k < N_OPTIONS; k++)
        if (c->options & (1u << k)) {
            sbuf_printf(b, "%s\"%s\"", any ? ", " : "", option_names[k]);
            any = true;
        }
    sbuf_add(b, "]");
    /* The safety lab: the bug switches on, only when there are some. */
    any = false;
    for (unsigned bit = 1; bit; bit <<= 1)
        if ((c->bugs & bit) && proto_bug_name(bit)) {
            sbuf_printf(b, "%s\"%s\"", any ? ", " : ", \"bugs\": [", proto_bug_name(bit));
            any = true;
        }
    if (any)
        sbuf_add(b, "]");
    if (c->roles) {
        const bool *sets[3] = {c->proposer, c->acceptor, c->learner};
        const char *keys[3] = {"proposers", "acceptors", "learners"};
        sbuf_add(b, ", \"roles\": {");
        for (int r = 0; r < 3; r++) {
            sbuf_printf(b, "%s\"%s\": [", r ? ", " : "", keys[r]);
            any = false;
            for (int i = 0; i < t->n_nodes; i++)
                if (sets[r][i]) {
                    sbuf_add(b, any ? ", " : "");
                    sbuf_json_str(b, t->names[i]);
                    any = true;
                }
            sbuf_add(b, "]");
        }
        sbuf_add(b, "}");
    }
    sbuf_add(b, "},\n");
}

void transcript_input_json(struct sbuf *b, const struct transcript_in *in)
{
    sbuf_printf(b, "{\"kind\": \"%s\"", transcript_input_names[in->kind]);
    switch (in->kind) {
    case TI_CHOICE:
        sbuf_printf(b, ", \"choice\": %d", in->choice);
        break;
    case TI_VALUE:
        sbuf_add(b, ", ");
        put_str(b, "text", in->text);
        break;
    case TI_ACTION:
        sbuf_add(b, ", \"action\": ");
        put_spaced(b, in->text);
        break;
    case TI_CONTINUE:
        break;
    case TI_MESSAGE:
        sbuf_printf(b, ", \"do\": \"%s\", \"id\": %llu", lesson_action_names[in->msg_kind],
                    (unsigned long long)in->msg_id);
        break;
    case TI_SEEK:
        sbuf_printf(b, ", \"pos\": %llu", (unsigned long long)in->pos);
        break;
    case TI_BRANCH:
        sbuf_printf(b, ", \"branch\": %llu", (unsigned long long)in->branch);
        break;
    default:
        break;
    }
    if (in->stopped && (in->kind == TI_ACTION || in->kind == TI_CONTINUE)) {
        sbuf_add(b, ", \"stopped\": ");
        put_spaced(b, in->stopped);
    }
    sbuf_add(b, "}");
}

static void put_step_index(struct sbuf *b, long at)
{
    if (at < 0)
        sbuf_add(b, "null");
    else
        sbuf_printf(b, "%ld", at);
}

static void put_entry(struct sbuf *b, const struct transcript *t, size_t i, bool abandoned)
{
    const struct transcript_entry *e = &t->e[i];
    const char *in = "      ";
    sbuf_printf(b, "    {\n%s\"n\": %zu,\n%s\"by\": \"%s\",\n%s\"%s\": ", in, i + 1, in,
                e->learner ? "learner" : "script", in, e->n_in == 1 ? "input" : "inputs");
    if (e->n_in != 1)
        sbuf_add(b, "[");
    for (size_t k = 0; k < e->n_in; k++) {
        sbuf_add(b, k ? ", " : "");
        transcript_input_json(b, &e->in[k]);
    }
    if (e->n_in != 1)
        sbuf_add(b, "]");
    sbuf_printf(b, ",\n%s\"at\": ", in);
    put_step_index(b, e->at);
    sbuf_printf(b, ",\n%s", in);
    put_str(b, "kind", e->step_kind);
    if (e->title) {
        sbuf_printf(b, ",\n%s", in);
        put_str(b, "title", e->title);
    }
    if (e->action) {
        sbuf_printf(b, ",\n%s", in);
        put_str(b, "action", e->action);
    }
    sbuf_printf(b, ",\n%s\"next\": ", in);
    put_step_index(b, e->next);
    if (e->state) {
        sbuf_printf(b, ",\n%s", in);
        put_str(b, "state", e->state);
    }
    sbuf_printf(b, ",\n%s\"time\": %lld,\n%s\"pos\": %llu,\n%s\"ops\": %llu", in,
                (long long)e->time, in, (unsigned long long)e->pos, in, (unsigned long long)e->ops);
    if (abandoned) /* on a branch the run left (transcript_kept.h) */
        sbuf_printf(b, ",\n%s\"abandoned\": true", in);
    if (e->n_lines) {
        sbuf_printf(b, ",\n%s", in);
        put_lines(b, t, "feed", e->lines, e->n_lines, in);
    }
    if (e->elided.n) {
        const struct transcript_elided *g = &e->elided;
        sbuf_printf(b, ",\n%s\"feed_elided\": {\"after\": %zu, \"lines\": %llu, \"kinds\": {", in,
                    g->after, (unsigned long long)g->n);
        const char *sep = "";
        for (int k = 0; k < TRANSCRIPT_FEED_KINDS; k++)
            if (g->kinds[k]) {
                sbuf_printf(b, "%s\"%s\": %llu", sep, feed_kind_name((enum feed_kind)k),
                            (unsigned long long)g->kinds[k]);
                sep = ", ";
            }
        sbuf_printf(b, "}, \"sha256\": \"%s\"}", g->sha256);
    }
    if (e->n_changes) {
        sbuf_printf(b, ",\n%s\"changes\": [", in);
        for (size_t k = 0; k < e->n_changes; k++) {
            const struct transcript_change *c = &e->changes[k];
            sbuf_printf(b, "%s\n%s  {\"node\": ", k ? "," : "", in);
            put_node(b, t, c->node);
            sbuf_printf(b, ", \"field\": \"%s\", \"from\": ", c->field);
            put_spaced(b, c->from);
            sbuf_add(b, ", \"to\": ");
            put_spaced(b, c->to);
            sbuf_add(b, "}");
        }
        sbuf_printf(b, "\n%s]", in);
    }
    if (e->n_checks) {
        sbuf_printf(b, ",\n%s\"checks\": [", in);
        for (size_t k = 0; k < e->n_checks; k++) {
            const struct transcript_check *c = &e->checks[k];
            sbuf_printf(b, "%s\n%s  {", k ? "," : "", in);
            put_str(b, "path", c->path);
            sbuf_printf(b, ", \"ok\": %s", c->ok ? "true" : "false");
            if (c->detail) {
                sbuf_add(b, ", ");
                put_str(b, "detail", c->detail);
            }
            sbuf_add(b, "}");
        }
        sbuf_printf(b, "\n%s]", in);
    }
    if (e->has_quiz) {
        const struct transcript_quiz *q = &e->quiz;
        sbuf_printf(b, ",\n%s\"quiz\": {", in);
        put_str(b, "path", q->path);
        sbuf_add(b, ", ");
        put_str(b, "kind", q->kind);
        sbuf_printf(b, ",\n%s  ", in);
        put_str(b, "question", q->question);
        sbuf_printf(b, ",\n%s  ", in);
        put_str(b, "given", q->given);
        sbuf_printf(b, ",\n%s  ", in);
        put_str(b, "answer", q->answer);
        sbuf_printf(b, ",\n%s  \"right\": %s, %s\"points\": %d, \"of\": %d}", in,
                    q->right ? "true" : "false", q->retry ? "\"retry\": true, " : "", q->points,
                    q->of);
    }
    sbuf_printf(b, ",\n%s\"score\": %d,\n%s\"total\": %d", in, e->score, in, e->total);
    if (e->goal_actions >= 0)
        sbuf_printf(b, ",\n%s\"goal_actions\": %d", in, e->goal_actions);
    sbuf_printf(b, ",\n%s\"safe\": %s", in, e->safe ? "true" : "false");
    if (e->violation) {
        sbuf_printf(b, ",\n%s", in);
        put_str(b, "violation", e->violation);
    }
    sbuf_printf(b, "\n    }");
}

static void put_end(struct sbuf *b, const struct transcript *t)
{
    const struct transcript_end *e = &t->end;
    const char *in = "    ";
    sbuf_printf(b,
                "  \"end\": {\n%s\"time\": %lld,\n%s\"pos\": %llu,\n%s\"ops\": %llu,\n%s"
                "\"events\": %llu,\n%s\"step\": ",
                in, (long long)e->time, in, (unsigned long long)e->pos, in,
                (unsigned long long)e->ops, in, (unsigned long long)e->events, in);
    put_step_index(b, e->step);
    sbuf_printf(b, ",\n%s\"pending\": %llu,\n%s\"score\": %d,\n%s\"total\": %d,\n%s\"safe\": %s",
                in, (unsigned long long)e->pending, in, e->score, in, e->total, in,
                e->safe ? "true" : "false");
    if (e->violation) {
        sbuf_printf(b, ",\n%s", in);
        put_str(b, "violation", e->violation);
    }
    sbuf_printf(b, ",\n%s\"leaders\": [", in);
    for (size_t i = 0; i < e->n_leaders; i++) {
        sbuf_printf(b, "%s{\"term\": %lld, \"node\": ", i ? ", " : "",
                    (long long)e->leaders[i].term);
        put_node(b, t, e->leaders[i].node);
        sbuf_add(b, "}");
    }
    sbuf_add(b, "]");
    if (t->protocol == PROTO_RAFT) {
        sbuf_printf(b, ",\n%s\"committed\": [", in);
        for (size_t i = 0; i < e->n_committed; i++) {
            sbuf_add(b, i ? ", " : "");
            sbuf_json_str(b, e->committed[i]);
        }
    } else {
        sbuf_printf(b, ",\n%s\"chosen\": [", in);
        bool any = false;
        for (size_t i = 0; i < e->n_committed; i++) {
            if (!e->committed[i])
                continue;
            sbuf_printf(b, "%s{\"slot\": %zu, \"value\": ", any ? ", " : "", i + 1);
            sbuf_json_str(b, e->committed[i]);
            sbuf_add(b, "}");
            any = true;
        }
    }
    sbuf_printf(b, "],\n%s\"nodes\": {", in);
    for (int n = 0; n < t->n_nodes; n++) {
        sbuf_printf(b, "%s\n%s  ", n ? "," : "", in);
        sbuf_json_str(b, t->names[n]);
        sbuf_add(b, ": {");
        for (size_t k = 0; k < e->n_fields[n]; k++) {
            sbuf_printf(b, "%s\"%s\": ", k ? ", " : "", e->fields[n][k]);
            put_spaced(b, e->values[n][k]);
        }
        sbuf_add(b, "}");
    }
    sbuf_printf(b, "\n%s}\n  }\n", in);
}

void transcript_write_json(const struct transcript *t, struct sbuf *b)
{
    sbuf_printf(b, "{\n  \"format\": \"%s\",\n  \"version\": %d,\n", TRANSCRIPT_FORMAT,
                TRANSCRIPT_VERSION);
    sbuf_add(b, "  \"tool\": {\"name\": \"consensus-tutor\", ");
    put_str(b, "version", t->tool_version);
    sbuf_printf(b, "},\n  \"mode\": \"%s\",\n", t->mode == TRANSCRIPT_RUN ? "run" : "learner");
    if (t->student) {
        sbuf_add(b, "  ");
        put_str(b, "student", t->student);
        sbuf_add(b, ",\n");
    }
    if (t->date) {
        sbuf_add(b, "  ");
        put_str(b, "date", t->date);
        sbuf_add(b, ",\n");
    }
    sbuf_add(b, "  \"lesson\": {");
    put_str(b, "id", t->lesson_id);
    sbuf_add(b, ", ");
    put_str(b, "title", t->lesson_title);
    sbuf_add(b, ",\n    ");
    put_str(b, "file", t->lesson_file);
    sbuf_add(b, ",\n    ");
    put_str(b, "sha256", t->sha256);
    sbuf_printf(b, ",\n    \"protocol\": \"%s\", ", t->protocol == PROTO_RAFT ? "raft" : "paxos");
    put_str(b, "lang", t->lesson_lang);
    sbuf_printf(b, ", \"steps\": %zu},\n", t->lesson_steps);
    put_cluster(b, t);
    sbuf_add(b, "  ");
    put_lines(b, t, "start", t->start, t->n_start, "  ");
    sbuf_add(b, ",\n  \"steps\": [");
    struct transcript_kept kept;
    transcript_kept_build(t, &kept);
    for (size_t i = 0; i < t->n; i++) {
        sbuf_add(b, i ? ",\n" : "\n");
        put_entry(b, t, i, kept.entry[i] == TK_ABANDONED);
    }
    transcript_kept_free(&kept);
    sbuf_add(b, t->n ? "\n  ]" : "]");
    if (t->has_end) {
        sbuf_add(b, ",\n");
        put_end(b, t);
    } else {
        sbuf_add(b, "\n");
    }
    sbuf_add(b, "}\n");
}

/* ---- Reading ---- */

struct rd {
    const char *file;
    struct sbuf *err;
    bool failed;
    struct transcript *t;
    bool marked; /* a step marked "abandoned" was read */
    size_t len;  /* the file's bytes: what a count it gives may ask for at most */
};

/* The first problem found, "FILE: PATH: message": the sentence is the
 * catalog's (xgettext knows fail's third argument as a msgid, po/Makevars),
 * the path and the values it quotes stay as the transcript has them. */
static bool fail(struct rd *c, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool fail(struct rd *c, const char *path, const char *fmt, ...)
{
    if (c->failed)
        return false;
    c->failed = true;
    sbuf_printf(c->err, "%s: %s%s", c->file, path ? path : "", path && *path ? ": " : "");
    va_list ap;
    va_start(ap, fmt);
    char buf[512];
    vsnprintf(buf, sizeof buf, gettext(fmt), ap);
    va_end(ap);
    sbuf_add(c->err, buf);
    return false;
}

static const char *describe(const cJSON *v)
{
    if (!v)
        return gettext("nothing");
    if (cJSON_IsString(v))
        return gettext("a string");
    if (cJSON_IsNumber(v))
        return gettext("a number");
    if (cJSON_IsBool(v))
        return v->type & cJSON_True ? "true" : "false";
    if (cJSON_IsNull(v))
        return "null";
    if (cJSON_IsArray(v))
        return gettext("an array");
    return gettext("an object");
}

/* path + "." + key, or path + "[i]" (a small ring of buffers: paths live
 * only as long as the message they are for). */
static const char *sub(const char *path, const char *key, long idx)
{
    static char ring[8][256];
    static int at;
    char *b = ring[at++ % 8];
    int n = key ? snprintf(b, sizeof ring[0], "%s%s%s", path, *path ? "." : "", key)
                : snprintf(b, sizeof ring[0], "%s[%ld]", path, idx);
    if (n < 0 || (size_t)n >= sizeof ring[0])
        memcpy(b + sizeof ring[0] - 4, "...", 4); /* a path that long is cut */
    return b;
}

/* Copies a path made by sub() into the caller's buffer, so later sub()
 * calls cannot overwrite it. */
#define PIN(path)                                                                                  \
    char pin_##path[256];                                                                          \
    snprintf(pin_##path, sizeof pin_##path, "%s", path);                                           \
    path = pin_##path

static bool check_keys(struct rd *c, const cJSON *obj, const char *path, const char *const *names)
{
    for (const cJSON *k = obj->child; k; k = k->next) {
        bool known = false;
        for (const char *const *n = names; *n && !known; n++)
            known = !strcmp(*n, k->string);
        if (!known)
            return fail(c, path, "unknown key \"%s\"", k->string);
    }
    return true;
}

static const cJSON *get(struct rd *c, const cJSON *obj, const char *key, const char *path,
                        bool required)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v && required)
        fail(c, path, "the key \"%s\" is missing", key);
    return v;
}

static bool want_object(struct rd *c, const cJSON *v, const char *path)
{
    if (!cJSON_IsObject(v))
        return fail(c, path, "expected an object, found %s", describe(v));
    return true;
}

static bool want_array(struct rd *c, const cJSON *v, const char *path)
{
    if (!cJSON_IsArray(v))
        return fail(c, path, "expected an array, found %s", describe(v));
    return true;
}

static bool rd_int(struct rd *c, const cJSON *v, const char *path, int64_t min, int64_t max,
                   int64_t *out)
{
    if (!cJSON_IsNumber(v) || v->valuedouble < (double)min || v->valuedouble > (double)max ||
        v->valuedouble != (double)(int64_t)v->valuedouble)
        return fail(c, path, "expected an integer %lld..%lld, found %s", (long long)min,
                    (long long)max, describe(v));
    *out = (int64_t)v->valuedouble;
    return true;
}

#define MAX_INT (1LL << 53)

static bool key_int(struct rd *c, const cJSON *obj, const char *key, const char *path, int64_t min,
                    int64_t max, int64_t *out)
{
    const cJSON *v = get(c, obj, key, path, true);
    return v && rd_int(c, v, sub(path, key, 0), min, max, out);
}

/* An integer, or null for -1. */
static bool key_step(struct rd *c, const cJSON *obj, const char *key, const char *path, long *out)
{
    const cJSON *v = get(c, obj, key, path, true);
    if (!v)
        return false;
    if (cJSON_IsNull(v)) {
        *out = -1;
        return true;
    }
    int64_t x;
    if (!rd_int(c, v, sub(path, key, 0), 0, 1000000000, &x))
        return false;
    *out = (long)x;
    return true;
}

static bool rd_bool(struct rd *c, const cJSON *v, const char *path, bool *out)
{
    if (!cJSON_IsBool(v))
        return fail(c, path, "expected true or false, found %s", describe(v));
    *out = cJSON_IsTrue(v);
    return true;
}

static bool key_bool(struct rd *c, const cJSON *obj, const char *key, const char *path, bool *out)
{
    const cJSON *v = get(c, obj, key, path, true);
    return v && rd_bool(c, v, sub(path, key, 0), out);
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (!d)
        abort();
    memcpy(d, s, n);
    return d;
}

/* A string (copied), or NULL after an error or when absent and optional. */
static char *rd_str(struct rd *c, const cJSON *v, const char *path)
{
    if (!cJSON_IsString(v)) {
        fail(c, path, "expected a string, found %s", describe(v));
        return NULL;
    }
    return xstrdup(v->valuestring);
}

static char *key_str(struct rd *c, const cJSON *obj, const char *key, const char *path,
                     bool required)
{
    const cJSON *v = get(c, obj, key, path, required);
    return v ? rd_str(c, v, sub(path, key, 0)) : NULL;
}

/* A catalog language name ("zh_CN"), safe to hand to gettext. */
static bool lang_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 32)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || strchr("_-@.", *s)))
            return false;
    return true;
}

static int node_index(const struct transcript *t, const char *name)
{
    for (int i = 0; i < t->n_nodes; i++)
        if (!strcmp(t->names[i], name))
            return i;
    return -1;
}

static bool rd_node(struct rd *c, const cJSON *v, const char *path, bool allow_null, int *out)
{
    if (allow_null && (!v || cJSON_IsNull(v))) {
        *out = -1;
        return true;
    }
    if (!cJSON_IsString(v))
        return fail(c, path, "expected a node name, found %s", describe(v));
    *out = node_index(c->t, v->valuestring);
    if (*out < 0)
        return fail(c, path, "no node named \"%s\" in cluster.nodes", v->valuestring);
    return true;
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        abort();
    return p;
}

#define MAX_ARG_TEXT 4096 /* bytes of a string argument */

/* The highest {k} in a template (0: none). */
static int max_placeholder(const char *tmpl)
{
    int k = 0;
    for (const char *p = tmpl ? strchr(tmpl, '{') : NULL; p; p = strchr(p + 1, '{'))
        if (p[1] >= '1' && p[1] <= '9' && p[2] == '}' && p[1] - '0' > k)
            k = p[1] - '0';
    return k;
}

/* A note name: a known note, or NOTE_NONE with the error said. */
static int rd_note_name(struct rd *c, const cJSON *v, const char *path, bool allow_null)
{
    if (allow_null && cJSON_IsNull(v))
        return NOTE_NONE;
    if (!cJSON_IsString(v)) {
        fail(c, path, "expected a note name, found %s", describe(v));
        return -1;
    }
    int id = note_id_parse(v->valuestring);
    if (id == NOTE_NONE) {
        fail(c, path, "unknown note \"%.64s\"", v->valuestring);
        return -1;
    }
    return id;
}

static bool rd_arg_str(struct rd *c, const cJSON *v, const char *path, struct note_arg *a)
{
    if (!cJSON_IsString(v))
        return fail(c, path, "expected a string, found %s", describe(v));
    if (strlen(v->valuestring) > MAX_ARG_TEXT)
        return fail(c, path, "a note's text argument is at most %d bytes", MAX_ARG_TEXT);
    *a = note_str(xstrdup(v->valuestring));
    return true;
}

/* One argument: {"int": 3}, {"node": "S2"}, {"nodes": [...]}, {"ballot":
 * {...} or null}, {"str": "...", "cut": n}, {"msg": "..."}, {"msgtype":
 * "AppendEntries"}, {"phrase": "NAME", "from": k}. */
static bool rd_arg(struct rd *c, const cJSON *v, const char *path, int n_args, struct note_arg *a)
{
    static const char *const keys[] = {"int",     "node",   "nodes", "ballot", "str", "msg",
                                       "msgtype", "phrase", "cut",   "from",   NULL};
    if (!want_object(c, v, path) || !check_keys(c, v, path, keys))
        return false;
    const cJSON *k = v->child;
    if (!k)
        return fail(c, path,
                    "an argument names its kind (int, node, nodes, ballot, str, msg, "
                    "msgtype or phrase)");
    const char *kind = k->string, *kp = sub(path, kind, 0);
    bool extra_ok = (!strcmp(kind, "str") && k->next && !strcmp(k->next->string, "cut")) ||
                    (!strcmp(kind, "phrase") && k->next && !strcmp(k->next->string, "from"));
    if (k->next && (!extra_ok || k->next->next))
        return fail(c, path, "one kind per argument (\"%s\" and \"%s\")", kind, k->next->string);
    memset(a, 0, sizeof *a);
    int64_t x;
    int node;
    if (!strcmp(kind, "int")) {
        if (!rd_int(c, k, kp, -MAX_INT, MAX_INT, &x))
            return false;
        *a = note_int(x);
    } else if (!strcmp(kind, "node")) {
        if (!rd_node(c, k, kp, true, &node))
            return false;
        *a = note_node(node);
    } else if (!strcmp(kind, "nodes")) {
        if (!want_array(c, k, kp))
            return false;
        uint32_t bits = 0;
        long i = 0;
        for (const cJSON *e = k->child; e; e = e->next, i++) {
            if (!rd_node(c, e, sub(kp, NULL, i), false, &node))
                return false;
            bits |= 1u << node;
        }
        *a = note_nodeset(bits);
    } else if (!strcmp(kind, "ballot")) {
        a->kind = NA_BALLOT;
        if (!cJSON_IsNull(k)) {
            static const char *const bkeys[] = {"round", "node", NULL};
            if (!want_object(c, k, kp) || !check_keys(c, k, kp, bkeys) ||
                !key_int(c, k, "round", kp, 1, MAX_INT, &x) ||
                !rd_node(c, get(c, k, "node", kp, true), sub(kp, "node", 0), false, &node))
                return false;
            a->v.i = x;
            a->aux = node;
        }
    } else if (!strcmp(kind, "str") || !strcmp(kind, "msg")) {
        if (!rd_arg_str(c, k, kp, a))
            return false;
        if (!strcmp(kind, "msg"))
            a->aux = TRANSCRIPT_ARG_MSG;
        else if (k->next) {
            if (!rd_int(c, k->next, sub(path, "cut", 0), 1, MAX_ARG_TEXT, &x)) {
                free((char *)a->v.s);
                a->v.s = NULL;
                return false;
            }
            a->aux = (int32_t)x;
        }
    } else if (!strcmp(kind, "msgtype")) {
        a->kind = NA_MSGTYPE;
        a->v.i = MSG_NONE;
        if (!cJSON_IsNull(k)) {
            if (!cJSON_IsString(k) || msg_type_parse(k->valuestring) == MSG_NONE)
                return fail(c, kp, "expected a message type name or null, found %s", describe(k));
            a->v.i = msg_type_parse(k->valuestring);
        }
    } else if (!strcmp(kind, "phrase")) {
        int id = rd_note_name(c, k, kp, true);
        if (id < 0)
            return false;
        *a = note_phrase(id);
        if (k->next) {
            if (!rd_int(c, k->next, sub(path, "from", 0), 1, n_args, &x))
                return false;
            a->aux = (int32_t)x;
        }
        int need = max_placeholder(note_template(id)), have = n_args - a->aux;
        if (id != NOTE_NONE && need > have)
            return fail(c, kp, "the phrase %s takes %d argument%s, %d follow", note_id_name(id),
                        need, need == 1 ? "" : "s", have);
    } else {
        return fail(c, path, "\"cut\" and \"from\" go with \"str\" and \"phrase\"");
    }
    return true;
}

static void free_args(struct proto_note *n)
{
    for (int i = 0; i < n->n_args; i++)
        if (n->args[i].kind == NA_STR)
            free((char *)n->args[i].v.s);
    n->n_args = 0;
}

/* A line's note: its name and its arguments, checked against the note's
 * template (every {k} it uses has an argument). */
static bool rd_note(struct rd *c, const cJSON *name, const cJSON *args, const char *path,
                    struct proto_note *n)
{
    if (!name || !args)
        return false;
    memset(n, 0, sizeof *n);
    int id = rd_note_name(c, name, sub(path, "note", 0), false);
    if (id < 0)
        return false;
    const char *ap = sub(path, "args", 0);
    if (!want_array(c, args, ap))
        return false;
    int count = cJSON_GetArraySize(args);
    if (count > NOTE_MAX_ARGS)
        return fail(c, ap, "a note has at most %d arguments, found %d", NOTE_MAX_ARGS, count);
    int need = max_placeholder(note_template(id));
    if (count < need)
        return fail(c, ap, "the note %s takes %d argument%s, found %d", note_id_name(id), need,
                    need == 1 ? "" : "s", count);
    n->id = (uint16_t)id;
    long i = 0;
    char pinned[256];
    snprintf(pinned, sizeof pinned, "%s", ap);
    for (const cJSON *a = args->child; a; a = a->next, i++) {
        if (!rd_arg(c, a, sub(pinned, NULL, i), count, &n->args[i])) {
            free_args(n);
            return false;
        }
        n->n_args = (uint8_t)(i + 1);
    }
    return true;
}

static bool rd_line(struct rd *c, const cJSON *v, const char *path, struct transcript_line *l)
{
    PIN(path);
    static const char *const keys[] = {"t", "node", "kind", "msg", "note", "args", "text", NULL};
    if (!want_object(c, v, path) || !check_keys(c, v, path, keys))
        return false;
    int64_t x;
    if (!key_int(c, v, "t", path, 0, MAX_INT, &x))
        return false;
    l->time = x;
    if (!rd_node(c, get(c, v, "node", path, false), sub(path, "node", 0), true, &l->node))
        return false;
    char *kind = key_str(c, v, "kind", path, true);
    if (!kind)
        return false;
    bool found = false;
    for (int k = FEED_ACTION; k <= FEED_INFO && !found; k++)
        if (!strcmp(feed_kind_name((enum feed_kind)k), kind)) {
            l->kind = (enum feed_kind)k;
            found = true;
        }
    free(kind);
    if (!found)
        return fail(c, sub(path, "kind", 0), "unknown feed kind");
    const cJSON *m = get(c, v, "msg", path, false);
    l->msg = 0;
    if (m) {
        if (!rd_int(c, m, sub(path, "msg", 0), 1, MAX_INT, &x))
            return false;
        l->msg = (uint64_t)x;
    }
    if (c->t->version >= 2 || get(c, v, "note", path, false))
        return rd_note(c, get(c, v, "note", path, true), get(c, v, "args", path, true), path,
                       &l->note);
    /* Version 1: the line in words, in the language of its feed_lang. */
    char *text = key_str(c, v, "text", path, true);
    if (!text)
        return false;
    l->legacy = true;
    l->note = (struct proto_note){.id = NOTE_FEED_TEXT, .n_args = 1, .args = {note_str(text)}};
    l->text = transcript_clean_text(text); /* its words are the data */
    return true;
}

static bool rd_lines(struct rd *c, const cJSON *v, const char *path, struct transcript_line **out,
                     size_t *n)
{
    PIN(path);
    if (!v) {
        *out = NULL;
        *n = 0;
        return true;
    }
    if (!want_array(c, v, path))
        return false;
    size_t cnt = (size_t)cJSON_GetArraySize(v);
    *out = xcalloc(cnt, sizeof **out);
    *n = 0;
    long i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        if (!rd_line(c, e, sub(path, NULL, i), &(*out)[*n]))
            return false;
        (*n)++;
    }
    return true;
}

static bool rd_ppb(struct rd *c, const cJSON *v, const char *path, uint64_t *out)
{
    if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 1)
        return fail(c, path, "expected a probability 0..1, found %s", describe(v));
    *out = (uint64_t)(v->valuedouble * 1e9 + 0.5);
    return true;
}

static bool rd_range(struct rd *c, const cJSON *obj, const char *key, const char *path, int64_t *lo,
                     int64_t *hi)
{
    PIN(path);
    static const char *const keys[] = {"min", "max", NULL};
    const cJSON *v = get(c, obj, key, path, true);
    const char *p = sub(path, key, 0);
    return v && want_object(c, v, p) && check_keys(c, v, p, keys) &&
           key_int(c, v, "min", p, 0, MAX_INT, lo) && key_int(c, v, "max", p, 0, MAX_INT, hi);
}

static bool rd_cluster(struct rd *c, const cJSON *v)
{
    static const char *const keys[] = {
        "nodes",     "seed",     "latency", "loss",  "duplicate", "election_timeout",
        "heartbeat", "timeouts", "options", "roles", "bugs",      NULL};
    const char *path = "cluster";
    struct transcript *t = c->t;
    struct transcript_cluster *cl = &t->cluster;
    if (!want_object(c, v, path) || !check_keys(c, v, path, keys))
        return false;
    const cJSON *nodes = get(c, v, "nodes", path, true);
    if (!nodes || !want_array(c, nodes, "cluster.nodes"))
        return false;
    int n = cJSON_GetArraySize(nodes);
    if (n < 1 || n > PROTO_MAX_NODES)
        return fail(c, "cluster.nodes", "%d nodes; a cluster has 1 to %d", n, PROTO_MAX_NODES);
    int i = 0;
    for (const cJSON *e = nodes->child; e; e = e->next, i++) {
        t->names[i] = rd_str(c, e, sub("cluster.nodes", NULL, i));
        if (!t->names[i])
            return false;
        if (!t->names[i][0] || strlen(t->names[i]) > 8)
            return fail(c, sub("cluster.nodes", NULL, i), "not a node name");
        for (int k = 0; k < i; k++)
            if (!strcmp(t->names[k], t->names[i]))
                return fail(c, sub("cluster.nodes", NULL, i), "duplicate node name");
    }
    t->n_nodes = n;
    int64_t x;
    if (!key_int(c, v, "seed", path, 0, MAX_INT, &x))
        return false;
    cl->seed = (uint64_t)x;
    const cJSON *p;
    if (!rd_range(c, v, "latency", path, &cl->latency_min, &cl->latency_max) ||
        !(p = get(c, v, "loss", path, true)) || !rd_ppb(c, p, "cluster.loss", &cl->loss_ppb) ||
        !(p = get(c, v, "duplicate", path, true)) ||
        !rd_ppb(c, p, "cluster.duplicate", &cl->duplicate_ppb) ||
        !rd_range(c, v, "election_timeout", path, &cl->election_min, &cl->election_max) ||
        !key_int(c, v, "heartbeat", path, 0, MAX_INT, &cl->heartbeat))
        return false;
    for (int k = 0; k < PROTO_MAX_NODES; k++)
        cl->timeouts[k] = -1;
    const cJSON *to = get(c, v, "timeouts", path, true);
    if (!to || !want_object(c, to, "cluster.timeouts"))
        return false;
    for (const cJSON *e = to->child; e; e = e->next) {
        const char *ep = sub("cluster.timeouts", e->string, 0);
        int node = node_index(t, e->string);
        if (node < 0)
            return fail(c, ep, "no such node");
        if (!rd_int(c, e, ep, 0, MAX_INT, &cl->timeouts[node]))
            return false;
    }
    const cJSON *opts = get(c, v, "options", path, true);
    if (!opts || !want_array(c, opts, "cluster.options"))
        return false;
    i = 0;
    for (const cJSON *e = opts->child; e; e = e->next, i++) {
        const char *ep = sub("cluster.options", NULL, i);
        size_t k = 0;
        while (k < N_OPTIONS && !(cJSON_IsString(e) && !strcmp(e->valuestring, option_names[k])))
            k++;
        if (k == N_OPTIONS)
            return fail(c, ep, "unknown option");
        cl->options |= 1u << k;
    }
    const cJSON *bugs = get(c, v, "bugs", path, false);
    if (bugs && !want_array(c, bugs, "cluster.bugs"))
        return false;
    i = 0;
    for (const cJSON *e = bugs ? bugs->child : NULL; e; e = e->next, i++) {
        unsigned bit = cJSON_IsString(e) ? proto_bug_lookup(t->protocol, e->valuestring) : 0;
        if (!bit)
            return fail(c, sub("cluster.bugs", NULL, i), "unknown bug");
        cl->bugs |= bit;
    }
    const cJSON *roles = get(c, v, "roles", path, false);
    if (roles) {
        static const char *const rkeys[] = {"proposers", "acceptors", "learners", NULL};
        if (!want_object(c, roles, "cluster.roles") ||
            !check_keys(c, roles, "cluster.roles", rkeys))
            return false;
        bool *sets[3] = {cl->proposer, cl->acceptor, cl->learner};
        cl->roles = true;
        for (int r = 0; r < 3; r++) {
            const char *rp = sub("cluster.roles", rkeys[r], 0);
            PIN(rp);
            const cJSON *a = get(c, roles, rkeys[r], "cluster.roles", true);
            if (!a || !want_array(c, a, rp))
                return false;
            i = 0;
            for (const cJSON *e = a->child; e; e = e->next, i++) {
                int node;
                if (!rd_node(c, e, sub(rp, NULL, i), false, &node))
                    return false;
                sets[r][node] = true;
            }
        }
    }
    return true;
}

static bool rd_input(struct rd *c, const cJSON *v, const char *path, struct transcript_in *in)
{
    PIN(path);
    static const char *const keys[] = {"kind", "choice", "text",   "action",  "do",
                                       "id",   "pos",    "branch", "stopped", NULL};
    if (!want_object(c, v, path) || !check_keys(c, v, path, keys))
        return false;
    char *kind = key_str(c, v, "kind", path, true);
    if (!kind)
        return false;
    int k = 0;
    while (k < TI_COUNT && strcmp(transcript_input_names[k], kind))
        k++;
    free(kind);
    if (k == TI_COUNT)
        return fail(c, sub(path, "kind", 0), "unknown input kind");
    in->kind = (enum transcript_input_kind)k;
    if (in->kind == TI_ACTION || in->kind == TI_CONTINUE) {
        /* A long action stopped where it was: the shorter action that ran. */
        const cJSON *st = get(c, v, "stopped", path, false);
        if (st) {
            if (!want_object(c, st, sub(path, "stopped", 0)))
                return false;
            char *s = cJSON_PrintUnformatted(st);
            in->stopped = xstrdup(s ? s : "{}");
            cJSON_free(s);
        }
    }
    int64_t x;
    switch (in->kind) {
    case TI_CHOICE:
        if (!key_int(c, v, "choice", path, 0, 1000, &x))
            return false;
        in->choice = (int)x;
        break;
    case TI_VALUE:
        in->text = key_str(c, v, "text", path, true);
        if (!in->text)
            return false;
        for (const unsigned char *q = (const unsigned char *)in->text; *q; q++)
            if (*q < 0x20 || *q == 0x7f) {
                free(in->text);
                in->text = NULL;
                return fail(c, sub(path, "text", 0), "a control character in a typed answer");
            }
        return true;
    case TI_ACTION: {
        const cJSON *a = get(c, v, "action", path, true);
        if (!a || !want_object(c, a, sub(path, "action", 0)))
            return false;
        char *s = cJSON_PrintUnformatted(a);
        in->text = xstrdup(s ? s : "{}");
        cJSON_free(s);
        break;
    }
    case TI_MESSAGE: {
        char *d = key_str(c, v, "do", path, true);
        if (!d)
            return false;
        bool ok = true;
        if (!strcmp(d, "deliver"))
            in->msg_kind = ACT_DELIVER;
        else if (!strcmp(d, "drop"))
            in->msg_kind = ACT_DROP;
        else if (!strcmp(d, "duplicate"))
            in->msg_kind = ACT_DUPLICATE;
        else
            ok = fail(c, sub(path, "do", 0), "expected deliver, drop or duplicate");
        free(d);
        if (!ok || !key_int(c, v, "id", path, 1, MAX_INT, &x))
            return false;
        in->msg_id = (uint64_t)x;
        break;
    }
    case TI_SEEK:
        if (!key_int(c, v, "pos", path, 0, MAX_INT, &x))
            return false;
        in->pos = (uint64_t)x;
        break;
    case TI_BRANCH:
        if (!key_int(c, v, "branch", path, 0, MAX_INT, &x))
            return false;
        in->branch = (uint64_t)x;
        break;
    default:
        break;
    }
    return true;
}

int transcript_input_parse(const char *json, const char *path, struct transcript_in *in,
                           struct sbuf *err)
{
    memset(in, 0, sizeof *in);
    struct rd c = {.file = "input", .err = err};
    cJSON *v = cJSON_ParseWithLength(json, strlen(json));
    if (!v) {
        sbuf_printf(err, gettext("%s: not a JSON object"), path);
        return -1;
    }
    char where[256];
    snprintf(where, sizeof where, "%s", path);
    c.file = where;
    bool ok = rd_input(&c, v, "", in);
    cJSON_Delete(v);
    if (!ok) {
        transcript_in_free(in);
        memset(in, 0, sizeof *in);
        return -1;
    }
    return 0;
}

static bool rd_quiz(struct rd *c, const cJSON *v, const char *path, struct transcript_quiz *q)
{
    PIN(path);
    static const char *const keys[] = {"path",  "kind",  "question", "given", "answer",
                                       "right", "retry", "points",   "of",    NULL};
    if (!want_object(c, v, path) || !check_keys(c, v, path, keys))
        return false;
    int64_t points, of;
    if (!(q->path = key_str(c, v, "path", path, true)) ||
        !(q->kind = key_str(c, v, "kind", path, true)) ||
        !(q->question = key_str(c, v, "question", path, true)) ||
        !(q->given = key_str(c, v, "given", path, true)) ||
        !(q->answer = key_str(c, v, "answer", path, true)) ||
        !key_bool(c, v, "right", path, &q->right) ||
        (get(c, v, "retry", path, false) && !key_bool(c, v, "retry", path, &q->retry)) ||
        !key_int(c, v, "points", path, -1000000, 1000000, &points) ||
        !key_int(c, v, "of", path, -1000000, 1000000, &of))
        return false;
    q->points = (int)points;
    q->of = (int)of;
    return true;
}

/* A step's "feed_elided": the lines left out between its first and its
 * last kept ones (transcript.h, TRANSCRIPT_KEEP_HEAD). */
static bool rd_elided(struct rd *c, const cJSON *v, const char *path, struct transcript_entry *e)
{
    PIN(path);
    static const char *const keys[] = {"after", "lines", "kinds", "sha256", NULL};
    if (!want_object(c, v, path) || !check_keys(c, v, path, keys))
        return false;
    struct transcript_elided *g = &e->elided;
    int64_t after, n;
    if (!key_int(c, v, "after", path, 0, (int64_t)e->n_lines, &after) ||
        !key_int(c, v, "lines", path, 1, MAX_INT, &n))
        return false;
    g->after = (size_t)after;
    g->n = (uint64_t)n;
    const cJSON *kinds = get(c, v, "kinds", path, true);
    const char *kp = sub(path, "kinds", 0);
    PIN(kp);
    if (!kinds || !want_object(c, kinds, kp))
        return false;
    uint64_t sum = 0;
    for (const cJSON *k = kinds->child; k; k = k->next) {
        int kind = -1;
        for (int i = 0; i < TRANSCRIPT_FEED_KINDS; i++)
            if (!strcmp(k->string, feed_kind_name((enum feed_kind)i)))
                kind = i;
        if (kind < 0)
            return fail(c, kp, "unknown kind \"%s\"", k->string);
        int64_t x;
        if (!rd_int(c, k, sub(kp, k->string, 0), 1, MAX_INT, &x))
            return false;
        g->kinds[kind] = (uint64_t)x;
        sum += (uint64_t)x;
    }
    if (sum != g->n)
        return fail(c, kp, "the kinds count %llu lines, \"lines\" says %llu",
                    (unsigned long long)sum, (unsigned long long)g->n);
    char *hex = key_str(c, v, "sha256", path, true);
    if (!hex)
        return false;
    bool ok = strlen(hex) == 64 && strspn(hex, "0123456789abcdef") == 64;
    if (ok)
        memcpy(g->sha256, hex, 65);
    free(hex);
    if (!ok)
        return fail(c, sub(path, "sha256", 0), "expected 64 lower-case hex digits");
    return true;
}

static bool rd_entry(struct rd *c, const cJSON *v, const char *path, size_t index,
                     struct transcript_entry *e)
{
    PIN(path);
    static const char *const keys[] = {
        "n",         "by",           "input",       "inputs", "at",    "kind", "title",
        "action",    "next",         "state",       "time",   "pos",   "ops",  "feed",
        "changes",   "checks",       "quiz",        "score",  "total", "safe", "violation",
        "abandoned", "goal_actions", "feed_elided", NULL};
    if (!want_object(c, v, path) || !check_keys(c, v, path, keys))
        return false;
    int64_t x;
    if (!key_int(c, v, "n", path, 1, MAX_INT, &x))
        return false;
    if ((size_t)x != index + 1)
        return fail(c, sub(path, "n", 0), "%lld, but this is step %zu (a step is missing?)",
                    (long long)x, index + 1);
    char *by = key_str(c, v, "by", path, true);
    if (!by)
        return false;
    bool ok = !strcmp(by, "learner") || !strcmp(by, "script");
    e->learner = !strcmp(by, "learner");
    free(by);
    if (!ok)
        return fail(c, sub(path, "by", 0), "expected \"learner\" or \"script\"");
    const cJSON *one = get(c, v, "input", path, false), *many = get(c, v, "inputs", path, false);
    if (!one == !many)
        return fail(c, path, "expected either \"input\" or \"inputs\"");
    if (one) {
        e->in = xcalloc(1, sizeof *e->in);
        if (!rd_input(c, one, sub(path, "input", 0), &e->in[0]))
            return false;
        e->n_in = 1;
    } else {
        const char *mp = sub(path, "inputs", 0);
        PIN(mp);
        if (!want_array(c, many, mp))
            return false;
        if (cJSON_GetArraySize(many) < 2)
            return fail(c, mp, "fewer than two inputs (write one as \"input\")");
        e->in = xcalloc((size_t)cJSON_GetArraySize(many), sizeof *e->in);
        long i = 0;
        for (const cJSON *x2 = many->child; x2; x2 = x2->next, i++) {
            if (!rd_input(c, x2, sub(mp, NULL, i), &e->in[e->n_in]))
                return false;
            e->n_in++;
        }
    }
    for (size_t k = 0; k < e->n_in; k++)
        if ((e->in[k].kind == TI_SCRIPT) == e->learner)
            return fail(c, sub(path, "by", 0),
                        "a script input is by the script, any other by the learner");
    if (!key_step(c, v, "at", path, &e->at) || !(e->step_kind = key_str(c, v, "kind", path, true)))
        return false;
    e->title = key_str(c, v, "title", path, false);
    e->action = key_str(c, v, "action", path, false);
    e->state = key_str(c, v, "state", path, false);
    int64_t pos, ops;
    if (c->failed || !key_step(c, v, "next", path, &e->next) ||
        !key_int(c, v, "time", path, 0, MAX_INT, &e->time) ||
        !key_int(c, v, "pos", path, 0, MAX_INT, &pos) ||
        !key_int(c, v, "ops", path, 0, MAX_INT, &ops))
        return false;
    e->pos = (uint64_t)pos;
    e->ops = (uint64_t)ops;
    e->fork_pos = -1;
    if (get(c, v, "abandoned", path, false) && !key_bool(c, v, "abandoned", path, &e->abandoned))
        return false;
    c->marked |= e->abandoned;
    if (!rd_lines(c, get(c, v, "feed", path, false), sub(path, "feed", 0), &e->lines, &e->n_lines))
        return false;
    const cJSON *gap = get(c, v, "feed_elided", path, false);
    if (gap && !rd_elided(c, gap, sub(path, "feed_elided", 0), e))
        return false;
    const cJSON *ch = get(c, v, "changes", path, false);
    if (ch) {
        const char *cp = sub(path, "changes", 0);
        PIN(cp);
        if (!want_array(c, ch, cp))
            return false;
        e->changes = xcalloc((size_t)cJSON_GetArraySize(ch), sizeof *e->changes);
        long i = 0;
        static const char *const ckeys[] = {"node", "field", "from", "to", NULL};
        for (const cJSON *x2 = ch->child; x2; x2 = x2->next, i++) {
            const char *ep = sub(cp, NULL, i);
            PIN(ep);
            struct transcript_change *d = &e->changes[e->n_changes];
            if (!want_object(c, x2, ep) || !check_keys(c, x2, ep, ckeys) ||
                !rd_node(c, get(c, x2, "node", ep, true), sub(ep, "node", 0), false, &d->node))
                return false;
            e->n_changes++;
            if (!(d->field = key_str(c, x2, "field", ep, true)))
                return false;
            const cJSON *from = get(c, x2, "from", ep, true), *to = get(c, x2, "to", ep, true);
            if (!from || !to)
                return false;
            char *a = cJSON_PrintUnformatted(from), *b = cJSON_PrintUnformatted(to);
            d->from = xstrdup(a ? a : "null");
            d->to = xstrdup(b ? b : "null");
            cJSON_free(a);
            cJSON_free(b);
        }
    }
    const cJSON *chk = get(c, v, "checks", path, false);
    if (chk) {
        const char *cp = sub(path, "checks", 0);
        PIN(cp);
        if (!want_array(c, chk, cp))
            return false;
        e->checks = xcalloc((size_t)cJSON_GetArraySize(chk), sizeof *e->checks);
        long i = 0;
        static const char *const ckeys[] = {"path", "ok", "detail", NULL};
        for (const cJSON *x2 = chk->child; x2; x2 = x2->next, i++) {
            const char *ep = sub(cp, NULL, i);
            PIN(ep);
            struct transcript_check *d = &e->checks[e->n_checks];
            if (!want_object(c, x2, ep) || !check_keys(c, x2, ep, ckeys))
                return false;
            e->n_checks++;
            if (!(d->path = key_str(c, x2, "path", ep, true)) || !key_bool(c, x2, "ok", ep, &d->ok))
                return false;
            d->detail = key_str(c, x2, "detail", ep, !d->ok);
            if (c->failed)
                return false;
        }
    }
    const cJSON *q = get(c, v, "quiz", path, false);
    if (q) {
        e->has_quiz = true;
        if (!rd_quiz(c, q, sub(path, "quiz", 0), &e->quiz))
            return false;
    }
    int64_t score, total;
    if (!key_int(c, v, "score", path, -1000000000, 1000000000, &score) ||
        !key_int(c, v, "total", path, -1000000000, 1000000000, &total) ||
        !key_bool(c, v, "safe", path, &e->safe))
        return false;
    e->score = (int)score;
    e->total = (int)total;
    e->goal_actions = -1;
    if (get(c, v, "goal_actions", path, false)) {
        int64_t ga;
        if (!key_int(c, v, "goal_actions", path, 0, 1000000000, &ga))
            return false;
        e->goal_actions = (int)ga;
    }
    e->violation = key_str(c, v, "violation", path, !e->safe);
    return !c->failed;
}

static bool rd_end(struct rd *c, const cJSON *v)
{
    static const char *const keys[] = {"time",    "pos",       "ops",    "events", "step",
                                       "pending", "score",     "total",  "safe",   "violation",
                                       "leaders", "committed", "chosen", "nodes",  NULL};
    const char *path = "end";
    struct transcript *t = c->t;
    struct transcript_end *e = &t->end;
    if (!want_object(c, v, path) || !check_keys(c, v, path, keys))
        return false;
    int64_t pos, ops, events, pending, score, total;
    if (!key_int(c, v, "time", path, 0, MAX_INT, &e->time) ||
        !key_int(c, v, "pos", path, 0, MAX_INT, &pos) ||
        !key_int(c, v, "ops", path, 0, MAX_INT, &ops) ||
        !key_int(c, v, "events", path, 0, MAX_INT, &events) ||
        !key_step(c, v, "step", path, &e->step) ||
        !key_int(c, v, "pending", path, 0, MAX_INT, &pending) ||
        !key_int(c, v, "score", path, -1000000000, 1000000000, &score) ||
        !key_int(c, v, "total", path, -1000000000, 1000000000, &total) ||
        !key_bool(c, v, "safe", path, &e->safe))
        return false;
    e->pos = (uint64_t)pos;
    e->ops = (uint64_t)ops;
    e->events = (uint64_t)events;
    e->pending = (uint64_t)pending;
    e->score = (int)score;
    e->total = (int)total;
    e->violation = key_str(c, v, "violation", path, !e->safe);
    if (c->failed)
        return false;
    const cJSON *ld = get(c, v, "leaders", path, true);
    if (!ld || !want_array(c, ld, "end.leaders"))
        return false;
    e->leaders = xcalloc((size_t)cJSON_GetArraySize(ld), sizeof *e->leaders);
    long i = 0;
    static const char *const lkeys[] = {"term", "node", NULL};
    for (const cJSON *x = ld->child; x; x = x->next, i++) {
        const char *ep = sub("end.leaders", NULL, i);
        PIN(ep);
        struct transcript_leader *d = &e->leaders[e->n_leaders];
        if (!want_object(c, x, ep) || !check_keys(c, x, ep, lkeys) ||
            !key_int(c, x, "term", ep, 0, MAX_INT, &d->term) ||
            !rd_node(c, get(c, x, "node", ep, true), sub(ep, "node", 0), false, &d->node))
            return false;
        e->n_leaders++;
    }
    bool raft = t->protocol == PROTO_RAFT;
    const char *ck = raft ? "committed" : "chosen";
    if (get(c, v, raft ? "chosen" : "committed", path, false))
        return fail(c, path, "\"%s\" is for %s", raft ? "chosen" : "committed",
                    raft ? "Paxos" : "Raft");
    const cJSON *cm = get(c, v, ck, path, true);
    const char *cp = sub(path, ck, 0);
    PIN(cp);
    if (!cm || !want_array(c, cm, cp))
        return false;
    i = 0;
    if (raft) {
        e->committed = xcalloc((size_t)cJSON_GetArraySize(cm), sizeof *e->committed);
        for (const cJSON *x = cm->child; x; x = x->next, i++) {
            if (!(e->committed[e->n_committed] = rd_str(c, x, sub(cp, NULL, i))))
                return false;
            e->n_committed++;
        }
    } else {
        static const char *const skeys[] = {"slot", "value", NULL};
        int64_t last = 0;
        size_t cap = 0;
        for (const cJSON *x = cm->child; x; x = x->next, i++) {
            const char *ep = sub(cp, NULL, i);
            PIN(ep);
            int64_t slot;
            if (!want_object(c, x, ep) || !check_keys(c, x, ep, skeys) ||
                !key_int(c, x, "slot", ep, last + 1, PAXOS_MAX_SLOT, &slot))
                return false;
            /* Slots may be skipped (gaps), but not past a million or the
             * file's bytes, whichever is more: a crafted slot number asks
             * for no more memory than the file's own size, give or take. */
            if ((uint64_t)slot > (uint64_t)c->len && slot > (1 << 20))
                return fail(c, sub(ep, "slot", 0), "slot %lld is past what the file can hold",
                            (long long)slot);
            char *val = key_str(c, x, "value", ep, true);
            if (!val)
                return false;
            if ((size_t)slot > cap) {
                cap = cap * 2 > (size_t)slot ? cap * 2 : (size_t)slot;
                char **grown = realloc(e->committed, cap * sizeof *grown);
                if (!grown)
                    abort();
                e->committed = grown;
            }
            for (int64_t s = last; s < slot - 1; s++)
                e->committed[s] = NULL;
            e->committed[slot - 1] = val;
            e->n_committed = (size_t)slot;
            last = slot;
        }
    }
    const cJSON *nodes = get(c, v, "nodes", path, true);
    if (!nodes || !want_object(c, nodes, "end.nodes"))
        return false;
    for (const cJSON *x = nodes->child; x; x = x->next) {
        const char *np = sub("end.nodes", x->string, 0);
        PIN(np);
        int n = node_index(t, x->string);
        if (n < 0)
            return fail(c, np, "no such node");
        if (e->fields[n])
            return fail(c, np, "listed twice");
        if (!want_object(c, x, np))
            return false;
        size_t cnt = (size_t)cJSON_GetArraySize(x);
        e->fields[n] = xcalloc(cnt, sizeof *e->fields[n]);
        e->values[n] = xcalloc(cnt, sizeof *e->values[n]);
        for (const cJSON *f = x->child; f; f = f->next) {
            char *p = cJSON_PrintUnformatted(f);
            size_t k = e->n_fields[n]++;
            e->fields[n][k] = xstrdup(f->string);
            e->values[n][k] = xstrdup(p ? p : "null");
            cJSON_free(p);
        }
    }
    for (int n = 0; n < t->n_nodes; n++)
        if (!e->fields[n])
            return fail(c, "end.nodes", "%s is missing", t->names[n]);
    t->has_end = true;
    return true;
}

static int by_key(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    return strcmp(x->string, y->string);
}

/* The first key of object v, in file order, that appears again in it, or
 * NULL. Sorted, not compared pairwise: a Multi-Paxos log is an object
 * with a key per slot, a hundred thousand slots in a long run. */
static const char *repeated_key(const cJSON *v)
{
    size_t n = 0;
    for (const cJSON *k = v->child; k; k = k->next)
        n++;
    if (n < 2)
        return NULL;
    const cJSON **keys = xcalloc(n, sizeof *keys);
    size_t i = 0;
    for (const cJSON *k = v->child; k; k = k->next)
        keys[i++] = k;
    qsort(keys, n, sizeof *keys, by_key);
    const char *twice = NULL;
    for (const cJSON *k = v->child; k && !twice; k = k->next) {
        /* Its run of equal keys in the sorted table. */
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(keys[mid]->string, k->string) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo + 1 < n && !strcmp(keys[lo + 1]->string, k->string))
            twice = k->string;
    }
    free(keys);
    return twice;
}

/* Things cJSON lets through that a transcript must not hold: duplicate
 * keys, invalid UTF-8 and control characters (newline aside). */
static bool rd_clean(struct rd *c, const cJSON *v, const char *path, int depth)
{
    if (depth > 32)
        return fail(c, path, "nested deeper than 32 levels");
    const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
    for (int pass = 0; pass < 2; pass++) {
        if (s) {
            char *clean = transcript_clean_text(s);
            bool same = !strcmp(clean, s);
            free(clean);
            if (!same)
                return fail(c, path, "%s holds invalid UTF-8 or a control character",
                            pass ? gettext("a key") : gettext("the text"));
        }
        s = pass == 0 && v->string ? v->string : NULL;
    }
    if (cJSON_IsObject(v)) {
        const char *twice = repeated_key(v);
        if (twice)
            return fail(c, path, "the key \"%s\" appears twice", twice);
    }
    long i = 0;
    for (const cJSON *k = v->child; k; k = k->next, i++) {
        const char *kp = cJSON_IsObject(v) ? sub(path, k->string, 0) : sub(path, NULL, i);
        char saved[256];
        snprintf(saved, sizeof saved, "%s", kp);
        if (!rd_clean(c, k, saved, depth + 1))
            return false;
    }
    return true;
}

static void line_col(const char *buf, size_t off, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        if (buf[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)buf[i] & 0xc0) != 0x80) {
            (*col)++;
        }
    }
}

struct transcript *transcript_read_json(const char *file, const char *buf, size_t len,
                                        struct sbuf *err)
{
    struct rd c = {.file = file, .err = err, .len = len};
    if (len == 0) {
        fail(&c, NULL, "empty file (not a transcript)");
        return NULL;
    }
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(buf, len + 1, &end, 1);
    if (!doc) {
        /* A file cut short leaves a string or a bracket open at its end. */
        int depth = 0;
        bool in_str = false, esc = false;
        for (size_t i = 0; i < len; i++) {
            char ch = buf[i];
            if (in_str) {
                if (esc)
                    esc = false;
                else if (ch == '\\')
                    esc = true;
                else if (ch == '"')
                    in_str = false;
            } else if (ch == '"')
                in_str = true;
            else if (ch == '{' || ch == '[')
                depth++;
            else if (ch == '}' || ch == ']')
                depth--;
        }
        size_t off = end && end >= buf && end <= buf + len ? (size_t)(end - buf) : len;
        bool cut = in_str || depth > 0;
        int line, col;
        line_col(buf, cut ? len : off, &line, &col);
        if (cut)
            sbuf_printf(err,
                        gettext("%s:%d:%d: the file ends in the middle of the JSON (truncated?)"),
                        file, line, col);
        else
            sbuf_printf(err, gettext("%s:%d:%d: not valid JSON here (corrupted?)"), file, line,
                        col);
        return NULL;
    }
    struct transcript *t = xcalloc(1, sizeof *t);
    c.t = t;
    static const char *const keys[] = {"format", "version",   "tool",   "mode",    "student",
                                       "date",   "feed_lang", "lesson", "cluster", "start",
                                       "steps",  "end",       NULL};
    static const char *const lesson_keys[] = {"id",       "title", "file",  "sha256",
                                              "protocol", "lang",  "steps", NULL};
    static const char *const tool_keys[] = {"name", "version", NULL};
    int64_t x;
    char *s = NULL;
    const cJSON *v;
    if (!want_object(&c, doc, "") || !rd_clean(&c, doc, "", 0))
        goto out;
    s = key_str(&c, doc, "format", "", true);
    if (!s)
        goto out;
    if (strcmp(s, TRANSCRIPT_FORMAT)) {
        fail(&c, "format", "\"%s\": not a Consensus Tutor transcript", s);
        goto out;
    }
    if (!key_int(&c, doc, "version", "", 1, MAX_INT, &x))
        goto out;
    if (x > TRANSCRIPT_VERSION) {
        fail(&c, "version",
             "%lld: this tutor reads transcripts up to version %d (a newer "
             "tutor wrote this one)",
             (long long)x, TRANSCRIPT_VERSION);
        goto out;
    }
    t->version = (int)x;
    if (!check_keys(&c, doc, "", keys))
        goto out;
    v = get(&c, doc, "tool", "", true);
    if (!v || !want_object(&c, v, "tool") || !check_keys(&c, v, "tool", tool_keys))
        goto out;
    free(s);
    s = key_str(&c, v, "name", "tool", true);
    if (!(t->tool_version = key_str(&c, v, "version", "tool", true)))
        goto out;
    free(s);
    s = key_str(&c, doc, "mode", "", true);
    if (!s)
        goto out;
    if (!strcmp(s, "run"))
        t->mode = TRANSCRIPT_RUN;
    else if (!strcmp(s, "learner"))
        t->mode = TRANSCRIPT_LEARNER;
    else if (fail(&c, "mode", "expected \"run\" or \"learner\""), 1)
        goto out;
    t->student = key_str(&c, doc, "student", "", false);
    t->date = key_str(&c, doc, "date", "", false);
    t->feed_lang = key_str(&c, doc, "feed_lang", "", false);
    if (t->feed_lang && !lang_name_ok(t->feed_lang))
        fail(&c, "feed_lang", "not a language name (letters, '_', '-', '@', '.', at most 32)");
    v = get(&c, doc, "lesson", "", true);
    if (c.failed || !v || !want_object(&c, v, "lesson") ||
        !check_keys(&c, v, "lesson", lesson_keys) ||
        !(t->lesson_id = key_str(&c, v, "id", "lesson", true)) ||
        !(t->lesson_title = key_str(&c, v, "title", "lesson", true)) ||
        !(t->lesson_file = key_str(&c, v, "file", "lesson", true)) ||
        !(t->lesson_lang = key_str(&c, v, "lang", "lesson", true)))
        goto out;
    free(s);
    s = key_str(&c, v, "sha256", "lesson", true);
    if (!s)
        goto out;
    bool hex = strlen(s) == 64;
    for (size_t i = 0; hex && i < 64; i++)
        hex = (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f');
    if (!hex) {
        fail(&c, "lesson.sha256", "expected 64 lower-case hex digits");
        goto out;
    }
    memcpy(t->sha256, s, 65);
    free(s);
    s = key_str(&c, v, "protocol", "lesson", true);
    if (!s)
        goto out;
    if (!strcmp(s, "raft"))
        t->protocol = PROTO_RAFT;
    else if (!strcmp(s, "paxos"))
        t->protocol = PROTO_PAXOS;
    else if (fail(&c, "lesson.protocol", "expected \"raft\" or \"paxos\""), 1)
        goto out;
    if (!key_int(&c, v, "steps", "lesson", 0, 1000000, &x))
        goto out;
    t->lesson_steps = (size_t)x;
    v = get(&c, doc, "cluster", "", true);
    if (!v || !rd_cluster(&c, v))
        goto out;
    if (!rd_lines(&c, get(&c, doc, "start", "", true), "start", &t->start, &t->n_start))
        goto out;
    v = get(&c, doc, "steps", "", true);
    if (c.failed || !want_array(&c, v, "steps"))
        goto out;
    t->cap = (size_t)cJSON_GetArraySize(v);
    t->e = xcalloc(t->cap, sizeof *t->e);
    for (const cJSON *e = v->child; e; e = e->next) {
        size_t i = t->n++;
        if (!rd_entry(&c, e, sub("steps", NULL, (long)i), i, &t->e[i]))
            goto out;
    }
    t->marked = c.marked;
    v = get(&c, doc, "end", "", true);
    if (!v || !rd_end(&c, v))
        goto out;
out:
    free(s);
    cJSON_Delete(doc);
    if (c.failed) {
        transcript_free(t);
        return NULL;
    }
    return t; /* lines get their words when an export or a comparison asks */
}

struct transcript *transcript_load(const char *path, struct sbuf *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        sbuf_printf(err, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 65536 + 1 > cap) {
            cap = cap ? cap * 2 : 131072;
            char *nb = realloc(buf, cap);
            if (!nb)
                abort();
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (len > (size_t)TRANSCRIPT_MAX_BYTES) {
            sbuf_printf(err, gettext("%s: more than %ld bytes: not a transcript"), path,
                        TRANSCRIPT_MAX_BYTES);
            fclose(f);
            free(buf);
            return NULL;
        }
        if (got == 0)
            break;
    }
    bool bad = ferror(f);
    int e = errno;
    fclose(f);
    if (bad) {
        sbuf_printf(err, "%s: %s", path, strerror(e));
        free(buf);
        return NULL;
    }
    buf[len] = 0;
    if (strlen(buf) != len) {
        int line, col;
        line_col(buf, strlen(buf), &line, &col);
        sbuf_printf(err, gettext("%s:%d:%d: a NUL byte: not a text file (corrupted?)"), path, line,
                    col);
        free(buf);
        return NULL;
    }
    struct transcript *t = transcript_read_json(path, buf, len, err);
    free(buf);
    return t;
}
