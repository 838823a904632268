/* transcript_lesson: finding the lesson a transcript was recorded from, by
 * the file given, the path it names or its id, and refusing one whose
 * SHA-256 differs (the lesson changed since the run). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* Loads path if its bytes hash to the transcript's SHA-256 and it holds
 * the same lesson id. True once found. */
static bool try_file(struct finder *f, const char *path)
{
    if (f->found)
        return true;
    size_t len;
    char *buf = read_file(path, &len);
    if (!buf)
        return false;
    unsigned char digest[32];
    char hex[65];
    sha256_digest(buf, len, digest);
    sha256_hex(digest, hex);
    if (strcmp(hex, f->t->sha256)) {
        /* Same id, other bytes: worth naming if nothing matches. */
        char needle[96];
        snprintf(needle, sizeof needle, "\"%s\"", f->t->lesson_id);
        if (!f->other[0] && strstr(buf, needle))
            snprintf(f->other, sizeof f->other, "%s", path);
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
    /* The path the transcript names, as given and beside the transcript. */
    if (t->lesson_file && *t->lesson_file) {
        try_file(&f, t->lesson_file);
        const char *slash = strrchr(transcript_path, '/');
        if (!f.found && slash && t->lesson_file[0] != '/') {
            char path[4096];
            snprintf(path, sizeof path, "%.*s/%s", (int)(slash - transcript_path), transcript_path,
                     t->lesson_file);
            try_file(&f, path);
            const char *base = strrchr(t->lesson_file, '/');
            if (!f.found && base) {
                snprintf(path, sizeof path, "%.*s%s", (int)(slash - transcript_path),
                         transcript_path, base);
                try_file(&f, path);
            }
        }
    }
    /* By id: the installed lessons, then ./lessons from the source tree. */
    if (!f.found)
        try_dir(&f, LESSONDIR, 1);
    if (!f.found)
        try_dir(&f, "lessons", 1);
    if (!f.found)
        try_sandbox(&f);
    if (f.found)
        return f.found;
    sbuf_printf(err, "the lesson \"%s\" (SHA-256 %.12s…) is not found", t->lesson_id, t->sha256);
    if (f.other[0])
        sbuf_printf(err, ": %s has that id but other bytes (the lesson changed since the run)",
                    f.other);
    sbuf_add(err, "; give it with --lesson FILE");
    return NULL;
}
