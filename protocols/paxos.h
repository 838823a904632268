/* paxos: Basic Paxos as in Lamport's "Paxos Made Simple" (proposers,
 * acceptors, learners) and Multi-Paxos as a log of such instances with a
 * stable leader. A pure state machine like raft.h.
 *
 * Persistent and volatile state are separate structs: a crash discards
 * `v`; a restart rebuilds `v` from `p` alone. */
#ifndef PROTOCOLS_PAXOS_H
#define PROTOCOLS_PAXOS_H

#include <stdbool.h>
#include <stdint.h>

#include "cowvec.h"
#include "msg.h"
#include "proto.h"
#include "sbuf.h"

/* Slots above this are refused (a forged message must not make a node
 * allocate a huge log). Far above any run a lesson can ask for: a `load`
 * at one command per millisecond for the format's one virtual hour fills
 * 3.6 million slots. Lessons name slots up to LESSON_MAX_SLOT only. */
#define PAXOS_MAX_SLOT (1LL << 26)

enum paxos_phase { PAXOS_IDLE, PAXOS_PREPARE, PAXOS_ACCEPT, PAXOS_LEADER };

/* An acceptor's accepted proposal for one slot (ballot.round 0: none). */
struct paxos_accepted {
    struct ballot ballot;
    const char *value;
};

/* What must survive a crash. */
struct paxos_persist {
    struct ballot promised; /* acceptor: highest ballot promised; round 0: none */
    struct cowvec accepted; /* struct paxos_accepted; slot s is element s - 1 */
    int64_t max_round;      /* proposer: highest round used or seen, saved before sending */
};

struct paxos_volatile;

struct paxos {
    int self;
    struct paxos_persist p;
    struct paxos_volatile *v; /* engine-private; NULL-free after paxos_new */
};

struct paxos *paxos_new(int self);
void paxos_free(struct paxos *x);
struct paxos *paxos_clone(const struct paxos *x);
/* Sets persistent acceptor state before IN_START (lesson `initial`). */
int paxos_set_initial(struct paxos *x, struct ballot promised, const int64_t *slots,
                      const struct paxos_accepted *acc, size_t n);
void paxos_step(struct paxos *x, const struct proto_in *in, struct proto_out *out);

bool paxos_up(const struct paxos *x);
enum paxos_phase paxos_phase_of(const struct paxos *x);
/* Accepted proposal for a slot (1-based), or NULL if none. */
const struct paxos_accepted *paxos_accepted_at(const struct paxos *x, int64_t slot);
/* The value this node has learned for a slot, or NULL. */
const char *paxos_learned_at(const struct paxos *x, int64_t slot);
int64_t paxos_max_slot(const struct paxos *x); /* highest slot with any state */

const char *const *paxos_fields(void);
int paxos_field(const struct paxos *x, const struct proto_config *cfg, const char *name,
                struct sbuf *out);
const char *paxos_phase_name(enum paxos_phase p);

#endif
