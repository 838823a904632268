/* paxos_internal: the engine-private volatile state and the helpers the
 * paxos*.c files share. Only protocols/paxos*.c include this header. */
#ifndef PROTOCOLS_PAXOS_INTERNAL_H
#define PROTOCOLS_PAXOS_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "paxos.h"

/* One slot of what this node's proposer runs with v->ballot. */
enum paxos_prop_state { PROP_NONE, PROP_SENT, PROP_CHOSEN };

struct paxos_prop {
    const char *value;
    unsigned acks; /* acceptors (bit per node) that accepted (v->ballot, value) */
    int state;     /* enum paxos_prop_state */
};

/* Learner: Accepted messages counted per (slot, ballot, value). Entries of
 * a slot are dropped once the slot is learned, so the table stays small. */
struct paxos_tally {
    int64_t slot;
    struct ballot ballot;
    const char *value;
    unsigned from; /* acceptors, bit per node */
};

/* Everything a crash loses. Rebuilt from struct paxos_persist alone. */
struct paxos_volatile {
    bool up;
    enum paxos_phase phase;
    int64_t deadline;   /* retry (or Multi-Paxos heartbeat) timer; -1: none */
    int64_t seen_round; /* highest round seen in any message */
    /* Proposer. */
    struct ballot ballot;  /* the ballot being run (phase prepare, accept, leader) */
    const char *value;     /* Basic Paxos: the client's value, until chosen */
    int64_t prepare_slot;  /* first slot the Prepare covers */
    unsigned promises;     /* acceptors that promised v->ballot */
    struct cowvec prom;    /* struct paxos_accepted: highest accepted per slot in promises */
    struct cowvec props;   /* struct paxos_prop: what phase 2 proposed per slot */
    int64_t next_slot;     /* Multi-Paxos leader: next free slot */
    struct cowvec queued;  /* const char *: proposals waiting for this node's phase 1 */
    int64_t resend_from;   /* Multi-Paxos leader: lowest slot that may be unchosen */
    int64_t stall_since;   /* Multi-Paxos leader: since when no pending slot got chosen, -1 */
    int64_t stall_mark;    /* resend_from when stall_since was set */
    int64_t top_chosen;    /* highest slot this node knows chosen (proposer or learner) */
    const char *top_value; /* its value */
    /* Learner. */
    struct cowvec learned; /* const char *: the value learned per slot, NULL: none */
    int64_t applied;       /* slots 1..applied handed to proto_apply */
    int64_t ask_slot;      /* Multi-Paxos catch-up: first slot last asked for, 0: none */
    int64_t ask_time;      /* when it asked */
    struct paxos_tally *tally;
    size_t n_tally, cap_tally;
    /* Multi-Paxos: the node of the highest ballot seen (the leader it
     * believes in), -1 for none. */
    int leader;
    struct ballot leader_ballot;
};

/* One step in progress: the input, the output and the queue of messages a
 * node sends to itself (handled after the current handler returns, so a
 * node playing several roles talks to itself without re-entrancy). */
struct paxos_ctx {
    struct paxos *x;
    struct paxos_volatile *v;
    const struct proto_in *in;
    const struct proto_config *cfg;
    struct proto_out *out;
    struct msg *local;
    size_t n_local, cap_local, head_local;
};

/* paxos.c: shared helpers. */
/* A bug switch of the safety lab (enum proto_bug) is on. */
static inline bool paxos_bug(const struct paxos_ctx *c, unsigned bug)
{
    return (c->cfg->bugs & bug) != 0;
}
bool paxos_multi(const struct paxos_ctx *c);
int paxos_acceptors(const struct proto_config *cfg);
/* More than half of the acceptors. */
int paxos_majority(const struct proto_config *cfg);
int paxos_count(unsigned bits);
const char *paxos_name(const struct paxos_ctx *c, int node);
/* The phrase NOTE_PAXOS_LOCAL when the message came from this node
 * itself, else none. */
struct note_arg paxos_local(const struct paxos_ctx *c, const struct msg *m);
/* The phrase NOTE_PAXOS_FOR_SLOT (" for slot {4}") in Multi-Paxos, none in
 * Basic Paxos (one slot). */
struct note_arg paxos_where(const struct paxos_ctx *c);
/* A zeroed message to node `to`; to self it is queued for local handling.
 * Fill it before the next paxos_send. */
struct msg *paxos_send(struct paxos_ctx *c, enum msg_type type, int to);
/* Notes a ballot seen in a message: raises seen_round; in Multi-Paxos a
 * higher ballot names the leader and makes a running proposer step down. */
void paxos_saw_ballot(struct paxos_ctx *c, struct ballot b);
/* A fresh retry timeout from now. */
void paxos_retry_timer(struct paxos_ctx *c);
/* Slot storage in cowvecs where slot s is element s - 1. */
const void *paxos_slot_at(const struct cowvec *vec, int64_t slot);
void *paxos_slot_mut(struct cowvec *vec, int64_t slot);
const char *paxos_learned_get(const struct paxos_volatile *v, int64_t slot);
/* Forgets the proposer's round (phase idle, no ballot, no proposals). */
void paxos_proposer_reset(struct paxos_ctx *c);

/* paxos_acceptor.c */
void paxos_acceptor_prepare(struct paxos_ctx *c, const struct msg *m);
void paxos_acceptor_accept(struct paxos_ctx *c, const struct msg *m);

/* paxos_proposer.c */
void paxos_proposer_client(struct paxos_ctx *c);
void paxos_proposer_timer(struct paxos_ctx *c);
/* Starts phase 1 with a new ballot; the note says why (and, in Basic
 * Paxos, the value the proposer wants chosen). */
void paxos_proposer_phase1(struct paxos_ctx *c, int why, const char *value);
void paxos_proposer_promise(struct paxos_ctx *c, const struct msg *m);
void paxos_proposer_accepted(struct paxos_ctx *c, const struct msg *m);
void paxos_proposer_nack(struct paxos_ctx *c, const struct msg *m);
/* Phase 2 for one slot: Accept(v->ballot, slot, value) to every acceptor. */
void paxos_proposer_propose(struct paxos_ctx *c, int64_t slot, const char *value);

/* paxos_learner.c */
void paxos_learner_accepted(struct paxos_ctx *c, const struct msg *m);
void paxos_learner_chosen(struct paxos_ctx *c, const struct msg *m);
/* True if this node is a learner that has not learned slot yet. */
bool paxos_can_learn(const struct paxos_ctx *c, int64_t slot);
/* Records that value is chosen at slot; a learner learns it (once; the
 * caller notes why), reports it and applies what is contiguous. */
void paxos_learn(struct paxos_ctx *c, int64_t slot, const char *value);

/* paxos_multi.c */
void paxos_multi_client(struct paxos_ctx *c, const char *value);
void paxos_multi_elected(struct paxos_ctx *c);
void paxos_multi_heartbeat(struct paxos_ctx *c);
void paxos_multi_step_down(struct paxos_ctx *c, struct ballot seen);
/* A message from the leader it believes in: a follower's retry timer restarts. */
void paxos_multi_heard(struct paxos_ctx *c, int from);
int64_t paxos_multi_first_unchosen(const struct paxos_ctx *c);
/* Catch-up (see paxos_multi.c): a learner that hears from `from` that
 * `slot` is chosen while it misses a lower slot asks `from` for the chosen
 * values from its first gap on, with a Chosen that carries no value. */
void paxos_multi_ask(struct paxos_ctx *c, int from, int64_t slot);
/* The answer: if this node knows `slot` to be chosen, Chosen for every
 * slot from `slot` on (a window of PAXOS_CATCH_UP slots) that it knows to
 * be chosen; else nothing. */
void paxos_multi_answer(struct paxos_ctx *c, int to, int64_t slot);
#define PAXOS_CATCH_UP 16

#endif
