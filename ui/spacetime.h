/* spacetime: the model of the space-time view — one column per node, the
 * recent events of the feed going down (messages as arrows from sender to
 * receiver, lost and dropped ones marked, timers, crashes and restarts on
 * their node's column, virtual time at the left) — as a grid of cells.
 * Pure: no curses, so tests check it without a terminal. */
#ifndef UI_SPACETIME_H
#define UI_SPACETIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tutor/feed.h"
#include "tutor/view.h"

enum ui_st_kind {
    UI_ST_MSG,     /* a message, on the row where it ended (or was sent, in flight) */
    UI_ST_TIMER,   /* a node's timer fired (or was fired by the learner) */
    UI_ST_CRASH,   /* a node went down */
    UI_ST_RESTART, /* a node came back */
};

enum ui_st_fate {
    UI_ST_DELIVERED,
    UI_ST_IN_FLIGHT,    /* sent, still in flight at the position shown */
    UI_ST_LOST,         /* lost in flight: receiver down, link cut */
    UI_ST_LOST_AT_SEND, /* the link was closed or the network lost it as it left */
    UI_ST_DROPPED,      /* dropped by the learner or the lesson */
};

struct ui_st_event {
    enum ui_st_kind kind;
    enum ui_st_fate fate; /* UI_ST_MSG */
    uint64_t pos;         /* history position that produced it */
    int64_t time;
    uint64_t msg;  /* message id (UI_ST_MSG) */
    int node;      /* timer, crash, restart: the node */
    int from, to;  /* UI_ST_MSG */
    char type[24]; /* "AppendEntries" */
};

/* What a cell shows; the draw function maps roles to attributes. */
enum ui_st_role {
    UI_ST_R_BLANK,
    UI_ST_R_NAME,   /* a node's name in the header */
    UI_ST_R_TIME,   /* virtual time in the left gutter */
    UI_ST_R_LIFE,   /* a node's lifeline (up) */
    UI_ST_R_DOWN,   /* a node's lifeline while it is down */
    UI_ST_R_ARROW,  /* a delivered message */
    UI_ST_R_NEW,    /* a message of the last step */
    UI_ST_R_FLIGHT, /* a message still in flight */
    UI_ST_R_LOST,   /* a lost or dropped message, and its mark */
    UI_ST_R_LABEL,  /* a message's type */
    UI_ST_R_TIMER,
    UI_ST_R_CRASH,
    UI_ST_R_RESTART,
};

struct ui_st_cell {
    char ch[5]; /* one single-width character, UTF-8 */
    unsigned char role;
};

struct ui_st_grid {
    int rows, cols;
    struct ui_st_cell *cells; /* rows * cols; row 0 is the header */
    size_t cap;
    int node_x[PROTO_MAX_NODES]; /* column of each node's lifeline */
    size_t n_events;             /* events drawn (rows - 1 at most) */
    size_t n_lost;               /* lost or dropped messages among them */
    size_t n_older;              /* events above the first row drawn, at most UI_ST_OLDER_MAX */
};

/* How many older events a frame counts at most ("999+ older"), how many
 * feed lines back it looks for them once the rows are full, and how many
 * lines back it looks at all: a frame costs what it shows, never the
 * history's length (issue #10). */
#define UI_ST_OLDER_MAX 999
#define UI_ST_OLDER_SCAN 2048
#define UI_ST_SCAN_MAX 8192

/* The events of f up to history position pos (entries with e->pos <= pos),
 * oldest first: the last max of them after skipping `skip` newest ones.
 * v names the nodes. Returns the number written to out; *older gets how
 * many more there are above them (NULL: not wanted). */
size_t ui_st_collect(const struct feed *f, uint64_t pos, const struct view *v, size_t skip,
                     struct ui_st_event *out, size_t max, size_t *older);

/* Lays out the view for rows x cols cells: the header (node names), then
 * the last rows - 1 events (skipping `skip` newest) with arrows drawn in
 * line characters, or ASCII when utf8 is false. v is the cluster at pos
 * (its nodes' up flags give the lifelines). The grid's buffer is reused. */
void ui_st_build(const struct feed *f, uint64_t pos, const struct view *v, size_t skip, int rows,
                 int cols, bool utf8, struct ui_st_grid *g);
/* Row y of the grid as UTF-8 text, trailing spaces cut. */
void ui_st_row_text(const struct ui_st_grid *g, int y, char *out, size_t n);
void ui_st_free(struct ui_st_grid *g);

/* The fate of a FEED_LOST line, from its note. */
enum ui_st_fate ui_st_lost_fate(const struct feed_line *e);
/* The message a feed line tells of (its NA_MSG argument): the type's
 * name, sender and receiver (indices into v's nodes). False when none. */
bool ui_st_line_msg(const struct feed_line *e, const struct view *v, char *type, size_t tn,
                    int *from, int *to);

#endif
