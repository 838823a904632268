/* Tests of transcripts: recording a headless run and a learner's session,
 * the JSON form read back exactly, exports, verification by re-running
 * (and tampering caught at its step), strict reading of damaged files, and
 * atomic writes that never leave anything half-written. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tutor/atomic_write.h"
#include "tutor/facts.h"
#include "tutor/runner.h"
#include "tutor/note_text.h"
#include "tutor/transcript.h"
#include "tutor/session/transcript_flow.h"
#include "tutor/session/flow.h"

static char tmpdir[256];

static struct transcript *from_json(const char *json, struct sbuf *err);

/* json with its first `from` replaced by `to` is refused, saying `says`. */
static void assert_edit_refused(const char *json, const char *from, const char *to,
                                const char *says)
{
    const char *p = strstr(json, from);
    ck_assert_msg(p != NULL, "%s", from);
    struct sbuf b, err;
    sbuf_init(&b);
    sbuf_init(&err);
    sbuf_addn(&b, json, (size_t)(p - json));
    sbuf_add(&b, to);
    sbuf_add(&b, p + strlen(from));
    struct transcript *u = from_json(b.s, &err);
    ck_assert_msg(u == NULL, "accepted: %s", to);
    ck_assert_msg(strstr(err.s, says) != NULL, "%s: %s", says, err.s);
    sbuf_free(&b);
    sbuf_free(&err);
}

/* What entry i did, in words (from its notes, in the current language). */
static const char *did(const struct transcript *t, size_t i)
{
    static struct sbuf b;
    if (!b.s)
        sbuf_init(&b);
    sbuf_reset(&b);
    transcript_entry_action(t, &t->e[i], &b);
    return b.s;
}

static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/check-transcript-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            chmod(p, 0700);
            rm_tree(p);
        } else {
            unlink(p);
        }
    }
    closedir(d);
    rmdir(dir);
}

static void teardown(void)
{
    rm_tree(tmpdir);
}

/* Entries in a directory, "." and ".." aside. */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static struct lesson *load(const char *rel)
{
    char path[512];
    const char *top = getenv("top_srcdir");
    snprintf(path, sizeof path, "%s/%s", top ? top : ".", rel);
    struct lesson *l = NULL;
    struct lesson_errors errs;
    lesson_errors_init(&errs);
    int rc = lesson_load(path, &l, &errs);
    for (size_t i = 0; i < errs.n; i++)
        fprintf(stderr, "%s\n", errs.lines[i]);
    lesson_errors_free(&errs);
    ck_assert_int_eq(rc, 0);
    return l;
}

/* A frozen copy of an earlier lesson 03: the curriculum changes without moving these cases. */
#define REPLICATION "tests/fixtures/raft-replication.json"

/* `tutor run` in memory: every step headless, recorded and finished. */
static struct transcript *record_run(const struct lesson *l, const char *student)
{
    struct transcript_meta meta = {student, NULL};
    struct transcript *t = transcript_new(l, TRANSCRIPT_RUN, &meta);
    struct runner *r = runner_new(l);
    transcript_begin(t, r);
    while (transcript_run_step(t, r))
        ;
    transcript_finish(t, r);
    runner_free(r);
    return t;
}

static char *to_json(const struct transcript *t)
{
    struct sbuf b;
    sbuf_init(&b);
    transcript_write_json(t, &b);
    return b.s;
}

static struct transcript *from_json(const char *json, struct sbuf *err)
{
    return transcript_read_json("test.json", json, strlen(json), err);
}

/* Re-runs rec on l; returns the index of the first entry that differs, or
 * -1 when every entry and the end reproduce (-2: the end differs). */
static long replay(const struct transcript *rec, const struct lesson *l, struct sbuf *why)
{
    struct transcript *t = transcript_new(l, rec->mode, NULL);
    struct runner *r = runner_new(l);
    struct flow f;
    bool learner = rec->mode == TRANSCRIPT_LEARNER;
    if (learner) {
        flow_init(&f, r);
        transcript_flow_begin(t, &f);
    } else {
        transcript_begin(t, r);
    }
    long at = -1;
    if (transcript_compare_header(rec, t, why) != 0)
        at = -3;
    for (size_t i = 0; at == -1 && i < rec->n; i++)
        if (transcript_play_entry(rec, i, r, learner ? &f : NULL, t, why) != 0)
            at = (long)i;
    if (at == -1) {
        transcript_finish(t, r);
        if (transcript_compare_end(rec, t, why) != 0)
            at = -2;
    }
    if (learner)
        flow_free(&f);
    runner_free(r);
    transcript_free(t);
    return at;
}

/* The end of a test that recorded t from l and wrote it to json. */
static void done_with(char *json, struct sbuf *err, struct sbuf *why, struct transcript *t,
                      struct lesson *l)
{
    free(json);
    sbuf_free(err);
    sbuf_free(why);
    transcript_free(t);
    lesson_free(l);
}

START_TEST(test_run_records_every_step)
{
    struct lesson *l = load(REPLICATION);
    struct transcript *t = record_run(l, NULL);
    ck_assert_uint_eq(t->n, l->n_steps); /* no goto: one entry per step */
    ck_assert(t->has_end);
    ck_assert_int_eq(t->end.score, 3);
    /* 3 quiz points and 1 goal whose solution the script plays: no point (transcript.h). */
    ck_assert_int_eq(t->end.total, 4);
    ck_assert(t->end.safe);
    ck_assert_uint_eq(t->end.n_committed, 2);
    ck_assert_str_eq(t->end.committed[0], "x=1");
    ck_assert_uint_eq(t->end.n_leaders, 1);
    ck_assert_int_eq(t->end.leaders[0].term, 1);
    size_t quizzes = 0, crash = 0;
    for (size_t i = 0; i < t->n; i++) {
        quizzes += t->e[i].has_quiz;
        if (!strcmp(did(t, i), "crash S3"))
            crash = i + 1;
    }
    ck_assert_uint_eq(quizzes, 3);
    ck_assert_uint_gt(crash, 0);
    /* The crash changed S3's up field in that very entry. */
    const struct transcript_entry *e = &t->e[crash - 1];
    bool seen = false;
    for (size_t k = 0; k < e->n_changes; k++)
        if (e->changes[k].node == 2 && !strcmp(e->changes[k].field, "up"))
            seen = !strcmp(e->changes[k].from, "true") && !strcmp(e->changes[k].to, "false");
    ck_assert(seen);
    transcript_free(t);
    lesson_free(l);
}
END_TEST

START_TEST(test_json_round_trip_is_exact)
{
    struct lesson *l = load(REPLICATION);
    struct transcript *t = record_run(l, "李雷 \"Ana\" <a&b>");
    char *a = to_json(t);
    struct sbuf err;
    sbuf_init(&err);
    struct transcript *u = from_json(a, &err);
    ck_assert_msg(u != NULL, "%s", err.s);
    char *b = to_json(u);
    ck_assert_str_eq(a, b);
    ck_assert_str_eq(u->student, "李雷 \"Ana\" <a&b>");
    struct sbuf why;
    sbuf_init(&why);
    ck_assert_int_eq(transcript_compare_header(t, u, &why), 0);
    for (size_t i = 0; i < t->n; i++)
        ck_assert_msg(transcript_compare_entry(t, u, i, &why) == 0, "%zu: %s", i, why.s);
    ck_assert_int_eq(transcript_compare_end(t, u, &why), 0);
    free(a);
    free(b);
    sbuf_free(&err);
    sbuf_free(&why);
    transcript_free(u);
    transcript_free(t);
    lesson_free(l);
}
END_TEST

START_TEST(test_same_run_same_bytes)
{
    struct lesson *l = load(REPLICATION);
    for (enum transcript_format f = TF_JSON; f <= TF_SVG; f++) {
        struct transcript *t1 = record_run(l, "Ana"), *t2 = record_run(l, "Ana");
        struct sbuf a, b;
        sbuf_init(&a);
        sbuf_init(&b);
        void (*write[])(const struct transcript *, struct sbuf *) = {
            transcript_write_json, transcript_write_md, transcript_write_svg};
        write[f](t1, &a);
        write[f](t2, &b);
        ck_assert_str_eq(a.s, b.s);
        sbuf_free(&a);
        sbuf_free(&b);
        transcript_free(t1);
        transcript_free(t2);
    }
    lesson_free(l);
}
END_TEST

START_TEST(test_verify_round_trip_and_tampering)
{
    struct lesson *l = load(REPLICATION);
    struct transcript *t = record_run(l, NULL);
    char *json = to_json(t);
    struct sbuf err, why;
    sbuf_init(&err);
    sbuf_init(&why);
    struct transcript *rec = from_json(json, &err);
    ck_assert_int_eq(replay(rec, l, &why), -1);
    /* An edited answer, action and score are each caught at their step. */
    size_t quiz = 0, act = 0;
    for (size_t i = 0; i < rec->n; i++) {
        if (rec->e[i].has_quiz && !quiz)
            quiz = i;
        if (!strcmp(did(rec, i), "crash S3"))
            act = i;
    }
    free(rec->e[quiz].quiz.given);
    rec->e[quiz].quiz.given = strdup("Yes: the leader has it");
    sbuf_reset(&why);
    ck_assert_int_eq(replay(rec, l, &why), (long)quiz);
    ck_assert_ptr_nonnull(strstr(why.s, "answer given"));
    transcript_free(rec);

    rec = from_json(json, &err);
    /* The crash's node, edited in its note's data ("do: crash S2"). */
    for (size_t k = 0; k < rec->e[act].n_lines; k++)
        if (rec->e[act].lines[k].note.id == NOTE_RUNNER_DO)
            rec->e[act].lines[k].note.args[1].v.i = 1;
    transcript_render_lines(rec);
    ck_assert_str_eq(did(rec, act), "crash S2");
    sbuf_reset(&why);
    ck_assert_int_eq(replay(rec, l, &why), (long)act);
    ck_assert_ptr_nonnull(strstr(why.s, "crash S3"));
    transcript_free(rec);

    rec = from_json(json, &err);
    rec->e[quiz].score++;
    sbuf_reset(&why);
    ck_assert_int_eq(replay(rec, l, &why), (long)quiz);
    ck_assert_ptr_nonnull(strstr(why.s, "score"));
    transcript_free(rec);

    rec = from_json(json, &err);
    rec->end.score = 2;
    sbuf_reset(&why);
    ck_assert_int_eq(replay(rec, l, &why), -2);
    transcript_free(rec);
    done_with(json, &err, &why, t, l);
}
END_TEST

/* A learner's session on l through the flow, recorded from its start. */
static struct transcript *learner_record(const struct lesson *l, struct runner **r, struct flow *f)
{
    *r = runner_new(l);
    flow_init(f, *r);
    struct transcript *t = transcript_new(l, TRANSCRIPT_LEARNER, NULL);
    transcript_flow_begin(t, f);
    return t;
}

/* Frees what learner_record (or learner_session) made, and the lesson. */
static void learner_close(struct transcript *t, struct flow *f, struct runner *r, struct lesson *l)
{
    transcript_free(t);
    flow_free(f);
    runner_free(r);
    lesson_free(l);
}

/* A learner's session through the flow: wrong then right answers, a
 * prediction, learner actions, moves back and forth in the history. */
static struct transcript *learner_session(const struct lesson *l, struct runner **rp,
                                          struct flow *f)
{
    struct runner *r = runner_new(l);
    flow_init(f, r);
    struct transcript_meta meta = {"Ana", NULL};
    struct transcript *t = transcript_new(l, TRANSCRIPT_LEARNER, &meta);
    transcript_flow_begin(t, f);
    struct sbuf why;
    sbuf_init(&why);
#define REC() transcript_flow_record(t, f)
    for (int i = 0; i < 5; i++) {
        flow_continue(f, &why);
        REC();
    }
    ck_assert_int_eq(f->state, FLOW_QUIZ);
    flow_answer_choice(f, 0); /* wrong: one more try */
    REC();
    flow_answer_choice(f, 1);
    REC();
    flow_continue(f, &why);
    REC();
    flow_continue(f, &why); /* deliver to S2 */
    REC();
    ck_assert_int_eq(f->state, FLOW_QUIZ);
    flow_answer_choice(f, 0); /* a prediction */
    REC();
    flow_continue(f, &why); /* the lesson runs on, then the verdict */
    REC();
    struct action a;
    flow_simple_action(&a, ACT_CRASH, 1, NULL);
    flow_action(f, &a, &why);
    REC();
    flow_seek(f, r->h->pos - 1);
    REC();
    flow_simple_action(&a, ACT_TIMEOUT, 2, NULL); /* a fork */
    flow_action(f, &a, &why);
    REC();
    flow_simple_action(&a, ACT_STEP, -1, NULL);
    a.count = 3;
    flow_action(f, &a, &why);
    REC();
#undef REC
    sbuf_free(&why);
    *rp = r;
    transcript_finish(t, r);
    return t;
}

/* Copies the file at rel (from the source tree) to path. */
static void copy_to(const char *rel, const char *path)
{
    char from[512];
    const char *top = getenv("top_srcdir");
    snprintf(from, sizeof from, "%s/%s", top ? top : ".", rel);
    FILE *in = fopen(from, "rb"), *out = fopen(path, "wb");
    ck_assert_ptr_nonnull(in);
    ck_assert_ptr_nonnull(out);
    char buf[8192];
    for (size_t n; (n = fread(buf, 1, sizeof buf, in)) > 0;)
        ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
    fclose(in);
    ck_assert_int_eq(fclose(out), 0);
}

/* A UI export names its lesson by a path relative to where the tutor ran
 * (lessons/en/...): in a class folder elsewhere, a lesson beside the
 * transcripts is found by its id and SHA-256 whatever its name, and the
 * other transcripts there (which name the id too) are no lesson; not found,
 * the refusal lists the places looked. */
START_TEST(test_a_lesson_beside_the_transcript_is_found_by_id_and_a_refusal_says_where_it_looked)
{
    struct lesson *l = load(REPLICATION);
    struct transcript *t = record_run(l, NULL);
    char *json = to_json(t);
    char class[600], path[700], lesson_copy[700];
    snprintf(class, sizeof class, "%s/class", tmpdir);
    ck_assert_int_eq(mkdir(class, 0700), 0);
    snprintf(path, sizeof path, "%s/ana.json", class);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(json, f);
    fclose(f);
    snprintf(lesson_copy, sizeof lesson_copy, "%s/renamed.json", class);
    copy_to(REPLICATION, lesson_copy);
    struct sbuf err;
    sbuf_init(&err);
    struct transcript *rec = from_json(json, &err);
    ck_assert_ptr_nonnull(rec);
    free(rec->lesson_file);
    rec->lesson_file = strdup("lessons/en/gone.json");
    struct lesson *found = transcript_find_lesson(rec, path, NULL, &err);
    ck_assert_msg(found != NULL, "%s", err.s);
    ck_assert_str_eq(found->id, l->id);
    lesson_free(found);

    unlink(lesson_copy);
    sbuf_reset(&err);
    ck_assert_ptr_null(transcript_find_lesson(rec, path, NULL, &err));
    /* The places, as the refusal names them (an sbuf: the folder's name
     * is as long as mkdtemp made it). */
    struct sbuf want;
    sbuf_init(&want);
    ck_assert_msg(strstr(err.s, "; looked at ") != NULL, "%s", err.s);
    sbuf_printf(&want, "%s/lessons/en/gone.json, %s/gone.json", class, class);
    ck_assert_msg(strstr(err.s, want.s) != NULL, "%s", err.s);
    ck_assert_msg(strstr(err.s, " and for its id and SHA-256 in ") != NULL, "%s", err.s);
    sbuf_reset(&want);
    sbuf_printf(&want, "%s/lessons, %s; give it with --lesson FILE", class, class);
    ck_assert_msg(strstr(err.s, want.s) != NULL, "%s", err.s);
    sbuf_free(&want);
    ck_assert_msg(strstr(err.s, "ana.json has that id") == NULL, "%s", err.s);
    transcript_free(rec);
    sbuf_free(&err);
    free(json);
    transcript_free(t);
    lesson_free(l);
}
END_TEST

START_TEST(test_learner_session_reproduces)
{
    struct lesson *l = load(REPLICATION);
    struct runner *r;
    struct flow f;
    struct transcript *t = learner_session(l, &r, &f);
    ck_assert_uint_eq(t->n, 15);
    /* The first try was wrong (a retry), the second right but pointless. */
    ck_assert(t->e[5].has_quiz && t->e[5].quiz.retry && !t->e[5].quiz.right);
    ck_assert_str_eq(t->e[5].quiz.given, "Yes: the leader has it");
    ck_assert(t->e[6].has_quiz && t->e[6].quiz.right && t->e[6].quiz.points == 0);
    ck_assert(t->e[10].has_quiz && t->e[10].quiz.right && t->e[10].quiz.points == 1);
    ck_assert_str_eq(did(t, 11), "crash S2");
    ck_assert_uint_eq(t->e[12].n_lines, 0); /* a move in the history produces nothing */
    char *json = to_json(t);
    struct sbuf err, why;
    sbuf_init(&err);
    sbuf_init(&why);
    struct transcript *rec = from_json(json, &err);
    ck_assert_msg(rec != NULL, "%s", err.s);
    ck_assert_msg(replay(rec, l, &why) == -1, "%s", why.s);
    /* The learner's answer edited: caught where it was given. */
    rec->e[6].in[0].choice = 2;
    sbuf_reset(&why);
    ck_assert_int_eq(replay(rec, l, &why), 6);
    transcript_free(rec);
    /* The learner's action edited. */
    rec = from_json(json, &err);
    free(rec->e[11].in[0].text);
    rec->e[11].in[0].text = strdup("{\"do\":\"crash\",\"node\":\"S1\"}");
    sbuf_reset(&why);
    ck_assert_int_eq(replay(rec, l, &why), 11);
    transcript_free(rec);
    free(json);
    sbuf_free(&err);
    sbuf_free(&why);
    learner_close(t, &f, r, l);
}
END_TEST

/* "A goal counts an action against its budget only when it changed
 * something" (flow.c): the record keeps the goal's own count, the
 * Markdown's Goals table shows the count the UI showed, and an edited
 * count is caught. */
START_TEST(test_a_goal_counts_what_changed_something_in_the_record_too)
{
    struct lesson *l = load("lessons/en/04-raft-leader-crash.json");
    struct runner *r;
    struct flow f;
    struct transcript *t = learner_record(l, &r, &f);
    struct sbuf why;
    sbuf_init(&why);
    for (int i = 0; i < 1000 && f.state != FLOW_GOAL; i++) {
        if (f.state == FLOW_QUIZ) { /* any answer will do here */
            const struct quiz *q = &flow_step(&f)->quiz;
            if (q->kind == QUIZ_VALUE) {
                flow_answer_value(&f, "?");
            } else {
                flow_answer_choice(&f, 0);
                if (q->multi)
                    flow_answer_submit(&f);
            }
        } else {
            flow_continue(&f, &why);
        }
        transcript_flow_record(t, &f);
    }
    ck_assert_int_eq(f.state, FLOW_GOAL);
    const struct sim *s = runner_sim(r);
    int follower = -1;
    for (int i = 0; i < s->cfg.n_nodes && follower < 0; i++)
        if (sim_node_up(s, i) && i != facts_leader(s))
            follower = i;
    ck_assert_int_ge(follower, 0);
    struct action a;
    flow_simple_action(&a, ACT_CRASH, follower, NULL);
    for (int k = 0; k < 2; k++) { /* the second crash finds it down: free */
        ck_assert_int_eq(flow_action(&f, &a, &why), 0);
        transcript_flow_record(t, &f);
    }
    ck_assert_int_eq(f.goal_actions, 1);
    transcript_finish(t, r);
    ck_assert_int_eq(t->e[t->n - 1].goal_actions, 1);
    struct sbuf md;
    sbuf_init(&md);
    transcript_write_md(t, &md);
    const char *row = strstr(md.s, "\n## Goals");
    ck_assert_ptr_nonnull(row);
    row = strstr(row, "| step ");
    ck_assert_ptr_nonnull(row);
    ck_assert_msg(strstr(row, " | 1 | ") && strstr(row, " | 1 | ") < strchr(row, '\n'), "%.200s",
                  row);
    char *json = to_json(t);
    ck_assert_ptr_nonnull(strstr(json, "\"goal_actions\": 1"));
    struct sbuf err;
    sbuf_init(&err);
    struct transcript *rec = from_json(json, &err);
    ck_assert_msg(rec != NULL, "%s", err.s);
    sbuf_reset(&why);
    ck_assert_msg(replay(rec, l, &why) == -1, "%s", why.s);
    rec->e[rec->n - 1].goal_actions = 2; /* edited */
    sbuf_reset(&why);
    ck_assert_int_eq(replay(rec, l, &why), (long)rec->n - 1);
    ck_assert_msg(strstr(why.s, "goal actions"), "%s", why.s);
    transcript_free(rec);
    free(json);
    sbuf_free(&err);
    sbuf_free(&md);
    sbuf_free(&why);
    learner_close(t, &f, r, l);
}
END_TEST

/* A learner's record keeps what the safety lab's explorer did and reads
 * back: the search at an explore step and E after the end (the input
 * "explore") replay to the same feed, and a message delivered by its id
 * (the explorer's events, a learner's d) is a "do:" line whose phrase has
 * an argument for every {k} of its template, so the record reads back. */
START_TEST(test_an_explored_session_reads_back_and_reproduces)
{
    struct lesson *l = load("tests/scenarios/lab-raft-volatile-vote.json");
    struct runner *r;
    struct flow f;
    struct transcript *t = learner_record(l, &r, &f);
    struct sbuf why, err;
    sbuf_init(&why);
    sbuf_init(&err);
    ck_assert(flow_continue(&f, &why)); /* the explore step: found */
    transcript_flow_record(t, &f);
    ck_assert_uint_gt(r->h->n_ops, 0);
    ck_assert(flow_continue(&f, &why)); /* the end */
    transcript_flow_record(t, &f);
    flow_seek(&f, 2);
    transcript_flow_record(t, &f);
    ck_assert_int_eq(flow_explore(&f, &why), 0); /* forks at 2 */
    transcript_flow_record(t, &f);
    ck_assert_uint_eq(r->h->n_branches, 1);
    ck_assert_int_eq(flow_msg_action(&f, ACT_DELIVER, r->h->cur->pending[0].id, &why), 0);
    transcript_flow_record(t, &f);
    transcript_finish(t, r);
    char *json = to_json(t);
    ck_assert(strstr(json, "\"kind\": \"explore\""));
    ck_assert(strstr(json, "EXPLORE_FOUND"));
    struct transcript *rec = from_json(json, &err);
    ck_assert_msg(rec != NULL, "%s", err.s);
    ck_assert_msg(replay(rec, l, &why) == -1, "%s", why.s);
    transcript_free(rec);
    free(json);
    sbuf_free(&err);
    sbuf_free(&why);
    learner_close(t, &f, r, l);
}
END_TEST

START_TEST(test_several_inputs_at_once_are_rebuilt)
{
    /* A resumed session replays many inputs before the first record: each
     * still becomes its own entry, as if recorded live. */
    struct lesson *l = load(REPLICATION);
    struct runner *r1;
    struct flow f1;
    struct transcript *live = learner_session(l, &r1, &f1);
    struct runner *r2 = runner_new(l);
    struct flow f2;
    flow_init(&f2, r2);
    struct transcript *t =
        transcript_new(l, TRANSCRIPT_LEARNER, &(struct transcript_meta){"Ana", NULL});
    transcript_flow_begin(t, &f2);
    flow_replay(&f2, f1.inputs.s);
    transcript_flow_record(t, &f2);
    transcript_finish(t, r2);
    struct sbuf why;
    sbuf_init(&why);
    ck_assert_uint_eq(t->n, live->n);
    for (size_t i = 0; i < t->n; i++)
        ck_assert_msg(transcript_compare_entry(live, t, i, &why) == 0, "%zu: %s", i, why.s);
    ck_assert_int_eq(transcript_compare_end(live, t, &why), 0);
    sbuf_free(&why);
    transcript_free(t);
    transcript_free(live);
    flow_free(&f1);
    flow_free(&f2);
    runner_free(r1);
    runner_free(r2);
    lesson_free(l);
}
END_TEST

/* Feed lines are kept as notes: a record's lines read back as the same
 * data (name and arguments), and a crafted note — an unknown name, too few
 * or too many arguments, an unknown kind, a huge number, a node that does
 * not exist, a phrase past its note's arguments — is refused with its JSON
 * path, never rendered. */
START_TEST(test_feed_lines_are_notes_and_crafted_notes_are_refused)
{
    struct lesson *l = load(REPLICATION);
    struct transcript *t = record_run(l, NULL);
    char *json = to_json(t);
    struct sbuf err;
    sbuf_init(&err);
    struct transcript *back = from_json(json, &err);
    ck_assert_msg(back != NULL, "%s", err.s);
    transcript_render_lines(t); /* both in words, to compare them too */
    transcript_render_lines(back);
    size_t lines = 0, msgs = 0;
    for (size_t k = 0; k < t->n; k++)
        for (size_t i = 0; i < t->e[k].n_lines; i++) {
            const struct transcript_line *a = &t->e[k].lines[i], *b = &back->e[k].lines[i];
            ck_assert(transcript_note_same(&a->note, &b->note));
            ck_assert_str_eq(a->text, b->text);
            for (int j = 0; j < a->note.n_args; j++)
                msgs += a->note.args[j].kind == NA_STR && a->note.args[j].aux == TRANSCRIPT_ARG_MSG;
            lines++;
        }
    ck_assert_uint_gt(lines, 50);
    ck_assert_uint_gt(msgs, 10);
    ck_assert_ptr_null(strstr(json, "\"text\": \"")); /* no line in words */
    transcript_free(back);
    static const struct {
        const char *from, *to, *says;
    } craft[] = {
        {"\"note\": \"RAFT_START\"", "\"note\": \"RAFT_NOPE\"",
         "start[0].note: unknown note \"RAFT_NOPE\""},
        {"\"note\": \"RAFT_START\"", "\"note\": 7", "start[0].note: expected a note name"},
        {"\"args\": [{\"node\": \"S1\"}, {\"int\": 0}]", "\"args\": [{\"node\": \"S1\"}]",
         "start[0].args: the note RAFT_START takes 2 arguments, found 1"},
        {"{\"node\": \"S1\"}, {\"int\": 0}", "{\"node\": \"S1\"}, {\"int\": 0.5}",
         "start[0].args[1].int: expected an integer"},
        {"{\"node\": \"S1\"}, {\"int\": 0}", "{\"node\": \"S1\"}, {\"int\": 1e19}",
         "start[0].args[1].int: expected an integer"},
        {"{\"node\": \"S1\"}, {\"int\": 0}", "{\"node\": \"S1\"}, {\"bits\": 0}",
         "start[0].args[1]: unknown key \"bits\""},
        {"{\"node\": \"S1\"}, {\"int\": 0}", "{\"node\": \"S1\"}, {}",
         "start[0].args[1]: an argument names its kind"},
        {"{\"node\": \"S1\"}, {\"int\": 0}", "{\"node\": \"S7\"}, {\"int\": 0}",
         "start[0].args[0].node"},
        {"{\"node\": \"S1\"}, {\"int\": 0}", "{\"node\": \"S1\"}, {\"str\": \"a\\u001bb\"}",
         "start[0].args[1].str: the text holds invalid UTF-8 or a control character"},
        {"{\"node\": \"S1\"}, {\"int\": 0}",
         "{\"node\": \"S1\"}, {\"phrase\": \"ACTION_CRASH\", \"from\": 3}",
         "start[0].args[1].from: expected an integer 1..2"},
    };
    for (size_t i = 0; i < sizeof craft / sizeof craft[0]; i++)
        assert_edit_refused(json, craft[i].from, craft[i].to, craft[i].says);
    /* A string argument longer than a note can carry. */
    struct sbuf b;
    sbuf_init(&b);
    char *p = strstr(json, "{\"node\": \"S1\"}, {\"int\": 0}");
    sbuf_addn(&b, json, (size_t)(p - json));
    sbuf_add(&b, "{\"node\": \"S1\"}, {\"str\": \"");
    for (int i = 0; i < 5000; i++)
        sbuf_addc(&b, 'x');
    sbuf_add(&b, "\"}");
    sbuf_add(&b, p + strlen("{\"node\": \"S1\"}, {\"int\": 0}"));
    sbuf_reset(&err);
    ck_assert_ptr_null(from_json(b.s, &err));
    ck_assert_msg(
        strstr(err.s, "start[0].args[1].str: a note's text argument is at most 4096 bytes"), "%s",
        err.s);
    sbuf_free(&b);
    sbuf_free(&err);
    free(json);
    transcript_free(t);
    lesson_free(l);
}
END_TEST

START_TEST(test_damaged_files_are_refused)
{
    struct lesson *l = load(REPLICATION);
    struct transcript *t = record_run(l, NULL);
    char *json = to_json(t);
    size_t len = strlen(json);
    struct sbuf err;
    sbuf_init(&err);
    /* Cut anywhere: refused with the file's name and a place, never a crash. */
    for (size_t cut = 0; cut < len - 2; cut += 97) {
        char *part = strndup(json, cut);
        sbuf_reset(&err);
        struct transcript *u = from_json(part, &err);
        ck_assert_msg(u == NULL, "cut at %zu accepted", cut);
        ck_assert_msg(!strncmp(err.s, "test.json", 9), "%s", err.s);
        free(part);
    }
    char *part = strndup(json, len / 2);
    sbuf_reset(&err);
    ck_assert_ptr_null(from_json(part, &err));
    ck_assert_ptr_nonnull(strstr(err.s, "truncated"));
    free(part);
    static const struct {
        const char *from, *to, *says;
    } damage[] = {
        {"\"version\": 2", "\"version\": 7", "newer tutor"},
        {"\"kind\": \"say\",", "\"kind\": \"say\", \"kind\": \"say\",", "appears twice"},
        {"\"time\": 170,", "\"time\": \"170\",", "steps[1].time"},
        {"\"mode\": \"run\"", "\"mode\": \"walk\"", "mode"},
        {"\"ok\": true", "\"okay\": true", "unknown key"},
        {"\"n\": 3,", "\"n\": 4,", "step is missing"},
        {"\"format\": \"consensus-tutor-transcript\"", "\"format\": \"x\"", "not a Consensus"},
        {"\"title\": \"A leader first\"", "\"title\": \"A \xff leader\"", "UTF-8"},
    };
    for (size_t i = 0; i < sizeof damage / sizeof damage[0]; i++)
        assert_edit_refused(json, damage[i].from, damage[i].to, damage[i].says);
    free(json);
    sbuf_free(&err);
    transcript_free(t);
    lesson_free(l);
}
END_TEST

START_TEST(test_exports_render_what_was_recorded)
{
    struct lesson *l = load(REPLICATION);
    struct transcript *t = record_run(l, "<Ana & 李雷>");
    struct sbuf md, svg;
    sbuf_init(&md);
    sbuf_init(&svg);
    transcript_write_md(t, &md);
    transcript_write_svg(t, &svg);
    static const char *const sections[] = {
        "## Summary",
        "## Timeline",
        "## Quizzes",
        "## Goals",
        "> **Recorded by `tutor run`: the lesson's script answered every quiz from its key.",
        "## Final state",
        "## Space-time diagram",
        "**Score:** 3/4 (quizzes answered from their keys)",
        "term 1: S1",
        "crash S3 (step 24)",
        "&lt;Ana &amp; 李雷&gt;",
        "**Right answer:** No: it must be stored on a majority first"};
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
        ck_assert_msg(strstr(md.s, sections[i]) != NULL, "markdown lacks %s", sections[i]);
    /* One lane per node, arrows, a crash, a restart, a lost message; text
     * escaped; a font list that falls back to CJK fonts. */
    size_t lanes = 0, arrows = 0;
    for (const char *p = svg.s; (p = strstr(p, "class=\"lane\"")); p++)
        lanes++;
    for (const char *p = svg.s; (p = strstr(p, "class=\"msg delivered\"")); p++)
        arrows++;
    ck_assert_uint_eq(lanes, 3);
    ck_assert_uint_ge(arrows, 20);
    ck_assert_ptr_nonnull(strstr(svg.s, "class=\"crash\""));
    ck_assert_ptr_nonnull(strstr(svg.s, "class=\"restart\""));
    ck_assert_ptr_nonnull(strstr(svg.s, "class=\"msg lost\""));
    ck_assert_ptr_nonnull(strstr(svg.s, "&lt;Ana &amp; 李雷&gt;"));
    ck_assert_ptr_nonnull(strstr(svg.s, "Noto Sans CJK SC"));
    ck_assert_ptr_null(strstr(svg.s, "<Ana"));
    sbuf_free(&md);
    sbuf_free(&svg);
    transcript_free(t);
    lesson_free(l);
}
END_TEST

/* A transcript's committed list names what was committed even where the
 * snapshots (§7) keep only the state: the commands, and the configuration
 * entry as a configuration. */
START_TEST(test_committed_entries_a_snapshot_covers_keep_their_names)
{
    struct lesson *l = load("tests/fixtures/raft-snapshot-committed.json");
    struct transcript *t = record_run(l, "s");
    ck_assert_uint_eq(t->end.n_committed, 4);
    ck_assert_str_eq(t->end.committed[0], "noop");
    ck_assert_str_eq(t->end.committed[1], "x=1");
    ck_assert_str_eq(t->end.committed[2], "{\"config\":[\"S1\",\"S2\",\"S3\",\"S4\"]}");
    ck_assert_str_eq(t->end.committed[3], "y=2");
    transcript_free(t);
    lesson_free(l);
}
END_TEST

/* docs/transcript-format.md, "feed_elided": "a step keeps its first 1,000
 * and its last 1,000 feed lines; of those between, the record keeps how
 * many there were of each kind and the SHA-256 of their JSON, and verify
 * compares them by it". */
START_TEST(test_a_long_step_keeps_its_first_and_last_lines_and_a_digest_of_the_rest)
{
    struct lesson *l = load("tests/fixtures/long-load.json");
    struct transcript *t = record_run(l, NULL);
    const struct transcript_entry *e = &t->e[0];
    ck_assert_uint_eq(e->n_lines, TRANSCRIPT_KEEP_HEAD + TRANSCRIPT_KEEP_TAIL);
    ck_assert_uint_eq(e->elided.after, TRANSCRIPT_KEEP_HEAD);
    ck_assert_uint_gt(e->elided.n, 10000);
    uint64_t sum = 0;
    for (int k = 0; k < TRANSCRIPT_FEED_KINDS; k++)
        sum += e->elided.kinds[k];
    ck_assert_uint_eq(sum, e->elided.n);
    ck_assert_uint_gt(e->elided.kinds[FEED_SEND], 0);
    ck_assert_uint_eq(strlen(e->elided.sha256), 64);
    /* A short step keeps every line. */
    ck_assert_uint_eq(t->e[1].elided.n, 0);

    char *json = to_json(t);
    ck_assert_ptr_nonnull(strstr(json, "\"feed_elided\": {\"after\": 1000, \"lines\": "));
    struct sbuf err, why;
    sbuf_init(&err);
    sbuf_init(&why);
    struct transcript *rec = from_json(json, &err);
    ck_assert_msg(rec != NULL, "%s", err.s);
    char *again = to_json(rec);
    ck_assert_str_eq(json, again);
    free(again);
    ck_assert_int_eq(replay(rec, l, &why), -1);
    /* A different line among those left out changes the digest. */
    rec->e[0].elided.sha256[0] = rec->e[0].elided.sha256[0] == '0' ? '1' : '0';
    sbuf_reset(&why);
    ck_assert_int_eq(replay(rec, l, &why), 0);
    ck_assert_msg(strstr(why.s, "SHA-256") != NULL, "%s", why.s);
    transcript_free(rec);

    /* Counts that do not add up, and a digest that is not one, are refused. */
    const char *kinds = strstr(json, "\"kinds\": {\"note\": ");
    ck_assert_ptr_nonnull(kinds);
    assert_edit_refused(json, "\"kinds\": {\"note\": ", "\"kinds\": {\"note\": 1",
                        "steps[0].feed_elided.kinds: the kinds count");
    assert_edit_refused(json, "}, \"sha256\": \"", "}, \"sha256\": \"X",
                        "steps[0].feed_elided.sha256: expected 64 lower-case hex digits");
    assert_edit_refused(json, "\"after\": 1000", "\"after\": 3000", "steps[0].feed_elided.after");

    /* The Markdown counts what was left out with what was kept. */
    struct sbuf md;
    sbuf_init(&md);
    transcript_write_md(t, &md);
    ck_assert_ptr_nonnull(strstr(md.s, "Feed lines left out of the record:"));
    sbuf_free(&md);
    done_with(json, &err, &why, t, l);
}
END_TEST

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return buf;
}

START_TEST(test_atomic_write)
{
    char path[512], sub[512];
    struct sbuf err;
    sbuf_init(&err);
    snprintf(path, sizeof path, "%s/a.json", tmpdir);
    ck_assert_int_eq(atomic_write(path, "one", 3, false, &err), 0);
    ck_assert_str_eq(slurp(path), "one");
    /* Not replaced without a yes; replaced with one. */
    ck_assert_int_eq(atomic_write(path, "two", 3, false, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.s, "exists"));
    ck_assert_str_eq(slurp(path), "one");
    ck_assert_int_eq(atomic_write(path, "three", 5, true, &err), 0);
    ck_assert_str_eq(slurp(path), "three");
    ck_assert_int_eq(count_entries(tmpdir), 1);
    /* Failures that hold for root too: a path under a file, under /proc,
     * a device. Nothing is left behind. */
    snprintf(sub, sizeof sub, "%s/a.json/b.json", tmpdir);
    sbuf_reset(&err);
    ck_assert_int_eq(atomic_write(sub, "x", 1, true, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.s, "cannot write"));
    ck_assert_ptr_nonnull(strstr(err.s, strerror(ENOTDIR)));
    sbuf_reset(&err);
    ck_assert_int_eq(atomic_write("/proc/no-such-dir/t.json", "x", 1, true, &err), -1);
    sbuf_reset(&err);
    ck_assert_int_eq(atomic_write("/dev/null", "x", 1, true, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.s, "not a regular file"));
    ck_assert_int_eq(count_entries(tmpdir), 1);
    ck_assert_str_eq(slurp(path), "three");
    sbuf_free(&err);
}
END_TEST

START_TEST(test_full_disk_leaves_nothing)
{
    /* A file size limit makes write() fail as on a full disk (EFBIG), for
     * root as well; the test runs in its own process (Check forks). */
    struct lesson *l = load(REPLICATION);
    struct transcript *t = record_run(l, NULL);
    char path[512];
    snprintf(path, sizeof path, "%s/full.json", tmpdir);
    struct sbuf err;
    sbuf_init(&err);
    ck_assert_int_eq(atomic_write(path, "old", 3, false, &err), 0);
    struct rlimit rl, saved;
    ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &saved), 0);
    rl = saved;
    rl.rlim_cur = 4096; /* the soft limit only, so it can be raised again */
    signal(SIGXFSZ, SIG_IGN);
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
    ck_assert_int_eq(transcript_export(t, TF_JSON, path, true, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.s, "cannot write"));
    /* The old file is untouched and no temporary file is left. */
    ck_assert_str_eq(slurp(path), "old");
    ck_assert_int_eq(count_entries(tmpdir), 1);
    /* The transcript is still whole: another try elsewhere works. */
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &saved), 0);
    snprintf(path, sizeof path, "%s/second.json", tmpdir);
    sbuf_reset(&err);
    ck_assert_msg(transcript_export(t, TF_JSON, path, false, &err) == 0, "%s", err.s);
    sbuf_free(&err);
    transcript_free(t);
    lesson_free(l);
}
END_TEST

static Suite *suite_transcript(void)
{
    Suite *s = suite_create("transcript");
    TCase *tc = tcase_create("record");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_run_records_every_step);
    tcase_add_test(tc, test_json_round_trip_is_exact);
    tcase_add_test(tc, test_same_run_same_bytes);
    tcase_add_test(tc, test_verify_round_trip_and_tampering);
    tcase_add_test(tc, test_learner_session_reproduces);
    tcase_add_test(tc, test_a_goal_counts_what_changed_something_in_the_record_too);
    tcase_add_test(tc, test_an_explored_session_reads_back_and_reproduces);
    tcase_add_test(tc, test_several_inputs_at_once_are_rebuilt);
    tcase_add_test(tc, test_damaged_files_are_refused);
    tcase_add_test(tc, test_feed_lines_are_notes_and_crafted_notes_are_refused);
    tcase_add_test(tc, test_exports_render_what_was_recorded);
    tcase_add_test(tc, test_committed_entries_a_snapshot_covers_keep_their_names);
    tcase_add_test(tc, test_a_long_step_keeps_its_first_and_last_lines_and_a_digest_of_the_rest);
    suite_add_tcase(s, tc);
    TCase *io = tcase_create("write");
    tcase_add_checked_fixture(io, setup, teardown);
    tcase_add_test(io, test_atomic_write);
    tcase_add_test(io, test_full_disk_leaves_nothing);
    tcase_add_test(
        io, test_a_lesson_beside_the_transcript_is_found_by_id_and_a_refusal_says_where_it_looked);
    suite_add_tcase(s, io);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite_transcript());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
