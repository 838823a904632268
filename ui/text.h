/* text: UTF-8 text measured in terminal columns (wcwidth), truncated and
 * wrapped without splitting a character, so CJK lines never break a
 * panel's border. Pure functions: no curses, usable from tests and the
 * plain line mode. Needs a UTF-8 LC_CTYPE for wcwidth of non-ASCII text. */
#ifndef UI_TEXT_H
#define UI_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

/* Decodes one UTF-8 character at s (s[0] != 0). Sets *wc (U+FFFD for an
 * invalid byte) and returns the bytes consumed (at least 1). */
size_t ui_text_decode(const char *s, wchar_t *wc);
/* Columns of one character: 0 for combining and control characters, 2 for
 * wide ones; a printable character the locale does not know counts 1. */
int ui_text_char_width(wchar_t wc);
/* Columns of a whole string (a newline counts 0). */
int ui_text_width(const char *s);
/* Bytes of the longest prefix of s (stopping at a newline) that fits in
 * cols columns without splitting a character; *used gets its width. */
size_t ui_text_fit(const char *s, int cols, int *used);
/* Writes into out (outsz bytes) s cut to at most cols columns; when cut,
 * the last column holds `mark` ("…" or "~"; NULL: none). Returns the
 * width written. out is always NUL-terminated. */
int ui_text_truncate(const char *s, int cols, const char *mark, char *out, size_t outsz);

/* The length of s[0, len) after one character is erased from its end
 * (Backspace), or its last word and the spaces after it (Ctrl-W). */
size_t ui_text_erase_char(const char *s, size_t len);
size_t ui_text_erase_word(const char *s, size_t len);

/* One wrapped line: a slice of the source text. */
struct ui_text_line {
    size_t start, len; /* bytes */
    int width;         /* columns */
    int indent;        /* columns the line is drawn in (ui_text_wrap_items), else 0 */
};

/* Wraps s into lines of at most cols columns: at spaces where possible,
 * between any two characters of a word too long for a line (CJK text has
 * no spaces), and at every newline. Spaces at a break are dropped. Fills
 * at most max lines and returns how many the whole text needs. */
size_t ui_text_wrap(const char *s, int cols, struct ui_text_line *lines, size_t max);
/* The same with a hanging indent: the first line has cols columns, every
 * later one cols - hang (at least 1), for a caller that draws them
 * indented by hang, so no character falls off the right edge. */
size_t ui_text_wrap_hang(const char *s, int cols, int hang, struct ui_text_line *lines, size_t max);
/* As ui_text_wrap, but a paragraph that is a numbered item (" * 2) text",
 * "3) text": a quiz's choices) wraps under its text: its later lines get
 * an indent (lines[].indent) and are that much narrower. */
size_t ui_text_wrap_items(const char *s, int cols, struct ui_text_line *lines, size_t max);

#endif
