/* Tests of tutor/field_words.c: a {NODE.field} in a lesson's text reads
 * as words in the interface language, never as the engines' JSON. */
#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tutor/field_words.h"
#include "tutor/i18n.h"

static char said[512];

static const char *say(const char *field, const char *json)
{
    struct sbuf b;
    sbuf_init(&b);
    field_words(field, json, &b);
    snprintf(said, sizeof said, "%s", b.s);
    sbuf_free(&b);
    return said;
}

START_TEST(test_a_placeholder_never_shows_json_null_or_an_empty_object)
{
    ui_i18n_init("en");
    ck_assert_str_eq(say("promised", "null"), "none");
    ck_assert_str_eq(say("accepted", "{}"), "nothing accepted");
    ck_assert_str_eq(say("learned", "{}"), "nothing learned");
    ck_assert_str_eq(say("applied", "[]"), "nothing applied");
    ck_assert_str_eq(say("log", "[]"), "empty log");
    ck_assert_str_eq(say("votes", "[]"), "none");
    ck_assert_str_eq(say("next_index", "{}"), "none");
    ck_assert_str_eq(say("voted_for", "null"), "nobody");
    ck_assert_str_eq(say("up", "true"), "yes");
    ck_assert_str_eq(say("voting", "false"), "no");
}
END_TEST

START_TEST(test_an_acceptors_proposal_reads_as_its_value_and_ballot)
{
    ui_i18n_init("en");
    /* Basic Paxos has slot 1 only: the slot is not named. */
    ck_assert_str_eq(say("accepted", "{\"1\":[\"1.S1\",\"blue\"]}"), "blue (ballot 1.S1)");
    ck_assert_str_eq(say("accepted", "{\"1\":[\"1.S1\",\"a\"],\"3\":[\"2.S2\",\"b\"]}"),
                     "slot 1: a (ballot 1.S1), slot 3: b (ballot 2.S2)");
    ck_assert_str_eq(say("learned", "{\"2\":\"noop\"}"), "slot 2: noop");
    ck_assert_str_eq(say("accepted_ballot", "\"1.S1\""), "1.S1");
    ck_assert_str_eq(say("next_index", "{\"S2\":3,\"S3\":1}"), "S2: 3, S3: 1");
    ck_assert_str_eq(say("votes", "[\"S1\",\"S3\"]"), "S1, S3");
    ck_assert_str_eq(say("term", "4"), "4");
}
END_TEST

START_TEST(test_a_raft_log_reads_as_the_log_panel_writes_it)
{
    ui_i18n_init("en");
    ck_assert_str_eq(say("log", "[[1,\"x=1\"],[2,{\"config\":[\"S1\",\"S2\"]}]]"),
                     "1:x=1 2:config S1, S2");
    ck_assert_str_eq(say("log", "[[3,{\"config\":[\"S1\"],\"old\":[\"S1\",\"S2\"]}]]"),
                     "3:config S1, S2 > S1");
    ck_assert_str_eq(say("role", "\"leader\""), "leader");
}
END_TEST

START_TEST(test_the_words_are_chinese_in_a_chinese_session)
{
    ui_i18n_init("zh-CN");
    ck_assert_str_eq(say("promised", "null"), "\xe6\x97\xa0"); /* 无 */
    /* 尚未接受任何提案 */
    ck_assert_str_eq(say("accepted", "{}"), "\xe5\xb0\x9a\xe6\x9c\xaa\xe6\x8e\xa5\xe5\x8f\x97"
                                            "\xe4\xbb\xbb\xe4\xbd\x95\xe6\x8f\x90\xe6\xa1\x88");
    /* blue（提案编号 1.S1） */
    ck_assert_str_eq(say("accepted", "{\"1\":[\"1.S1\",\"blue\"]}"),
                     "blue\xef\xbc\x88\xe6\x8f\x90\xe6\xa1\x88\xe7\xbc\x96\xe5\x8f\xb7 "
                     "1.S1\xef\xbc\x89");
    /* S1、S3 */
    ck_assert_str_eq(say("votes", "[\"S1\",\"S3\"]"), "S1\xe3\x80\x81S3");
    /* 领导者 */
    ck_assert_str_eq(say("role", "\"leader\""), "\xe9\xa2\x86\xe5\xaf\xbc\xe8\x80\x85");
}
END_TEST

int main(void)
{
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        setlocale(LC_CTYPE, "en_US.UTF-8");
    Suite *s = suite_create("field_words");
    TCase *tc = tcase_create("field_words");
    tcase_add_test(tc, test_a_placeholder_never_shows_json_null_or_an_empty_object);
    tcase_add_test(tc, test_an_acceptors_proposal_reads_as_its_value_and_ballot);
    tcase_add_test(tc, test_a_raft_log_reads_as_the_log_panel_writes_it);
    tcase_add_test(tc, test_the_words_are_chinese_in_a_chinese_session);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
