/* monitor_clients: what Raft's clients saw (dissertation §6.3-6.4) — the
 * reads answered and the requests answered, as the `reads` and `answered`
 * facts show them — and the invariant behind `safe` that reads are
 * linearizable: "a read returns the value of the latest write
 * acknowledged to a client before the read began, or a later one". Part
 * of struct monitor, so snapshots and forks carry it; every check is
 * incremental. */
#ifndef TUTOR_MONITOR_CLIENTS_H
#define TUTOR_MONITOR_CLIENTS_H

#include <stddef.h>
#include <stdint.h>

#include "monitor_index.h"
#include "protocols/cowvec.h"

struct sim;

/* One answer of the `reads` fact. */
struct monitor_read {
    int node;
    const char *key;
    const char *value; /* NULL: the key was not set */
};

/* One answer of the `answered` fact. */
struct monitor_answered {
    const char *client;
    int64_t seq;
};

struct monitor_clients {
    size_t seen;                    /* committed entries looked at so far */
    struct cowvec writes;           /* struct mc_write: entries that took effect, index order */
    struct monitor_index write_ix;  /* writes with a client, by (client, seq) */
    struct cowvec sessions;         /* struct monitor_answered: latest seq per client */
    struct cowvec acked;            /* struct mc_acked: per key, the latest acknowledged write */
    struct cowvec begun;            /* struct mc_begun: per read id - 1 */
    struct cowvec reads;            /* struct monitor_read, in order answered */
    struct cowvec answered;         /* struct monitor_answered, each once, in order */
    struct monitor_index answer_ix; /* answered, by (client, seq) */
};

void monitor_clients_init(struct monitor_clients *m);
void monitor_clients_clone(struct monitor_clients *dst, const struct monitor_clients *src);
void monitor_clients_free(struct monitor_clients *m);
/* A read of key begins at node (before the node is stepped); returns the
 * read's id (1, 2, ...), which the engine's answer names. */
int64_t monitor_read_begin(struct sim *s, int node, const char *key);
/* After a Raft step of node (its output is s->out, the committed prefix
 * already updated): the answers it gave, checked. */
void monitor_clients_after(struct sim *s, int node);

#endif
