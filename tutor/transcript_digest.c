/* transcript_digest: what a record keeps of the feed lines it leaves out
 * of a long step (transcript.h, TRANSCRIPT_KEEP_HEAD): how many of each
 * kind, and the SHA-256 of their data in the canonical form below, so
 * verify compares every one of them without the record holding them.
 *
 * Each line, in order, is hashed as: its time (int64), node (int32, -1 for
 * the cluster), kind (uint8), message id (uint64), its note's stable name
 * and a NUL, the argument count (uint8); then per argument its kind
 * (uint8), aux (int32) and value: a string's bytes and a NUL (a message's
 * line as the feed shows it, a phrase's note name), any other value as an
 * int64. Integers are little-endian. The form is the data the JSON record
 * would write, without its syntax, which costs a few times less to make
 * than the JSON (a virtual hour under load has millions of lines). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "note_text.h"
#include "protocols/msg.h"
#include "protocols/sbuf.h"
#include "sha256.h"
#include "transcript.h"

struct digest {
    struct sha256 h;
    uint8_t buf[256];
    size_t n;
};

static void flush(struct digest *d)
{
    sha256_update(&d->h, d->buf, d->n);
    d->n = 0;
}

static void put_bytes(struct digest *d, const void *p, size_t n)
{
    if (d->n + n > sizeof d->buf) {
        flush(d);
        if (n > sizeof d->buf) {
            sha256_update(&d->h, p, n);
            return;
        }
    }
    memcpy(d->buf + d->n, p, n);
    d->n += n;
}

static void put_int(struct digest *d, uint64_t v, int bytes)
{
    uint8_t b[8];
    for (int i = 0; i < bytes; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    put_bytes(d, b, (size_t)bytes);
}

static void put_text(struct digest *d, const char *s)
{
    put_bytes(d, s ? s : "", s ? strlen(s) + 1 : 1);
}

/* A message's line, rendered once per message: a delivery or a loss
 * decodes as the very message its send carried (feed_line.msg_back), so
 * the send's rendering serves it. */
enum { MSG_CACHE = 1024 };
struct msg_cache {
    uint64_t id[MSG_CACHE];
    struct sbuf text[MSG_CACHE];
    struct proto_config cfg; /* the node names msg_describe writes */
};

/* The line as the feed shows it (note_text.c renders an NA_MSG argument
 * with msg_describe and nothing else), without the catalog look-up of
 * the note's template that note_render makes for each one. */
static const char *msg_text(struct msg_cache *c, const struct feed_line *l,
                            const struct note_arg *a)
{
    size_t k = l->msg_id % MSG_CACHE;
    struct sbuf *t = &c->text[k];
    if (l->msg_id && c->id[k] == l->msg_id && l->msg_back)
        return t->s;
    sbuf_reset(t);
    if (a->v.m)
        msg_describe(a->v.m, &c->cfg, t);
    c->id[k] = l->msg_id;
    return t->s;
}

static void put_line(struct digest *d, struct msg_cache *c, const struct feed_line *l)
{
    put_int(d, (uint64_t)l->time, 8);
    put_int(d, (uint64_t)(int64_t)l->node, 4);
    put_int(d, (uint64_t)l->kind, 1);
    put_int(d, l->msg_id, 8);
    put_text(d, note_id_name(l->note.id));
    put_int(d, (uint64_t)l->note.n_args, 1);
    for (int i = 0; i < l->note.n_args; i++) {
        const struct note_arg *a = &l->note.args[i];
        put_int(d, a->kind, 1);
        put_int(d, (uint64_t)(int64_t)a->aux, 4);
        switch (a->kind) {
        case NA_STR:
            put_text(d, a->v.s);
            break;
        case NA_MSG:
            put_text(d, msg_text(c, l, a));
            break;
        case NA_NOTE:
            put_text(d, note_id_name((int)a->v.i));
            break;
        default:
            put_int(d, (uint64_t)a->v.i, 8);
            break;
        }
    }
}

void transcript_feed_digest(const struct feed *f, size_t from, size_t to,
                            struct transcript_elided *g)
{
    struct digest d = {.n = 0};
    sha256_init(&d.h);
    struct msg_cache *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    for (size_t k = 0; k < MSG_CACHE; k++)
        sbuf_init(&c->text[k]);
    c->cfg.n_nodes = f->n_names < PROTO_MAX_NODES ? f->n_names : PROTO_MAX_NODES;
    if (c->cfg.n_nodes > 0)
        memcpy(c->cfg.names, f->names, (size_t)c->cfg.n_nodes * sizeof *f->names);
    for (size_t i = from; i < to; i++) {
        struct feed_line l;
        feed_get(f, i, &l);
        put_line(&d, c, &l);
        if ((unsigned)l.kind < TRANSCRIPT_FEED_KINDS)
            g->kinds[l.kind]++;
    }
    flush(&d);
    g->n += to - from;
    unsigned char out[32];
    sha256_final(&d.h, out);
    sha256_hex(out, g->sha256);
    for (size_t k = 0; k < MSG_CACHE; k++)
        sbuf_free(&c->text[k]);
    free(c);
}
