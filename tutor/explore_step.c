/* explore_step: the lesson's explore step run headless (tutor check): the
 * search from the runner's cluster, its outcome compared with `expect`. */
#include "explore_step.h"

#include <stdio.h>
#include <string.h>

#include "explore_requests.h"
#include "protocols/hash.h"

void explore_bounds_from_step(const struct lesson_explore *e, struct strpool *pool,
                              struct explore_request *reqs, struct explore_bounds *b)
{
    explore_bounds_default(b);
    b->depth = e->depth;
    b->max_drops = e->max_drops;
    b->max_duplicates = e->max_duplicates;
    b->max_crashes = e->max_crashes;
    b->timeouts = e->timeouts;
    b->max_states = e->max_states;
    b->until = e->has_until ? &e->until : NULL;
    b->walks = e->walks;
    b->walk_depth = e->walk_depth;
    b->walk_seed = e->walk_seed;
    for (size_t i = 0; i < e->n_requests; i++) {
        const struct lesson_request *q = &e->requests[i];
        reqs[i] = (struct explore_request){.node = q->node,
                                           .command =
                                               q->command ? strpool_intern(pool, q->command) : NULL,
                                           .kind = q->kind,
                                           .server = q->server};
    }
    b->requests = reqs;
    b->n_requests = e->n_requests;
}

bool explore_check_step(struct runner *r, const struct step *st, struct sbuf *detail)
{
    const struct lesson_explore *e = st->explore;
    struct explore_request reqs[16];
    struct explore_bounds b;
    explore_bounds_from_step(e, r->strings, reqs, &b);
    struct explore_result res;
    explore_run(runner_sim(r), &b, NULL, NULL, NULL, &res);
    bool ok = e->expect < 0 || (e->expect == 1) == res.found;
    if (!ok && res.found)
        sbuf_printf(detail, "explore: expected none, found a schedule of %zu events: %s",
                    res.n_events, res.what);
    else if (!ok)
        sbuf_printf(detail, "explore: expected found, none within the bounds (%ld states%s)",
                    res.states, res.stopped ? ", stopped at max_states" : "");
    explore_result_free(&res);
    return ok;
}

/* The pending message with this content, or 0. */
static uint64_t msg_by_content(const struct sim *s, const struct msg *m)
{
    uint64_t want = hash_msg(m);
    for (size_t k = 0; k < s->n_pending; k++)
        if (hash_msg(&s->pending[k].m) == want)
            return s->pending[k].id;
    return 0;
}

size_t explore_play(struct runner *r, const struct explore_event *ev, size_t n)
{
    struct sbuf err;
    sbuf_init(&err);
    size_t i = 0;
    for (; i < n; i++) {
        const struct explore_event *e = &ev[i];
        const struct sim *s = runner_sim(r);
        int rc = -1;
        sbuf_reset(&err);
        if (e->kind == OP_DELIVER || e->kind == OP_DROP || e->kind == OP_DUPLICATE) {
            uint64_t id = msg_by_content(s, &e->m);
            enum action_kind k = e->kind == OP_DELIVER ? ACT_DELIVER
                                 : e->kind == OP_DROP  ? ACT_DROP
                                                       : ACT_DUPLICATE;
            if (id)
                rc = runner_action_msg(r, k, id, &err);
        } else if (e->node >= 0 && e->node < s->cfg.n_nodes) {
            /* The fields a learner's key fills (flow_simple_action). */
            struct action a;
            memset(&a, 0, sizeof a);
            a.path = "explore";
            a.count = 1;
            a.for_ms = -1;
            a.max = 10000;
            a.from = a.to = a.match.from = a.match.to = -1;
            a.node = e->node;
            bool up = sim_node_up(s, e->node);
            switch (e->kind) {
            case OP_TIMEOUT:
                a.kind = ACT_TIMEOUT;
                break;
            case OP_CRASH:
                a.kind = ACT_CRASH;
                break;
            case OP_RESTART:
                a.kind = ACT_RESTART;
                break;
            case OP_CLIENT:
                a.kind = s->ops->protocol == PROTO_RAFT ? ACT_REQUEST : ACT_PROPOSE;
                a.text = e->text;
                break;
            case OP_READ:
                a.kind = ACT_READ;
                a.text = e->text;
                break;
            case OP_ADD_SERVER:
            case OP_REMOVE_SERVER:
                /* The lesson action names the server changed in `node`
                 * and the server asked in `to` (runner.c, member_send). */
                a.kind = e->kind == OP_ADD_SERVER ? ACT_ADD_SERVER : ACT_REMOVE_SERVER;
                a.node = e->server;
                a.to = e->node;
                break;
            default:
                a.kind = ACT_COUNT;
                break;
            }
            bool fits = a.kind != ACT_COUNT &&
                        (e->kind == OP_RESTART ? !up : explore_is_request(e->kind) || up);
            if (fits)
                rc = runner_action(r, &a, &err);
        }
        if (rc != 0)
            break;
    }
    sbuf_free(&err);
    return i;
}
