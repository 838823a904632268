/* ui_term: starting curses on the real terminal and restoring it on every
 * way out — q, SIGINT/SIGTERM (a flag the key loop reads), SIGQUIT (Ctrl-\)
 * and crashes (SIGSEGV/SIGABRT/...: endwin, then the signal is raised again so the
 * crash is still reported). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui_internal.h"

/* LeakSanitizer (the --enable-sanitize build) reads this: the panel
 * library keeps the bottom panel of each screen until the process ends. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:new_panel\n";
}

static volatile sig_atomic_t interrupted;
static volatile sig_atomic_t active;
static SCREEN *screen;

static void on_stop(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void on_crash(int sig)
{
    if (active) {
        active = 0;
        endwin();
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

bool ui_term_interrupted(void)
{
    return interrupted != 0;
}

static void install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: a signal interrupts the key read at once. */
    sa.sa_handler = on_stop;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_crash;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGQUIT, &sa, NULL); /* Ctrl-\ in cbreak mode: fatal, so restore first */
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGABRT, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
}

int ui_term_start(void)
{
    interrupted = 0;
    install();
    /* Box lines as Unicode rather than the VT100 alternate set, which
     * terminals in UTF-8 mode (PuTTY, screen, some tmux setups) draw as
     * "lqqk". The user's own setting wins. */
    setenv("NCURSES_NO_UTF8_ACS", "1", 0);
    screen = newterm(NULL, stdout, stdin);
    if (!screen) {
        /* An unknown TERM (over SSH, say): most terminals speak xterm. */
        screen = newterm("xterm-256color", stdout, stdin);
        if (!screen)
            return -1;
    }
    set_term(screen);
    active = 1;
    set_escdelay(50);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    return 0;
}

void ui_term_end(void)
{
    if (!screen)
        return;
    active = 0;
    endwin();
    delscreen(screen);
    screen = NULL;
    fflush(stdout);
}
