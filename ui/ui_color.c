/* ui_color: semantic roles mapped to colors through a scheme table (8 and
 * 256 colors on the terminal's own background), and a monochrome scheme
 * for NO_COLOR, --no-color and terminals without color, in which roles stay
 * readable by their letters and by bold, reverse and dim. */
#include <stdlib.h>

#include "ui_internal.h"

struct ui_scheme_entry {
    short fg8, fg256; /* -1: the terminal's default */
    short bg;         /* -1: the terminal's default */
    attr_t attr;      /* added to the color */
    attr_t mono;      /* the whole look without color */
};

static const struct ui_scheme_entry scheme[UI_R_COUNT] = {
    [UI_R_NORMAL] = {.fg8 = -1, .fg256 = -1, .bg = -1, .attr = A_NORMAL, .mono = A_NORMAL},
    [UI_R_BORDER] = {.fg8 = COLOR_BLUE, .fg256 = 67, .bg = -1, .attr = A_NORMAL, .mono = A_DIM},
    [UI_R_FOCUS] = {.fg8 = COLOR_CYAN, .fg256 = 45, .bg = -1, .attr = A_BOLD, .mono = A_BOLD},
    [UI_R_TITLE] = {.fg8 = -1, .fg256 = -1, .bg = -1, .attr = A_BOLD, .mono = A_BOLD},
    [UI_R_STATUS] =
        {.fg8 = COLOR_WHITE, .fg256 = 255, .bg = COLOR_BLUE, .attr = A_NORMAL, .mono = A_REVERSE},
    [UI_R_HINT] = {.fg8 = -1, .fg256 = 250, .bg = -1, .attr = A_NORMAL, .mono = A_NORMAL},
    [UI_R_FOLLOWER] = {.fg8 = -1, .fg256 = -1, .bg = -1, .attr = A_NORMAL, .mono = A_NORMAL},
    [UI_R_CANDIDATE] =
        {.fg8 = COLOR_YELLOW, .fg256 = 220, .bg = -1, .attr = A_BOLD, .mono = A_UNDERLINE},
    [UI_R_LEADER] =
        {.fg8 = COLOR_GREEN, .fg256 = 42, .bg = -1, .attr = A_BOLD, .mono = A_BOLD | A_REVERSE},
    [UI_R_DOWN] = {.fg8 = COLOR_RED, .fg256 = 244, .bg = -1, .attr = A_DIM, .mono = A_DIM},
    [UI_R_CHANGED] = {.fg8 = COLOR_MAGENTA,
                      .fg256 = 213,
                      .bg = -1,
                      .attr = A_BOLD,
                      .mono = A_BOLD | A_UNDERLINE},
    [UI_R_CURSOR] = {.fg8 = -1, .fg256 = -1, .bg = -1, .attr = A_REVERSE, .mono = A_REVERSE},
    [UI_R_WARN] = {.fg8 = COLOR_YELLOW, .fg256 = 214, .bg = -1, .attr = A_BOLD, .mono = A_BOLD},
    [UI_R_OK] = {.fg8 = COLOR_GREEN, .fg256 = 40, .bg = -1, .attr = A_NORMAL, .mono = A_NORMAL},
    [UI_R_BAD] =
        {.fg8 = COLOR_RED, .fg256 = 196, .bg = -1, .attr = A_BOLD, .mono = A_BOLD | A_REVERSE},
    [UI_R_DIM] = {.fg8 = -1, .fg256 = 244, .bg = -1, .attr = A_DIM, .mono = A_DIM},
    [UI_R_TERM0 + 0] = {.fg8 = COLOR_CYAN, .fg256 = 81, .bg = -1, .mono = A_NORMAL},
    [UI_R_TERM0 + 1] = {.fg8 = COLOR_YELLOW, .fg256 = 221, .bg = -1, .mono = A_NORMAL},
    [UI_R_TERM0 + 2] = {.fg8 = COLOR_MAGENTA, .fg256 = 177, .bg = -1, .mono = A_NORMAL},
    [UI_R_TERM0 + 3] = {.fg8 = COLOR_GREEN, .fg256 = 114, .bg = -1, .mono = A_NORMAL},
    [UI_R_TERM0 + 4] = {.fg8 = COLOR_BLUE, .fg256 = 111, .bg = -1, .mono = A_NORMAL},
    [UI_R_TERM0 + 5] = {.fg8 = COLOR_RED, .fg256 = 210, .bg = -1, .mono = A_NORMAL},
};

void ui_color_init(struct ui *u)
{
    const char *nc = getenv("NO_COLOR");
    u->colors = !u->opt.no_color && !(nc && *nc) && has_colors();
    if (!u->colors)
        return;
    start_color();
    bool dflt = use_default_colors() == OK;
    bool many = COLORS >= 256;
    for (int i = 1; i < UI_R_COUNT; i++) {
        short fg = many ? scheme[i].fg256 : scheme[i].fg8;
        short bg = scheme[i].bg;
        /* Without default colors, -1 is not a color: use white on black. */
        if (!dflt) {
            if (fg < 0)
                fg = COLOR_WHITE;
            if (bg < 0)
                bg = COLOR_BLACK;
        }
        if (i >= COLOR_PAIRS)
            break;
        init_pair((short)i, fg, bg);
    }
}

attr_t ui_attr(const struct ui *u, enum ui_role role)
{
    if (!u->colors)
        return scheme[role].mono;
    if (role == UI_R_NORMAL || (int)role >= COLOR_PAIRS)
        return scheme[role].attr;
    return COLOR_PAIR(role) | scheme[role].attr;
}
