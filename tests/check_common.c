/* Tests of the shared protocol layer: the generator, the copy-on-write
 * vector, the string buffer and the message helpers. */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocols/cowvec.h"
#include "protocols/msg.h"
#include "protocols/prng.h"
#include "protocols/sbuf.h"

/* The generator must give the same numbers on every machine: these are the
 * first outputs of xoshiro256** seeded through splitmix64 with seed 1. */
START_TEST(test_prng_sequence_is_fixed)
{
    struct prng a, b;
    prng_seed(&a, 1);
    prng_seed(&b, 1);
    for (int i = 0; i < 1000; i++)
        ck_assert_uint_eq(prng_next(&a), prng_next(&b));
    struct prng c;
    prng_seed(&c, 1);
    uint64_t first = prng_next(&c);
    struct prng d;
    prng_seed(&d, 2);
    ck_assert_uint_ne(first, prng_next(&d));
    ck_assert_uint_eq(first, 0xb3f2af6d0fc710c5ULL);
}
END_TEST

START_TEST(test_prng_range_bounds)
{
    struct prng p;
    prng_seed(&p, 42);
    int seen[5] = {0};
    for (int i = 0; i < 10000; i++) {
        int64_t v = prng_range(&p, 150, 154);
        ck_assert_int_ge(v, 150);
        ck_assert_int_le(v, 154);
        seen[v - 150]++;
    }
    for (int i = 0; i < 5; i++)
        ck_assert_int_gt(seen[i], 1800);
    ck_assert_int_eq(prng_range(&p, 7, 7), 7);
    ck_assert(!prng_chance(&p, 0, 10));
    ck_assert(prng_chance(&p, 10, 10));
}
END_TEST

START_TEST(test_cowvec_clone_is_independent)
{
    struct cowvec a, b;
    cowvec_init(&a, sizeof(int));
    for (int i = 0; i < 1000; i++)
        cowvec_push(&a, &i);
    cowvec_clone(&b, &a);
    int x = -1;
    memcpy(cowvec_mut(&b, 500), &x, sizeof x);
    ck_assert_int_eq(*(const int *)cowvec_at(&a, 500), 500);
    ck_assert_int_eq(*(const int *)cowvec_at(&b, 500), -1);
    cowvec_truncate(&a, 300);
    ck_assert_uint_eq(a.len, 300);
    ck_assert_uint_eq(b.len, 1000);
    ck_assert_int_eq(*(const int *)cowvec_at(&b, 999), 999);
    cowvec_push(&a, &x);
    ck_assert_int_eq(*(const int *)cowvec_at(&a, 300), -1);
    ck_assert_int_eq(*(const int *)cowvec_at(&b, 300), 300);
    cowvec_resize_zero(&a, 600);
    ck_assert_int_eq(*(const int *)cowvec_at(&a, 599), 0);
    ck_assert_int_eq(*(const int *)cowvec_at(&a, 301), 0);
    cowvec_free(&a);
    cowvec_free(&b);
}
END_TEST

/* A watch saves nothing while the vector only grows, and on the first
 * change to an element it holds, the vector as it was when watched (not
 * what it grew since). */
START_TEST(test_cowvec_watch_saves_before_the_first_change)
{
    struct cowvec a;
    cowvec_init(&a, sizeof(int));
    for (int i = 0; i < 300; i++)
        cowvec_push(&a, &i);
    struct cowvec_watch w;
    cowvec_watch(&a, &w);
    int x = 7;
    cowvec_push(&a, &x);
    ck_assert(!w.saved);
    ck_assert_uint_eq(w.len, 300);
    *(int *)cowvec_mut(&a, 10) = -1;
    ck_assert(w.saved);
    ck_assert_uint_eq(w.before.len, 300);
    ck_assert_int_eq(*(const int *)cowvec_at(&w.before, 10), 10);
    ck_assert_int_eq(*(const int *)cowvec_at(&w.before, 299), 299);
    *(int *)cowvec_mut(&a, 11) = -1; /* the watch has ended: nothing saved again */
    ck_assert_int_eq(*(const int *)cowvec_at(&w.before, 11), 11);
    cowvec_free(&w.before);
    struct cowvec_watch t;
    cowvec_watch(&a, &t);
    cowvec_truncate(&a, 5);
    ck_assert(t.saved);
    ck_assert_uint_eq(t.before.len, 301);
    cowvec_free(&t.before);
    struct cowvec_watch u;
    cowvec_watch(&a, &u);
    cowvec_unwatch(&a, &u);
    cowvec_free(&a);
    ck_assert(!u.saved);
    struct cowvec_watch f;
    cowvec_init(&a, sizeof(int));
    cowvec_push(&a, &x);
    cowvec_watch(&a, &f);
    cowvec_free(&a);
    ck_assert(f.saved);
    ck_assert_int_eq(*(const int *)cowvec_at(&f.before, 0), 7);
    cowvec_free(&f.before);
}
END_TEST

START_TEST(test_sbuf_json_escapes_control_characters)
{
    struct sbuf b;
    sbuf_init(&b);
    sbuf_json_str(&b, "a\"b\\c\n\x1b[2J");
    ck_assert_str_eq(b.s, "\"a\\\"b\\\\c\\n\\u001b[2J\"");
    sbuf_free(&b);
}
END_TEST

/* sbuf_add_int writes what "%lld" writes, the extremes included; sbuf_printf
 * grows for a text longer than the room it tries first; sbuf_json_str
 * copies runs between escapes whole. */
START_TEST(test_sbuf_numbers_and_long_printf)
{
    static const long long v[] = {0, 7, -1, 10, -10, 1234567890123LL, LLONG_MAX, LLONG_MIN};
    struct sbuf b;
    sbuf_init(&b);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char want[32];
        snprintf(want, sizeof want, "%lld", v[i]);
        sbuf_reset(&b);
        sbuf_add(&b, "n=");
        sbuf_add_int(&b, v[i]);
        ck_assert_str_eq(b.s + 2, want);
        ck_assert_uint_eq(b.len, 2 + strlen(want));
    }
    char big[300];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    sbuf_reset(&b);
    sbuf_add(&b, "<");
    sbuf_printf(&b, "%s|%d", big, 42);
    ck_assert_uint_eq(b.len, 1 + 299 + 3);
    ck_assert_str_eq(b.s + 300, "|42");
    ck_assert_int_eq(b.s[0], '<');
    sbuf_printf(&b, "%s", "");
    ck_assert_uint_eq(b.len, 303);
    sbuf_reset(&b);
    sbuf_json_str(&b, "\x7f plain \t\x01"
                      "end\"");
    ck_assert_str_eq(b.s, "\"\\u007f plain \\t\\u0001end\\\"\"");
    sbuf_free(&b);
}
END_TEST

START_TEST(test_msg_fields_and_clone)
{
    struct proto_config cfg = {.n_nodes = 3, .names = {"S1", "S2", "S3"}};
    struct entry e[2] = {{.term = 1, .cmd = "x=1"}, {.term = 2, .cmd = "y"}};
    struct msg m = {.type = MSG_APPEND_ENTRIES, .from = 0, .to = 2};
    m.u.ae.term = 2;
    m.u.ae.prev_log_index = 3;
    m.u.ae.entries = e;
    m.u.ae.n_entries = 2;
    struct msg c;
    msg_clone(&c, &m);
    ck_assert_ptr_ne(c.u.ae.entries, e);
    struct sbuf b;
    sbuf_init(&b);
    ck_assert_int_eq(msg_field(&c, &cfg, "entries", &b), 0);
    ck_assert_str_eq(b.s, "[[1,\"x=1\"],[2,\"y\"]]");
    sbuf_reset(&b);
    ck_assert_int_eq(msg_field(&c, &cfg, "to", &b), 0);
    ck_assert_str_eq(b.s, "\"S3\"");
    ck_assert_int_eq(msg_field(&c, &cfg, "ballot", &b), -1);
    ck_assert_int_eq(msg_type_parse("AppendEntries"), MSG_APPEND_ENTRIES);
    ck_assert_int_eq(msg_type_parse("Appendentries"), MSG_NONE);
    sbuf_free(&b);
    msg_free(&c);
}
END_TEST

START_TEST(test_ballots_order_by_round_then_node)
{
    struct ballot a = {2, 0}, b = {2, 1}, c = {3, 0}, none = {0, 0};
    ck_assert_int_lt(ballot_cmp(a, b), 0);
    ck_assert_int_lt(ballot_cmp(b, c), 0);
    ck_assert_int_lt(ballot_cmp(none, a), 0);
    ck_assert_int_eq(ballot_cmp(a, a), 0);
}
END_TEST

/* ballot_format writes what snprintf(buf, n, "%lld.%s") wrote, cut alike
 * in a buffer too small. */
START_TEST(test_ballot_format_as_printf)
{
    struct proto_config cfg = {.n_nodes = 2, .names = {"S1", "a-long-node-name"}};
    struct ballot bs[] = {{0, 0}, {3, 0}, {1234567, 1}, {-2, 1}, {5, 7}};
    for (size_t i = 0; i < sizeof bs / sizeof bs[0]; i++)
        for (size_t n = 1; n <= 24; n++) {
            char got[32], want[32];
            memset(got, 'z', sizeof got);
            if (bs[i].round == 0)
                snprintf(want, n, "null");
            else
                snprintf(want, n, "%lld.%s", (long long)bs[i].round,
                         bs[i].node < cfg.n_nodes ? cfg.names[bs[i].node] : "?");
            ck_assert_str_eq(ballot_format(bs[i], &cfg, got, n), want);
        }
}
END_TEST

static Suite *suite_common(void)
{
    Suite *s = suite_create("common");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_prng_sequence_is_fixed);
    tcase_add_test(tc, test_prng_range_bounds);
    tcase_add_test(tc, test_cowvec_clone_is_independent);
    tcase_add_test(tc, test_cowvec_watch_saves_before_the_first_change);
    tcase_add_test(tc, test_sbuf_json_escapes_control_characters);
    tcase_add_test(tc, test_sbuf_numbers_and_long_printf);
    tcase_add_test(tc, test_msg_fields_and_clone);
    tcase_add_test(tc, test_ballots_order_by_round_then_node);
    tcase_add_test(tc, test_ballot_format_as_printf);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite_common());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
