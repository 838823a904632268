/* cmd_grade: `tutor grade FILE|DIR... [--csv OUT] [--jobs N] [--lesson FILE]...` — verifies
 * every transcript given (a folder: every *.json in it, recursively) with
 * the code of `tutor verify`, and prints one row per file: student, lesson,
 * language, mode, score, goals reached, verdict (shared/spec/cli.md).
 *
 * Every file is verified in a child process of its own (at most N at a
 * time), under a size limit and an alarm(): a transcript crafted to crash
 * or hang the reader costs its own row ("refused: reader crashed", "refused:
 * timed out"), never the gradebook. A child sends its row back over a pipe;
 * rows are printed in the order the files were given, so the output is the
 * same for any N. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tutor/atomic_write.h"
#include "cli.h"
#include "tutor/i18n.h"
#include "tutor/grade_row.h"
#include "tutor/transcript.h"

#define GRADE_MAX_BYTES (16L * 1024 * 1024) /* a class's transcripts are far smaller */
#ifndef GRADE_SECONDS    /* tests/tutor_hooked waits less for its hanging reader */
#define GRADE_SECONDS 20 /* per file: a lesson re-runs in well under one */
#endif
#define GRADE_MAX_JOBS 64
#define GRADE_CELL_CHARS 120 /* characters of a cell kept from a transcript */

enum grade_verdict { GV_REPRODUCES, GV_DIFFERS, GV_REFUSED };

struct grade_row {
    enum grade_verdict v;
    char *cell[GC_COUNT]; /* clean text */
};

struct grade_files {
    char **path;
    size_t n, cap;
};

static void files_add(struct grade_files *f, const char *path)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? 2 * f->cap : 64;
        f->path = realloc(f->path, f->cap * sizeof *f->path);
        if (!f->path)
            abort();
    }
    f->path[f->n++] = strdup(path);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_json(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && !strcmp(name + n - 5, ".json");
}

/* Every *.json under dir, in name order (depth first), so the table comes
 * out the same on every file system. Hidden entries are skipped. */
static void collect_dir(struct grade_files *f, const char *dir, int depth)
{
    DIR *d = depth < 32 ? opendir(dir) : NULL;
    if (!d) {
        files_add(f, dir); /* its row says why */
        return;
    }
    struct grade_files names = {0};
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.')
            files_add(&names, e->d_name);
    closedir(d);
    if (names.n) /* an empty folder has no array (qsort of NULL is undefined) */
        qsort(names.path, names.n, sizeof *names.path, cmp_str);
    for (size_t i = 0; i < names.n; i++) {
        size_t len = strlen(dir) + strlen(names.path[i]) + 2;
        char *p = malloc(len);
        if (!p)
            abort();
        snprintf(p, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names.path[i]);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
            collect_dir(f, p, depth + 1);
        else if (ends_json(names.path[i]))
            files_add(f, p);
        free(p);
        free(names.path[i]);
    }
    free(names.path);
}

/* Goals reached by the player's own actions: a goal step left without a
 * give-up there (the scoring rule of transcript.h; `tutor run` plays every
 * solution, so it reaches none). */
static void count_goals(const struct transcript *rec, const struct lesson *l, size_t *reached,
                        size_t *goals)
{
    *reached = *goals = 0;
    for (size_t g = 0; g < l->n_steps; g++) {
        if (l->steps[g].kind != STEP_GOAL)
            continue;
        ++*goals;
        bool left = false, gave_up = rec->mode == TRANSCRIPT_RUN;
        for (size_t i = 0; i < rec->n; i++) {
            const struct transcript_entry *e = &rec->e[i];
            if (e->at != (long)g)
                continue;
            left |= e->next != (long)g;
            for (size_t k = 0; k < e->n_in; k++)
                gave_up |= e->in[k].kind == TI_GIVE_UP;
        }
        if (left && !gave_up)
            ++*reached;
    }
}

static void set_cell(struct grade_row *row, enum grade_col c, const char *text)
{
    struct sbuf b;
    sbuf_init(&b);
    grade_clean(text, c == GC_DETAIL ? 4 * GRADE_CELL_CHARS : GRADE_CELL_CHARS, &b);
    free(row->cell[c]);
    row->cell[c] = strdup(b.s);
    sbuf_free(&b);
}

/* The reason without the file name the loaders put first. */
static const char *without_path(const char *why, const char *path)
{
    size_t n = strlen(path);
    if (!strncmp(why, path, n) && why[n] == ':')
        why += n + 1 + (why[n + 1] == ' ');
    return why;
}

/* A lesson not found says where it was looked for: that list goes to the
 * detail column, which holds more than the verdict's. */
static void refuse(struct grade_row *row, const char *why)
{
    struct sbuf b;
    sbuf_init(&b);
    const char *looked = strstr(why, "; looked at ");
    sbuf_printf(&b, "refused: %.*s", looked ? (int)(looked - why) : (int)strlen(why), why);
    row->v = GV_REFUSED;
    set_cell(row, GC_VERDICT, b.s);
    if (looked)
        set_cell(row, GC_DETAIL, looked + 2);
    sbuf_free(&b);
}

/* Verifies one file (in a child process), with the lesson of given
 * that has its lesson id, if any. */
static void grade_one(const char *path, const struct cli_lessons *given, struct grade_row *row)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        refuse(row, strerror(errno));
        return;
    }
    if (!S_ISREG(st.st_mode)) {
        refuse(row, S_ISDIR(st.st_mode) ? "a folder that cannot be read" : "not a regular file");
        return;
    }
    if (st.st_size > GRADE_MAX_BYTES) {
        char why[96];
        snprintf(why, sizeof why, "%lld bytes, more than the %ld MiB a transcript may have",
                 (long long)st.st_size, GRADE_MAX_BYTES >> 20);
        refuse(row, why);
        return;
    }
    struct sbuf err, where, why;
    sbuf_init(&err);
    sbuf_init(&where);
    sbuf_init(&why);
    struct lesson *l;
    struct transcript *rec = cli_open_transcript_among(path, given, &l, &err);
    if (!rec) {
        refuse(row, without_path(err.s, path));
    } else {
        char buf[64];
        set_cell(row, GC_STUDENT, rec->student ? rec->student : "");
        set_cell(row, GC_LESSON, rec->lesson_id);
        set_cell(row, GC_LANG, rec->lesson_lang);
        set_cell(row, GC_MODE, rec->mode == TRANSCRIPT_RUN ? "run" : "learner");
        snprintf(buf, sizeof buf, "%d/%d", rec->end.score, rec->end.total);
        set_cell(row, GC_SCORE, buf);
        size_t reached, goals;
        count_goals(rec, l, &reached, &goals);
        snprintf(buf, sizeof buf, "%zu/%zu", reached, goals);
        set_cell(row, GC_GOALS, buf);
        if (cli_verify(rec, l, &where, &why) == 0) {
            row->v = GV_REPRODUCES;
            set_cell(row, GC_VERDICT, "reproduces");
        } else {
            row->v = GV_DIFFERS;
            /* "step 12 (steps[9], by the learner)" -> "differs at step 12" */
            char *paren = strstr(where.s, " (");
            if (paren && !strncmp(where.s, "step ", 5))
                *paren = 0;
            sbuf_reset(&err);
            sbuf_printf(&err, "differs at %s", where.s);
            set_cell(row, GC_VERDICT, err.s);
            set_cell(row, GC_DETAIL, why.s);
        }
        lesson_free(l);
        transcript_free(rec);
    }
    sbuf_free(&err);
    sbuf_free(&where);
    sbuf_free(&why);
}

/* ---- A row over a pipe: "V\n" and then per cell "LEN\nBYTES" ---- */

static void row_send(int fd, const struct grade_row *row)
{
    struct sbuf b;
    sbuf_init(&b);
    sbuf_printf(&b, "%d\n", (int)row->v);
    for (int c = 0; c < GC_COUNT; c++) {
        const char *s = row->cell[c] ? row->cell[c] : "";
        sbuf_printf(&b, "%zu\n%s", strlen(s), s);
    }
    for (size_t off = 0; off < b.len;) {
        ssize_t w = write(fd, b.s + off, b.len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    sbuf_free(&b);
}

/* Parses what a child sent. False when it is not a whole row. */
static bool row_parse(const struct sbuf *b, struct grade_row *row)
{
    if (!b->len) /* nothing sent (and no buffer yet) */
        return false;
    const char *p = b->s, *end = b->s + b->len;
    char *q;
    long v = strtol(p, &q, 10);
    if (q == p || *q != '\n' || v < GV_REPRODUCES || v > GV_REFUSED)
        return false;
    row->v = (enum grade_verdict)v;
    p = q + 1;
    for (int c = 0; c < GC_COUNT; c++) {
        unsigned long n = strtoul(p, &q, 10);
        if (q == p || *q != '\n' || n > (size_t)(end - q - 1))
            return false;
        p = q + 1;
        if (c != GC_FILE) {
            free(row->cell[c]);
            row->cell[c] = strndup(p, n);
        }
        p += n;
    }
    return p == end;
}

/* ---- The workers ---- */

struct grade_job {
    pid_t pid;
    int fd;
    size_t file;
    struct sbuf got;
};

static void start_job(struct grade_job *j, size_t file, const char *path,
                      const struct cli_lessons *given)
{
    int fds[2];
    if (pipe(fds) != 0) {
        perror("tutor: grade: pipe");
        exit(2);
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("tutor: grade: fork");
        exit(2);
    }
    if (pid == 0) {
        close(fds[0]);
        /* Whatever the reader might print stays out of the table. */
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
            close(null);
        }
        signal(SIGALRM, SIG_DFL);
        alarm(GRADE_SECONDS);
#ifdef TUTOR_TEST_HOOKS
        /* Only in tests/tutor_hooked (tests/tests.am), never in tutor: a
         * reader that crashes or hangs on a file so named, to prove that
         * the file gets its own row and grading goes on. */
        if (strstr(path, "HOOK-CRASH"))
            raise(SIGSEGV);
        if (strstr(path, "HOOK-HANG"))
            for (;;)
                pause();
#endif
        struct grade_row row = {0};
        grade_one(path, given, &row);
        row_send(fds[1], &row);
        _exit(0);
    }
    close(fds[1]);
    j->pid = pid;
    j->fd = fds[0];
    j->file = file;
    sbuf_init(&j->got);
}

/* The child is done (its pipe closed): its row, or why it has none. */
static void finish_job(struct grade_job *j, struct grade_row *row)
{
    close(j->fd);
    int status = 0;
    while (waitpid(j->pid, &status, 0) < 0 && errno == EINTR)
        ;
    bool whole = WIFEXITED(status) && WEXITSTATUS(status) == 0 && row_parse(&j->got, row);
    if (!whole) {
        char why[96];
        if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
            snprintf(why, sizeof why, "timed out: the reader took more than %d s", GRADE_SECONDS);
        else if (WIFSIGNALED(status))
            snprintf(why, sizeof why, "reader crashed (signal %d)", WTERMSIG(status));
        else
            snprintf(why, sizeof why, "reader crashed (exit status %d)",
                     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        for (int c = GC_STUDENT; c < GC_COUNT; c++) {
            free(row->cell[c]);
            row->cell[c] = NULL;
        }
        refuse(row, why);
    }
    sbuf_free(&j->got);
    j->pid = 0;
}

static void progress(size_t done, size_t n)
{
    int bar = 30, full = (int)(done * (size_t)bar / n);
    fputc('\r', stderr);
    fprintf(stderr, gettext("grading [%.*s%*s] %zu/%zu"), full, "##############################",
            bar - full, "", done, n);
    if (done == n)
        fprintf(stderr, "\r%*s\r", bar + 40, "");
    fflush(stderr);
}

static void grade_all(const struct grade_files *f, const struct cli_lessons *given,
                      struct grade_row *rows, int jobs)
{
    struct grade_job job[GRADE_MAX_JOBS] = {{0}};
    struct pollfd pfd[GRADE_MAX_JOBS];
    bool bar = isatty(STDERR_FILENO) && f->n >= 20;
    size_t next = 0, done = 0;
    while (done < f->n) {
        for (int k = 0; k < jobs && next < f->n; k++)
            if (!job[k].pid) {
                start_job(&job[k], next, f->path[next], given);
                next++;
            }
        int n = 0, slot[GRADE_MAX_JOBS];
        for (int k = 0; k < jobs; k++)
            if (job[k].pid) {
                pfd[n] = (struct pollfd){.fd = job[k].fd, .events = POLLIN};
                slot[n++] = k;
            }
        if (poll(pfd, (nfds_t)n, -1) < 0) {
            if (errno == EINTR)
                continue;
            perror("tutor: grade: poll");
            exit(2);
        }
        for (int i = 0; i < n; i++) {
            if (!pfd[i].revents)
                continue;
            struct grade_job *j = &job[slot[i]];
            char buf[8192];
            ssize_t got = read(j->fd, buf, sizeof buf);
            if (got < 0 && errno == EINTR)
                continue;
            /* A child that sends more than a row is not the reader: cut it off. */
            if (got > 0 && j->got.len < 64 * 1024) {
                sbuf_addn(&j->got, buf, (size_t)got);
                continue;
            }
            if (got > 0)
                kill(j->pid, SIGKILL);
            finish_job(j, &rows[j->file]);
            if (bar)
                progress(++done, f->n);
            else
                ++done;
        }
    }
}

/* ---- Output ---- */

static const char *cell(const struct grade_row *r, int c)
{
    return r->cell[c] ? r->cell[c] : "";
}

static void print_table(const struct grade_row *rows, size_t n)
{
    size_t w[GC_COUNT];
    for (int c = 0; c < GC_COUNT; c++) {
        w[c] = grade_width(grade_col_names[c]);
        for (size_t i = 0; i < n; i++) {
            size_t cw = grade_width(cell(&rows[i], c)[0] ? cell(&rows[i], c) : "-");
            if (cw > w[c])
                w[c] = cw;
        }
    }
    for (size_t i = 0; i <= n; i++) {
        struct sbuf line;
        sbuf_init(&line);
        int last = GC_DETAIL;
        while (last > 0 && i > 0 && !cell(&rows[i - 1], last)[0])
            last--;
        for (int c = 0; c <= last; c++) {
            const char *s = i ? cell(&rows[i - 1], c) : grade_col_names[c];
            if (!s[0])
                s = "-";
            sbuf_add(&line, s);
            if (c < last)
                for (size_t k = grade_width(s); k < w[c] + 2; k++)
                    sbuf_addc(&line, ' ');
        }
        puts(line.s);
        sbuf_free(&line);
    }
}

static int write_csv(const char *out, const struct grade_row *rows, size_t n)
{
    struct sbuf b;
    sbuf_init(&b);
    for (size_t i = 0; i <= n; i++) {
        for (int c = 0; c < GC_COUNT; c++) {
            if (c)
                sbuf_addc(&b, ',');
            grade_csv_cell(i ? cell(&rows[i - 1], c) : grade_col_names[c], &b);
        }
        sbuf_add(&b, "\r\n");
    }
    struct sbuf err;
    sbuf_init(&err);
    int rc = atomic_write(out, b.s, b.len, true, &err);
    if (rc != 0)
        fprintf(stderr, "tutor: grade: %s\n", err.s);
    sbuf_free(&err);
    sbuf_free(&b);
    return rc;
}

static int usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "tutor: grade: ");
    fprintf(stderr, gettext(fmt), arg);
    fprintf(stderr, gettext(" (usage: %s)\n"),
            "tutor grade FILE|DIR... [--csv OUT] [--jobs N] [--lesson FILE]...");
    return 2;
}

int cmd_grade(int argc, char **argv)
{
    const char *csv = NULL;
    int jobs = 1;
    struct grade_files f = {0};
    struct cli_lessons given = {0};
    bool opts = true;
    for (int i = 0; i < argc; i++) {
        if (opts && (!strcmp(argv[i], "--csv") || !strcmp(argv[i], "--jobs") ||
                     !strcmp(argv[i], "--lesson"))) {
            if (i + 1 >= argc)
                return usage(N_("%s needs a value"), argv[i]);
            /* --lesson FILE: the lesson of every transcript with its id,
             * wherever the transcripts say it was (several may be given). */
            if (argv[i][2] == 'l') {
                if (cli_lessons_add(&given, argv[++i]) != 0) {
                    for (size_t k = 0; k < f.n; k++)
                        free(f.path[k]);
                    free(f.path);
                    cli_lessons_free(&given);
                    return 2;
                }
                continue;
            }
            if (argv[i][2] == 'c') {
                csv = argv[++i];
                continue;
            }
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 1 || v > GRADE_MAX_JOBS)
                return usage(N_("--jobs %s: give a number from 1 to 64"), argv[i]);
            jobs = (int)v;
        } else if (opts && !strcmp(argv[i], "--")) {
            opts = false;
        } else if (opts && argv[i][0] == '-' && argv[i][1]) {
            return usage(N_("unknown option \"%s\""), argv[i]);
        } else {
            struct stat st;
            if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
                collect_dir(&f, argv[i], 0);
            else
                files_add(&f, argv[i]);
        }
    }
    if (!f.n)
        return usage("%s", argc ? gettext("no *.json transcript in the folders given")
                                : gettext("no transcript or folder given"));
    struct grade_row *rows = calloc(f.n, sizeof *rows);
    if (!rows)
        abort();
    for (size_t i = 0; i < f.n; i++)
        set_cell(&rows[i], GC_FILE, f.path[i]);
    grade_all(&f, &given, rows, jobs);
    print_table(rows, f.n);
    int rc = 0;
    bool run = false;
    size_t counts[3] = {0};
    for (size_t i = 0; i < f.n; i++) {
        counts[rows[i].v]++;
        run |= !strcmp(cell(&rows[i], GC_MODE), "run");
        if (rows[i].v == GV_REFUSED)
            rc = 2;
        else if (rows[i].v == GV_DIFFERS && rc == 0)
            rc = 1;
    }
    if (run)
        printf("%s", gettext("mode run: made by `tutor run`, which answers every quiz from its key "
                             "and plays every goal's solution; not a learner's work\n"));
    printf(ngettext("%zu transcript: ", "%zu transcripts: ", f.n), f.n);
    printf(ngettext("%zu reproduces, ", "%zu reproduce, ", counts[GV_REPRODUCES]),
           counts[GV_REPRODUCES]);
    printf(ngettext("%zu differs, ", "%zu differ, ", counts[GV_DIFFERS]), counts[GV_DIFFERS]);
    printf(gettext("%zu refused\n"), counts[GV_REFUSED]);
    if (csv && write_csv(csv, rows, f.n) != 0)
        rc = 2;
    for (size_t i = 0; i < f.n; i++) {
        for (int c = 0; c < GC_COUNT; c++)
            free(rows[i].cell[c]);
        free(f.path[i]);
    }
    free(rows);
    free(f.path);
    cli_lessons_free(&given);
    return rc;
}
