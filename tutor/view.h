/* view: a plain description of the cluster for display — what the terminal
 * UI, the plain line mode and the benchmark show — built from the sim and
 * the engines' accessors. The UI reads only views and the feed; it never
 * reaches into an engine's struct. No curses here. */
#ifndef TUTOR_VIEW_H
#define TUTOR_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocols/proto.h"
#include "sim.h"

/* One log cell (Raft entry) or Paxos slot. */
struct view_cell {
    int64_t index;       /* log index or slot, from 1 */
    int64_t term;        /* Raft: entry term; Paxos: accepted ballot's round (0: none) */
    const char *text;    /* command or accepted value (NULL: none); borrowed from the sim */
    char ballot[24];     /* Paxos: accepted ballot "2.S1", "" when none */
    bool committed;      /* Raft: index <= commit_index; Paxos: chosen (monitor) */
    bool applied;        /* Raft: index <= last_applied; Paxos: learned by this node */
    const char *chosen;  /* Paxos: the value chosen at this slot (NULL: none yet) */
    const char *learned; /* Paxos: the value this node learned there (NULL: none),
                          * which need not be the value it accepted last */
    bool compacted;      /* Raft §7: covered by the node's snapshot (text from its state) */
    /* Raft: a configuration entry's node sets (0: not one) */
    uint32_t config, config_old;
};

struct view_node {
    char name[12];
    bool up;
    char role[16];   /* "follower", "candidate", "leader"; Paxos phase "idle", ... */
    char letter;     /* F C L; Paxos I P A L; '-' when down */
    int64_t term;    /* Raft term; Paxos promised round */
    char term_s[24]; /* "4"; Paxos promised ballot "2.S1" or "-" */
    char vote_s[24]; /* Raft voted_for; Paxos proposing ballot; "-" for none */
    int64_t commit;  /* Raft commit_index; Paxos learned slots */
    int64_t applied; /* Raft last_applied; Paxos applied */
    int leader_hint; /* Raft; -1 */
    int64_t timer;   /* deadline in ms, -1: none */
    int group;       /* partition group (0 when no partition) */
    bool leader;     /* Raft leader / Paxos phase leader */
    bool has_repl;   /* next_index and match_index are meaningful (Raft leader) */
    int64_t next_index[PROTO_MAX_NODES], match_index[PROTO_MAX_NODES];
    int n_votes;            /* Raft: votes held (candidate or leader) */
    int64_t snapshot_index; /* Raft §7: last index its snapshot covers, 0: none */
    int64_t snapshot_term;
    char kv[96];             /* Raft: its key-value store, "x=2 y=1" (cut to fit); "" when empty */
    struct view_cell *cells; /* log entries or slots, index 1 first */
    size_t n_cells;
    /* Raft membership (shown when view.membership): the configuration in
     * use, C_old while joint (0 otherwise), and whether the node is in it. */
    uint32_t config, config_old;
    bool voting;
    int catching_up; /* leader: the new server it catches up (§4.2.1), else -1 */
};

struct view_msg {
    uint64_t id;
    int from, to;
    const char *type; /* "AppendEntries" */
    char detail[200]; /* "term=2 prev_log_index=1 ..." (msg_describe after from→to) */
    int64_t due;
    bool duplicate, injected;
    bool link_open; /* the network would let it through now */
};

struct view {
    enum protocol protocol;
    bool multi; /* Multi-Paxos */
    int n_nodes;
    int64_t now;
    int64_t next_event; /* time of the next event, -1: none */
    int64_t timer_span; /* ms a full timer bar stands for (longest timeout) */
    uint64_t events;
    bool partitioned; /* any partition group or cut link */
    bool grouped;     /* nodes are in different partition groups */
    bool cut[PROTO_MAX_NODES][PROTO_MAX_NODES];
    bool violated;
    char violation[256];
    int leader; /* Raft: the live leader of the highest term (-1) */
    /* Raft: cluster.members given or a configuration entry in a log */
    bool membership;
    struct view_node nodes[PROTO_MAX_NODES];
    struct view_msg *msgs; /* in send order */
    size_t n_msgs, cap_msgs;
    size_t cap_cells[PROTO_MAX_NODES];
};

void view_init(struct view *v);
/* Describes the cluster now. Buffers are reused between calls. */
void view_build(struct view *v, const struct sim *s);
void view_free(struct view *v);

/* A node set as "S1,S2,S3" (for configurations). */
void view_nodeset(const struct view *v, uint32_t set, char *out, size_t n);
/* A Raft log cell as "term:cmd", a configuration entry as "term:C{S1,S2}"
 * and a joint one as "term:C{S1,S2>S1,S2,S3}" (old > new). */
void view_raft_cell(const struct view *v, const struct view_cell *c, char *out, size_t n);

/* Index of the pending message with this id in v->msgs, or -1. */
long view_find_msg(const struct view *v, uint64_t id);

#endif
