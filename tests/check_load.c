/* Tests of a cluster under a steady client load (the `load` action): the
 * AppendEntries rule of the contract (lesson-format.md, "Protocol rules
 * where sources differ") keeps the messages in flight bounded and lets
 * every command commit. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocols/raft.h"
#include "tutor/facts.h"
#include "tutor/runner.h"

/* The workload of issue 10: five nodes, one-way latency 10..15 ms,
 * election timeout 100..200 ms, heartbeat 50 ms. */
static const char workload[] =
    "{\"format\": 1, \"id\": \"load\", \"title\": \"load\", \"protocol\": \"raft\","
    " \"cluster\": {\"nodes\": 5, \"latency\": {\"min\": 10, \"max\": 15},"
    " \"election_timeout\": {\"min\": 100, \"max\": 200}, \"heartbeat\": 50},"
    " \"steps\": []}";

static struct action action_of(enum action_kind kind, int64_t for_ms, int64_t every)
{
    struct action a;
    memset(&a, 0, sizeof a);
    a.kind = kind;
    a.path = "test";
    a.for_ms = for_ms;
    a.every = every;
    a.max = 10000;
    a.node = a.from = a.to = -1;
    return a;
}

static void act(struct runner *r, const struct action *a)
{
    struct sbuf err;
    sbuf_init(&err);
    ck_assert_msg(runner_action(r, a, &err) == 0, "%s", err.s ? err.s : "");
    sbuf_free(&err);
}

/* Contract, the AppendEntries rule: "A success that leaves the follower
 * behind is followed at once by another AppendEntries only if the leader
 * holds entries it has not yet sent to that follower in this term ... so
 * under a steady load each entry travels about once per follower and
 * messages in flight stay bounded." A command every 10 ms for 30 virtual
 * seconds, one `load` step per command: after every step at most
 * max_in_flight messages are in flight, and every command commits, in
 * order. (Under the old rule, where every success reply sent again while
 * the follower was behind, the count grew by about 480 per second.) */
START_TEST(test_a_success_resends_only_entries_never_sent_so_messages_in_flight_stay_bounded)
{
    const size_t max_in_flight = 32; /* 4 followers, 8 each (12 are seen) */
    const long commands = 3000;      /* 30 s at one per 10 ms */
    struct lesson *l = NULL;
    struct lesson_errors errs;
    lesson_errors_init(&errs);
    ck_assert_int_eq(lesson_parse("load.json", workload, strlen(workload), &l, &errs), 0);
    lesson_errors_free(&errs);
    struct runner *r = runner_new(l);

    struct action run = action_of(ACT_RUN, 1000, 0);
    act(r, &run);
    int leader = facts_leader(runner_sim(r));
    ck_assert_int_ge(leader, 0);

    struct action load = action_of(ACT_LOAD, 10, 10);
    size_t peak = 0;
    for (long k = 0; k < commands; k++) {
        act(r, &load);
        size_t n = runner_sim(r)->n_pending;
        ck_assert_msg(n <= max_in_flight, "%zu messages in flight after command %ld", n, k + 1);
        if (n > peak)
            peak = n;
    }
    act(r, &run); /* a second without commands: the last ones commit */

    const struct sim *s = runner_sim(r);
    ck_assert_int_eq(facts_leader(s), leader);
    ck_assert_uint_eq(s->mon.committed.len, (size_t)commands);
    for (long k = 0; k < commands; k++) {
        char want[32];
        snprintf(want, sizeof want, "c%ld", k + 1);
        const struct entry *e = cowvec_at(&s->mon.committed, (size_t)k);
        ck_assert_str_eq(e->cmd, want);
    }
    ck_assert(!s->mon.violated);
    ck_assert_uint_gt(peak, 0);
    runner_free(r);
    lesson_free(l);
}
END_TEST

static Suite *suite_load(void)
{
    Suite *s = suite_create("load");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 180);
    tcase_add_test(
        tc, test_a_success_resends_only_entries_never_sent_so_messages_in_flight_stay_bounded);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite_load());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
