/* keys: the binding table, and the hint line and help text made from it. */
#include "keys.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "text.h"

#define K(c, cm, lb, hp, ht)                                                                       \
    {                                                                                              \
        .key = (c), .code = false, .cmd = (cm), .label = lb, .help = hp, .hint = ht                \
    }
#define KC(c, cm, lb, hp, ht)                                                                      \
    {                                                                                              \
        .key = (c), .code = true, .cmd = (cm), .label = lb, .help = hp, .hint = ht                 \
    }

const struct ui_key ui_keys[] = {
    K(' ', UI_CMD_STEP, "Space", N_("step the cluster (at a say: continue)"), NC_("key", "step")),
    K('n', UI_CMD_STEP, "n", N_("step (feed, after a search: older match)"), NULL),
    K('\n', UI_CMD_DELIVER, "Enter", N_("deliver the selected message (say: continue)"),
      NC_("key", "deliver")),
    KC(KEY_ENTER, UI_CMD_DELIVER, "Enter", NULL, NULL),
    K('\r', UI_CMD_DELIVER, "Enter", NULL, NULL),
    K('x', UI_CMD_DROP, "x", N_("drop the selected message"), NC_("key", "drop")),
    K('D', UI_CMD_DUPLICATE, "D", N_("duplicate the selected message"), NULL),
    K('c', UI_CMD_CRASH, "c", N_("crash or restart the selected node"), NC_("key", "crash")),
    K('t', UI_CMD_TIMEOUT, "t", N_("fire the selected node's timer"), NC_("key", "timer")),
    K('r', UI_CMD_REQUEST, "r", N_("client request / proposal to the node"), NC_("key", "request")),
    K('p', UI_CMD_PARTITION, "p", N_("partition: groups like S1 S2 | S3 S4 S5"), NULL),
    K('h', UI_CMD_HEAL, "h", N_("heal every partition and cut link"), NULL),
    K('b', UI_CMD_BACK, "b", N_("back one step in the history"), NC_("key", "back")),
    KC(KEY_LEFT, UI_CMD_BACK, "\xe2\x86\x90", NULL, NULL),
    K('f', UI_CMD_FORWARD, "f", N_("forward one step in the history"), NC_("key", "fwd")),
    KC(KEY_RIGHT, UI_CMD_FORWARD, "\xe2\x86\x92", NULL, NULL),
    K('g', UI_CMD_NEXT_STEP, "g", N_("go on to the next lesson step"), NC_("key", "lesson")),
    K('a', UI_CMD_AUTOPLAY, "a", N_("autoplay on/off"), NULL),
    K('+', UI_CMD_FASTER, "+", N_("autoplay faster"), NULL),
    K('=', UI_CMD_FASTER, "=", NULL, NULL),
    K('-', UI_CMD_SLOWER, "-", N_("autoplay slower"), NULL),
    K('\t', UI_CMD_FOCUS_NEXT, "Tab", N_("focus the next panel"), NULL),
    KC(KEY_BTAB, UI_CMD_FOCUS_PREV, "S-Tab", N_("focus the previous panel"), NULL),
    K('1', UI_CMD_FOCUS_1 + 0, "1-6",
      N_("focus a panel (numbers in their titles); in a quiz: answer"), NULL),
    K('2', UI_CMD_FOCUS_1 + 1, "2", NULL, NULL),
    K('3', UI_CMD_FOCUS_1 + 2, "3", NULL, NULL),
    K('4', UI_CMD_FOCUS_1 + 3, "4", NULL, NULL),
    K('5', UI_CMD_FOCUS_1 + 4, "5", NULL, NULL),
    K('6', UI_CMD_FOCUS_1 + 5, "6", NULL, NULL),
    KC(KEY_UP, UI_CMD_UP, "\xe2\x86\x91/k", N_("cursor up: select a node or message"), NULL),
    K('k', UI_CMD_UP, "k", NULL, NULL),
    KC(KEY_DOWN, UI_CMD_DOWN, "\xe2\x86\x93/j", N_("move the cursor down"), NULL),
    K('j', UI_CMD_DOWN, "j", NULL, NULL),
    KC(KEY_PPAGE, UI_CMD_PAGE_UP, "PgUp", N_("scroll the focused panel up"), NULL),
    KC(KEY_NPAGE, UI_CMD_PAGE_DOWN, "PgDn", N_("scroll the focused panel down"), NULL),
    K('/', UI_CMD_SEARCH, "/", N_("search the feed (n: older, N: newer)"), NULL),
    K('N', UI_CMD_SEARCH_PREV, "N", N_("previous search match"), NULL),
    K('s', UI_CMD_SOLUTION, "s", N_("give up a goal: watch its solution step by step"), NULL),
    K('H', UI_CMD_HINT, "H", N_("quiz: show the hint"), NULL),
    K('v', UI_CMD_SPACETIME, "v", N_("space-time view on/off: messages as arrows between nodes"),
      NULL),
    K('e', UI_CMD_EXPORT, "e", N_("export the transcript: JSON, Markdown or SVG"), NULL),
    K('?', UI_CMD_HELP, "?", N_("this help"), NC_("key", "help")),
    K('L' - 64, UI_CMD_REDRAW, "^L", N_("redraw the screen"), NULL),
    K('q', UI_CMD_QUIT, "q", N_("quit (asks first)"), NC_("key", "quit")),
};
const size_t ui_n_keys = sizeof ui_keys / sizeof ui_keys[0];

enum ui_cmd ui_key_lookup(int key, bool code)
{
    for (size_t i = 0; i < ui_n_keys; i++)
        if (ui_keys[i].key == key && ui_keys[i].code == code)
            return ui_keys[i].cmd;
    return UI_CMD_NONE;
}

void ui_keys_hint(char *out, size_t outsz, int cols)
{
    char buf[512] = "";
    size_t len = 0;
    int width = 0;
    /* Help first, so the way to every other key is always on screen; then
     * the table's order, each item whole or not at all. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < ui_n_keys; i++) {
            if (!ui_keys[i].hint || (ui_keys[i].cmd == UI_CMD_HELP) != (pass == 0))
                continue;
            char item[64];
            snprintf(item, sizeof item, "%s%s %s", len ? "  " : "", ui_keys[i].label,
                     ui_tr_key_hint(ui_keys[i].cmd, ui_keys[i].hint));
            int w = ui_text_width(item);
            if (width + w > cols || len + strlen(item) + 1 > sizeof buf)
                continue;
            memcpy(buf + len, item, strlen(item) + 1);
            len += strlen(item);
            width += w;
        }
    }
    ui_text_truncate(buf, cols, NULL, out, outsz);
}

size_t ui_keys_help(char (*lines)[128], size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < ui_n_keys && n < max; i++) {
        if (!ui_keys[i].help)
            continue;
        /* Every key bound to the same command and without help of its own
         * is listed on the line of the first. */
        char keys[48];
        snprintf(keys, sizeof keys, "%s", ui_keys[i].label);
        for (size_t j = i + 1; j < ui_n_keys; j++)
            if (ui_keys[j].cmd == ui_keys[i].cmd && !ui_keys[j].help &&
                strcmp(ui_keys[j].label, ui_keys[i].label) &&
                !strstr(ui_keys[i].label, ui_keys[j].label) && ui_keys[i].cmd < UI_CMD_FOCUS_1) {
                size_t l = strlen(keys);
                snprintf(keys + l, sizeof keys - l, ", %s", ui_keys[j].label);
            }
        int pad = 12 - ui_text_width(keys);
        snprintf(lines[n], 128, "  %s%*s %s", keys, pad > 0 ? pad : 0, "",
                 ui_tr_key_help(ui_keys[i].cmd, ui_keys[i].help));
        n++;
    }
    return n;
}
