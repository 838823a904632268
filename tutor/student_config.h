/* student_config: the learner's name, asked once by the terminal UI at the
 * first export and remembered in $XDG_CONFIG_HOME/consensus-tutor/config.json
 * (~/.config/consensus-tutor/config.json without it), so that every
 * transcript names its student; `--student NAME` overrides it. The file is
 * one JSON object, {"student": "Ana Lima"}, written atomically. */
#ifndef TUTOR_STUDENT_CONFIG_H
#define TUTOR_STUDENT_CONFIG_H

#include <stddef.h>

#include "protocols/sbuf.h"

/* The config file's path. 0, or -1 when neither XDG_CONFIG_HOME (absolute)
 * nor HOME is set. */
int student_config_path(char *out, size_t n);
/* The remembered name (malloc'd, cleaned as transcript_clean_text does),
 * or NULL when there is none or the file cannot be read as one. */
char *student_config_load(void);
/* Remembers name (creating the folder, mode 0700). 0, or -1 with the
 * reason in err ("cannot write PATH: why"). */
int student_config_save(const char *name, struct sbuf *err);

/* The UI's question, in the interface language. */
const char *student_config_question(void);
/* What the UI says after remembering it ("PATH" in the message). */
const char *student_config_saved(void);

#endif
