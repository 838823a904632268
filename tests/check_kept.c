/* transcript_kept: the run as it ended, from the history's forks replayed
 * on recorded positions (tutor/transcript_kept.h), and the SVG well-formed
 * whatever the transcript's text. Tests are named after the rule. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tutor/transcript.h"
#include "tutor/transcript_kept.h"

/* A recorded transcript of n steps, built by hand: step k has the feed
 * lines stamped with the positions in pos[k] (0-terminated), ends at
 * position end[k], and forked the history at fork[k] (-1: no fork). */
struct spec {
    enum transcript_input_kind kind;
    uint64_t branch;
    uint64_t pos[4];
    uint64_t end;
    int64_t fork;
};

static struct transcript *build(const struct spec *sp, size_t n, uint64_t end_pos)
{
    struct transcript *t = calloc(1, sizeof *t);
    t->e = calloc(n, sizeof *t->e);
    t->n = t->cap = n;
    t->recorded = true;
    t->has_end = true;
    t->end.pos = end_pos;
    for (size_t k = 0; k < n; k++) {
        struct transcript_entry *e = &t->e[k];
        e->in = calloc(1, sizeof *e->in);
        e->in->kind = sp[k].kind;
        e->in->branch = sp[k].branch;
        e->n_in = 1;
        e->pos = sp[k].end;
        e->fork_pos = sp[k].fork;
        e->lines = calloc(4, sizeof *e->lines);
        for (size_t i = 0; i < 4 && sp[k].pos[i]; i++)
            e->lines[e->n_lines++].pos = sp[k].pos[i];
    }
    return t;
}

static void drop(struct transcript *t)
{
    for (size_t k = 0; k < t->n; k++) {
        free(t->e[k].in);
        free(t->e[k].lines);
    }
    free(t->e);
    free(t);
}

/* Builds the verdict and checks it step by step against want: K kept,
 * A abandoned, M a move. The caller frees it. */
static struct transcript_kept where(const struct transcript *t, const char *want)
{
    struct transcript_kept k;
    transcript_kept_build(t, &k);
    ck_assert_uint_eq(k.n, strlen(want));
    for (size_t i = 0; want[i]; i++) {
        enum tk_where w = want[i] == 'K' ? TK_KEPT : want[i] == 'A' ? TK_ABANDONED : TK_MOVE;
        ck_assert_msg(k.entry[i] == w, "step %zu: %d, expected %c", i + 1, k.entry[i], want[i]);
    }
    return k;
}

/* "acting in the past opens a new branch and keeps the future it leaves
 * as a branch one can switch back to" (tutor/history.h) */
START_TEST(test_acting_in_the_past_leaves_the_future_behind)
{
    const struct spec sp[] = {
        {TI_ACTION, 0, {1, 2}, 2, -1}, /* 1: positions 1 and 2 */
        {TI_ACTION, 0, {3}, 3, -1},    /* 2: position 3 */
        {TI_SEEK, 0, {0}, 1, -1},      /* 3: back to 1 */
        {TI_ACTION, 0, {2}, 2, 1},     /* 4: acts at 1: a fork */
        {TI_CHOICE, 0, {0}, 2, -1},    /* 5: an answer, no operation */
    };
    struct transcript *t = build(sp, 5, 2);
    struct transcript_kept k = where(t, "KAMKK");
    ck_assert(transcript_kept_line(&k, 0, 0));
    ck_assert(!transcript_kept_line(&k, 0, 1)); /* position 2 of the old line */
    ck_assert_uint_eq(k.n_kept, 3);
    ck_assert_uint_eq(k.n_abandoned, 1);
    ck_assert_uint_eq(k.n_moves, 1);
    transcript_kept_free(&k);
    drop(t);
}
END_TEST

/* "history_switch: Makes branch i the current line and moves to its end;
 * the line it leaves (from the branch's fork point on) becomes a branch in
 * turn" (tutor/history.h) */
START_TEST(test_switching_back_to_a_branch_makes_it_the_run)
{
    const struct spec sp[] = {
        {TI_ACTION, 0, {1, 2}, 2, -1}, {TI_ACTION, 0, {3}, 3, -1},
        {TI_SEEK, 0, {0}, 1, -1},      {TI_ACTION, 0, {2}, 2, 1}, /* the old 2..3 become branch 0 */
        {TI_BRANCH, 0, {0}, 3, 1}, /* back to it; 4's line becomes branch 0 */
    };
    struct transcript *t = build(sp, 5, 3);
    struct transcript_kept k = where(t, "KKMAM");
    ck_assert(transcript_kept_line(&k, 0, 1));
    transcript_kept_free(&k);
    drop(t);
}
END_TEST

/* "A continue or an answer during a learner's detour brings the cluster
 * back to the script's point first" (docs/transcript-format.md): what lies
 * past the position the run ended at did not lead to it. */
START_TEST(test_a_detour_returned_from_is_not_the_run)
{
    const struct spec sp[] = {
        {TI_ACTION, 0, {1}, 1, -1},   /* the detour */
        {TI_CONTINUE, 0, {0}, 0, -1}, /* back to the script's point, 0 */
    };
    struct transcript *t = build(sp, 2, 0);
    struct transcript_kept k = where(t, "AK");
    transcript_kept_free(&k);
    drop(t);
}
END_TEST

/* A transcript read from JSON has no positions: its marks stand. */
START_TEST(test_a_read_transcript_keeps_its_marks)
{
    const struct spec sp[] = {{TI_ACTION, 0, {1}, 1, -1}, {TI_ACTION, 0, {2}, 2, -1}};
    struct transcript *t = build(sp, 2, 2);
    t->recorded = false;
    t->e[0].abandoned = true;
    struct transcript_kept k = where(t, "AK");
    transcript_kept_free(&k);
    drop(t);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("kept");
    TCase *tc = tcase_create("branches");
    tcase_add_test(tc, test_acting_in_the_past_leaves_the_future_behind);
    tcase_add_test(tc, test_switching_back_to_a_branch_makes_it_the_run);
    tcase_add_test(tc, test_a_detour_returned_from_is_not_the_run);
    tcase_add_test(tc, test_a_read_transcript_keeps_its_marks);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
