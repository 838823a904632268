/* Tests of saved progress (tutor/progress.c) and of resuming by replaying
 * the learner's inputs (tutor/session/flow.c): a write/read round trip, atomic writes
 * that leave no temp file, a damaged or foreign file refused with a
 * message (never a crash), a read-only folder reported, and a replayed run
 * equal to the original. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tutor/progress.h"
#include "tutor/runner.h"
#include "tutor/session/flow.h"
#include "tutor/session/progress_session.h"

static char dir[256];

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s/progress-test.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            char p[600];
            if (e->d_name[0] == '.' && (!e->d_name[1] || e->d_name[1] == '.'))
                continue;
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            chmod(p, 0700);
            unlink(p);
            rmdir(p);
        }
        closedir(d);
    }
    chmod(dir, 0700);
    rmdir(dir);
}

static int count_files(const char *d)
{
    DIR *dp = opendir(d);
    ck_assert_ptr_nonnull(dp);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dp)))
        if (e->d_name[0] != '.') /* the folder's own .lock aside */
            n++;
    closedir(dp);
    return n;
}

static void sample(struct progress *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->id, sizeof p->id, "raft-election");
    snprintf(p->lang, sizeof p->lang, "en");
    snprintf(p->sha256, sizeof p->sha256, "%064d", 7);
    p->step = 6;
    p->n_steps = 21;
    p->score = 2;
    p->total = 5;
    p->inputs = strdup("{\"kind\":\"continue\"}\n{\"kind\":\"choice\",\"choice\":1}\n"
                       "{\"kind\":\"value\",\"text\":\"S1 \\\"quoted\\\"\"}\n"
                       "{\"kind\":\"do\",\"action\":{\"do\":\"request\",\"node\":\"S2\","
                       "\"command\":\"x=1\"}}\n");
    p->n_inputs = 4;
}

START_TEST(test_progress_round_trip)
{
    struct progress p, q;
    sample(&p);
    struct sbuf err;
    sbuf_init(&err);
    ck_assert_int_eq(progress_save(dir, &p, true, &err), 0);
    /* Atomic: only the final file is left, no temp file beside it. */
    ck_assert_int_eq(count_files(dir), 1);
    ck_assert_int_eq(progress_load(dir, "raft-election", "en", &q, &err), 0);
    ck_assert_str_eq(q.id, p.id);
    ck_assert_str_eq(q.sha256, p.sha256);
    ck_assert_uint_eq(q.step, 6);
    ck_assert_uint_eq(q.n_steps, 21);
    ck_assert_int_eq(q.score, 2);
    ck_assert_int_eq(q.total, 5);
    ck_assert(!q.done);
    ck_assert_uint_eq(q.n_inputs, 4);
    ck_assert_str_eq(q.inputs, p.inputs);
    /* Saving again replaces the file whole. */
    p.done = true;
    ck_assert_int_eq(progress_save(dir, &p, true, &err), 0);
    ck_assert_int_eq(count_files(dir), 1);
    progress_free(&q);
    ck_assert_int_eq(progress_load(dir, "raft-election", "en", &q, &err), 0);
    ck_assert(q.done);
    progress_free(&q);
    /* None saved: 1, not an error. */
    ck_assert_int_eq(progress_load(dir, "raft-other", "en", &q, &err), 1);
    ck_assert_uint_eq(err.len, 0);
    progress_free(&p);
    sbuf_free(&err);
}
END_TEST

static void write_file(const char *name, const char *text)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

START_TEST(test_progress_damaged_file_ignored)
{
    static const char *const bad[] = {
        "{\"format\": 1, \"lesson\": \"raft-x\", \"sha256\": \"\", \"step\": 1",
        "",
        "[1, 2, 3]",
        "{\"format\": 2, \"lesson\": \"raft-x\"}",
        /* Format 1 held the private line encoding: no longer read. */
        "{\"format\": 1, \"lesson\": \"raft-x\", \"sha256\": \"\", \"step\": 1, \"n_steps\": 3,"
        " \"score\": 0, \"max_score\": 0, \"done\": false, \"inputs\": [\"a 7 100 1\"]}",
        /* An input that is not an object, and another lesson's or language's file. */
        "{\"format\": 2, \"lesson\": \"raft-x\", \"lang\": \"en\", \"sha256\": \"\", \"step\": 1,"
        " \"n_steps\": 3, \"score\": 0, \"max_score\": 0, \"best_score\": 0, \"done\": false,"
        " \"inputs\": [\"g\"]}",
        "{\"format\": 2, \"lesson\": \"raft-x\", \"lang\": \"zh-CN\", \"sha256\": \"\", \"step\": "
        "1,"
        " \"n_steps\": 3, \"score\": 0, \"max_score\": 0, \"best_score\": 0, \"done\": false,"
        " \"inputs\": []}",
        "{\"format\": 1, \"lesson\": \"raft-x\", \"sha256\": \"\", \"step\": -1, \"n_steps\": 3,"
        " \"score\": 0, \"max_score\": 0, \"done\": false, \"inputs\": []}",
        "{\"format\": 1, \"lesson\": \"raft-x\", \"sha256\": \"\", \"step\": 1, \"n_steps\": 3,"
        " \"score\": 0, \"max_score\": 0, \"done\": false, \"inputs\": [1]}",
        "{\"format\": 1, \"lesson\": \"raft-y\", \"sha256\": \"\", \"step\": 1, \"n_steps\": 3,"
        " \"score\": 0, \"max_score\": 0, \"done\": false, \"inputs\": []}",
        "\x01\x02\xff garbage",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_file("raft-x.en.json", bad[i]);
        struct progress p;
        struct sbuf err;
        sbuf_init(&err);
        ck_assert_int_eq(progress_load(dir, "raft-x", "en", &p, &err), -1);
        ck_assert_msg(err.len > 0, "case %zu: no message", i);
        ck_assert_ptr_null(p.inputs);
        ck_assert_uint_eq(p.n_inputs, 0);
        progress_free(&p);
        sbuf_free(&err);
    }
}
END_TEST

START_TEST(test_progress_read_only_folder)
{
    if (geteuid() == 0)
        return; /* root writes anywhere: nothing to test */
    ck_assert_int_eq(chmod(dir, 0500), 0);
    struct progress p;
    sample(&p);
    struct sbuf err;
    sbuf_init(&err);
    ck_assert_int_eq(progress_save(dir, &p, true, &err), -1);
    ck_assert(err.len > 0);
    chmod(dir, 0700);
    ck_assert_int_eq(count_files(dir), 0);
    progress_free(&p);
    sbuf_free(&err);
}
END_TEST

START_TEST(test_progress_unwritable_parent)
{
    /* A folder that cannot be created (a file is in the way). */
    write_file("blocker", "x");
    char sub[700];
    snprintf(sub, sizeof sub, "%s/blocker/consensus-tutor", dir);
    struct progress p;
    sample(&p);
    struct sbuf err;
    sbuf_init(&err);
    ck_assert_int_eq(progress_save(sub, &p, true, &err), -1);
    ck_assert(err.len > 0);
    progress_free(&p);
    sbuf_free(&err);
}
END_TEST

START_TEST(test_progress_dir_from_environment)
{
    char out[512];
    setenv("XDG_STATE_HOME", "/x/state", 1);
    ck_assert_int_eq(progress_dir(out, sizeof out), 0);
    ck_assert_str_eq(out, "/x/state/consensus-tutor");
    setenv("XDG_STATE_HOME", "relative", 1);
    setenv("HOME", "/home/l", 1);
    ck_assert_int_eq(progress_dir(out, sizeof out), 0);
    ck_assert_str_eq(out, "/home/l/.local/state/consensus-tutor");
    unsetenv("XDG_STATE_HOME");
}
END_TEST

/* Progress is keyed by lesson id and language: the English and Chinese
 * editions never overwrite each other's work. */
START_TEST(test_progress_keyed_by_lesson_and_language)
{
    struct progress p, q;
    sample(&p);
    struct sbuf err;
    sbuf_init(&err);
    ck_assert_int_eq(progress_save(dir, &p, true, &err), 0);
    snprintf(p.lang, sizeof p.lang, "zh-CN");
    p.step = 2;
    ck_assert_int_eq(progress_save(dir, &p, true, &err), 0);
    ck_assert_int_eq(count_files(dir), 2);
    ck_assert_int_eq(progress_load(dir, "raft-election", "en", &q, &err), 0);
    ck_assert_uint_eq(q.step, 6);
    progress_free(&q);
    ck_assert_int_eq(progress_load(dir, "raft-election", "zh-CN", &q, &err), 0);
    ck_assert_uint_eq(q.step, 2);
    ck_assert_str_eq(q.lang, "zh-CN");
    progress_free(&q);
    progress_free(&p);
    sbuf_free(&err);
}
END_TEST

/* A file written when the score was out of the whole lesson (max_score,
 * no total) still resumes: its max_score stands for both totals. */
START_TEST(test_progress_before_the_score_of_what_was_tried_still_reads)
{
    write_file("raft-old.en.json",
               "{\"format\": 2, \"lesson\": \"raft-old\", \"lang\": \"en\", \"sha256\": \"\","
               " \"step\": 1, \"n_steps\": 3, \"score\": 1, \"max_score\": 4, \"best_score\": 1,"
               " \"done\": false, \"inputs\": []}");
    struct progress q;
    struct sbuf err;
    sbuf_init(&err);
    ck_assert_int_eq(progress_load(dir, "raft-old", "en", &q, &err), 0);
    ck_assert_int_eq(q.score, 1);
    ck_assert_int_eq(q.total, 4);
    ck_assert_int_eq(q.best_total, 4);
    progress_free(&q);
    sbuf_free(&err);
}
END_TEST

/* "done" and the best score are never lowered by a later, shorter
 * attempt; the attempt itself (step, score, inputs) is the latest. */
START_TEST(test_progress_never_lowers_done_or_best_score)
{
    struct progress p, q;
    sample(&p);
    struct sbuf err;
    sbuf_init(&err);
    p.done = true;
    p.score = p.best_score = 4;
    p.total = p.best_total = 5;
    p.step = 21;
    ck_assert_int_eq(progress_save(dir, &p, true, &err), 0);
    p.done = false;
    p.score = p.best_score = 0;
    p.total = 1;
    p.best_total = 0;
    p.step = 3;
    ck_assert_int_eq(progress_save(dir, &p, true, &err), 0);
    ck_assert_int_eq(progress_load(dir, "raft-election", "en", &q, &err), 0);
    ck_assert(q.done);
    ck_assert_int_eq(q.best_score, 4);
    ck_assert_int_eq(q.best_total, 5); /* the best keeps the total it was of */
    ck_assert_uint_eq(q.step, 3);
    ck_assert_int_eq(q.score, 0);
    ck_assert_int_eq(q.total, 1);
    progress_free(&q);
    progress_free(&p);
    sbuf_free(&err);
}
END_TEST

/* A second window on one lesson cannot claim it, and its saves merge only
 * the record: the first window's attempt stays whole. */
START_TEST(test_progress_second_window_never_overwrites_the_first)
{
    int a, b;
    ck_assert_int_eq(progress_claim(dir, "raft-election", "en", &a), 0);
    ck_assert_int_eq(progress_claim(dir, "raft-election", "en", &b), 1);
    ck_assert_int_eq(b, -1);
    struct progress p, q;
    sample(&p);
    struct sbuf err;
    sbuf_init(&err);
    ck_assert_int_eq(progress_save(dir, &p, true, &err), 0);
    struct progress other;
    sample(&other);
    other.step = 20;
    other.done = true;
    other.best_score = 5;
    free(other.inputs);
    other.inputs = strdup("{\"kind\":\"continue\"}\n");
    other.n_inputs = 1;
    ck_assert_int_eq(progress_save(dir, &other, false, &err), 0);
    ck_assert_int_eq(progress_load(dir, "raft-election", "en", &q, &err), 0);
    ck_assert_uint_eq(q.step, 6);
    ck_assert_uint_eq(q.n_inputs, 4);
    ck_assert_str_eq(q.inputs, p.inputs);
    ck_assert(q.done);
    ck_assert_int_eq(q.best_score, 5);
    progress_free(&q);
    progress_release(a);
    /* Released: the lesson can be claimed again. */
    ck_assert_int_eq(progress_claim(dir, "raft-election", "en", &b), 0);
    progress_release(b);
    progress_free(&other);
    progress_free(&p);
    sbuf_free(&err);
}
END_TEST

/* A damaged file is kept beside the new one, as .bad. */
START_TEST(test_progress_damaged_file_kept_as_bad)
{
    write_file("raft-x.en.json", "{\"format\": 2, \"lesson\"");
    char bad[4400];
    ck_assert_int_eq(progress_keep_bad(dir, "raft-x", "en", bad, sizeof bad), 0);
    ck_assert_ptr_nonnull(strstr(bad, "raft-x.en.json.bad"));
    struct stat st;
    ck_assert_int_eq(stat(bad, &st), 0);
    struct progress p;
    struct sbuf err;
    sbuf_init(&err);
    ck_assert_int_eq(progress_load(dir, "raft-x", "en", &p, &err), 1);
    progress_free(&p);
    sbuf_free(&err);
}
END_TEST

static struct lesson *load_lesson(const char *rel)
{
    const char *top = getenv("top_srcdir");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", top ? top : ".", rel);
    struct lesson *l = NULL;
    struct lesson_errors errs;
    lesson_errors_init(&errs);
    int rc = lesson_load(path, &l, &errs);
    ck_assert_msg(rc == 0, "%s refused", path);
    lesson_errors_free(&errs);
    return l;
}

/* A learner's session, replayed on a fresh runner, ends in the same state. */
START_TEST(test_progress_replay_rebuilds_the_run)
{
    struct lesson *l = load_lesson("tests/scenarios/raft-figure8.json");
    struct runner *r = runner_new(l);
    struct flow f;
    flow_init(&f, r);
    struct sbuf why;
    sbuf_init(&why);
    struct action a;
    flow_continue(&f, &why); /* crash S5 */
    flow_continue(&f, &why);
    flow_simple_action(&a, ACT_STEP, -1, NULL);
    flow_action(&f, &a, &why);
    flow_simple_action(&a, ACT_REQUEST, 0, "x=1");
    flow_action(&f, &a, &why);
    flow_seek(&f, 1);
    flow_continue(&f, &why);
    ck_assert_uint_gt(f.n_inputs, 4);

    struct runner *r2 = runner_new(l);
    struct flow g;
    flow_init(&g, r2);
    ck_assert_uint_eq(flow_replay(&g, f.inputs.s), f.n_inputs);
    ck_assert_uint_eq(r2->step, r->step);
    ck_assert_uint_eq(r2->h->pos, r->h->pos);
    ck_assert_uint_eq(r2->h->n_ops, r->h->n_ops);
    ck_assert_int_eq(runner_sim(r2)->now, runner_sim(r)->now);
    ck_assert_int_eq(g.state, f.state);
    ck_assert_str_eq(g.inputs.s, f.inputs.s);
    flow_free(&g);
    runner_free(r2);
    flow_free(&f);
    runner_free(r);
    sbuf_free(&why);
    lesson_free(l);
}
END_TEST

/* Starting over is asked once more, naming the step the saved attempt
 * reached (n is also the step key: a stray n must not cost it). */
START_TEST(test_starting_over_asks_again_naming_the_saved_step)
{
    struct progress p;
    sample(&p); /* at steps[6] of 21 */
    char q[256];
    progress_session_restart_question(&p, q, sizeof q);
    ck_assert_str_eq(q, "Start over? The saved progress (step 7/21) will be replaced.");
    progress_free(&p);
}
END_TEST

/* A second session on a lesson open elsewhere is told so (the notice the
 * UI and the plain mode show) and offered nothing to resume: it saves
 * only the record. */
START_TEST(test_a_second_session_on_an_open_lesson_is_told_and_not_offered_to_resume)
{
    setenv("XDG_STATE_HOME", dir, 1);
    struct lesson *l = load_lesson("tests/scenarios/raft-figure8.json");
    struct runner *r1 = runner_new(l), *r2 = runner_new(l);
    struct flow f1, f2;
    flow_init(&f1, r1);
    flow_init(&f2, r2);
    struct progress_session s1, s2;
    struct progress_found found;
    progress_session_open(&s1, &f1, true, &found);
    ck_assert_ptr_null(found.other);
    progress_found_free(&found);
    progress_session_open(&s2, &f2, true, &found);
    ck_assert_ptr_nonnull(found.other);
    ck_assert_str_eq(found.other, "this lesson is open in another window: only finishing it is "
                                  "recorded here");
    ck_assert(!found.resumable);
    progress_found_free(&found);
    progress_session_close(&s2);
    progress_session_close(&s1);
    flow_free(&f2);
    flow_free(&f1);
    runner_free(r2);
    runner_free(r1);
    lesson_free(l);
}
END_TEST

/* A saved input that names a node that does not exist, a message kind
 * that is not one, a count over the limits, or text with a newline where
 * none may be, is refused with its path, and nothing runs. */
START_TEST(test_saved_inputs_refused_with_their_path_before_anything_runs)
{
    struct lesson *l = load_lesson("tests/scenarios/raft-figure8.json");
    static const struct {
        const char *inputs, *path;
    } bad[] = {
        {"{\"kind\":\"continue\"}\n{\"kind\":\"do\",\"action\":{\"do\":\"crash\",\"node\":\"S99\"}}"
         "\n",
         "inputs[1].action"},
        {"{\"kind\":\"do\",\"action\":{\"do\":\"deliver\",\"match\":{\"type\":\"Bogus\"}}}\n",
         "inputs[0].action"},
        {"{\"kind\":\"do\",\"action\":{\"do\":\"step\",\"count\":100000000000}}\n",
         "inputs[0].action"},
        {"{\"kind\":\"do\",\"action\":{\"do\":\"request\",\"node\":\"S1\",\"command\":\"a\\nb\"}}"
         "\n",
         "inputs[0].action"},
        {"{\"kind\":\"value\",\"text\":\"a\\nb\"}\n", "inputs[0]"},
        {"{\"kind\":\"message\",\"do\":\"crash\",\"id\":3}\n", "inputs[0]"},
        {"{\"kind\":\"teleport\"}\n", "inputs[0]"},
        {"{\"kind\":\"script\"}\n", "inputs[0]"},
        {"a 7 100 1 0,0,0,0,0,0,0,0,0\n", "inputs[0]"},
        {"{\"kind\":\"choice\",\"choice\":-5}\n", "inputs[0]"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct sbuf err;
        sbuf_init(&err);
        ck_assert_msg(flow_inputs_check(l, bad[i].inputs, &err) == -1, "case %zu accepted", i);
        ck_assert_msg(!strncmp(err.s, bad[i].path, strlen(bad[i].path)), "case %zu: \"%s\"", i,
                      err.s);
        sbuf_free(&err);
    }
    /* What the flow writes is accepted. */
    struct runner *r = runner_new(l);
    struct flow f;
    flow_init(&f, r);
    struct sbuf why;
    sbuf_init(&why);
    flow_continue(&f, &why);
    struct action a;
    flow_simple_action(&a, ACT_CRASH, 1, NULL);
    flow_action(&f, &a, &why);
    ck_assert_int_eq(flow_inputs_check(l, f.inputs.s, &why), 0);
    ck_assert_ptr_nonnull(strstr(f.inputs.s, "{\"kind\": \"do\", \"action\": {\"do\": \"crash\""));
    flow_free(&f);
    runner_free(r);
    sbuf_free(&why);
    lesson_free(l);
}
END_TEST

/* Every damaged or crafted progress file of tests/hostile/progress is
 * refused by the load or by the input check that runs before a resume —
 * the same two calls ui_progress_open makes — and nothing is replayed. */
START_TEST(test_hostile_progress_files_refused_before_resume)
{
    struct lesson *l = load_lesson("tests/scenarios/raft-figure8.json");
    const char *top = getenv("top_srcdir");
    char corpus[1024];
    snprintf(corpus, sizeof corpus, "%s/tests/hostile/progress", top ? top : ".");
    DIR *d = opendir(corpus);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strstr(e->d_name, ".json"))
            continue;
        char from[1400], text[65536];
        snprintf(from, sizeof from, "%s/%s", corpus, e->d_name);
        FILE *fp = fopen(from, "rb");
        ck_assert_ptr_nonnull(fp);
        size_t len = fread(text, 1, sizeof text - 1, fp);
        fclose(fp);
        text[len] = 0;
        write_file("scenario-raft-figure-8.en.json", text);
        struct progress p;
        struct sbuf err;
        sbuf_init(&err);
        int rc = progress_load(dir, "scenario-raft-figure-8", "en", &p, &err);
        if (rc == 0)
            rc = flow_inputs_check(l, p.inputs, &err);
        ck_assert_msg(rc == -1, "%s: accepted", e->d_name);
        ck_assert_msg(err.len > 0, "%s: no message", e->d_name);
        progress_free(&p);
        sbuf_free(&err);
        n++;
    }
    closedir(d);
    ck_assert_int_ge(n, 10);
    lesson_free(l);
}
END_TEST

/* An inject, then back over it and forward again, then the whole log
 * replayed: the injected message belongs to the lesson's arena and the
 * history, never to a stack frame (the sanitizer build runs this). */
START_TEST(test_inject_then_back_and_forward_replays_exactly)
{
    struct lesson *l = load_lesson("tests/scenarios/raft-figure8.json");
    struct runner *r = runner_new(l);
    struct flow f;
    flow_init(&f, r);
    struct sbuf why;
    sbuf_init(&why);
    flow_continue(&f, &why);
    flow_continue(&f, &why);
    {
        char json[] = "{\"do\": \"inject\", \"message\": {\"type\": \"AppendEntries\", \"from\": "
                      "\"S1\", \"to\": \"S2\", \"term\": 9, \"entries\": [[9, \"forged\"]]}}";
        ck_assert_int_eq(flow_action_json(&f, json, &why), 0);
        memset(json, 'x', sizeof json - 1); /* the caller's buffer is gone */
    }
    size_t at = r->h->pos;
    flow_seek(&f, at - 1);
    flow_seek(&f, at);
    struct action a;
    flow_simple_action(&a, ACT_SETTLE, -1, NULL);
    ck_assert_int_eq(flow_action(&f, &a, &why), 0);
    ck_assert_int_eq(flow_inputs_check(l, f.inputs.s, &why), 0);
    struct runner *r2 = runner_new(l);
    struct flow g;
    flow_init(&g, r2);
    ck_assert_uint_eq(flow_replay(&g, f.inputs.s), f.n_inputs);
    ck_assert_uint_eq(r2->h->pos, r->h->pos);
    ck_assert_int_eq(runner_sim(r2)->now, runner_sim(r)->now);
    ck_assert_str_eq(g.inputs.s, f.inputs.s);
    flow_free(&g);
    runner_free(r2);
    flow_free(&f);
    runner_free(r);
    sbuf_free(&why);
    lesson_free(l);
}
END_TEST

static Suite *suite_progress(void)
{
    Suite *s = suite_create("progress");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_progress_round_trip);
    tcase_add_test(tc, test_progress_damaged_file_ignored);
    tcase_add_test(tc, test_progress_read_only_folder);
    tcase_add_test(tc, test_progress_unwritable_parent);
    tcase_add_test(tc, test_progress_dir_from_environment);
    tcase_add_test(tc, test_progress_replay_rebuilds_the_run);
    tcase_add_test(tc, test_progress_keyed_by_lesson_and_language);
    tcase_add_test(tc, test_progress_never_lowers_done_or_best_score);
    tcase_add_test(tc, test_progress_before_the_score_of_what_was_tried_still_reads);
    tcase_add_test(tc, test_progress_second_window_never_overwrites_the_first);
    tcase_add_test(tc, test_progress_damaged_file_kept_as_bad);
    tcase_add_test(tc, test_saved_inputs_refused_with_their_path_before_anything_runs);
    tcase_add_test(tc, test_hostile_progress_files_refused_before_resume);
    tcase_add_test(tc, test_inject_then_back_and_forward_replays_exactly);
    tcase_add_test(tc, test_starting_over_asks_again_naming_the_saved_step);
    tcase_add_test(tc, test_a_second_session_on_an_open_lesson_is_told_and_not_offered_to_resume);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite_progress());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
