/* ui: the terminal UI (ncurses panels), the lesson menu and the plain line
 * mode — the entry points the command line calls. */
#ifndef UI_UI_H
#define UI_UI_H

#include <stdbool.h>
#include <stdio.h>

#include "tutor/lesson.h"

struct flow;
struct transcript;

struct ui_options {
    bool no_color;       /* --no-color or NO_COLOR: monochrome (bold, reverse, dim) */
    bool ascii;          /* --ascii: ASCII borders and markers */
    bool plain;          /* --plain: line mode */
    const char *lang;    /* --lang: language of lessons (menu) and of the UI's strings */
    bool no_progress;    /* --no-progress: neither offer to resume nor save */
    bool mouse;          /* --mouse: clicks select nodes and messages (off by default) */
    const char *student; /* --student: the name transcripts carry, or NULL */
    /* tutor replay: called once the run's flow and transcript are set up,
     * before the learner gets control (it feeds the recorded inputs); it
     * may replace the transcript, and returns a note to show, or NULL. */
    const char *(*prepare)(struct flow *f, struct transcript **t, void *ctx);
    void *prepare_ctx;
};

/* Sets the locale from the environment as it is (numbers stay "C"; a
 * UTF-8 locale not installed gets C.UTF-8's characters). */
void ui_setup_locale(void);
/* The notice ui_check_locale gave ("" none), for the screens to show
 * (standard error is hidden under curses). */
const char *ui_locale_notice(void);
/* True when the locale's codeset is UTF-8. */
bool ui_locale_utf8(void);
/* In a locale that is not UTF-8 (LANG=C): ASCII drawing (o->ascii), an
 * English interface, and a one-line notice on standard error (and
 * ui_locale_notice) of why and how to get Chinese. Nothing otherwise. */
void ui_check_locale(struct ui_options *o);
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
