/* explore_requests: a search's client requests as operations
 * (explore_requests.h). */
#include "explore_requests.h"

enum sim_op_kind explore_request_op_kind(enum request_kind k)
{
    switch (k) {
    case REQUEST_READ:
        return OP_READ;
    case REQUEST_ADD_SERVER:
        return OP_ADD_SERVER;
    case REQUEST_REMOVE_SERVER:
        return OP_REMOVE_SERVER;
    default:
        return OP_CLIENT;
    }
}

bool explore_is_request(enum sim_op_kind k)
{
    return k == OP_CLIENT || k == OP_READ || k == OP_ADD_SERVER || k == OP_REMOVE_SERVER;
}

/* A membership change names the server changed in `to`, as the runner's
 * add_server and remove_server do (sim.c); a read names its key in text. */
static struct sim_op request_op(enum sim_op_kind kind, int node, const char *text, int server)
{
    struct sim_op op = sim_op_make(kind, node);
    if (kind == OP_ADD_SERVER || kind == OP_REMOVE_SERVER)
        op.to = server;
    else
        op.text = text;
    return op;
}

struct sim_op explore_request_op(const struct explore_request *r)
{
    return request_op(explore_request_op_kind(r->kind), r->node, r->command, r->server);
}

struct sim_op explore_event_request_op(const struct explore_event *e)
{
    return request_op(e->kind, e->node, e->text, e->server);
}
