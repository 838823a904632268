/* keys: the key bindings as data, each row for the states (contexts) it
 * applies in. The loop looks keys up, and the help overlay and the hint
 * line are generated, from the rows of the current context only, so they
 * can never disagree with what a key does now. Habits of htop, tig and
 * vim: h j k l only move, Space/Enter/g continue a lesson, q asks. */
#ifndef UI_KEYS_H
#define UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tutor/lesson.h"

enum ui_cmd {
    UI_CMD_NONE,
    UI_CMD_STEP,    /* process the next event */
    UI_CMD_DELIVER, /* deliver the selected message */
    UI_CMD_DROP,
    UI_CMD_DUPLICATE,
    UI_CMD_CRASH,   /* crash or restart the selected node */
    UI_CMD_TIMEOUT, /* fire the selected node's timer */
    UI_CMD_REQUEST, /* client request (Raft) or proposal (Paxos) */
    UI_CMD_PARTITION,
    UI_CMD_HEAL,
    UI_CMD_BACK, /* one position back in the history */
    UI_CMD_FORWARD,
    UI_CMD_NEXT_STEP, /* run to the next lesson step / continue */
    UI_CMD_AUTOPLAY,
    UI_CMD_FASTER,
    UI_CMD_SLOWER,
    UI_CMD_FOCUS_NEXT,
    UI_CMD_FOCUS_PREV,
    UI_CMD_FOCUS_1, /* ... UI_CMD_FOCUS_1 + 6 */
    UI_CMD_UP = UI_CMD_FOCUS_1 + 7,
    UI_CMD_DOWN,
    UI_CMD_PAGE_UP,
    UI_CMD_PAGE_DOWN,
    UI_CMD_SEARCH,
    UI_CMD_SEARCH_PREV, /* N */
    UI_CMD_SOLUTION,    /* give up a goal: play its solution */
    UI_CMD_HINT,        /* a quiz's hint, on request */
    UI_CMD_EXPORT,      /* e: export the transcript (JSON, Markdown, SVG) */
    UI_CMD_SPACETIME,   /* v: the space-time view on/off */
    UI_CMD_HELP,
    UI_CMD_REDRAW,
    UI_CMD_QUIT,
    UI_CMD_ANSWER,      /* 1-9 in a quiz: answer (or toggle) that choice */
    UI_CMD_SUBMIT,      /* Enter in a quiz with several right answers */
    UI_CMD_TYPE_ANSWER, /* a value quiz: type the answer */
    UI_CMD_REVEAL,      /* g after a miss: show the answer */
    UI_CMD_NEED_ANSWER, /* Space/Enter/g at an unanswered quiz: says so */
    UI_CMD_SKIP_GOTO,   /* Esc at a goto */
    UI_CMD_END_SEARCH,  /* Esc: the search ends, n steps again */
    UI_CMD_YES,         /* y/n of a question (quit, heal, crash in a quiz) */
    UI_CMD_NO,
    UI_CMD_RESUME, /* the resume box */
    UI_CMD_RESTART,
    UI_CMD_BRANCH,  /* B: switch to the branch of the history left last */
    UI_CMD_COMMAND, /* ':': settle, run MS, step N */
    UI_CMD_EXPLORE, /* E: the safety lab's explorer from here */
    UI_CMD_COUNT
};

/* Contexts, one bit each; ui_keys_ctx-style callers pass exactly one of
 * the first nine, plus UI_KC_RETRY in a quiz after a wrong try,
 * UI_KC_EXPLORE at an explore step and UI_KC_REPICK after a prediction. */
enum {
    UI_KC_SCRIPT = 1u << 0,   /* say, do, verdict, prediction, solution: continue */
    UI_KC_GOTO = 1u << 1,     /* a goto asks: continue or Esc */
    UI_KC_PICK = 1u << 2,     /* a choice or predict quiz */
    UI_KC_MULTI = 1u << 3,    /* a choice quiz with several answers */
    UI_KC_VALUE = 1u << 4,    /* a value quiz */
    UI_KC_GOAL = 1u << 5,     /* the learner has the controls */
    UI_KC_END = 1u << 6,      /* the lesson is over, or a sandbox */
    UI_KC_CONFIRM = 1u << 7,  /* a y/n question */
    UI_KC_RESUME = 1u << 8,   /* the resume box */
    UI_KC_RETRY = 1u << 9,    /* modifier: the quiz was missed once */
    UI_KC_EXPLORE = 1u << 10, /* with UI_KC_SCRIPT: at an explore step */
    UI_KC_REPICK = 1u << 11,  /* with UI_KC_SCRIPT: a prediction picked, a digit picks again */
    UI_KC_QUIZ = UI_KC_PICK | UI_KC_MULTI | UI_KC_VALUE,
    UI_KC_FREE = UI_KC_GOAL | UI_KC_END,
    UI_KC_MAIN = UI_KC_SCRIPT | UI_KC_GOTO | UI_KC_QUIZ | UI_KC_FREE,
};

struct ui_key {
    int key; /* a character, or a curses KEY_ code when code is true */
    bool code;
    enum ui_cmd cmd;
    unsigned when;     /* UI_KC_ bits of the contexts; with UI_KC_RETRY: only after a miss */
    const char *label; /* how the key is written: "Space", "←" */
    const char *help;  /* one line for the help overlay */
    const char *hint;  /* short word for the hint line, or NULL */
};

extern const struct ui_key ui_keys[];
extern const size_t ui_n_keys;

/* What the hint line says beyond the table: the word for "continue" in
 * this state ("do it", "watch it happen"; NULL: the table's), and a
 * quiz's number of choices (the "1-9" label becomes "1-4"; 0: as is). */
struct ui_keys_state {
    unsigned ctx;
    const char *go_word;
    const char *request_word; /* r's hint word when not "request" (Paxos: "propose") */
    const char
        *crash_word; /* c's hint word when not "crash" (the selected node is down: "restart") */
    const char *answer_word; /* the digits' hint word when not "answer" (NULL: as is) */
    int n_choices;
    uint64_t hidden; /* bit (1 << enum ui_cmd) per command the hint line leaves out
                        (a goal forbids its action: for c, what it does to the selected node) */
};

/* True when row i of the table is in force in ctx: it applies there and
 * no earlier row in force binds the same key. */
bool ui_key_active(size_t i, unsigned ctx);
/* The command bound to a key in ctx (wget_wch's result: code true for
 * KEY_CODE_YES); UI_CMD_NONE when the key does nothing there. */
enum ui_cmd ui_key_lookup(int key, bool code, unsigned ctx);
/* The hint line: "Space/Enter/g continue  ? help ..." cut to cols columns,
 * from the rows in force: every key bound to one command on one item. */
void ui_keys_hint(const struct ui_keys_state *st, char *out, size_t outsz, int cols);
/* The help lines ("  Space, n    step: process the next event"), one per
 * command in force in ctx, in table order, then the keys of a goal (s) and
 * of a quiz (the digits) when ctx is neither, saying where they work.
 * Returns the number of lines; the view wraps them to its width. */
enum { UI_HELP_LINE = 512 };
size_t ui_keys_help(unsigned ctx, char (*lines)[UI_HELP_LINE], size_t max);

/* True when some key (or the ':' prompt) gives the learner this lesson
 * action: what a goal's solution may use. */
bool ui_keys_offer(enum action_kind kind);

#endif
