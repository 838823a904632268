/* transcript_flow: the bridge between the lesson flow (tutor/session/flow.h, which
 * logs every learner input as one line) and the transcript. The terminal
 * UI and the plain mode call transcript_flow_record() after each command;
 * `tutor verify` and `tutor replay` feed recorded inputs back through the
 * flow (flow_replay) and record them again. This file reads the flow and
 * calls its functions, so it is linked only with the flow's objects. */
#ifndef TUTOR_TRANSCRIPT_FLOW_H
#define TUTOR_TRANSCRIPT_FLOW_H

#include <stdbool.h>

#include "tutor/transcript.h"

struct flow;

/* Starts recording a learner's run whose flow has just been initialised
 * (flow_init) on its runner. */
void transcript_flow_begin(struct transcript *t, const struct flow *f);
/* Records the inputs the flow logged since the last call: one entry.
 * Several at once (a resumed session replays many) are recorded one
 * entry each, by replaying the log from the start on a scratch cluster. */
void transcript_flow_record(struct transcript *t, const struct flow *f);

/* Re-runs entry i of a recorded transcript: its inputs fed to the flow
 * (learner) or the lesson's next step run headless (script), recorded in
 * t, and compared with the recorded entry. The runner r (and for a
 * learner's transcript the flow f, initialised on r, with t begun on it)
 * carry the re-run from one entry to the next. Returns 0 when the entry
 * reproduces, or -1 with what differs in why. */
int transcript_play_entry(const struct transcript *rec, size_t i, struct runner *r, struct flow *f,
                          struct transcript *t, struct sbuf *why);

#endif
