/* safe_text: text made safe to show (see safe_text.h). */
#include "safe_text.h"

#include <stdio.h>
#include <string.h>

struct mark_row {
    uint32_t cp;       /* the character, for running text */
    const char *utf8;  /* how it is drawn */
    const char *ascii; /* and its ASCII spelling */
};

/* The one table of marks. Rows earlier in the table win when running text
 * is spelled in ASCII (→ in a note reads "->", the one-column arrow mark
 * of the message list is ">"). */
static const struct mark_row marks[TEXT_MARK_COUNT] = {
    [TEXT_MARK_SECTION] = {0xa7, "\xc2\xa7", "sec."},
    [TEXT_MARK_TO] = {0x2192, "\xe2\x86\x92", "->"},
    [TEXT_MARK_NE] = {0x2260, "\xe2\x89\xa0", "!="},
    [TEXT_MARK_LE] = {0x2264, "\xe2\x89\xa4", "<="},
    [TEXT_MARK_GE] = {0x2265, "\xe2\x89\xa5", ">="},
    [TEXT_MARK_BOTH] = {0x2194, "\xe2\x86\x94", "<->"},
    [TEXT_MARK_LEFT] = {0x2190, "\xe2\x86\x90", "<-"},
    [TEXT_MARK_DOTS] = {0x2026, "\xe2\x80\xa6", "..."},
    [TEXT_MARK_EM_DASH] = {0x2014, "\xe2\x80\x94", "--"},
    [TEXT_MARK_EN_DASH] = {0x2013, "\xe2\x80\x93", "-"},
    [TEXT_MARK_TIMES] = {0xd7, "\xc3\x97", "x"},
    [TEXT_MARK_MIDDOT] = {0xb7, "\xc2\xb7", "-"},
    [TEXT_MARK_RIGHT] = {0x2713, "\xe2\x9c\x93", "+"},
    [TEXT_MARK_PICK] = {0x25b8, "\xe2\x96\xb8", ">"},
    [TEXT_MARK_LOST] = {0x2717, "\xe2\x9c\x97", "x"},
    [TEXT_MARK_APPLIED] = {0x2713, "\xe2\x9c\x93", "*"},
    [TEXT_MARK_PENDING] = {0xb7, "\xc2\xb7", "."},
    [TEXT_MARK_ARROW] = {0x2192, "\xe2\x86\x92", ">"},
    [TEXT_MARK_CUT] = {0x2026, "\xe2\x80\xa6", "~"},
    [TEXT_MARK_BAR] = {0x2588, "\xe2\x96\x88", "#"},
    [TEXT_MARK_BAR_EMPTY] = {0xb7, "\xc2\xb7", "."},
    [TEXT_MARK_UP] = {0x2191, "\xe2\x86\x91", "^"},
    [TEXT_MARK_DOWN] = {0x2193, "\xe2\x86\x93", "v"},
    [TEXT_MARK_FOCUS] = {0x25b6, "\xe2\x96\xb6", ">>"},
    [TEXT_MARK_PICK_IDLE] = {0x25b9, "\xe2\x96\xb9", "-"},
};

/* Symbols of running text that are not marks, spelled in ASCII. */
static const struct mark_row spellings[] = {
    {0xa0, "", " "},     /* no-break space */
    {0x2018, "", "'"},   /* ' */
    {0x2019, "", "'"},   /* ' */
    {0x201c, "", "\""},  /* " */
    {0x201d, "", "\""},  /* " */
    {0x2022, "", "*"},   /* • */
    {0x2227, "", "and"}, /* ∧ */
    {0x2228, "", "or"},  /* ∨ */
    {0x21d2, "", "=>"},  /* ⇒ */
    {0x2500, "", "-"},   /* ─ */
    {0x2502, "", "|"},   /* │ */
    {0x25ba, "", ">"},   /* ► */
    {0x25c4, "", "<"},   /* ◄ */
    {0xff0c, "", ", "},  /* ， */
    {0x3002, "", ". "},  /* 。 */
    {0xff1a, "", ": "},  /* ： */
    {0xff08, "", " ("},  /* （ */
    {0xff09, "", ") "},  /* ） */
    {0xff1b, "", "; "},  /* ； */
    {0xff3b, "", " ["},  /* ［ */
    {0xff3d, "", "] "},  /* ］ */
    {0x3001, "", ", "},  /* 、 */
    {0xff1f, "", "? "},  /* ？ */
    {0xff01, "", "! "},  /* ！ */
    {0x300a, "", " <"},  /* 《 */
    {0x300b, "", "> "},  /* 》 */
    {0x300c, "", " \""}, /* 「 */
    {0x300d, "", "\" "}, /* 」 */
};

const char *text_mark(enum text_mark m, bool ascii)
{
    if ((unsigned)m >= TEXT_MARK_COUNT)
        return "";
    return ascii ? marks[m].ascii : marks[m].utf8;
}

size_t text_utf8_decode(const char *s, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned c = u[0];
    size_t n;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        v = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        v = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        v = c & 0x07;
    } else {
        *cp = 0xfffd;
        return 1;
    }
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xc0) != 0x80) {
            *cp = 0xfffd;
            return 1;
        }
        v = (v << 6) | (u[i] & 0x3f);
    }
    /* Overlong forms and surrogates are invalid: one replacement per byte. */
    if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) ||
        (v >= 0xd800 && v <= 0xdfff)) {
        *cp = 0xfffd;
        return 1;
    }
    *cp = v;
    return n;
}

bool text_is_hidden(uint32_t cp)
{
    if (cp < 0x20)
        return cp != '\n' && cp != '\t';
    return cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||  /* DEL, C1 controls */
           cp == 0xad || cp == 0x61c || cp == 0x180e || /* soft hyphen, ALM, MVS */
           (cp >= 0x200b && cp <= 0x200f) ||            /* zero width, LRM, RLM */
           (cp >= 0x2028 && cp <= 0x202e) ||            /* separators, embeddings, overrides */
           (cp >= 0x2060 && cp <= 0x2064) ||            /* word joiner, invisible operators */
           (cp >= 0x2066 && cp <= 0x2069) ||            /* isolates */
           cp == 0xfeff;                                /* zero-width no-break space */
}

static const char *ascii_spelling(uint32_t cp)
{
    for (size_t i = 0; i < TEXT_MARK_COUNT; i++)
        if (marks[i].cp == cp)
            return marks[i].ascii;
    for (size_t i = 0; i < sizeof spellings / sizeof *spellings; i++)
        if (spellings[i].cp == cp)
            return spellings[i].ascii;
    return NULL;
}

/* How one character at s is shown: *n bytes of s as they are (returns
 * NULL), or the returned replacement (in esc when it is an escape). */
static const char *shown_as(const char *s, size_t *n, unsigned flags, char esc[16])
{
    uint32_t cp;
    *n = text_utf8_decode(s, &cp);
    if (cp == 0xfffd && *n == 1 && (unsigned char)s[0] >= 0x80) {
        snprintf(esc, 16, "<0x%02X>", (unsigned char)s[0]); /* not UTF-8 */
        return esc;
    }
    if (cp == '\n' || cp == '\t')
        return flags & TEXT_SAFE_LINES ? NULL : " ";
    if (text_is_hidden(cp)) {
        snprintf(esc, 16, "<U+%04X>", (unsigned)cp);
        return esc;
    }
    if (cp < 0x80 || !(flags & (TEXT_SAFE_ASCII | TEXT_SAFE_MARKS)))
        return NULL;
    const char *a = ascii_spelling(cp);
    if (a)
        return a;
    if (!(flags & TEXT_SAFE_ASCII))
        return NULL;
    snprintf(esc, 16, "<U+%04X>", (unsigned)cp);
    return esc;
}

void text_safe_add(struct sbuf *out, const char *s, unsigned flags)
{
    if (!s)
        return;
    while (*s) {
        /* The common case: a run of printable ASCII. */
        size_t run = 0;
        while (s[run] >= 0x20 && s[run] < 0x7f)
            run++;
        if (run) {
            sbuf_addn(out, s, run);
            s += run;
            continue;
        }
        char esc[16];
        size_t n;
        const char *r = shown_as(s, &n, flags, esc);
        if (r)
            sbuf_add(out, r);
        else
            sbuf_addn(out, s, n);
        s += n;
    }
}

char *text_safe(char *out, size_t n, const char *s, unsigned flags)
{
    if (!n)
        return out;
    size_t o = 0;
    out[0] = 0;
    while (s && *s) {
        char esc[16];
        size_t k;
        const char *r = shown_as(s, &k, flags, esc);
        const char *piece = r ? r : s;
        size_t len = r ? strlen(r) : k;
        if (o + len + 1 > n)
            break;
        memcpy(out + o, piece, len);
        o += len;
        s += k;
    }
    out[o] = 0;
    return out;
}

bool text_is_safe(const char *s, unsigned flags)
{
    while (s && *s) {
        char esc[16];
        size_t n;
        if (shown_as(s, &n, flags, esc))
            return false;
        s += n;
    }
    return true;
}

void text_safe_json(struct sbuf *out, const char *json)
{
    while (json && *json) {
        uint32_t cp;
        size_t n = text_utf8_decode(json, &cp);
        if (cp == 0xfffd && n == 1 && (unsigned char)json[0] >= 0x80)
            sbuf_add(out, "\\ufffd"); /* a byte that is not UTF-8 */
        else if (cp >= 0x7f && text_is_hidden(cp))
            sbuf_printf(out, "\\u%04x", (unsigned)cp);
        else
            sbuf_addn(out, json, n);
        json += n;
    }
}
