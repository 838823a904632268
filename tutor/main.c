/* tutor: the command line (see shared/spec/cli.md). */
#include <stdio.h>
#include <string.h>

#include "config.h"

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--version")) {
        printf("tutor (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
        return 0;
    }
    printf("usage: tutor [LESSON.json]\n");
    return 0;
}
