/* progress_session: a view's saved progress for the lesson it runs, one
 * core for the terminal UI (ui/ui_progress.c) and the plain line mode
 * (ui/plain.c). On opening: claim the lesson (a second window or session
 * on it saves only the record, never over the first one's attempt), load
 * the file, check its inputs against the lesson, set a damaged file aside;
 * the view asks whether to resume and says the notices in its own way.
 * After every command: save when the command added inputs. The file
 * format is tutor/progress.c's alone. */
#ifndef TUTOR_SESSION_PROGRESS_SESSION_H
#define TUTOR_SESSION_PROGRESS_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "tutor/progress.h"
#include "tutor/session/flow.h"

struct progress_session {
    bool on;      /* progress is read and written */
    bool owner;   /* this process holds the lesson's claim: it saves the attempt */
    int fd;       /* the claim (progress_claim), -1 none */
    size_t saved; /* the flow's inputs written so far */
};

/* What opening found, for the view to say or ask. */
struct progress_found {
    const char *other; /* "open in another window" (translated), or NULL */
    char notice[4600]; /* a damaged file set aside or ignored, "" none */
    bool resumable;    /* saved holds an attempt on this very file to offer */
    struct progress saved;
};

/* Sets s up for f's lesson (no progress when !enabled or the lesson has no
 * steps) and fills found; progress_found_free it after. */
void progress_session_open(struct progress_session *s, const struct flow *f, bool enabled,
                           struct progress_found *found);
void progress_found_free(struct progress_found *found);
/* The question put to the learner: "Resume where you left off (step 2/5,
 * score 1/3)?" (translated). */
void progress_session_question(const struct progress *saved, char *out, size_t n);
/* Asked after the learner chose to start over, before anything is
 * replaced: "Start over? The saved progress (step 3/37) will be replaced."
 * (translated). n is the step key too, so one stray n must not cost the
 * saved attempt: only a second, explicit yes starts over. */
void progress_session_restart_question(const struct progress *saved, char *out, size_t n);
/* The learner's answer: resume replays the saved inputs on f (fresh);
 * either way what f holds now counts as saved. */
void progress_session_answer(struct progress_session *s, struct flow *f,
                             const struct progress *saved, bool resume);
/* Saves when f has inputs not written yet. 0, or -1 with the line to
 * show in note ("progress not saved: why", translated). A failed save is
 * retried after the next input, not at every call. */
int progress_session_save(struct progress_session *s, const struct flow *f, char *note, size_t n);
/* Releases the claim. */
void progress_session_close(struct progress_session *s);

#endif
