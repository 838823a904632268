/* feed_codec: one feed line in a few bytes and back (tutor/feed.c keeps
 * the stream). Every number is a varint; positions, times, message ids
 * and string pointers as the difference from the line before (the state),
 * an integer argument as the smallest of its value, its distance from the
 * line's time or from the argument before it. */
#ifndef TUTOR_FEED_CODEC_H
#define TUTOR_FEED_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed.h"

/* Appends the encoding of l to b[0..*n) (grown as needed, *cap its
 * size), advancing st. NA_STR arguments and a message's strings must
 * already be the pool's (they are stored as pointers). */
void feed_encode(const struct feed_line *l, struct feed_state *st, uint8_t **b, size_t *n,
                 size_t *cap);
/* p with room for n items of size bytes (*cap of them now; grown by
 * doubling, so n at a time costs little). */
void *feed_room(void *p, size_t *cap, size_t n, size_t size);
/* The message's encoding on its own (no state before it) in b[0..*n),
 * replacing what b held: two messages are the same (every field, strings
 * by pointer) exactly when their bytes are. */
void feed_msg_bytes(const struct msg *m, uint8_t **b, size_t *n, size_t *cap);
/* True if two AppendEntries are the same but for their receiver (every
 * field the encoding keeps; strings by pointer). */
bool feed_append_same_but_to(const struct msg *a, const struct msg *b);
/* True if two messages are the same (every field; strings by pointer). */
bool feed_msg_same(const struct msg *a, const struct msg *b);
/* Decodes the line at p, advancing st; returns the bytes read. With l
 * NULL, skips the line (its position lands in st->pos); else a message's
 * arrays go to sc. */
size_t feed_decode(const uint8_t *p, struct feed_state *st, struct feed_line *l,
                   struct feed_scratch *sc);

#endif
