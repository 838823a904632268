/* note_text: notes rendered through the message catalog. */
#include "note_text.h"

#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocols/msg.h"

#define N_(s) s

static const char *const engine_templates[NOTE_ENGINE_COUNT] = {
#define NOTE(id, text) [NOTE_##id] = N_(text),
#include "protocols/notes_raft.def"
#include "protocols/notes_paxos.def"
#undef NOTE
};

static const char *const engine_names[NOTE_ENGINE_COUNT] = {
#define NOTE(id, text) [NOTE_##id] = #id,
#include "protocols/notes_raft.def"
#include "protocols/notes_paxos.def"
#undef NOTE
};

#define TUTOR_N (NOTE_TUTOR_END - NOTE_TUTOR_FIRST - 1)

static const char *const tutor_templates[TUTOR_N + 1] = {
#define NOTE(id, text) [NOTE_##id - NOTE_TUTOR_FIRST - 1] = N_(text),
#include "notes_tutor.def"
#undef NOTE
};

static const char *const tutor_names[TUTOR_N + 1] = {
#define NOTE(id, text) [NOTE_##id - NOTE_TUTOR_FIRST - 1] = #id,
#include "notes_tutor.def"
#undef NOTE
};

bool note_id_valid(int id)
{
    if (id > NOTE_NONE && id < NOTE_ENGINE_COUNT)
        return engine_templates[id] != NULL;
    return id > NOTE_TUTOR_FIRST && id < NOTE_TUTOR_END;
}

bool note_is_warning(int id)
{
    return id == NOTE_FEED_TEXT ||
           (id >= NOTE_FLOW_EXPECT_FAILED && id <= NOTE_FLOW_EXPLORE_EXPECTED_NONE);
}

const char *note_template(int id)
{
    if (!note_id_valid(id))
        return NULL;
    return id < NOTE_ENGINE_COUNT ? engine_templates[id]
                                  : tutor_templates[id - NOTE_TUTOR_FIRST - 1];
}

const char *note_id_name(int id)
{
    if (!note_id_valid(id))
        return NULL;
    return id < NOTE_ENGINE_COUNT ? engine_names[id] : tutor_names[id - NOTE_TUTOR_FIRST - 1];
}

int note_id_parse(const char *name)
{
    for (int id = 1; id < NOTE_ENGINE_COUNT; id++)
        if (engine_names[id] && !strcmp(engine_names[id], name))
            return id;
    for (int k = 0; k < TUTOR_N; k++)
        if (!strcmp(tutor_names[k], name))
            return NOTE_TUTOR_FIRST + 1 + k;
    return NOTE_NONE;
}

/* An NA_STR of aux bytes or more (the NUL counted) is cut to fit them with
 * an ellipsis, never inside a UTF-8 sequence: commands may be long, notes
 * must stay short. */
static void add_cut(struct sbuf *out, const char *s, size_t n)
{
    static const char ellipsis[] = "\xe2\x80\xa6"; /* U+2026 */
    size_t len = strlen(s);
    if (n == 0 || len < n || n < sizeof ellipsis) {
        sbuf_add(out, s);
        return;
    }
    size_t keep = n - sizeof ellipsis; /* room for the ellipsis and the NUL */
    while (keep > 0 && ((unsigned char)s[keep] & 0xc0) == 0x80)
        keep--;
    sbuf_addn(out, s, keep);
    sbuf_add(out, ellipsis);
}

static const char *node_name(int node, const char *const *names, int n_names)
{
    return node >= 0 && node < n_names ? names[node] : "?";
}

static void render_template(const char *tmpl, const struct proto_note *n, const char *const *names,
                            int n_names, int depth, bool tr, struct sbuf *out);

/* The template t in the interface language, or as it is (English) when
 * tr is false. */
static const char *tr_template(const char *t, bool tr)
{
    return tr ? gettext(t) : t;
}

static void render_arg(const struct note_arg *a, const struct proto_note *n,
                       const char *const *names, int n_names, int depth, bool tr, struct sbuf *out)
{
    switch ((enum note_arg_kind)a->kind) {
    case NA_INT:
        sbuf_add_int(out, (long long)a->v.i);
        break;
    case NA_NODE:
        sbuf_add(out, node_name((int)a->v.i, names, n_names));
        break;
    case NA_NODESET: {
        bool first = true;
        for (int i = 0; i < 32; i++) {
            if (!(a->v.i & ((int64_t)1 << i)))
                continue;
            if (!first)
                sbuf_add(out, tr_template(
                                  tutor_templates[NOTE_LIST_SEPARATOR - NOTE_TUTOR_FIRST - 1], tr));
            first = false;
            sbuf_add(out, node_name(i, names, n_names));
        }
        break;
    }
    case NA_BALLOT:
        if (a->v.i == 0)
            sbuf_add(out, "null");
        else {
            sbuf_add_int(out, (long long)a->v.i);
            sbuf_addc(out, '.');
            sbuf_add(out, node_name(a->aux, names, n_names));
        }
        break;
    case NA_STR:
        add_cut(out, a->v.s ? a->v.s : "", a->aux > 0 ? (size_t)a->aux : 0);
        break;
    case NA_MSGTYPE:
        sbuf_add(out, msg_type_name((enum msg_type)a->v.i));
        break;
    case NA_MSG: {
        struct proto_config cfg;
        memset(&cfg, 0, sizeof cfg);
        cfg.n_nodes = n_names < PROTO_MAX_NODES ? n_names : PROTO_MAX_NODES;
        if (cfg.n_nodes > 0)
            memcpy(cfg.names, names, (size_t)cfg.n_nodes * sizeof *names);
        if (a->v.m)
            msg_describe(a->v.m, &cfg, out);
        break;
    }
    case NA_NOTE: {
        /* A phrase: rendered with the note's own arguments. Phrases do not
         * nest deeper than two levels (an action's phrases inside RUNNER_DO;
         * a guard, not a feature). */
        const char *t = note_template((int)a->v.i);
        if (!t || depth >= 3)
            break;
        if (a->aux > 0) {
            /* aux > 0: the phrase's {1} is argument aux + 1 of the note
             * (an action note inside RUNNER_DO); none past the last. */
            int k = a->aux < n->n_args ? a->aux : n->n_args;
            struct proto_note shifted = {.id = (uint16_t)a->v.i,
                                         .n_args = (uint8_t)(n->n_args - k)};
            memcpy(shifted.args, n->args + k, shifted.n_args * sizeof *n->args);
            render_template(tr_template(t, tr), &shifted, names, n_names, depth + 1, tr, out);
        } else {
            render_template(tr_template(t, tr), n, names, n_names, depth + 1, tr, out);
        }
        break;
    }
    }
}

static void render_template(const char *tmpl, const struct proto_note *n, const char *const *names,
                            int n_names, int depth, bool tr, struct sbuf *out)
{
    const char *p = tmpl;
    while (*p) {
        const char *q = strchr(p, '{');
        if (!q) {
            sbuf_add(out, p);
            return;
        }
        sbuf_addn(out, p, (size_t)(q - p));
        if (q[1] >= '1' && q[1] <= '9' && q[2] == '}') {
            int k = q[1] - '1';
            if (k < n->n_args)
                render_arg(&n->args[k], n, names, n_names, depth, tr, out);
            p = q + 3;
        } else {
            sbuf_addc(out, '{');
            p = q + 1;
        }
    }
}

static void render_note(const struct proto_note *n, const char *const *names, int n_names, bool tr,
                        struct sbuf *out)
{
    const char *t = note_template(n->id);
    if (!t) {
        sbuf_printf(out, "(note %d)", n->id);
        return;
    }
    render_template(tr_template(t, tr), n, names, n_names, 0, tr, out);
}

void note_render(const struct proto_note *n, const char *const *names, int n_names,
                 struct sbuf *out)
{
    render_note(n, names, n_names, true, out);
}

void note_render_en(const struct proto_note *n, const char *const *names, int n_names,
                    struct sbuf *out)
{
    render_note(n, names, n_names, false, out);
}

/* GNU gettext's counter of catalog changes: bumped, gettext forgets the
 * translations it looked up for the old LANGUAGE (the GNU gettext manual
 * on changing the language at run time). */
extern int _nl_msg_cat_cntr;

static void use_language(const char *language)
{
    if (language)
        setenv("LANGUAGE", language, 1);
    else
        unsetenv("LANGUAGE");
    ++_nl_msg_cat_cntr;
}

void note_lang_use(const char *lang, struct note_lang_saved *saved)
{
    const char *now = getenv("LANGUAGE");
    saved->had = now != NULL;
    snprintf(saved->language, sizeof saved->language, "%s", now ? now : "");
    use_language(lang && *lang ? lang : "en");
}

void note_lang_restore(const struct note_lang_saved *saved)
{
    use_language(saved->had ? saved->language : NULL);
}
