/* tutor: the command line (shared/spec/cli.md). */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "ui/i18n.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: tutor [LESSON.json]\n"
            "       tutor sandbox raft|paxos [--nodes N] [--seed S] [--multi]\n"
            "       tutor --plain LESSON.json\n"
            "       tutor check FILE...\n"
            "       tutor run LESSON.json [--until-end] [--transcript OUT.json|.md|.svg]\n"
            "                 [--student NAME] [--date DATE]\n"
            "       tutor replay TRANSCRIPT.json [--lesson LESSON.json] [--plain]\n"
            "       tutor verify TRANSCRIPT.json [--lesson LESSON.json]\n"
            "       tutor export TRANSCRIPT.json OUT.md|.svg|.json\n"
            "       tutor grade FILE|DIR... [--csv OUT.csv] [--jobs N]\n"
            "       tutor --help | --version\n"
            "options of the interactive forms: --no-color --ascii --plain --mouse --no-progress\n"
            "                                  --lang LANG --student NAME\n");
}

/* Every command takes --lang LANG (or --lang=LANG), before or after the
 * subcommand (shared/spec/cli.md): takes it out of argv, the last one
 * winning, so the subcommands never see it. NULL when there is none. */
static const char *take_lang(int *argc, char **argv)
{
    const char *lang = NULL;
    int k = 1;
    for (int i = 1; i < *argc; i++) {
        if (!strcmp(argv[i], "--lang") && i + 1 < *argc)
            lang = argv[++i];
        else if (!strncmp(argv[i], "--lang=", 7))
            lang = argv[i] + 7;
        else
            argv[k++] = argv[i];
    }
    argv[k] = NULL;
    *argc = k;
    return lang;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    const char *lang = take_lang(&argc, argv);
    /* The interface language for every command; the interactive forms
     * get it again as an option (a lesson speaks its own lang without). */
    ui_i18n_init(lang);
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
    if (argc > 1 && !strcmp(argv[1], "check"))
        return cmd_check(argc - 2, argv + 2);
    if (argc > 1 && !strcmp(argv[1], "run"))
        return cmd_run(argc - 2, argv + 2);
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
