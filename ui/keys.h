/* keys: the key bindings as data. The help overlay and the hint line are
 * generated from this table, so they can never disagree with the loop. */
#ifndef UI_KEYS_H
#define UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

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
    UI_CMD_COUNT
};

struct ui_key {
    int key; /* a character, or a curses KEY_ code when code is true */
    bool code;
    enum ui_cmd cmd;
    const char *label; /* how the key is written: "Space", "←" */
    const char *help;  /* one line for the help overlay */
    const char *hint;  /* short word for the hint line, or NULL */
};

extern const struct ui_key ui_keys[];
extern const size_t ui_n_keys;

/* The command bound to a key (wget_wch's result: code true for KEY_OK). */
enum ui_cmd ui_key_lookup(int key, bool code);
/* The hint line: "Space step  Enter deliver ..." cut to cols columns. */
void ui_keys_hint(char *out, size_t outsz, int cols);
/* The help lines ("  Space, n    step: process the next event"), one per
 * command, in table order. Returns the number of lines; each line at
 * most linesz bytes. */
size_t ui_keys_help(char (*lines)[128], size_t max);

#endif
