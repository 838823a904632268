/* plain_wrap: see the header. */
#include "plain_wrap.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

/* The later pieces of an indented line (a feed line, a node's line) go
 * under its text: its leading spaces and four more, so they read as that
 * line's continuation, not the next one; never more than half the width.
 * Prose, which starts at the margin, wraps as a paragraph does. */
static int hang_of(const char *line, size_t len, int cols)
{
    size_t lead = 0;
    while (lead < len && line[lead] == ' ')
        lead++;
    if (!lead)
        return 0;
    int hang = (int)lead + 4;
    return hang > cols / 2 ? cols / 2 : hang;
}

static void wrap_line(const char *line, size_t len, int cols, struct sbuf *out)
{
    char *one = malloc(len + 1);
    if (!one)
        abort();
    memcpy(one, line, len);
    one[len] = 0;
    if (ui_text_width(one) <= cols) {
        sbuf_add(out, one);
        free(one);
        return;
    }
    int hang = hang_of(one, len, cols);
    size_t max = len + 1, n;
    struct ui_text_line *lines = calloc(max, sizeof *lines);
    if (!lines)
        abort();
    n = ui_text_wrap_hang(one, cols, hang, lines, max);
    if (n > max)
        n = max;
    for (size_t i = 0; i < n; i++) {
        if (i)
            sbuf_printf(out, "\n%*s", hang, "");
        sbuf_addn(out, one + lines[i].start, lines[i].len);
    }
    free(lines);
    free(one);
}

void plain_wrap(const char *text, int cols, struct sbuf *out)
{
    if (cols <= 0) {
        sbuf_add(out, text);
        return;
    }
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        wrap_line(p, len, cols, out);
        if (!nl)
            break;
        sbuf_add(out, "\n");
        p = nl + 1;
    }
}
