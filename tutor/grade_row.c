/* grade_row: cells of the `tutor grade` table, safe for a terminal and a
 * spreadsheet (see grade_row.h). */
#include "grade_row.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>

const char *const grade_col_names[GC_COUNT] = {"file",  "student", "lesson",  "lang",  "mode",
                                               "score", "goals",   "verdict", "detail"};

/* Decodes one UTF-8 character at p: its length, or 0 when the bytes are
 * not well-formed UTF-8 (overlong, surrogate, past U+10FFFF, cut short). */
static size_t utf8_decode(const unsigned char *p, uint32_t *cp)
{
    unsigned c = p[0];
    size_t len = c < 0x80             ? 1
                 : (c & 0xe0) == 0xc0 ? 2
                 : (c & 0xf0) == 0xe0 ? 3
                 : (c & 0xf8) == 0xf0 ? 4
                                      : 0;
    if (!len)
        return 0;
    uint32_t v = len == 1 ? c : len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
    for (size_t k = 1; k < len; k++) {
        if ((p[k] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (p[k] & 0x3f);
    }
    if ((len == 2 && v < 0x80) || (len == 3 && v < 0x800) ||
        (len == 4 && (v < 0x10000 || v > 0x10ffff)) || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return len;
}

/* Characters that are invisible or change how the text around them is
 * shown: C1 controls, bidi marks, embeddings, overrides and isolates,
 * zero-width spaces and joiners, the word joiner and invisible operators,
 * the BOM, and the line and paragraph separators. */
static bool hidden(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9f) || cp == 0xad || cp == 0x061c || cp == 0x180e ||
           (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
           (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb);
}

void grade_clean(const char *s, size_t max_chars, struct sbuf *out)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    for (size_t n = 0; *p; n++) {
        if (max_chars && n == max_chars) {
            sbuf_add(out, "...");
            return;
        }
        uint32_t cp = 0;
        size_t len = utf8_decode(p, &cp);
        if (!len || cp < 0x20 || cp == 0x7f) {
            sbuf_printf(out, "\\x%02x", *p);
            p++;
        } else if (hidden(cp)) {
            sbuf_printf(out, "<U+%04X>", (unsigned)cp);
            p += len;
        } else {
            sbuf_addn(out, (const char *)p, len);
            p += len;
        }
    }
}

size_t grade_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;
    while (*p) {
        uint32_t cp = 0;
        size_t len = utf8_decode(p, &cp);
        if (!len) {
            w++;
            p++;
            continue;
        }
        int cw = wcwidth((wchar_t)cp);
        /* Not known to the locale: CJK ideographs and fullwidth forms take
         * two columns, the rest one. */
        if (cw < 0)
            cw = (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
                         (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
                         (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0x20000 && cp <= 0x3fffd)
                     ? 2
                     : 1;
        w += (size_t)cw;
        p += len;
    }
    return w;
}

void grade_csv_cell(const char *s, struct sbuf *out)
{
    /* OWASP "CSV injection": a leading = + - @ (or a tab or CR before one)
     * makes a spreadsheet evaluate the cell. */
    bool formula = s[0] && strchr("=+-@\t\r", s[0]);
    bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        sbuf_addc(out, '"');
    if (formula)
        sbuf_addc(out, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            sbuf_addc(out, '"');
        sbuf_addc(out, *p);
    }
    if (quote)
        sbuf_addc(out, '"');
}
