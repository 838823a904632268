/* transcript_export: choosing a format by the file name and writing an
 * export atomically; the transcript stays as it was whatever happens. */
#include <errno.h>
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "atomic_write.h"
#include "safe_text.h"
#include "transcript.h"

enum transcript_format transcript_format_of(const char *path)
{
    static const struct {
        const char *ext;
        enum transcript_format f;
    } exts[] = {{".json", TF_JSON}, {".md", TF_MD}, {".markdown", TF_MD}, {".svg", TF_SVG}};
    size_t n = path ? strlen(path) : 0;
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        size_t e = strlen(exts[i].ext);
        if (n > e && !strcasecmp(path + n - e, exts[i].ext))
            return exts[i].f;
    }
    return TF_UNKNOWN;
}

static const char *transcript_format_ext(enum transcript_format f)
{
    switch (f) {
    case TF_JSON:
        return "json";
    case TF_MD:
        return "md";
    case TF_SVG:
        return "svg";
    default:
        return "";
    }
}

bool transcript_name_add_ext(char *path, size_t n, enum transcript_format f)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *ext = transcript_format_ext(f);
    if (!*base || strchr(base, '.') || !*ext)
        return true;
    size_t len = strlen(path);
    if (len + 1 + strlen(ext) + 1 > n)
        return false;
    snprintf(path + len, n - len, ".%s", ext);
    return true;
}

void transcript_export_date(char *out, size_t n)
{
    /* SOURCE_DATE_EPOCH (reproducible-builds.org): a fixed clock for
     * tests and reproducible exports; else the clock. */
    time_t now = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (!errno && !*end && v >= 0 && v <= 253402300799LL)
            now = (time_t)v;
    }
    struct tm tm;
    if (!gmtime_r(&now, &tm) || !strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(out, n, "?");
}

/* SVG is XML: a hidden code point (tutor/safe_text.h) becomes the visible
 * text <U+XXXX>, written with character references so it stays text. */
static void svg_safe(struct sbuf *out, const char *s)
{
    while (*s) {
        uint32_t cp;
        size_t n = text_utf8_decode(s, &cp);
        if (text_is_hidden(cp) || cp == 0xfffd)
            sbuf_printf(out, "&#x3C;U+%04X&#x3E;", (unsigned)cp);
        else
            sbuf_addn(out, s, n);
        s += n;
    }
}

/* Lesson text reaches an export as the author wrote it; what is written
 * is made safe in one pass per format (tutor/safe_text.h): no control or
 * invisible character in the bytes of any file, the JSON's values kept
 * exact as \u escapes. */
static void make_safe(enum transcript_format f, const struct sbuf *raw, struct sbuf *out)
{
    switch (f) {
    case TF_JSON:
        text_safe_json(out, raw->s);
        break;
    case TF_MD:
        text_safe_add(out, raw->s, TEXT_SAFE_LINES);
        break;
    default:
        svg_safe(out, raw->s);
        break;
    }
}

int transcript_export(const struct transcript *t, enum transcript_format f, const char *path,
                      bool replace, struct sbuf *err)
{
    struct sbuf b;
    sbuf_init(&b);
    /* The export's date and time, the one clock reading in the file (a
     * date given with --date stands instead); verify does not compare it. */
    char date[32];
    struct transcript stamped = *t;
    if (!t->date) {
        transcript_export_date(date, sizeof date);
        stamped.date = date;
    }
    switch (f) {
    case TF_JSON:
        transcript_write_json(&stamped, &b);
        break;
    case TF_MD:
        transcript_write_md(&stamped, &b);
        break;
    case TF_SVG:
        transcript_write_svg(&stamped, &b);
        break;
    default:
        sbuf_printf(err, gettext("%s: which format? name it .json, .md or .svg"), path);
        sbuf_free(&b);
        return -1;
    }
    struct sbuf safe;
    sbuf_init(&safe);
    make_safe(f, &b, &safe);
    int rc;
    if (f == TF_JSON && safe.len > (size_t)TRANSCRIPT_MAX_BYTES) {
        /* A record verify and grade would refuse to read is no record. */
        sbuf_printf(err,
                    gettext("%s: the record of this run would be %zu MB, more than the %ld MB "
                            "verify and grade read; a .md or .svg export is not compared"),
                    path, safe.len >> 20, TRANSCRIPT_MAX_BYTES >> 20);
        rc = -1;
    } else {
        rc = atomic_write(path, safe.s, safe.len, replace, err);
    }
    sbuf_free(&safe);
    sbuf_free(&b);
    return rc;
}

void transcript_default_name(const struct transcript *t, enum transcript_format f, char *out,
                             size_t n)
{
    /* "<lesson id>-<student or run>.<ext>": the student's name kept to
     * letters, digits and - _ (other bytes of UTF-8 letters pass too), so
     * it stays one plain file name. */
    char who[128];
    size_t k = 0;
    for (const char *s = t->student ? t->student : "run"; *s && k + 1 < sizeof who; s++) {
        unsigned char c = (unsigned char)*s;
        bool keep = c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '_';
        who[k++] = keep ? (char)c : '-';
    }
    who[k] = 0;
    snprintf(out, n, "%s-%s.%s", t->lesson_id, k ? who : "run", transcript_format_ext(f));
}
