/* transcript_lesson: finding the lesson a transcript was recorded from, by
 * the file given, the path it names or its id, and refusing one whose
 * SHA-256 differs (the lesson changed since the run). */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lesson_sandbox.h"
#include "sha256.h"
#include "transcript.h"

struct finder {
    const struct transcript *t;
    struct sbuf *err;
    struct lesson *found;
    char other[512]; /* a file with the lesson's id but another hash */
};

static char *read_file(const char *path, size_t *len)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > LESSON_MAX_BYTES)
        return NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc((size_t)st.st_size + 1);
    if (!buf)
        abort();
    *len = fread(buf, 1, (size_t)st.st_size + 1, f);
    fclose(f);
    if (*len != (size_t)st.st_size) {
        free(buf);
        return NULL;
    }
    buf[*len] = 0;
    return buf;
}

/* A transcript is no lesson: a class folder searched by id holds
 * hundreds, each naming the id; its head says what it is, so it costs
 * neither a read, a hash nor a parse (4.6 s for 200 such refusals). */
static bool is_transcript(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char head[257];
    size_t n = fread(head, 1, sizeof head - 1, f);
    fclose(f);
    head[n] = 0;
    return strstr(head, "\"consensus-tutor-transcript\"") != NULL;
}

/* Loads path if its bytes hash to the transcript's SHA-256 and it holds
 * the same lesson id. True once found. */
static bool try_file(struct finder *f, const char *path)
{
    if (f->found)
        return true;
    if (is_transcript(path))
        return false;
    size_t len;
    char *buf = read_file(path, &len);
    if (!buf)
        return false;
    unsigned char digest[32];
    char hex[65];
    sha256_digest(buf, len, digest);
    sha256_hex(digest, hex);
    if (strcmp(hex, f->t->sha256)) {
        /* A lesson with the same id, other bytes: worth naming if nothing
         * matches (a transcript of it names the id too: it is no lesson). */
        char needle[96];
        snprintf(needle, sizeof needle, "\"%s\"", f->t->lesson_id);
        if (!f->other[0] && strstr(buf, needle)) {
            struct lesson *l = NULL;
            struct lesson_errors errs;
            lesson_errors_init(&errs);
            if (lesson_parse(path, buf, len, &l, &errs) == 0 && !strcmp(l->id, f->t->lesson_id))
                snprintf(f->other, sizeof f->other, "%s", path);
            lesson_free(l);
            lesson_errors_free(&errs);
        }
        free(buf);
        return false;
    }
    struct lesson *l = NULL;
    struct lesson_errors errs;
    lesson_errors_init(&errs);
    if (lesson_parse(path, buf, len, &l, &errs) == 0 && !strcmp(l->id, f->t->lesson_id)) {
        f->found = l;
    } else if (l) {
        lesson_free(l);
    }
    lesson_errors_free(&errs);
    free(buf);
    return f->found != NULL;
}

/* Notes a place looked at in looked ("a, b, c"), a relative one from the
 * current folder, so the refusal says where that was. */
static void note_place(struct sbuf *looked, const char *path)
{
    char cwd[4096];
    sbuf_add(looked, looked->len ? ", " : "");
    if (path[0] == '/' || !getcwd(cwd, sizeof cwd))
        sbuf_add(looked, path);
    else if (!strcmp(path, "."))
        sbuf_add(looked, cwd);
    else
        sbuf_printf(looked, "%s/%s", strcmp(cwd, "/") ? cwd : "",
                    !strncmp(path, "./", 2) ? path + 2 : path);
}

/* try_file, noting the path in looked. */
static bool try_look(struct finder *f, const char *path, struct sbuf *looked)
{
    if (f->found)
        return true;
    note_place(looked, path);
    return try_file(f, path);
}

/* A sandbox run's lesson is no file: `tutor sandbox` built it from its
 * arguments, which the transcript's cluster records (protocol, nodes,
 * seed, Multi-Paxos); the same arguments give the same bytes, so the
 * SHA-256 decides as for a file. */
static bool try_sandbox(struct finder *f)
{
    const struct transcript *t = f->t;
    if (f->found || strncmp(t->lesson_id, "sandbox-", 8) || !t->lesson_file ||
        strcmp(t->lesson_file, "sandbox"))
        return f->found != NULL;
    const char *proto = t->protocol == PROTO_RAFT ? "raft" : "paxos";
    struct sbuf json;
    sbuf_init(&json);
    lesson_sandbox_json(&json, proto, t->n_nodes, (long long)t->cluster.seed,
                        t->protocol != PROTO_RAFT && (t->cluster.options & OPT_MULTI));
    unsigned char digest[32];
    char hex[65];
    sha256_digest(json.s, json.len, digest);
    sha256_hex(digest, hex);
    if (!strcmp(hex, t->sha256)) {
        struct lesson *l = NULL;
        struct lesson_errors errs;
        lesson_errors_init(&errs);
        if (lesson_parse("sandbox", json.s, json.len, &l, &errs) == 0)
            f->found = l;
        lesson_errors_free(&errs);
    }
    sbuf_free(&json);
    return f->found != NULL;
}

/* Every *.json in dir and its subdirectories (one level: lessons/LANG/). */
static bool try_dir(struct finder *f, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    /* Sorted, so the same lesson is found on every machine. */
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            names = realloc(names, cap * sizeof *names);
            if (!names)
                abort();
        }
        names[n++] = strdup(de->d_name);
    }
    closedir(d);
    for (size_t i = 0; i + 1 < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (strcmp(names[i], names[j]) > 0) {
                char *x = names[i];
                names[i] = names[j];
                names[j] = x;
            }
    for (size_t i = 0; i < n && !f->found; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        size_t len = strlen(names[i]);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode) && depth > 0)
            try_dir(f, path, depth - 1);
        else if (S_ISREG(st.st_mode) && len > 5 && !strcmp(names[i] + len - 5, ".json"))
            try_file(f, path);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return f->found != NULL;
}

struct lesson *transcript_find_lesson(const struct transcript *t, const char *transcript_path,
                                      const char *given, struct sbuf *err)
{
    struct finder f = {.t = t, .err = err};
    if (given) {
        size_t len;
        char *buf = read_file(given, &len);
        if (!buf) {
            sbuf_printf(err, "%s: cannot read the lesson", given);
            return NULL;
        }
        free(buf);
        if (!try_file(&f, given)) {
            sbuf_printf(err,
                        "%s: not the lesson of this transcript (it wants \"%s\" with SHA-256 "
                        "%.12s…; the lesson changed since the run, or it is another one)",
                        given, t->lesson_id, t->sha256);
            return NULL;
        }
        return f.found;
    }
    /* A UI export records the path the lesson was opened by, often
     * relative (lessons/en/01-consensus-basics.json) to a folder the
     * grader is not in: the path is tried from the current folder, from
     * the transcript's, by its name beside the transcript, and under the
     * installed lessons; then any lesson there with the transcript's id
     * and SHA-256. The refusal lists every place looked. */
    char tdir[4096];
    const char *slash = strrchr(transcript_path, '/');
    if (slash)
        snprintf(tdir, sizeof tdir, "%.*s", (int)(slash - transcript_path), transcript_path);
    else
        snprintf(tdir, sizeof tdir, ".");
    struct sbuf looked;
    sbuf_init(&looked);
    const char *file = t->lesson_file;
    bool by_path = file && *file && strcmp(file, "sandbox");
    if (by_path) {
        char path[8192];
        try_look(&f, file, &looked);
        if (file[0] != '/') {
            if (slash) {
                snprintf(path, sizeof path, "%s/%s", tdir, file);
                try_look(&f, path, &looked);
            }
            const char *base = strrchr(file, '/');
            if (base) {
                snprintf(path, sizeof path, "%s%s", tdir, base);
                try_look(&f, path, &looked);
            }
        }
        /* ".../lessons/en/01-x.json" is LESSONDIR/en/01-x.json installed. */
        const char *tail = NULL;
        for (const char *p = file; (p = strstr(p, "lessons/")); p++)
            if (p == file || p[-1] == '/')
                tail = p + 8;
        if (tail && *tail) {
            snprintf(path, sizeof path, "%s/%s", LESSONDIR, tail);
            try_look(&f, path, &looked);
        }
    }
    size_t by_id_from = looked.len;
    /* By id and SHA-256: the installed lessons and ./lessons first (the
     * usual home of a lesson), the folders themselves and the
     * transcript's last (a class folder holds many transcripts to hash). */
    char tlessons[4200];
    snprintf(tlessons, sizeof tlessons, "%s/lessons", tdir);
    const char *dirs[] = {LESSONDIR, "lessons", ".", tlessons, tdir};
    const int depth[] = {1, 1, 0, 1, 0};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs && !f.found; i++) {
        bool seen = false;
        for (size_t k = 0; k < i; k++)
            seen |= !strcmp(dirs[k], dirs[i]) && depth[k] >= depth[i];
        if (seen)
            continue;
        note_place(&looked, dirs[i]);
        try_dir(&f, dirs[i], depth[i]);
    }
    if (!f.found)
        try_sandbox(&f);
    if (f.found) {
        sbuf_free(&looked);
        return f.found;
    }
    sbuf_printf(err, "the lesson \"%s\" (SHA-256 %.12s…) is not found", t->lesson_id, t->sha256);
    if (f.other[0])
        sbuf_printf(err, ": %s has that id but other bytes (the lesson changed since the run)",
                    f.other);
    /* looked: the paths tried, then ", " and the folders searched. */
    sbuf_add(err, "; looked at ");
    sbuf_addn(err, looked.s, by_id_from);
    sbuf_printf(err, "%sfor its id and SHA-256 in %s", by_id_from ? " and " : "",
                looked.s + by_id_from + (by_id_from ? 2 : 0));
    sbuf_free(&looked);
    sbuf_add(err, "; give it with --lesson FILE");
    return NULL;
}
