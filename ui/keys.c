/* keys: the binding table, and the hint line and help text made from it. */
#include "keys.h"

#include <curses.h>
#include <libintl.h>
#include <stdio.h>
#include <string.h>

#include "tutor/i18n.h"
#include "text.h"

#define K(c, cm, w, lb, hp, ht)                                                                    \
    {                                                                                              \
        .key = (c), .code = false, .cmd = (cm), .when = (w), .label = lb, .help = hp, .hint = ht   \
    }
#define KC(c, cm, w, lb, hp, ht)                                                                   \
    {                                                                                              \
        .key = (c), .code = true, .cmd = (cm), .when = (w), .label = lb, .help = hp, .hint = ht    \
    }
/* Enter arrives as '\n', '\r' or KEY_ENTER depending on the terminal. */
#define ENTER(cm, w, hp, ht)                                                                       \
    K('\n', cm, w, "Enter", hp, ht), K('\r', cm, w, "Enter", NULL, NULL),                          \
        KC(KEY_ENTER, cm, w, "Enter", NULL, NULL)

#define CONTINUES (UI_KC_SCRIPT | UI_KC_GOTO)
#define CHOICES (UI_KC_PICK | UI_KC_MULTI)
/* The digits: a choice, and after a prediction another one. */
#define DIGITS (CHOICES | UI_KC_REPICK)

/* Earlier rows win: a context's own meaning of a key comes before the
 * rows that hold everywhere. */
const struct ui_key ui_keys[] = {
    /* A question: y or n (any other key is no). */
    K('y', UI_CMD_YES, UI_KC_CONFIRM, "y", N_("yes"), NC_("key", "yes")),
    K('n', UI_CMD_NO, UI_KC_CONFIRM, "n", N_("no"), NC_("key", "no")),
    K(27, UI_CMD_NO, UI_KC_CONFIRM, "Esc", NULL, NULL),
    /* The resume box. */
    ENTER(UI_CMD_RESUME, UI_KC_RESUME, N_("resume where you left off"), NC_("key", "resume")),
    K('y', UI_CMD_RESUME, UI_KC_RESUME, "y", NULL, NC_("key", "resume")),
    K('r', UI_CMD_RESUME, UI_KC_RESUME, "r", NULL, NULL),
    K(' ', UI_CMD_RESUME, UI_KC_RESUME, "Space", NULL, NULL),
    K('n', UI_CMD_RESTART, UI_KC_RESUME, "n", N_("start the lesson over"),
      NC_("key", "start over")),
    K(27, UI_CMD_RESTART, UI_KC_RESUME, "Esc", NULL, NC_("key", "start over")),
    /* Continue means continue: Space, Enter and g go on with the lesson. */
    K(' ', UI_CMD_NEXT_STEP, CONTINUES, "Space", N_("continue the lesson"), NC_("key", "continue")),
    ENTER(UI_CMD_NEXT_STEP, CONTINUES, NULL, NC_("key", "continue")),
    K('g', UI_CMD_NEXT_STEP, CONTINUES, "g", NULL, NC_("key", "continue")),
    K(27, UI_CMD_SKIP_GOTO, UI_KC_GOTO, "Esc", N_("skip the goto: go on instead"),
      NC_("key", "skip")),
    /* A quiz: numbers answer, Enter submits; nothing steps the cluster. */
    K('1', UI_CMD_ANSWER, DIGITS, "1-9", N_("answer with that choice (several right: toggle it)"),
      NC_("key", "answer")),
    K('2', UI_CMD_ANSWER, DIGITS, NULL, NULL, NULL),
    K('3', UI_CMD_ANSWER, DIGITS, NULL, NULL, NULL),
    K('4', UI_CMD_ANSWER, DIGITS, NULL, NULL, NULL),
    K('5', UI_CMD_ANSWER, DIGITS, NULL, NULL, NULL),
    K('6', UI_CMD_ANSWER, DIGITS, NULL, NULL, NULL),
    K('7', UI_CMD_ANSWER, DIGITS, NULL, NULL, NULL),
    K('8', UI_CMD_ANSWER, DIGITS, NULL, NULL, NULL),
    K('9', UI_CMD_ANSWER, DIGITS, NULL, NULL, NULL),
    ENTER(UI_CMD_SUBMIT, UI_KC_MULTI, N_("answer with the choices toggled"), NC_("key", "submit")),
    K('g', UI_CMD_REVEAL, UI_KC_QUIZ | UI_KC_RETRY, "g", N_("after a miss: show the answer"),
      NC_("key", "show the answer")),
    ENTER(UI_CMD_TYPE_ANSWER, UI_KC_VALUE, N_("type your answer"), NC_("key", "type the answer")),
    K(' ', UI_CMD_TYPE_ANSWER, UI_KC_VALUE, "Space", NULL, NULL),
    K('g', UI_CMD_TYPE_ANSWER, UI_KC_VALUE, "g", NULL, NULL),
    K(' ', UI_CMD_NEED_ANSWER, CHOICES, "Space", NULL, NULL),
    ENTER(UI_CMD_NEED_ANSWER, UI_KC_PICK, NULL, NULL),
    K('g', UI_CMD_NEED_ANSWER, CHOICES, "g", NULL, NULL),
    K('H', UI_CMD_HINT, UI_KC_QUIZ, "H", N_("quiz: show the hint"), NC_("key", "hint")),
    /* The learner's controls: Space steps, Enter delivers. */
    K(' ', UI_CMD_STEP, UI_KC_FREE, "Space", N_("step the cluster: process the next event"),
      NC_("key", "step")),
    ENTER(UI_CMD_DELIVER, UI_KC_FREE, NULL, NC_("key", "deliver")),
    K('s', UI_CMD_SOLUTION, UI_KC_GOAL, "s",
      N_("give up the goal: watch its solution step by step"), NC_("key", "solution")),
    K('g', UI_CMD_NEXT_STEP, UI_KC_FREE, "g", NULL, NULL),
    /* Everywhere but a question. */
    K('n', UI_CMD_STEP, UI_KC_MAIN, "n", N_("step the cluster: process the next event"), NULL),
    K('d', UI_CMD_DELIVER, UI_KC_MAIN, "d", N_("deliver the selected message"), NULL),
    K('x', UI_CMD_DROP, UI_KC_MAIN, "x", N_("drop the selected message"), NC_("key", "drop")),
    K('D', UI_CMD_DUPLICATE, UI_KC_MAIN, "D", N_("duplicate the selected message"), NULL),
    K('c', UI_CMD_CRASH, UI_KC_MAIN, "c", N_("crash or restart the selected node"),
      NC_("key", "crash")),
    K('t', UI_CMD_TIMEOUT, UI_KC_MAIN, "t", N_("fire the selected node's timer"),
      NC_("key", "timer")),
    K('r', UI_CMD_REQUEST, UI_KC_MAIN, "r", N_("client request / proposal to the node"),
      NC_("key", "request")),
    K('p', UI_CMD_PARTITION, UI_KC_MAIN, "p", N_("partition: groups like S1 S2 | S3 S4 S5"), NULL),
    K('u', UI_CMD_HEAL, UI_KC_MAIN, "u", N_("unpartition: heal every partition and cut link"),
      NULL),
    K(':', UI_CMD_COMMAND, UI_KC_MAIN, ":",
      N_("an action by name: settle (deliver what is in flight), run MS (let time pass), step "
         "N, crash/restart/timeout NODE, request NODE TEXT (Paxos: propose), deliver/drop/dup "
         "#ID, partition S1 S2 | S3, heal; in Raft also read NODE KEY, transfer NODE, "
         "add_server/remove_server/snapshot NODE"),
      NULL),
    /* The explorer runs where the lesson has nothing else to say: at its
     * explore step, in a sandbox and after the end. */
    K('E', UI_CMD_EXPLORE, UI_KC_END | UI_KC_EXPLORE, "E",
      N_("explorer: search the schedules from here for a broken safety invariant; what it finds "
         "plays as a branch of the history (f steps through it)"),
      NC_("key", "explore")),
    K('B', UI_CMD_BRANCH, UI_KC_MAIN, "B",
      N_("switch to the branch you left: acting in the past keeps the old future"), NULL),
    K('b', UI_CMD_BACK, UI_KC_MAIN, "b", N_("back one step in the history"), NC_("key", "back")),
    KC(KEY_LEFT, UI_CMD_BACK, UI_KC_MAIN, "\xe2\x86\x90", NULL, NULL),
    K('f', UI_CMD_FORWARD, UI_KC_MAIN, "f", N_("forward one step in the history"),
      NC_("key", "fwd")),
    KC(KEY_RIGHT, UI_CMD_FORWARD, UI_KC_MAIN, "\xe2\x86\x92", NULL, NULL),
    K('a', UI_CMD_AUTOPLAY, UI_KC_MAIN, "a", N_("autoplay on/off"), NULL),
    K('+', UI_CMD_FASTER, UI_KC_MAIN, "+", N_("autoplay faster"), NULL),
    K('=', UI_CMD_FASTER, UI_KC_MAIN, "=", NULL, NULL),
    K('-', UI_CMD_SLOWER, UI_KC_MAIN, "-", N_("autoplay slower"), NULL),
    K('\t', UI_CMD_FOCUS_NEXT, UI_KC_MAIN, "Tab", N_("focus the next panel"), NULL),
    K('l', UI_CMD_FOCUS_NEXT, UI_KC_MAIN, "l", NULL, NULL),
    KC(KEY_BTAB, UI_CMD_FOCUS_PREV, UI_KC_MAIN, "S-Tab", N_("focus the previous panel"), NULL),
    K('h', UI_CMD_FOCUS_PREV, UI_KC_MAIN, "h", NULL, NULL),
    K('1', UI_CMD_FOCUS_1 + 0, UI_KC_MAIN, "1-6", N_("focus a panel (numbers in their titles)"),
      NULL),
    K('2', UI_CMD_FOCUS_1 + 1, UI_KC_MAIN, "2", NULL, NULL),
    K('3', UI_CMD_FOCUS_1 + 2, UI_KC_MAIN, "3", NULL, NULL),
    K('4', UI_CMD_FOCUS_1 + 3, UI_KC_MAIN, "4", NULL, NULL),
    K('5', UI_CMD_FOCUS_1 + 4, UI_KC_MAIN, "5", NULL, NULL),
    K('6', UI_CMD_FOCUS_1 + 5, UI_KC_MAIN, "6", NULL, NULL),
    KC(KEY_UP, UI_CMD_UP, UI_KC_MAIN, "\xe2\x86\x91/k", N_("cursor up: select a node or message"),
       NULL),
    K('k', UI_CMD_UP, UI_KC_MAIN, "k", NULL, NULL),
    KC(KEY_DOWN, UI_CMD_DOWN, UI_KC_MAIN, "\xe2\x86\x93/j", N_("move the cursor down"), NULL),
    K('j', UI_CMD_DOWN, UI_KC_MAIN, "j", NULL, NULL),
    KC(KEY_PPAGE, UI_CMD_PAGE_UP, UI_KC_MAIN, "PgUp", N_("scroll the focused panel up"), NULL),
    KC(KEY_NPAGE, UI_CMD_PAGE_DOWN, UI_KC_MAIN, "PgDn", N_("scroll the focused panel down"), NULL),
    K('/', UI_CMD_SEARCH, UI_KC_MAIN, "/", N_("search the feed (n: older, N: newer, Esc: end)"),
      NULL),
    K('N', UI_CMD_SEARCH_PREV, UI_KC_MAIN, "N", N_("previous search match"), NULL),
    K(27, UI_CMD_END_SEARCH, UI_KC_MAIN, "Esc", N_("end the search: n steps again"), NULL),
    K('v', UI_CMD_SPACETIME, UI_KC_MAIN, "v",
      N_("space-time view on/off: messages as arrows between nodes"), NULL),
    K('e', UI_CMD_EXPORT, UI_KC_MAIN, "e", N_("export the transcript: JSON, Markdown or SVG"),
      NULL),
    K('?', UI_CMD_HELP, UI_KC_MAIN, "?", N_("this help"), NC_("key", "help")),
    K('L' - 64, UI_CMD_REDRAW, UI_KC_MAIN, "^L", N_("redraw the screen"), NULL),
    K('q', UI_CMD_QUIT, UI_KC_MAIN, "q", N_("quit (asks first)"), NC_("key", "quit")),
};
const size_t ui_n_keys = sizeof ui_keys / sizeof ui_keys[0];

bool ui_keys_offer(enum action_kind kind)
{
    for (size_t i = 0; i < ui_n_keys; i++) {
        bool offers = false;
        switch (ui_keys[i].cmd) {
        case UI_CMD_STEP:
            offers = kind == ACT_STEP;
            break;
        case UI_CMD_COMMAND:
            offers = kind == ACT_SETTLE || kind == ACT_RUN || kind == ACT_STEP ||
                     kind == ACT_READ || kind == ACT_TRANSFER || kind == ACT_ADD_SERVER ||
                     kind == ACT_REMOVE_SERVER || kind == ACT_SNAPSHOT;
            break;
        case UI_CMD_DELIVER:
            offers = kind == ACT_DELIVER;
            break;
        case UI_CMD_DROP:
            offers = kind == ACT_DROP;
            break;
        case UI_CMD_DUPLICATE:
            offers = kind == ACT_DUPLICATE;
            break;
        case UI_CMD_CRASH:
            offers = kind == ACT_CRASH || kind == ACT_RESTART;
            break;
        case UI_CMD_TIMEOUT:
            offers = kind == ACT_TIMEOUT;
            break;
        case UI_CMD_REQUEST:
            offers = kind == ACT_REQUEST || kind == ACT_PROPOSE;
            break;
        case UI_CMD_PARTITION:
            offers = kind == ACT_PARTITION;
            break;
        case UI_CMD_HEAL:
            offers = kind == ACT_HEAL;
            break;
        default:
            break;
        }
        if (offers)
            return true;
    }
    return false;
}

static bool applies(const struct ui_key *k, unsigned ctx)
{
    if (!(k->when & ctx & ~(unsigned)UI_KC_RETRY))
        return false;
    return !(k->when & UI_KC_RETRY) || (ctx & UI_KC_RETRY);
}

bool ui_key_active(size_t i, unsigned ctx)
{
    if (i >= ui_n_keys || !applies(&ui_keys[i], ctx))
        return false;
    for (size_t j = 0; j < i; j++)
        if (ui_keys[j].key == ui_keys[i].key && ui_keys[j].code == ui_keys[i].code &&
            applies(&ui_keys[j], ctx))
            return false;
    return true;
}

/* The first row in force for cmd before row i, or i itself. */
static bool first_of_cmd(size_t i, unsigned ctx)
{
    for (size_t j = 0; j < i; j++)
        if (ui_keys[j].cmd == ui_keys[i].cmd && ui_key_active(j, ctx))
            return false;
    return true;
}

/* "Space/Enter/g": the labels of the rows in force for row i's command
 * (with a hint when hinted), each once. */
static void cmd_labels(size_t i, unsigned ctx, bool hinted, const char *sep, int n_choices,
                       char *out, size_t n)
{
    out[0] = 0;
    for (size_t j = i; j < ui_n_keys; j++) {
        const struct ui_key *k = &ui_keys[j];
        if (k->cmd != ui_keys[i].cmd || !k->label || !ui_key_active(j, ctx) || (hinted && !k->hint))
            continue;
        char label[16];
        if (k->cmd == UI_CMD_ANSWER && n_choices > 1 && n_choices <= 9)
            snprintf(label, sizeof label, "1-%d", n_choices);
        else
            snprintf(label, sizeof label, "%s", ui_tr_keycap(k->label));
        /* "↑/k" already names k. */
        if (strstr(out, label))
            continue;
        size_t l = strlen(out);
        snprintf(out + l, n - l, "%s%s", l ? sep : "", label);
    }
}

enum ui_cmd ui_key_lookup(int key, bool code, unsigned ctx)
{
    for (size_t i = 0; i < ui_n_keys; i++)
        if (ui_keys[i].key == key && ui_keys[i].code == code && applies(&ui_keys[i], ctx))
            return ui_keys[i].cmd;
    return UI_CMD_NONE;
}

/* The hint line's item for row i ("Space/Enter/g continue") into item, or
 * false when row i makes none in this state. */
static bool hint_item(const struct ui_keys_state *st, size_t i, char *item, size_t n)
{
    unsigned ctx = st->ctx;
    const struct ui_key *k = &ui_keys[i];
    if (!k->hint || !ui_key_active(i, ctx) || (st->hidden >> k->cmd & 1))
        return false;
    /* One item per command: its first hinted row in force. */
    for (size_t j = 0; j < i; j++)
        if (ui_keys[j].cmd == k->cmd && ui_keys[j].hint && ui_key_active(j, ctx))
            return false;
    char labels[48];
    cmd_labels(i, ctx, true, "/", st->n_choices, labels, sizeof labels);
    const char *word = ui_tr_key_hint(k->cmd, k->hint);
    if (k->cmd == UI_CMD_NEXT_STEP && st->go_word)
        word = st->go_word;
    else if (k->cmd == UI_CMD_REQUEST && st->request_word)
        word = st->request_word;
    else if (k->cmd == UI_CMD_CRASH && st->crash_word)
        word = st->crash_word;
    else if (k->cmd == UI_CMD_ANSWER && st->answer_word)
        word = st->answer_word;
    snprintf(item, n, "%s %s", labels, word);
    return true;
}

/* How much the hint line must keep: help (the way to every other key),
 * then quit (the way out) and c on a node that is down (the way to
 * restart it, which a newcomer could not find), then the rest in the
 * table's order. */
static int hint_rank(const struct ui_keys_state *st, enum ui_cmd cmd)
{
    if (cmd == UI_CMD_CRASH && st->crash_word)
        return 1;
    return cmd == UI_CMD_HELP ? 0 : cmd == UI_CMD_QUIT ? 1 : 2;
}

void ui_keys_hint(const struct ui_keys_state *st, char *out, size_t outsz, int cols)
{
    enum { SEP = 2 }; /* columns between two items */
    bool kept[sizeof ui_keys / sizeof ui_keys[0]] = {false};
    int width = -SEP;
    /* Which items fit, the most needed first, each whole or not at all. */
    for (int rank = 0; rank < 3; rank++)
        for (size_t i = 0; i < ui_n_keys; i++) {
            char item[128];
            if (hint_rank(st, ui_keys[i].cmd) != rank || !hint_item(st, i, item, sizeof item))
                continue;
            int w = ui_text_width(item) + SEP;
            if (width + w > cols)
                continue;
            kept[i] = true;
            width += w;
        }
    /* Shown help first, the rest in the table's order (quit is last). */
    char buf[512] = "";
    size_t len = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < ui_n_keys; i++) {
            char item[128];
            if (!kept[i] || (ui_keys[i].cmd == UI_CMD_HELP) != (pass == 0) ||
                !hint_item(st, i, item, sizeof item))
                continue;
            int l = snprintf(buf + len, sizeof buf - len, "%s%s", len ? "  " : "", item);
            if (l < 0 || (size_t)l >= sizeof buf - len)
                break;
            len += (size_t)l;
        }
    ui_text_truncate(buf, cols, NULL, out, outsz);
}

/* Whether some row of cmd is in force in ctx. */
static bool cmd_in_force(enum ui_cmd cmd, unsigned ctx)
{
    for (size_t i = 0; i < ui_n_keys; i++)
        if (ui_keys[i].cmd == cmd && ui_key_active(i, ctx))
            return true;
    return false;
}

static void help_line(char *line, const char *keys, const char *help)
{
    int pad = 12 - ui_text_width(keys);
    snprintf(line, UI_HELP_LINE, "  %s%*s %s", keys, pad > 0 ? pad : 0, "", help);
}

size_t ui_keys_help(unsigned ctx, char (*lines)[UI_HELP_LINE], size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < ui_n_keys && n < max; i++) {
        if (!ui_key_active(i, ctx) || !first_of_cmd(i, ctx))
            continue;
        /* One line per command in force: every key bound to it, and the
         * first help text among them. */
        const char *help = NULL;
        for (size_t j = i; j < ui_n_keys && !help; j++)
            if (ui_keys[j].cmd == ui_keys[i].cmd && ui_key_active(j, ctx))
                help = ui_keys[j].help;
        if (!help)
            continue;
        char keys[48];
        cmd_labels(i, ctx, false, ", ", 0, keys, sizeof keys);
        help_line(lines[n++], keys, ui_tr_key_help(ui_keys[i].cmd, help));
    }
    /* The keys of other states, so a newcomer learns them before needing
     * them: s in a goal, the digits at a quiz. */
    if (ctx & UI_KC_MAIN && !cmd_in_force(UI_CMD_SOLUTION, ctx) && n < max)
        help_line(lines[n++], "s",
                  gettext(N_("in a goal: give up and watch its solution step by step")));
    if (ctx & UI_KC_MAIN && !cmd_in_force(UI_CMD_ANSWER, ctx) && n < max)
        help_line(
            lines[n++], "1-9",
            gettext(N_("at a quiz: a digit answers with that choice (Enter submits several)")));
    /* Once, at the end: the feed's English names, and where they come from. */
    if (ctx & UI_KC_MAIN && n + 1 < max) {
        help_line(lines[n++], "", ui_tr(UI_MSG_FIELDS_LEGEND));
        help_line(lines[n++], "", ui_tr(UI_MSG_FIELDS_SHORT));
    }
    return n;
}
