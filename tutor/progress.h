/* progress: what a learner did in a lesson — the inputs that rebuild the
 * current attempt, the step reached and its score, and the record that no
 * later attempt lowers (finished once, the best score) — kept per lesson
 * id and language under $XDG_STATE_HOME/consensus-tutor/ (default
 * ~/.local/state/...), one JSON file each (ID.LANG.json), written
 * atomically (temp file in the same folder, fsync, rename). The inputs
 * are the input objects of tutor/transcript.h, one vocabulary with
 * transcripts. A missing or damaged file is never fatal: the caller gets a
 * code and a message, and can keep the damaged file aside (.bad). */
#ifndef TUTOR_PROGRESS_H
#define TUTOR_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "protocols/sbuf.h"

struct progress {
    char id[72];     /* lesson id */
    char lang[24];   /* the lesson's language ("en", "zh-CN") */
    char sha256[65]; /* of the lesson file, hex: the inputs fit this file only */
    size_t step;     /* lesson step reached (0-based; n_steps at the end) */
    size_t n_steps;
    int score, total; /* the attempt's score (tutor/score.h): earned, of what was tried */
    bool done;        /* the lesson was finished, in this attempt or an earlier one */
    int best_score;   /* the best score of any attempt */
    int best_total;   /* of the points that attempt tried */
    char *inputs; /* the learner's inputs, one JSON input object per line (owned; may be NULL) */
    size_t n_inputs;
};

/* The folder: $XDG_STATE_HOME/consensus-tutor, else
 * $HOME/.local/state/consensus-tutor. 0, or -1 when neither is set. */
int progress_dir(char *out, size_t n);
/* The program's folder under an XDG base directory: $VAR/consensus-tutor,
 * else $HOME/FALLBACK/consensus-tutor. 0, or -1 when neither is set. */
int progress_xdg_dir(const char *var, const char *fallback, char *out, size_t n);
/* mkdir -p dir, mode 0700. 0, or -1 with "FOLDER: why" in err. */
int progress_make_dirs(const char *dir, struct sbuf *err);
/* Writes p to DIR/ID.LANG.json atomically, creating DIR (and its parents)
 * if needed. The record is merged with the file's under a lock, so it
 * never goes down: done stays true once true, best_score is the highest
 * seen. With attempt false only the record is merged and the stored
 * attempt (inputs, step, score) is kept — for a second window on the same
 * lesson, which must not overwrite the first one's work. 0, or -1 with
 * the reason in err (nothing half-written is left: the old file, if any,
 * stays whole). */
int progress_save(const char *dir, const struct progress *p, bool attempt, struct sbuf *err);
/* Reads DIR/ID.LANG.json into p (zeroed first). 0 when read, 1 when there
 * is none, -1 when it is unreadable or damaged (reason in err; p stays
 * empty). */
int progress_load(const char *dir, const char *id, const char *lang, struct progress *p,
                  struct sbuf *err);
/* Moves a damaged DIR/ID.LANG.json aside to DIR/ID.LANG.json.bad (an
 * older .bad is replaced), so a new record can start and the learner's
 * old file is still there to look at. The new name goes in out. 0 or -1. */
int progress_keep_bad(const char *dir, const char *id, const char *lang, char *out, size_t n);
/* Claims the lesson for this process for as long as it lives (or until
 * progress_release): 0 when claimed, 1 when another process holds it, -1
 * on an error. *fd is the claim (-1 when none). */
int progress_claim(const char *dir, const char *id, const char *lang, int *fd);
void progress_release(int fd);
void progress_free(struct progress *p);
/* The lesson's SHA-256 as 64 hex digits. */
void progress_hex(const unsigned char sha[32], char out[65]);

#endif
