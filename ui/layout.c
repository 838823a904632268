/* layout: the panel rectangles as a function of the terminal size.
 *
 *   status line                                   (1 row)
 *   cluster cards           | messages
 *   logs                    | event feed
 *   lesson text                                   (full width)
 *   hint line                                     (1 row)
 *
 * The left column gets most of the width because log cells need it; the
 * lesson strip spans the screen so narrative lines stay long enough to
 * read. Extra height goes to taller node cards and to the logs; a lesson
 * item longer than its strip takes rows from the panels above. The
 * space-time view, when on, shares the logs' place or takes it over. */
#include "layout.h"

#include <string.h>

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void ui_layout(int rows, int cols, int n_nodes, struct ui_layout *out)
{
    ui_layout_fit(rows, cols, n_nodes, 0, out);
}

void ui_layout_fit(int rows, int cols, int n_nodes, int lesson_rows, struct ui_layout *out)
{
    ui_layout_full(rows, cols, n_nodes, lesson_rows, false, out);
}

static int cluster_rows(int n_nodes, int card_rows, int upper)
{
    int cluster_h = n_nodes * card_rows + 2;
    if (cluster_h > (upper + 1) / 2 && n_nodes + 2 + n_nodes + 2 > upper)
        cluster_h = (upper + 1) / 2; /* both squeezed: the panels scroll */
    if (cluster_h > upper - 3)
        cluster_h = upper - 3;
    return cluster_h;
}

void ui_layout_full(int rows, int cols, int n_nodes, int lesson_rows, bool spacetime,
                    struct ui_layout *out)
{
    memset(out, 0, sizeof *out);
    out->rows = rows;
    out->cols = cols;
    n_nodes = clamp(n_nodes, 1, 9);
    if (rows < UI_MIN_ROWS || cols < UI_MIN_COLS) {
        out->too_small = true;
        out->card_rows = 1;
        return;
    }
    int body = rows - 2; /* between the status and hint lines */
    int lesson_h = clamp(body * 3 / 10, 5, 14);
    /* A long item (a quiz with its choices and explanation) gets the rows
     * it needs, so the learner reads it whole without scrolling. */
    if (lesson_rows + 2 > lesson_h && body - UI_LAYOUT_MIN_UPPER > lesson_h)
        lesson_h = clamp(lesson_rows + 2, lesson_h, body - UI_LAYOUT_MIN_UPPER);
    int upper = body - lesson_h;
    int right_w = clamp(cols * 2 / 5, 28, 90);
    int left_w = cols - right_w;

    /* The tallest cards that leave the logs at least one row per node. */
    int card_rows = 1;
    while (card_rows < 3 && n_nodes * (card_rows + 1) + 2 + n_nodes + 2 <= upper)
        card_rows++;
    int cluster_h = cluster_rows(n_nodes, card_rows, upper);
    int msg_h = upper / 2;
    /* The space-time view: below the logs when both fit (the logs keep a
     * header and a row per node), else in their place. */
    int logs_h = upper - cluster_h, st_h = 0;
    if (spacetime) {
        int logs_min = n_nodes + 3;
        int cr = card_rows;
        while (cr > 1 &&
               upper - cluster_rows(n_nodes, cr, upper) < logs_min + UI_LAYOUT_MIN_SPACETIME)
            cr--;
        int ch = cluster_rows(n_nodes, cr, upper);
        if (upper - ch >= logs_min + UI_LAYOUT_MIN_SPACETIME) {
            card_rows = cr;
            cluster_h = ch;
            logs_h = logs_min;
            st_h = upper - ch - logs_min;
        } else {
            card_rows = 1;
            cluster_h = cluster_rows(n_nodes, 1, upper);
            logs_h = 0;
            st_h = upper - cluster_h;
        }
    }

    out->card_rows = card_rows;
    out->r[UI_STATUS] = (struct ui_rect){0, 0, 1, cols};
    out->r[UI_CLUSTER] = (struct ui_rect){1, 0, cluster_h, left_w};
    if (logs_h)
        out->r[UI_LOGS] = (struct ui_rect){1 + cluster_h, 0, logs_h, left_w};
    if (st_h)
        out->r[UI_SPACETIME] = (struct ui_rect){1 + cluster_h + logs_h, 0, st_h, left_w};
    out->r[UI_MESSAGES] = (struct ui_rect){1, left_w, msg_h, right_w};
    out->r[UI_FEED] = (struct ui_rect){1 + msg_h, left_w, upper - msg_h, right_w};
    out->r[UI_LESSON] = (struct ui_rect){1 + upper, 0, lesson_h, cols};
    out->r[UI_HINT] = (struct ui_rect){rows - 1, 0, 1, cols};
}

const char *ui_panel_name(enum ui_panel p)
{
    static const char *const names[UI_PANEL_COUNT] = {
        [UI_STATUS] = "status",
        [UI_CLUSTER] = "cluster",
        [UI_MESSAGES] = "messages",
        [UI_LOGS] = "logs",
        [UI_FEED] = "feed",
        [UI_LESSON] = "lesson",
        [UI_SPACETIME] = "space-time",
        [UI_HINT] = "hint",
    };
    return p < UI_PANEL_COUNT ? names[p] : "?";
}

bool ui_layout_shown(const struct ui_layout *l, enum ui_panel p)
{
    return !l->too_small && p < UI_PANEL_COUNT && l->r[p].h > 0 && l->r[p].w > 0;
}

int ui_layout_rows_top(int n, int fit, int sel, int keep)
{
    if (fit < 1 || n <= fit)
        return 0;
    int top = sel >= fit ? sel - fit + 1 : 0;
    if (keep >= 0 && keep < n) {
        if (keep < top && sel - keep < fit)
            top = keep;
        else if (keep >= top + fit && keep - sel < fit)
            top = keep - fit + 1;
    }
    return clamp(top, 0, n - fit);
}
