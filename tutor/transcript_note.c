/* transcript_note: a transcript's feed lines as notes — made from the
 * feed's lines, compared as data, rendered in the language of the moment,
 * and read for what the exports need (an action, a message) from the note
 * id and arguments, never from text. */
#include <stdlib.h>
#include <string.h>

#include "note_text.h"
#include "transcript.h"

static char *dup_clean(const char *s)
{
    return transcript_clean_text(s ? s : "");
}

void transcript_line_from_feed(struct transcript_line *dst, const struct feed *f, size_t k)
{
    struct feed_line e;
    feed_get(f, k, &e);
    memset(dst, 0, sizeof *dst);
    dst->time = e.time;
    dst->node = e.node;
    dst->kind = e.kind;
    dst->msg = e.msg_id;
    dst->pos = e.pos;
    dst->note = e.note;
    for (int i = 0; i < e.note.n_args; i++) {
        struct note_arg *a = &dst->note.args[i];
        if (a->kind == NA_STR) {
            a->v.s = dup_clean(a->v.s);
        } else if (a->kind == NA_MSG) {
            struct sbuf m;
            sbuf_init(&m);
            struct proto_note one = {.id = NOTE_FEED_TEXT, .n_args = 1, .args = {*a}};
            note_render(&one, f->names, f->n_names, &m);
            *a = note_str(dup_clean(m.s));
            a->aux = TRANSCRIPT_ARG_MSG;
            sbuf_free(&m);
        }
    }
    /* No text: words are made only for what reads them (exports call
     * transcript_render_lines, a comparison transcript_line_render), so
     * recording a long run renders nothing per line. */
    dst->text = NULL;
}

void transcript_line_free(struct transcript_line *l)
{
    for (int i = 0; i < l->note.n_args; i++)
        if (l->note.args[i].kind == NA_STR)
            free((char *)l->note.args[i].v.s);
    free(l->text);
    l->note.n_args = 0;
    l->text = NULL;
}

static bool str_same(const char *a, const char *b)
{
    return !strcmp(a ? a : "", b ? b : "");
}

bool transcript_note_same(const struct proto_note *a, const struct proto_note *b)
{
    if (a->id != b->id || a->n_args != b->n_args)
        return false;
    for (int i = 0; i < a->n_args; i++) {
        const struct note_arg *x = &a->args[i], *y = &b->args[i];
        if (x->kind != y->kind || x->aux != y->aux)
            return false;
        if (x->kind == NA_STR ? !str_same(x->v.s, y->v.s) : x->v.i != y->v.i)
            return false;
    }
    return true;
}

static void render(const struct transcript *t, const struct proto_note *n, struct sbuf *out)
{
    note_render(n, (const char *const *)t->names, t->n_nodes, out);
}

void transcript_line_render(const struct transcript *t, const struct transcript_line *l,
                            struct sbuf *out)
{
    render(t, &l->note, out);
}

void transcript_render_lines(const struct transcript *ct)
{
    /* The text is a cache of the data, in the language asked for now. */
    struct transcript *t = (struct transcript *)ct;
    struct sbuf b;
    sbuf_init(&b);
    for (size_t k = 0; k <= t->n; k++) {
        struct transcript_line *lines = k < t->n ? t->e[k].lines : t->start;
        size_t n = k < t->n ? t->e[k].n_lines : t->n_start;
        for (size_t i = 0; i < n; i++) {
            sbuf_reset(&b);
            render(t, &lines[i].note, &b);
            free(lines[i].text);
            lines[i].text = transcript_clean_text(b.s);
        }
    }
    sbuf_free(&b);
}

int transcript_line_action(const struct transcript *t, const struct transcript_line *l,
                           struct sbuf *out, int *node)
{
    const struct proto_note *n = &l->note;
    if (node)
        *node = -1;
    if (l->kind == FEED_ACTION && n->id == NOTE_RUNNER_DO_MSG && n->n_args >= 3 &&
        n->args[0].kind == NA_NOTE) {
        /* "do: deliver #2 RequestVote S1→S3 ...": the action on a message. */
        if (out) {
            struct proto_note on = *n;
            on.id = NOTE_ACTION_ON_MSG;
            render(t, &on, out);
        }
        return (int)n->args[0].v.i;
    }
    if (l->kind != FEED_ACTION || n->id != NOTE_RUNNER_DO || n->n_args < 1)
        return 0;
    const struct note_arg *what = &n->args[0];
    if (what->kind != NA_NOTE || what->aux != 1) {
        /* An action too long to keep as data (RUNNER_DO with its words). */
        if (out && what->kind == NA_STR)
            sbuf_add(out, what->v.s);
        return what->kind == NA_STR ? NOTE_RUNNER_DO : 0;
    }
    struct proto_note act = {.id = (uint16_t)what->v.i, .n_args = (uint8_t)(n->n_args - 1)};
    memcpy(act.args, n->args + 1, act.n_args * sizeof *act.args);
    if (out)
        render(t, &act, out);
    if (node && act.n_args && act.args[0].kind == NA_NODE)
        *node = (int)act.args[0].v.i;
    return act.id;
}

void transcript_entry_action(const struct transcript *t, const struct transcript_entry *e,
                             struct sbuf *out)
{
    transcript_entry_action_joined(t, e, "; ", out);
}

void transcript_entry_action_joined(const struct transcript *t, const struct transcript_entry *e,
                                    const char *sep, struct sbuf *out)
{
    size_t before = out->len;
    for (size_t i = 0; i < e->n_lines; i++) {
        if (e->lines[i].legacy)
            break; /* a version 1 record: its "action" says it, in its language */
        struct sbuf w;
        sbuf_init(&w);
        if (transcript_line_action(t, &e->lines[i], &w, NULL)) {
            sbuf_add(out, out->len > before ? sep : "");
            sbuf_add(out, w.s);
        }
        sbuf_free(&w);
    }
    if (out->len == before && e->action)
        sbuf_add(out, e->action);
}

bool transcript_line_msg(const struct transcript *t, const struct transcript_line *l, char *type,
                         size_t tn, int *from, int *to)
{
    if (l->legacy)
        return feed_parse_msg(l->text, (const char *const *)t->names, t->n_nodes, type, tn, from,
                              to);
    for (int i = 0; i < l->note.n_args; i++) {
        const struct note_arg *a = &l->note.args[i];
        if (a->kind == NA_STR && a->aux == TRANSCRIPT_ARG_MSG)
            return feed_parse_msg_text(a->v.s, (const char *const *)t->names, t->n_nodes, type, tn,
                                       from, to);
    }
    return false;
}
