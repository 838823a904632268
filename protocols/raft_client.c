/* raft_client: client interaction (§8 of the extended paper; Ongaro's
 * dissertation §6.3-6.4) and leadership transfer (dissertation §3.10):
 * the key-value store and client sessions of the state machine, duplicate
 * detection, linearizable reads by ReadIndex and TimeoutNow. */
#include <string.h>

#include "raft_internal.h"

/* ---- the state machine: a key-value store and client sessions ---- */

bool raft_kv_command(const char *cmd, size_t *key_len)
{
    const char *eq = cmd ? strchr(cmd, '=') : NULL;
    if (!eq || eq == cmd)
        return false;
    *key_len = (size_t)(eq - cmd);
    return true;
}

void raft_client_init(struct raft_clients *cl)
{
    memset(cl, 0, sizeof *cl);
    cowvec_init(&cl->kv, sizeof(struct raft_kv));
    cowvec_init(&cl->sessions, sizeof(struct raft_session));
    cowvec_init(&cl->skipped, sizeof(int64_t));
    cowvec_init(&cl->reads, sizeof(struct raft_read));
    cl->transfer_to = -1;
}

void raft_client_free(struct raft_clients *cl)
{
    cowvec_free(&cl->kv);
    cowvec_free(&cl->sessions);
    cowvec_free(&cl->skipped);
    cowvec_free(&cl->reads);
}

void raft_client_clone(struct raft_clients *dst, const struct raft_clients *src)
{
    *dst = *src;
    cowvec_clone(&dst->kv, &src->kv);
    cowvec_clone(&dst->sessions, &src->sessions);
    cowvec_clone(&dst->skipped, &src->skipped);
    cowvec_clone(&dst->reads, &src->reads);
}

void raft_sm_clients_init(struct raft_sm_clients *s)
{
    cowvec_init(&s->kv, sizeof(struct raft_kv));
    cowvec_init(&s->sessions, sizeof(struct raft_session));
    cowvec_init(&s->skipped, sizeof(int64_t));
}

void raft_sm_clients_free(struct raft_sm_clients *s)
{
    cowvec_free(&s->kv);
    cowvec_free(&s->sessions);
    cowvec_free(&s->skipped);
}

void raft_sm_clients_clone(struct raft_sm_clients *dst, const struct raft_sm_clients *src)
{
    cowvec_clone(&dst->kv, &src->kv);
    cowvec_clone(&dst->sessions, &src->sessions);
    cowvec_clone(&dst->skipped, &src->skipped);
}

void raft_client_save(struct raft_sm_clients *dst, const struct raft_clients *cl)
{
    raft_sm_clients_free(dst);
    cowvec_clone(&dst->kv, &cl->kv);
    cowvec_clone(&dst->sessions, &cl->sessions);
    cowvec_clone(&dst->skipped, &cl->skipped);
}

void raft_client_restore(struct raft_clients *cl, const struct raft_sm_clients *src)
{
    cowvec_free(&cl->kv);
    cowvec_free(&cl->sessions);
    cowvec_free(&cl->skipped);
    cowvec_clone(&cl->kv, &src->kv);
    cowvec_clone(&cl->sessions, &src->sessions);
    cowvec_clone(&cl->skipped, &src->skipped);
}

void raft_client_reset(struct raft_clients *cl)
{
    raft_client_free(cl);
    raft_client_init(cl);
}

static long find_kv(const struct raft_clients *cl, const char *key, size_t len)
{
    for (size_t i = 0; i < cl->kv.len; i++) {
        const struct raft_kv *kv = cowvec_at(&cl->kv, i);
        if (kv->key_len == len && !memcmp(kv->cmd, key, len))
            return (long)i;
    }
    return -1;
}

const char *raft_kv_get(const struct raft *r, const char *key)
{
    long i = key ? find_kv(&r->cl, key, strlen(key)) : -1;
    if (i < 0)
        return NULL;
    const struct raft_kv *kv = cowvec_at(&r->cl.kv, (size_t)i);
    return kv->cmd + kv->key_len + 1;
}

size_t raft_kv_count(const struct raft *r)
{
    return r->cl.kv.len;
}

const struct raft_kv *raft_kv_at(const struct raft *r, size_t i)
{
    return cowvec_at(&r->cl.kv, i);
}

bool raft_applied_skipped(const struct raft *r, int64_t i)
{
    size_t lo = 0, hi = r->cl.skipped.len;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int64_t at = *(const int64_t *)cowvec_at(&r->cl.skipped, mid);
        if (at == i)
            return true;
        if (at < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static struct raft_session *find_session(struct raft_clients *cl, const char *client)
{
    for (size_t i = 0; i < cl->sessions.len; i++) {
        const struct raft_session *s = cowvec_at(&cl->sessions, i);
        if (!strcmp(s->client, client))
            return cowvec_mut(&cl->sessions, i);
    }
    return NULL;
}

/* Dissertation §6.3: "If it receives a command whose serial number has
 * already been executed, it responds immediately without re-executing the
 * request." The session keeps the latest serial number, so any number at
 * or below it has been executed. */
static bool already_applied(struct raft_clients *cl, const char *client, int64_t seq)
{
    const struct raft_session *s = client ? find_session(cl, client) : NULL;
    return s && seq <= s->seq;
}

/* A leader answers the clients of the entries it appended itself: those
 * of its current term (an older entry's client asked another leader, and
 * retries here if it got no answer). A command without a session is
 * answered too, unnoted (the feed says it was applied), by its index. */
static void answer_entry(struct raft_ctx *c, int64_t i, const struct entry *e, bool duplicate)
{
    if (c->r->v.role != RAFT_LEADER || e->term != c->r->p.term)
        return;
    if (!e->client) {
        proto_answer(c->out, NULL, i);
        return;
    }
    proto_answer(c->out, e->client, e->seq);
    proto_note(c->out, duplicate ? NOTE_RAFT_CLIENT_ANSWERED_SESSION : NOTE_RAFT_CLIENT_ANSWERED,
               note_node(c->r->self), note_str(e->client), note_int(e->seq), note_int(i));
}

bool raft_client_apply(struct raft_ctx *c, int64_t i, const struct entry *e)
{
    struct raft_clients *cl = &c->r->cl;
    if (e->client && already_applied(cl, e->client, e->seq)) {
        cowvec_push(&cl->skipped, &i);
        proto_note(c->out, NOTE_RAFT_DUPLICATE_SKIPPED, note_node(c->r->self), note_int(i),
                   note_str(e->client), note_int(e->seq));
        answer_entry(c, i, e, true);
        return false;
    }
    size_t len;
    if (raft_kv_command(e->cmd, &len)) {
        struct raft_kv kv = {e->cmd, len};
        long k = find_kv(cl, e->cmd, len);
        if (k < 0)
            cowvec_push(&cl->kv, &kv);
        else
            *(struct raft_kv *)cowvec_mut(&cl->kv, (size_t)k) = kv;
    }
    if (e->client) {
        struct raft_session *s = find_session(cl, e->client);
        if (s) {
            s->seq = e->seq;
        } else {
            struct raft_session n = {e->client, e->seq};
            cowvec_push(&cl->sessions, &n);
        }
    }
    answer_entry(c, i, e, false);
    return true;
}

/* ---- client requests ---- */

bool raft_client_intercept(struct raft_ctx *c)
{
    struct raft *r = c->r;
    const char *client = c->in->client;
    struct note_arg cmd = raft_note_cmd(c->in->command);
    /* §3.10, step 1: "The prior leader stops accepting new client
     * requests." */
    if (r->cl.transfer_to >= 0) {
        c->out->client = CLIENT_REFUSED;
        c->out->client_hint = r->cl.transfer_to;
        proto_note(c->out, NOTE_RAFT_TRANSFER_BUSY, note_node(r->self),
                   note_node(r->cl.transfer_to), cmd);
        return true;
    }
    if (client && already_applied(&r->cl, client, c->in->seq)) {
        c->out->client = CLIENT_ACCEPTED;
        proto_note(c->out, NOTE_RAFT_ANSWER_FROM_SESSION, note_node(r->self), note_str(client),
                   note_int(c->in->seq), cmd);
        proto_answer(c->out, client, c->in->seq);
        return true;
    }
    return false;
}

void raft_client_tag(struct raft_ctx *c)
{
    if (!c->in->client)
        return;
    /* The entry just appended: the log's last (its position, not its
     * index: after a snapshot (§7) the two differ). */
    struct entry *e = cowvec_mut(&c->r->p.log, c->r->p.log.len - 1);
    e->client = c->in->client;
    e->seq = c->in->seq;
}

/* ---- linearizable reads (dissertation §6.4, ReadIndex) ---- */

/* The value phrase of a read's note: {3} a phrase, {4} the value. */
static int value_phrase(const char *value)
{
    return value ? NOTE_RAFT_READ_VALUE : NOTE_RAFT_READ_NO_VALUE;
}

static void answer_read(struct raft_ctx *c, const struct raft_read *rd, int note)
{
    const char *value = raft_kv_get(c->r, rd->key);
    struct proto_read ans = {rd->id, rd->key, value, c->r->v.last_applied};
    proto_read_answer(c->out, &ans);
    proto_note(c->out, note, note_node(c->r->self), note_str(rd->key),
               note_phrase(value_phrase(value)), note_str(value ? value : ""),
               note_int(c->r->v.last_applied));
}

int64_t raft_client_round(const struct raft *r)
{
    return r->cl.read_term == r->p.term ? r->cl.read_round : 0;
}

/* Step 3: "the leader ... sends heartbeats to all the other servers"; a
 * new round whose acknowledgments must come from AppendEntries sent from
 * now on (each carries the round, and each reply echoes it). */
static int64_t begin_round(struct raft_ctx *c)
{
    struct raft_clients *cl = &c->r->cl;
    if (cl->read_term != c->r->p.term) {
        cl->read_term = c->r->p.term;
        cl->read_round = 0;
        memset(cl->acked_round, 0, sizeof cl->acked_round);
    }
    cl->read_round++;
    raft_broadcast_append(c);
    return cl->read_round;
}

static bool round_confirmed(const struct raft_ctx *c, int64_t round)
{
    int acks = 1; /* the leader itself */
    for (int i = 0; i < c->cfg->n_nodes; i++)
        if (i != c->r->self && c->r->cl.acked_round[i] >= round)
            acks++;
    return acks >= raft_majority(c);
}

/* Moves one read as far as it can go; true once it is answered. */
static bool advance_read(struct raft_ctx *c, struct raft_read *rd)
{
    struct raft *r = c->r;
    struct note_arg me = note_node(r->self), key = note_str(rd->key);
    if (rd->read_index < 0) {
        /* Step 1: "If the leader has not yet marked an entry from its
         * current term committed, it waits until it has." */
        if (raft_term_at(r, r->v.commit_index) != r->p.term)
            return false;
        /* Step 2: "The leader saves its current commit index in a local
         * variable readIndex." */
        rd->read_index = r->v.commit_index;
        rd->round = begin_round(c);
        proto_note(c->out, NOTE_RAFT_READ_INDEX, me, key, note_int(rd->read_index),
                   note_int(rd->round));
    }
    if (!rd->confirmed) {
        if (!round_confirmed(c, rd->round))
            return false;
        /* "If these heartbeats are acknowledged by a majority, the leader
         * knows it was still the leader at the time the read began." */
        rd->confirmed = true;
        proto_note(c->out, NOTE_RAFT_READ_CONFIRMED, me, key, note_int(rd->read_index));
    }
    /* Step 4: "The leader waits for its state machine to advance at least
     * as far as the readIndex"; step 5: it answers. */
    if (r->v.last_applied < rd->read_index)
        return false;
    answer_read(c, rd, NOTE_RAFT_READ_ANSWER);
    return true;
}

void raft_client_read(struct raft_ctx *c)
{
    struct raft *r = c->r;
    struct note_arg me = note_node(r->self), key = note_str(c->in->command ? c->in->command : "");
    if (r->v.role != RAFT_LEADER) {
        /* §8: a server that is not the leader rejects the request and
         * supplies the most recent leader it has heard from. */
        c->out->client = CLIENT_REFUSED;
        c->out->client_hint = r->v.leader_hint;
        if (r->v.leader_hint >= 0)
            proto_note(c->out, NOTE_RAFT_READ_REFUSED_HINT, me, key, note_node(r->v.leader_hint));
        else
            proto_note(c->out, NOTE_RAFT_READ_REFUSED, me, key);
        return;
    }
    c->out->client = CLIENT_ACCEPTED;
    struct raft_read rd = {.id = c->in->seq,
                           .key = c->in->command ? c->in->command : "",
                           .term = r->p.term,
                           .read_index = -1};
    if (raft_bug(c, BUG_STALE_READS)) {
        /* Bug switch stale_reads: the leader answers from its own state
         * at once. A deposed leader that does not know it yet answers
         * with what it has, which may miss writes a newer leader has
         * acknowledged: the read is not linearizable (§6.4, §8). */
        answer_read(c, &rd, NOTE_RAFT_READ_STALE_BUG);
        return;
    }
    if (advance_read(c, &rd))
        return;
    cowvec_push(&r->cl.reads, &rd);
    if (rd.read_index < 0)
        proto_note(c->out, NOTE_RAFT_READ_WAIT_COMMIT, me, key, note_int(r->p.term));
}

/* ---- leadership transfer (dissertation §3.10) ---- */

/* Step 3: "The prior leader sends a TimeoutNow request to the target
 * server", once the target's log matches its own (step 2). */
static void transfer_try(struct raft_ctx *c)
{
    struct raft *r = c->r;
    struct raft_clients *cl = &r->cl;
    int to = cl->transfer_to;
    if (cl->timeout_now_sent || r->v.match_index[to] != raft_log_length(r))
        return;
    struct msg *m = proto_send(c->out, MSG_TIMEOUT_NOW, r->self, to);
    m->u.tn.term = r->p.term;
    cl->timeout_now_sent = true;
    proto_note(c->out, NOTE_RAFT_TIMEOUT_NOW_SENT, note_node(r->self), note_node(to),
               note_int(raft_log_length(r)));
}

void raft_client_transfer(struct raft_ctx *c)
{
    struct raft *r = c->r;
    struct raft_clients *cl = &r->cl;
    int to = c->in->target;
    struct note_arg me = note_node(r->self), target = note_node(to);
    if (r->v.role != RAFT_LEADER) {
        c->out->client = CLIENT_REFUSED;
        c->out->client_hint = r->v.leader_hint;
        proto_note(c->out, NOTE_RAFT_TRANSFER_NOT_LEADER, me, target);
        return;
    }
    if (to < 0 || to >= c->cfg->n_nodes || to == r->self) {
        proto_note(c->out, NOTE_RAFT_TRANSFER_SELF, me);
        return;
    }
    if (cl->transfer_to >= 0) {
        proto_note(c->out, NOTE_RAFT_TRANSFER_ALREADY, me, note_node(cl->transfer_to), target);
        return;
    }
    c->out->client = CLIENT_ACCEPTED;
    cl->transfer_to = to;
    cl->timeout_now_sent = false;
    cl->transfer_deadline = c->in->now + raft_election_span(c);
    proto_note(c->out, NOTE_RAFT_TRANSFER_START, me, target, note_int(r->v.match_index[to]),
               note_int(raft_log_length(r)));
    /* Step 2: "The prior leader fully updates the target server's log to
     * match its own, using the normal log replication mechanism." */
    if (r->v.match_index[to] != raft_log_length(r))
        raft_send_append(c, to);
    transfer_try(c);
}

/* "This request has the same effect as the target server's election
 * timer firing: the target server starts a new election" — at once, and
 * with prevote without the pre-vote: the leader itself asks it to. */
void raft_recv_timeout_now(struct raft_ctx *c, const struct msg *m)
{
    struct raft *r = c->r;
    raft_observe_term(c, m, m->u.tn.term);
    if (m->u.tn.term < r->p.term) {
        proto_note(c->out, NOTE_RAFT_STALE_IGNORE, note_msgtype(m->type), note_node(m->from),
                   note_int(m->u.tn.term), note_int(r->p.term));
        return;
    }
    if (r->v.role == RAFT_LEADER) {
        proto_note(c->out, NOTE_RAFT_TIMEOUT_NOW_LEADER, note_node(r->self), note_node(m->from));
        return;
    }
    proto_note(c->out, NOTE_RAFT_TIMEOUT_NOW_RECV, note_node(r->self), note_node(m->from),
               note_phrase(raft_has(c, OPT_PREVOTE) ? NOTE_RAFT_SKIPS_PREVOTE : NOTE_NONE));
    raft_start_election_now(c);
}

void raft_client_after_reply(struct raft_ctx *c, const struct msg *m)
{
    struct raft *r = c->r;
    struct raft_clients *cl = &r->cl;
    if (r->v.role != RAFT_LEADER || m->u.aer.term != r->p.term)
        return;
    /* A reply of the leader's term, success or not, says the follower
     * still takes it for the leader of that term. */
    if (cl->read_term == r->p.term && m->u.aer.read_round > cl->acked_round[m->from])
        cl->acked_round[m->from] = m->u.aer.read_round;
    if (cl->transfer_to == m->from)
        transfer_try(c);
}

void raft_client_progress(struct raft_ctx *c)
{
    struct raft *r = c->r;
    struct raft_clients *cl = &r->cl;
    bool leader = r->v.role == RAFT_LEADER;
    size_t keep = 0;
    for (size_t i = 0; i < cl->reads.len; i++) {
        struct raft_read rd = *(const struct raft_read *)cowvec_at(&cl->reads, i);
        if (!leader || rd.term != r->p.term) {
            /* The leader that took the read is deposed: it cannot tell
             * whether its state is current, so it never answers. */
            proto_note(c->out, NOTE_RAFT_READ_ABANDONED, note_node(r->self), note_str(rd.key));
            continue;
        }
        if (advance_read(c, &rd))
            continue;
        *(struct raft_read *)cowvec_mut(&cl->reads, keep++) = rd;
    }
    if (keep != cl->reads.len)
        cowvec_truncate(&cl->reads, keep);
    if (cl->transfer_to < 0)
        return;
    if (!leader || cl->transfer_deadline <= c->in->now) {
        /* Dissertation §3.10: if the transfer does not complete within
         * about an election timeout, the prior leader aborts it and
         * resumes accepting client requests. A leader that stepped down
         * (the target won, most likely) has nothing left to transfer. */
        if (leader)
            proto_note(c->out, NOTE_RAFT_TRANSFER_ABORT, note_node(r->self),
                       note_node(cl->transfer_to), note_int(raft_election_span(c)));
        cl->transfer_to = -1;
        cl->timeout_now_sent = false;
    }
}
