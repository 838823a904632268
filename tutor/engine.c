/* engine: adapters from the Raft and Paxos interfaces to one ops table. */
#include "engine.h"

#include "protocols/paxos.h"
#include "protocols/raft.h"

static void *raft_create(int self)
{
    return raft_new(self);
}
static void raft_destroy(void *n)
{
    raft_free(n);
}
static void *raft_copy(const void *n)
{
    return raft_clone(n);
}
static void raft_do(void *n, const struct proto_in *in, struct proto_out *out)
{
    raft_step(n, in, out);
}
static int raft_get(const void *n, const struct proto_config *cfg, const char *name,
                    struct sbuf *out)
{
    return raft_field(n, cfg, name, out);
}
static bool raft_is_up(const void *n)
{
    return ((const struct raft *)n)->v.up;
}

static void *paxos_create(int self)
{
    return paxos_new(self);
}
static void paxos_destroy(void *n)
{
    paxos_free(n);
}
static void *paxos_copy(const void *n)
{
    return paxos_clone(n);
}
static void paxos_do(void *n, const struct proto_in *in, struct proto_out *out)
{
    paxos_step(n, in, out);
}
static int paxos_get(const void *n, const struct proto_config *cfg, const char *name,
                     struct sbuf *out)
{
    return paxos_field(n, cfg, name, out);
}
static bool paxos_is_up(const void *n)
{
    return paxos_up(n);
}

static const struct engine_ops raft_ops = {
    .protocol = PROTO_RAFT,
    .name = "raft",
    .create = raft_create,
    .destroy = raft_destroy,
    .clone = raft_copy,
    .step = raft_do,
    .fields = raft_fields,
    .field = raft_get,
    .up = raft_is_up,
};

static const struct engine_ops paxos_ops = {
    .protocol = PROTO_PAXOS,
    .name = "paxos",
    .create = paxos_create,
    .destroy = paxos_destroy,
    .clone = paxos_copy,
    .step = paxos_do,
    .fields = paxos_fields,
    .field = paxos_get,
    .up = paxos_is_up,
};

const struct engine_ops *engine_for(enum protocol p)
{
    return p == PROTO_RAFT ? &raft_ops : &paxos_ops;
}
