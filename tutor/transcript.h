/* transcript: the append-only record of a run from which every export
 * (JSON, Markdown, SVG) is made (docs/transcript-format.md). A header
 * (tool, lesson and its SHA-256, seed, cluster, student) and then one entry
 * per input: what was given (the script's next step, or the learner's
 * continue, answer, action, message pick, give-up or move in the history)
 * and what came of it (virtual time, history position, the feed lines it
 * produced, the node fields that changed, the checks, the quiz verdict and
 * the safety verdict). Inputs are recorded where they are consumed (the
 * flow, `tutor run`), so `tutor verify` can feed the same inputs through the
 * same code and compare every entry.
 *
 * After a call, strings given to the transcript belong to the caller; the
 * transcript keeps its own copies. */
#ifndef TUTOR_TRANSCRIPT_H
#define TUTOR_TRANSCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed.h"
#include "lesson.h"
#include "protocols/sbuf.h"

struct runner;

#define TRANSCRIPT_VERSION                                                                         \
    2 /* the newest format version this code reads and writes (2: feed                             \
         lines as notes; 1, lines as text, is still read) */
#define TRANSCRIPT_FORMAT "consensus-tutor-transcript"
#define TRANSCRIPT_MAX_BYTES (256L * 1024 * 1024)
/* The score of an entry and of the end: tutor/score.h, the one rule. */

enum transcript_mode {
    TRANSCRIPT_RUN,     /* `tutor run`: every lesson step headless, quizzes from their keys */
    TRANSCRIPT_LEARNER, /* the terminal UI or the plain mode: the learner's inputs */
};

enum transcript_input_kind {
    TI_SCRIPT,    /* `tutor run`: the lesson's next step, headless */
    TI_CONTINUE,  /* the learner goes on: past a say, a quiz result, a goal; a do; a goto */
    TI_SKIP_GOTO, /* declines a goto */
    TI_CHOICE,    /* picks a choice (answers a choice or predict quiz; toggles in a
                     multiple-answer one) */
    TI_SUBMIT,    /* answers a multiple-answer quiz with the choices toggled */
    TI_VALUE,     /* answers a value quiz with typed text */
    TI_HINT,      /* asks for a quiz's hint */
    TI_ACTION,    /* a learner's action, in the lesson format */
    TI_MESSAGE,   /* delivers, drops or duplicates one message by id */
    TI_GIVE_UP,   /* gives up a goal: its solution plays */
    TI_SEEK,      /* moves to a position of the history */
    TI_BRANCH,    /* switches to a branch of the history left behind earlier */
    TI_EXPLORE,   /* runs the safety lab's explorer from here (a sandbox's key, or an explore
                     step); the schedule it finds plays as a branch of the history */
    TI_COUNT
};

extern const char *const transcript_input_names[TI_COUNT];

/* One input, as recorded. */
struct transcript_in {
    enum transcript_input_kind kind;
    int choice;                /* TI_CHOICE: 0-based */
    char *text;                /* TI_VALUE: typed text; TI_ACTION: the action as compact lesson
                                  JSON */
    enum action_kind msg_kind; /* TI_MESSAGE: ACT_DELIVER, ACT_DROP or ACT_DUPLICATE */
    uint64_t msg_id;           /* TI_MESSAGE */
    uint64_t pos;              /* TI_SEEK */
    uint64_t branch;           /* TI_BRANCH: the branch's number, 0 the oldest */
    /* TI_ACTION, TI_CONTINUE: a long action the learner stopped, as the
     * compact lesson JSON of the shorter action that ran (the action asked
     * stays in text, or the lesson step's); NULL: it ran whole. */
    char *stopped;
};

/* Frees what an input owns (text, stopped). */
void transcript_in_free(struct transcript_in *in);

struct transcript;

/* The one vocabulary of inputs: a transcript step's "input", a progress
 * file's inputs[i] and the lesson flow's log are the same JSON object
 * ({"kind": "continue"}, {"kind": "choice", "choice": 1}, {"kind": "do",
 * "action": {"do": "crash", "node": "S2"}}, ...), written and read here. */
void transcript_input_json(struct sbuf *b, const struct transcript_in *in);
/* Reads one input object from JSON text; path names it in messages
 * ("inputs[3]"). 0, or -1 with "PATH: why" in err and *in empty. The
 * caller frees in->text. */
int transcript_input_parse(const char *json, const char *path, struct transcript_in *in,
                           struct sbuf *err);
/* Checks an input against the lesson it is for: an action must be one the
 * lesson loader accepts (node names, message types, the format's limits),
 * a choice must name one. 0, or -1 with "PATH: why" in err. Nothing runs. */
int transcript_input_check(const struct lesson *l, const struct transcript_in *in, const char *path,
                           struct sbuf *err);
/* transcript_input_check over every learner input of a transcript. */
int transcript_check_inputs(const struct transcript *t, const struct lesson *l, struct sbuf *err);

/* What the lesson flow knows after a learner's input (borrowed). */
struct transcript_outcome {
    const char *state; /* the flow's state ("say", "quiz", ...) */
    int score, total;  /* points earned, and points of what was tried */
    int goal_actions;  /* at a goal step: the actions it has counted (flow.c); else -1 */
    bool has_quiz;     /* a quiz verdict, or a first wrong try */
    long quiz_at;      /* the quiz's step */
    const char *given, *answer;
    bool right, retry; /* retry: a first wrong try; the quiz stays open */
    int points;
};

/* One feed line: its note as data (the transcript stores the note's
 * stable name and arguments, docs/transcript-format.md), so one record
 * renders in any language. A string argument's text is the line's own;
 * a message argument is kept as its lesson-format line (a string with
 * aux TRANSCRIPT_ARG_MSG), which reads the same in every language. */
struct transcript_line {
    int64_t time;
    int node; /* -1: the cluster */
    enum feed_kind kind;
    uint64_t msg; /* 0: none */
    struct proto_note note;
    bool legacy;  /* read from a version 1 record: note is FEED_TEXT, its text as recorded
                     in feed_lang */
    char *text;   /* the note in words, in the language of the last rendering (derived:
                     transcript_render_lines; NULL until then; never written) */
    uint64_t pos; /* the history position it was stamped with (recorded here, not in the JSON) */
};

#define TRANSCRIPT_ARG_MSG (-1) /* an NA_STR argument that is a message's line */

/* A step that produced more feed lines than TRANSCRIPT_KEEP_HEAD +
 * TRANSCRIPT_KEEP_TAIL (a long run or load) keeps its first and last lines
 * and, for those between, only how many there were of each kind and the
 * SHA-256 of their data (docs/transcript-format.md, "feed_elided"): the
 * record of a virtual hour under load stays a few megabytes, and verify
 * still compares every line, through the digest. */
#define TRANSCRIPT_KEEP_HEAD 1000
#define TRANSCRIPT_KEEP_TAIL 1000
#define TRANSCRIPT_FEED_KINDS (FEED_INFO + 1)

struct transcript_elided {
    size_t after;                          /* the gap follows this many of the step's lines */
    uint64_t n;                            /* lines left out; 0: none */
    uint64_t kinds[TRANSCRIPT_FEED_KINDS]; /* of them, per enum feed_kind */
    char sha256[65];                       /* of their data (transcript_digest.c) */
};

/* Counts lines [from, to) of f per kind into g and sets g->sha256 to the
 * digest of their data (transcript_digest.c says in which form). */
void transcript_feed_digest(const struct feed *f, size_t from, size_t to,
                            struct transcript_elided *g);

/* A node field that changed: values as compact JSON text. */
struct transcript_change {
    int node;
    char *field;
    char *from, *to;
};

/* A check of `tutor run` (expect, quiz key, goal solution). */
struct transcript_check {
    char *path;
    bool ok;
    char *detail; /* NULL when ok */
};

struct transcript_quiz {
    char *path;     /* "steps[7]" */
    char *kind;     /* "choice", "value", "predict" */
    char *question; /* with live values */
    char *given;    /* the answer given */
    char *answer;   /* the right answer */
    bool right;
    bool retry;     /* a first wrong try: the quiz stayed open for another */
    int points, of; /* points earned, of the quiz's points */
};

struct transcript_entry {
    bool learner;             /* by the learner; else by the script */
    struct transcript_in *in; /* usually one; several given at once form one entry */
    size_t n_in;
    long at;         /* lesson step index the input was given at; -1: after the end */
    char *step_kind; /* "say", "do", "expect", "quiz", "goal", "end" */
    char *title;     /* that step's title, or NULL */
    char *action;    /* what was done, in words ("crash S3"), or NULL */
    long next;       /* lesson step index after; -1: the end */
    char *state;     /* learner: the flow's state after; NULL for the script */
    int64_t time;
    uint64_t pos, ops; /* history position and length after */
    struct transcript_line *lines;
    size_t n_lines;
    struct transcript_elided elided; /* lines left out between lines[after-1] and lines[after] */
    struct transcript_change *changes;
    size_t n_changes;
    struct transcript_check *checks;
    size_t n_checks;
    bool has_quiz;
    struct transcript_quiz quiz;
    int score, total; /* quiz points so far */
    /* At a goal step, a learner's entry: the actions the goal counted
     * after it (what the UI shows; a refused action costs nothing), or
     * -1 (elsewhere, the script, or a record that predates it). */
    int goal_actions;
    bool safe;
    char *violation; /* the first broken invariant, when not safe */
    /* The history forked during this input, at this position (-1: no
     * fork; recorded here, not in the JSON: transcript_kept.c reads it). */
    int64_t fork_pos;
    bool abandoned; /* read from the JSON: on a branch the run left (transcript_kept.h) */
};

struct transcript_leader {
    int64_t term;
    int node;
};

/* The state after the last entry. */
struct transcript_end {
    int64_t time;
    uint64_t pos, ops, events;
    long step; /* the lesson step reached; -1: the end */
    uint64_t pending;
    int score, total;
    bool safe;
    char *violation;
    struct transcript_leader *leaders; /* in order of election */
    size_t n_leaders;
    char **committed; /* Raft: commands committed, index 1 first; Paxos: value chosen per
                         slot (NULL: a gap), slot 1 first */
    size_t n_committed;
    /* Per node, every field the engine describes: names[k] and compact JSON values[k]. */
    char **fields[PROTO_MAX_NODES];
    char **values[PROTO_MAX_NODES];
    size_t n_fields[PROTO_MAX_NODES];
};

struct transcript_cluster {
    uint64_t seed;
    int64_t latency_min, latency_max;
    uint64_t loss_ppb, duplicate_ppb;
    int64_t election_min, election_max, heartbeat;
    int64_t timeouts[PROTO_MAX_NODES]; /* -1: drawn */
    unsigned options;                  /* enum proto_option bits (node 1's) */
    unsigned bugs;                     /* enum proto_bug bits: broken on purpose */
    bool roles;                        /* Paxos roles given (not every node every role) */
    bool proposer[PROTO_MAX_NODES], acceptor[PROTO_MAX_NODES], learner[PROTO_MAX_NODES];
};

/* What the caller knows about the run that the lesson does not say. */
struct transcript_meta {
    const char *student; /* NULL: not given */
    const char *date;    /* NULL: not given (no wall-clock time unless asked) */
};

struct transcript {
    int version;
    char *tool_version;
    enum transcript_mode mode;
    char *student, *date; /* NULL when not given */
    /* Version 1 records only: the language their feed lines' words are in
     * ("zh_CN"; NULL: English); verify and replay re-run them in it.
     * Version 2 keeps the lines as notes and needs none. */
    char *feed_lang;
    char *lesson_id, *lesson_title, *lesson_file, *lesson_lang;
    char sha256[65];
    enum protocol protocol;
    size_t lesson_steps;
    int n_nodes;
    char *names[PROTO_MAX_NODES];
    struct transcript_cluster cluster;
    struct transcript_line *start; /* what happened when the cluster booted */
    size_t n_start;
    struct transcript_entry *e;
    size_t n, cap;
    bool has_end;
    struct transcript_end end;

    /* Recording (not part of the record). */
    const struct lesson *lesson;
    size_t rec_n;       /* feed entries when last recorded */
    size_t rec_visible; /* ... of which at or before the position then */
    uint64_t rec_pos, rec_ops;
    unsigned long rec_acts; /* the runner's action count then */
    uint64_t rec_forks;     /* the history's fork count then */
    bool recorded;          /* recorded in this process (lines know their positions) */
    bool marked;            /* read from JSON that has an "abandoned" mark */
    long rec_step;
    char **snap; /* field texts per node, per tracked field */
    size_t n_tracked;
    struct transcript_check *pending; /* checks reported since the last entry */
    size_t n_pending, cap_pending;
    /* The lesson flow's side (transcript_flow.c). */
    size_t flow_seen; /* bytes of the flow's input log recorded */
    int flow_state, flow_score, flow_tries;
    bool flow_picked[16];
};

/* Names the student (a copy, cleaned; NULL or "" forgets the name). */
void transcript_set_student(struct transcript *t, const char *name);
/* A new, empty record of a run of lesson l. */
struct transcript *transcript_new(const struct lesson *l, enum transcript_mode mode,
                                  const struct transcript_meta *meta);
void transcript_free(struct transcript *t);
/* Starts recording a run whose cluster has booted (and whose flow, if any,
 * has settled on its first step): its feed so far is the start. */
void transcript_begin(struct transcript *t, const struct runner *r);
/* A check reported while the next input is consumed (runner on_check). */
void transcript_check(struct transcript *t, const char *path, bool ok, const char *detail);
/* Records inputs just consumed (copied), with what came of them: oc from
 * the lesson flow, or NULL for a script step. */
void transcript_record(struct transcript *t, const struct runner *r, const struct transcript_in *in,
                       size_t n_in, const struct transcript_outcome *oc);
/* Takes the runner's state as the point the next entry starts from. */
void transcript_resnap(struct transcript *t, const struct runner *r);
/* Forgets every entry (a rebuild records them again). */
void transcript_clear(struct transcript *t);
/* `tutor run` and its verification: runs the lesson's next step headless
 * (runner_step_headless, whose checks reach the runner's own on_check as
 * well) and records it as a script input. Returns what runner_step_headless
 * returns: false once the lesson is over. */
bool transcript_run_step(struct transcript *t, struct runner *r);
/* Fills in the end: the state at the runner's current position. */
void transcript_finish(struct transcript *t, const struct runner *r);

/* Compares entry i of a (recorded) with entry i of b (re-run). Returns 0
 * when they agree, or -1 with what differs in why ("feed line 3: recorded
 * ..., re-run ..."). */
int transcript_compare_entry(const struct transcript *a, const struct transcript *b, size_t i,
                             struct sbuf *why);
/* The same for the header (lesson, cluster) and the end. */
int transcript_compare_header(const struct transcript *a, const struct transcript *b,
                              struct sbuf *why);
int transcript_compare_end(const struct transcript *a, const struct transcript *b,
                           struct sbuf *why);

/* "steps[7]" or "the end" for step index at. */
void transcript_step_name(long at, struct sbuf *out);
/* A learner's action as lesson-format JSON ({"do": "crash", "node": "S2"}).
 * Returns -1 for an action that cannot be written so (a run until a fact). */
int transcript_action_json(const struct lesson *l, const struct action *a, struct sbuf *out);
/* A copy with invalid UTF-8 replaced by '?' and control characters but
 * newline removed (student names and dates come from the command line). */
char *transcript_clean_text(const char *s);

/* Finds the lesson a transcript was recorded from (transcript_lesson.c):
 * the file given (when not NULL), else the path it names (as given, then
 * beside the transcript), else a lesson with its id among the installed
 * lessons and ./lessons. A lesson whose SHA-256 differs is refused. Returns
 * the lesson, or NULL with why in err. */
struct lesson *transcript_find_lesson(const struct transcript *t, const char *transcript_path,
                                      const char *given, struct sbuf *err);

/* ---- Exports (transcript_json.c, transcript_md.c, transcript_svg.c) ---- */

enum transcript_format { TF_JSON, TF_MD, TF_SVG, TF_UNKNOWN };

/* By the name's ending: .json, .md, .svg (case aside). */
enum transcript_format transcript_format_of(const char *path);
void transcript_write_json(const struct transcript *t, struct sbuf *out);
void transcript_write_md(const struct transcript *t, struct sbuf *out);
void transcript_write_svg(const struct transcript *t, struct sbuf *out);
/* A transcript line from line k of a feed (its strings copied, a message
 * argument as its line); its text is left NULL (derived when needed). */
void transcript_line_from_feed(struct transcript_line *dst, const struct feed *f, size_t k);
void transcript_line_free(struct transcript_line *l);
/* The line as the JSON record writes it (one object, no newline). */
void transcript_line_json(struct sbuf *b, const struct transcript *t,
                          const struct transcript_line *l);
/* The line's note in words, in the current language. */
void transcript_line_render(const struct transcript *t, const struct transcript_line *l,
                            struct sbuf *out);
/* True if two notes are the same data (id, every argument's kind and value). */
bool transcript_note_same(const struct proto_note *a, const struct proto_note *b);
/* Renders every feed line's text in the current language (what the
 * Markdown and SVG exports show; the writers call it first). */
void transcript_render_lines(const struct transcript *t);
/* The line's action when it is "do: ..." (RUNNER_DO): the action's note
 * id (NOTE_ACTION_CRASH, ...), its words in the current language appended
 * to out when out is given, and in *node its node (-1: none). Else 0. */
int transcript_line_action(const struct transcript *t, const struct transcript_line *l,
                           struct sbuf *out, int *node);
/* What an entry did, in words in the current language: its "do" lines'
 * actions ("crash S3; restart S3"), else the goto it followed. */
void transcript_entry_action(const struct transcript *t, const struct transcript_entry *e,
                             struct sbuf *out);
/* The same with the actions joined by sep: an export's "；" in Chinese.
 * verify compares the "; " form (a version 1 record's words have it). */
void transcript_entry_action_joined(const struct transcript *t, const struct transcript_entry *e,
                                    const char *sep, struct sbuf *out);
/* The type, sender and receiver of the message a line tells of. */
bool transcript_line_msg(const struct transcript *t, const struct transcript_line *l, char *type,
                         size_t tn, int *from, int *to);
/* Renders t in format f and writes it to path atomically (atomic_write.h):
 * an existing file is replaced only when replace is true. 0, or -1 with
 * the reason in err; t is unchanged either way. */
int transcript_export(const struct transcript *t, enum transcript_format f, const char *path,
                      bool replace, struct sbuf *err);
/* A name whose last part has no extension ("mine", "out/run") gets f's
 * (".json", ".md", ".svg"); any other name is kept as it is. False when
 * the longer name does not fit in n bytes (path is then unchanged). */
bool transcript_name_add_ext(char *path, size_t n, enum transcript_format f);

/* The date and time of an export, ISO 8601 in UTC ("2025-01-15T09:30:00Z"):
 * $SOURCE_DATE_EPOCH when set (reproducible exports, tests), else now. */
void transcript_export_date(char *out, size_t n);

/* A sensible file name: "<lesson id>-<student or run>.<ext>". */
void transcript_default_name(const struct transcript *t, enum transcript_format f, char *out,
                             size_t n);

/* Reads a JSON transcript from a buffer (len bytes and a NUL); file names
 * it in messages. Returns the transcript, or NULL with one message in err
 * saying where and what ("FILE:3:17: ..." or "FILE: steps[4].time: ..."). */
struct transcript *transcript_read_json(const char *file, const char *buf, size_t len,
                                        struct sbuf *err);
/* The same from a file. */
struct transcript *transcript_load(const char *path, struct sbuf *err);
/* value as compact, canonical JSON text (the form changes and final
 * values are kept in, so they compare as text). */
void transcript_json_canonical(const char *json, struct sbuf *out);

#endif
