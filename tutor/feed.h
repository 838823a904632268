/* feed: the event log of a run — every action, delivery, loss, timer and
 * engine note, stamped with the history position that produced it, so the
 * UI and the transcript can show what happened up to any point. */
#ifndef TUTOR_FEED_H
#define TUTOR_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocols/note.h"

enum feed_kind {
    FEED_ACTION,    /* what the learner or the script did */
    FEED_NOTE,      /* an engine's explanation */
    FEED_SEND,      /* a message put in flight */
    FEED_DELIVER,   /* a message delivered */
    FEED_LOST,      /* a message lost or dropped */
    FEED_TIMER,     /* a timer fired */
    FEED_APPLY,     /* a command applied to a state machine */
    FEED_VIOLATION, /* a safety invariant broke */
    FEED_INFO,      /* anything else (nothing happened, why) */
};

struct feed_entry {
    uint64_t pos; /* history position (operation number) */
    int64_t time;
    int node; /* -1: the cluster */
    enum feed_kind kind;
    uint64_t msg_id; /* 0: none */
    char *text;
};

struct feed {
    struct feed_entry *e;
    size_t n, cap;
    uint64_t pos; /* stamped on new entries */
};

void feed_init(struct feed *f);
void feed_free(struct feed *f);
void feed_add(struct feed *f, int64_t time, int node, enum feed_kind kind, uint64_t msg_id,
              const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Adds note n (protocols/note.h) as an entry; names[0..n_names) are the
 * node names its arguments refer to. Nothing when f is NULL (a seek). */
void feed_add_note(struct feed *f, int64_t time, int node, enum feed_kind kind, uint64_t msg_id,
                   const struct proto_note *n, const char *const *names, int n_names);
/* Forgets every entry stamped pos or later (a fork of the history). */
void feed_truncate(struct feed *f, uint64_t pos);
/* How many entries are stamped pos or earlier: the feed up to a history
 * position (entries are in position order), found by binary search so a
 * frame costs what it shows, not the history's length. */
size_t feed_upto(const struct feed *f, uint64_t pos);
/* Moves every entry stamped pos or later to the front of into, in order
 * (a future kept as a branch of the history). */
void feed_take(struct feed *f, uint64_t pos, struct feed *into);
/* Moves every entry of from to the end of f; from is left empty. */
void feed_put(struct feed *f, struct feed *from);
const char *feed_kind_name(enum feed_kind k);
/* The index of the name made of the n bytes at s among names, or -1. */
int feed_node_index(const char *const *names, int n_names, const char *s, size_t n);
/* Reads a message line of the feed ("#12 AppendEntries S1→S3 term=1 ...",
 * as msg_describe writes it) back into its type and the indices of its
 * sender and receiver among names. False if the text is not such a line. */
bool feed_parse_msg(const char *text, const char *const *names, int n_names, char *type, size_t tn,
                    int *from, int *to);

#endif
