/* feed: the event log of a run — every action, delivery, loss, timer and
 * engine note, stamped with the history position that produced it, so the
 * UI and the transcript can show what happened up to any point. */
#ifndef TUTOR_FEED_H
#define TUTOR_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed_zseg.h"
#include "protocols/msg.h"
#include "protocols/note.h"

struct strpool;

/* Lines per index entry (40 bytes: the state and offset decoding starts
 * from), and so the most a read decodes to reach a line. */
enum { FEED_BLOCK = 64 };
enum { FEED_RD_BLOCKS = 4 }; /* blocks whose line starts are kept (struct feed) */

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

/* One line of the feed, as feed_get decodes it: the note and its
 * arguments, never text (design.md, "Notes are data"); feed_text renders
 * it in the interface language when a view or an export shows it. */
struct feed_line {
    uint64_t pos; /* history position (operation number) */
    int64_t time;
    int node; /* -1: the cluster */
    enum feed_kind kind;
    uint64_t msg_id;        /* 0: none */
    struct proto_note note; /* NA_STR arguments point into the feed's string pool;
                               an NA_MSG argument to msg below */
    struct msg msg;         /* the message of an NA_MSG argument; its arrays are the
                               feed's, valid until the next feed_get */
    size_t msg_back;        /* decoding: the message is that of the line this many
                               lines back (a delivery's, its send's); 0: its own */
    int msg_to;             /* with msg_back: the message goes to this node instead (a
                               broadcast's copy, told as the one before); -1: the same */
};

/* Room for a decoded message's arrays. */
struct feed_scratch {
    struct entry *e;
    size_t cap_e;
    struct slot_value *a;
    size_t cap_a;
    const char **s; /* an InstallSnapshot's state */
    size_t cap_s;
};

/* Where decoding may start: the state before every FEED_BLOCK-th line. */
struct feed_state {
    uint64_t pos, msg_id;
    int64_t time;
    uintptr_t str; /* the last string argument (pool strings lie close together) */
};

/* The lines, encoded in a byte stream (tutor/feed_codec.c: varints, each
 * number as the difference from the one before, strings interned in the
 * run's pool), a few bytes a line; a block index every FEED_BLOCK lines
 * finds a line or a position by binary search. The stream's finished
 * segments are kept compressed (tutor/feed_zseg.h); b holds the rest. */
struct feed {
    uint8_t *b;      /* the stream from tail_off on */
    size_t nb, capb; /* bytes in b, and its size */
    size_t tail_off; /* the stream's bytes before b: those of z's segments */
    struct feed_zstore z;
    struct feed_state *blk; /* the state before lines 0, FEED_BLOCK, 2 FEED_BLOCK, ... */
    size_t *blk_off;        /* and their offsets in the stream */
    size_t nblk, capblk;
    size_t n;     /* lines */
    uint64_t pos; /* stamped on new entries */
    struct feed_state last;
    struct strpool *strings; /* where NA_STR arguments are interned; see feed_set_strings */
    bool own_strings;
    const char *names[PROTO_MAX_NODES]; /* the node names notes refer to */
    int n_names;
    const char *const *names_from; /* the array they were copied from last, and its length */
    int n_names_from;
    /* Where each line of the blocks read last starts, so a scan either way
     * decodes a block's lines once to find them. Several blocks, because
     * reading a delivery reads its send too, often a block or more back:
     * with one, a walk through deliveries decoded two blocks a line. */
    struct feed_rd_block {
        size_t blk1;   /* the block + 1; 0: none */
        size_t n;      /* how many of its lines are known */
        uint64_t used; /* when it was last read, for the least recent */
        size_t off[FEED_BLOCK];
        struct feed_state st[FEED_BLOCK];
    } rd[FEED_RD_BLOCKS];
    uint64_t rd_clock;
    struct feed_scratch scratch;
    struct feed_scratch intern_scratch; /* a message copied to intern its strings */
    /* The AppendEntries sent last told in full (line k1 - 1; 0: none) and
     * its entries: a leader's copies of it to the other followers point
     * back to its line instead of repeating it. */
    struct feed_told {
        size_t k1;
        struct msg m;
        struct entry *e;
        size_t cap_e;
    } told;
    /* The lines that sent the last messages (by id modulo FEED_RING): a
     * delivery or a loss points back to its send instead of repeating the
     * message. */
    struct feed_ring {
        uint64_t msg_id; /* 0: none */
        size_t k;
    } * ring;
};

enum { FEED_RING = 4096 };

void feed_init(struct feed *f);
void feed_free(struct feed *f);
/* Interns the feed's strings in pool (borrowed; it must outlive the feed);
 * without one the feed makes its own. */
void feed_set_strings(struct feed *f, struct strpool *pool);
/* Line k (< f->n), decoded into l (nothing to free; a message's arrays
 * stay valid until the next feed_get on f). */
void feed_get(const struct feed *f, size_t k, struct feed_line *l);
/* Line l in words, in the interface language (the message catalog now). */
void feed_line_text(const struct feed *f, const struct feed_line *l, struct sbuf *out);
/* feed_get and feed_line_text at once: line k in words. */
void feed_text(const struct feed *f, size_t k, struct sbuf *out);
/* The bytes the feed holds (its stream, compressed or not, index and line
 * buffer), for tests/check_memory.c and the bench. */
size_t feed_bytes(const struct feed *f);
/* The length of its stream as encoded (before compressing). */
size_t feed_stream_len(const struct feed *f);
void feed_add(struct feed *f, int64_t time, int node, enum feed_kind kind, uint64_t msg_id,
              const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Adds note n (protocols/note.h) as an entry, stamped f->pos; names[0..n_names)
 * are the node names its arguments refer to. Nothing when f is NULL (a seek).
 * feed_add keeps a text of its own as the note FEED_TEXT. */
void feed_add_note(struct feed *f, int64_t time, int node, enum feed_kind kind, uint64_t msg_id,
                   const struct proto_note *n, const char *const *names, int n_names);
/* feed_add_note of the note id with arguments args[0..n_args) (a note built
 * in place, not copied into a struct proto_note first). */
void feed_add_args(struct feed *f, int64_t time, int node, enum feed_kind kind, uint64_t msg_id,
                   int id, const struct note_arg *args, int n_args, const char *const *names,
                   int n_names);
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
/* Appends a copy of line l (with its own position) to f. */
void feed_add_line(struct feed *f, const struct feed_line *l);
const char *feed_kind_name(enum feed_kind k);
/* The index of the name made of the n bytes at s among names, or -1. */
int feed_node_index(const char *const *names, int n_names, const char *s, size_t n);
/* Reads a message line of the feed ("#12 AppendEntries S1→S3 term=1 ...",
 * as msg_describe writes it) back into its type and the indices of its
 * sender and receiver among names. False if the text is not such a line. */
/* The same for a message's own line ("AppendEntries S1→S3 term=1 ...",
 * msg_describe's, with no number before it). */
bool feed_parse_msg_text(const char *text, const char *const *names, int n_names, char *type,
                         size_t tn, int *from, int *to);
bool feed_parse_msg(const char *text, const char *const *names, int n_names, char *type, size_t tn,
                    int *from, int *to);

#endif
