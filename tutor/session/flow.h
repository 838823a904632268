/* flow: the session core — a lesson or sandbox in progress, driven one
 * step at a time with the learner in control between steps. The curses UI
 * and the plain line mode are two views of it that only draw and read
 * input; check, verify and replay drive it with no view. `say` waits,
 * `do` is performed when the learner goes on, `expect` is checked on the
 * way (a failure is a warning in the feed, never the learner's fault),
 * `quiz` waits for an answer, `goal` hands over the controls until its
 * fact holds. No curses here. */
#ifndef TUTOR_SESSION_FLOW_H
#define TUTOR_SESSION_FLOW_H

#include <stdbool.h>

#include "protocols/sbuf.h"
#include "tutor/score.h"
#include "tutor/runner.h"
#include "tutor/transcript.h"

enum flow_state {
    FLOW_SAY,       /* a say is shown; continuing moves on */
    FLOW_DO,        /* the next step is a do: continuing performs it */
    FLOW_QUIZ,      /* waiting for an answer */
    FLOW_ANSWERED,  /* the quiz's result is shown; continuing moves on */
    FLOW_GOAL,      /* the learner has the controls until the goal holds */
    FLOW_GOAL_DONE, /* reached (or the solution played); continuing moves on */
    FLOW_GOTO,      /* asks before following a goto */
    FLOW_END,
    FLOW_PREDICTED, /* a prediction is picked: continuing runs the lesson on, then reveals */
    FLOW_SOLUTION,  /* the goal's solution plays, one action per continue */
    FLOW_EXPLORE,   /* an explore step: continuing runs the search from here */
    FLOW_EXPLORED,  /* its outcome is shown (what was found plays as a branch of the history);
                       continuing goes back to the state the search began in and moves on */
};

/* What the lesson was doing at one history position (b/f restore it). */
struct flow_mark {
    size_t step;       /* r->step */
    int goal_actions;  /* learner actions counted in the goal there */
    uint32_t rest;     /* the stopped do step whose partial run made it (flow.rest), 0: none */
    bool set;          /* written by the flow (a position the flow made) */
    bool detour;       /* made by the learner in a detour, not by the script */
    size_t detour_pos; /* in a detour: the script point it left (flow.detour_pos) */
    size_t goal_pos;   /* where the goal there started (give-up rewinds to it); at an explore
                          step, where the search began */
};

struct flow {
    struct runner *r;
    const struct lesson *l;
    enum flow_state state;
    const char *title;  /* the latest step title seen, or NULL */
    struct sbuf result; /* quiz verdict and explanation, goal news */
    bool right;         /* the last quiz answer was right */
    struct score score; /* the one score (tutor/score.h): earned, of what was tried */
    int goal_actions;   /* learner actions in the current goal (time passing is free) */
    size_t goal_pos;    /* the history position the current goal started at */
    /* A detour: the learner acted on their own during a scripted stretch.
     * The script point is kept; going on or answering returns to it first,
     * so the lesson never runs on (or asks) from a state it did not make. */
    bool detour;
    size_t detour_pos;
    /* In a detour, the cluster at the script point (detour_pos, NULL
     * otherwise): the lesson's text describes the script's run, so its
     * {S1.term} placeholders read their values here, not from the
     * cluster the learner changed. */
    struct sim *script_state;
    size_t script_state_pos;
    bool picked[16];       /* multiple-choice quiz: choices toggled so far */
    int tries;             /* wrong answers so far to the open quiz (one retry) */
    bool hint_shown;       /* the open quiz's hint is shown (asked for, or after a miss) */
    int predicted;         /* predict quiz: the learner's pick */
    int truth;             /* predict quiz: the choice runner_predict found, -1: none */
    size_t quiz_at;        /* the step of the quiz whose verdict is shown */
    bool ran_on;           /* the verdict came after the lesson ran on (predict) */
    size_t sol_i;          /* FLOW_SOLUTION: solution actions played */
    unsigned char *scored; /* per step: points already given (counted once) */
    struct sbuf inputs;    /* the learner's inputs, one input object (JSON) per line */
    size_t n_inputs;
    /* Set by a view: asked during a long action (a learner's step N, run,
     * settle, load, or a lesson's do step of those) whether to stop it
     * where it is. The record then holds, beside the action, the shorter
     * action that ran ("stopped"), and a replay stops exactly there. */
    runner_stop_fn stop;
    void *stop_ctx;
    bool stopped; /* the last action was stopped so (why says what ran) */
    /* A lesson's do step stopped part-way stays the current step with
     * what is left of it, run by going on: rests[rest - 1] (0: none). The
     * positions its partial run made carry the number in their marks, so
     * b/f bring it back. */
    struct flow_rest {
        struct action act; /* what is left to run */
        size_t stop_pos;   /* the history position it stopped at */
    } * rests;
    size_t n_rests, cap_rests;
    uint32_t rest;
    const struct action *replay_stop; /* replaying a stopped continue: where */
    bool plain; /* the view reads commands, not keys (the plain mode's words) */
    /* The explorer (flow_explore): while it runs, how far it got, for the
     * view's progress line (read in the stop hook); after it, its outcome
     * in words, and per step whether an explore step's search ran. */
    struct {
        bool on;
        long states;
        size_t frontier;
        int depth;
        double per_s;
    } exploring;
    struct sbuf explored; /* the last search's outcome in words */
    size_t explored_at;   /* the step it ran at (n_steps or more: after the end, a sandbox) */
    bool explore_played;  /* it found a schedule and played it (f steps through it) */
    unsigned char *searched;
};

void flow_init(struct flow *f, struct runner *r);
void flow_free(struct flow *f);
/* The current step, or NULL at the end. */
const struct step *flow_step(const struct flow *f);
/* Moves on (Space/Enter/g): continues after a say, a quiz result or a goal,
 * performs a do, follows a goto. Returns false when nothing moved (a quiz
 * waits for its answer, a goal for its fact: why says so). */
bool flow_continue(struct flow *f, struct sbuf *why);
/* Skips a goto instead of following it. */
void flow_skip_goto(struct flow *f);
/* Answers a choice or predict quiz with choice i (0-based). For a choice
 * quiz with several right answers, each call toggles one choice and
 * flow_answer_submit() answers. After a prediction, until the lesson runs
 * on, a later choice replaces the pick. False when nothing was taken (no
 * quiz here, or no choice i: flow_choices_why says which are). */
bool flow_answer_choice(struct flow *f, int i);
/* "only 1-4 are choices" for the open choice or predict quiz, into why. */
void flow_choices_why(const struct flow *f, struct sbuf *why);
/* False (nothing recorded) when nothing is picked and the quiz has a right
 * choice: an empty Enter costs no try. */
bool flow_answer_submit(struct flow *f);
/* Answers a value quiz with typed text. */
void flow_answer_value(struct flow *f, const char *text);
/* A learner's action (recorded in the history through runner_action). In
 * a goal, forbidden actions and actions beyond max_actions are refused
 * with the reason in why and -1. */
int flow_action(struct flow *f, const struct action *a, struct sbuf *why);
/* deliver, drop or duplicate (kind) the pending message id, as a learner's
 * action (through the lesson format's match, so it is recorded). */
int flow_msg_action(struct flow *f, enum action_kind kind, uint64_t id, struct sbuf *why);
/* A learner's action with no arguments but a node (step, crash, restart,
 * timeout, heal) or a text (request, propose). */
void flow_simple_action(struct action *a, enum action_kind kind, int node, const char *text);
/* A learner's action written as one lesson-format JSON object (the plain
 * mode's JSON commands, a recorded input): read through the lesson loader,
 * refused with its errors in why (-1), otherwise as flow_action. */
int flow_action_json(struct flow *f, const char *json, struct sbuf *why);
/* Gives one input (of the one vocabulary: tutor/transcript.h) to the flow
 * as the learner gave it. 0 when the flow took it, -1 when it did nothing
 * here (why may say why). */
int flow_give(struct flow *f, const struct transcript_in *in, struct sbuf *why);
/* Checks saved inputs (one input object per line) against the lesson
 * before any of them runs. 0, or -1 with "inputs[N]...: why" in err. */
int flow_inputs_check(const struct lesson *l, const char *inputs, struct sbuf *err);
/* Parses "S1 S2 | S3 S4 S5" into partition groups (nodes not named form
 * one more group). 0, or -1 with the reason in why. */
int flow_parse_groups(const struct lesson *l, const char *text, int *groups, struct sbuf *why);

/* Runs the safety lab's explorer from the current state (lesson format,
 * "The safety lab"): at an explore step with its bounds and target (what
 * continuing there does too), in a sandbox or after the lesson's end with
 * the default bounds and a broken invariant as the target. The schedule
 * found (shrunk) is played from here as a learner's actions would be,
 * forking the history if this is the past, and the history comes back
 * here, so f steps through it; a feed line says what was found, or that
 * nothing was. The stop hook is polled as it runs (f->exploring says how
 * far it got): a stopped search plays and records nothing. The input
 * recorded is the search itself (it is deterministic). 0, or -1 with why
 * (not here, or stopped). */
int flow_explore(struct flow *f, struct sbuf *why);
/* True when flow_explore works in the current state. */
bool flow_can_explore(const struct flow *f);

/* Gives up the current goal: its solution then plays one action per
 * flow_continue, so the learner watches it (FLOW_SOLUTION). */
void flow_give_up(struct flow *f);
/* Shows the open quiz's hint. False when there is no quiz or no hint. */
bool flow_show_hint(struct flow *f);
/* Moves the history to pos (b/f) and the lesson with it: the lesson step
 * (and goal count) recorded for that position comes back. */
void flow_seek(struct flow *f, size_t pos);
/* Makes branch i of the history (h->branches, 0 the oldest) the current
 * line and goes to its end, the lesson with it; the line left becomes a
 * branch. 0, or -1 with the reason in why. */
int flow_switch_branch(struct flow *f, size_t i, struct sbuf *why);
/* Re-checks a goal's fact after the history moved (back/forward). */
void flow_refresh(struct flow *f);
/* Replays recorded inputs (f->inputs of an earlier run of the same
 * lesson, checked with flow_inputs_check) on a fresh flow; the run comes
 * out the same. Returns the number of inputs the flow took. */
size_t flow_replay(struct flow *f, const char *inputs);
/* "score 3/4": points earned of the points of what was tried
 * (tutor/score.h). False, and out empty, while nothing was tried: a view
 * shows no score then. */
bool flow_score_text(const struct flow *f, char *out, size_t n);
/* The current step as text for the lesson panel: the say (with live
 * values), the quiz question, the goal and its progress, or what the next
 * do will do. */
void flow_describe(const struct flow *f, struct sbuf *out);
/* "step 4/17" */
void flow_progress(const struct flow *f, char *out, size_t n);

#endif
