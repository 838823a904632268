/* tutor: the command line (shared/spec/cli.md). */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "config.h"

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
            "       tutor grade FILE|DIR... [--csv OUT.csv] [--jobs N]\n"
            "       tutor --help | --version\n"
            "options of the interactive forms: --no-color --ascii --plain --mouse --no-progress\n"
            "                                  --lang LANG --student NAME\n");
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
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
    if (argc > 1 && !strcmp(argv[1], "grade"))
        return cmd_grade(argc - 2, argv + 2);
    if (argc > 1 && !strcmp(argv[1], "replay"))
        return cmd_replay(argc - 2, argv + 2);
    /* The menu, a lesson, --plain and sandbox: the interactive forms. */
    return cmd_ui(argc - 1, argv + 1);
}
