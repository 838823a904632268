/* lesson: a lesson file (format 1, shared/spec/lesson-format.md) turned
 * into plain structs. The loader validates everything before anything runs
 * and reports every problem it finds, not only the first.
 *
 * Expected values (what a fact compares a field with) are kept as cJSON
 * nodes of the parsed document, which the lesson owns; everything else is
 * plain C. All text is UTF-8 checked and stripped of control characters
 * (newline kept) at load time, so nothing a lesson says can move the
 * terminal's cursor. */
#ifndef TUTOR_LESSON_H
#define TUTOR_LESSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocols/msg.h"
#include "protocols/proto.h"

struct cJSON;

#define LESSON_MAX_BYTES (1024 * 1024)
#define LESSON_MAX_DEPTH 32
#define LESSON_MAX_STEPS 10000
#define LESSON_MAX_STRING 4096
#define LESSON_MAX_INITIAL_LOG 1000

/* One "field": expected value pair (node facts, message filters). */
struct lesson_field {
    const char *name;
    const struct cJSON *value;
};

/* A message filter (`match`): every listed key must equal the message's. */
struct msg_filter {
    enum msg_type type;          /* MSG_NONE: any type */
    int from, to;                /* node index, -1: any */
    struct lesson_field *fields; /* other fields of the type */
    size_t n_fields;
};

enum fact_kind {
    FACT_NODE,            /* {"node": "S2", FIELD: value, ...} */
    FACT_LEADER,          /* node index or -1 for null in `node` */
    FACT_LEADERS_IN_TERM, /* term, count */
    FACT_COMMITTED,       /* value: array of commands */
    FACT_CHOSEN,          /* slot (1 when not given), value */
    FACT_PENDING,         /* filter, count */
    FACT_TIME,            /* count: ms */
    FACT_SAFE,
    FACT_ALL,
    FACT_ANY,
    FACT_NOT,      /* kids[0] */
    FACT_READS,    /* value: array of {"node", "key", "value"} */
    FACT_ANSWERED, /* value: array of {"client", "seq"} */
};

struct fact {
    enum fact_kind kind;
    const char *path;            /* JSON path of the fact in the file, for messages */
    int node;                    /* FACT_NODE, FACT_LEADER (-1: null) */
    struct lesson_field *fields; /* FACT_NODE */
    size_t n_fields;
    const struct cJSON *value; /* FACT_COMMITTED, FACT_CHOSEN */
    int64_t term, count, slot;
    struct msg_filter filter; /* FACT_PENDING */
    struct fact *kids;        /* FACT_ALL, FACT_ANY, FACT_NOT */
    size_t n_kids;
};

enum action_kind {
    ACT_STEP,
    ACT_RUN,
    ACT_SETTLE,
    ACT_DELIVER,
    ACT_DROP,
    ACT_DUPLICATE,
    ACT_TIMEOUT,
    ACT_CRASH,
    ACT_RESTART,
    ACT_PARTITION,
    ACT_HEAL,
    ACT_CUT,
    ACT_LINK,
    ACT_REQUEST,
    ACT_PROPOSE,
    ACT_LOAD,
    ACT_INJECT,
    ACT_SET,
    ACT_GOTO,
    ACT_SNAPSHOT,      /* Raft §7: the node snapshots now */
    ACT_ADD_SERVER,    /* Raft membership: node, server (in `to`) */
    ACT_REMOVE_SERVER, /* Raft membership: node, server (in `to`) */
    ACT_READ,          /* Raft: node, text (the key) */
    ACT_TRANSFER,      /* Raft: to; node (the leader asked; -1: the current leader) */
    ACT_COUNT
};

/* The action names of the format, indexed by enum action_kind. */
extern const char *const lesson_action_names[ACT_COUNT];

struct action {
    enum action_kind kind;
    const char *path;     /* "steps[4]" */
    int64_t count;        /* step: count (default 1) */
    struct fact *until;   /* run: optional */
    int64_t for_ms;       /* run, load: -1 when not given */
    int64_t max;          /* run: ms (default 10000); settle: deliveries (default 10000) */
    int64_t settle_count; /* settle `count` (an extension): deliver at most this many and stop
                           * without failing; 0 when not given. A stopped settle is recorded so. */
    bool has_match;       /* deliver/drop/duplicate: match given (else: any message) */
    struct msg_filter match;
    bool all;                    /* deliver, drop */
    int node;                    /* timeout crash restart request propose set; -1 none */
    int groups[PROTO_MAX_NODES]; /* partition: group number per node; unlisted nodes share one more
                                  */
    int from, to;                /* cut, link */
    bool both;                   /* cut, link */
    const char *text;            /* request: command; propose: value; load: prefix (default "c") */
    int64_t every;               /* load */
    struct msg inject;           /* inject: the message (strings and arrays owned by the lesson) */
    /* set: what changes (only the has_ fields apply). */
    bool set_has_timeout;
    int64_t set_timeout;                      /* ms, -1: back to random */
    unsigned set_timeouts_mask;               /* `timeouts`: bit per node given */
    int64_t set_timeouts[PROTO_MAX_NODES];    /* ms, -1: back to random */
    unsigned set_options_on, set_options_off; /* option bits */
    bool set_has_election;
    int64_t set_election_min, set_election_max;
    bool set_has_heartbeat;
    int64_t set_heartbeat;
    bool set_has_snapshot_every; /* Raft option snapshot_every (§7) */
    int64_t set_snapshot_every;
    const char *label;  /* goto */
    int goto_step;      /* goto: index of the labelled step */
    const char *client; /* request: the client's session, NULL: none */
    int64_t seq;        /* request: its serial number (with client) */
};

enum quiz_kind { QUIZ_CHOICE, QUIZ_VALUE, QUIZ_PREDICT };

struct quiz {
    enum quiz_kind kind;
    const char *question;
    const char **choices;
    size_t n_choices;
    int *answers; /* choice: the right indices; predict: the given answer (n_answers 0 or 1) */
    size_t n_answers;
    bool multi;                       /* choice: `answer` was an array */
    const struct cJSON *answer_value; /* value: fixed answer, or NULL when `field` */
    int field_node; /* value: `field` "S3.commit_index" -> node 2, name; -1 none */
    const char *field_name;
    struct fact **facts;        /* predict: one per choice, NULL for a null fact */
    int64_t within;             /* predict: ms (default 5000) */
    const char *explain, *hint; /* may be NULL */
    int points;                 /* default 1 */
};

/* The lesson format's counting: letting time pass (step, run, settle) is
 * free; every other action counts one against a goal's max_actions. */
static inline bool lesson_action_counts(enum action_kind kind)
{
    return kind != ACT_STEP && kind != ACT_RUN && kind != ACT_SETTLE;
}

struct goal {
    const char *text;
    struct fact until;
    unsigned forbid; /* bit (1u << enum action_kind) per forbidden action */
    int max_actions; /* 0: no limit */
    struct action *solution;
    size_t n_solution;
};

/* The actions of a goal's solution that count against max_actions. */
size_t lesson_solution_cost(const struct goal *g);

enum step_kind { STEP_SAY, STEP_DO, STEP_EXPECT, STEP_QUIZ, STEP_GOAL, STEP_EXPLORE };

/* An explore step's request kinds: {"node", "command"} (the contract's),
 * {"node", "read"}, {"node", "add_server"}, {"node", "remove_server"}. */
enum request_kind { REQUEST_COMMAND, REQUEST_READ, REQUEST_ADD_SERVER, REQUEST_REMOVE_SERVER };

/* {"explore": {...}} (the safety lab): a search over the schedules from
 * here, with the bounds of the format (defaults filled in). */
struct lesson_explore {
    bool has_until;
    struct fact until;            /* has_until */
    const struct cJSON *until_js; /* the fact as written (for the schedule's expect) */
    int depth, max_drops, max_duplicates, max_crashes;
    bool timeouts;
    /* What a client may send at any point (requests): a command, or
     * (Raft, an extension: docs/lesson-extensions.md) a linearizable read
     * or a single-server membership change, each to `node`. */
    struct lesson_request {
        int node;
        const char *command; /* the command; the key of a read */
        enum request_kind kind;
        int server; /* REQUEST_ADD_SERVER, REQUEST_REMOVE_SERVER: the server changed */
    } * requests;
    size_t n_requests;
    long max_states;
    int expect; /* 1 found, 0 none, -1 not given */
    /* Random-walk probes (an extension: tutor/explore.h) */
    int walks, walk_depth;
    uint64_t walk_seed;
};

struct step {
    enum step_kind kind;
    const char *path;               /* "steps[4]" */
    const char *label;              /* may be NULL */
    const char *title;              /* may be NULL */
    const char *say;                /* STEP_SAY: text, may hold {S1.term} references */
    struct action act;              /* STEP_DO */
    struct fact fact;               /* STEP_EXPECT */
    struct quiz quiz;               /* STEP_QUIZ */
    struct goal goal;               /* STEP_GOAL */
    struct lesson_explore *explore; /* STEP_EXPLORE */
};

/* Persistent state a node starts from (`initial`). */
struct lesson_initial {
    bool given;
    /* Raft */
    int64_t term;
    int voted_for; /* -1 */
    struct entry *log;
    size_t n_log;
    /* Paxos */
    struct ballot promised;
    int64_t *slots; /* accepted: slot numbers ... */
    struct paxos_accepted_init {
        struct ballot ballot;
        const char *value;
    } * accepted; /* ... and what was accepted there */
    size_t n_accepted;
};

struct lesson {
    char *file;                        /* the path it was loaded from */
    char *id, *title, *lang, *summary; /* summary may be NULL */
    enum protocol protocol;
    struct proto_config cfg; /* names, timeouts, options, roles */
    uint64_t seed;
    int64_t latency_min, latency_max;
    /* Probabilities as parts per billion, so draws are exact integer math. */
    uint64_t loss_ppb, duplicate_ppb;
    struct lesson_initial initial[PROTO_MAX_NODES];
    struct step *steps;
    size_t n_steps;
    unsigned char sha256[32]; /* of the file's bytes (transcripts) */
    struct cJSON *doc;        /* the parsed document; owns expected values */
    void *arena;              /* everything else the lesson allocated */
};

/* Problems found while loading: each a full line "FILE:LINE:COL: message"
 * or "FILE: steps[4].do: message". */
struct lesson_errors {
    char **lines;
    size_t n, cap;
};

void lesson_errors_init(struct lesson_errors *e);
void lesson_errors_free(struct lesson_errors *e);

/* Loads and validates a lesson file. Returns 0 and sets *out, or -1 with
 * every problem in errs (and *out NULL). */
int lesson_load(const char *path, struct lesson **out, struct lesson_errors *errs);
/* The same from a buffer; name is used in messages. */
int lesson_parse(const char *name, const char *buf, size_t len, struct lesson **out,
                 struct lesson_errors *errs);
void lesson_free(struct lesson *l);

/* A {NODE.FIELD} reference inside a say text: '{', a node name, '.', a
 * node field of the lesson's protocol, '}'. Any other text in braces is
 * literal. The loader refuses a say text whose references name an unknown
 * node or field. */
struct lesson_ref {
    const char *start, *end; /* the '{' and one past the '}' */
    int node;                /* node index; -1 if no such node */
    const char *field;       /* the field name (static); NULL if no such field */
};

/* Finds the first reference in text; false if there is none. To expand a
 * text, copy up to ref.start, write the value, and go on from ref.end. */
bool lesson_next_ref(const struct lesson *l, const char *text, struct lesson_ref *ref);

/* Parses one action object (as in a `do` step or a goal solution) outside
 * a file, for the learner's commands; same validation. 0 or -1. */
int lesson_parse_action_json(const struct lesson *l, const char *json, struct action *out,
                             struct lesson_errors *errs);

#endif
