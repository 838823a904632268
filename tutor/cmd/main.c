/* tutor: the command line (shared/spec/cli.md). */
#include <libintl.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "tutor/history.h"
#include "tutor/i18n.h"

/* The forms of shared/spec/cli.md: what one types (never translated) and
 * what it does (through the catalog). */
static const struct {
    const char *synopsis, *what;
} forms[] = {
    {"tutor [LESSON.json]", N_("the lesson menu, or that lesson in the terminal UI")},
    {"tutor sandbox raft|paxos [--nodes N] [--seed S] [--multi]",
     N_("an empty cluster to play with, no script")},
    {"tutor --plain LESSON.json",
     N_("the same lesson in line mode, for screen readers, pipes and scripts")},
    {"tutor check FILE...", N_("checks lessons: every expect, quiz key and goal solution")},
    {"tutor run LESSON.json [--until-end] [--transcript OUT.json|.md|.svg]\n"
     "          [--student NAME] [--date DATE]",
     N_("runs a lesson headless and writes its transcript")},
    {"tutor replay TRANSCRIPT.json [--lesson LESSON.json] [--plain]",
     N_("reopens a recorded run, free to step back and forth through it")},
    {"tutor verify TRANSCRIPT.json [--lesson LESSON.json]",
     N_("re-runs a recorded run: does it reproduce exactly, and its score")},
    {"tutor grade FILE|DIR... [--csv OUT.csv] [--jobs N] [--lesson LESSON.json]...",
     N_("verifies a class's transcripts: one row each, a gradebook with --csv")},
    {"tutor export TRANSCRIPT.json OUT.md|.svg|.json [--lang LANG]",
     N_("renders a recorded run as Markdown, SVG or JSON, in the language asked for")},
    {"tutor explore LESSON.json [--until FACT] [--depth N] [--states N]\n"
     "          [--seconds S] [--out FILE] [--walks N] [--walk-depth N] [--walk-seed S]",
     N_("searches the schedules from the lesson's explore step for a broken safety invariant "
        "(or a fact) and writes the shortest it finds as a lesson")},
    {"tutor --help | --version", N_("this help; the version")},
};

/* The options every command takes (taken out of argv by main). */
static void every_command(FILE *f)
{
    fprintf(f, "%s\n  --lang LANG (en, zh-CN)\n",
            gettext("every command: the language of the interface, the notes and the exports"));
    fprintf(f, "  --history-budget MB    ");
    fprintf(f, gettext("past this much memory, older snapshots thin out (default %d)"),
            HISTORY_DEFAULT_BUDGET_MB);
    fputc('\n', f);
}

static void usage(FILE *f)
{
    fprintf(f, "%s\n", gettext("usage:"));
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++)
        fprintf(f, "  %s\n      %s\n", forms[i].synopsis, gettext(forms[i].what));
    fprintf(f, "%s\n  --no-color --ascii --plain --mouse --no-progress --student NAME\n",
            gettext("options of the interactive forms:"));
    every_command(f);
    fprintf(f, "%s\n", gettext("man tutor tells the rest."));
}

/* `tutor CMD --help` (or -h anywhere after CMD): the forms of that
 * command, on standard output. False when CMD has no form of its own. */
static bool command_help(int argc, char **argv)
{
    bool asked = false;
    for (int i = 2; i < argc; i++)
        asked |= !strcmp(argv[i], "--help") || !strcmp(argv[i], "-h");
    if (argc < 3 || !asked)
        return false;
    char prefix[64];
    snprintf(prefix, sizeof prefix, "tutor %s ", argv[1]);
    bool found = false;
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++)
        if (!strncmp(forms[i].synopsis, prefix, strlen(prefix))) {
            if (!found)
                printf("%s\n", gettext("usage:"));
            printf("  %s\n      %s\n", forms[i].synopsis, gettext(forms[i].what));
            found = true;
        }
    if (found)
        every_command(stdout);
    return found;
}

/* Takes every "NAME VALUE" and "NAME=VALUE" out of argv, the last one
 * winning, so the subcommands never see them: its value, or NULL. */
static const char *take_option(int *argc, char **argv, const char *name)
{
    const char *value = NULL;
    size_t n = strlen(name);
    int k = 1;
    for (int i = 1; i < *argc; i++) {
        if (!strcmp(argv[i], name) && i + 1 < *argc)
            value = argv[++i];
        else if (!strncmp(argv[i], name, n) && argv[i][n] == '=')
            value = argv[i] + n + 1;
        else
            argv[k++] = argv[i];
    }
    argv[k] = NULL;
    *argc = k;
    return value;
}

/* Every command takes --history-budget MB, the heap past which a run's
 * older snapshots thin out (tutor/history.h). False, with a message, on a
 * bad value. */
static bool take_budget(int *argc, char **argv)
{
    const char *mb = take_option(argc, argv, "--history-budget");
    if (!mb)
        return true;
    unsigned long long v = 0;
    bool ok = *mb != '\0' && strlen(mb) <= 7;
    for (const char *c = mb; ok && *c; c++)
        if (*c >= '0' && *c <= '9')
            v = v * 10 + (unsigned long long)(*c - '0');
        else
            ok = false;
    if (!ok || v > HISTORY_BUDGET_MAX_MB) {
        fprintf(stderr,
                gettext("tutor: --history-budget: \"%s\" is not a number of megabytes "
                        "(0 to %d; 0: no budget)\n"),
                mb, HISTORY_BUDGET_MAX_MB);
        return false;
    }
    history_set_budget((size_t)v << 20);
    return true;
}

int main(int argc, char **argv)
{
    ui_i18n_setlocale();
    /* Every command takes --lang LANG, before or after the subcommand
     * (shared/spec/cli.md). */
    const char *lang = take_option(&argc, argv, "--lang");
    /* The interface language for every command; the interactive forms
     * get it again as an option (a lesson speaks its own lang without). */
    ui_i18n_init(lang);
    if (!take_budget(&argc, argv))
        return 2;
    char *sub[argc + 2];
    if (lang && argc > 1 && !strcmp(argv[1], "replay")) {
        sub[0] = (char *)"--lang";
        sub[1] = (char *)lang;
        for (int i = 2; i <= argc; i++)
            sub[i] = argv[i];
        return cmd_replay(argc, sub);
    }
    if (argc > 1 && !strcmp(argv[1], "--version")) {
        printf("tutor (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
        return 0;
    }
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        usage(stdout);
        return 0;
    }
    if (command_help(argc, argv))
        return 0;
    if (argc > 1 && !strcmp(argv[1], "check"))
        return cmd_check(argc - 2, argv + 2);
    if (argc > 1 && !strcmp(argv[1], "run"))
        return cmd_run(argc - 2, argv + 2);
    if (argc > 1 && !strcmp(argv[1], "explore"))
        return cmd_explore(argc - 2, argv + 2);
    if (argc > 1 && !strcmp(argv[1], "verify"))
        return cmd_verify(argc - 2, argv + 2);
    if (argc > 1 && !strcmp(argv[1], "export"))
        return cmd_export(argc - 2, argv + 2);
    if (argc > 1 && !strcmp(argv[1], "grade"))
        return cmd_grade(argc - 2, argv + 2);
    if (argc > 1 && !strcmp(argv[1], "replay"))
        return cmd_replay(argc - 2, argv + 2);
    /* The menu, a lesson, --plain and sandbox: the interactive forms. */
    if (lang) {
        sub[0] = (char *)"--lang";
        sub[1] = (char *)lang;
        for (int i = 1; i <= argc; i++)
            sub[i + 1] = argv[i];
        return cmd_ui(argc + 1, sub);
    }
    return cmd_ui(argc - 1, argv + 1);
}
