/* explore_requests: what a client may send during a search (an explore
 * step's `requests`): a command, a linearizable read (dissertation §6.4)
 * or a single-server membership change (§4.1), as the cluster's
 * operations and back. */
#ifndef TUTOR_EXPLORE_REQUESTS_H
#define TUTOR_EXPLORE_REQUESTS_H

#include <stdbool.h>

#include "explore.h"

/* The operation kind of a request kind (OP_CLIENT, OP_READ,
 * OP_ADD_SERVER, OP_REMOVE_SERVER). */
enum sim_op_kind explore_request_op_kind(enum request_kind k);
/* Whether events of kind k are a client's requests (no message, no fault). */
bool explore_is_request(enum sim_op_kind k);
/* The operation that sends request r. */
struct sim_op explore_request_op(const struct explore_request *r);
/* The operation that sends the request event e again (its kind is one
 * explore_is_request accepts). */
struct sim_op explore_event_request_op(const struct explore_event *e);

#endif
