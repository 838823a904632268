/* cli: the subcommands of the command line (shared/spec/cli.md). Each
 * returns the process exit status. */
#ifndef TUTOR_CLI_H
#define TUTOR_CLI_H

#include <stdio.h>

#include "lesson.h"

int cmd_check(int argc, char **argv);
int cmd_run(int argc, char **argv);
/* Transcripts (docs/transcript-format.md): tutor/cmd_verify.c, tutor/cmd_replay.c. */
int cmd_verify(int argc, char **argv);
int cmd_replay(int argc, char **argv);

/* The interactive forms: `tutor`, `tutor LESSON.json`, `tutor sandbox`,
 * `tutor --plain` (tutor/cmd_ui.c). */
int cmd_ui(int argc, char **argv);

/* Loads a lesson, printing every error as "tutor: ..." on stderr.
 * Returns NULL when the file is refused. */
struct lesson *cli_load_lesson(const char *path);

struct transcript;
/* Loads a transcript and finds its lesson (lesson_path if given, else the
 * recorded path or the lesson id among the installed ones; the SHA-256
 * must match). Returns NULL, with the reason on stderr, when either is
 * refused. */
struct transcript *cli_open_transcript(const char *path, const char *lesson_path,
                                       struct lesson **lesson);

#endif
