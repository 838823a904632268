/* feed_zseg: the finished part of a feed's stream, kept compressed. Under
 * a steady load a feed line is about 14.5 bytes of varints
 * (tutor/feed_codec.c) and a run tells about four lines a history
 * position, so the stream was most of a long run's memory (66 of 112 bytes
 * a position in a 10^6-event Raft run). Its lines repeat each other
 * (heartbeats, their answers, the same notes), so zstd at level 1 keeps
 * less than a third of it (19 bytes a position). zstd, not zlib: deflate at
 * its fastest level took 37% of the 600 s bench workload's time, zstd 20%,
 * for smaller output; zstd's negative levels gained 1-4% of speed for 7-40%
 * more bytes. Every FEED_SEG_BLOCKS blocks of lines make a segment; a
 * segment is compressed once complete and decompressed again when a line
 * of it is read, into a small cache, so reading lines near each other (a
 * view, an export, a delivery looking back at its send) decompresses each
 * segment once. */
#ifndef TUTOR_FEED_ZSEG_H
#define TUTOR_FEED_ZSEG_H

#include <stddef.h>
#include <stdint.h>

enum { FEED_SEG_BLOCKS = 32, FEED_ZCACHE = 4 };
#ifndef FEED_ZSTD_LEVEL
#define FEED_ZSTD_LEVEL 1
#endif

struct feed_zseg {
    uint8_t *z; /* compressed */
    size_t nz;  /* its bytes */
    size_t n;   /* the bytes it decompresses to */
};

struct feed_zstore {
    struct feed_zseg *seg;
    size_t nseg, capseg;
    struct feed_zcached {
        size_t seg1; /* the segment + 1; 0: none */
        uint8_t *raw;
        size_t cap;
        uint64_t used; /* when last read (least recently read goes first) */
    } cache[FEED_ZCACHE];
    uint64_t clock;
    struct ZSTD_CCtx_s *cctx; /* made on the first seal, freed with the store */
    struct ZSTD_DCtx_s *dctx;
};

/* Compresses raw[0..n) as segment z->nseg. The raw bytes go on being
 * readable from the cache: *raw (with *cap its size) is handed a buffer
 * the cache let go of, perhaps NULL, to fill anew. */
void feed_zseg_seal(struct feed_zstore *z, uint8_t **raw, size_t *cap, size_t n);
/* Segment s (< nseg) decompressed: valid until the next call on z. */
const uint8_t *feed_zseg_raw(struct feed_zstore *z, size_t s);
/* Keeps segments 0..nseg-1 (nseg <= z->nseg). */
void feed_zseg_truncate(struct feed_zstore *z, size_t nseg);
void feed_zseg_free(struct feed_zstore *z);
/* The bytes z holds: compressed segments, their array, the cache. */
size_t feed_zseg_bytes(const struct feed_zstore *z);

#endif
