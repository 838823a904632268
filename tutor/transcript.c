/* transcript: recording a run (inputs and what came of them) and comparing
 * two records entry by entry. */
#include "transcript.h"
#include "transcript_kept.h"

#include <libintl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "facts.h"
#include "i18n.h"
#include "runner.h"
#include "note_text.h"
#include "protocols/raft.h"
#include "score.h"
#include "sha256.h"

const char *const transcript_input_names[TI_COUNT] = {
    [TI_SCRIPT] = "script",   [TI_CONTINUE] = "continue", [TI_SKIP_GOTO] = "skip_goto",
    [TI_CHOICE] = "choice",   [TI_SUBMIT] = "submit",     [TI_VALUE] = "value",
    [TI_HINT] = "hint",       [TI_ACTION] = "do",         [TI_MESSAGE] = "message",
    [TI_GIVE_UP] = "give_up", [TI_SEEK] = "seek",         [TI_BRANCH] = "branch",
    [TI_EXPLORE] = "explore",
};

/* The node fields whose changes each entry lists: the short ones (logs
 * show as their length; the end has every field in full). */
static const char *const raft_tracked[] = {
    "up",           "role",         "term",        "voted_for",      "log_length",
    "commit_index", "last_applied", "leader_hint", "snapshot_index", NULL};
static const char *const paxos_tracked[] = {
    "up", "phase", "promised", "proposing", "accepted_ballot", "accepted_value", "learned_value",
    NULL};

static const char *const step_kinds[] = {
    [STEP_SAY] = "say",   [STEP_DO] = "do",     [STEP_EXPECT] = "expect",
    [STEP_QUIZ] = "quiz", [STEP_GOAL] = "goal", [STEP_EXPLORE] = "explore"};
static const char *const quiz_kinds[] = {
    [QUIZ_CHOICE] = "choice", [QUIZ_VALUE] = "value", [QUIZ_PREDICT] = "predict"};

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        abort();
    return p;
}

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap : 8;
    while (c < need)
        c *= 2;
    p = realloc(p, c * elem);
    if (!p)
        abort();
    *cap = c;
    return p;
}

static char *xstrdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (!d)
        abort();
    memcpy(d, s, n);
    return d;
}

char *transcript_clean_text(const char *s)
{
    if (!s)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    char *out = xcalloc(strlen(s) + 1, 1);
    size_t n = 0;
    while (*p) {
        unsigned c = *p;
        size_t len = c < 0x80             ? 1
                     : (c & 0xe0) == 0xc0 ? 2
                     : (c & 0xf0) == 0xe0 ? 3
                     : (c & 0xf8) == 0xf0 ? 4
                                          : 0;
        bool ok = len > 0;
        uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
        for (size_t k = 1; ok && k < len; k++) {
            if ((p[k] & 0xc0) != 0x80)
                ok = false;
            else
                cp = (cp << 6) | (p[k] & 0x3f);
        }
        /* Overlong forms, surrogates and code points past U+10FFFF. */
        if (ok && ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
                   (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff)))
            ok = false;
        if (!ok) {
            out[n++] = '?';
            p++;
            continue;
        }
        bool control = cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
        if (!control || cp == '\n') {
            memcpy(out + n, p, len);
            n += len;
        }
        p += len;
    }
    out[n] = 0;
    return out;
}

static const char *const *tracked_fields(enum protocol p)
{
    return p == PROTO_RAFT ? raft_tracked : paxos_tracked;
}

struct transcript *transcript_new(const struct lesson *l, enum transcript_mode mode,
                                  const struct transcript_meta *meta)
{
    struct transcript *t = xcalloc(1, sizeof *t);
    t->version = TRANSCRIPT_VERSION;
    t->tool_version = xstrdup(PACKAGE_VERSION);
    t->mode = mode;
    if (meta && meta->student && meta->student[0])
        t->student = transcript_clean_text(meta->student);
    if (meta && meta->date && meta->date[0])
        t->date = transcript_clean_text(meta->date);
    t->lesson = l;
    t->lesson_id = xstrdup(l->id);
    t->lesson_title = xstrdup(l->title);
    t->lesson_file = transcript_clean_text(l->file ? l->file : "");
    t->lesson_lang = xstrdup(l->lang ? l->lang : "en");
    sha256_hex(l->sha256, t->sha256);
    t->protocol = l->protocol;
    t->lesson_steps = l->n_steps;
    t->n_nodes = l->cfg.n_nodes;
    for (int i = 0; i < l->cfg.n_nodes; i++)
        t->names[i] = xstrdup(l->cfg.names[i]);
    struct transcript_cluster *c = &t->cluster;
    c->seed = l->seed;
    c->latency_min = l->latency_min;
    c->latency_max = l->latency_max;
    c->loss_ppb = l->loss_ppb;
    c->duplicate_ppb = l->duplicate_ppb;
    c->election_min = l->cfg.election_min;
    c->election_max = l->cfg.election_max;
    c->heartbeat = l->cfg.heartbeat;
    c->options = l->cfg.options[0];
    c->bugs = l->cfg.bugs;
    for (int i = 0; i < PROTO_MAX_NODES; i++)
        c->timeouts[i] = i < l->cfg.n_nodes ? l->cfg.fixed_timeout[i] : -1;
    if (l->protocol == PROTO_PAXOS) {
        for (int i = 0; i < l->cfg.n_nodes; i++) {
            c->proposer[i] = l->cfg.proposer[i];
            c->acceptor[i] = l->cfg.acceptor[i];
            c->learner[i] = l->cfg.learner[i];
            if (!c->proposer[i] || !c->acceptor[i] || !c->learner[i])
                c->roles = true;
        }
    }
    return t;
}

static void free_line(struct transcript_line *l)
{
    transcript_line_free(l);
}

void transcript_in_free(struct transcript_in *in)
{
    free(in->text);
    free(in->stopped);
    in->text = in->stopped = NULL;
}

static void free_ins(struct transcript_in *in, size_t n)
{
    for (size_t i = 0; i < n; i++)
        transcript_in_free(&in[i]);
    free(in);
}

static void free_quiz(struct transcript_quiz *q)
{
    free(q->path);
    free(q->kind);
    free(q->question);
    free(q->given);
    free(q->answer);
}

static void free_checks(struct transcript_check *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(c[i].path);
        free(c[i].detail);
    }
    free(c);
}

static void free_entry(struct transcript_entry *e)
{
    free_ins(e->in, e->n_in);
    free(e->step_kind);
    free(e->title);
    free(e->action);
    free(e->state);
    for (size_t i = 0; i < e->n_lines; i++)
        free_line(&e->lines[i]);
    free(e->lines);
    for (size_t i = 0; i < e->n_changes; i++) {
        free(e->changes[i].field);
        free(e->changes[i].from);
        free(e->changes[i].to);
    }
    free(e->changes);
    free_checks(e->checks, e->n_checks);
    free_quiz(&e->quiz);
    free(e->violation);
}

static void free_end(struct transcript_end *end)
{
    free(end->violation);
    free(end->leaders);
    for (size_t i = 0; i < end->n_committed; i++)
        free(end->committed[i]);
    free(end->committed);
    for (int n = 0; n < PROTO_MAX_NODES; n++) {
        for (size_t k = 0; k < end->n_fields[n]; k++) {
            free(end->fields[n][k]);
            free(end->values[n][k]);
        }
        free(end->fields[n]);
        free(end->values[n]);
    }
    memset(end, 0, sizeof *end);
}

void transcript_set_student(struct transcript *t, const char *name)
{
    free(t->student);
    t->student = name && name[0] ? transcript_clean_text(name) : NULL;
}

void transcript_free(struct transcript *t)
{
    if (!t)
        return;
    free(t->tool_version);
    free(t->student);
    free(t->date);
    free(t->feed_lang);
    free(t->lesson_id);
    free(t->lesson_title);
    free(t->lesson_file);
    free(t->lesson_lang);
    for (int i = 0; i < PROTO_MAX_NODES; i++)
        free(t->names[i]);
    for (size_t i = 0; i < t->n_start; i++)
        free_line(&t->start[i]);
    free(t->start);
    transcript_clear(t);
    free(t->e);
    if (t->snap)
        for (size_t i = 0; i < (size_t)t->n_nodes * t->n_tracked; i++)
            free(t->snap[i]);
    free(t->snap);
    free_checks(t->pending, t->n_pending);
    free(t);
}

void transcript_clear(struct transcript *t)
{
    for (size_t i = 0; i < t->n; i++)
        free_entry(&t->e[i]);
    t->n = 0;
    free_end(&t->end);
    t->has_end = false;
    free_checks(t->pending, t->n_pending);
    t->pending = NULL;
    t->n_pending = t->cap_pending = 0;
}

/* ---- Recording ---- */

void transcript_resnap(struct transcript *t, const struct runner *r)
{
    const struct history *h = r->h;
    t->rec_n = h->feed.n;
    t->rec_visible = feed_upto(&h->feed, h->pos);
    t->rec_pos = h->pos;
    t->rec_ops = h->n_ops;
    t->rec_acts = r->acts;
    t->rec_forks = h->n_forks;
    t->rec_step = r->step < r->lesson->n_steps ? (long)r->step : -1;
    const struct sim *s = runner_sim(r);
    const char *const *fields = tracked_fields(t->protocol);
    struct sbuf b;
    sbuf_init(&b);
    for (int n = 0; n < t->n_nodes; n++)
        for (size_t k = 0; k < t->n_tracked; k++) {
            sbuf_reset(&b);
            if (sim_node_field(s, n, fields[k], &b) != 0)
                sbuf_reset(&b);
            char **slot = &t->snap[(size_t)n * t->n_tracked + k];
            if (!*slot || strcmp(*slot, b.s)) {
                free(*slot);
                *slot = xstrdup(b.s);
            }
        }
    sbuf_free(&b);
}

static void copy_line(struct transcript_line *dst, const struct feed *f, size_t k)
{
    transcript_line_from_feed(dst, f, k);
}

void transcript_begin(struct transcript *t, const struct runner *r)
{
    const struct feed *f = &r->h->feed;
    t->n_tracked = 0;
    for (const char *const *p = tracked_fields(t->protocol); *p; p++)
        t->n_tracked++;
    t->snap = xcalloc((size_t)t->n_nodes * t->n_tracked, sizeof *t->snap);
    t->start = xcalloc(f->n, sizeof *t->start);
    for (size_t i = 0; i < f->n; i++)
        copy_line(&t->start[i], f, i);
    t->n_start = f->n;
    t->recorded = true;
    transcript_resnap(t, r);
}

void transcript_check(struct transcript *t, const char *path, bool ok, const char *detail)
{
    if (!t)
        return;
    t->pending = grow(t->pending, &t->cap_pending, t->n_pending + 1, sizeof *t->pending);
    struct transcript_check *c = &t->pending[t->n_pending++];
    c->path = xstrdup(path ? path : "");
    c->ok = ok;
    c->detail = ok ? NULL : transcript_clean_text(detail ? detail : "");
}

/* The feed lines the input produced: appended at the end; or, in the
 * past, put where the future was (a fork discards it first) or inserted
 * before the future (a warning, with no fork). */
static void take_lines(struct transcript *t, const struct runner *r, struct transcript_entry *e)
{
    const struct feed *f = &r->h->feed;
    bool only_seeks = true;
    for (size_t i = 0; i < e->n_in; i++)
        if (e->in[i].kind != TI_SEEK && e->in[i].kind != TI_BRANCH)
            only_seeks = false;
    if (only_seeks)
        return;
    size_t from, to;
    bool was_past = t->rec_pos < t->rec_ops;
    if (!was_past) {
        from = t->rec_n;
        to = f->n;
    } else if (r->acts != t->rec_acts) {
        from = t->rec_visible;
        to = f->n;
    } else {
        from = t->rec_visible;
        to = from + (f->n > t->rec_n ? f->n - t->rec_n : 0);
    }
    if (from > f->n)
        from = f->n;
    if (to > f->n)
        to = f->n;
    if (to <= from)
        return;
    size_t n = to - from, keep = n;
    if (n > TRANSCRIPT_KEEP_HEAD + TRANSCRIPT_KEEP_TAIL)
        keep = TRANSCRIPT_KEEP_HEAD + TRANSCRIPT_KEEP_TAIL;
    e->lines = xcalloc(keep, sizeof *e->lines);
    size_t gap_from = keep < n ? from + TRANSCRIPT_KEEP_HEAD : to;
    size_t gap_to = keep < n ? to - TRANSCRIPT_KEEP_TAIL : to;
    for (size_t i = from; i < gap_from; i++)
        copy_line(&e->lines[e->n_lines++], f, i);
    if (gap_from < gap_to) {
        e->elided.after = e->n_lines;
        transcript_feed_digest(f, gap_from, gap_to, &e->elided);
    }
    for (size_t i = gap_to; i < to; i++)
        copy_line(&e->lines[e->n_lines++], f, i);
}

static void take_changes(struct transcript *t, const struct runner *r, struct transcript_entry *e)
{
    const struct sim *s = runner_sim(r);
    const char *const *fields = tracked_fields(t->protocol);
    struct sbuf b, c1, c2;
    sbuf_init(&b);
    sbuf_init(&c1);
    sbuf_init(&c2);
    size_t cap = 0;
    for (int n = 0; n < t->n_nodes; n++)
        for (size_t k = 0; k < t->n_tracked; k++) {
            sbuf_reset(&b);
            if (sim_node_field(s, n, fields[k], &b) != 0)
                sbuf_reset(&b);
            const char *old = t->snap[(size_t)n * t->n_tracked + k];
            if (old && !strcmp(old, b.s))
                continue;
            sbuf_reset(&c1);
            sbuf_reset(&c2);
            transcript_json_canonical(old ? old : "", &c1);
            transcript_json_canonical(b.s, &c2);
            e->changes = grow(e->changes, &cap, e->n_changes + 1, sizeof *e->changes);
            e->changes[e->n_changes++] = (struct transcript_change){
                .node = n, .field = xstrdup(fields[k]), .from = xstrdup(c1.s), .to = xstrdup(c2.s)};
        }
    sbuf_free(&b);
    sbuf_free(&c1);
    sbuf_free(&c2);
}

/* The right answer of a quiz, in words (the state has not moved since the
 * quiz was answered: answering does not step the cluster). */
static void quiz_truth(const struct runner *r, const struct quiz *q, struct sbuf *out)
{
    if (q->kind == QUIZ_VALUE) {
        runner_value_answer(r, q, out);
        return;
    }
    if (q->kind == QUIZ_PREDICT) {
        int truth = runner_predict(r, q);
        sbuf_add(out, truth >= 0 ? q->choices[truth] : "none of these");
        return;
    }
    for (size_t k = 0; k < q->n_answers; k++) {
        if (k)
            sbuf_add(out, ", ");
        int i = q->answers[k];
        sbuf_add(out, i >= 0 && (size_t)i < q->n_choices ? q->choices[i] : "?");
    }
}

static void choice_text(const struct quiz *q, int i, struct sbuf *out)
{
    sbuf_add(out, i >= 0 && (size_t)i < q->n_choices ? q->choices[i] : "?");
}

/* The verdict of a quiz step run from its key (script), or the one the
 * flow reports (learner). */
static void take_quiz(struct transcript *t, const struct runner *r,
                      const struct transcript_outcome *oc, struct transcript_entry *e)
{
    long at = oc ? (oc->has_quiz ? oc->quiz_at : -1) : e->at;
    if (at < 0 || (size_t)at >= r->lesson->n_steps)
        return;
    const struct step *st = &r->lesson->steps[at];
    if (st->kind != STEP_QUIZ || (!oc && e->in[0].kind != TI_SCRIPT))
        return;
    const struct quiz *q = &st->quiz;
    struct sbuf given, truth, question;
    sbuf_init(&given);
    sbuf_init(&truth);
    sbuf_init(&question);
    facts_render_text(runner_sim(r), q->question, &question);
    bool right;
    int points;
    if (!oc) {
        /* Answered from its key: the key, or for a predict quiz with no
         * key the choice the cluster takes; right when the check held. */
        quiz_truth(r, q, &truth);
        if (q->kind == QUIZ_PREDICT && q->n_answers)
            choice_text(q, q->answers[0], &given);
        else
            sbuf_add(&given, truth.s);
        right = true;
        for (size_t i = 0; i < t->n_pending; i++)
            if (!t->pending[i].ok)
                right = false;
        points = right ? q->points : 0;
    } else {
        sbuf_add(&given, oc->given ? oc->given : "");
        sbuf_add(&truth, oc->answer ? oc->answer : "");
        right = oc->right;
        points = oc->points;
    }
    e->has_quiz = true;
    e->quiz = (struct transcript_quiz){
        .path = xstrdup(st->path),
        .kind = xstrdup(quiz_kinds[q->kind]),
        .question = transcript_clean_text(question.s),
        .given = transcript_clean_text(given.s),
        .answer = transcript_clean_text(truth.s),
        .right = right,
        .retry = oc && oc->retry,
        .points = points,
        .of = q->points,
    };
    sbuf_free(&given);
    sbuf_free(&truth);
    sbuf_free(&question);
}

/* Raft membership in play: cluster.members given, or a configuration entry
 * in some node's log (lesson-format.md, "Membership changes"). */
static bool membership_in_play(const struct sim *s)
{
    if (s->ops->protocol != PROTO_RAFT)
        return false;
    if (s->cfg.members)
        return true;
    for (int i = 0; i < s->cfg.n_nodes; i++)
        if (raft_config_index(sim_node_const(s, i)) > 0)
            return true;
    return false;
}

static bool is_membership_field(const struct sim *s, const char *f)
{
    return s->ops->protocol == PROTO_RAFT && (!strcmp(f, "config") || !strcmp(f, "config_old") ||
                                              !strcmp(f, "voting") || !strcmp(f, "catching_up"));
}

/* A committed configuration entry as its lesson JSON, [term, {"config": ...}]
 * without the term: {"config":["S1","S2"]}. */
static char *config_text(const struct sim *s, const struct entry *e)
{
    struct sbuf b;
    sbuf_init(&b);
    entry_json(&b, e, &s->cfg);
    const char *body = strchr(b.s, ',');
    char *out = transcript_clean_text(body ? body + 1 : b.s);
    size_t n = strlen(out);
    if (n && out[n - 1] == ']')
        out[n - 1] = 0;
    sbuf_free(&b);
    return out;
}

/* What was done, in words: the feed's action lines ("do: crash S3", in
 * the feed's language), or
 * the goto followed. */
static void take_action(const struct runner *r, struct transcript_entry *e)
{
    /* The "do" lines say what was done when the record is shown (in the
     * language shown, transcript_entry_action); the entry keeps the rest. */
    struct sbuf b;
    sbuf_init(&b);
    bool did = false;
    for (size_t i = 0; i < e->n_lines && !did; i++)
        did = transcript_line_action(NULL, &e->lines[i], NULL, NULL) != 0;
    enum transcript_input_kind k = e->in[e->n_in - 1].kind;
    if (!did && e->at >= 0 && (k == TI_SCRIPT || k == TI_CONTINUE)) {
        const struct step *st = &r->lesson->steps[e->at];
        if (st->kind == STEP_DO && st->act.kind == ACT_GOTO)
            sbuf_printf(&b, "goto %s", st->act.label ? st->act.label : "");
    }
    if (!did && k == TI_SKIP_GOTO)
        sbuf_add(&b, "skip the goto");
    if (b.len)
        e->action = xstrdup(b.s);
    sbuf_free(&b);
}

static void copy_in(struct transcript_in *dst, const struct transcript_in *src)
{
    *dst = *src;
    dst->text = src->text ? transcript_clean_text(src->text) : NULL;
    dst->stopped = src->stopped ? transcript_clean_text(src->stopped) : NULL;
}

void transcript_record(struct transcript *t, const struct runner *r, const struct transcript_in *in,
                       size_t n_in, const struct transcript_outcome *oc)
{
    if (!t || !n_in)
        return;
    t->e = grow(t->e, &t->cap, t->n + 1, sizeof *t->e);
    struct transcript_entry *e = &t->e[t->n++];
    memset(e, 0, sizeof *e);
    const struct history *h = r->h;
    const struct sim *s = runner_sim(r);
    e->learner = in[0].kind != TI_SCRIPT;
    e->in = xcalloc(n_in, sizeof *e->in);
    for (size_t i = 0; i < n_in; i++)
        copy_in(&e->in[i], &in[i]);
    e->n_in = n_in;
    e->at = t->rec_step;
    if (e->at >= 0) {
        const struct step *st = &r->lesson->steps[e->at];
        e->step_kind = xstrdup(step_kinds[st->kind]);
        e->title = st->title ? transcript_clean_text(st->title) : NULL;
    } else {
        e->step_kind = xstrdup("end");
    }
    e->next = r->step < r->lesson->n_steps ? (long)r->step : -1;
    e->state = oc && oc->state ? xstrdup(oc->state) : NULL;
    e->time = s->now;
    e->pos = h->pos;
    e->ops = h->n_ops;
    e->fork_pos = h->n_forks != t->rec_forks ? (int64_t)h->last_fork_pos : -1;
    take_lines(t, r, e);
    take_changes(t, r, e);
    take_action(r, e);
    take_quiz(t, r, oc, e);
    e->checks = t->pending;
    e->n_checks = t->n_pending;
    t->pending = NULL;
    t->n_pending = t->cap_pending = 0;
    e->goal_actions = -1;
    if (oc) {
        e->score = oc->score;
        e->total = oc->total;
        if (e->at >= 0 && r->lesson->steps[e->at].kind == STEP_GOAL)
            e->goal_actions = oc->goal_actions;
    } else {
        struct score sc = {0};
        if (t->n > 1)
            sc = (struct score){t->e[t->n - 2].score, t->e[t->n - 2].total};
        if (e->has_quiz)
            score_quiz(&sc, e->quiz.of, e->quiz.points);
        /* The script plays a goal's solution: tried, and earns nothing,
         * as a learner's give-up in the UI. */
        if (e->at >= 0 && r->lesson->steps[e->at].kind == STEP_GOAL)
            score_goal(&sc, false);
        e->score = sc.earned;
        e->total = sc.of;
    }
    e->safe = !s->mon.violated;
    e->violation = s->mon.violated ? transcript_clean_text(s->mon.violation) : NULL;
    transcript_resnap(t, r);
}

void transcript_finish(struct transcript *t, const struct runner *r)
{
    /* A run of the script ends once (a replay keeps its recorded end). */
    if (!t || (t->mode == TRANSCRIPT_RUN && t->has_end))
        return;
    free_end(&t->end);
    struct transcript_end *end = &t->end;
    const struct history *h = r->h;
    const struct sim *s = runner_sim(r);
    t->has_end = true;
    end->time = s->now;
    end->pos = h->pos;
    end->ops = h->n_ops;
    end->events = s->events;
    end->step = r->step < r->lesson->n_steps ? (long)r->step : -1;
    end->pending = s->n_pending;
    end->score = t->n ? t->e[t->n - 1].score : 0;
    end->total = t->n ? t->e[t->n - 1].total : 0;
    end->safe = !s->mon.violated;
    end->violation = s->mon.violated ? transcript_clean_text(s->mon.violation) : NULL;
    const struct monitor *m = &s->mon;
    end->n_leaders = m->leaders.len;
    end->leaders = xcalloc(m->leaders.len, sizeof *end->leaders);
    for (size_t i = 0; i < m->leaders.len; i++) {
        const struct monitor_leader *ml = cowvec_at(&m->leaders, i);
        end->leaders[i] = (struct transcript_leader){ml->term, ml->node};
    }
    if (t->protocol == PROTO_RAFT) {
        end->n_committed = m->committed.len;
        end->committed = xcalloc(m->committed.len, sizeof *end->committed);
        for (size_t i = 0; i < m->committed.len; i++) {
            const struct entry *en = cowvec_at(&m->committed, i);
            end->committed[i] = monitor_is_config(en)
                                    ? config_text(s, en)
                                    : transcript_clean_text(en->cmd ? en->cmd : "");
        }
    } else {
        size_t n = m->slots.len;
        while (n && !((const struct monitor_slot *)cowvec_at(&m->slots, n - 1))->chosen)
            n--;
        end->n_committed = n;
        end->committed = xcalloc(n, sizeof *end->committed);
        for (size_t i = 0; i < n; i++) {
            const struct monitor_slot *ms = cowvec_at(&m->slots, i);
            end->committed[i] = ms->chosen ? transcript_clean_text(ms->chosen) : NULL;
        }
    }
    const char *const *fields = s->ops->fields();
    bool compacted = false; /* §7: a run without snapshots lists no snapshot fields */
    for (int n = 0; n < t->n_nodes && t->protocol == PROTO_RAFT; n++)
        compacted |= raft_snapshot_index(sim_node_const(s, n)) > 0;
    bool membership = membership_in_play(s);
    size_t nf = 0;
    while (fields[nf])
        nf++;
    struct sbuf b, c;
    sbuf_init(&b);
    sbuf_init(&c);
    for (int n = 0; n < t->n_nodes; n++) {
        end->fields[n] = xcalloc(nf, sizeof *end->fields[n]);
        end->values[n] = xcalloc(nf, sizeof *end->values[n]);
        for (size_t k = 0; k < nf; k++) {
            sbuf_reset(&b);
            if (!compacted && !strncmp(fields[k], "snapshot_", 9))
                continue;
            if (!membership && is_membership_field(s, fields[k]))
                continue; /* a lesson without membership exports as before */
            if (sim_node_field(s, n, fields[k], &b) != 0)
                continue;
            sbuf_reset(&c);
            transcript_json_canonical(b.s, &c);
            size_t i = end->n_fields[n]++;
            end->fields[n][i] = xstrdup(fields[k]);
            end->values[n][i] = xstrdup(c.s);
        }
    }
    sbuf_free(&b);
    sbuf_free(&c);
}

/* ---- Learner actions as lesson JSON ---- */

static const char *name_of(const struct lesson *l, int i)
{
    return i >= 0 && i < l->cfg.n_nodes ? l->cfg.names[i] : "?";
}

int transcript_action_json(const struct lesson *l, const struct action *a, struct sbuf *out)
{
    int rc = 0;
    sbuf_add(out, "{\"do\": ");
    sbuf_json_str(out, lesson_action_names[a->kind]);
    switch (a->kind) {
    case ACT_STEP:
        if (a->count != 1)
            sbuf_printf(out, ", \"count\": %lld", (long long)a->count);
        break;
    case ACT_RUN:
        if (a->until)
            rc = -1;
        if (a->for_ms >= 0)
            sbuf_printf(out, ", \"for\": %lld", (long long)a->for_ms);
        sbuf_printf(out, ", \"max\": %lld", (long long)a->max);
        break;
    case ACT_SETTLE:
        sbuf_printf(out, ", \"max\": %lld", (long long)a->max);
        if (a->settle_count > 0)
            sbuf_printf(out, ", \"count\": %lld", (long long)a->settle_count);
        break;
    case ACT_DELIVER:
    case ACT_DROP:
    case ACT_DUPLICATE:
        if (a->has_match) {
            sbuf_add(out, ", \"match\": {");
            const char *sep = "";
            if (a->match.type != MSG_NONE) {
                sbuf_add(out, "\"type\": ");
                sbuf_json_str(out, msg_type_name(a->match.type));
                sep = ", ";
            }
            if (a->match.from >= 0) {
                sbuf_printf(out, "%s\"from\": ", sep);
                sbuf_json_str(out, name_of(l, a->match.from));
                sep = ", ";
            }
            if (a->match.to >= 0) {
                sbuf_printf(out, "%s\"to\": ", sep);
                sbuf_json_str(out, name_of(l, a->match.to));
            }
            if (a->match.n_fields)
                rc = -1; /* field values are the lesson's JSON; not needed by the UI */
            sbuf_add(out, "}");
        }
        if (a->all && a->kind != ACT_DUPLICATE)
            sbuf_add(out, ", \"all\": true");
        break;
    case ACT_TIMEOUT:
    case ACT_CRASH:
    case ACT_RESTART:
    case ACT_SNAPSHOT:
    case ACT_ADD_SERVER:
    case ACT_REMOVE_SERVER:
        sbuf_add(out, ", \"node\": ");
        sbuf_json_str(out, name_of(l, a->node));
        if ((a->kind == ACT_ADD_SERVER || a->kind == ACT_REMOVE_SERVER) && a->to >= 0) {
            sbuf_add(out, ", \"to\": ");
            sbuf_json_str(out, name_of(l, a->to));
        }
        break;
    case ACT_PARTITION: {
        sbuf_add(out, ", \"groups\": [");
        bool first_group = true;
        for (int g = 0; g <= PROTO_MAX_NODES; g++) {
            bool any = false;
            for (int i = 0; i < l->cfg.n_nodes; i++) {
                if (a->groups[i] != g)
                    continue;
                sbuf_add(out, any ? ", " : first_group ? "[" : ", [");
                sbuf_json_str(out, l->cfg.names[i]);
                any = true;
            }
            if (any) {
                sbuf_add(out, "]");
                first_group = false;
            }
        }
        sbuf_add(out, "]");
        break;
    }
    case ACT_CUT:
    case ACT_LINK:
        sbuf_add(out, ", \"from\": ");
        sbuf_json_str(out, name_of(l, a->from));
        sbuf_add(out, ", \"to\": ");
        sbuf_json_str(out, name_of(l, a->to));
        if (a->both)
            sbuf_add(out, ", \"both\": true");
        break;
    case ACT_REQUEST:
    case ACT_PROPOSE:
        sbuf_add(out, ", \"node\": ");
        sbuf_json_str(out, name_of(l, a->node));
        sbuf_add(out, a->kind == ACT_REQUEST ? ", \"command\": " : ", \"value\": ");
        sbuf_json_str(out, a->text ? a->text : "");
        if (a->client) {
            sbuf_add(out, ", \"client\": ");
            sbuf_json_str(out, a->client);
            sbuf_printf(out, ", \"seq\": %lld", (long long)a->seq);
        }
        break;
    case ACT_READ:
        sbuf_add(out, ", \"node\": ");
        sbuf_json_str(out, name_of(l, a->node));
        sbuf_add(out, ", \"key\": ");
        sbuf_json_str(out, a->text ? a->text : "");
        break;
    case ACT_TRANSFER:
        sbuf_add(out, ", \"to\": ");
        sbuf_json_str(out, name_of(l, a->to));
        if (a->node >= 0) {
            sbuf_add(out, ", \"node\": ");
            sbuf_json_str(out, name_of(l, a->node));
        }
        break;
    case ACT_LOAD:
        sbuf_printf(out, ", \"every\": %lld, \"for\": %lld", (long long)a->every,
                    (long long)a->for_ms);
        if (a->text) {
            sbuf_add(out, ", \"prefix\": ");
            sbuf_json_str(out, a->text);
        }
        break;
    case ACT_HEAL:
        break;
    default:
        rc = -1; /* inject, set, goto: never a learner's action in the UI */
        break;
    }
    sbuf_add(out, "}");
    return rc;
}

/* ---- Comparing ---- */

void transcript_step_name(long at, struct sbuf *out)
{
    if (at < 0)
        sbuf_add(out, gettext("the end"));
    else
        sbuf_printf(out, "steps[%ld]", at);
}

static bool str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return !strcmp(a, b);
}

/* Sets why to "what: recorded A, re-run B" and returns -1. What is a
 * msgid (po/Makevars names CMP_INT, CMP_STR, CMP_BOOL and differ as
 * keywords) or a name put together already, which gettext leaves alone. */
static int differ(struct sbuf *why, const char *what, const char *a, const char *b)
{
    sbuf_printf(why, gettext("%s: recorded %s, re-run %s"), gettext(what), a, b);
    return -1;
}

static int differ_str(struct sbuf *why, const char *what, const char *a, const char *b)
{
    struct sbuf qa, qb;
    sbuf_init(&qa);
    sbuf_init(&qb);
    sbuf_json_str(&qa, a);
    sbuf_json_str(&qb, b);
    const char *nothing = ui_pgettext("verify", "nothing");
    differ(why, what, a ? qa.s : nothing, b ? qb.s : nothing);
    sbuf_free(&qa);
    sbuf_free(&qb);
    return -1;
}

static int differ_int(struct sbuf *why, const char *what, long long a, long long b)
{
    char x[32], y[32];
    snprintf(x, sizeof x, "%lld", a);
    snprintf(y, sizeof y, "%lld", b);
    return differ(why, what, x, y);
}

static const char *yes_no(bool x)
{
    return x ? ui_pgettext("verify", "true") : ui_pgettext("verify", "false");
}

#define CMP_INT(what, x, y)                                                                        \
    do {                                                                                           \
        if ((long long)(x) != (long long)(y))                                                      \
            return differ_int(why, what, (long long)(x), (long long)(y));                          \
    } while (0)
#define CMP_STR(what, x, y)                                                                        \
    do {                                                                                           \
        if (!str_eq((x), (y)))                                                                     \
            return differ_str(why, what, (x), (y));                                                \
    } while (0)
#define CMP_BOOL(what, x, y)                                                                       \
    do {                                                                                           \
        if (!(x) != !(y))                                                                          \
            return differ(why, what, yes_no(x), yes_no(y));                                        \
    } while (0)

static int compare_in(const struct transcript_in *a, const struct transcript_in *b,
                      struct sbuf *why)
{
    if (a->kind != b->kind)
        return differ(why, "input", transcript_input_names[a->kind],
                      transcript_input_names[b->kind]);
    CMP_INT("input choice", a->choice, b->choice);
    CMP_STR("input", a->text, b->text);
    if (a->msg_kind != b->msg_kind)
        return differ(why, "input message action", lesson_action_names[a->msg_kind],
                      lesson_action_names[b->msg_kind]);
    CMP_INT("input message", a->msg_id, b->msg_id);
    CMP_INT("input position", a->pos, b->pos);
    CMP_INT("input branch", a->branch, b->branch);
    return 0;
}

/* The line's words: its text when it has one (a version 1 record's, or
 * one rendered for an export), else rendered now into tmp. */
static const char *line_words(const struct transcript *t, const struct transcript_line *l,
                              struct sbuf *tmp)
{
    if (l->text)
        return l->text;
    sbuf_reset(tmp);
    transcript_line_render(t, l, tmp);
    return tmp->s;
}

static int compare_line(const struct transcript *ta, const struct transcript_line *a,
                        const struct transcript *tb, const struct transcript_line *b, size_t i,
                        struct sbuf *why)
{
    char what[64];
    snprintf(what, sizeof what, gettext("feed line %zu"), i + 1);
    struct sbuf wa, wb;
    sbuf_init(&wa);
    sbuf_init(&wb);
    /* Notes compare as data, whatever the language; a version 1 record's
     * line (text in the language it was recorded in, which verify re-runs
     * in) compares with the re-run's line in words. */
    bool same_note = a->legacy || b->legacy ? str_eq(line_words(ta, a, &wa), line_words(tb, b, &wb))
                                            : transcript_note_same(&a->note, &b->note);
    int rc = 0;
    if (a->time != b->time || a->node != b->node || a->kind != b->kind || a->msg != b->msg ||
        !same_note) {
        struct sbuf x, y;
        sbuf_init(&x);
        sbuf_init(&y);
        sbuf_printf(&x, "[%lld ms, %s, #%llu] ", (long long)a->time, feed_kind_name(a->kind),
                    (unsigned long long)a->msg);
        sbuf_json_str(&x, line_words(ta, a, &wa));
        sbuf_printf(&y, "[%lld ms, %s, #%llu] ", (long long)b->time, feed_kind_name(b->kind),
                    (unsigned long long)b->msg);
        sbuf_json_str(&y, line_words(tb, b, &wb));
        differ(why, what, x.s, y.s);
        sbuf_free(&x);
        sbuf_free(&y);
        rc = -1;
    }
    sbuf_free(&wa);
    sbuf_free(&wb);
    return rc;
}

static int compare_lines(const struct transcript *ta, const struct transcript_line *a, size_t na,
                         const struct transcript *tb, const struct transcript_line *b, size_t nb,
                         struct sbuf *why)
{
    for (size_t i = 0; i < na && i < nb; i++)
        if (compare_line(ta, &a[i], tb, &b[i], i, why) != 0)
            return -1;
    if (na != nb) {
        sbuf_printf(why, gettext("feed: recorded %zu lines, re-run %zu"), na, nb);
        return -1;
    }
    return 0;
}

int transcript_compare_entry(const struct transcript *ta, const struct transcript *tb, size_t i,
                             struct sbuf *why)
{
    const struct transcript_entry *a = &ta->e[i], *b = &tb->e[i];
    CMP_BOOL("by the learner", a->learner, b->learner);
    CMP_INT("inputs", a->n_in, b->n_in);
    for (size_t k = 0; k < a->n_in; k++)
        if (compare_in(&a->in[k], &b->in[k], why) != 0)
            return -1;
    CMP_INT("lesson step", a->at, b->at);
    CMP_STR("step kind", a->step_kind, b->step_kind);
    CMP_STR("title", a->title, b->title);
    /* What was done, in words from the notes (a version 1 record: its
     * recorded words, in the language verify re-runs in). */
    struct sbuf da, db;
    sbuf_init(&da);
    sbuf_init(&db);
    transcript_entry_action(ta, a, &da);
    transcript_entry_action(tb, b, &db);
    bool same = !strcmp(da.s, db.s);
    if (!same)
        differ_str(why, "action", da.s, db.s);
    sbuf_free(&da);
    sbuf_free(&db);
    if (!same)
        return -1;
    CMP_INT("next lesson step", a->next, b->next);
    CMP_STR("state", a->state, b->state);
    CMP_INT("virtual time", a->time, b->time);
    CMP_INT("history position", a->pos, b->pos);
    CMP_INT("history length", a->ops, b->ops);
    if (compare_lines(ta, a->lines, a->n_lines, tb, b->lines, b->n_lines, why) != 0)
        return -1;
    CMP_INT("feed lines left out", a->elided.n, b->elided.n);
    if (a->elided.n) {
        CMP_INT("feed lines before those left out", a->elided.after, b->elided.after);
        for (int k = 0; k < TRANSCRIPT_FEED_KINDS; k++)
            CMP_INT(feed_kind_name((enum feed_kind)k), a->elided.kinds[k], b->elided.kinds[k]);
        CMP_STR("SHA-256 of the feed lines left out", a->elided.sha256, b->elided.sha256);
    }
    for (size_t k = 0; k < a->n_changes && k < b->n_changes; k++) {
        const struct transcript_change *x = &a->changes[k], *y = &b->changes[k];
        if (x->node != y->node || !str_eq(x->field, y->field) || !str_eq(x->from, y->from) ||
            !str_eq(x->to, y->to)) {
            struct sbuf p, q;
            sbuf_init(&p);
            sbuf_init(&q);
            sbuf_printf(&p, "%s.%s %s -> %s", x->node < ta->n_nodes ? ta->names[x->node] : "?",
                        x->field, x->from, x->to);
            sbuf_printf(&q, "%s.%s %s -> %s", y->node < tb->n_nodes ? tb->names[y->node] : "?",
                        y->field, y->from, y->to);
            differ(why, "changed state", p.s, q.s);
            sbuf_free(&p);
            sbuf_free(&q);
            return -1;
        }
    }
    CMP_INT("changed fields", a->n_changes, b->n_changes);
    for (size_t k = 0; k < a->n_checks && k < b->n_checks; k++) {
        CMP_STR("check", a->checks[k].path, b->checks[k].path);
        CMP_BOOL("check passed", a->checks[k].ok, b->checks[k].ok);
        CMP_STR("check detail", a->checks[k].detail, b->checks[k].detail);
    }
    CMP_INT("checks", a->n_checks, b->n_checks);
    CMP_BOOL("quiz answered", a->has_quiz, b->has_quiz);
    if (a->has_quiz) {
        const struct transcript_quiz *x = &a->quiz, *y = &b->quiz;
        CMP_STR("quiz", x->path, y->path);
        CMP_STR("quiz kind", x->kind, y->kind);
        CMP_STR("quiz question", x->question, y->question);
        CMP_STR("quiz answer given", x->given, y->given);
        CMP_STR("quiz right answer", x->answer, y->answer);
        CMP_BOOL("quiz answered right", x->right, y->right);
        CMP_BOOL("quiz retry", x->retry, y->retry);
        CMP_INT("quiz points", x->points, y->points);
        CMP_INT("quiz points offered", x->of, y->of);
    }
    CMP_INT("score", a->score, b->score);
    CMP_INT("score total", a->total, b->total);
    if (a->goal_actions >= 0) /* older records lack it */
        CMP_INT("goal actions", a->goal_actions, b->goal_actions);
    CMP_BOOL("safe", a->safe, b->safe);
    CMP_STR("safety violation", a->violation, b->violation);
    return 0;
}

int transcript_compare_header(const struct transcript *a, const struct transcript *b,
                              struct sbuf *why)
{
    CMP_STR("lesson id", a->lesson_id, b->lesson_id);
    CMP_STR("lesson SHA-256", a->sha256, b->sha256);
    CMP_STR("mode", a->mode == TRANSCRIPT_RUN ? "run" : "learner",
            b->mode == TRANSCRIPT_RUN ? "run" : "learner");
    CMP_INT("nodes", a->n_nodes, b->n_nodes);
    for (int i = 0; i < a->n_nodes; i++)
        CMP_STR("node name", a->names[i], b->names[i]);
    const struct transcript_cluster *x = &a->cluster, *y = &b->cluster;
    CMP_INT("seed", x->seed, y->seed);
    CMP_INT("latency min", x->latency_min, y->latency_min);
    CMP_INT("latency max", x->latency_max, y->latency_max);
    CMP_INT("loss (parts per billion)", x->loss_ppb, y->loss_ppb);
    CMP_INT("duplicate (parts per billion)", x->duplicate_ppb, y->duplicate_ppb);
    CMP_INT("election timeout min", x->election_min, y->election_min);
    CMP_INT("election timeout max", x->election_max, y->election_max);
    CMP_INT("heartbeat", x->heartbeat, y->heartbeat);
    for (int i = 0; i < a->n_nodes; i++)
        CMP_INT("fixed timeout", x->timeouts[i], y->timeouts[i]);
    CMP_INT("options", x->options, y->options);
    CMP_INT("bugs", x->bugs, y->bugs);
    for (int i = 0; i < a->n_nodes; i++) {
        CMP_BOOL("proposer role", x->proposer[i] || !x->roles, y->proposer[i] || !y->roles);
        CMP_BOOL("acceptor role", x->acceptor[i] || !x->roles, y->acceptor[i] || !y->roles);
        CMP_BOOL("learner role", x->learner[i] || !x->roles, y->learner[i] || !y->roles);
    }
    if (compare_lines(a, a->start, a->n_start, b, b->start, b->n_start, why) != 0) {
        struct sbuf w;
        sbuf_init(&w);
        sbuf_printf(&w, gettext("start: %s"), why->s);
        sbuf_reset(why);
        sbuf_add(why, w.s);
        sbuf_free(&w);
        return -1;
    }
    return 0;
}

/* Which steps are on a branch the run left: written in the file, found
 * again by the re-run (transcript_kept.h). */
static int compare_kept(const struct transcript *a, const struct transcript *b, struct sbuf *why)
{
    /* A file from before the marks (none at all, read from JSON) says
     * nothing about branches: its exports are made again by a replay. */
    if ((!a->recorded && !a->marked) || (!b->recorded && !b->marked))
        return 0;
    struct transcript_kept ka, kb;
    transcript_kept_build(a, &ka);
    transcript_kept_build(b, &kb);
    int rc = 0;
    for (size_t i = 0; i < ka.n && i < kb.n && !rc; i++) {
        bool x = ka.entry[i] == TK_ABANDONED, y = kb.entry[i] == TK_ABANDONED;
        if (x != y) {
            char what[64];
            snprintf(what, sizeof what, gettext("step %zu: abandoned"), i + 1);
            rc = differ(why, what, yes_no(x), yes_no(y));
        }
    }
    transcript_kept_free(&ka);
    transcript_kept_free(&kb);
    return rc;
}

int transcript_compare_end(const struct transcript *a, const struct transcript *b, struct sbuf *why)
{
    const struct transcript_end *x = &a->end, *y = &b->end;
    CMP_BOOL("end recorded", a->has_end, b->has_end);
    if (!a->has_end)
        return 0;
    CMP_INT("virtual time", x->time, y->time);
    CMP_INT("history position", x->pos, y->pos);
    CMP_INT("history length", x->ops, y->ops);
    CMP_INT("events", x->events, y->events);
    CMP_INT("lesson step", x->step, y->step);
    CMP_INT("messages in flight", x->pending, y->pending);
    CMP_INT("score", x->score, y->score);
    CMP_INT("score total", x->total, y->total);
    CMP_BOOL("safe", x->safe, y->safe);
    CMP_STR("safety violation", x->violation, y->violation);
    CMP_INT("leaders", x->n_leaders, y->n_leaders);
    for (size_t i = 0; i < x->n_leaders; i++) {
        CMP_INT("leader term", x->leaders[i].term, y->leaders[i].term);
        CMP_STR("leader", x->leaders[i].node < a->n_nodes ? a->names[x->leaders[i].node] : "?",
                y->leaders[i].node < b->n_nodes ? b->names[y->leaders[i].node] : "?");
    }
    CMP_INT("committed entries", x->n_committed, y->n_committed);
    for (size_t i = 0; i < x->n_committed; i++)
        CMP_STR("committed", x->committed[i], y->committed[i]);
    for (int n = 0; n < a->n_nodes; n++) {
        char what[80];
        snprintf(what, sizeof what, gettext("%s: fields"), a->names[n]);
        CMP_INT(what, x->n_fields[n], y->n_fields[n]);
        for (size_t k = 0; k < x->n_fields[n]; k++) {
            snprintf(what, sizeof what, "%s.%s", a->names[n], x->fields[n][k]);
            CMP_STR(what, x->fields[n][k], y->fields[n][k]);
            CMP_STR(what, x->values[n][k], y->values[n][k]);
        }
    }
    return compare_kept(a, b, why);
}

/* ---- Headless steps ---- */

struct chain {
    runner_check_fn prev;
    void *prev_ctx;
    struct transcript *t;
};

static void chained_check(void *ctx, const struct runner *r, const char *path, bool ok,
                          const char *detail)
{
    struct chain *c = ctx;
    if (c->prev)
        c->prev(c->prev_ctx, r, path, ok, detail);
    transcript_check(c->t, path, ok, detail);
}

bool transcript_run_step(struct transcript *t, struct runner *r)
{
    struct chain c = {r->on_check, r->ctx, t};
    r->on_check = chained_check;
    r->ctx = &c;
    bool more = runner_step_headless(r);
    r->on_check = c.prev;
    r->ctx = c.prev_ctx;
    transcript_record(t, r, &(struct transcript_in){.kind = TI_SCRIPT}, 1, NULL);
    return more;
}

int transcript_input_check(const struct lesson *l, const struct transcript_in *in, const char *path,
                           struct sbuf *err)
{
    if (in->kind != TI_ACTION && !in->stopped)
        return 0;
    /* The action goes through the lesson loader itself: node names,
     * message types, arguments and the format's limits are checked there,
     * once, for lessons and saved inputs alike. */
    struct lesson_errors errs;
    lesson_errors_init(&errs);
    struct action a, ran, rest;
    int rc = 0;
    const char *field = "action";
    if (in->kind == TI_ACTION)
        rc = lesson_parse_action_json(l, in->text ? in->text : "", &a, &errs);
    if (rc == 0 && in->stopped) {
        field = "stopped";
        rc = lesson_parse_action_json(l, in->stopped, &ran, &errs);
        /* A stopped learner's action: what ran is a part of what was asked
         * (a scripted step's is checked against the step when it replays). */
        if (rc == 0 && in->kind == TI_ACTION && !runner_action_rest(&a, &ran, &rest)) {
            sbuf_printf(err, "%s.stopped: not a shorter part of the action", path);
            lesson_errors_free(&errs);
            return -1;
        }
    }
    if (rc != 0) {
        const char *why = errs.n ? errs.lines[0] : "not an action";
        if (!strncmp(why, "command: ", 9))
            why += 9;
        sbuf_printf(err, "%s.%s: %s", path, field, why);
    }
    lesson_errors_free(&errs);
    return rc;
}

int transcript_check_inputs(const struct transcript *t, const struct lesson *l, struct sbuf *err)
{
    char path[64];
    for (size_t i = 0; i < t->n; i++)
        for (size_t k = 0; k < t->e[i].n_in; k++) {
            if (t->e[i].n_in == 1)
                snprintf(path, sizeof path, "steps[%zu].input", i);
            else
                snprintf(path, sizeof path, "steps[%zu].inputs[%zu]", i, k);
            if (transcript_input_check(l, &t->e[i].in[k], path, err) != 0)
                return -1;
        }
    return 0;
}
