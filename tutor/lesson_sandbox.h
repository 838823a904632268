/* lesson_sandbox: the lesson `tutor sandbox` plays — an empty cluster, no
 * script — built from its arguments. The same arguments give the same
 * bytes, so a sandbox transcript names its lesson by id and SHA-256 like
 * any other, and verify rebuilds it from the transcript's cluster. */
#ifndef TUTOR_LESSON_SANDBOX_H
#define TUTOR_LESSON_SANDBOX_H
#include <stdbool.h>

#include "lesson.h"
#include "protocols/sbuf.h"

/* The lesson's JSON text for protocol ("raft" or "paxos"), nodes, seed and
 * multi (Multi-Paxos). */
void lesson_sandbox_json(struct sbuf *out, const char *protocol, long long nodes, long long seed,
                         bool multi);
/* Parses it: 0, or -1 with the loader's lines in errs (a node count or
 * seed out of the format's range). */
/* The title to show for a lesson with this id and title: a sandbox's in
 * the interface language ("Sandbox: Raft, 5 nodes" stays English in its
 * JSON, which its SHA-256 covers), any other as it is. */
const char *lesson_shown_title(const char *id, const char *title, char *buf, size_t n);
int lesson_sandbox(const char *protocol, long long nodes, long long seed, bool multi,
                   struct lesson **out, struct lesson_errors *errs);
#endif
