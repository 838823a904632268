/* note_text: a note (protocols/note.h) in words, in the interface language.
 * The templates are the engines' .def files and tutor/notes_tutor.def,
 * looked up in the message catalog (gettext) at the moment a view, the
 * plain mode or an export shows the note; the feed and the transcripts
 * keep the note itself. */
#ifndef TUTOR_NOTE_TEXT_H
#define TUTOR_NOTE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "protocols/note.h"
#include "protocols/sbuf.h"

/* The tutor's own notes (the network's, the monitors', the runner's),
 * numbered after NOTE_TUTOR_BASE so they never meet an engine's id. */
enum tutor_note_id {
    NOTE_TUTOR_FIRST = NOTE_TUTOR_BASE,
#define NOTE(id, text) NOTE_##id,
#include "notes_tutor.def"
#undef NOTE
    NOTE_TUTOR_END,
};

/* Appends note n in words; names[0..n_names) are the node names. */
void note_render(const struct proto_note *n, const char *const *names, int n_names,
                 struct sbuf *out);
/* Note n in English, whatever the interface speaks: what a record keeps
 * as text (a check's detail), so a record compares in any language. */
void note_render_en(const struct proto_note *n, const char *const *names, int n_names,
                    struct sbuf *out);
/* The English template of id (before translation), or NULL. */
const char *note_template(int id);
/* "RAFT_HIGHER_TERM": the id's stable name (transcripts store it), or NULL. */
const char *note_id_name(int id);
/* The id named name, or NOTE_NONE. */
int note_id_parse(const char *name);
/* True if id is a warning about the lesson in the feed (a FLOW_ note, or
 * FEED_TEXT, the text a version 1 record kept). */
bool note_is_warning(int id);
/* True if id names a note (an engine's or the tutor's). */
bool note_id_valid(int id);

/* Renders notes in lang ("zh_CN", "en") until note_lang_restore: a
 * version 1 transcript (its feed in words) is re-run in the language it was
 * recorded in, whatever the interface speaks, so verify, grade and replay
 * compare like with like. */
struct note_lang_saved {
    char language[128]; /* LANGUAGE before, or "" */
    bool had;
};
void note_lang_use(const char *lang, struct note_lang_saved *saved);
void note_lang_restore(const struct note_lang_saved *saved);

#endif
