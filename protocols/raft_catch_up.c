/* raft_catch_up: a new server catches up before it joins (dissertation
 * §4.2.1, option catch_up_rounds).
 *
 * "The leader replicates entries to the new server in rounds ... Each round
 * replicates all the log entries present in the leader's log at the start
 * of the round to the new server's log. ... The algorithm waits a fixed
 * number of rounds (such as 10). If the last round lasts less than an
 * election timeout, then the leader adds the new server to the cluster ...
 * Otherwise, the leader aborts the configuration change with an error."
 * Until then the new server is a non-voting member: the leader replicates
 * to it (raft_peers), but it counts in no majority and cannot campaign.
 * The dissertation also has the leader abort for a server that is
 * unavailable; here a round ends unfinished after an election timeout, so
 * such a server fails the last round like a slow one. */
#include "raft_internal.h"

static void begin_round(struct raft_ctx *c)
{
    struct raft_volatile *v = &c->r->v;
    v->catch_up_round++;
    v->catch_up_began = c->in->now;
    v->catch_up_end = raft_log_length(c->r);
}

void raft_catch_up_begin(struct raft_ctx *c, int server)
{
    struct raft *r = c->r;
    struct raft_volatile *v = &r->v;
    v->catching_up = true;
    v->catch_up_node = server;
    v->catch_up_round = 0;
    v->catch_up_since = c->in->now;
    begin_round(c);
    proto_note(c->out, NOTE_RAFT_CATCH_UP_BEGIN, note_node(r->self), note_node(server),
               note_int(c->cfg->catch_up_rounds), note_int(v->catch_up_end));
    raft_send_append(c, server);
}

static void stop(struct raft_ctx *c, int id, int64_t x, int64_t y)
{
    struct raft_volatile *v = &c->r->v;
    v->catching_up = false;
    proto_note(c->out, id, note_node(c->r->self), note_node(v->catch_up_node),
               note_int(v->catch_up_round), note_int(x), note_int(y));
}

void raft_catch_up_progress(struct raft_ctx *c)
{
    struct raft *r = c->r;
    struct raft_volatile *v = &r->v;
    if (!v->catching_up)
        return;
    int node = v->catch_up_node;
    if (v->role != RAFT_LEADER) {
        /* A deposed leader changes nothing; the client may ask again. */
        stop(c, NOTE_RAFT_CATCH_UP_ABANDONED, r->p.term, 0);
        return;
    }
    int64_t now = c->in->now, span = raft_election_span(c);
    for (;;) {
        /* A round ends when the server's match_index reaches the leader's
         * last index at its start (one with nothing new ends at once), or
         * unfinished once it has lasted an election timeout: a server that
         * is down or too slow would otherwise hold a round, and the
         * change, forever. */
        bool reached = v->match_index[node] >= v->catch_up_end;
        int64_t lasted = now - v->catch_up_began;
        if (!reached && lasted < span)
            return;
        if (v->catch_up_round >= c->cfg->catch_up_rounds) {
            if (!reached || lasted >= span) {
                stop(c, NOTE_RAFT_CATCH_UP_TOO_SLOW, lasted, span);
                return;
            }
            stop(c, NOTE_RAFT_CATCH_UP_DONE, lasted, span);
            raft_membership_append_change(c, node, true);
            return;
        }
        proto_note(c->out, reached ? NOTE_RAFT_CATCH_UP_ROUND : NOTE_RAFT_CATCH_UP_ROUND_CUT,
                   note_node(r->self), note_node(node), note_int(v->catch_up_round),
                   note_int(lasted), note_int(v->catch_up_end));
        begin_round(c);
    }
}
