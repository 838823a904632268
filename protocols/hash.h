/* hash: 64-bit fingerprints of engine states and messages for the safety
 * lab's explorer. Virtual time is left out (deadlines, last contact, reply
 * times), so two states that differ only in when things happen hash the
 * same; everything else a later step can read goes in. Strings hash by
 * content. Pure: no I/O, no globals. */
#ifndef PROTOCOLS_HASH_H
#define PROTOCOLS_HASH_H

#include <stdint.h>

#include "msg.h"

struct raft;
struct paxos;

static inline uint64_t hash_mix(uint64_t h, uint64_t x)
{
    /* splitmix64's finaliser over h combined with x */
    h ^= x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return h;
}

uint64_t hash_str(uint64_t h, const char *s);
/* A message's content: type, ends and every field (not its id or times). */
uint64_t hash_msg(const struct msg *m);
uint64_t raft_hash(const struct raft *r);
uint64_t paxos_hash(const struct paxos *x);

#endif
