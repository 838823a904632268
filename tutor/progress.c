/* progress: a learner's progress per lesson, saved atomically as JSON. */
#include "progress.h"

#include "atomic_write.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROGRESS_MAX_BYTES (16 * 1024 * 1024)
/* Format 2: inputs are input objects (format 1 held a private line
 * encoding, which this version no longer reads). */
#define PROGRESS_FORMAT 2

int progress_xdg_dir(const char *var, const char *fallback, char *out, size_t n)
{
    const char *base = getenv(var);
    const char *home = getenv("HOME");
    int k;
    /* The XDG spec: a relative path in the variable is invalid, ignore it. */
    if (base && base[0] == '/')
        k = snprintf(out, n, "%s/consensus-tutor", base);
    else if (home && *home)
        k = snprintf(out, n, "%s/%s/consensus-tutor", home, fallback);
    else
        return -1;
    return k > 0 && (size_t)k < n ? 0 : -1;
}

int progress_dir(char *out, size_t n)
{
    return progress_xdg_dir("XDG_STATE_HOME", ".local/state", out, n);
}

void progress_hex(const unsigned char sha[32], char out[65])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = digits[sha[i] >> 4];
        out[2 * i + 1] = digits[sha[i] & 15];
    }
    out[64] = 0;
}

/* mkdir -p, mode 0700 (progress is the learner's own business). */
int progress_make_dirs(const char *dir, struct sbuf *err)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
        sbuf_add(err, "folder name too long");
        return -1;
    }
    for (char *p = path + 1;; p++) {
        if (*p == '/' || !*p) {
            char c = *p;
            *p = 0;
            if (mkdir(path, 0700) != 0 && errno != EEXIST) {
                sbuf_printf(err, "%s: %s", path, strerror(errno));
                return -1;
            }
            *p = c;
            if (!c)
                break;
        }
    }
    return 0;
}

static bool valid_id(const char *id)
{
    size_t n = strlen(id);
    if (!n || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' && id[i] <= '9') || id[i] == '-'))
            return false;
    return true;
}

/* A language tag as it may appear in a file name: letters, digits, '-'. */
static bool valid_lang(const char *lang)
{
    size_t n = strlen(lang);
    if (!n || n > 16)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((lang[i] >= 'a' && lang[i] <= 'z') || (lang[i] >= 'A' && lang[i] <= 'Z') ||
              (lang[i] >= '0' && lang[i] <= '9') || lang[i] == '-'))
            return false;
    return true;
}

static int file_name(const char *dir, const char *id, const char *lang, const char *ext, char *out,
                     size_t n, struct sbuf *err)
{
    if (!valid_id(id)) {
        sbuf_printf(err, "not a lesson id: \"%s\"", id);
        return -1;
    }
    if (!valid_lang(lang)) {
        sbuf_printf(err, "not a language tag: \"%s\"", lang);
        return -1;
    }
    int k = snprintf(out, n, "%s/%s.%s%s", dir, id, lang, ext);
    if (k < 0 || (size_t)k >= n) {
        sbuf_add(err, "folder name too long");
        return -1;
    }
    return 0;
}

static char *to_json(const struct progress *p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "format", PROGRESS_FORMAT);
    cJSON_AddStringToObject(o, "lesson", p->id);
    cJSON_AddStringToObject(o, "lang", p->lang);
    cJSON_AddStringToObject(o, "sha256", p->sha256);
    cJSON_AddNumberToObject(o, "step", (double)p->step);
    cJSON_AddNumberToObject(o, "n_steps", (double)p->n_steps);
    cJSON_AddNumberToObject(o, "score", p->score);
    cJSON_AddNumberToObject(o, "total", p->total);
    cJSON_AddBoolToObject(o, "done", p->done);
    cJSON_AddNumberToObject(o, "best_score", p->best_score);
    cJSON_AddNumberToObject(o, "best_total", p->best_total);
    cJSON *in = cJSON_AddArrayToObject(o, "inputs");
    const char *s = p->inputs;
    while (s && *s) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        char *line = malloc(len + 1);
        if (!line)
            abort();
        memcpy(line, s, len);
        line[len] = 0;
        /* Each line is an input object the flow wrote. */
        cJSON *item = cJSON_Parse(line);
        free(line);
        if (!item) {
            cJSON_Delete(o);
            return NULL;
        }
        cJSON_AddItemToArray(in, item);
        s = nl ? nl + 1 : NULL;
    }
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    return text;
}

static int lock_folder(const char *dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/.lock", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0 && flock(fd, LOCK_EX) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

int progress_save(const char *dir, const struct progress *p, bool attempt, struct sbuf *err)
{
    char path[4200];
    if (file_name(dir, p->id, p->lang, ".json", path, sizeof path, err) != 0)
        return -1;
    if (progress_make_dirs(dir, err) != 0)
        return -1;
    /* Read, merge and write under one lock, so two windows on one lesson
     * never lose each other's record. */
    int lock = lock_folder(dir);
    struct progress merged = *p, old;
    struct sbuf ignored;
    sbuf_init(&ignored);
    bool have_old = progress_load(dir, p->id, p->lang, &old, &ignored) == 0;
    sbuf_free(&ignored);
    if (have_old) {
        merged.done = p->done || old.done;
        if (old.best_score >= p->best_score) {
            merged.best_score = old.best_score;
            merged.best_total = old.best_total;
        }
        if (!attempt) {
            memcpy(merged.sha256, old.sha256, sizeof merged.sha256);
            merged.step = old.step;
            merged.n_steps = old.n_steps;
            merged.score = old.score;
            merged.total = old.total;
            merged.inputs = old.inputs;
            merged.n_inputs = old.n_inputs;
        }
    }
    if (merged.score > merged.best_score) {
        merged.best_score = merged.score;
        merged.best_total = merged.total;
    }
    char *text = to_json(&merged);
    int rc = -1;
    if (!text) {
        sbuf_printf(err, "%s: an input is not an input object", path);
    } else {
        struct sbuf doc;
        sbuf_init(&doc);
        sbuf_add(&doc, text);
        sbuf_addc(&doc, '\n');
        free(text);
        rc = atomic_write(path, doc.s, doc.len, true, err);
        sbuf_free(&doc);
    }
    if (have_old)
        progress_free(&old);
    if (lock >= 0)
        close(lock);
    return rc;
}

int progress_keep_bad(const char *dir, const char *id, const char *lang, char *out, size_t n)
{
    char path[4200];
    struct sbuf err;
    sbuf_init(&err);
    int rc = file_name(dir, id, lang, ".json", path, sizeof path, &err);
    sbuf_free(&err);
    if (rc != 0)
        return -1;
    int k = snprintf(out, n, "%s.bad", path);
    if (k < 0 || (size_t)k >= n)
        return -1;
    return rename(path, out) == 0 ? 0 : -1;
}

int progress_claim(const char *dir, const char *id, const char *lang, int *fd)
{
    *fd = -1;
    char path[4200];
    struct sbuf err;
    sbuf_init(&err);
    int rc = file_name(dir, id, lang, ".lock", path, sizeof path, &err);
    if (rc == 0)
        rc = progress_make_dirs(dir, &err);
    sbuf_free(&err);
    if (rc != 0)
        return -1;
    int f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (f < 0)
        return -1;
    if (flock(f, LOCK_EX | LOCK_NB) != 0) {
        close(f);
        return errno == EWOULDBLOCK ? 1 : -1;
    }
    *fd = f;
    return 0;
}

void progress_release(int fd)
{
    if (fd >= 0)
        close(fd);
}

void progress_free(struct progress *p)
{
    free(p->inputs);
    memset(p, 0, sizeof *p);
}

static bool get_count(const cJSON *o, const char *key, double max, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > max ||
        v->valuedouble != (double)(long long)v->valuedouble)
        return false;
    *out = v->valuedouble;
    return true;
}

static int parse(const char *text, size_t len, struct progress *p, struct sbuf *err)
{
    cJSON *o = cJSON_ParseWithLength(text, len);
    if (!o) {
        sbuf_add(err, "not valid JSON");
        return -1;
    }
    int rc = -1;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "lesson");
    const cJSON *lang = cJSON_GetObjectItemCaseSensitive(o, "lang");
    const cJSON *sha = cJSON_GetObjectItemCaseSensitive(o, "sha256");
    const cJSON *done = cJSON_GetObjectItemCaseSensitive(o, "done");
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(o, "inputs");
    double fmt, step, n_steps, score, total, best, best_total;
    if (!cJSON_IsObject(o) || !get_count(o, "format", 1e9, &fmt)) {
        sbuf_add(err, "not a progress file");
        goto out;
    }
    if (fmt != PROGRESS_FORMAT) {
        sbuf_printf(err, "a progress file of format %g (this tutor reads format %d)", fmt,
                    PROGRESS_FORMAT);
        goto out;
    }
    if (!cJSON_IsString(id) || !valid_id(id->valuestring) || !cJSON_IsString(lang) ||
        !valid_lang(lang->valuestring) || !get_count(o, "best_score", 1e9, &best) ||
        !cJSON_IsString(sha) || strlen(sha->valuestring) > 64 ||
        !get_count(o, "step", 1e9, &step) || !get_count(o, "n_steps", 1e9, &n_steps) ||
        !get_count(o, "score", 1e9, &score) ||
        /* Files written before the score was "of what was tried" have
         * max_score, the lesson's whole points, and no best_total. */
        !(get_count(o, "total", 1e9, &total) || get_count(o, "max_score", 1e9, &total)) ||
        !cJSON_IsBool(done) || !cJSON_IsArray(in)) {
        sbuf_add(err, "a field is missing or of the wrong type");
        goto out;
    }
    snprintf(p->id, sizeof p->id, "%s", id->valuestring);
    snprintf(p->lang, sizeof p->lang, "%s", lang->valuestring);
    snprintf(p->sha256, sizeof p->sha256, "%s", sha->valuestring);
    p->best_score = (int)best;
    p->step = (size_t)step;
    p->n_steps = (size_t)n_steps;
    p->score = (int)score;
    p->total = (int)total;
    p->best_total = get_count(o, "best_total", 1e9, &best_total) ? (int)best_total : p->total;
    p->done = cJSON_IsTrue(done);
    struct sbuf all;
    sbuf_init(&all);
    const cJSON *item;
    cJSON_ArrayForEach(item, in)
    {
        /* Printed unformatted, an object is one line: JSON escapes control
         * characters. Its contents are checked against the lesson by the
         * caller (flow_inputs_check) before anything runs. */
        char *line = cJSON_IsObject(item) ? cJSON_PrintUnformatted(item) : NULL;
        if (!line) {
            sbuf_printf(err, "inputs[%zu]: not an input object", p->n_inputs);
            sbuf_free(&all);
            goto out;
        }
        sbuf_add(&all, line);
        sbuf_addc(&all, '\n');
        cJSON_free(line);
        p->n_inputs++;
    }
    /* An empty sbuf's text is not the caller's to free. */
    if (all.len) {
        p->inputs = all.s;
    } else {
        sbuf_free(&all);
        p->inputs = NULL;
    }
    rc = 0;
out:
    cJSON_Delete(o);
    if (rc != 0) {
        free(p->inputs);
        memset(p, 0, sizeof *p);
    }
    return rc;
}

int progress_load(const char *dir, const char *id, const char *lang, struct progress *p,
                  struct sbuf *err)
{
    memset(p, 0, sizeof *p);
    char path[4200];
    if (file_name(dir, id, lang, ".json", path, sizeof path, err) != 0)
        return -1;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        if (errno == ENOENT)
            return 1;
        sbuf_printf(err, "%s: %s", path, strerror(errno));
        return -1;
    }
    struct sbuf text;
    sbuf_init(&text);
    char buf[8192];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, fp)) > 0) {
        sbuf_addn(&text, buf, k);
        if (text.len > PROGRESS_MAX_BYTES)
            break;
    }
    bool bad_read = ferror(fp) != 0;
    fclose(fp);
    int rc;
    if (bad_read || text.len > PROGRESS_MAX_BYTES) {
        sbuf_printf(err, "%s: %s", path, bad_read ? "read error" : "too large");
        rc = -1;
    } else {
        struct sbuf why;
        sbuf_init(&why);
        rc = parse(text.s, text.len, p, &why);
        if (rc == 0 && (strcmp(p->id, id) != 0 || strcmp(p->lang, lang) != 0)) {
            sbuf_printf(&why, "it belongs to lesson \"%s\" (%s)", p->id, p->lang);
            progress_free(p);
            rc = -1;
        }
        if (rc != 0)
            sbuf_printf(err, "%s: %s", path, why.s);
        sbuf_free(&why);
    }
    sbuf_free(&text);
    return rc;
}
