/* progress: a learner's progress per lesson, saved atomically as JSON. */
#include "progress.h"

#include "atomic_write.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROGRESS_MAX_BYTES (16 * 1024 * 1024)

int progress_dir(char *out, size_t n)
{
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    int k;
    /* The XDG spec: a relative path in the variable is invalid, ignore it. */
    if (state && state[0] == '/')
        k = snprintf(out, n, "%s/consensus-tutor", state);
    else if (home && *home)
        k = snprintf(out, n, "%s/.local/state/consensus-tutor", home);
    else
        return -1;
    return k > 0 && (size_t)k < n ? 0 : -1;
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
static int make_dirs(const char *dir, struct sbuf *err)
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

static char *to_json(const struct progress *p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "format", 1);
    cJSON_AddStringToObject(o, "lesson", p->id);
    cJSON_AddStringToObject(o, "sha256", p->sha256);
    cJSON_AddNumberToObject(o, "step", (double)p->step);
    cJSON_AddNumberToObject(o, "n_steps", (double)p->n_steps);
    cJSON_AddNumberToObject(o, "score", p->score);
    cJSON_AddNumberToObject(o, "max_score", p->max_score);
    cJSON_AddBoolToObject(o, "done", p->done);
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
        cJSON_AddItemToArray(in, cJSON_CreateString(line));
        free(line);
        s = nl ? nl + 1 : NULL;
    }
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    return text;
}

int progress_save(const char *dir, const struct progress *p, struct sbuf *err)
{
    if (!valid_id(p->id)) {
        sbuf_printf(err, "not a lesson id: \"%s\"", p->id);
        return -1;
    }
    if (make_dirs(dir, err) != 0)
        return -1;
    char path[4200];
    snprintf(path, sizeof path, "%s/%s.json", dir, p->id);
    char *text = to_json(p);
    if (!text) {
        sbuf_printf(err, "%s: out of memory", path);
        return -1;
    }
    struct sbuf doc;
    sbuf_init(&doc);
    sbuf_add(&doc, text);
    sbuf_addc(&doc, '\n');
    free(text);
    int rc = atomic_write(path, doc.s, doc.len, true, err);
    sbuf_free(&doc);
    return rc;
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
    const cJSON *sha = cJSON_GetObjectItemCaseSensitive(o, "sha256");
    const cJSON *done = cJSON_GetObjectItemCaseSensitive(o, "done");
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(o, "inputs");
    double fmt, step, n_steps, score, max_score;
    if (!cJSON_IsObject(o) || !get_count(o, "format", 1, &fmt) || fmt != 1) {
        sbuf_add(err, "not a progress file of format 1");
        goto out;
    }
    if (!cJSON_IsString(id) || !valid_id(id->valuestring) || !cJSON_IsString(sha) ||
        strlen(sha->valuestring) > 64 || !get_count(o, "step", 1e9, &step) ||
        !get_count(o, "n_steps", 1e9, &n_steps) || !get_count(o, "score", 1e9, &score) ||
        !get_count(o, "max_score", 1e9, &max_score) || !cJSON_IsBool(done) || !cJSON_IsArray(in)) {
        sbuf_add(err, "a field is missing or of the wrong type");
        goto out;
    }
    snprintf(p->id, sizeof p->id, "%s", id->valuestring);
    snprintf(p->sha256, sizeof p->sha256, "%s", sha->valuestring);
    p->step = (size_t)step;
    p->n_steps = (size_t)n_steps;
    p->score = (int)score;
    p->max_score = (int)max_score;
    p->done = cJSON_IsTrue(done);
    struct sbuf all;
    sbuf_init(&all);
    const cJSON *item;
    cJSON_ArrayForEach(item, in)
    {
        if (!cJSON_IsString(item) || strchr(item->valuestring, '\n')) {
            sbuf_add(err, "an input is not a one-line string");
            sbuf_free(&all);
            goto out;
        }
        sbuf_add(&all, item->valuestring);
        sbuf_addc(&all, '\n');
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

int progress_load(const char *dir, const char *id, struct progress *p, struct sbuf *err)
{
    memset(p, 0, sizeof *p);
    if (!valid_id(id)) {
        sbuf_printf(err, "not a lesson id: \"%s\"", id);
        return -1;
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/%s.json", dir, id);
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
        if (rc == 0 && strcmp(p->id, id) != 0) {
            sbuf_printf(&why, "it belongs to lesson \"%s\"", p->id);
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
