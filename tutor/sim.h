/* sim: the paused virtual cluster — nodes running one engine, a virtual
 * clock, a network of in-flight messages (latency, loss, duplication,
 * partitions, one-way cuts) and the safety monitors. It moves only through
 * sim_apply(), one primitive operation at a time, so a run is a list of
 * operations that replays exactly (history.h).
 *
 * Event order (the written tie-break): the next event is the scheduled
 * delivery or timer expiry with the smallest time; among equal times, the
 * one scheduled first (a global sequence number given when a message is
 * sent or a timer is set). All randomness comes from the one generator in
 * struct sim, drawn in a fixed order: per message sent, loss (if loss > 0),
 * then latency (if min < max), then duplication (if duplicate > 0) and the
 * copy's latency; engines draw their timeouts from the same generator. */
#ifndef TUTOR_SIM_H
#define TUTOR_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "protocols/cowvec.h"
#include "protocols/msg.h"
#include "protocols/prng.h"
#include "protocols/proto.h"
#include "engine.h"
#include "monitor.h"
#include "strpool.h"

struct feed;

/* A message in flight. */
struct sim_msg {
    uint64_t id;     /* send order: 1, 2, ... */
    uint64_t seq;    /* event tie-break */
    int64_t sent_at; /* ms */
    int64_t due;     /* ms */
    bool duplicate;  /* a copy made by the network or by `duplicate` */
    bool injected;   /* made by hand (`inject`) */
    struct msg m;
};

struct sim_node {
    void *engine;
    int64_t timer; /* deadline, -1: none */
    uint64_t timer_seq;
};

/* The network's settings. */
struct sim_net {
    int64_t latency_min, latency_max;
    uint64_t loss_ppb, duplicate_ppb; /* parts per billion */
};

struct sim {
    const struct engine_ops *ops;
    struct proto_config cfg;
    struct sim_net net;
    struct prng rng;
    int64_t now;
    uint64_t next_msg_id, next_seq;
    uint64_t events; /* deliveries and timer expiries processed */
    struct sim_node nodes[PROTO_MAX_NODES];
    struct sim_msg *pending; /* in send order (ascending id, seq and sent_at) */
    size_t n_pending, cap_pending;
    int group[PROTO_MAX_NODES];                 /* partition group; all 0: none */
    bool cut[PROTO_MAX_NODES][PROTO_MAX_NODES]; /* cut[from][to] */
    struct monitor mon;
    struct strpool *strings; /* shared by every clone; owned by the creator */
    struct feed *feed;       /* where events are told; NULL: told nowhere */
    struct proto_out out;    /* scratch, reused per engine step */
    /* The next event, remembered between asking for its time and
     * processing it (next_event); forgotten whenever a message or a timer
     * changes. */
    struct sim_next {
        bool known;
        int kind; /* as next_event returns */
        size_t msg;
        int node;
        int64_t time;
    } next;
};

enum sim_op_kind {
    OP_EVENT,     /* process the next scheduled event */
    OP_DELIVER,   /* deliver pending message msg_id now */
    OP_DROP,      /* remove pending message msg_id */
    OP_DUPLICATE, /* put a copy of msg_id in flight */
    OP_TIMEOUT,   /* fire node's timer now */
    OP_CRASH,
    OP_RESTART,
    OP_PARTITION, /* groups */
    OP_HEAL,
    OP_CUT,     /* from, to, both */
    OP_LINK,    /* from, to, both */
    OP_CLIENT,  /* node, text: request (Raft) or propose (Paxos) */
    OP_INJECT,  /* msg */
    OP_SET,     /* config change */
    OP_ADVANCE, /* move the clock to `time` (no event may be due before it) */
    /* Raft: node snapshots now (§7) */
    OP_SNAPSHOT,
    /* Raft membership: a client asks node to add (remove) server `to` */
    OP_ADD_SERVER,
    OP_REMOVE_SERVER,
    OP_READ,     /* node, text: a linearizable read of key text (Raft) */
    OP_TRANSFER, /* node: the leader asked; to: the target (Raft, §3.10) */
};

struct sim_op {
    enum sim_op_kind kind;
    uint64_t msg_id;
    uint64_t id_floor; /* new message ids continue above this (a branch's first operation) */
    int node, from, to;
    bool both;
    int groups[PROTO_MAX_NODES];
    const char *text;      /* interned in the sim's pool */
    const struct msg *msg; /* OP_INJECT: borrowed; history_apply keeps its own copy */
    int64_t time;
    /* OP_SET: node -1 applies to every node */
    bool set_has_timeout;
    int64_t set_timeout;
    unsigned set_timeouts_mask; /* per-node timeouts (bit per node), regardless of node */
    int64_t set_timeouts[PROTO_MAX_NODES];
    unsigned set_options_on, set_options_off;
    bool set_has_election;
    int64_t set_election_min, set_election_max;
    bool set_has_heartbeat;
    int64_t set_heartbeat;
    bool set_has_snapshot_every;
    int64_t set_snapshot_every;
    /* OP_CLIENT (Raft): the client's session, interned, and its serial
     * number; NULL and 0 for a request without one. */
    const char *client;
    int64_t seq;
};

/* An operation of the given kind on node (-1: none), every other field
 * zero and from/to -1. Inline, built in the caller's slot: the history
 * makes one twice per operation it records or replays. */
static inline struct sim_op sim_op_make(enum sim_op_kind kind, int node)
{
    return (struct sim_op){.kind = kind, .node = node, .from = -1, .to = -1};
}
/* Every field of a and b the same (a new field of struct sim_op must be
 * compared here: the history keeps operations compactly and relies on it
 * to tell whether a compact record gives one back exactly). */
bool sim_op_same(const struct sim_op *a, const struct sim_op *b);

/* The result of one operation. */
struct sim_result {
    bool did;                  /* false: nothing happened (see why) */
    enum client_result client; /* OP_CLIENT */
    int client_hint;
    char why[160];
    struct proto_note why_note; /* why, as the note it was rendered from */
};

/* A new cluster (every node booted with IN_START at time 0 after its
 * initial persistent state is set by the caller through sim_node()). The
 * pool is borrowed and must outlive the sim and its clones. */
struct sim *sim_new(enum protocol p, const struct proto_config *cfg, const struct sim_net *net,
                    uint64_t seed, struct strpool *strings);
/* Boots every node (IN_START). Call once, after setting initial state. */
void sim_start(struct sim *s);
void sim_free(struct sim *s);
/* A deep copy (logs shared copy-on-write); its feed is NULL. */
struct sim *sim_clone(const struct sim *s);

/* Node i's engine state (inline: the monitors ask for it per node per step). */
static inline void *sim_node(struct sim *s, int i)
{
    return s->nodes[i].engine;
}
static inline const void *sim_node_const(const struct sim *s, int i)
{
    return s->nodes[i].engine;
}

/* Applies one operation, appending what happened to s->feed. */
void sim_apply(struct sim *s, const struct sim_op *op, struct sim_result *res);

/* The time of the next scheduled event, or -1 if none. */
int64_t sim_next_event_time(const struct sim *s);
/* The pending message with this id, or NULL. */
const struct sim_msg *sim_find_msg(const struct sim *s, uint64_t id);
bool sim_node_up(const struct sim *s, int i);
/* JSON text of a node field; 0 or -1 unknown. "up" is answered here. */
int sim_node_field(const struct sim *s, int node, const char *name, struct sbuf *out);
/* Can a message from -> to pass the network now? */
bool sim_link_open(const struct sim *s, int from, int to);

#endif
