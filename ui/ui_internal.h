/* ui_internal: the terminal UI's state, shared by its files (ui.c: loop and
 * commands; ui_draw*.c: panels; ui_color.c: schemes; ui_term.c: the
 * terminal). Tests and the benchmark use it to draw a frame. */
#ifndef UI_UI_INTERNAL_H
#define UI_UI_INTERNAL_H

#include <curses.h>
#include <panel.h>
#include <stdbool.h>

#include "tutor/session/flow.h"
#include "tutor/session/progress_session.h"
#include "keys.h"
#include "layout.h"
#include "spacetime.h"
#include "tutor/view.h"
#include "ui.h"

/* Semantic roles, mapped to colors and attributes by a scheme. */
enum ui_role {
    UI_R_NORMAL,
    UI_R_BORDER,
    UI_R_FOCUS, /* border and title of the focused panel */
    UI_R_TITLE,
    UI_R_STATUS,
    UI_R_HINT,
    UI_R_FOLLOWER,
    UI_R_CANDIDATE,
    UI_R_LEADER,
    UI_R_DOWN,
    UI_R_CHANGED, /* a field that changed in the last step */
    UI_R_CURSOR,
    UI_R_WARN,
    UI_R_OK,
    UI_R_BAD,
    UI_R_DIM,
    UI_R_TERM0, /* log cells colored by term: UI_R_TERM0 + term % 6 */
    UI_R_COUNT = UI_R_TERM0 + 6
};

#define UI_DIRTY_ALL ((1u << UI_PANEL_COUNT) - 1)

struct ui {
    struct runner *r;
    struct flow flow;
    /* A learner's long action in progress (ui_stop_poll): the stop hook's
     * asks so far, and wall-clock ms of the first look at the keyboard
     * (0: none yet) and of the last redraw (the screen's only). */
    unsigned long long_asks;
    long long long_began, long_drawn;
    struct ui_options opt;
    struct view view, prev; /* now, and before the last move (changed fields) */
    size_t prev_pos;        /* the position prev describes */
    size_t view_pos;
    bool view_valid;
    struct ui_layout lay;
    WINDOW *win[UI_PANEL_COUNT];
    PANEL *pan[UI_PANEL_COUNT];
    WINDOW *help_win;
    PANEL *help_pan;
    unsigned dirty; /* bit per enum ui_panel */
    enum ui_panel focus;
    int node_cur;     /* selected node */
    uint64_t msg_cur; /* id of the selected message (0: the first) */
    size_t msg_top;   /* first message row shown */
    int log_scroll;   /* cells scrolled back from the tail */
    size_t feed_back; /* feed lines scrolled up from the bottom */
    bool spacetime;   /* the space-time view is on (v) */
    size_t st_skip;   /* its events scrolled back from the newest */
    struct ui_st_grid st;
    int cluster_top; /* first node card drawn (mouse clicks) */
    char search[128];
    long search_hit; /* feed entry index of the current match, -1 */
    char toast[256]; /* a one-time message in the hint line */
    bool toast_bad;
    bool autoplay;
    int speed_ms;              /* autoplay delay */
    bool help;                 /* the help overlay is shown */
    int help_page, help_pages; /* a help taller than the screen pages with Space */
    /* A question in the hint line (quit, heal, a crash in a quiz): the
     * command y confirms, UI_CMD_NONE when none is asked. */
    enum ui_cmd confirm;
    char confirm_text[256];
    bool resume_box; /* the resume box is up (its keys in the hint line) */
    bool quit;
    bool colors; /* colors in use */
    bool utf8;   /* Unicode markers and borders */
    /* The lesson panel: its text's wrapped height asks the layout for
     * rows; what does not fit scrolls (PgUp/PgDn, arrows when focused). */
    int lesson_need;          /* text rows the current item needs */
    int lesson_scroll;        /* rows scrolled down */
    int lesson_rows;          /* text rows of the last frame */
    unsigned long lesson_sig; /* hash of the text, to reset the scroll */
    /* Saved progress (ui_progress.c). */
    struct progress_session progress;
    char status_note[200]; /* a problem shown in the status line ("" none) */
    struct transcript *tr; /* the record of this run (tutor/transcript.h): e exports it */
};

/* ui.c */
struct ui *ui_new(struct runner *r, const struct ui_options *o);
void ui_free(struct ui *u);
/* Lays the panels out for the current terminal size. */
void ui_relayout(struct ui *u);
/* One key (wget_wch's result); returns false once the UI should end. */
bool ui_key(struct ui *u, wint_t key, bool code);
/* A new search of the feed for text (what '/' asks), from the newest line
 * shown going older: the first match is marked and scrolled to; with none,
 * the hint line says nothing matched and the view stays where it was. */
void ui_search_start(struct ui *u, const char *text);
/* Refreshes the view if the cluster moved. */
void ui_update_view(struct ui *u);

/* The key context of the current state (keys.h: UI_KC_ bits), and what
 * the hint line says with it. */
unsigned ui_keys_ctx(const struct ui *u);
void ui_keys_state_of(const struct ui *u, struct ui_keys_state *st);

/* A mouse click at screen cell (y, x) (ui.c, --mouse): selects the node
 * card or the message under it; a double click, or a click on the
 * message already selected, delivers it. */
void ui_click(struct ui *u, int y, int x, bool double_click);

/* ui_draw.c: every dirty panel, then one update_panels(); doupdate(). */
void ui_draw(struct ui *u);
/* Reads row y of the composed screen (what doupdate showed) as UTF-8. */
void ui_read_row(int y, char *out, size_t n);

/* ui_color.c */
void ui_color_init(struct ui *u);
attr_t ui_attr(const struct ui *u, enum ui_role role);

/* ui_term.c: curses on the real terminal, and restoring it on any exit. */
int ui_term_start(void);
void ui_term_end(void);
/* Set by SIGINT / SIGTERM; the key loop ends when it is. */
bool ui_term_interrupted(void);

/* ui_menu.c helpers used by the loop. */
int ui_lesson_loop(struct ui *u);

/* ui_progress.c: when the lesson has saved progress, asks whether to
 * resume (replaying the recorded inputs) or start over; then keeps the
 * progress file up to date. A failing write shows in the status line. */
void ui_progress_open(struct ui *u);
void ui_progress_save(struct ui *u);
/* "step 7/21 · score 3/7", "done · score 5/7" or "" for a lesson id. */
void ui_progress_summary(const char *id, const char *lang, char *out, size_t n);

#endif
