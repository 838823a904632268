/* prng: the one seeded pseudo-random generator of a run (xoshiro256**,
 * seeded through splitmix64). Pure integer arithmetic, so every platform
 * draws the same sequence from the same seed. The caller owns the state. */
#ifndef PROTOCOLS_PRNG_H
#define PROTOCOLS_PRNG_H

#include <stdint.h>

struct prng {
    uint64_t s[4];
};

void prng_seed(struct prng *p, uint64_t seed);
uint64_t prng_next(struct prng *p);
/* Uniform in [lo, hi] (inclusive), without modulo bias. lo <= hi. */
int64_t prng_range(struct prng *p, int64_t lo, int64_t hi);
/* True with probability num/den (den > 0); exact integer arithmetic. */
int prng_chance(struct prng *p, uint64_t num, uint64_t den);

#endif
