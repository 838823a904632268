/* text: column widths, truncation and wrapping of UTF-8 text. */
#include "text.h"

#include <stdlib.h>
#include <string.h>

#include "tutor/safe_text.h"

size_t ui_text_decode(const char *s, wchar_t *wc)
{
    uint32_t cp;
    size_t n = text_utf8_decode(s, &cp);
    *wc = (wchar_t)cp;
    return n;
}

int ui_text_char_width(wchar_t wc)
{
    if (wc < 0x20 || wc == 0x7f)
        return 0;
    if (wc < 0x7f)
        return 1;
    int w = wcwidth(wc);
    if (w >= 0)
        return w;
    /* Unknown to the locale (or not a UTF-8 locale): assume one column,
     * except for the wide blocks we know, so CJK never overflows a line. */
    if ((wc >= 0x1100 && wc <= 0x115f) || (wc >= 0x2e80 && wc <= 0xa4cf) ||
        (wc >= 0xac00 && wc <= 0xd7a3) || (wc >= 0xf900 && wc <= 0xfaff) ||
        (wc >= 0xfe30 && wc <= 0xfe4f) || (wc >= 0xff00 && wc <= 0xff60) ||
        (wc >= 0xffe0 && wc <= 0xffe6) || (wc >= 0x1f300 && wc <= 0x1faff) ||
        (wc >= 0x20000 && wc <= 0x3fffd))
        return 2;
    return 1;
}

int ui_text_width(const char *s)
{
    int w = 0;
    while (*s) {
        wchar_t wc;
        s += ui_text_decode(s, &wc);
        w += ui_text_char_width(wc);
    }
    return w;
}

size_t ui_text_fit(const char *s, int cols, int *used)
{
    size_t i = 0;
    int w = 0;
    while (s[i] && s[i] != '\n') {
        wchar_t wc;
        size_t n = ui_text_decode(s + i, &wc);
        int cw = ui_text_char_width(wc);
        if (w + cw > cols)
            break;
        w += cw;
        i += n;
    }
    if (used)
        *used = w;
    return i;
}

int ui_text_truncate(const char *s, int cols, const char *mark, char *out, size_t outsz)
{
    if (!outsz)
        return 0;
    out[0] = 0;
    if (cols <= 0)
        return 0;
    int used;
    size_t n = ui_text_fit(s, cols, &used);
    bool cut = s[n] != 0;
    int mw = mark ? ui_text_width(mark) : 0;
    if (cut && mark && mw <= cols) {
        n = ui_text_fit(s, cols - mw, &used);
        size_t ml = strlen(mark);
        if (n + ml + 1 > outsz)
            n = outsz > ml + 1 ? outsz - ml - 1 : 0;
        memcpy(out, s, n);
        memcpy(out + n, mark, ml);
        out[n + ml] = 0;
        return ui_text_width(out);
    }
    if (n + 1 > outsz)
        n = outsz - 1;
    /* Never end inside a character when the buffer is the limit. */
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    memcpy(out, s, n);
    out[n] = 0;
    return ui_text_width(out);
}

static bool is_wide(wchar_t wc)
{
    return ui_text_char_width(wc) == 2;
}

/* Kinsoku (JIS X 4051, and the Chinese typesetting rules of W3C's clreq):
 * closing punctuation never starts a line, opening punctuation never ends
 * one. */
static bool no_line_start(wchar_t wc)
{
    static const wchar_t closing[] = L"，。、；：？！）」』】〉》〕］｝”’…—·%,.;:?!)]}";
    return wc && wcschr(closing, wc) != NULL;
}

static bool no_line_end(wchar_t wc)
{
    static const wchar_t opening[] = L"（「『【〈《〔［｛“‘([{";
    return wc && wcschr(opening, wc) != NULL;
}

/* A line may break between a and b (no space between them) where one of
 * them is an ideograph or other wide character, unless kinsoku forbids. */
static bool may_break_between(wchar_t a, wchar_t b)
{
    return (is_wide(a) || is_wide(b)) && !no_line_start(b) && !no_line_end(a);
}

size_t ui_text_wrap(const char *s, int cols, struct ui_text_line *lines, size_t max)
{
    return ui_text_wrap_hang(s, cols, 0, lines, max);
}

size_t ui_text_wrap_hang(const char *s, int cols, int hang, struct ui_text_line *lines, size_t max)
{
    size_t count = 0;
    size_t p = 0;
    int first_cols = cols < 1 ? 1 : cols;
    int rest_cols = cols - hang < 1 ? 1 : cols - hang;
    for (;;) {
        /* One paragraph: s[p .. end). */
        size_t end = p;
        while (s[end] && s[end] != '\n')
            end++;
        bool first = true;
        while (first || p < end) {
            if (!first)
                while (p < end && s[p] == ' ')
                    p++;
            if (!first && p >= end)
                break;
            first = false;
            /* Every line after the text's first is indented by hang. */
            cols = count ? rest_cols : first_cols;
            size_t i = p, brk = 0, brk_next = 0;
            int w = 0, brk_w = 0;
            bool full = true;
            wchar_t prev = 0;
            while (i < end) {
                wchar_t wc;
                size_t n = ui_text_decode(s + i, &wc);
                int cw = ui_text_char_width(wc);
                if (wc == ' ') {
                    /* A break at a space; the space itself is dropped. */
                    brk = i;
                    brk_next = i + 1;
                    brk_w = w;
                } else if (i > p && prev != ' ' && may_break_between(prev, wc)) {
                    brk = i;
                    brk_next = i;
                    brk_w = w;
                }
                if (w + cw > cols) {
                    full = false;
                    break;
                }
                w += cw;
                i += n;
                prev = wc;
            }
            size_t len, next;
            int lw;
            if (full) {
                len = end - p;
                next = end;
                lw = w;
            } else if (brk > p || (brk == p && brk_next > p && brk_w == 0 && s[p] == ' ')) {
                len = brk - p;
                next = brk_next;
                lw = brk_w;
            } else {
                len = i - p;
                next = i;
                lw = w;
                if (len == 0) {
                    /* A character wider than the line: skip it. */
                    wchar_t wc;
                    next = p + ui_text_decode(s + p, &wc);
                }
            }
            /* Trailing spaces before a break take no room. */
            while (len > 0 && s[p + len - 1] == ' ' && !full) {
                len--;
                lw--;
            }
            if (count < max)
                lines[count] = (struct ui_text_line){p, len, lw, 0};
            count++;
            p = next;
        }
        if (!s[end])
            break;
        p = end + 1;
    }
    return count;
}

/* Columns before the text of a numbered item: spaces, at most one mark
 * and its spaces, digits, ") ". 0 when the paragraph is no such item. */
static int item_hang(const char *s, size_t end)
{
    size_t i = 0;
    while (i < end && s[i] == ' ')
        i++;
    if (i < end && !(s[i] >= '0' && s[i] <= '9')) {
        wchar_t wc;
        i += ui_text_decode(s + i, &wc); /* the mark: a pick, the right one */
        while (i < end && s[i] == ' ')
            i++;
    }
    size_t digits = i;
    while (i < end && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == digits || i + 1 >= end || s[i] != ')' || s[i + 1] != ' ')
        return 0;
    char prefix[64];
    size_t n = i + 2 < sizeof prefix ? i + 2 : sizeof prefix - 1;
    memcpy(prefix, s, n);
    prefix[n] = 0;
    return ui_text_width(prefix);
}

size_t ui_text_wrap_items(const char *s, int cols, struct ui_text_line *lines, size_t max)
{
    size_t count = 0, p = 0;
    char *par = NULL;
    size_t cap = 0;
    for (;;) {
        size_t end = p;
        while (s[end] && s[end] != '\n')
            end++;
        if (end - p + 1 > cap) {
            cap = end - p + 1;
            par = realloc(par, cap);
            if (!par)
                abort();
        }
        memcpy(par, s + p, end - p);
        par[end - p] = 0;
        /* A narrow panel keeps the hang from eating the whole line. */
        int hang = item_hang(par, end - p);
        if (hang > cols / 2)
            hang = 0;
        size_t n = ui_text_wrap_hang(par, cols, hang, count < max ? lines + count : NULL,
                                     count < max ? max - count : 0);
        for (size_t k = 0; k < n && count + k < max; k++) {
            lines[count + k].start += p;
            lines[count + k].indent = k ? hang : 0;
        }
        count += n;
        if (!s[end])
            break;
        p = end + 1;
    }
    free(par);
    return count;
}

size_t ui_text_erase_char(const char *s, size_t len)
{
    while (len && ((unsigned char)s[len - 1] & 0xc0) == 0x80)
        len--; /* a UTF-8 continuation byte */
    return len ? len - 1 : 0;
}

size_t ui_text_erase_word(const char *s, size_t len)
{
    while (len && s[len - 1] == ' ')
        len--;
    while (len && s[len - 1] != ' ')
        len--;
    return len;
}
