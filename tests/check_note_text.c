/* Tests of notes as data (protocols/note.h, tutor/note_text.c): a note is
 * an id and its arguments, and its words come from the template of its id
 * at the moment it is shown (design.md, "Notes are data"). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocols/msg.h"
#include "protocols/proto.h"
#include "tutor/note_text.h"

static const char *const names[] = {"S1", "S2", "S3"};

static const char *render(const struct proto_note *n, struct sbuf *b)
{
    sbuf_reset(b);
    note_render(n, names, 3, b);
    return b->s;
}

START_TEST(test_note_arguments_fill_the_template_in_order)
{
    struct sbuf b;
    sbuf_init(&b);
    struct proto_note n = {
        .id = NOTE_SIM_LOST_UNREACHABLE,
        .n_args = 4,
        .args = {note_int(7), note_str("Prepare S1\xe2\x86\x92S3"), note_node(0), note_node(2)}};
    ck_assert_str_eq(render(&n, &b), "#7 Prepare S1\xe2\x86\x92S3 lost: S1 cannot reach S3");
    sbuf_free(&b);
}
END_TEST

START_TEST(test_note_arguments_render_by_kind)
{
    struct sbuf b;
    sbuf_init(&b);
    struct ballot b3 = {3, 1}, none = {0, 0};
    struct proto_note n = {
        .id = NOTE_SIM_APPLIES,
        .n_args = 3,
        .args = {note_nodeset((1u << 0) | (1u << 2)), note_int(-2), note_ballot(b3)}};
    ck_assert_str_eq(render(&n, &b), "S1, S3 applies -2: 3.S2");
    n.args[2] = note_ballot(none);
    n.args[0] = note_node(9); /* no such node: shown, never read past the names */
    ck_assert_str_eq(render(&n, &b), "? applies -2: null");
    n.args[2] = note_msgtype(MSG_APPEND_ENTRIES);
    ck_assert_str_eq(render(&n, &b), "? applies -2: AppendEntries");
    sbuf_free(&b);
}
END_TEST

START_TEST(test_note_missing_arguments_and_unknown_ids_never_crash)
{
    struct sbuf b;
    sbuf_init(&b);
    struct proto_note n = {.id = NOTE_SIM_APPLIES, .n_args = 1, .args = {note_node(1)}};
    ck_assert_str_eq(render(&n, &b), "S2 applies : ");
    n.id = NOTE_TUTOR_END + 5;
    char unknown[32];
    snprintf(unknown, sizeof unknown, "(note %d)", NOTE_TUTOR_END + 5);
    ck_assert_str_eq(render(&n, &b), unknown);
    n.id = NOTE_SIM_APPLIES;
    n.args[0] = note_phrase(NOTE_SIM_NOTHING_SCHEDULED); /* a phrase renders in place */
    n.n_args = 1;
    ck_assert_str_eq(render(&n, &b),
                     "nothing is scheduled: no message in flight and no timer set applies : ");
    /* A phrase that names itself stops at the depth guard. */
    n.args[0] = note_phrase(NOTE_SIM_ALREADY_UP);
    ck_assert_ptr_nonnull(strstr(render(&n, &b), "applies"));
    sbuf_free(&b);
}
END_TEST

/* Every id has a template whose placeholders name arguments a note can
 * carry, and a stable name that reads back to the same id (transcripts
 * store the name). */
static void check_id(int id)
{
    const char *t = note_template(id);
    ck_assert_msg(t != NULL, "note %d has no template", id);
    for (const char *p = strchr(t, '{'); p; p = strchr(p + 1, '{'))
        if (p[1] >= '0' && p[1] <= '9')
            ck_assert_msg(p[1] >= '1' && p[1] - '0' <= NOTE_MAX_ARGS && p[2] == '}',
                          "note %s: bad placeholder in \"%s\"", note_id_name(id), t);
    const char *name = note_id_name(id);
    ck_assert_ptr_nonnull(name);
    ck_assert_int_eq(note_id_parse(name), id);
}

START_TEST(test_note_every_id_has_a_template_and_a_name)
{
    for (int id = NOTE_NONE + 1; id < NOTE_ENGINE_COUNT; id++)
        check_id(id);
    for (int id = NOTE_TUTOR_FIRST + 1; id < NOTE_TUTOR_END; id++)
        check_id(id);
    ck_assert_int_eq(note_id_parse("NO_SUCH_NOTE"), NOTE_NONE);
    ck_assert(!note_id_valid(NOTE_NONE));
    ck_assert(!note_id_valid(NOTE_TUTOR_END));
}
END_TEST

/* An action inside "do: {1}" is a phrase whose arguments start after the
 * first aux (the feed keeps the action as data, not its words), and a
 * message argument renders as the message's lesson-format line. */
START_TEST(test_note_phrase_from_aux_and_message_arguments)
{
    struct sbuf b;
    sbuf_init(&b);
    struct note_arg crash = note_phrase(NOTE_ACTION_CRASH);
    crash.aux = 1;
    struct proto_note n = {.id = NOTE_RUNNER_DO, .n_args = 2, .args = {crash, note_node(2)}};
    ck_assert_str_eq(render(&n, &b), "do: crash S3");
    n.args[0].v.i = NOTE_ACTION_RESTART;
    ck_assert_str_eq(render(&n, &b), "do: restart S3");
    n.args[0].aux = 5; /* past the arguments: none for the phrase, never itself */
    ck_assert_str_eq(render(&n, &b), "do: restart ");
    struct msg m = {.type = MSG_REQUEST_VOTE_REPLY, .from = 1, .to = 0};
    m.u.rvr.term = 4;
    m.u.rvr.granted = true;
    n = (struct proto_note){
        .id = NOTE_SIM_DELIVERED, .n_args = 2, .args = {note_int(12), note_msg(&m)}};
    ck_assert_str_eq(render(&n, &b),
                     "#12 RequestVoteReply S2\xe2\x86\x92S1 term=4 granted=true delivered");
    sbuf_free(&b);
}
END_TEST

/* A safety violation names each log entry in words (tutor/notes_tutor.def,
 * as tutor/monitor_raft.c passes them): a command quoted, a configuration
 * entry by the servers of the configuration it changes to — whichever
 * side of a conflict it is on. */
START_TEST(test_note_a_violation_names_commands_and_configuration_entries_in_words)
{
    struct sbuf b;
    sbuf_init(&b);
    struct note_arg cmd = note_phrase(NOTE_MONITOR_ENTRY_COMMAND), cfg = cmd;
    cfg.v.i = NOTE_MONITOR_ENTRY_CONFIG;
    cmd.aux = cfg.aux = 6;
    struct proto_note n = {.id = NOTE_MONITOR_COMMIT_CONFLICT,
                           .n_args = 7,
                           .args = {note_node(2), cfg, note_int(3), note_int(4), note_str("x=1"),
                                    note_int(2), note_nodeset(0x3)}};
    ck_assert_str_eq(render(&n, &b), "S3 commits the configuration change to {S1, S2} (term 3) "
                                     "at index 4 where \"x=1\" (term 2) was committed");
    n.id = NOTE_MONITOR_COMMIT_CONFLICT_CONFIG;
    n.args[1] = cmd;
    n.args[4] = note_nodeset(0x7);
    n.args[6] = note_str("y=2");
    ck_assert_str_eq(render(&n, &b), "S3 commits \"y=2\" (term 3) at index 4 where the "
                                     "configuration change to {S1, S2, S3} (term 2) was committed");
    sbuf_free(&b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("note_text");
    TCase *tc = tcase_create("note_text");
    tcase_add_test(tc, test_note_arguments_fill_the_template_in_order);
    tcase_add_test(tc, test_note_arguments_render_by_kind);
    tcase_add_test(tc, test_note_missing_arguments_and_unknown_ids_never_crash);
    tcase_add_test(tc, test_note_every_id_has_a_template_and_a_name);
    tcase_add_test(tc, test_note_phrase_from_aux_and_message_arguments);
    tcase_add_test(tc, test_note_a_violation_names_commands_and_configuration_entries_in_words);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
