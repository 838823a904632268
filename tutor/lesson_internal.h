/* lesson_internal: what the lesson_*.c files share (arena, load context,
 * typed readers, tables); not an interface for other components. */
#ifndef TUTOR_LESSON_INTERNAL_H
#define TUTOR_LESSON_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "tutor/i18n.h" /* N_: the words lesson_check_keys and read_enum name */
#include "tutor/lesson.h"

#define LESSON_PRINTF(a, b) __attribute__((format(printf, a, b)))

#define LESSON_MAX_NODES PROTO_MAX_NODES
#define LESSON_MAX_MS 1000000000LL    /* 10^9 ms, about 11.5 days of virtual time */
#define LESSON_MAX_INT (1LL << 53)    /* largest integer a double holds exactly */
#define LESSON_MAX_SLOT 100000        /* slots a lesson names (the engine goes to PAXOS_MAX_SLOT) */
#define LESSON_MAX_STEP_COUNT 1000000 /* do step: count; settle: max */
/* The Errors section's limit on time that one action lets pass: a run's
 * for and max, a load's for, a predict quiz's within (one virtual hour). */
#define LESSON_MAX_RUN_MS 3600000LL
#define LESSON_MAX_MEANING_ERRORS 1000 /* per file; then one "too many" line */
#define LESSON_MAX_SCAN_ERRORS 100     /* per file, for the text scanner */

/* Protocol masks: which protocols a name belongs to. The context's mask is
 * both when the lesson's protocol is unknown (so nothing else is refused
 * for the wrong protocol after the first error). */
#define LP_RAFT 1u
#define LP_PAXOS 2u
#define LP_BOTH 3u
/* "raft"/"paxos" and "Raft"/"Paxos" for an LP_ protocol bit, in messages. */
const char *lesson_proto_name(unsigned p);
const char *lesson_proto_title(unsigned p);

/* ---- lesson_arena.c: one bump allocator per lesson; freed at once. ---- */
struct lesson_arena;
struct lesson_arena *lesson_arena_new(void);
void lesson_arena_free(struct lesson_arena *a);
/* Zeroed, aligned for any type; aborts when memory runs out. */
void *lesson_alloc(struct lesson_arena *a, size_t n);
void *lesson_alloc_array(struct lesson_arena *a, size_t n, size_t size);
char *lesson_strdup(struct lesson_arena *a, const char *s);
char *lesson_strndup(struct lesson_arena *a, const char *s, size_t n);
char *lesson_sprintf(struct lesson_arena *a, const char *fmt, ...) LESSON_PRINTF(2, 3);
/* The arena deletes doc when it is freed (learner commands' documents). */
void lesson_arena_keep_json(struct lesson_arena *a, cJSON *doc);

/* ---- The load context, passed to every reader. ---- */
struct lctx {
    const char *file; /* name used in messages */
    struct lesson_errors *errs;
    struct lesson_arena *a;
    unsigned proto;                 /* LP_RAFT, LP_PAXOS, or LP_BOTH when unknown */
    const struct proto_config *cfg; /* node names */
    bool nodes_known;               /* cfg->names are valid */
    bool multi;                     /* Paxos: cluster.options.multi */
    bool roles_given;               /* Paxos: cluster.roles present */
    const struct lesson *lesson;    /* learner commands: the loaded lesson (goto) */
    bool in_solution;               /* parsing a goal's solution */
    size_t n_errors;                /* meaning errors reported so far */
};

/* ---- lesson_errors.c ---- */
void lesson_errors_add(struct lesson_errors *e, const char *line);
void lesson_errors_addf(struct lesson_errors *e, const char *fmt, ...) LESSON_PRINTF(2, 3);
/* "FILE: PATH: message", or "FILE: message" when path is empty. */
void lesson_err(struct lctx *c, const char *path, const char *fmt, ...) LESSON_PRINTF(3, 4);
/* The closest candidate (names at base + i * stride, a const char *
 * first member or plain string array), or NULL if none is close. */
const char *lesson_suggest(const char *word, const void *base, size_t stride, size_t n);
/* " (did you mean \"x\"?)" or "" over a NULL-terminated list. */
const char *lesson_dym(struct lctx *c, const char *word, const char *const *names);
/* A string as it appears in a message: quoted, escaped, cut at 60 chars. */
const char *lesson_quote(struct lctx *c, const char *s);
/* "1.5", "\"abc\"", "true", "null", "an array", "an object", "nothing". */
const char *lesson_describe(struct lctx *c, const cJSON *v);
/* "S1, S2, S3" */
const char *lesson_node_list(struct lctx *c);

/* ---- lesson_text.c ---- */
/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
size_t lesson_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* A copy without control characters (C0 but newline, DEL, C1) or invalid
 * UTF-8, so nothing reaches a terminal that could move its cursor. */
char *lesson_sanitize(struct lesson_arena *a, const char *s);
/* True if s holds any C0 (newline included), DEL or C1 character. */
bool lesson_has_control(const char *s);
/* Checks every {NODE.FIELD} reference in a say text. */
void lesson_check_refs(struct lctx *c, const char *text, const char *path);

/* ---- lesson_json.c ---- */
/* Checks the raw text (UTF-8, control characters, duplicate keys, depth,
 * string lengths, strict JSON syntax) and parses it. buf must hold len
 * bytes followed by a NUL. Returns the document, or NULL after a syntax
 * error (reported). Problems that leave the structure intact are reported
 * too, and *flawed is set. */
cJSON *lesson_json_parse(const char *file, const char *buf, size_t len, struct lesson_errors *errs,
                         bool *flawed);

/* ---- lesson_value.c: typed readers; each reports its own errors. ---- */
enum lesson_vkind {
    VK_BOOL,
    VK_INT,  /* integer >= 0 */
    VK_SLOT, /* integer 1..LESSON_MAX_SLOT */
    VK_NODE_OR_NULL,
    VK_ROLE,
    VK_PHASE,
    VK_LOG,       /* [[term, "command"], ...] */
    VK_INT_ARRAY, /* [term, ...] */
    VK_STR_ARRAY,
    VK_NODE_ARRAY,
    VK_NODE_ARRAY_OR_NULL,
    VK_NODE_INT_MAP, /* {"S2": 4, ...} */
    VK_BALLOT_OR_NULL,
    VK_ACCEPTED_MAP, /* {"1": ["2.S1", "blue"], ...} */
    VK_SLOT_STR_MAP, /* {"1": "blue", ...} */
    VK_STR_OR_NULL,
    VK_STR,
};

struct lesson_fieldspec {
    const char *name;
    enum lesson_vkind kind;
    unsigned proto; /* LP_ mask */
};

/* Node fields of both protocols ("Raft node fields", "Paxos node fields"). */
extern const struct lesson_fieldspec lesson_node_fields[];
extern const size_t lesson_n_node_fields;
/* Message fields (the kind of each name; the same name has one kind). */
extern const struct lesson_fieldspec lesson_msg_fields[];
extern const size_t lesson_n_msg_fields;

const struct lesson_fieldspec *lesson_node_field(unsigned proto, const char *name);
const struct lesson_fieldspec *lesson_msg_field(const char *name);
/* " (did you mean ...)" over the node fields of a protocol mask. */
const char *lesson_dym_node_field(struct lctx *c, const char *word);

const cJSON *lesson_get(const cJSON *obj, const char *key);
bool lesson_is_ext_key(const char *key); /* "x-..." */
char *lesson_path_key(struct lctx *c, const char *base, const char *key);
char *lesson_path_idx(struct lctx *c, const char *base, size_t i);

bool lesson_want_object(struct lctx *c, const cJSON *v, const char *path);
bool lesson_want_array(struct lctx *c, const cJSON *v, const char *path);
bool lesson_read_int(struct lctx *c, const cJSON *v, const char *path, int64_t min, int64_t max,
                     int64_t *out);
bool lesson_read_ms(struct lctx *c, const cJSON *v, const char *path, int64_t min, int64_t *out);
/* A duration one action or quiz lets pass: at most LESSON_MAX_RUN_MS. */
bool lesson_read_duration(struct lctx *c, const cJSON *v, const char *path, int64_t min,
                          int64_t *out);
bool lesson_read_bool(struct lctx *c, const cJSON *v, const char *path, bool *out);
bool lesson_read_prob(struct lctx *c, const cJSON *v, const char *path, uint64_t *ppb);
/* Display text: any string, sanitized copy. NULL after an error. */
const char *lesson_read_text(struct lctx *c, const cJSON *v, const char *path);
/* The same for text shown to the learner with {NODE.field} references
 * filled in live (say, quiz and goal text): each reference must name a node
 * and a field. */
const char *lesson_read_live_text(struct lctx *c, const cJSON *v, const char *path);
/* A command, value or label: a non-empty string without control
 * characters, at most max bytes (0: LESSON_MAX_STRING); copied. */
const char *lesson_read_word(struct lctx *c, const cJSON *v, const char *path, size_t max);
/* Index of a node name; -1 for null when allow_null; -2 after an error. */
int lesson_read_node(struct lctx *c, const cJSON *v, const char *path, bool allow_null);
int lesson_lookup_node(struct lctx *c, const char *name, const char *path);
/* "round.node"; null gives round 0 when allow_null. */
bool lesson_read_ballot(struct lctx *c, const cJSON *v, const char *path, bool allow_null,
                        struct ballot *out);
/* A slot key of an object ("1"): 1..LESSON_MAX_SLOT. */
bool lesson_read_slot_key(struct lctx *c, const char *key, const char *path, int64_t *out);
/* Checks a value against a field kind. */
bool lesson_check_value(struct lctx *c, enum lesson_vkind kind, const cJSON *v, const char *path);
/* Reports every key of obj not in names (x- keys skipped); what names the
 * thing for the message ("key", "argument of deliver"). Returns false if
 * any was unknown. */
bool lesson_check_keys(struct lctx *c, const cJSON *obj, const char *path, const char *const *names,
                       const char *what);
/* Reports a missing required key. */
bool lesson_require(struct lctx *c, const cJSON *obj, const char *path, const char *key);
/* Reads {"min": ms, "max": ms} (or a plain ms when allow_plain). */
bool lesson_read_range(struct lctx *c, const cJSON *v, const char *path, int64_t min_allowed,
                       bool allow_plain, int64_t *lo, int64_t *hi);
/* Option names of a protocol; bit for a name. */
/* Raft option snapshot_every (§7): entries applied past the last snapshot
 * before the next; true if v (an options object) gives it, read into
 * every. lesson_read_options leaves it to this. */
#define SNAPSHOT_EVERY "snapshot_every"
bool lesson_read_snapshot_every(struct lctx *c, const cJSON *v, const char *path, int64_t *every);
/* Raft option catch_up_rounds (dissertation §4.2.1): rounds a leader
 * replicates to a new server before adding it; cluster.options only. */
#define CATCH_UP_ROUNDS "catch_up_rounds"
#define CATCH_UP_ROUNDS_MAX 1000
bool lesson_read_catch_up_rounds(struct lctx *c, const cJSON *v, const char *path, int64_t *rounds);
/* in_cluster: v is cluster.options (not a `set` step's). */
bool lesson_read_options(struct lctx *c, const cJSON *v, const char *path, bool in_cluster,
                         unsigned *on, unsigned *off);

/* ---- lesson_config.c ---- */
/* A non-empty array of distinct node names into a node set. */
bool lesson_read_node_set(struct lctx *c, const cJSON *v, const char *path, uint32_t *set);
/* {"config": [names], "old": [names]} (old optional) into node sets. */
bool lesson_read_config_entry(struct lctx *c, const cJSON *v, const char *path, uint32_t *now,
                              uint32_t *old);
/* A log entry [term, "command"] or [term, {"config": ...}], term >= min_term. */
bool lesson_read_entry(struct lctx *c, const cJSON *e, const char *p, int64_t min_term,
                       struct entry *out);

/* ---- lesson_facts.c ---- */
bool lesson_parse_fact(struct lctx *c, const cJSON *v, const char *path, struct fact *out);
bool lesson_parse_filter(struct lctx *c, const cJSON *v, const char *path, struct msg_filter *out);
bool lesson_parse_message(struct lctx *c, const cJSON *v, const char *path, struct msg *out);

/* ---- lesson_steps.c ---- */
/* An action object; extra lists the other keys its object may hold
 * ("do", and "label", "title" in a step). */
bool lesson_parse_action(struct lctx *c, const cJSON *obj, const char *path,
                         const char *const *extra, struct action *out);
void lesson_parse_steps(struct lctx *c, const cJSON *v, struct lesson *l);

/* ---- lesson_quiz.c ---- */
bool lesson_parse_quiz(struct lctx *c, const cJSON *v, const char *path, struct quiz *out);
bool lesson_parse_goal(struct lctx *c, const cJSON *v, const char *path, struct goal *out);

/* ---- lesson_initial.c ---- */
void lesson_parse_initial(struct lctx *c, const cJSON *v, struct lesson *l);

/* ---- lesson_bugs.c ---- */
/* cluster.bugs: an array of bug switch names of the lesson's protocol;
 * returns their enum proto_bug bits (unknown names reported at path). */
unsigned lesson_read_bugs(struct lctx *c, const cJSON *v, const char *path);

/* ---- lesson_explore.c ---- */
/* The body of an explore step; never NULL (defaults after an error). */
struct lesson_explore *lesson_parse_explore(struct lctx *c, const cJSON *v, const char *path);

#endif
