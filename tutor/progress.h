/* progress: what a learner did in a lesson — the inputs that rebuild the
 * run, the step reached and the score — kept per lesson id under
 * $XDG_STATE_HOME/consensus-tutor/ (default ~/.local/state/...), one JSON
 * file each, written atomically (temp file in the same folder, fsync,
 * rename). A missing or damaged file is never fatal: the caller gets a
 * code and a message. */
#ifndef TUTOR_PROGRESS_H
#define TUTOR_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "protocols/sbuf.h"

struct progress {
    char id[72];     /* lesson id */
    char sha256[65]; /* of the lesson file, hex: the inputs fit this file only */
    size_t step;     /* lesson step reached (0-based; n_steps at the end) */
    size_t n_steps;
    int score, max_score;
    bool done;    /* the lesson was finished */
    char *inputs; /* the learner's inputs, one per line (owned; may be NULL) */
    size_t n_inputs;
};

/* The folder: $XDG_STATE_HOME/consensus-tutor, else
 * $HOME/.local/state/consensus-tutor. 0, or -1 when neither is set. */
int progress_dir(char *out, size_t n);
/* Writes p to DIR/ID.json atomically, creating DIR (and its parents) if
 * needed. 0, or -1 with the reason in err (nothing half-written is left:
 * the old file, if any, stays whole). */
int progress_save(const char *dir, const struct progress *p, struct sbuf *err);
/* Reads DIR/ID.json into p (zeroed first). 0 when read, 1 when there is
 * none, -1 when it is unreadable or damaged (reason in err; p stays
 * empty). */
int progress_load(const char *dir, const char *id, struct progress *p, struct sbuf *err);
void progress_free(struct progress *p);
/* The lesson's SHA-256 as 64 hex digits. */
void progress_hex(const unsigned char sha[32], char out[65]);

#endif
