/* runner: runs a lesson's steps on a recorded cluster (history). The same
 * runner serves `tutor check` and `tutor run` (every step headless, quizzes
 * answered from their keys), the plain line mode and the terminal UI
 * (which drive the steps one at a time and hand the learner control). */
#ifndef TUTOR_RUNNER_H
#define TUTOR_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

#include "history.h"
#include "lesson.h"
#include "protocols/note.h"
#include "protocols/sbuf.h"
#include "strpool.h"

#define RUNNER_MAX_GOTOS 100
/* The client session `load` sends its commands in (dissertation §6.3). */
#define RUNNER_LOAD_CLIENT "load"

struct runner;

/* Asked between events during long work (step N, run, settle, load):
 * true to stop it where it is (a key in the UI, SIGINT in the plain mode;
 * the lesson format's Errors section). It may also draw a progress line. */
typedef bool (*runner_stop_fn)(void *ctx);

/* Called for every check: ok or not, the step's path and, when it failed,
 * what was expected and found. */
typedef void (*runner_check_fn)(void *ctx, const struct runner *r, const char *path, bool ok,
                                const char *detail);

struct runner {
    const struct lesson *lesson;
    struct strpool *strings;
    struct history *h;
    size_t step; /* the next step to run */
    int gotos;   /* gotos followed so far */
    int passed, failed;
    /* After a runner_action that failed: why, as data (a RUNNER_ note of
     * tutor/notes_tutor.def; its string arguments are static). */
    struct proto_note err_note;
    runner_check_fn on_check;
    void *ctx;
    /* The load client's state: where it sends next, and the next number of
     * each command prefix (a prefix's first load sends p1, p2, ...; a later
     * load with the same prefix goes on, so commands stay distinct). */
    int load_target;
    struct {
        const char *prefix; /* interned */
        long next;
    } load_counters[16];
    int n_load_counters;
    int64_t load_seq; /* the load client's last serial number (§6.3) */
    /* Actions performed (each may fork the history): how a transcript
     * tells that an input in the past discarded the future. */
    unsigned long acts;
    /* Operations that changed something: not refused by the engine (a
     * request to a node that does not lead), not a no-op the cluster
     * reports (crashing a node that is down), not a delivery to a node
     * that is down. A goal counts an action only when it raised this. */
    unsigned long effective;
    /* Stopping long work: polled when set (NULL: never stops). */
    runner_stop_fn stop;
    void *stop_ctx;
    /* After runner_action: whether stop cut the action short, and then the
     * part that actually ran, as an action of the same kind, shorter: a
     * step of the events done, a run for the time passed, a settle of the
     * deliveries made, a load for the commands sent (stopped before the
     * next send, with the events before it done). A record holds it beside
     * the action asked; replaying the action with stop_at set to it stops
     * at the same point, and runner_action_rest says what is left. */
    bool interrupted;
    struct action ran;
    /* Replaying a record of a stopped action: stop exactly where this
     * shorter action (an earlier `ran`) ends, instead of asking stop. */
    const struct action *stop_at;
};

struct runner *runner_new(const struct lesson *l);
void runner_free(struct runner *r);
struct sim *runner_sim(const struct runner *r);

/* Performs one action. Returns 0, or -1 with the reason in err when the
 * action failed in the sense of the format (deliver with no match, run
 * reaching max with its until false, settle over max, ...). A long action
 * that r->stop cut short returns 0 with r->interrupted set. */
int runner_action(struct runner *r, const struct action *a, struct sbuf *err);

/* What of a long action a (step, run, settle, load) is left after the
 * shorter action ran of the same kind stopped it: performing ran and then
 * *rest does what performing a does. False if ran is no such part of a
 * (another kind, or not shorter). */
bool runner_action_rest(const struct action *a, const struct action *ran, struct action *rest);

/* Delivers, drops or duplicates (kind ACT_DELIVER, ACT_DROP, ACT_DUPLICATE)
 * the pending message with this id, as a learner picking it by hand. */
int runner_action_msg(struct runner *r, enum action_kind kind, uint64_t msg_id, struct sbuf *err);
/* One line for the feed and transcripts: "crash S2", "deliver AppendEntries to S3". */
void runner_describe_action(const struct runner *r, const struct action *a, struct sbuf *out);

/* Predict quizzes: runs a copy of the cluster forward for up to `within` ms
 * and returns the index of the choice whose fact holds first (the null
 * choice, or -1 if there is none, when no fact holds), or
 * RUNNER_PREDICT_STOPPED when r->stop stopped the look-ahead (only a copy
 * ran, so nothing needs recording). */
#define RUNNER_PREDICT_STOPPED (-2)
int runner_predict(const struct runner *r, const struct quiz *q);

/* The right answer of a value quiz as JSON text (fixed, or read live). */
void runner_value_answer(const struct runner *r, const struct quiz *q, struct sbuf *out);

/* Runs step r->step headless (check mode): performs do steps, evaluates
 * expects, verifies quiz keys against the engine and plays goal solutions,
 * reporting every check through on_check; then moves to the next step
 * (following goto). Returns false once the lesson is over. */
bool runner_step_headless(struct runner *r);

/* Runs a whole lesson headless; returns the number of failed checks. A
 * safety violation at any point counts as one failed check, unless the
 * lesson expects it (an `expect` with {"not": {"safe": true}}). */
int runner_check_all(struct runner *r);

#endif
