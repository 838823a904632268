/* prng: xoshiro256** (Blackman and Vigna), seeded with splitmix64. */
#include "prng.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void prng_seed(struct prng *p, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        p->s[i] = splitmix64(&x);
}

uint64_t prng_next(struct prng *p)
{
    uint64_t *s = p->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, bound) by rejection: draws above the last whole multiple of
 * bound are thrown away, so no value is more likely than another. */
static uint64_t prng_below(struct prng *p, uint64_t bound)
{
    uint64_t limit = UINT64_MAX - (UINT64_MAX % bound);
    uint64_t x;
    do
        x = prng_next(p);
    while (x >= limit);
    return x % bound;
}

int64_t prng_range(struct prng *p, int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)(hi - lo) + 1;
    if (span == 0) /* the whole 64-bit range */
        return (int64_t)prng_next(p);
    return lo + (int64_t)prng_below(p, span);
}

int prng_chance(struct prng *p, uint64_t num, uint64_t den)
{
    if (num == 0)
        return 0;
    if (num >= den)
        return 1;
    return prng_below(p, den) < num;
}
