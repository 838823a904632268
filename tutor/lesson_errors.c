/* lesson_errors: the list of problems a load found, "did you mean"
 * suggestions, and the lesson's own text quoted safely inside messages. */
#include <libintl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tutor/lesson_internal.h"

void lesson_errors_init(struct lesson_errors *e)
{
    e->lines = NULL;
    e->n = e->cap = 0;
}

void lesson_errors_free(struct lesson_errors *e)
{
    for (size_t i = 0; i < e->n; i++)
        free(e->lines[i]);
    free(e->lines);
    lesson_errors_init(e);
}

void lesson_errors_add(struct lesson_errors *e, const char *line)
{
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 16;
        char **p = realloc(e->lines, cap * sizeof *p);
        if (!p)
            abort();
        e->lines = p;
        e->cap = cap;
    }
    char *s = strdup(line);
    if (!s)
        abort();
    e->lines[e->n++] = s;
}

static char *vformat(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        n = 0;
    char *s = malloc((size_t)n + 1);
    if (!s)
        abort();
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

void lesson_errors_addf(struct lesson_errors *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(fmt, ap);
    va_end(ap);
    lesson_errors_add(e, s);
    free(s);
}

/* The message's sentence is the catalog's (xgettext knows lesson_err's
 * third argument as a msgid, po/Makevars); the file, the JSON path and the
 * values it quotes are the author's and stay as they are. */
void lesson_err(struct lctx *c, const char *path, const char *fmt, ...)
{
    c->n_errors++;
    if (c->n_errors > LESSON_MAX_MEANING_ERRORS) {
        if (c->n_errors == LESSON_MAX_MEANING_ERRORS + 1)
            lesson_errors_addf(c->errs, gettext("%s: too many errors; the rest are not shown"),
                               c->file);
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    char *msg = vformat(gettext(fmt), ap);
    va_end(ap);
    if (path && *path)
        lesson_errors_addf(c->errs, "%s: %s: %s", c->file, path, msg);
    else
        lesson_errors_addf(c->errs, "%s: %s", c->file, msg);
    free(msg);
}

static int fold(int ch)
{
    return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

#define DIST_MAX_LEN 64

/* Optimal-string-alignment distance, ASCII case folded. */
static int lesson_edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > DIST_MAX_LEN || m > DIST_MAX_LEN)
        return 1000;
    /* Three rows suffice for the optimal string alignment distance. */
    int rows[3][DIST_MAX_LEN + 1];
    int *pp = rows[0], *p = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= m; j++)
        p[j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= m; j++) {
            int cost = fold((unsigned char)a[i - 1]) != fold((unsigned char)b[j - 1]);
            int v = p[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (p[j - 1] + cost < v)
                v = p[j - 1] + cost;
            if (i > 1 && j > 1 && fold((unsigned char)a[i - 1]) == fold((unsigned char)b[j - 2]) &&
                fold((unsigned char)a[i - 2]) == fold((unsigned char)b[j - 1]) && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            cur[j] = v;
        }
        int *t = pp;
        pp = p;
        p = cur;
        cur = t;
    }
    return p[m];
}

const char *lesson_suggest(const char *word, const void *base, size_t stride, size_t n)
{
    size_t len = strlen(word);
    int limit = len <= 3 ? 1 : 2;
    const char *best = NULL;
    int best_d = limit + 1;
    for (size_t i = 0; i < n; i++) {
        const char *cand = *(const char *const *)((const char *)base + i * stride);
        if (!cand)
            break;
        int d = lesson_edit_distance(word, cand);
        /* Don't offer a candidate that shares almost nothing with the word. */
        if (d >= (int)strlen(cand))
            continue;
        if (d < best_d) {
            best_d = d;
            best = cand;
        }
    }
    return best;
}

const char *lesson_dym(struct lctx *c, const char *word, const char *const *names)
{
    size_t n = 0;
    while (names[n])
        n++;
    const char *s = lesson_suggest(word, names, sizeof *names, n);
    return s ? lesson_sprintf(c->a, gettext(" (did you mean \"%s\"?)"), s) : "";
}

const char *lesson_quote(struct lctx *c, const char *s)
{
    if (!s)
        return "null";
    enum { MAX_CHARS = 60 };
    size_t cap = strlen(s) * 6 + 16;
    if (cap > MAX_CHARS * 10 + 16)
        cap = MAX_CHARS * 10 + 16;
    char *out = lesson_alloc(c->a, cap);
    size_t o = 0;
    out[o++] = '"';
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s);
    int chars = 0;
    while (left) {
        if (chars == MAX_CHARS) {
            memcpy(out + o, "\xe2\x80\xa6", 3); /* … */
            o += 3;
            break;
        }
        uint32_t cp;
        size_t k = lesson_utf8_decode(p, left, &cp);
        if (k == 0) {
            o += (size_t)snprintf(out + o, cap - o, "\\x%02x", *p);
            k = 1;
        } else if (cp == '"' || cp == '\\') {
            out[o++] = '\\';
            out[o++] = (char)cp;
        } else if (cp == '\n') {
            out[o++] = '\\';
            out[o++] = 'n';
        } else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f)) {
            o += (size_t)snprintf(out + o, cap - o, "\\u%04x", (unsigned)cp);
        } else {
            memcpy(out + o, p, k);
            o += k;
        }
        p += k;
        left -= k;
        chars++;
    }
    out[o++] = '"';
    out[o] = '\0';
    return out;
}

static const char *format_number(struct lctx *c, double d)
{
    if (isnan(d))
        return "NaN";
    if (isinf(d))
        return d > 0 ? gettext("a number too large") : gettext("a number too small");
    char buf[40];
    if (d == floor(d) && fabs(d) < 1e17) {
        snprintf(buf, sizeof buf, "%.0f", d);
        return lesson_strdup(c->a, buf);
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    return lesson_strdup(c->a, buf);
}

const char *lesson_describe(struct lctx *c, const cJSON *v)
{
    if (!v)
        return gettext("nothing");
    if (cJSON_IsFalse(v))
        return "false";
    if (cJSON_IsTrue(v))
        return "true";
    if (cJSON_IsNull(v))
        return "null";
    if (cJSON_IsNumber(v))
        return format_number(c, v->valuedouble);
    if (cJSON_IsString(v))
        return lesson_quote(c, v->valuestring);
    if (cJSON_IsArray(v))
        return gettext("an array");
    if (cJSON_IsObject(v))
        return gettext("an object");
    return gettext("an invalid value");
}

const char *lesson_node_list(struct lctx *c)
{
    if (!c->nodes_known)
        return "";
    char buf[PROTO_MAX_NODES * 12];
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < c->cfg->n_nodes; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? ", " : "", c->cfg->names[i]);
    return lesson_strdup(c->a, buf);
}
