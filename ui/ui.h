/* ui: the terminal UI (ncurses panels), the lesson menu and the plain line
 * mode — the entry points the command line calls. */
#ifndef UI_UI_H
#define UI_UI_H

#include <stdbool.h>
#include <stdio.h>

#include "tutor/lesson.h"

struct ui_options {
    bool no_color;    /* --no-color or NO_COLOR: monochrome (bold, reverse, dim) */
    bool ascii;       /* --ascii: ASCII borders and markers */
    bool plain;       /* --plain: line mode */
    const char *lang; /* --lang: preferred lesson language (menu filter) */
};

/* Sets the locale from the environment, falling back to C.UTF-8 when its
 * codeset is not UTF-8 (wide text breaks otherwise); numbers stay "C". */
void ui_setup_locale(void);
/* True when the terminal UI cannot run here (stdout not a terminal, or
 * TERM=dumb): the plain line mode is used instead. */
bool ui_want_plain(const struct ui_options *o);
/* Runs a lesson in the terminal UI, or in the plain line mode when asked
 * for or when the terminal cannot be used. Returns the exit status. */
int ui_run_lesson(const struct lesson *l, const struct ui_options *o);
/* The plain line mode: commands from in, text to out. Exit status. */
int ui_plain_run(const struct lesson *l, FILE *in, FILE *out, const struct ui_options *o);
/* The lesson menu over the lessons found in dirs (NULL-terminated).
 * Returns the exit status. */
int ui_menu(const char *const *dirs, const struct ui_options *o);

#endif
