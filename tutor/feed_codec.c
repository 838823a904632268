/* feed_codec: the feed's line encoding (feed_codec.h). A line:
 *   kind << 4 | n_args; a byte of what most lines repeat (HEAD_*): node + 1,
 *   whether the time is the line before's, whether there is a message id,
 *   pos - st.pos when under 3; then zigzag(node) if it did not fit,
 *   pos - st.pos - 3 if that did not,
 *   zigzag(time - st.time) if the time moved, zigzag(id - st.msg_id) if
 *   there is an id; the note id, compact;
 *   then each argument: a tag byte, its low 3 bits the form, its high 5
 *   bits a small payload (0..30) or 31 when a varint follows. */
#include "feed_codec.h"

#include <stdlib.h>
#include <string.h>

#include "note_text.h"

enum form {
    F_INT,      /* zigzag(value) */
    F_INT_TIME, /* zigzag(value - line time) */
    F_INT_PREV, /* zigzag(value - the integer before: the last INT argument, else the msg id) */
    F_NODE,     /* zigzag(node) */
    F_NODESET,  /* bits */
    F_STR,      /* 0: NULL; else 1 + zigzag(pointer - st.str); then aux */
    F_BALLOT,   /* zigzag(round), then zigzag(node) */
    F_OTHER,    /* payload: the kind; then zigzag(value), zigzag(aux); NA_MSG: the message;
                 * MSG_BACK: how many lines back the line with the message is */
};

#define MSG_BACK 16 /* an F_OTHER payload: a message told by an earlier line */
#define MSG_LIKE 17 /* the same to another node: how many lines back, zigzag(the node) */

/* The header's second byte. A run tells several lines a history position
 * at one virtual time, most of them without a message id: the byte stands
 * for the three varints those lines would repeat (3 of their 15 bytes or
 * so), which then cost neither their writing nor their compression. */
enum {
    HEAD_NODE = 15,      /* node + 1; 15: a varint of zigzag(node) follows */
    HEAD_SAME_TIME = 16, /* the time is the line before's */
    HEAD_MSG_ID = 32,    /* a message id follows */
    HEAD_POS_SHIFT = 6,  /* pos - st.pos, 3: a varint of pos - st.pos - 3 follows */
    HEAD_POS_VARINT = 3,
};

/* Writing: the room a line or a message can take is reserved once
 * (line_room, msg_room: every varint at its longest, 10 bytes), then the
 * bytes go out through a cursor with no check each. */
enum { VARINT_MAX = 10 };

static uint8_t *reserve(uint8_t **b, size_t n, size_t *cap, size_t room)
{
    if (*cap - n < room) {
        size_t c = *cap ? *cap : 256;
        while (c - n < room)
            c *= 2;
        uint8_t *nb = realloc(*b, c);
        if (!nb)
            abort();
        *b = nb;
        *cap = c;
    }
    return *b + n;
}

static inline uint8_t *put_u(uint8_t *q, uint64_t v)
{
    while (v >= 0x80) {
        *q++ = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    *q++ = (uint8_t)v;
    return q;
}

static inline uint64_t zig(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t unzig(uint64_t u)
{
    return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

static inline uint8_t *put_s(uint8_t *q, int64_t v)
{
    return put_u(q, zig(v));
}

/* The bytes put_u writes for v. */
static inline size_t len_u(uint64_t v)
{
    size_t n = 1;
    while (v >= 0x80)
        v >>= 7, n++;
    return n;
}

/* A tag with its payload inline when it fits. */
static inline uint8_t *put_tag(uint8_t *q, enum form f, uint64_t payload)
{
    if (payload < 31) {
        *q++ = (uint8_t)(f | payload << 3);
        return q;
    }
    *q++ = (uint8_t)(f | 31 << 3);
    return put_u(q, payload - 31);
}

struct in {
    const uint8_t *p;
};

static uint64_t get_u(struct in *in)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        uint8_t c = *in->p++;
        v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80))
            break;
    }
    return v;
}

static int64_t get_s(struct in *in)
{
    return unzig(get_u(in));
}

static uint64_t get_payload(struct in *in, uint8_t tag)
{
    uint64_t p = tag >> 3;
    return p < 31 ? p : 31 + get_u(in);
}

static inline uint8_t *put_str(uint8_t *q, struct feed_state *st, const char *s)
{
    if (!s)
        return put_u(q, 0);
    q = put_u(q, 1 + zig((int64_t)((uintptr_t)s - st->str)));
    st->str = (uintptr_t)s;
    return q;
}

static const char *get_str(struct in *in, struct feed_state *st)
{
    uint64_t u = get_u(in);
    if (!u)
        return NULL;
    st->str += (uintptr_t)unzig(u - 1);
    return (const char *)st->str;
}

static inline uint8_t *put_ballot(uint8_t *q, struct ballot b)
{
    q = put_s(q, b.round);
    return put_s(q, b.node);
}

static struct ballot get_ballot(struct in *in)
{
    struct ballot b;
    b.round = get_s(in);
    b.node = (int)get_s(in);
    return b;
}

/* The most bytes put_msg writes for m. */
static size_t msg_room(const struct msg *m)
{
    /* The fixed fields (at most 8 varints and 2 bytes) and each element of
     * the message's array (an entry: 7 varints and a byte at the most). */
    size_t n = 0;
    if (m->type == MSG_APPEND_ENTRIES)
        n = m->u.ae.n_entries;
    else if (m->type == MSG_INSTALL_SNAPSHOT)
        n = m->u.is.n_state;
    else if (m->type == MSG_PROMISE)
        n = m->u.promise.n_accepted;
    return 8 * VARINT_MAX + 2 + n * (7 * VARINT_MAX + 1);
}

/* A message: its type, sender and receiver, then its fields, terms and
 * indices as differences where they are usually close. */
static uint8_t *put_msg(uint8_t *q, struct feed_state *st, const struct msg *m)
{
    *q++ = (uint8_t)m->type;
    q = put_s(q, m->from);
    q = put_s(q, m->to);
    switch (m->type) {
    case MSG_REQUEST_VOTE:
        q = put_s(q, m->u.rv.term);
        q = put_s(q, m->u.rv.last_log_index);
        q = put_s(q, m->u.rv.term - m->u.rv.last_log_term);
        *q++ = (uint8_t)(m->u.rv.prevote | m->u.rv.transfer << 1);
        break;
    case MSG_REQUEST_VOTE_REPLY:
        q = put_s(q, m->u.rvr.term);
        *q++ = (uint8_t)(m->u.rvr.granted | m->u.rvr.prevote << 1);
        break;
    case MSG_APPEND_ENTRIES:
        q = put_s(q, m->u.ae.term);
        q = put_s(q, m->u.ae.prev_log_index);
        q = put_s(q, m->u.ae.term - m->u.ae.prev_log_term);
        q = put_s(q, m->u.ae.leader_commit - m->u.ae.prev_log_index);
        q = put_u(q, m->u.ae.read_round);
        q = put_u(q, m->u.ae.n_entries);
        for (size_t i = 0; i < m->u.ae.n_entries; i++) {
            const struct entry *e = &m->u.ae.entries[i];
            q = put_s(q, m->u.ae.term - e->term);
            q = put_str(q, st, e->cmd);
            /* A configuration entry (§6) or a client's (§6.3): flagged. */
            *q++ = (uint8_t)((e->config != 0) | (e->client != NULL) << 1);
            if (e->config) {
                q = put_u(q, e->config);
                q = put_u(q, e->config_old);
            }
            if (e->client) {
                q = put_str(q, st, e->client);
                q = put_s(q, e->seq);
            }
        }
        break;
    case MSG_APPEND_ENTRIES_REPLY:
        q = put_s(q, m->u.aer.term);
        q = put_s(q, m->u.aer.match_index);
        *q++ = m->u.aer.success;
        q = put_s(q, m->u.aer.conflict_term);
        q = put_s(q, m->u.aer.conflict_index);
        q = put_u(q, m->u.aer.read_round);
        break;
    case MSG_INSTALL_SNAPSHOT:
        q = put_s(q, m->u.is.term);
        q = put_s(q, m->u.is.last_included_index);
        q = put_s(q, m->u.is.term - m->u.is.last_included_term);
        q = put_u(q, m->u.is.config);
        q = put_u(q, m->u.is.config_old);
        q = put_u(q, m->u.is.n_state);
        for (size_t i = 0; i < m->u.is.n_state; i++)
            q = put_str(q, st, m->u.is.state[i]);
        break;
    case MSG_INSTALL_SNAPSHOT_REPLY:
        q = put_s(q, m->u.isr.term);
        q = put_s(q, m->u.isr.match_index);
        break;
    case MSG_TIMEOUT_NOW:
        q = put_s(q, m->u.tn.term);
        break;
    case MSG_PREPARE:
        q = put_ballot(q, m->u.prepare.ballot);
        q = put_s(q, m->u.prepare.slot);
        break;
    case MSG_PROMISE:
        q = put_ballot(q, m->u.promise.ballot);
        q = put_s(q, m->u.promise.slot);
        q = put_u(q, m->u.promise.n_accepted);
        for (size_t i = 0; i < m->u.promise.n_accepted; i++) {
            q = put_s(q, m->u.promise.accepted[i].slot);
            q = put_ballot(q, m->u.promise.accepted[i].ballot);
            q = put_str(q, st, m->u.promise.accepted[i].value);
        }
        break;
    case MSG_ACCEPT:
    case MSG_ACCEPTED:
        q = put_ballot(q, m->u.accept.ballot);
        q = put_s(q, m->u.accept.slot);
        q = put_str(q, st, m->u.accept.value);
        break;
    case MSG_NACK:
        q = put_ballot(q, m->u.nack.ballot);
        q = put_ballot(q, m->u.nack.promised);
        break;
    case MSG_CHOSEN:
        q = put_s(q, m->u.chosen.slot);
        q = put_str(q, st, m->u.chosen.value);
        break;
    default:
        break;
    }
    return q;
}

void *feed_room(void *p, size_t *cap, size_t n, size_t size)
{
    if (n <= *cap)
        return p;
    size_t c = *cap ? *cap : 16;
    while (c < n)
        c *= 2;
    p = realloc(p, c * size);
    if (!p)
        abort();
    *cap = c;
    return p;
}

static void get_msg(struct in *in, struct feed_state *st, struct msg *m, struct feed_scratch *sc)
{
    bool keep = m != NULL;
    struct msg x;
    memset(&x, 0, sizeof x);
    x.type = (enum msg_type) * in->p++;
    x.from = (int)get_s(in);
    x.to = (int)get_s(in);
    switch (x.type) {
    case MSG_REQUEST_VOTE:
        x.u.rv.term = get_s(in);
        x.u.rv.last_log_index = get_s(in);
        x.u.rv.last_log_term = x.u.rv.term - get_s(in);
        x.u.rv.prevote = *in->p & 1;
        x.u.rv.transfer = *in->p++ >> 1 & 1;
        break;
    case MSG_REQUEST_VOTE_REPLY:
        x.u.rvr.term = get_s(in);
        x.u.rvr.granted = *in->p & 1;
        x.u.rvr.prevote = *in->p++ >> 1 & 1;
        break;
    case MSG_APPEND_ENTRIES: {
        x.u.ae.term = get_s(in);
        x.u.ae.prev_log_index = get_s(in);
        x.u.ae.prev_log_term = x.u.ae.term - get_s(in);
        x.u.ae.leader_commit = x.u.ae.prev_log_index + get_s(in);
        x.u.ae.read_round = (int64_t)get_u(in);
        size_t n = (size_t)get_u(in);
        x.u.ae.n_entries = n;
        if (keep && n)
            x.u.ae.entries = sc->e = feed_room(sc->e, &sc->cap_e, n, sizeof *sc->e);
        for (size_t i = 0; i < n; i++) {
            struct entry e = {.term = x.u.ae.term - get_s(in)};
            e.cmd = get_str(in, st);
            uint8_t flags = *in->p++;
            if (flags & 1) {
                e.config = (uint32_t)get_u(in);
                e.config_old = (uint32_t)get_u(in);
            }
            if (flags & 2) {
                e.client = get_str(in, st);
                e.seq = get_s(in);
            }
            if (x.u.ae.entries)
                x.u.ae.entries[i] = e;
        }
        break;
    }
    case MSG_APPEND_ENTRIES_REPLY:
        x.u.aer.term = get_s(in);
        x.u.aer.match_index = get_s(in);
        x.u.aer.success = *in->p++;
        x.u.aer.conflict_term = get_s(in);
        x.u.aer.conflict_index = get_s(in);
        x.u.aer.read_round = (int64_t)get_u(in);
        break;
    case MSG_INSTALL_SNAPSHOT: {
        x.u.is.term = get_s(in);
        x.u.is.last_included_index = get_s(in);
        x.u.is.last_included_term = x.u.is.term - get_s(in);
        x.u.is.config = (uint32_t)get_u(in);
        x.u.is.config_old = (uint32_t)get_u(in);
        size_t n = (size_t)get_u(in);
        x.u.is.n_state = n;
        if (keep && n)
            x.u.is.state = sc->s = feed_room(sc->s, &sc->cap_s, n, sizeof *sc->s);
        for (size_t i = 0; i < n; i++) {
            const char *cmd = get_str(in, st);
            if (x.u.is.state)
                x.u.is.state[i] = cmd;
        }
        break;
    }
    case MSG_INSTALL_SNAPSHOT_REPLY:
        x.u.isr.term = get_s(in);
        x.u.isr.match_index = get_s(in);
        break;
    case MSG_TIMEOUT_NOW:
        x.u.tn.term = get_s(in);
        break;
    case MSG_PREPARE:
        x.u.prepare.ballot = get_ballot(in);
        x.u.prepare.slot = get_s(in);
        break;
    case MSG_PROMISE: {
        x.u.promise.ballot = get_ballot(in);
        x.u.promise.slot = get_s(in);
        size_t n = (size_t)get_u(in);
        x.u.promise.n_accepted = n;
        if (keep && n)
            x.u.promise.accepted = sc->a = feed_room(sc->a, &sc->cap_a, n, sizeof *sc->a);
        for (size_t i = 0; i < n; i++) {
            struct slot_value v;
            v.slot = get_s(in);
            v.ballot = get_ballot(in);
            v.value = get_str(in, st);
            if (x.u.promise.accepted)
                x.u.promise.accepted[i] = v;
        }
        break;
    }
    case MSG_ACCEPT:
    case MSG_ACCEPTED:
        x.u.accept.ballot = get_ballot(in);
        x.u.accept.slot = get_s(in);
        x.u.accept.value = get_str(in, st);
        break;
    case MSG_NACK:
        x.u.nack.ballot = get_ballot(in);
        x.u.nack.promised = get_ballot(in);
        break;
    case MSG_CHOSEN:
        x.u.chosen.slot = get_s(in);
        x.u.chosen.value = get_str(in, st);
        break;
    default:
        break;
    }
    if (keep)
        *m = x;
}

/* Note ids in one small range: the tutor's first (the network's lines,
 * the most frequent, in one byte), the engines' after. */
#define TUTOR_IDS ((uint64_t)(NOTE_TUTOR_END - NOTE_TUTOR_BASE))

static uint64_t id_code(int id)
{
    return id >= NOTE_TUTOR_BASE ? (uint64_t)(id - NOTE_TUTOR_BASE) : (uint64_t)id + TUTOR_IDS;
}

static int id_of(uint64_t code)
{
    return code < TUTOR_IDS ? (int)code + NOTE_TUTOR_BASE : (int)(code - TUTOR_IDS);
}

void feed_encode(const struct feed_line *l, struct feed_state *st, uint8_t **b, size_t *n,
                 size_t *cap)
{
    /* The header (6 fields) and each argument (a tag and 2 varints at the
     * most); a message's room is reserved when its turn comes. */
    enum { ARG_ROOM = 3 * VARINT_MAX + 1 };
    uint8_t *q = reserve(b, *n, cap, 6 * VARINT_MAX + (size_t)l->note.n_args * ARG_ROOM);
    *q++ = (uint8_t)(l->kind << 4 | l->note.n_args);
    uint64_t dpos = l->pos - st->pos;
    uint8_t *head = q++;
    bool node_inline = l->node >= -1 && l->node + 1 < HEAD_NODE;
    *head = (uint8_t)((node_inline ? l->node + 1 : HEAD_NODE) |
                      (l->time == st->time ? HEAD_SAME_TIME : 0) | (l->msg_id ? HEAD_MSG_ID : 0) |
                      (dpos < HEAD_POS_VARINT ? dpos : HEAD_POS_VARINT) << HEAD_POS_SHIFT);
    if (!node_inline)
        q = put_s(q, l->node);
    if (dpos >= HEAD_POS_VARINT)
        q = put_u(q, dpos - HEAD_POS_VARINT);
    if (l->time != st->time)
        q = put_s(q, l->time - st->time);
    if (l->msg_id) {
        q = put_s(q, (int64_t)(l->msg_id - st->msg_id));
        st->msg_id = l->msg_id;
    }
    st->pos = l->pos;
    st->time = l->time;
    q = put_u(q, id_code(l->note.id));
    int64_t prev = (int64_t)l->msg_id;
    for (int k = 0; k < l->note.n_args; k++) {
        const struct note_arg *a = &l->note.args[k];
        switch ((enum note_arg_kind)a->kind) {
        case NA_INT: {
            /* The shortest of the three forms, the one before first on a
             * tie; from the argument before, in one byte, none is shorter. */
            uint64_t by_prev = zig(a->v.i - prev);
            if (a->aux) {
                q = put_tag(q, F_OTHER, NA_INT);
                q = put_s(q, a->v.i);
                q = put_s(q, a->aux);
            } else if (by_prev < 0x80) {
                q = put_tag(q, F_INT_PREV, by_prev);
            } else {
                uint64_t raw = zig(a->v.i), by_time = zig(a->v.i - l->time);
                size_t lr = len_u(raw), lt = len_u(by_time), lp = len_u(by_prev);
                if (lp <= lr && lp <= lt)
                    q = put_tag(q, F_INT_PREV, by_prev);
                else if (lt < lr)
                    q = put_tag(q, F_INT_TIME, by_time);
                else
                    q = put_tag(q, F_INT, raw);
            }
            prev = a->v.i;
            break;
        }
        case NA_NODE:
        case NA_NODESET:
            if (a->aux) {
                q = put_tag(q, F_OTHER, a->kind);
                q = put_s(q, a->v.i);
                q = put_s(q, a->aux);
            } else if (a->kind == NA_NODE) {
                q = put_tag(q, F_NODE, zig(a->v.i));
            } else {
                q = put_tag(q, F_NODESET, (uint64_t)a->v.i);
            }
            break;
        case NA_STR:
            q = put_tag(q, F_STR, zig(a->aux));
            q = put_str(q, st, a->v.s);
            break;
        case NA_BALLOT:
            q = put_tag(q, F_BALLOT, zig(a->v.i));
            q = put_s(q, a->aux);
            break;
        case NA_MSG:
            if (l->msg_back && l->msg_to >= 0) {
                q = put_tag(q, F_OTHER, MSG_LIKE);
                q = put_u(q, l->msg_back);
                q = put_s(q, l->msg_to);
            } else if (l->msg_back) {
                q = put_tag(q, F_OTHER, MSG_BACK);
                q = put_u(q, l->msg_back);
            } else {
                size_t at = (size_t)(q - *b);
                q = reserve(b, at, cap, msg_room(a->v.m) + (size_t)(l->note.n_args - k) * ARG_ROOM);
                q = put_tag(q, F_OTHER, NA_MSG);
                q = put_msg(q, st, a->v.m);
            }
            break;
        default:
            q = put_tag(q, F_OTHER, a->kind);
            q = put_s(q, a->v.i);
            q = put_s(q, a->aux);
            break;
        }
    }
    *n = (size_t)(q - *b);
}

size_t feed_decode(const uint8_t *p, struct feed_state *st, struct feed_line *l,
                   struct feed_scratch *sc)
{
    struct in in = {p};
    struct feed_line x;
    x.kind = (enum feed_kind)(*in.p >> 4);
    x.note.n_args = *in.p++ & 15;
    uint8_t head = *in.p++;
    x.node = (int)(head & HEAD_NODE) - 1;
    if ((head & HEAD_NODE) == HEAD_NODE)
        x.node = (int)get_s(&in);
    uint64_t dpos = head >> HEAD_POS_SHIFT;
    x.pos = st->pos + (dpos < HEAD_POS_VARINT ? dpos : HEAD_POS_VARINT + get_u(&in));
    x.time = st->time + (head & HEAD_SAME_TIME ? 0 : get_s(&in));
    if (head & HEAD_MSG_ID)
        st->msg_id += (uint64_t)get_s(&in);
    x.msg_id = head & HEAD_MSG_ID ? st->msg_id : 0;
    st->pos = x.pos;
    st->time = x.time;
    x.note.id = (uint16_t)id_of(get_u(&in));
    x.msg_back = 0;
    x.msg_to = -1;
    int64_t prev = (int64_t)x.msg_id;
    for (int k = 0; k < x.note.n_args; k++) {
        struct note_arg *a = &x.note.args[k];
        uint8_t tag = *in.p++;
        uint64_t pl = get_payload(&in, tag);
        a->aux = 0;
        switch ((enum form)(tag & 7)) {
        case F_INT:
            a->kind = NA_INT, a->v.i = unzig(pl), prev = a->v.i;
            break;
        case F_INT_TIME:
            a->kind = NA_INT, a->v.i = unzig(pl) + x.time, prev = a->v.i;
            break;
        case F_INT_PREV:
            a->kind = NA_INT, a->v.i = unzig(pl) + prev, prev = a->v.i;
            break;
        case F_NODE:
            a->kind = NA_NODE, a->v.i = unzig(pl);
            break;
        case F_NODESET:
            a->kind = NA_NODESET, a->v.i = (int64_t)pl;
            break;
        case F_STR:
            a->kind = NA_STR, a->aux = (int32_t)unzig(pl);
            a->v.s = get_str(&in, st);
            break;
        case F_BALLOT:
            a->kind = NA_BALLOT, a->v.i = unzig(pl), a->aux = (int32_t)get_s(&in);
            break;
        case F_OTHER:
            a->kind = (uint8_t)pl;
            if (pl == MSG_BACK || pl == MSG_LIKE) {
                a->kind = NA_MSG;
                x.msg_back = (size_t)get_u(&in);
                if (pl == MSG_LIKE)
                    x.msg_to = (int)get_s(&in);
                a->v.m = l ? &l->msg : NULL;
            } else if (pl == NA_MSG) {
                get_msg(&in, st, l ? &l->msg : NULL, sc);
                a->v.m = l ? &l->msg : NULL;
            } else {
                a->v.i = get_s(&in);
                a->aux = (int32_t)get_s(&in);
                if (pl == NA_INT)
                    prev = a->v.i;
            }
            break;
        }
    }
    if (l) {
        memcpy(l, &x, offsetof(struct feed_line, msg));
        l->msg_back = x.msg_back;
        l->msg_to = x.msg_to;
    }
    return (size_t)(in.p - p);
}

void feed_msg_bytes(const struct msg *m, uint8_t **b, size_t *n, size_t *cap)
{
    struct feed_state st = {0};
    uint8_t *q0 = reserve(b, 0, cap, msg_room(m));
    *n = (size_t)(put_msg(q0, &st, m) - q0);
}

bool feed_append_same_but_to(const struct msg *a, const struct msg *b)
{
    if (a->type != MSG_APPEND_ENTRIES || b->type != MSG_APPEND_ENTRIES || a->from != b->from ||
        a->u.ae.term != b->u.ae.term || a->u.ae.prev_log_index != b->u.ae.prev_log_index ||
        a->u.ae.prev_log_term != b->u.ae.prev_log_term ||
        a->u.ae.leader_commit != b->u.ae.leader_commit ||
        a->u.ae.read_round != b->u.ae.read_round || a->u.ae.n_entries != b->u.ae.n_entries)
        return false;
    for (size_t i = 0; i < a->u.ae.n_entries; i++) {
        const struct entry *x = &a->u.ae.entries[i], *y = &b->u.ae.entries[i];
        if (x->term != y->term || x->cmd != y->cmd || x->config != y->config ||
            x->config_old != y->config_old || x->client != y->client || x->seq != y->seq)
            return false;
    }
    return true;
}

bool feed_msg_same(const struct msg *a, const struct msg *b)
{
    uint8_t *ba = NULL, *bb = NULL;
    size_t na = 0, ca = 0, nb = 0, cb = 0;
    feed_msg_bytes(a, &ba, &na, &ca);
    feed_msg_bytes(b, &bb, &nb, &cb);
    bool same = na == nb && !memcmp(ba, bb, na);
    free(ba);
    free(bb);
    return same;
}
