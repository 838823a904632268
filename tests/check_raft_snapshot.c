/* Tests of Raft's log compaction (§7 of the extended paper, Figures 12 and
 * 13), named after the sentences they hold. They drive a whole virtual
 * cluster (tutor/sim.h), so the safety monitor watches every step: a test
 * that ends with no violation also shows the monitor raised no false one. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "protocols/raft.h"
#include "tutor/sim.h"

enum { S1, S2, S3 };
static const char *const names[] = {"S1", "S2", "S3"};
static struct strpool *pool;
static struct sbuf text;

static void setup(void)
{
    pool = strpool_new();
    sbuf_init(&text);
}

static void teardown(void)
{
    strpool_free(pool);
    sbuf_free(&text);
}

/* Three nodes whose timers never fire by themselves: the test fires them. */
static struct sim *cluster(int64_t snapshot_every)
{
    struct proto_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.n_nodes = 3;
    cfg.election_min = 150;
    cfg.election_max = 300;
    cfg.heartbeat = 100000;
    for (int i = 0; i < 3; i++) {
        cfg.names[i] = names[i];
        cfg.fixed_timeout[i] = 100000;
        cfg.snapshot_every[i] = snapshot_every;
    }
    struct sim_net net = {10, 10, 0, 0};
    struct sim *s = sim_new(PROTO_RAFT, &cfg, &net, 1, pool);
    sim_start(s);
    return s;
}

static void op(struct sim *s, enum sim_op_kind kind, int node)
{
    struct sim_op o = sim_op_make(kind, node);
    struct sim_result res;
    sim_apply(s, &o, &res);
}

static void request(struct sim *s, int node, const char *cmd)
{
    struct sim_op o = sim_op_make(OP_CLIENT, node);
    o.text = strpool_intern(pool, cmd);
    struct sim_result res;
    sim_apply(s, &o, &res);
    ck_assert_int_eq(res.client, CLIENT_ACCEPTED);
}

static void inject(struct sim *s, const struct msg *m)
{
    struct sim_op o = sim_op_make(OP_INJECT, -1);
    o.msg = m;
    struct sim_result res;
    sim_apply(s, &o, &res);
}

/* The first pending message of this type to `to` (-1: anyone), or NULL. */
static const struct sim_msg *pending(const struct sim *s, enum msg_type type, int to)
{
    for (size_t i = 0; i < s->n_pending; i++)
        if (s->pending[i].m.type == type && (to < 0 || s->pending[i].m.to == to))
            return &s->pending[i];
    return NULL;
}

static void deliver(struct sim *s, enum msg_type type, int to)
{
    const struct sim_msg *m = pending(s, type, to);
    ck_assert_msg(m != NULL, "no pending %s to %d", msg_type_name(type), to);
    struct sim_op o = sim_op_make(OP_DELIVER, -1);
    o.msg_id = m->id;
    struct sim_result res;
    sim_apply(s, &o, &res);
}

/* Delivers in send order until nothing is pending. */
static void settle(struct sim *s)
{
    for (int k = 0; k < 1000 && s->n_pending; k++) {
        struct sim_op o = sim_op_make(OP_DELIVER, -1);
        o.msg_id = s->pending[0].id;
        struct sim_result res;
        sim_apply(s, &o, &res);
    }
    ck_assert_uint_eq(s->n_pending, 0);
}

static void drop_all(struct sim *s)
{
    while (s->n_pending) {
        struct sim_op o = sim_op_make(OP_DROP, -1);
        o.msg_id = s->pending[0].id;
        struct sim_result res;
        sim_apply(s, &o, &res);
    }
}

static const char *fld(const struct sim *s, int node, const char *name)
{
    sbuf_reset(&text);
    ck_assert_int_eq(sim_node_field(s, node, name, &text), 0);
    return text.s;
}

/* S1 leads term 1 with a, b, c committed everywhere up (a heartbeat carries
 * the commit index to the followers). */
static struct sim *leader_with_abc(int64_t snapshot_every, bool s3_down)
{
    struct sim *s = cluster(snapshot_every);
    if (s3_down)
        op(s, OP_CRASH, S3);
    op(s, OP_TIMEOUT, S1);
    settle(s);
    ck_assert_str_eq(fld(s, S1, "role"), "\"leader\"");
    request(s, S1, "a");
    request(s, S1, "b");
    request(s, S1, "c");
    settle(s);
    op(s, OP_TIMEOUT, S1);
    settle(s);
    ck_assert_str_eq(fld(s, S2, "commit_index"), "3");
    return s;
}

static void assert_safe(const struct sim *s)
{
    ck_assert_msg(!s->mon.violated, "violation: %s", s->mon.violation);
}

/* §7: "Each server takes snapshots independently, covering just the
 * committed entries in its log." — with snapshot_every 2, every node
 * snapshots once it has applied two entries past its last snapshot. */
START_TEST(test_each_server_snapshots_independently_committed_entries)
{
    struct sim *s = leader_with_abc(2, false);
    /* S1 applied a and b (a snapshot up to 2), then c alone; the followers
     * learned all three committed at once (a snapshot up to 3). */
    ck_assert_str_eq(fld(s, S1, "snapshot_index"), "2");
    ck_assert_str_eq(fld(s, S1, "log"), "[[1,\"c\"]]");
    for (int i = S2; i <= S3; i++) {
        ck_assert_str_eq(fld(s, i, "snapshot_index"), "3");
        ck_assert_str_eq(fld(s, i, "log"), "[]");
    }
    for (int i = S1; i <= S3; i++) {
        ck_assert_str_eq(fld(s, i, "snapshot_term"), "1");
        ck_assert_str_eq(fld(s, i, "log_length"), "3");
        ck_assert_str_eq(fld(s, i, "applied"), "[\"a\",\"b\",\"c\"]");
    }
    /* An entry not yet committed is never in a snapshot. */
    request(s, S1, "d");
    op(s, OP_SNAPSHOT, S1);
    ck_assert_str_eq(fld(s, S1, "snapshot_index"), "3");
    ck_assert_str_eq(fld(s, S1, "log"), "[[1,\"d\"]]");
    ck_assert_str_eq(fld(s, S1, "log_length"), "4");
    assert_safe(s);
    sim_free(s);
}
END_TEST

/* Figure 12: the snapshot "replaces the committed entries in indexes 1
 * through 5" and keeps the last included index and term — the entries it
 * covers leave the log, and `log` lists those after it. */
START_TEST(test_snapshot_replaces_entries_and_keeps_last_index_and_term)
{
    struct sim *s = leader_with_abc(0, false);
    ck_assert_str_eq(fld(s, S2, "snapshot_index"), "0");
    ck_assert_str_eq(fld(s, S2, "snapshot_term"), "0");
    op(s, OP_SNAPSHOT, S2);
    const struct raft *r = sim_node_const(s, S2);
    ck_assert_int_eq(raft_snapshot_index(r), 3);
    ck_assert_uint_eq(r->p.log.len, 0);
    ck_assert_ptr_null(raft_entry(r, 3));
    ck_assert_int_eq(raft_term_at(r, 3), 1);
    ck_assert_str_eq(raft_snapshot_cmd(r, 2), "b");
    ck_assert_str_eq(fld(s, S2, "log"), "[]");
    ck_assert_str_eq(fld(s, S2, "log_length"), "3");
    ck_assert_str_eq(fld(s, S2, "applied"), "[\"a\",\"b\",\"c\"]");
    /* Snapshotting again with nothing new applied changes nothing. */
    op(s, OP_SNAPSHOT, S2);
    ck_assert_int_eq(raft_snapshot_index(sim_node_const(s, S2)), 3);
    assert_safe(s);
    sim_free(s);
}
END_TEST

/* §7: "the leader must occasionally send snapshots to followers that lag
 * behind ... when the leader has already discarded the next log entry that
 * it needs to send to a follower"; the reply's match_index lets it go on. */
START_TEST(test_leader_sends_snapshot_to_follower_that_lags_behind)
{
    struct sim *s = leader_with_abc(0, true);
    op(s, OP_SNAPSHOT, S1);
    op(s, OP_RESTART, S3);
    op(s, OP_TIMEOUT, S1); /* heartbeat */
    ck_assert_ptr_null(pending(s, MSG_APPEND_ENTRIES, S3));
    const struct sim_msg *is = pending(s, MSG_INSTALL_SNAPSHOT, S3);
    ck_assert_ptr_nonnull(is);
    ck_assert_int_eq(is->m.u.is.term, 1);
    ck_assert_int_eq(is->m.u.is.last_included_index, 3);
    ck_assert_int_eq(is->m.u.is.last_included_term, 1);
    ck_assert_uint_eq(is->m.u.is.config, 7); /* every node */
    ck_assert_uint_eq(is->m.u.is.n_state, 3);
    ck_assert_str_eq(is->m.u.is.state[2], "c");
    deliver(s, MSG_INSTALL_SNAPSHOT, S3);
    ck_assert_str_eq(fld(s, S3, "snapshot_index"), "3");
    ck_assert_str_eq(fld(s, S3, "commit_index"), "3");
    ck_assert_str_eq(fld(s, S3, "last_applied"), "3");
    ck_assert_str_eq(fld(s, S3, "applied"), "[\"a\",\"b\",\"c\"]");
    const struct sim_msg *reply = pending(s, MSG_INSTALL_SNAPSHOT_REPLY, S1);
    ck_assert_ptr_nonnull(reply);
    ck_assert_int_eq(reply->m.u.isr.match_index, 3);
    ck_assert_int_eq(reply->m.u.isr.term, 1);
    deliver(s, MSG_INSTALL_SNAPSHOT_REPLY, S1);
    ck_assert_str_eq(fld(s, S1, "match_index"), "{\"S2\":3,\"S3\":3}");
    ck_assert_str_eq(fld(s, S1, "next_index"), "{\"S2\":4,\"S3\":4}");
    /* Replication goes on after the snapshot: prev_log_term at the
     * boundary is the snapshot's last included term. */
    request(s, S1, "d");
    const struct sim_msg *ae = pending(s, MSG_APPEND_ENTRIES, S3);
    ck_assert_ptr_nonnull(ae);
    ck_assert_int_eq(ae->m.u.ae.prev_log_index, 3);
    ck_assert_int_eq(ae->m.u.ae.prev_log_term, 1);
    settle(s);
    ck_assert_str_eq(fld(s, S3, "log"), "[[1,\"d\"]]");
    ck_assert_str_eq(fld(s, S1, "commit_index"), "4");
    assert_safe(s);
    sim_free(s);
}
END_TEST

/* A hand-made InstallSnapshot from S1 to S3. */
static struct msg snapshot_msg(int64_t term, int64_t index, int64_t last_term, const char **state)
{
    struct msg m;
    memset(&m, 0, sizeof m);
    m.type = MSG_INSTALL_SNAPSHOT;
    m.from = S1;
    m.to = S3;
    m.u.is.term = term;
    m.u.is.last_included_index = index;
    m.u.is.last_included_term = last_term;
    m.u.is.config = 7;
    m.u.is.state = state;
    m.u.is.n_state = (size_t)index;
    return m;
}

/* Figure 13, receiver 1: "Reply immediately if term < currentTerm". */
START_TEST(test_reply_immediately_if_term_below_current_term)
{
    struct sim *s = leader_with_abc(0, false);
    op(s, OP_TIMEOUT, S3); /* S3 moves to term 2 */
    drop_all(s);
    const char *state[] = {"x", "y", "z", "w"};
    struct msg m = snapshot_msg(1, 4, 1, state);
    inject(s, &m);
    deliver(s, MSG_INSTALL_SNAPSHOT, S3);
    ck_assert_str_eq(fld(s, S3, "snapshot_index"), "0");
    ck_assert_str_eq(fld(s, S3, "term"), "2");
    const struct sim_msg *reply = pending(s, MSG_INSTALL_SNAPSHOT_REPLY, S1);
    ck_assert_ptr_nonnull(reply);
    ck_assert_int_eq(reply->m.u.isr.term, 2);
    ck_assert_int_eq(reply->m.u.isr.match_index, 0);
    assert_safe(s);
    sim_free(s);
}
END_TEST

/* Figure 13: a snapshot no newer than the receiver's own tells it nothing
 * and is ignored; the reply still names its last index. */
START_TEST(test_snapshot_older_than_own_is_ignored)
{
    struct sim *s = leader_with_abc(0, false);
    op(s, OP_SNAPSHOT, S3);
    const char *state[] = {"a", "b"};
    struct msg m = snapshot_msg(1, 2, 1, state);
    inject(s, &m);
    deliver(s, MSG_INSTALL_SNAPSHOT, S3);
    ck_assert_str_eq(fld(s, S3, "snapshot_index"), "3");
    ck_assert_str_eq(fld(s, S3, "applied"), "[\"a\",\"b\",\"c\"]");
    const struct sim_msg *reply = pending(s, MSG_INSTALL_SNAPSHOT_REPLY, S1);
    ck_assert_ptr_nonnull(reply);
    ck_assert_int_eq(reply->m.u.isr.match_index, 2);
    assert_safe(s);
    sim_free(s);
}
END_TEST

/* Figure 13, receiver 6: "If existing log entry has same index and term as
 * snapshot's last included entry, retain log entries following it". */
START_TEST(test_entry_matching_last_included_keeps_entries_after_it)
{
    struct sim *s = leader_with_abc(0, false);
    request(s, S1, "d"); /* index 4, on S3 but not yet committed there */
    settle(s);
    ck_assert_str_eq(fld(s, S3, "log_length"), "4");
    ck_assert_str_eq(fld(s, S3, "commit_index"), "3");
    const char *state[] = {"a", "b"};
    struct msg m = snapshot_msg(1, 2, 1, state);
    inject(s, &m);
    deliver(s, MSG_INSTALL_SNAPSHOT, S3);
    ck_assert_str_eq(fld(s, S3, "snapshot_index"), "2");
    ck_assert_str_eq(fld(s, S3, "log"), "[[1,\"c\"],[1,\"d\"]]");
    ck_assert_str_eq(fld(s, S3, "log_length"), "4");
    /* The state machine had gone further: nothing is applied twice. */
    ck_assert_str_eq(fld(s, S3, "last_applied"), "3");
    ck_assert_str_eq(fld(s, S3, "applied"), "[\"a\",\"b\",\"c\"]");
    assert_safe(s);
    sim_free(s);
}
END_TEST

/* Figure 13, receivers 7 and 8: "Discard the entire log"; "Reset state
 * machine using snapshot contents". S3 holds an entry of term 1 at index
 * 2, the snapshot ends there with term 2: the whole log goes. */
START_TEST(test_otherwise_discard_entire_log_and_reset_state_machine)
{
    struct sim *s = cluster(0);
    op(s, OP_TIMEOUT, S1);
    settle(s);
    request(s, S1, "a");
    request(s, S1, "b");
    request(s, S1, "c");
    settle(s); /* on every log, committed on S1 only */
    op(s, OP_TIMEOUT, S2);
    deliver(s, MSG_REQUEST_VOTE, S3);
    drop_all(s); /* S2 and S3 now in term 2 */
    ck_assert_str_eq(fld(s, S3, "term"), "2");
    ck_assert_str_eq(fld(s, S3, "commit_index"), "0");
    const char *state[] = {"a", "x"};
    struct msg m = snapshot_msg(2, 2, 2, state);
    m.from = S2;
    inject(s, &m);
    deliver(s, MSG_INSTALL_SNAPSHOT, S3);
    ck_assert_str_eq(fld(s, S3, "snapshot_index"), "2");
    ck_assert_str_eq(fld(s, S3, "snapshot_term"), "2");
    ck_assert_str_eq(fld(s, S3, "log"), "[]");
    ck_assert_str_eq(fld(s, S3, "log_length"), "2");
    ck_assert_str_eq(fld(s, S3, "commit_index"), "2");
    ck_assert_str_eq(fld(s, S3, "applied"), "[\"a\",\"x\"]");
    ck_assert_str_eq(fld(s, S3, "leader_hint"), "\"S2\"");
    /* A forged snapshot whose state differs from what was committed at
     * index 2 breaks State Machine Safety, and the monitor says so. */
    ck_assert(s->mon.violated);
    sim_free(s);
}
END_TEST

/* A state that does not hold one command per covered index is refused. */
START_TEST(test_malformed_snapshot_is_refused)
{
    struct sim *s = leader_with_abc(0, false);
    const char *state[] = {"a"};
    struct msg m = snapshot_msg(1, 5, 1, state);
    m.u.is.n_state = 1;
    inject(s, &m);
    deliver(s, MSG_INSTALL_SNAPSHOT, S3);
    ck_assert_str_eq(fld(s, S3, "snapshot_index"), "0");
    ck_assert_str_eq(fld(s, S3, "log_length"), "3");
    assert_safe(s);
    sim_free(s);
}
END_TEST

/* §7: the snapshot is persistent; a restart restores the state machine from
 * it, with commit_index and last_applied at its last index, and applies
 * nothing it covers a second time. */
START_TEST(test_restart_restores_state_machine_from_snapshot)
{
    struct sim *s = leader_with_abc(0, false);
    request(s, S1, "d");
    settle(s);
    op(s, OP_TIMEOUT, S1);
    settle(s);
    op(s, OP_SNAPSHOT, S2); /* up to 4 */
    op(s, OP_CRASH, S2);
    op(s, OP_RESTART, S2);
    ck_assert_str_eq(fld(s, S2, "snapshot_index"), "4");
    ck_assert_str_eq(fld(s, S2, "commit_index"), "4");
    ck_assert_str_eq(fld(s, S2, "last_applied"), "4");
    ck_assert_str_eq(fld(s, S2, "log"), "[]");
    ck_assert_str_eq(fld(s, S2, "applied"), "[\"a\",\"b\",\"c\",\"d\"]");
    request(s, S1, "e");
    settle(s);
    op(s, OP_TIMEOUT, S1);
    settle(s);
    ck_assert_str_eq(fld(s, S2, "applied"), "[\"a\",\"b\",\"c\",\"d\",\"e\"]");
    assert_safe(s);
    sim_free(s);
}
END_TEST

/* §5.4.1 with §7: a node whose log is empty after a snapshot compares logs
 * by the snapshot's last included index and term. */
START_TEST(test_up_to_date_check_uses_snapshot_term_when_log_empty)
{
    struct sim *s = leader_with_abc(0, false);
    op(s, OP_SNAPSHOT, S2);
    drop_all(s);
    op(s, OP_TIMEOUT, S2);
    const struct sim_msg *rv = pending(s, MSG_REQUEST_VOTE, S3);
    ck_assert_ptr_nonnull(rv);
    ck_assert_int_eq(rv->m.u.rv.last_log_index, 3);
    ck_assert_int_eq(rv->m.u.rv.last_log_term, 1);
    settle(s);
    ck_assert_str_eq(fld(s, S2, "role"), "\"leader\"");
    ck_assert_str_eq(fld(s, S2, "term"), "2");
    assert_safe(s);
    sim_free(s);
}
END_TEST

/* §7: the last included index and term are "used for the AppendEntries
 * consistency check of the first log entry following the snapshot": a
 * prev_log_term that differs from the snapshot's last term is refused. */
START_TEST(test_consistency_check_at_snapshot_uses_last_included_term)
{
    struct sim *s = leader_with_abc(0, false);
    op(s, OP_SNAPSHOT, S3);
    struct msg m;
    memset(&m, 0, sizeof m);
    m.type = MSG_APPEND_ENTRIES;
    m.from = S1;
    m.to = S3;
    m.u.ae.term = 1;
    m.u.ae.prev_log_index = 3;
    m.u.ae.prev_log_term = 2;
    inject(s, &m);
    deliver(s, MSG_APPEND_ENTRIES, S3);
    const struct sim_msg *r = pending(s, MSG_APPEND_ENTRIES_REPLY, S1);
    ck_assert_ptr_nonnull(r);
    ck_assert(!r->m.u.aer.success);
    drop_all(s);
    m.u.ae.prev_log_term = 1;
    inject(s, &m);
    deliver(s, MSG_APPEND_ENTRIES, S3);
    r = pending(s, MSG_APPEND_ENTRIES_REPLY, S1);
    ck_assert_ptr_nonnull(r);
    ck_assert(r->m.u.aer.success);
    ck_assert_int_eq(r->m.u.aer.match_index, 3);
    assert_safe(s);
    sim_free(s);
}
END_TEST

static Suite *suite_snapshot(void)
{
    Suite *s = suite_create("raft_snapshot");
    TCase *tc = tcase_create("compaction");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_each_server_snapshots_independently_committed_entries);
    tcase_add_test(tc, test_snapshot_replaces_entries_and_keeps_last_index_and_term);
    tcase_add_test(tc, test_leader_sends_snapshot_to_follower_that_lags_behind);
    tcase_add_test(tc, test_reply_immediately_if_term_below_current_term);
    tcase_add_test(tc, test_snapshot_older_than_own_is_ignored);
    tcase_add_test(tc, test_entry_matching_last_included_keeps_entries_after_it);
    tcase_add_test(tc, test_otherwise_discard_entire_log_and_reset_state_machine);
    tcase_add_test(tc, test_malformed_snapshot_is_refused);
    tcase_add_test(tc, test_restart_restores_state_machine_from_snapshot);
    tcase_add_test(tc, test_up_to_date_check_uses_snapshot_term_when_log_empty);
    tcase_add_test(tc, test_consistency_check_at_snapshot_uses_last_included_term);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite_snapshot());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
