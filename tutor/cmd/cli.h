/* cli: the subcommands of the command line (shared/spec/cli.md). Each
 * returns the process exit status. */
#ifndef TUTOR_CLI_H
#define TUTOR_CLI_H

#include <stdio.h>

#include "tutor/lesson.h"
#include "protocols/sbuf.h"

int cmd_check(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_explore(int argc, char **argv);
/* Transcripts (docs/transcript-format.md): tutor/cmd/cmd_verify.c, tutor/cmd/cmd_replay.c. */
int cmd_verify(int argc, char **argv);
int cmd_replay(int argc, char **argv);
/* `tutor export TRANSCRIPT.json OUT`: a record's exports in the interface
 * language (tutor/cmd_export.c). */
int cmd_export(int argc, char **argv);

/* The interactive forms: `tutor`, `tutor LESSON.json`, `tutor sandbox`,
 * `tutor --plain` (tutor/cmd/cmd_ui.c). */
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

/* Like cli_open_transcript, but prints nothing: the reason goes to err
 * ("FILE:3:17: ...", "FILE: ..."). */
struct transcript *cli_open_transcript_quiet(const char *path, const char *lesson_path,
                                             struct lesson **lesson, struct sbuf *err);
/* Lessons named on the command line for many transcripts (grade
 * --lesson): each is used for every transcript with its lesson id and
 * language (a lesson's translations share its id). */
struct cli_lessons {
    size_t n;
    char **path, **id, **lang;
    char (*sha)[65]; /* hex, of the file's bytes */
};
/* Loads path to learn its id; 0, or -1 with the errors on stderr. */
int cli_lessons_add(struct cli_lessons *ls, const char *path);
void cli_lessons_free(struct cli_lessons *ls);
/* cli_open_transcript_quiet with the lesson of given whose id and
 * language are the transcript's (the one whose SHA-256 matches when several are), else
 * the lesson found as without. */
struct transcript *cli_open_transcript_among(const char *path, const struct cli_lessons *given,
                                             struct lesson **lesson, struct sbuf *err);
/* Re-runs a recorded run from lesson l with its inputs and compares every
 * entry (tutor/cmd/cmd_verify.c). Returns 0 when it reproduces, or 1 with where
 * it first differs ("step 12 (steps[9], by the learner)", "the start") and
 * why. */
int cli_verify(const struct transcript *rec, const struct lesson *l, struct sbuf *where,
               struct sbuf *why);

/* `tutor grade FILE|DIR... [--csv OUT] [--jobs N] [--lesson FILE]...`
 * (tutor/cmd/cmd_grade.c). */
int cmd_grade(int argc, char **argv);

#endif
