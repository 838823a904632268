/* monitor: the safety invariants of the lesson format, checked after every
 * engine step, and the run's history facts (leaders per term, what was
 * ever committed or chosen). Part of the cluster's state, so snapshots and
 * forks carry it.
 *
 * Raft: at most one leader per term; a leader never overwrites or deletes
 * its own entries; two logs with an entry of the same index and term are
 * identical up to it; an entry committed in term t is in the log of every
 * leader of a later term; no two nodes apply different commands at one index.
 * Paxos: at most one value is chosen per slot; a chosen value was
 * proposed; a node learns only a chosen value; an acceptor's promise never
 * decreases; applied logs agree.
 *
 * Every check is incremental (it looks only at what the step changed), so
 * monitoring a million-event run costs little. */
#ifndef TUTOR_MONITOR_H
#define TUTOR_MONITOR_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor_clients.h"
#include "monitor_index.h"
#include "note_text.h"
#include "protocols/cowvec.h"
#include "protocols/msg.h"
#include "protocols/proto.h"

struct sim;

struct monitor_leader {
    int64_t term;
    int node;
};

/* What is chosen at one Paxos slot. */
struct monitor_slot {
    const char *chosen;
    struct ballot chosen_ballot;
};

/* One proposal (slot, ballot) and the acceptors that accepted it: every
 * proposal ever accepted is kept, however many ballots a slot sees. */
struct monitor_proposal {
    int64_t slot;
    struct ballot ballot;
    const char *value;
    uint16_t acceptors; /* bit per acceptor that accepted */
};

struct monitor {
    enum protocol protocol;
    bool violated;
    char violation[256];                 /* the first broken invariant, naming the nodes */
    struct cowvec leaders;               /* struct monitor_leader, in order of election */
    struct cowvec committed;             /* Raft: struct entry, index 1 first (an entry
                                            known only from a snapshot: monitor_compacted) */
    struct cowvec commit_terms;          /* Raft: int64_t per committed index, the term in which it
                                            first became committed */
    struct cowvec applied;               /* const char *, per index or slot; NULL: not yet */
    struct cowvec slots;                 /* Paxos: struct monitor_slot, slot 1 first */
    struct cowvec proposed;              /* Paxos: const char *, every value a client proposed */
    struct monitor_index proposed_index; /* proposed, by value */
    struct cowvec proposals;             /* Paxos: struct monitor_proposal, as first accepted */
    struct monitor_index proposal_index; /* proposals, by (slot, ballot) */
    struct monitor_clients clients;      /* Raft: reads, answers (monitor_clients.h) */
};

/* What a node looked like before a step, to compare with after. */
struct monitor_pre {
    bool leader;
    int64_t term;
    int64_t commit_index;
    struct cowvec_watch w;  /* Raft: a watch on the log (protocols/cowvec.h) */
    struct cowvec log;      /* Raft, after the step: the log before it (w's clone, or when
                               the step only appended, a view of the log's first w.len) */
    int64_t snapshot_index; /* Raft: where that log starts (§7) */
    struct ballot promised;
};

/* entry.config of an entry known only from a snapshot (§7): its command
 * (NULL for a configuration entry) and, at the snapshot's last index, its
 * term; not a node set. */
#define MONITOR_ENTRY_COMPACTED 0xffffffffu
static inline bool monitor_compacted(const struct entry *e)
{
    return e->config == MONITOR_ENTRY_COMPACTED;
}
/* A configuration entry, known as one. */
static inline bool monitor_is_config(const struct entry *e)
{
    return e->config && !monitor_compacted(e);
}

void monitor_init(struct monitor *m, enum protocol p);
void monitor_clone(struct monitor *dst, const struct monitor *src);
void monitor_free(struct monitor *m);

void monitor_before(const struct sim *s, int node, struct monitor_pre *pre);
/* Checks the step of node (whose output is s->out) and releases pre. */
void monitor_after(struct sim *s, int node, struct monitor_pre *pre);
/* Paxos: acceptor node accepted a->value with a->ballot at a->slot (called
 * for every acceptance a step reports, and for the accepted state a lesson's
 * `initial` gives, which was accepted before the run began). */
void monitor_paxos_accepted(struct sim *s, int node, const struct proto_slot_event *a);
/* A client proposed value (Paxos). */
void monitor_proposed(struct monitor *m, const char *value);

/* How many distinct nodes were ever leader in term. */
int monitor_leaders_in_term(const struct monitor *m, int64_t term);
/* Paxos: the value chosen at slot (1-based), or NULL. */
const char *monitor_chosen(const struct monitor *m, int64_t slot);

/* Used by the protocol halves. */
void monitor_violation_args(struct sim *s, int id, const struct note_arg *args, size_t n);
/* Reports a broken invariant as a note of tutor/notes_tutor.def:
 * monitor_violation(s, NOTE_MONITOR_TWO_LEADERS, note_int(term), ...). */
#define monitor_violation(s, id, ...)                                                              \
    monitor_violation_args((s), (id), (const struct note_arg[]){__VA_ARGS__},                      \
                           sizeof((const struct note_arg[]){__VA_ARGS__}) /                        \
                               sizeof(struct note_arg))
void monitor_raft_before(const struct sim *s, int node, struct monitor_pre *pre);
void monitor_raft_after(struct sim *s, int node, struct monitor_pre *pre);
void monitor_paxos_before(const struct sim *s, int node, struct monitor_pre *pre);
void monitor_paxos_after(struct sim *s, int node, struct monitor_pre *pre);

#endif
