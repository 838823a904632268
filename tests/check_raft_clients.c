/* Tests of Raft's client interaction (§8 of the extended paper; Ongaro's
 * dissertation §6.3 client sessions, §6.4 ReadIndex) and leadership
 * transfer (§3.10), named after the sentences they hold, run through the
 * lesson runner on small clusters with fixed timeouts. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocols/raft.h"
#include "tutor/facts.h"
#include "tutor/feed.h"
#include "tutor/runner.h"

enum { S1, S2, S3 };

static const char *srcdir(void)
{
    const char *s = getenv("top_srcdir");
    return s && *s ? s : ".";
}

/* A three-node lesson (S1 times out first, the others never) whose steps
 * are steps_sq, written with ' for ". */
static struct lesson *lesson_of(const char *options_sq, const char *steps_sq)
{
    char buf[8192];
    snprintf(buf, sizeof buf,
             "{'format': 1, 'id': 't', 'title': 't', 'protocol': 'raft',"
             " 'cluster': {'nodes': 3, 'latency': 10, 'options': {%s},"
             " 'timeouts': {'S1': 100, 'S2': 100000, 'S3': 100000}}, 'steps': [%s]}",
             options_sq, steps_sq);
    for (char *p = buf; *p; p++)
        if (*p == '\'')
            *p = '"';
    struct lesson *l = NULL;
    struct lesson_errors errs;
    lesson_errors_init(&errs);
    int rc = lesson_parse("t.json", buf, strlen(buf), &l, &errs);
    for (size_t i = 0; i < errs.n; i++)
        fprintf(stderr, "    %s\n", errs.lines[i]);
    lesson_errors_free(&errs);
    ck_assert_int_eq(rc, 0);
    return l;
}

/* Runs every step; the runner is the caller's (runner_free, then lesson_free). */
static struct runner *run_all(const struct lesson *l, int *failed)
{
    struct runner *r = runner_new(l);
    *failed = runner_check_all(r);
    return r;
}

static const char *field(const struct runner *r, int node, const char *name, struct sbuf *b)
{
    sbuf_reset(b);
    ck_assert_int_eq(sim_node_field(runner_sim(r), node, name, b), 0);
    return b->s;
}

static const char *const elect_s1 = "{'do': 'timeout', 'node': 'S1'}, {'do': 'settle'}";

/* S1 elected, then steps_sq: every expect must hold and nothing unsafe
 * happen. Returns the runner for more checks (free with finish). */
static struct runner *passes(const char *options_sq, const char *steps_sq, struct lesson **lp)
{
    char steps[4096];
    snprintf(steps, sizeof steps, "%s, %s", elect_s1, steps_sq);
    *lp = lesson_of(options_sq, steps);
    int failed;
    struct runner *r = run_all(*lp, &failed);
    ck_assert_int_eq(failed, 0);
    return r;
}

static void finish(struct runner *r, struct lesson *l)
{
    runner_free(r);
    lesson_free(l);
}

/* The feed has a line containing text. */
static bool feed_says(struct runner *r, const char *text)
{
    const struct feed *f = runner_sim(r)->feed;
    struct sbuf b;
    sbuf_init(&b);
    bool found = false;
    for (size_t k = 0; k < f->n && !found; k++) {
        sbuf_reset(&b);
        feed_text(f, k, &b);
        found = strstr(b.s, text) != NULL;
    }
    sbuf_free(&b);
    return found;
}

/* One operation on the live cluster, as a learner's action would be. */
static struct sim_result apply_op(struct runner *r, struct sim_op op)
{
    struct sim_result res;
    history_apply(r->h, &op, &res);
    return res;
}

START_TEST(test_kv_command_is_key_equals_value_any_other_is_opaque)
{
    size_t n = 0;
    ck_assert(raft_kv_command("x=1", &n) && n == 1);
    ck_assert(raft_kv_command("key=a=b", &n) && n == 3);
    ck_assert(raft_kv_command("k=", &n) && n == 1);
    ck_assert(!raft_kv_command("=1", &n));
    ck_assert(!raft_kv_command("noop", &n));
    ck_assert(!raft_kv_command(NULL, &n));
}
END_TEST

/* §6.3: "The state machine tracks the latest serial number processed for
 * each client ... If it receives a command whose serial number has already
 * been executed, it responds immediately without re-executing the
 * request." */
START_TEST(test_6_3_a_command_already_executed_is_answered_without_executing_it_again)
{
    struct lesson *l;
    struct runner *r =
        passes("",
               "{'do': 'request', 'node': 'S1', 'command': 'x=1', 'client': 'c', 'seq': 1},"
               " {'do': 'settle'},"
               " {'do': 'request', 'node': 'S1', 'command': 'x=2', 'client': 'c', 'seq': 2},"
               " {'do': 'request', 'node': 'S1', 'command': 'x=2', 'client': 'c', 'seq': 2},"
               " {'do': 'settle'},"
               " {'do': 'request', 'node': 'S1', 'command': 'x=1', 'client': 'c', 'seq': 1},"
               " {'do': 'settle'}, {'do': 'timeout', 'node': 'S1'}, {'do': 'settle'}",
               &l);
    struct sbuf b;
    sbuf_init(&b);
    /* The retry while the first copy was in flight is in the log twice but
     * applied once; the old seq 1 is not even appended. */
    ck_assert_str_eq(field(r, S1, "log", &b), "[[1,\"x=1\"],[1,\"x=2\"],[1,\"x=2\"]]");
    ck_assert_str_eq(field(r, S1, "applied", &b), "[\"x=1\",\"x=2\"]");
    ck_assert_str_eq(field(r, S1, "last_applied", &b), "3");
    const struct raft *s1 = sim_node_const(runner_sim(r), S1);
    ck_assert(raft_applied_skipped(s1, 3) && !raft_applied_skipped(s1, 2));
    ck_assert_str_eq(raft_kv_get(s1, "x"), "2");
    /* and the feed says so rather than that entry 3 was applied: S1 one
     * by one, S2 both at once (from the leader_commit of the
     * heartbeat) */
    ck_assert(feed_says(r, "S1 has already applied c's command 2: entry 3 is not applied again"));
    ck_assert(!feed_says(r, "S1 applies entry 3"));
    ck_assert(feed_says(r, "S2 applies entries 2..3 to its state machine, except the duplicates "
                           "among them (1)"));
    ck_assert_uint_eq(runner_sim(r)->mon.clients.answered.len, 2);
    ck_assert(!runner_sim(r)->mon.violated);
    sbuf_free(&b);
    finish(r, l);
}
END_TEST

/* §6.4, ReadIndex step 1: "If the leader has not yet marked an entry from
 * its current term committed, it waits until it has." */
START_TEST(test_6_4_a_new_leader_waits_for_an_entry_of_its_term_to_commit_before_reading)
{
    struct lesson *l;
    struct runner *r =
        passes("",
               "{'do': 'request', 'node': 'S1', 'command': 'x=1'}, {'do': 'settle'},"
               " {'do': 'timeout', 'node': 'S2'}, {'do': 'settle'},"
               " {'do': 'read', 'node': 'S2', 'key': 'x'}, {'do': 'settle'},"
               " {'expect': {'reads': []}},"
               " {'do': 'request', 'node': 'S2', 'command': 'y=1'}, {'do': 'settle'},"
               " {'expect': {'reads': [{'node': 'S2', 'key': 'x', 'value': '1'}]}}",
               &l);
    finish(r, l);
    /* With a no-op of its own term at election the leader reads at once. */
    r = passes("'noop_on_election': true",
               "{'do': 'read', 'node': 'S1', 'key': 'x'}, {'do': 'settle'},"
               " {'expect': {'reads': [{'node': 'S1', 'key': 'x', 'value': null}]}}",
               &l);
    finish(r, l);
}
END_TEST

/* §6.4 step 3: the leader "sends heartbeats to all the other servers" and
 * answers only once a majority acknowledged them: a reply to an
 * AppendEntries sent before the read began proves nothing. */
START_TEST(test_6_4_only_heartbeats_sent_after_the_read_began_confirm_leadership)
{
    /* The read index is 1 (x=1); by the time the round is confirmed x=2 is
     * applied too, and a later write is a linearizable answer. */
    struct lesson *l;
    struct runner *r = passes(
        "",
        "{'do': 'request', 'node': 'S1', 'command': 'x=1'}, {'do': 'settle'},"
        " {'do': 'request', 'node': 'S1', 'command': 'x=2'},"
        " {'do': 'read', 'node': 'S1', 'key': 'x'},"
        " {'do': 'deliver', 'match': {'type': 'AppendEntries', 'to': 'S2', 'read_round': 0}},"
        " {'do': 'deliver', 'match': {'type': 'AppendEntriesReply', 'read_round': 0}},"
        " {'expect': {'reads': []}},"
        " {'do': 'deliver', 'match': {'type': 'AppendEntries', 'to': 'S2', 'read_round': 1}},"
        " {'do': 'deliver', 'match': {'type': 'AppendEntriesReply', 'read_round': 1}},"
        " {'expect': {'reads': [{'node': 'S1', 'key': 'x', 'value': '2'}]}}",
        &l);
    finish(r, l);
}
END_TEST

/* §8: "If a client contacts a follower, the follower rejects its request
 * and supplies information about the most recent leader it has heard
 * from" — reads included (§6.4: only the leader serves them). */
START_TEST(test_8_a_follower_refuses_a_read_and_names_its_leader)
{
    struct lesson *l;
    struct runner *r =
        passes("", "{'do': 'request', 'node': 'S1', 'command': 'x=1'}, {'do': 'settle'}", &l);
    struct sim_op op = sim_op_make(OP_READ, S2);
    op.text = strpool_intern(r->strings, "x");
    struct sim_result res = apply_op(r, op);
    ck_assert_int_eq(res.client, CLIENT_REFUSED);
    ck_assert_int_eq(res.client_hint, S1);
    op.node = S1;
    res = apply_op(r, op);
    ck_assert_int_eq(res.client, CLIENT_ACCEPTED);
    ck_assert_uint_eq(runner_sim(r)->mon.clients.reads.len, 0); /* confirmation pending */
    finish(r, l);
}
END_TEST

/* §3.10: "2. The prior leader fully updates the target server's log to
 * match its own ... 3. The prior leader sends a TimeoutNow request to the
 * target server", and step 1, "The prior leader stops accepting new client
 * requests." */
START_TEST(test_3_10_timeout_now_is_sent_only_once_the_target_log_matches)
{
    struct lesson *l;
    struct runner *r =
        passes("",
               "{'do': 'request', 'node': 'S1', 'command': 'x=1'},"
               " {'do': 'drop', 'match': {'type': 'AppendEntries', 'to': 'S3'}}, {'do': 'settle'},"
               " {'do': 'transfer', 'to': 'S3'}",
               &l);
    const struct sim *s = runner_sim(r);
    for (size_t i = 0; i < s->n_pending; i++)
        ck_assert_int_ne(s->pending[i].m.type, MSG_TIMEOUT_NOW);
    struct sim_op req = sim_op_make(OP_CLIENT, S1);
    req.text = strpool_intern(r->strings, "y=1");
    struct sim_result res = apply_op(r, req);
    ck_assert_int_eq(res.client, CLIENT_REFUSED);
    /* Deliver the catch-up AppendEntries and its reply, in send order. */
    while (runner_sim(r)->n_pending) {
        struct sim_op d = sim_op_make(OP_DELIVER, -1);
        d.msg_id = runner_sim(r)->pending[0].id;
        const struct msg *m = &runner_sim(r)->pending[0].m;
        if (m->type == MSG_TIMEOUT_NOW) {
            ck_assert_int_eq(m->to, S3);
            ck_assert_int_eq(m->u.tn.term, 1);
            ck_assert_int_eq(((const struct raft *)sim_node_const(runner_sim(r), S3))->p.log.len,
                             1);
        }
        apply_op(r, d);
    }
    ck_assert_int_eq(facts_leader(runner_sim(r)), S3);
    ck_assert(!runner_sim(r)->mon.violated);
    finish(r, l);
}
END_TEST

/* §3.10: TimeoutNow "has the same effect as the target server's election
 * timer firing", except that with PreVote the target skips the pre-vote:
 * the leader itself asked, and the followers, who heard from it just now,
 * would refuse a pre-vote (§9.6). */
START_TEST(test_3_10_timeout_now_starts_a_real_election_at_once_even_with_prevote)
{
    struct lesson *l;
    struct runner *r = passes(
        "'prevote': true",
        "{'do': 'transfer', 'to': 'S2'},"
        " {'do': 'deliver', 'match': {'type': 'TimeoutNow'}},"
        " {'expect': {'all': [{'node': 'S2', 'role': 'candidate'}, {'node': 'S2', 'term': 2},"
        " {'pending': {'match': {'type': 'RequestVote', 'prevote': true}, 'count': 0}}]}},"
        " {'do': 'settle'}, {'expect': {'leader': 'S2'}}",
        &l);
    finish(r, l);
}
END_TEST

/* §4.2.3: leader stickiness must let a transfer through — "RequestVote
 * messages should be processed by other servers even when they believe a
 * current cluster leader exists. Those RequestVote requests can include a
 * special flag to indicate this behavior". Without the flag S3, which
 * heard from S1 just now, would ignore S2's RequestVote and S1 would keep
 * leading. */
START_TEST(test_4_2_3_a_transfer_request_vote_is_processed_even_when_a_leader_exists)
{
    struct lesson *l;
    struct runner *r = passes(
        "'leader_stickiness': true",
        "{'do': 'transfer', 'to': 'S2'},"
        " {'do': 'deliver', 'match': {'type': 'TimeoutNow'}},"
        " {'expect': {'pending': {'match': {'type': 'RequestVote', 'to': 'S3', 'transfer': true},"
        " 'count': 1}}},"
        " {'do': 'deliver', 'match': {'type': 'RequestVote', 'to': 'S3'}},"
        " {'expect': {'all': [{'node': 'S3', 'term': 2}, {'node': 'S3', 'voted_for': 'S2'}]}},"
        " {'do': 'settle'}, {'expect': {'leader': 'S2'}},"
        " {'expect': {'all': [{'node': 'S1', 'role': 'follower'}, {'node': 'S1', 'term': 2}]}}",
        &l);
    finish(r, l);
}
END_TEST

/* ... while an ordinary RequestVote of the same term, sent by a server
 * whose own timer fired, is still ignored by a server that heard from the
 * leader within the minimum election timeout. */
START_TEST(test_4_2_3_an_ordinary_request_vote_is_still_ignored_soon_after_the_leader)
{
    struct lesson *l;
    struct runner *r = passes("'leader_stickiness': true",
                              "{'do': 'timeout', 'node': 'S2'},"
                              " {'expect': {'pending': {'match': {'type': 'RequestVote', 'to': "
                              "'S3', 'transfer': false}, 'count': 1}}},"
                              " {'do': 'deliver', 'match': {'type': 'RequestVote', 'to': 'S3'}},"
                              " {'expect': {'node': 'S3', 'term': 1}},"
                              " {'expect': {'leader': 'S1'}}",
                              &l);
    finish(r, l);
}
END_TEST

/* §3.10: the prior leader aborts a transfer that does not complete within
 * an election timeout and takes requests again. */
START_TEST(test_3_10_a_transfer_that_does_not_complete_within_an_election_timeout_is_given_up)
{
    struct lesson *l;
    struct runner *r =
        passes("",
               "{'do': 'crash', 'node': 'S3'}, {'do': 'request', 'node': 'S1', 'command': 'a'},"
               " {'do': 'settle'}, {'do': 'transfer', 'to': 'S3'},"
               " {'do': 'run', 'for': 99}, {'do': 'request', 'node': 'S1', 'command': 'b'},"
               " {'expect': {'node': 'S1', 'log_length': 1}},"
               " {'do': 'run', 'for': 60}, {'do': 'request', 'node': 'S1', 'command': 'b'},"
               " {'expect': {'node': 'S1', 'log_length': 2}}",
               &l);
    finish(r, l);
}
END_TEST

/* The deposed leader of tests/scenarios/raft-stale-read-deposed-leader.json
 * with and without the stale_reads bug switch. */
static struct runner *stale_read_run(bool stale_reads, struct lesson **lp, int *failed)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/scenarios/raft-stale-read-deposed-leader.json", srcdir());
    struct lesson_errors errs;
    lesson_errors_init(&errs);
    ck_assert_int_eq(lesson_load(path, lp, &errs), 0);
    lesson_errors_free(&errs);
    (*lp)->cfg.bugs = stale_reads ? BUG_STALE_READS : 0;
    return run_all(*lp, failed);
}

/* §6.4 / §8: "a leader ... might not know whether it has been superseded
 * by a newer leader"; reading from its own state would return stale
 * data. The linearizable-reads invariant catches it with the bug switch
 * on; with ReadIndex the deposed leader never answers. */
START_TEST(test_stale_reads_a_deposed_leader_answering_from_its_state_breaks_linearizability)
{
    struct lesson *l;
    int failed;
    struct runner *r = stale_read_run(true, &l, &failed);
    const struct sim *s = runner_sim(r);
    ck_assert(s->mon.violated);
    ck_assert_msg(strstr(s->mon.violation, "S1 answered the read of x with \"1\"") &&
                      strstr(s->mon.violation, "x=2"),
                  "%s", s->mon.violation);
    const struct monitor_read *rd = cowvec_at(&s->mon.clients.reads, 0);
    ck_assert_int_eq(rd->node, S1);
    ck_assert_str_eq(rd->value, "1");
    ck_assert_int_gt(failed, 0);
    finish(r, l);

    r = stale_read_run(false, &l, &failed);
    s = runner_sim(r);
    ck_assert_int_eq(failed, 0);
    ck_assert(!s->mon.violated);
    for (size_t i = 0; i < s->mon.clients.reads.len; i++)
        ck_assert_int_ne(((const struct monitor_read *)cowvec_at(&s->mon.clients.reads, i))->node,
                         S1);
    finish(r, l);
}
END_TEST

/* The contract's `load`: one client, increasing seq, and the same seq
 * when it retries. */
START_TEST(test_load_numbers_its_commands_in_one_session)
{
    struct lesson *l;
    struct runner *r =
        passes("", "{'do': 'load', 'every': 10, 'for': 200}, {'do': 'run', 'for': 500}", &l);
    const struct sim *s = runner_sim(r);
    const struct raft *s1 = sim_node_const(s, S1);
    ck_assert_int_ge(s1->p.log.len, 15);
    int64_t seq = 0;
    for (int64_t i = 1; i <= raft_log_length(s1); i++) {
        const struct entry *e = raft_entry(s1, i);
        ck_assert_str_eq(e->client, RUNNER_LOAD_CLIENT);
        ck_assert_int_eq(e->seq, ++seq);
    }
    ck_assert_uint_eq(s->mon.clients.answered.len, (size_t)seq);
    /* The history keeps each of those requests in three wide fields, not
     * as a whole operation, and gives them back exactly. */
    size_t sessions = 0;
    for (size_t i = 0; i < r->h->n_ops; i++) {
        struct sim_op op = history_op_at(r->h, i);
        if (op.kind != OP_CLIENT)
            continue;
        ck_assert_int_eq(r->h->ops[i].form, HOP_SESSION);
        ck_assert_str_eq(op.client, RUNNER_LOAD_CLIENT);
        ck_assert_int_ge(op.seq, 1);
        sessions++;
    }
    ck_assert_uint_ge(sessions, (size_t)seq);
    ck_assert_uint_eq(r->h->n_full, 0);
    finish(r, l);
}
END_TEST

static Suite *suite_raft_clients(void)
{
    Suite *s = suite_create("raft_clients");
    TCase *tc = tcase_create("sessions");
    tcase_add_test(tc, test_kv_command_is_key_equals_value_any_other_is_opaque);
    tcase_add_test(tc, test_6_3_a_command_already_executed_is_answered_without_executing_it_again);
    tcase_add_test(tc, test_load_numbers_its_commands_in_one_session);
    suite_add_tcase(s, tc);
    tc = tcase_create("reads");
    tcase_add_test(tc,
                   test_6_4_a_new_leader_waits_for_an_entry_of_its_term_to_commit_before_reading);
    tcase_add_test(tc, test_6_4_only_heartbeats_sent_after_the_read_began_confirm_leadership);
    tcase_add_test(tc, test_8_a_follower_refuses_a_read_and_names_its_leader);
    tcase_add_test(
        tc, test_stale_reads_a_deposed_leader_answering_from_its_state_breaks_linearizability);
    suite_add_tcase(s, tc);
    tc = tcase_create("transfer");
    tcase_add_test(tc, test_3_10_timeout_now_is_sent_only_once_the_target_log_matches);
    tcase_add_test(tc, test_3_10_timeout_now_starts_a_real_election_at_once_even_with_prevote);
    tcase_add_test(
        tc, test_3_10_a_transfer_that_does_not_complete_within_an_election_timeout_is_given_up);
    tcase_add_test(tc, test_4_2_3_a_transfer_request_vote_is_processed_even_when_a_leader_exists);
    tcase_add_test(tc, test_4_2_3_an_ordinary_request_vote_is_still_ignored_soon_after_the_leader);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite_raft_clients());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
