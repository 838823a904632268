/* engine: the one ops table through which the cluster drives an engine,
 * so the virtual cluster, history and facts never depend on which protocol
 * runs. */
#ifndef TUTOR_ENGINE_H
#define TUTOR_ENGINE_H

#include <stdbool.h>

#include "protocols/proto.h"
#include "protocols/sbuf.h"

struct engine_ops {
    enum protocol protocol;
    const char *name; /* "raft", "paxos" */
    void *(*create)(int self);
    void (*destroy)(void *node);
    void *(*clone)(const void *node);
    void (*step)(void *node, const struct proto_in *in, struct proto_out *out);
    const char *const *(*fields)(void);
    int (*field)(const void *node, const struct proto_config *cfg, const char *name,
                 struct sbuf *out);
    bool (*up)(const void *node);
};

const struct engine_ops *engine_for(enum protocol p);

#endif
