/* lesson_json: the raw text of a lesson checked before cJSON sees it —
 * strict JSON syntax, UTF-8, raw control characters, duplicate keys,
 * nesting depth and string length, each with its line and column — and
 * then parsed with cJSON. cJSON alone would accept all of these quietly.
 *
 * Lines are counted by '\n'; columns are 1-based and count characters
 * (UTF-8 code points; a tab is one character). */
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tutor/lesson_internal.h"

struct keyrec {
    char *key;
    size_t len;
    int line, col;
    size_t order;
};

struct frame {
    bool obj;
    size_t index; /* array: the current element */
    char *key;    /* object: the current key (decoded) */
    size_t key_len;
    struct keyrec *keys; /* object: every key seen, for duplicates */
    size_t n_keys, cap_keys;
};

struct problem {
    int line, col;
    size_t order;
    char *text; /* the whole line */
};

struct scan {
    const char *file;
    const unsigned char *buf;
    size_t len, pos;
    int line, col;
    struct frame fr[LESSON_MAX_DEPTH];
    int depth;
    char *sb; /* the string being read, decoded */
    size_t sb_len, sb_cap;
    struct problem *probs;
    size_t n_probs, cap_probs, n_dropped;
    bool fatal;
};

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p)
        abort();
    return p;
}

/* ---- positions and messages ---- */

static void advance(struct scan *s)
{
    unsigned char ch = s->buf[s->pos++];
    if (ch == '\n') {
        s->line++;
        s->col = 1;
    } else if ((ch & 0xc0) != 0x80) {
        s->col++;
    }
}

/* 1-based line and column (in characters) of byte offset off. */
static void lesson_json_linecol(const char *buf, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    size_t i = 0;
    if (off >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
        i = 3;
    for (; i < off; i++) {
        unsigned char ch = (unsigned char)buf[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if ((ch & 0xc0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static void sb_add(struct scan *s, const char *p, size_t n)
{
    if (s->sb_len + n + 1 > s->sb_cap) {
        size_t cap = s->sb_cap ? s->sb_cap : 256;
        while (cap < s->sb_len + n + 1)
            cap *= 2;
        s->sb = xrealloc(s->sb, cap);
        s->sb_cap = cap;
    }
    memcpy(s->sb + s->sb_len, p, n);
    s->sb_len += n;
    s->sb[s->sb_len] = '\0';
}

static bool simple_key(const char *k, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = k[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '-'))
            return false;
    }
    return true;
}

/* Appends key to a malloc'd string, escaped as in a JSON string (and
 * invalid bytes as \xNN), so no control character reaches a terminal. */
static void append_escaped(char **str, size_t *len, const char *key, size_t klen)
{
    *str = xrealloc(*str, *len + klen * 6 + 1);
    char *o = *str + *len;
    const unsigned char *p = (const unsigned char *)key;
    size_t left = klen;
    while (left) {
        uint32_t cp;
        size_t k = lesson_utf8_decode(p, left, &cp);
        if (k == 0) {
            o += sprintf(o, "\\x%02x", *p);
            k = 1;
        } else if (cp == '"' || cp == '\\') {
            *o++ = '\\';
            *o++ = (char)cp;
        } else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f)) {
            o += sprintf(o, "\\u%04x", (unsigned)cp);
        } else {
            memcpy(o, p, k);
            o += k;
        }
        p += k;
        left -= k;
    }
    *o = '\0';
    *len = (size_t)(o - *str);
}

/* Appends a key as a path selector into a malloc'd string. */
static void path_add_key(char **path, size_t *len, const char *key, size_t klen, bool first)
{
    *path = xrealloc(*path, *len + klen + 8);
    char *o = *path + *len;
    if (simple_key(key, klen)) {
        if (!first)
            *o++ = '.';
        memcpy(o, key, klen);
        o += klen;
        *o = '\0';
        *len = (size_t)(o - *path);
        return;
    }
    *o++ = '[';
    *o++ = '"';
    *len = (size_t)(o - *path);
    append_escaped(path, len, key, klen);
    *path = xrealloc(*path, *len + 3);
    o = *path + *len;
    *o++ = '"';
    *o++ = ']';
    *o = '\0';
    *len = (size_t)(o - *path);
}

/* The path of the value being read inside the first `upto` containers. */
static char *make_path(const struct scan *s, int upto)
{
    char *path = xrealloc(NULL, 1);
    size_t len = 0;
    path[0] = '\0';
    for (int i = 0; i < upto; i++) {
        const struct frame *f = &s->fr[i];
        if (f->obj) {
            if (!f->key)
                break;
            path_add_key(&path, &len, f->key, f->key_len, len == 0);
        } else {
            path = xrealloc(path, len + 32);
            len += (size_t)sprintf(path + len, "[%zu]", f->index);
        }
    }
    return path;
}

static void add_problem(struct scan *s, int line, int col, int path_upto, const char *fmt,
                        va_list ap)
{
    if (s->n_probs >= LESSON_MAX_SCAN_ERRORS) {
        s->n_dropped++;
        return;
    }
    char msg[512];
    vsnprintf(msg, sizeof msg, gettext(fmt), ap);
    char *path = path_upto >= 0 ? make_path(s, path_upto) : NULL;
    size_t n = strlen(s->file) + strlen(msg) + (path ? strlen(path) : 0) + 64;
    char *text = xrealloc(NULL, n);
    if (path && *path)
        snprintf(text, n, "%s:%d:%d: %s: %s", s->file, line, col, path, msg);
    else
        snprintf(text, n, "%s:%d:%d: %s", s->file, line, col, msg);
    free(path);
    if (s->n_probs == s->cap_probs) {
        s->cap_probs = s->cap_probs ? s->cap_probs * 2 : 8;
        s->probs = xrealloc(s->probs, s->cap_probs * sizeof *s->probs);
    }
    s->probs[s->n_probs] = (struct problem){line, col, s->n_probs, text};
    s->n_probs++;
}

/* A problem that leaves the structure intact: reading goes on. */
static void flaw(struct scan *s, int line, int col, int path_upto, const char *fmt, ...)
    LESSON_PRINTF(5, 6);
static void flaw(struct scan *s, int line, int col, int path_upto, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_problem(s, line, col, path_upto, fmt, ap);
    va_end(ap);
}

/* A syntax error at the current position: reading stops. */
static int scan_fail(struct scan *s, const char *fmt, ...) LESSON_PRINTF(2, 3);
static int scan_fail(struct scan *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_problem(s, s->line, s->col, -1, fmt, ap);
    va_end(ap);
    s->fatal = true;
    return -1;
}

/* What is at the current position, for "found ..." in messages. */
static const char *found(struct scan *s, char *buf, size_t n)
{
    if (s->pos >= s->len)
        return gettext("the end of the file");
    unsigned char ch = s->buf[s->pos];
    if (ch == 0)
        snprintf(buf, n, gettext("a NUL byte"));
    else if (ch < 0x20 || ch == 0x7f)
        snprintf(buf, n, gettext("control character U+%04X"), ch);
    else if (ch < 0x80)
        snprintf(buf, n, "'%c'", ch);
    else {
        uint32_t cp;
        size_t k = lesson_utf8_decode(s->buf + s->pos, s->len - s->pos, &cp);
        if (k == 0)
            snprintf(buf, n, gettext("byte 0x%02x (invalid UTF-8)"), ch);
        else if (cp >= 0x80 && cp <= 0x9f)
            snprintf(buf, n, gettext("control character U+%04X"), (unsigned)cp);
        else
            snprintf(buf, n, gettext("'%.*s' (U+%04X)"), (int)k, (const char *)s->buf + s->pos,
                     (unsigned)cp);
    }
    return buf;
}

static void skip_ws(struct scan *s)
{
    while (s->pos < s->len) {
        unsigned char ch = s->buf[s->pos];
        if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r')
            break;
        advance(s);
    }
}

/* ---- strings ---- */

static int hex4(const unsigned char *p, size_t left, uint32_t *v)
{
    if (left < 4)
        return -1;
    *v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char ch = p[i];
        int d = ch >= '0' && ch <= '9'   ? ch - '0'
                : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                         : -1;
        if (d < 0)
            return -1;
        *v = *v << 4 | (uint32_t)d;
    }
    return 0;
}

static void put_utf8(struct scan *s, uint32_t cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xc0 | cp >> 6);
        b[1] = (char)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xe0 | cp >> 12);
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        b[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        b[0] = (char)(0xf0 | cp >> 18);
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        b[3] = (char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    sb_add(s, b, n);
}

static const char *escape_hint(unsigned char ch, char *buf, size_t n)
{
    switch (ch) {
    case '\n':
        return "\\n";
    case '\t':
        return "\\t";
    case '\r':
        return "\\r";
    case '\b':
        return "\\b";
    case '\f':
        return "\\f";
    default:
        snprintf(buf, n, "\\u%04x", ch);
        return buf;
    }
}

/* Reads the string at s->pos (a '"') into s->sb. path_upto: the path of
 * the string for messages. */
static int scan_string(struct scan *s, int path_upto)
{
    int line0 = s->line, col0 = s->col;
    bool bad_utf8 = false;
    s->sb_len = 0;
    sb_add(s, "", 0);
    advance(s); /* the opening quote */
    for (;;) {
        if (s->pos >= s->len) {
            s->line = line0;
            s->col = col0;
            return scan_fail(s, "unterminated string (no closing '\"')");
        }
        unsigned char ch = s->buf[s->pos];
        if (ch == '"') {
            advance(s);
            break;
        }
        if (ch == '\\') {
            int line = s->line, col = s->col;
            advance(s);
            if (s->pos >= s->len)
                continue;
            unsigned char e = s->buf[s->pos];
            const char *simple = strchr("\"\\/bfnrt", e);
            if (e && simple) {
                static const char out[] = "\"\\/\b\f\n\r\t";
                char o = out[simple - "\"\\/bfnrt"];
                sb_add(s, &o, 1);
                advance(s);
                continue;
            }
            if (e != 'u') {
                s->line = line;
                s->col = col;
                if (e >= 0x20 && e < 0x7f)
                    return scan_fail(s, "invalid escape '\\%c' in a string", e);
                return scan_fail(s, "invalid escape in a string");
            }
            uint32_t cp;
            if (hex4(s->buf + s->pos + 1, s->len - s->pos - 1, &cp) < 0) {
                s->line = line;
                s->col = col;
                return scan_fail(s, "invalid escape: '\\u' must be followed by four hex digits");
            }
            for (int i = 0; i < 5; i++)
                advance(s);
            if (cp >= 0xdc00 && cp <= 0xdfff) {
                s->line = line;
                s->col = col;
                return scan_fail(s, "invalid escape: unpaired UTF-16 surrogate \\u%04X",
                                 (unsigned)cp);
            }
            if (cp >= 0xd800 && cp <= 0xdbff) {
                uint32_t lo;
                if (s->len - s->pos < 6 || s->buf[s->pos] != '\\' || s->buf[s->pos + 1] != 'u' ||
                    hex4(s->buf + s->pos + 2, s->len - s->pos - 2, &lo) < 0 || lo < 0xdc00 ||
                    lo > 0xdfff) {
                    s->line = line;
                    s->col = col;
                    return scan_fail(s, "invalid escape: unpaired UTF-16 surrogate \\u%04X",
                                     (unsigned)cp);
                }
                for (int i = 0; i < 6; i++)
                    advance(s);
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            }
            if (cp == 0)
                flaw(s, line, col, path_upto, "\\u0000 (NUL) is not allowed in a string");
            else
                put_utf8(s, cp);
            continue;
        }
        if (ch == 0)
            return scan_fail(s, "NUL byte inside a string");
        if (ch < 0x20) {
            char b[8];
            flaw(s, s->line, s->col, path_upto,
                 "raw control character U+%04X inside a string (write it as %s)", ch,
                 escape_hint(ch, b, sizeof b));
            sb_add(s, (const char *)&ch, 1);
            advance(s);
            continue;
        }
        if (ch < 0x80) {
            sb_add(s, (const char *)&ch, 1);
            advance(s);
            continue;
        }
        uint32_t cp;
        size_t k = lesson_utf8_decode(s->buf + s->pos, s->len - s->pos, &cp);
        if (k == 0) {
            /* One report per string: the bytes after a bad one are noise. */
            if (!bad_utf8)
                flaw(s, s->line, s->col, path_upto, "invalid UTF-8 (byte 0x%02x)", ch);
            bad_utf8 = true;
            sb_add(s, (const char *)&ch, 1);
            advance(s);
            continue;
        }
        sb_add(s, (const char *)s->buf + s->pos, k);
        for (size_t i = 0; i < k; i++)
            advance(s);
    }
    if (s->sb_len > LESSON_MAX_STRING)
        flaw(s, line0, col0, path_upto, "a string of %zu bytes is longer than the limit of %d",
             s->sb_len, LESSON_MAX_STRING);
    return 0;
}

/* ---- numbers and literals ---- */

static bool is_digit(unsigned char ch)
{
    return ch >= '0' && ch <= '9';
}

static unsigned char peek(const struct scan *s, size_t ahead)
{
    return s->pos + ahead < s->len ? s->buf[s->pos + ahead] : 0;
}

static int scan_number(struct scan *s)
{
    size_t start = s->pos;
    int line0 = s->line, col0 = s->col;
    if (peek(s, 0) == '-')
        advance(s);
    if (peek(s, 0) == '0') {
        advance(s);
        if (is_digit(peek(s, 0)))
            return scan_fail(s, "invalid number: no leading zeros");
    } else if (is_digit(peek(s, 0))) {
        while (is_digit(peek(s, 0)))
            advance(s);
    } else {
        return scan_fail(s, "invalid number: a digit must follow '-'");
    }
    if (peek(s, 0) == '.') {
        advance(s);
        if (!is_digit(peek(s, 0)))
            return scan_fail(s, "invalid number: a digit must follow '.'");
        while (is_digit(peek(s, 0)))
            advance(s);
    }
    if (peek(s, 0) == 'e' || peek(s, 0) == 'E') {
        advance(s);
        if (peek(s, 0) == '+' || peek(s, 0) == '-')
            advance(s);
        if (!is_digit(peek(s, 0)))
            return scan_fail(s, "invalid number: a digit must follow the exponent");
        while (is_digit(peek(s, 0)))
            advance(s);
    }
    /* cJSON reads at most 63 characters of a number. */
    if (s->pos - start > 63) {
        s->line = line0;
        s->col = col0;
        return scan_fail(s, "number too long (%zu characters)", s->pos - start);
    }
    return 0;
}

static bool is_word_char(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || is_digit(ch) || ch == '_';
}

static int scan_literal(struct scan *s)
{
    size_t n = 0;
    while (s->pos + n < s->len && is_word_char(s->buf[s->pos + n]))
        n++;
    const char *w = (const char *)s->buf + s->pos;
    static const char *const lits[] = {"true", "false", "null"};
    for (int i = 0; i < 3; i++) {
        if (n == strlen(lits[i]) && !memcmp(w, lits[i], n)) {
            for (size_t k = 0; k < n; k++)
                advance(s);
            return 0;
        }
    }
    for (int i = 0; i < 3; i++)
        if (n == strlen(lits[i]) && !strncasecmp(w, lits[i], n))
            return scan_fail(s, "expected a value, found \"%.*s\" (JSON writes %s in lower case)",
                             (int)n, w, lits[i]);
    if (n > 20)
        n = 20;
    return scan_fail(s, "expected a value, found \"%.*s\" (strings need double quotes)", (int)n, w);
}

/* ---- containers ---- */

static int scan_value(struct scan *s);

static int cmp_key(const void *a, const void *b)
{
    const struct keyrec *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->key, y->key, n);
    if (c)
        return c;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static void free_frame(struct frame *f)
{
    for (size_t i = 0; i < f->n_keys; i++)
        free(f->keys[i].key);
    free(f->keys);
    free(f->key);
    memset(f, 0, sizeof *f);
}

/* At the end of an object: every key seen twice, in file order. */
static void report_duplicates(struct scan *s)
{
    struct frame *f = &s->fr[s->depth - 1];
    if (f->n_keys < 2)
        return;
    qsort(f->keys, f->n_keys, sizeof *f->keys, cmp_key);
    struct keyrec *dups = NULL;
    size_t n_dups = 0;
    const struct keyrec **firsts = NULL;
    for (size_t i = 1; i < f->n_keys; i++) {
        if (f->keys[i].len == f->keys[i - 1].len &&
            !memcmp(f->keys[i].key, f->keys[i - 1].key, f->keys[i].len)) {
            size_t j = i - 1;
            while (j > 0 && f->keys[j - 1].len == f->keys[i].len &&
                   !memcmp(f->keys[j - 1].key, f->keys[i].key, f->keys[i].len))
                j--;
            dups = xrealloc(dups, (n_dups + 1) * sizeof *dups);
            firsts = xrealloc(firsts, (n_dups + 1) * sizeof *firsts);
            dups[n_dups] = f->keys[i];
            firsts[n_dups] = &f->keys[j];
            n_dups++;
        }
    }
    /* Report in file order (insertion sort: duplicates are few). */
    for (size_t i = 1; i < n_dups; i++)
        for (size_t j = i; j > 0 && dups[j].order < dups[j - 1].order; j--) {
            struct keyrec t = dups[j];
            dups[j] = dups[j - 1];
            dups[j - 1] = t;
            const struct keyrec *ft = firsts[j];
            firsts[j] = firsts[j - 1];
            firsts[j - 1] = ft;
        }
    for (size_t i = 0; i < n_dups; i++) {
        char *q = NULL;
        size_t qlen = 0;
        append_escaped(&q, &qlen, dups[i].key, dups[i].len < 100 ? dups[i].len : 100);
        flaw(s, dups[i].line, dups[i].col, s->depth - 1,
             "duplicate key \"%s\" (first at line %d, column %d)", q, firsts[i]->line,
             firsts[i]->col);
        free(q);
    }
    free(dups);
    free(firsts);
}

static int open_container(struct scan *s, bool obj)
{
    if (s->depth == LESSON_MAX_DEPTH)
        return scan_fail(s, "nesting deeper than %d levels", LESSON_MAX_DEPTH);
    struct frame *f = &s->fr[s->depth++];
    memset(f, 0, sizeof *f);
    f->obj = obj;
    advance(s);
    return 0;
}

static void close_container(struct scan *s)
{
    if (s->fr[s->depth - 1].obj)
        report_duplicates(s);
    free_frame(&s->fr[s->depth - 1]);
    s->depth--;
    advance(s);
}

static bool starts_value(unsigned char ch)
{
    return ch == '{' || ch == '[' || ch == '"' || ch == '-' || is_digit(ch) || ch == 't' ||
           ch == 'f' || ch == 'n';
}

static int scan_object(struct scan *s)
{
    if (open_container(s, true) < 0)
        return -1;
    struct frame *f = &s->fr[s->depth - 1];
    char b[64];
    skip_ws(s);
    if (peek(s, 0) == '}' && s->pos < s->len) {
        close_container(s);
        return 0;
    }
    bool after_comma = false;
    for (;;) {
        skip_ws(s);
        unsigned char ch = s->pos < s->len ? s->buf[s->pos] : 0;
        if (s->pos >= s->len)
            return scan_fail(s, "unexpected end of file inside an object (missing '}')");
        if (ch != '"') {
            if (ch == '}' && after_comma)
                return scan_fail(s, "trailing comma before '}'");
            if (ch == '\'')
                return scan_fail(s, "keys and strings need double quotes, not '");
            if (ch == '/')
                return scan_fail(s, "comments are not allowed in JSON");
            return scan_fail(s, "expected a key in double quotes, found %s", found(s, b, sizeof b));
        }
        int kline = s->line, kcol = s->col;
        if (scan_string(s, s->depth - 1) < 0)
            return -1;
        free(f->key);
        f->key = xrealloc(NULL, s->sb_len + 1);
        memcpy(f->key, s->sb, s->sb_len + 1);
        f->key_len = s->sb_len;
        if (f->n_keys == f->cap_keys) {
            f->cap_keys = f->cap_keys ? f->cap_keys * 2 : 8;
            f->keys = xrealloc(f->keys, f->cap_keys * sizeof *f->keys);
        }
        char *k = xrealloc(NULL, s->sb_len + 1);
        memcpy(k, s->sb, s->sb_len + 1);
        f->keys[f->n_keys] = (struct keyrec){k, s->sb_len, kline, kcol, f->n_keys};
        f->n_keys++;
        skip_ws(s);
        if (peek(s, 0) != ':' || s->pos >= s->len)
            return scan_fail(s, "expected ':' after a key, found %s", found(s, b, sizeof b));
        advance(s);
        if (scan_value(s) < 0)
            return -1;
        skip_ws(s);
        ch = s->pos < s->len ? s->buf[s->pos] : 0;
        if (s->pos < s->len && ch == ',') {
            advance(s);
            after_comma = true;
            continue;
        }
        if (s->pos < s->len && ch == '}') {
            close_container(s);
            return 0;
        }
        if (s->pos >= s->len)
            return scan_fail(s, "unexpected end of file inside an object (missing '}')");
        if (ch == '"')
            return scan_fail(s, "missing ',' between members of an object");
        return scan_fail(s, "expected ',' or '}' after a member of an object, found %s",
                         found(s, b, sizeof b));
    }
}

static int scan_array(struct scan *s)
{
    if (open_container(s, false) < 0)
        return -1;
    struct frame *f = &s->fr[s->depth - 1];
    char b[64];
    skip_ws(s);
    if (s->pos < s->len && peek(s, 0) == ']') {
        close_container(s);
        return 0;
    }
    for (;;) {
        skip_ws(s);
        if (s->pos < s->len && peek(s, 0) == ']' && f->index > 0)
            return scan_fail(s, "trailing comma before ']'");
        if (scan_value(s) < 0)
            return -1;
        skip_ws(s);
        unsigned char ch = peek(s, 0);
        if (s->pos < s->len && ch == ',') {
            advance(s);
            f->index++;
            continue;
        }
        if (s->pos < s->len && ch == ']') {
            close_container(s);
            return 0;
        }
        if (s->pos >= s->len)
            return scan_fail(s, "unexpected end of file inside an array (missing ']')");
        if (starts_value(ch))
            return scan_fail(s, "missing ',' between elements of an array");
        return scan_fail(s, "expected ',' or ']' after an element of an array, found %s",
                         found(s, b, sizeof b));
    }
}

static int scan_value(struct scan *s)
{
    char b[64];
    skip_ws(s);
    if (s->pos >= s->len)
        return scan_fail(s, "unexpected end of file, expected a value");
    unsigned char ch = s->buf[s->pos];
    if (ch == '{')
        return scan_object(s);
    if (ch == '[')
        return scan_array(s);
    if (ch == '"')
        return scan_string(s, s->depth);
    if (ch == '-' || is_digit(ch))
        return scan_number(s);
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))
        return scan_literal(s);
    if (ch == '\'')
        return scan_fail(s, "strings need double quotes, not '");
    if (ch == '/')
        return scan_fail(s, "comments are not allowed in JSON");
    if (ch == '+' || ch == '.')
        return scan_fail(s, "invalid number: a number starts with '-' or a digit");
    return scan_fail(s, "expected a value, found %s", found(s, b, sizeof b));
}

static int cmp_problem(const void *a, const void *b)
{
    const struct problem *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

cJSON *lesson_json_parse(const char *file, const char *buf, size_t len, struct lesson_errors *errs,
                         bool *flawed)
{
    struct scan s;
    memset(&s, 0, sizeof s);
    s.file = file;
    s.buf = (const unsigned char *)buf;
    s.len = len;
    s.line = s.col = 1;
    *flawed = false;
    if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
        s.pos = 3; /* a UTF-8 byte order mark is allowed and skipped */
    skip_ws(&s);
    if (s.pos >= s.len) {
        lesson_errors_addf(errs, gettext("%s: empty file (no JSON value)"), file);
        return NULL;
    }
    if (scan_value(&s) == 0) {
        skip_ws(&s);
        if (s.pos < s.len) {
            char b[64];
            scan_fail(&s, "unexpected %s after the end of the JSON value", found(&s, b, sizeof b));
        }
    }
    for (int i = 0; i < s.depth; i++)
        free_frame(&s.fr[i]);
    free(s.sb);
    if (s.n_probs)
        qsort(s.probs, s.n_probs, sizeof *s.probs, cmp_problem);
    for (size_t i = 0; i < s.n_probs; i++) {
        lesson_errors_add(errs, s.probs[i].text);
        free(s.probs[i].text);
    }
    free(s.probs);
    if (s.n_dropped)
        lesson_errors_addf(errs, gettext("%s: %zu more problems in the text not shown"), file,
                           s.n_dropped);
    if (s.n_probs)
        *flawed = true;
    if (s.fatal)
        return NULL;
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(buf, len + 1, &end, 1);
    if (!doc) {
        /* The scanner is stricter than cJSON, so this is not expected. */
        int line, col;
        size_t off = end && end >= buf && end <= buf + len ? (size_t)(end - buf) : len;
        lesson_json_linecol(buf, off, &line, &col);
        lesson_errors_addf(errs, gettext("%s:%d:%d: syntax error"), file, line, col);
        *flawed = true;
    }
    return doc;
}
