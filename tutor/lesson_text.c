/* lesson_text: UTF-8 decoding, stripping control characters from the text a
 * lesson shows, and the {NODE.FIELD} references inside say texts. */
#include <string.h>

#include "tutor/lesson_internal.h"

size_t lesson_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned char b = s[0];
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if (b >= 0xc2 && b <= 0xdf) {
        len = 2;
        v = b & 0x1f;
        min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
        len = 3;
        v = b & 0x0f;
        min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
        len = 4;
        v = b & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return len;
}

static bool is_control(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f);
}

char *lesson_sanitize(struct lesson_arena *a, const char *s)
{
    size_t n = strlen(s);
    char *out = lesson_alloc(a, n + 1);
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;
    while (n) {
        uint32_t cp;
        size_t k = lesson_utf8_decode(p, n, &cp);
        if (k == 0) {
            k = 1; /* invalid byte: dropped (already reported by the scanner) */
        } else if (cp == '\n' || !is_control(cp)) {
            memcpy(out + o, p, k);
            o += k;
        }
        p += k;
        n -= k;
    }
    out[o] = '\0';
    return out;
}

bool lesson_has_control(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    while (n) {
        uint32_t cp;
        size_t k = lesson_utf8_decode(p, n, &cp);
        if (k == 0 || is_control(cp))
            return true;
        p += k;
        n -= k;
    }
    return false;
}

static bool is_alpha(char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

static bool is_name_char(char ch)
{
    return is_alpha(ch) || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
}

/* A reference is '{' NAME '.' FIELD '}' with NAME = [A-Za-z][A-Za-z0-9_-]*
 * and FIELD = [A-Za-z0-9_.-]+; any other text in braces is literal. On a
 * match, *dot and *close point at the '.' and the '}'. */
static bool match_ref(const char *s, const char **dot, const char **close)
{
    if (s[0] != '{' || !is_alpha(s[1]))
        return false;
    const char *p = s + 2;
    while (is_name_char(*p))
        p++;
    if (*p != '.')
        return false;
    *dot = p++;
    const char *f = p;
    while (is_name_char(*p) || *p == '.')
        p++;
    if (p == f || *p != '}')
        return false;
    *close = p;
    return true;
}

static const struct lesson_fieldspec *field_in(unsigned proto, const char *s, size_t n)
{
    for (size_t i = 0; i < lesson_n_node_fields; i++)
        if ((lesson_node_fields[i].proto & proto) && strlen(lesson_node_fields[i].name) == n &&
            !strncmp(lesson_node_fields[i].name, s, n))
            return &lesson_node_fields[i];
    return NULL;
}

bool lesson_next_ref(const struct lesson *l, const char *text, struct lesson_ref *ref)
{
    for (const char *s = strchr(text, '{'); s; s = strchr(s + 1, '{')) {
        const char *dot, *close;
        if (!match_ref(s, &dot, &close))
            continue;
        ref->start = s;
        ref->end = close + 1;
        ref->node = -1;
        for (int i = 0; i < l->cfg.n_nodes; i++)
            if (strlen(l->cfg.names[i]) == (size_t)(dot - s - 1) &&
                !strncmp(l->cfg.names[i], s + 1, (size_t)(dot - s - 1)))
                ref->node = i;
        const struct lesson_fieldspec *f = field_in(l->protocol == PROTO_RAFT ? LP_RAFT : LP_PAXOS,
                                                    dot + 1, (size_t)(close - dot - 1));
        ref->field = f ? f->name : NULL;
        return true;
    }
    return false;
}

void lesson_check_refs(struct lctx *c, const char *text, const char *path)
{
    for (const char *s = strchr(text, '{'); s; s = strchr(s + 1, '{')) {
        const char *dot, *close;
        if (!match_ref(s, &dot, &close))
            continue;
        char *whole = lesson_strndup(c->a, s, (size_t)(close - s + 1));
        char *node = lesson_strndup(c->a, s + 1, (size_t)(dot - s - 1));
        char *field = lesson_strndup(c->a, dot + 1, (size_t)(close - dot - 1));
        if (c->nodes_known) {
            int i = 0;
            while (i < c->cfg->n_nodes && strcmp(c->cfg->names[i], node))
                i++;
            if (i == c->cfg->n_nodes)
                lesson_err(c, path, "%s: unknown node \"%s\" (nodes: %s)", whole, node,
                           lesson_node_list(c));
        }
        if (!lesson_node_field(c->proto, field))
            lesson_err(c, path, "%s: unknown node field \"%s\"%s", whole, field,
                       lesson_dym_node_field(c, field));
    }
}
