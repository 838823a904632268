/* monitor_clients: the `reads` and `answered` facts and the linearizable
 * reads invariant (dissertation §6.4), computed from the committed prefix
 * the Raft monitor keeps, independently of what the engines believe. */
#include "monitor_clients.h"

#include <string.h>

#include "monitor.h"
#include "protocols/raft.h"
#include "sim.h"

/* An entry of the committed prefix that took effect (not a duplicate):
 * a write to a key, a command with a client, or both. */
struct mc_write {
    int64_t index;
    const char *cmd;
    size_t key_len; /* 0: not a KEY=VALUE command */
    const char *client;
    int64_t seq;
};

/* The latest write to a key that a client was told about. */
struct mc_acked {
    const char *cmd; /* the key is its first key_len bytes */
    size_t key_len;
    int64_t index;
};

struct mc_begun {
    const char *key;
    int64_t min_index; /* the latest acknowledged write to key; 0: none */
};

void monitor_clients_init(struct monitor_clients *m)
{
    memset(m, 0, sizeof *m);
    cowvec_init(&m->writes, sizeof(struct mc_write));
    monitor_index_init(&m->write_ix);
    cowvec_init(&m->sessions, sizeof(struct monitor_answered));
    cowvec_init(&m->acked, sizeof(struct mc_acked));
    cowvec_init(&m->begun, sizeof(struct mc_begun));
    cowvec_init(&m->reads, sizeof(struct monitor_read));
    cowvec_init(&m->answered, sizeof(struct monitor_answered));
    monitor_index_init(&m->answer_ix);
}

void monitor_clients_clone(struct monitor_clients *dst, const struct monitor_clients *src)
{
    *dst = *src;
    cowvec_clone(&dst->writes, &src->writes);
    monitor_index_clone(&dst->write_ix, &src->write_ix);
    cowvec_clone(&dst->sessions, &src->sessions);
    cowvec_clone(&dst->acked, &src->acked);
    cowvec_clone(&dst->begun, &src->begun);
    cowvec_clone(&dst->reads, &src->reads);
    cowvec_clone(&dst->answered, &src->answered);
    monitor_index_clone(&dst->answer_ix, &src->answer_ix);
}

void monitor_clients_free(struct monitor_clients *m)
{
    cowvec_free(&m->writes);
    monitor_index_free(&m->write_ix);
    cowvec_free(&m->sessions);
    cowvec_free(&m->acked);
    cowvec_free(&m->begun);
    cowvec_free(&m->reads);
    cowvec_free(&m->answered);
    monitor_index_free(&m->answer_ix);
}

static uint64_t hash_pair(const char *client, int64_t seq)
{
    return monitor_hash_mix(monitor_hash_text(client) ^ monitor_hash_mix((uint64_t)seq));
}

/* monitor_index callbacks: ctx is a struct pair_query. */
struct pair_query {
    const struct cowvec *v;
    size_t client_off, seq_off;
    const char *client;
    int64_t seq;
};

static const char *rec_client(const struct pair_query *q, size_t rec)
{
    return *(const char *const *)((const char *)cowvec_at(q->v, rec) + q->client_off);
}

static int64_t rec_seq(const struct pair_query *q, size_t rec)
{
    return *(const int64_t *)((const char *)cowvec_at(q->v, rec) + q->seq_off);
}

static bool pair_match(const void *ctx, size_t rec)
{
    const struct pair_query *q = ctx;
    return rec_seq(q, rec) == q->seq && !strcmp(rec_client(q, rec), q->client);
}

static struct pair_query writes_query(const struct monitor_clients *m, const char *c, int64_t seq)
{
    return (struct pair_query){&m->writes, offsetof(struct mc_write, client),
                               offsetof(struct mc_write, seq), c, seq};
}

static struct pair_query answers_query(const struct monitor_clients *m, const char *c, int64_t seq)
{
    return (struct pair_query){&m->answered, offsetof(struct monitor_answered, client),
                               offsetof(struct monitor_answered, seq), c, seq};
}

static struct monitor_answered *session_of(struct monitor_clients *m, const char *client)
{
    for (size_t i = 0; i < m->sessions.len; i++) {
        const struct monitor_answered *s = cowvec_at(&m->sessions, i);
        if (!strcmp(s->client, client))
            return cowvec_mut(&m->sessions, i);
    }
    return NULL;
}

/* The committed entries not yet looked at, with the state machine's own
 * duplicate rule (§6.3): a client's command at or below the latest serial
 * number applied for it takes no effect. */
static void follow_commits(struct sim *s)
{
    struct monitor_clients *m = &s->mon.clients;
    for (; m->seen < s->mon.committed.len; m->seen++) {
        const struct entry *e = cowvec_at(&s->mon.committed, m->seen);
        struct mc_write w = {(int64_t)m->seen + 1, e->cmd, 0, e->client, e->seq};
        if (e->client) {
            struct monitor_answered *ses = session_of(m, e->client);
            if (ses && e->seq <= ses->seq)
                continue;
            if (ses) {
                ses->seq = e->seq;
            } else {
                struct monitor_answered n = {e->client, e->seq};
                cowvec_push(&m->sessions, &n);
            }
        }
        bool kv = raft_kv_command(e->cmd, &w.key_len);
        if (!kv && !e->client)
            continue;
        cowvec_push(&m->writes, &w);
        if (e->client)
            monitor_index_add(&m->write_ix, hash_pair(e->client, e->seq), m->writes.len - 1);
    }
}

static long find_acked(const struct monitor_clients *m, const char *key, size_t len)
{
    for (size_t i = 0; i < m->acked.len; i++) {
        const struct mc_acked *a = cowvec_at(&m->acked, i);
        if (a->key_len == len && !memcmp(a->cmd, key, len))
            return (long)i;
    }
    return -1;
}

/* A client was told its command (client, seq) is done: if it wrote a key,
 * every read that begins from now on must see it or a later write. */
static void acknowledge_write(struct monitor_clients *m, const struct mc_write *wr);
static size_t first_write_from(const struct monitor_clients *m, int64_t i);

static void acknowledge(struct monitor_clients *m, const char *client, int64_t seq)
{
    if (!client) {
        /* A command without a session, by its index: not in `answered`
         * (which lists client and seq), but a write a read must see. */
        size_t i = first_write_from(m, seq);
        if (i < m->writes.len) {
            const struct mc_write *wr = cowvec_at(&m->writes, i);
            if (wr->index == seq && !wr->client)
                acknowledge_write(m, wr);
        }
        return;
    }
    struct pair_query q = answers_query(m, client, seq);
    uint64_t h = hash_pair(client, seq);
    if (monitor_index_find(&m->answer_ix, h, m->answered.len, pair_match, &q) < 0) {
        struct monitor_answered a = {client, seq};
        cowvec_push(&m->answered, &a);
        monitor_index_add(&m->answer_ix, h, m->answered.len - 1);
    }
    q = writes_query(m, client, seq);
    long w = monitor_index_find(&m->write_ix, h, m->writes.len, pair_match, &q);
    if (w < 0)
        return;
    acknowledge_write(m, cowvec_at(&m->writes, (size_t)w));
}

/* Every read that begins from now on must see wr or a later write. */
static void acknowledge_write(struct monitor_clients *m, const struct mc_write *wr)
{
    if (!wr->key_len)
        return;
    long k = find_acked(m, wr->cmd, wr->key_len);
    struct mc_acked a = {wr->cmd, wr->key_len, wr->index};
    if (k < 0)
        cowvec_push(&m->acked, &a);
    else if (((const struct mc_acked *)cowvec_at(&m->acked, (size_t)k))->index < wr->index)
        *(struct mc_acked *)cowvec_mut(&m->acked, (size_t)k) = a;
}

int64_t monitor_read_begin(struct sim *s, int node, const char *key)
{
    (void)node;
    struct monitor_clients *m = &s->mon.clients;
    long k = key ? find_acked(m, key, strlen(key)) : -1;
    struct mc_begun b = {
        key, k < 0 ? 0 : ((const struct mc_acked *)cowvec_at(&m->acked, (size_t)k))->index};
    cowvec_push(&m->begun, &b);
    return (int64_t)m->begun.len;
}

/* The first write at or after index i (writes are in index order). */
static size_t first_write_from(const struct monitor_clients *m, int64_t i)
{
    size_t lo = 0, hi = m->writes.len;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (((const struct mc_write *)cowvec_at(&m->writes, mid))->index < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Linearizable reads: the value must be that of the latest write to the
 * key acknowledged before the read began (min_index), or of a committed
 * write after it; with none acknowledged, no value is fine too. Returns
 * the acknowledged write the read missed, or NULL if the answer is fine. */
static const struct mc_write *missed_write(const struct monitor_clients *m,
                                           const struct mc_begun *b, const char *value)
{
    size_t len = strlen(b->key);
    if (b->min_index == 0)
        return NULL; /* nothing acknowledged yet: any committed value will do */
    const struct mc_write *missed = NULL;
    for (size_t i = first_write_from(m, b->min_index); i < m->writes.len; i++) {
        const struct mc_write *w = cowvec_at(&m->writes, i);
        if (w->key_len != len || memcmp(w->cmd, b->key, len))
            continue;
        if (!missed)
            missed = w;
        if (value && !strcmp(w->cmd + len + 1, value))
            return NULL;
    }
    return missed;
}

static void check_read(struct sim *s, int node, const struct proto_read *r)
{
    struct monitor_clients *m = &s->mon.clients;
    if (r->id < 1 || (size_t)r->id > m->begun.len)
        return;
    const struct mc_begun *b = cowvec_at(&m->begun, (size_t)r->id - 1);
    struct monitor_read rd = {node, b->key, r->value};
    cowvec_push(&m->reads, &rd);
    const struct mc_write *w = missed_write(m, b, r->value);
    if (!w)
        return;
    monitor_violation(s, NOTE_MONITOR_STALE_READ, note_node(node), note_str(b->key),
                      note_phrase(r->value ? NOTE_MONITOR_READ_VALUE : NOTE_MONITOR_READ_NO_VALUE),
                      note_str(w->cmd), note_int(w->index), note_str(r->value ? r->value : ""));
}

void monitor_clients_after(struct sim *s, int node)
{
    const struct proto_out *out = &s->out;
    follow_commits(s);
    for (size_t i = 0; i < out->n_answers; i++)
        acknowledge(&s->mon.clients, out->answers[i].client, out->answers[i].seq);
    for (size_t i = 0; i < out->n_reads; i++)
        check_read(s, node, &out->reads[i]);
}
