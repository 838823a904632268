/* cmd_ui: the interactive forms of the command line — the lesson menu,
 * a lesson in the terminal UI or the plain line mode, and the sandbox (a
 * lesson with no steps, generated as JSON and parsed like any file).
 * Options: --plain, --no-color, --ascii, --lang TAG (lessons and the UI's
 * strings), --no-progress (no saved progress, no offer to resume), --mouse
 * (clicks select nodes and messages). */
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "config.h"
#include "tutor/student_config.h"
#include "tutor/i18n.h"
#include "tutor/lesson_sandbox.h"
#include "ui/ui.h"

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "tutor: ");
    fprintf(stderr, gettext(fmt), arg);
    fprintf(stderr, "%s", gettext(" (tutor --help shows the usage)\n"));
    return 2;
}

static bool parse_long(const char *s, long long lo, long long hi, long long *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static int sandbox(int argc, char **argv, struct ui_options *o)
{
    const char *proto = NULL;
    long long nodes = 5, seed = 1;
    bool multi = false;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--nodes") && i + 1 < argc) {
            if (!parse_long(argv[++i], 1, 9, &nodes))
                return usage_error(N_("sandbox: --nodes wants 1..9, not \"%s\""), argv[i]);
        } else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            if (!parse_long(argv[++i], 0, 9007199254740992LL, &seed))
                return usage_error(N_("sandbox: --seed wants a number 0..2^53, not \"%s\""),
                                   argv[i]);
        } else if (!strcmp(argv[i], "--multi")) {
            multi = true;
        } else if (!strcmp(argv[i], "--plain")) {
            o->plain = true;
        } else if (!strcmp(argv[i], "--no-color")) {
            o->no_color = true;
        } else if (!strcmp(argv[i], "--ascii")) {
            o->ascii = true;
        } else if (!strcmp(argv[i], "--mouse")) {
            o->mouse = true;
        } else if (!strcmp(argv[i], "--lang") && i + 1 < argc) {
            o->lang = argv[++i];
        } else if (!strncmp(argv[i], "--lang=", 7)) {
            o->lang = argv[i] + 7;
        } else if (!proto && (!strcmp(argv[i], "raft") || !strcmp(argv[i], "paxos"))) {
            proto = argv[i];
        } else {
            return usage_error(N_("sandbox: unexpected \"%s\""), argv[i]);
        }
    }
    if (!proto)
        return usage_error(N_("sandbox: which protocol? %s"), gettext("raft or paxos"));
    if (multi && strcmp(proto, "paxos"))
        return usage_error(N_("sandbox: --multi is for %s (Multi-Paxos)"), "paxos");
    struct lesson *l = NULL;
    struct lesson_errors errs;
    lesson_errors_init(&errs);
    if (lesson_sandbox(proto, nodes, seed, multi, &l, &errs) != 0) {
        for (size_t i = 0; i < errs.n; i++)
            fprintf(stderr, "tutor: %s\n", errs.lines[i]);
        lesson_errors_free(&errs);
        return 2;
    }
    lesson_errors_free(&errs);
    ui_i18n_init(o->lang);
    int rc = ui_run_lesson(l, o);
    lesson_free(l);
    return rc;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The menu (no lesson) or one lesson, in the terminal UI or the plain
 * mode. */
static int open_ui(const char *lesson, struct ui_options *o)
{
    ui_setup_locale();
    /* The UI's strings and the menu's lessons follow --lang, else the
     * environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG). */
    ui_i18n_init(o->lang);
    if (!lesson) {
        if (o->plain)
            return usage_error("%s", gettext("--plain needs a lesson: tutor --plain LESSON.json"));
        const char *dirs[3] = {LESSONDIR, NULL, NULL};
        /* From the source tree, its own lessons too. */
        if (is_dir("lessons") && strcmp(LESSONDIR, "lessons"))
            dirs[1] = "lessons";
        return ui_menu(dirs, o);
    }
    struct lesson *l = cli_load_lesson(lesson);
    if (!l)
        return 2;
    /* Without --lang, a lesson opened in the UI speaks its own lang. */
    if (!o->lang && l->lang)
        ui_i18n_init(l->lang);
    int rc = ui_run_lesson(l, o);
    lesson_free(l);
    return rc;
}

int cmd_ui(int argc, char **argv)
{
    struct ui_options o = {0};
    const char *lesson = NULL;
    int i = 0;
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "--no-color")) {
            o.no_color = true;
        } else if (!strcmp(argv[i], "--ascii")) {
            o.ascii = true;
        } else if (!strcmp(argv[i], "--mouse")) {
            o.mouse = true;
        } else if (!strcmp(argv[i], "--plain")) {
            o.plain = true;
        } else if (!strcmp(argv[i], "--no-progress")) {
            o.no_progress = true;
        } else if (!strcmp(argv[i], "--student") && i + 1 < argc) {
            o.student = argv[++i]; /* named in transcripts (e exports) */
        } else if (!strcmp(argv[i], "--lang") && i + 1 < argc) {
            o.lang = argv[++i];
        } else if (!strncmp(argv[i], "--lang=", 7)) {
            o.lang = argv[i] + 7;
        } else if (!strcmp(argv[i], "sandbox") && !lesson) {
            ui_setup_locale();
            return sandbox(argc - i - 1, argv + i + 1, &o);
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return usage_error(N_("unknown option \"%s\""), argv[i]);
        } else if (!lesson) {
            lesson = argv[i];
        } else {
            return usage_error(N_("one lesson at a time (\"%s\" is one too many)"), argv[i]);
        }
    }
    /* The name remembered from an earlier export, unless --student: it
     * lives as long as the UI. */
    char *remembered = o.student ? NULL : student_config_load();
    if (remembered)
        o.student = remembered;
    int rc = open_ui(lesson, &o);
    free(remembered);
    return rc;
}
