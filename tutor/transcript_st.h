/* transcript_st: the space-time (Lamport) view of a transcript, shared by
 * the Markdown and SVG exports: every message with its sender, receiver,
 * type and fate, every timer, crash, restart and new leader, in the order
 * they happened, each on a logical row (the time axis of the diagram:
 * causal order, since many events share one virtual millisecond). */
#ifndef TUTOR_TRANSCRIPT_ST_H
#define TUTOR_TRANSCRIPT_ST_H

#include <stddef.h>
#include <stdint.h>

#include "transcript.h"

enum st_kind {
    ST_MSG,     /* a message: sent at (send_row, send_time), ended at (row, time) */
    ST_TIMER,   /* node's timer fired */
    ST_CRASH,   /* node went down */
    ST_RESTART, /* node came back */
    ST_LEADER,  /* node became leader (Raft role, Multi-Paxos phase) */
    ST_NET,     /* the network changed: a partition, a heal, a link cut or restored
                   (node -1; why: the action, in the feed's words) */
};

enum st_fate {
    ST_DELIVERED,
    ST_LOST_AT_SEND, /* the link was closed or the network lost it as it left */
    ST_LOST,         /* lost in flight: receiver down, link cut */
    ST_DROPPED,      /* dropped by the learner or the lesson */
    ST_IN_FLIGHT,    /* still in flight at the end */
};

struct st_event {
    enum st_kind kind;
    size_t entry; /* transcript entry number (1-based); 0: the start */
    size_t row;
    int64_t time;
    int node; /* the node of a timer, crash, restart or leader; the receiver of a message */
    /* ST_MSG */
    int from;
    char type[24];
    uint64_t msg;
    size_t send_row;
    int64_t send_time;
    enum st_fate fate;
    const char *why; /* lost: the feed's reason (borrowed from the transcript) */
    int64_t term;    /* ST_LEADER: the term, or -1 when not known */
};

/* The first row of each entry that has events (for step marks). */
struct st_mark {
    size_t entry;
    size_t row;
    int64_t time;
};

struct st_view {
    struct st_event *ev; /* ordered by row (a message by the row it ended on) */
    size_t n, cap;
    size_t rows;
    struct st_mark *marks;
    size_t n_marks, cap_marks;
    char types[16][24]; /* message types seen, in order of appearance */
    int n_types;
    size_t n_lost; /* lost and dropped messages */
};

void st_build(const struct transcript *t, struct st_view *v);
void st_free(struct st_view *v);
/* A short name for a message type: "AE", "RVR", "Prep". */
const char *st_type_abbrev(const char *type);

#endif
