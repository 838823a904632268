/* layout: where each panel goes for a terminal of rows x cols. A pure
 * function, so tests can check every size without a terminal. */
#ifndef UI_LAYOUT_H
#define UI_LAYOUT_H

#include <stdbool.h>

/* Below this the UI shows "terminal too small" instead of panels. */
#define UI_MIN_COLS 60
#define UI_MIN_ROWS 16

enum ui_panel {
    UI_STATUS,
    UI_CLUSTER,
    UI_MESSAGES,
    UI_LOGS,
    UI_FEED,
    UI_LESSON,
    UI_SPACETIME, /* the space-time view (v): only while toggled on */
    UI_HINT,
    UI_PANEL_COUNT
};

struct ui_rect {
    int y, x, h, w;
};

struct ui_layout {
    bool too_small; /* only the message "terminal too small" fits */
    int rows, cols;
    int card_rows;                    /* rows per node card in the cluster panel (1..3) */
    struct ui_rect r[UI_PANEL_COUNT]; /* h == 0: the panel is not shown */
};

/* Computes the layout for a rows x cols terminal showing n_nodes nodes
 * (1..9; it sizes the cluster and log panels). */
void ui_layout(int rows, int cols, int n_nodes, struct ui_layout *out);
/* The same when the lesson panel's current item needs lesson_rows text
 * rows: the panel grows to show them all, taking rows from the cluster,
 * logs, messages and feed down to UI_LAYOUT_MIN_UPPER rows for those; what
 * still does not fit scrolls inside the panel. */
void ui_layout_fit(int rows, int cols, int n_nodes, int lesson_rows, struct ui_layout *out);
/* The same with the space-time view toggled on or off. On, it takes the
 * logs' place below the cluster: when that place is tall enough for both
 * (with node cards of fewer rows if need be) the logs keep a row per node
 * on top and the view gets the rest; otherwise the view replaces the logs
 * (their rectangle is empty) and the cards shrink to one row. */
void ui_layout_full(int rows, int cols, int n_nodes, int lesson_rows, bool spacetime,
                    struct ui_layout *out);
/* Whether panel p has a place in the layout. */
bool ui_layout_shown(const struct ui_layout *l, enum ui_panel p);
/* Rows the space-time view needs at least: header, a few events, frame. */
#define UI_LAYOUT_MIN_SPACETIME 8
/* Rows always left to the panels above the lesson (two framed panels of
 * at least 3 rows each, stacked, plus room for a second node card). */
#define UI_LAYOUT_MIN_UPPER 8
/* The first of n rows a panel shows in fit places: the selected row sel
 * always, and the row keep (the leader's; -1: none) too when both fit,
 * the rows above them first. */
int ui_layout_rows_top(int n, int fit, int sel, int keep);
/* Panel names for titles and help ("cluster", "messages", ...). */
const char *ui_panel_name(enum ui_panel p);

#endif
