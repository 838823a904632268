/* note: an engine's explanation of a decision as data — a note id and its
 * arguments (design.md, "Notes are data"), never an English sentence made
 * inside the engine. The English template of every id lives beside the
 * engine in a .def file (notes_raft.def, notes_paxos.def), where xgettext
 * finds it; tutor/note_text.c renders a note in the interface language
 * through the message catalog, so a third language is one .po file.
 *
 * Writing a note: add NOTE(ID, "template") to the engine's .def, the
 * template's placeholders {1}..{8} standing for the arguments in the order
 * the engine passes them, then call
 *     proto_note(out, NOTE_ID, note_node(from), note_int(term));
 * An argument of kind NA_NOTE is another note id rendered in place (a
 * phrase such as " (no nack)"); its template may use the same {k}. */
#ifndef PROTOCOLS_NOTE_H
#define PROTOCOLS_NOTE_H

#include <stdint.h>

#define NOTE_MAX_ARGS 8

/* The engines' note ids, in one space; tutor/ numbers its own from
 * NOTE_TUTOR_BASE on. */
enum note_id {
    NOTE_NONE = 0,
#define NOTE(id, text) NOTE_##id,
#include "notes_raft.def"
#include "notes_paxos.def"
#undef NOTE
    NOTE_ENGINE_COUNT,
    NOTE_TUTOR_BASE = 0x4000,
};

enum note_arg_kind {
    NA_INT,     /* v.i, in decimal */
    NA_NODE,    /* v.i, a node index: its name */
    NA_NODESET, /* v.i, a bit per node index: "S1, S2" */
    NA_BALLOT,  /* v.i the round, aux the node: "3.S2", or "null" */
    NA_STR,     /* v.s, a command or value the engine borrows for the run;
                 * aux > 0: cut with an ellipsis to fit aux bytes */
    NA_MSGTYPE, /* v.i, an enum msg_type: its lesson-format name */
    NA_NOTE,    /* v.i, a note id rendered in place with the same args;
                 * aux > 0: with the args after the first aux */
    NA_MSG,     /* v.m, a message: msg_describe's line ("AppendEntries S1→S2
                 * term=2 ..."), borrowed for the call */
};

struct msg;

struct note_arg {
    uint8_t kind; /* enum note_arg_kind */
    int32_t aux;
    union {
        int64_t i;
        const char *s;
        const struct msg *m;
    } v;
};

static inline struct note_arg note_int(int64_t i)
{
    return (struct note_arg){.kind = NA_INT, .v.i = i};
}

static inline struct note_arg note_node(int node)
{
    return (struct note_arg){.kind = NA_NODE, .v.i = node};
}

static inline struct note_arg note_nodeset(uint32_t bits)
{
    return (struct note_arg){.kind = NA_NODESET, .v.i = bits};
}

static inline struct note_arg note_str(const char *s)
{
    return (struct note_arg){.kind = NA_STR, .v.s = s};
}

static inline struct note_arg note_msgtype(int type)
{
    return (struct note_arg){.kind = NA_MSGTYPE, .v.i = type};
}

static inline struct note_arg note_msg(const struct msg *m)
{
    return (struct note_arg){.kind = NA_MSG, .v.m = m};
}

/* A phrase: another note id, rendered in place; NOTE_NONE renders as "". */
static inline struct note_arg note_phrase(int id)
{
    return (struct note_arg){.kind = NA_NOTE, .v.i = id};
}

struct proto_note {
    uint16_t id; /* enum note_id, or a tutor note id */
    uint8_t n_args;
    struct note_arg args[NOTE_MAX_ARGS];
};

#endif
