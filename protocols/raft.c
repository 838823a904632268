/* raft: node lifecycle (create, clone, crash, restart), the one entry point
 * raft_step that dispatches each input, client requests and log access. */
#include "raft.h"

#include <stdlib.h>
#include <string.h>

#include "raft_internal.h"

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p)
        abort();
    return p;
}

static void *xmalloc(size_t size)
{
    void *p = malloc(size);
    if (!p)
        abort();
    return p;
}

/* ---- helpers shared by the raft*.c files ---- */

const char *raft_name(const struct raft_ctx *c, int node)
{
    if (node >= 0 && node < c->cfg->n_nodes && c->cfg->names[node])
        return c->cfg->names[node];
    return "?";
}

bool raft_has(const struct raft_ctx *c, unsigned option)
{
    return (c->cfg->options[c->r->self] & option) != 0;
}

/* A majority of the configuration in use (dissertation §4.1; C_new's while
 * joint, for notes: raft_quorum decides). */
int raft_majority(const struct raft_ctx *c)
{
    return raft_config_size(c) / 2 + 1;
}

int raft_config_size(const struct raft_ctx *c)
{
    int n = 0;
    for (uint32_t x = raft_config(c->r, c->cfg, NULL); x; x &= x - 1)
        n++;
    return n;
}

int64_t raft_last_term(const struct raft *r)
{
    return raft_term_at(r, raft_log_length(r));
}

/* "About an election timeout", the span a leader gives a transfer (§3.10)
 * or a catch-up round (§4.2.1): the node's fixed timeout, or the top of
 * the range. */
int64_t raft_election_span(const struct raft_ctx *c)
{
    int64_t fixed = c->cfg->fixed_timeout[c->r->self];
    return fixed >= 0 ? fixed : c->cfg->election_max;
}

void raft_reset_election_timer(struct raft_ctx *c)
{
    c->r->v.deadline = c->in->now + proto_draw_timeout(c->cfg, c->r->self, c->in->rng);
}

/* Rebuilds the volatile state from the persistent state alone. */
static void raft_volatile_rebuild(struct raft_ctx *c)
{
    struct raft_volatile *v = &c->r->v;
    memset(v, 0, sizeof *v);
    v->up = true;
    v->role = RAFT_FOLLOWER;
    v->leader_hint = -1;
    v->last_leader_contact = -1;
    for (int i = 0; i < PROTO_MAX_NODES; i++)
        v->heard_from[i] = -1;
    raft_membership_log_changed(c->r, 1);
    raft_client_reset(&c->r->cl);
    raft_reset_election_timer(c);
}

/* ---- lifecycle ---- */

static void raft_volatile_down(struct raft_volatile *v)
{
    memset(v, 0, sizeof *v);
    v->up = false;
    v->deadline = -1;
    v->leader_hint = -1;
    v->last_leader_contact = -1;
    for (int i = 0; i < PROTO_MAX_NODES; i++)
        v->heard_from[i] = -1;
}

struct raft *raft_new(int self)
{
    struct raft *r = xcalloc(1, sizeof *r);
    r->self = self;
    r->p.term = 0;
    r->p.voted_for = -1;
    cowvec_init(&r->p.log, sizeof(struct entry));
    raft_sm_init(&r->p.snap.state);
    raft_volatile_down(&r->v);
    raft_client_init(&r->cl);
    return r;
}

void raft_free(struct raft *r)
{
    if (!r)
        return;
    cowvec_free(&r->p.log);
    raft_sm_free(&r->p.snap.state);
    raft_client_free(&r->cl);
    free(r);
}

struct raft *raft_clone(const struct raft *r)
{
    /* Every byte is copied next: no need for calloc's zeroing (this is
     * the explorer's hot path). */
    struct raft *c = xmalloc(sizeof *c);
    *c = *r;
    cowvec_clone(&c->p.log, &r->p.log);
    raft_sm_clone(&c->p.snap.state, &r->p.snap.state);
    raft_client_clone(&c->cl, &r->cl);
    return c;
}

int raft_set_initial(struct raft *r, int64_t term, int voted_for, const struct entry *log, size_t n)
{
    r->p.term = term;
    r->p.voted_for = voted_for;
    cowvec_truncate(&r->p.log, 0);
    for (size_t i = 0; i < n; i++)
        cowvec_push(&r->p.log, &log[i]);
    return 0;
}

/* ---- log access ---- */

/* §7: the log holds the entries after the snapshot's last index; indices
 * stay absolute. */
int64_t raft_term_at(const struct raft *r, int64_t i)
{
    if (i <= 0 || i > raft_log_length(r))
        return 0;
    if (i == r->p.snap.index)
        return r->p.snap.term;
    const struct entry *e = raft_entry(r, i);
    return e ? e->term : 0;
}

void raft_log_truncate(struct raft *r, int64_t last)
{
    int64_t keep = last - r->p.snap.index;
    cowvec_truncate(&r->p.log, keep > 0 ? (size_t)keep : 0);
}

const char *raft_role_name(enum raft_role role)
{
    switch (role) {
    case RAFT_LEADER:
        return "leader";
    case RAFT_CANDIDATE:
        return "candidate";
    default:
        return "follower";
    }
}

/* ---- inputs ---- */

/* §5.2 "When servers start up, they begin as followers"; a restart is the
 * same boot from the persistent state alone (Figure 2: volatile state is
 * reinitialized after a crash). */
static void raft_boot(struct raft_ctx *c, bool restart)
{
    struct raft *r = c->r;
    raft_volatile_rebuild(c);
    /* Bug switch volatile_vote: voted_for was kept in memory only, so a
     * restarted node may vote twice in one term (Figure 2 makes it
     * persistent). */
    if (restart && r->p.voted_for >= 0 && (c->cfg->bugs & BUG_VOLATILE_VOTE)) {
        proto_note(c->out, NOTE_RAFT_BUG_VOTE_FORGOTTEN, note_node(r->self),
                   note_node(r->p.voted_for), note_int(r->p.term));
        r->p.voted_for = -1;
        c->out->persisted = true;
    }
    if (restart)
        proto_note(c->out, NOTE_RAFT_RESTART, note_node(r->self), note_int(r->p.term),
                   note_int(raft_log_length(r)));
    else
        proto_note(c->out, NOTE_RAFT_START, note_node(r->self), note_int(r->p.term));
    raft_snapshot_boot(c);
}

static void raft_crash(struct raft_ctx *c)
{
    struct raft *r = c->r;
    if (!r->v.up) {
        proto_note(c->out, NOTE_RAFT_ALREADY_DOWN, note_node(r->self));
        return;
    }
    raft_volatile_down(&r->v);
    raft_client_reset(&r->cl);
    proto_note(c->out, NOTE_RAFT_CRASH, note_node(r->self), note_int(r->p.term));
}

static void raft_timer(struct raft_ctx *c)
{
    if (c->r->v.role == RAFT_LEADER)
        raft_heartbeat_timeout(c);
    else
        raft_election_timeout(c);
}

/* §5.3: "the leader appends the command to its log as a new entry, then
 * issues AppendEntries RPCs in parallel to each of the other servers". A
 * node that is not leader refuses and names the leader it knows (§8). */
static void raft_client(struct raft_ctx *c)
{
    struct raft *r = c->r;
    struct note_arg cmd = raft_note_cmd(c->in->command);
    if (c->in->change != CHANGE_NONE) {
        raft_membership_request(c);
        return;
    }
    if (r->v.role != RAFT_LEADER) {
        c->out->client = CLIENT_REFUSED;
        c->out->client_hint = r->v.leader_hint;
        if (r->v.leader_hint >= 0)
            proto_note(c->out, NOTE_RAFT_CLIENT_REFUSED_HINT, note_node(r->self), cmd,
                       note_node(r->v.leader_hint));
        else
            proto_note(c->out, NOTE_RAFT_CLIENT_REFUSED, note_node(r->self), cmd);
        return;
    }
    if (raft_client_intercept(c))
        return;
    struct entry e = raft_client_entry(c, c->in->command ? c->in->command : "");
    raft_append_entry(c, &e);
    c->out->client = CLIENT_ACCEPTED;
    proto_note(c->out, NOTE_RAFT_CLIENT_APPEND, note_node(r->self), cmd,
               note_int(raft_log_length(r)), note_int(r->p.term));
    raft_broadcast_append(c);
    raft_leader_commit(c, false); /* a one-node cluster commits at once */
    raft_apply_committed(c);
}

static void raft_message(struct raft_ctx *c, const struct msg *m)
{
    struct raft *r = c->r;
    if (!m || m->from < 0 || m->from >= c->cfg->n_nodes || m->from == r->self) {
        proto_note(c->out, NOTE_RAFT_BAD_SENDER, note_node(r->self));
        return;
    }
    switch (m->type) {
    case MSG_REQUEST_VOTE:
        raft_recv_request_vote(c, m);
        break;
    case MSG_REQUEST_VOTE_REPLY:
        raft_recv_request_vote_reply(c, m);
        break;
    case MSG_APPEND_ENTRIES:
        raft_recv_append_entries(c, m);
        break;
    case MSG_APPEND_ENTRIES_REPLY:
        raft_recv_append_entries_reply(c, m);
        raft_client_after_reply(c, m);
        break;
    case MSG_TIMEOUT_NOW:
        raft_recv_timeout_now(c, m);
        break;
    case MSG_INSTALL_SNAPSHOT:
        raft_recv_install_snapshot(c, m);
        break;
    case MSG_INSTALL_SNAPSHOT_REPLY:
        raft_recv_install_snapshot_reply(c, m);
        break;
    default:
        proto_note(c->out, NOTE_RAFT_NOT_RAFT_MESSAGE, note_node(r->self), note_msgtype(m->type));
        break;
    }
}

void raft_step(struct raft *r, const struct proto_in *in, struct proto_out *out)
{
    struct raft_ctx c = {.r = r, .in = in, .cfg = in->cfg, .out = out};

    if (!r->v.up && in->kind != IN_START && in->kind != IN_RESTART) {
        /* A down node does nothing; the caller drops its messages, and a
         * timeout or request aimed at it only says so. */
        if (in->kind == IN_CLIENT || in->kind == IN_READ || in->kind == IN_TRANSFER)
            out->client = CLIENT_DOWN;
        if (in->kind == IN_CRASH)
            raft_crash(&c);
        else if (in->kind == IN_MESSAGE)
            proto_note(out, NOTE_RAFT_DOWN_MESSAGE_LOST, note_node(r->self));
        else
            proto_note(out, NOTE_RAFT_DOWN_NOTHING, note_node(r->self));
        out->timer = -1;
        return;
    }

    switch (in->kind) {
    case IN_START:
        raft_boot(&c, false);
        break;
    case IN_RESTART:
        raft_boot(&c, true);
        break;
    case IN_CRASH:
        raft_crash(&c);
        break;
    case IN_TIMER:
        raft_timer(&c);
        break;
    case IN_CLIENT:
        raft_client(&c);
        break;
    case IN_MESSAGE:
        raft_message(&c, in->msg);
        break;
    case IN_SNAPSHOT:
        raft_snapshot_take(&c, true);
        break;
    case IN_READ:
        raft_client_read(&c);
        break;
    case IN_TRANSFER:
        raft_client_transfer(&c);
        break;
    }
    if (r->v.up) {
        raft_apply_committed(&c);
        raft_snapshot_auto(&c);
        raft_client_progress(&c);
        raft_catch_up_progress(&c);
    }
    out->timer = r->v.up ? r->v.deadline : -1;
}
