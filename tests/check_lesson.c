/* Tests of the lesson loader: the spec's example loads into the structs it
 * describes; every kind of broken file is refused with the location and a
 * precise message; limits hold at their edges; tests/bad/ is refused line
 * by line as its .expect files say; SHA-256 matches the FIPS vectors. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "tutor/lesson.h"
#include "tutor/sha256.h"

/* ---- helpers ---- */

static const char *srcdir(void)
{
    const char *s = getenv("top_srcdir");
    return s && *s ? s : ".";
}

/* Test JSON is written with ' for " to stay readable. */
static char *dq(const char *s)
{
    char *out = strdup(s);
    for (char *p = out; *p; p++)
        if (*p == '\'')
            *p = '"';
    return out;
}

static void print_errors(const struct lesson_errors *e)
{
    for (size_t i = 0; i < e->n; i++)
        fprintf(stderr, "    %s\n", e->lines[i]);
}

static struct lesson *parse_ok(const char *json_sq)
{
    char *json = dq(json_sq);
    struct lesson_errors e;
    lesson_errors_init(&e);
    struct lesson *l = NULL;
    int rc = lesson_parse("t.json", json, strlen(json), &l, &e);
    if (rc != 0) {
        fprintf(stderr, "unexpected errors for %s:\n", json);
        print_errors(&e);
    }
    ck_assert_int_eq(rc, 0);
    ck_assert_ptr_nonnull(l);
    ck_assert_uint_eq(e.n, 0);
    lesson_errors_free(&e);
    free(json);
    return l;
}

static bool has_line(const struct lesson_errors *e, const char *want)
{
    for (size_t i = 0; i < e->n; i++)
        if (strstr(e->lines[i], want))
            return true;
    return false;
}

/* Parses raw bytes that must be refused; every NULL-terminated want must
 * appear in some error line. Returns the number of error lines. */
static size_t fail_raw(const char *buf, size_t len, const char *const *want)
{
    struct lesson_errors e;
    lesson_errors_init(&e);
    struct lesson *l = (struct lesson *)1;
    int rc = lesson_parse("t.json", buf, len, &l, &e);
    ck_assert_int_eq(rc, -1);
    ck_assert_ptr_null(l);
    ck_assert_uint_gt(e.n, 0);
    for (size_t i = 0; want[i]; i++) {
        if (!has_line(&e, want[i])) {
            fprintf(stderr, "missing \"%s\" among:\n", want[i]);
            print_errors(&e);
        }
        ck_assert_msg(has_line(&e, want[i]), "missing error: %s", want[i]);
    }
    size_t n = e.n;
    lesson_errors_free(&e);
    return n;
}

#define FAIL_SQ(json, ...)                                                                         \
    do {                                                                                           \
        char *j_ = dq(json);                                                                       \
        const char *const w_[] = {__VA_ARGS__, NULL};                                              \
        fail_raw(j_, strlen(j_), w_);                                                              \
        free(j_);                                                                                  \
    } while (0)

#define FAIL_RAW(json, ...)                                                                        \
    do {                                                                                           \
        const char *const w_[] = {__VA_ARGS__, NULL};                                              \
        fail_raw(json, strlen(json), w_);                                                          \
    } while (0)

/* A lesson around a protocol, a cluster and steps. */
#define LESSON(proto, cluster, steps)                                                              \
    "{'format': 1, 'id': 't', 'title': 'T', 'protocol': '" proto "', 'cluster': " cluster          \
    ", 'steps': [" steps "]}"
#define RAFT(steps) LESSON("raft", "{'nodes': 3}", steps)
#define PAXOS(steps) LESSON("paxos", "{'nodes': 3}", steps)
#define RAFT_INIT(initial)                                                                         \
    "{'format': 1, 'id': 't', 'title': 'T', 'protocol': 'raft', 'cluster': {'nodes': 3}, "         \
    "'initial': " initial ", 'steps': []}"
#define PAXOS_INIT(options, initial)                                                               \
    "{'format': 1, 'id': 't', 'title': 'T', 'protocol': 'paxos', 'cluster': {'nodes': 3, "         \
    "'options': " options "}, 'initial': " initial ", 'steps': []}"

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    *len = fread(buf, 1, (size_t)n, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/* ---- the spec's example ---- */

START_TEST(test_example_loads)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/../shared/spec/examples/raft-election-example.json", srcdir());
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "skipped: %s not found\n", path);
        return;
    }
    fclose(f);
    struct lesson_errors e;
    lesson_errors_init(&e);
    struct lesson *l = NULL;
    int rc = lesson_load(path, &l, &e);
    print_errors(&e);
    ck_assert_int_eq(rc, 0);
    ck_assert_str_eq(l->file, path);
    ck_assert_str_eq(l->id, "example-raft-election");
    ck_assert_str_eq(l->title, "Example: a first Raft election");
    ck_assert_str_eq(l->lang, "en");
    ck_assert_ptr_nonnull(l->summary);
    ck_assert_int_eq(l->protocol, PROTO_RAFT);
    ck_assert_int_eq(l->cfg.n_nodes, 3);
    ck_assert_str_eq(l->cfg.names[0], "S1");
    ck_assert_str_eq(l->cfg.names[2], "S3");
    ck_assert_uint_eq(l->seed, 7);
    ck_assert_int_eq(l->latency_min, 10);
    ck_assert_int_eq(l->latency_max, 10);
    ck_assert_int_eq(l->cfg.fixed_timeout[0], 150);
    ck_assert_int_eq(l->cfg.fixed_timeout[1], 220);
    ck_assert_int_eq(l->cfg.fixed_timeout[2], 260);
    ck_assert_int_eq(l->cfg.election_min, 150);
    ck_assert_int_eq(l->cfg.election_max, 300);
    ck_assert_int_eq(l->cfg.heartbeat, 50);
    ck_assert_uint_eq(l->cfg.options[0], 0);
    ck_assert_uint_eq(l->n_steps, 15);

    const struct step *s = l->steps;
    ck_assert_int_eq(s[0].kind, STEP_SAY);
    ck_assert_str_eq(s[0].title, "Everyone starts as a follower");
    ck_assert_ptr_nonnull(strstr(s[0].say, "{S1.term}"));
    ck_assert_str_eq(s[0].path, "steps[0]");

    ck_assert_int_eq(s[1].kind, STEP_EXPECT);
    ck_assert_int_eq(s[1].fact.kind, FACT_ALL);
    ck_assert_uint_eq(s[1].fact.n_kids, 3);
    ck_assert_int_eq(s[1].fact.kids[0].kind, FACT_NODE);
    ck_assert_int_eq(s[1].fact.kids[0].node, 0);
    ck_assert_uint_eq(s[1].fact.kids[0].n_fields, 2);
    ck_assert_str_eq(s[1].fact.kids[0].fields[0].name, "role");
    ck_assert_str_eq(s[1].fact.kids[0].fields[0].value->valuestring, "follower");
    ck_assert_str_eq(s[1].fact.kids[0].path, "steps[1].expect.all[0]");
    ck_assert_int_eq(s[1].fact.kids[2].kind, FACT_LEADER);
    ck_assert_int_eq(s[1].fact.kids[2].node, -1);

    const struct quiz *q = &s[2].quiz;
    ck_assert_int_eq(s[2].kind, STEP_QUIZ);
    ck_assert_int_eq(q->kind, QUIZ_PREDICT);
    ck_assert_uint_eq(q->n_choices, 3);
    ck_assert_ptr_nonnull(q->facts[0]);
    ck_assert_int_eq(q->facts[1]->kind, FACT_NODE);
    ck_assert_ptr_null(q->facts[2]);
    ck_assert_uint_eq(q->n_answers, 1);
    ck_assert_int_eq(q->answers[0], 1);
    ck_assert_int_eq(q->within, 1000);
    ck_assert_ptr_nonnull(q->explain);
    ck_assert_ptr_null(q->hint);
    ck_assert_int_eq(q->points, 1);

    ck_assert_int_eq(s[3].kind, STEP_DO);
    ck_assert_int_eq(s[3].act.kind, ACT_TIMEOUT);
    ck_assert_int_eq(s[3].act.node, 0);

    ck_assert_int_eq(s[5].fact.kind, FACT_PENDING);
    ck_assert_int_eq(s[5].fact.count, 2);
    ck_assert_int_eq(s[5].fact.filter.type, MSG_REQUEST_VOTE);
    ck_assert_int_eq(s[5].fact.filter.from, 0);
    ck_assert_int_eq(s[5].fact.filter.to, -1);
    ck_assert_uint_eq(s[5].fact.filter.n_fields, 1);
    ck_assert_str_eq(s[5].fact.filter.fields[0].name, "term");
    ck_assert_int_eq(s[5].fact.filter.fields[0].value->valueint, 1);

    ck_assert_int_eq(s[7].act.kind, ACT_DELIVER);
    ck_assert(s[7].act.has_match);
    ck_assert(!s[7].act.all);
    ck_assert_int_eq(s[7].act.match.type, MSG_REQUEST_VOTE);
    ck_assert_int_eq(s[7].act.match.to, 1);

    ck_assert_int_eq(s[8].quiz.kind, QUIZ_VALUE);
    ck_assert_int_eq(s[8].quiz.field_node, 1);
    ck_assert_str_eq(s[8].quiz.field_name, "voted_for");
    ck_assert_ptr_null(s[8].quiz.answer_value);

    ck_assert_int_eq(s[10].fact.kind, FACT_LEADER);
    ck_assert_int_eq(s[10].fact.node, 0);

    ck_assert_int_eq(s[11].quiz.kind, QUIZ_CHOICE);
    ck_assert(!s[11].quiz.multi);
    ck_assert_int_eq(s[11].quiz.answers[0], 0);
    ck_assert_str_eq(s[11].quiz.hint, "Count S1's own vote.");

    ck_assert_int_eq(s[12].act.kind, ACT_SETTLE);
    ck_assert_int_eq(s[12].act.max, 10000);

    const struct goal *g = &s[14].goal;
    ck_assert_int_eq(s[14].kind, STEP_GOAL);
    ck_assert_uint_eq(g->forbid, 1u << ACT_CRASH);
    ck_assert_int_eq(g->max_actions, 10);
    ck_assert_int_eq(g->until.kind, FACT_NODE);
    ck_assert_int_eq(g->until.node, 2);
    ck_assert_uint_eq(g->n_solution, 2);
    ck_assert_int_eq(g->solution[0].kind, ACT_TIMEOUT);
    ck_assert_int_eq(g->solution[0].node, 2);
    ck_assert_int_eq(g->solution[1].kind, ACT_SETTLE);
    ck_assert_str_eq(g->solution[1].path, "steps[14].goal.solution[1]");

    size_t len;
    char *bytes = read_file(path, &len);
    unsigned char digest[32];
    sha256_digest(bytes, len, digest);
    ck_assert_mem_eq(l->sha256, digest, 32);
    free(bytes);
    lesson_free(l);
    lesson_errors_free(&e);
}
END_TEST

START_TEST(test_defaults)
{
    struct lesson *l = parse_ok(RAFT(""));
    ck_assert_str_eq(l->lang, "en");
    ck_assert_ptr_null(l->summary);
    ck_assert_uint_eq(l->seed, 1);
    ck_assert_int_eq(l->latency_min, 10);
    ck_assert_int_eq(l->latency_max, 10);
    ck_assert_uint_eq(l->loss_ppb, 0);
    ck_assert_uint_eq(l->duplicate_ppb, 0);
    ck_assert_int_eq(l->cfg.election_min, 150);
    ck_assert_int_eq(l->cfg.election_max, 300);
    ck_assert_int_eq(l->cfg.heartbeat, 50);
    for (int i = 0; i < PROTO_MAX_NODES; i++) {
        ck_assert_int_eq(l->cfg.fixed_timeout[i], -1);
        ck_assert_uint_eq(l->cfg.options[i], 0);
        ck_assert(l->cfg.proposer[i] && l->cfg.acceptor[i] && l->cfg.learner[i]);
        ck_assert(!l->initial[i].given);
        ck_assert_int_eq(l->initial[i].voted_for, -1);
    }
    ck_assert_uint_eq(l->n_steps, 0);
    lesson_free(l);
}
END_TEST

START_TEST(test_cluster_settings)
{
    struct lesson *l =
        parse_ok("{'format': 1, 'id': 'paxos-x', 'title': 'T', 'lang': 'zh-CN', 'summary': 'S', "
                 "'protocol': 'paxos', 'x-editor': {'anything': [1, 2]}, "
                 "'cluster': {'nodes': ['alice', 'bob', 'carol'], 'seed': 9007199254740992, "
                 "'latency': {'min': 5, 'max': 25}, 'loss': 0.25, 'duplicate': 1, "
                 "'election_timeout': {'min': 100, 'max': 200}, 'heartbeat': 30, "
                 "'timeouts': {'bob': 120}, 'options': {'multi': true, 'nack': false}, "
                 "'roles': {'proposers': ['alice'], 'learners': ['bob', 'carol']}}, 'steps': []}");
    ck_assert_str_eq(l->lang, "zh-CN");
    ck_assert_int_eq(l->protocol, PROTO_PAXOS);
    ck_assert_int_eq(l->cfg.n_nodes, 3);
    ck_assert_str_eq(l->cfg.names[1], "bob");
    ck_assert_uint_eq(l->seed, 9007199254740992ULL);
    ck_assert_int_eq(l->latency_min, 5);
    ck_assert_int_eq(l->latency_max, 25);
    ck_assert_uint_eq(l->loss_ppb, 250000000);
    ck_assert_uint_eq(l->duplicate_ppb, 1000000000);
    ck_assert_int_eq(l->cfg.election_min, 100);
    ck_assert_int_eq(l->cfg.election_max, 200);
    ck_assert_int_eq(l->cfg.heartbeat, 30);
    ck_assert_int_eq(l->cfg.fixed_timeout[0], -1);
    ck_assert_int_eq(l->cfg.fixed_timeout[1], 120);
    for (int i = 0; i < 3; i++)
        ck_assert_uint_eq(l->cfg.options[i], OPT_MULTI);
    ck_assert(l->cfg.proposer[0] && !l->cfg.proposer[1] && !l->cfg.proposer[2]);
    ck_assert(l->cfg.acceptor[0] && l->cfg.acceptor[1] && l->cfg.acceptor[2]);
    ck_assert(!l->cfg.learner[0] && l->cfg.learner[1] && l->cfg.learner[2]);
    lesson_free(l);

    l = parse_ok(
        LESSON("raft", "{'nodes': 5, 'options': {'prevote': true, 'fast_backup': true}}", ""));
    ck_assert_uint_eq(l->cfg.options[4], OPT_PREVOTE | OPT_FAST_BACKUP);
    lesson_free(l);
}
END_TEST

/* ---- syntax: FILE:LINE:COLUMN ---- */

START_TEST(test_syntax_errors_have_line_and_column)
{
    FAIL_RAW("{\n  \"format\": 1\n  \"id\": \"x\"\n}", "t.json:3:3: missing ','");
    FAIL_RAW("{\"a\": [1, 2,]}", "t.json:1:13: trailing comma before ']'");
    FAIL_RAW("{\"a\": 1,}", "t.json:1:9: trailing comma before '}'");
    FAIL_RAW("{\"a\": 'x'}", "t.json:1:7: strings need double quotes");
    FAIL_RAW("{\"a\": 01}", "t.json:1:8: invalid number: no leading zeros");
    FAIL_RAW("{\"a\": 1.}", "t.json:1:9: invalid number: a digit must follow '.'");
    FAIL_RAW("{\"a\": True}", "t.json:1:7: expected a value, found \"True\"");
    FAIL_RAW("{\"a\": 1} x", "t.json:1:10: unexpected 'x' after the end of the JSON value");
    FAIL_RAW("{\"a\": \"abc", "t.json:1:7: unterminated string");
    FAIL_RAW("{\"a\": [1, 2", "t.json:1:12: unexpected end of file inside an array");
    FAIL_RAW("{\"a\" 1}", "t.json:1:6: expected ':' after a key, found '1'");
    FAIL_RAW("{\"a\": \"\\x\"}", "t.json:1:8: invalid escape '\\x' in a string");
    FAIL_RAW("{\"a\": \"\\udc00\"}", "t.json:1:8: invalid escape: unpaired UTF-16 surrogate");
    FAIL_RAW("{\n  // note\n}", "t.json:2:3: comments are not allowed in JSON");
    /* Columns count characters: "é" and "中" are one column each. */
    FAIL_RAW("{\"é中\": 1 2}", "t.json:1:10: expected ',' or '}'");
    FAIL_RAW("{\"a\": 1\xef\xbc\x8c \"b\": 2}", "t.json:1:8: expected ',' or '}' after a member "
                                                "of an object, found '\xef\xbc\x8c' (U+FF0C)");
    FAIL_RAW("", "t.json: empty file");
    FAIL_RAW("  \n\t ", "t.json: empty file");
    FAIL_RAW("[1]", "t.json: a lesson is a JSON object, found an array");
}
END_TEST

START_TEST(test_duplicate_keys)
{
    FAIL_SQ("{'format': 1, 'id': 't', 'title': 'T', 'protocol': 'raft',\n"
            "'cluster': {'nodes': 3, 'seed': 1,\n  'seed': 2}, 'steps': [{'say': 'a', 'say': 'b'}],"
            "\n'title': 'again'}",
            "t.json:3:3: cluster: duplicate key \"seed\" (first at line 2, column 25)",
            "t.json:3:38: steps[0]: duplicate key \"say\" (first at line 3, column 26)",
            "t.json:4:1: duplicate key \"title\" (first at line 1, column 26)");
    /* An escaped key is the same key; keys are escaped in messages. */
    FAIL_SQ("{'a': 1, '\\u0061': 2}", "duplicate key \"a\"");
    FAIL_SQ("{'\\u009b\\u001b': 1, '\\u009b\\u001b': 2}",
            "t.json:1:21: duplicate key \"\\u009b\\u001b\" (first at line 1, column 2)");
}
END_TEST

START_TEST(test_invalid_utf8_and_control_characters)
{
    char *j = dq(RAFT("{'say': 'caf\xe9 au lait'}, {'say': 'ok'}"));
    const char *const w1[] = {"t.json:1:107: steps[0].say: invalid UTF-8 (byte 0xe9)", NULL};
    fail_raw(j, strlen(j), w1);
    free(j);
    /* An overlong encoding and a UTF-16 surrogate written as UTF-8. */
    FAIL_RAW("{\"a\": \"\xc0\xaf\", \"b\": \"\xed\xa0\x80\"}",
             "t.json:1:8: a: invalid UTF-8 (byte 0xc0)",
             "t.json:1:18: b: invalid UTF-8 (byte 0xed)");
    FAIL_SQ(RAFT("{'say': 'a\tb'}"),
            "t.json:1:105: steps[0].say: raw control character U+0009 inside a string (write it "
            "as \\t)");
    FAIL_SQ(RAFT("{'say': 'a\\u0000b'}"), "steps[0].say: \\u0000 (NUL) is not allowed");
    char nul[] = "{\"a\": \"x\0y\"}";
    const char *const w2[] = {"t.json:1:9: NUL byte inside a string", NULL};
    fail_raw(nul, sizeof nul - 1, w2);
}
END_TEST

START_TEST(test_text_is_sanitized)
{
    /* ESC [2J, BEL, DEL, C1 (U+0085, U+009B) and a tab are stripped;
     * newline, CJK and emoji are kept. */
    struct lesson *l =
        parse_ok(RAFT("{'title': 'x\\u001b[2Jy', 'say': 'a\\u0007b\\u007fc\\u0085d\\u009be\\tf\\ng "
                      "中文 \\ud83d\\ude00'}, {'quiz': {'kind': 'choice', 'question': "
                      "'q\\u001b]0;pwned\\u0007', 'choices': ['\\u009b31mred'], 'answer': 0}}"));
    ck_assert_str_eq(l->steps[0].title, "x[2Jy");
    ck_assert_str_eq(l->steps[0].say, "abcdef\ng 中文 \xf0\x9f\x98\x80");
    ck_assert_str_eq(l->steps[1].quiz.question, "q]0;pwned");
    ck_assert_str_eq(l->steps[1].quiz.choices[0], "31mred");
    lesson_free(l);
    /* Commands are compared with the cluster's state, so they are refused
     * rather than changed. */
    FAIL_SQ(RAFT("{'do': 'request', 'node': 'S1', 'command': 'x\\u001by'}"),
            "steps[0].command: \"x\\u001by\" contains a control character");
}
END_TEST

/* ---- meaning errors: JSON path, message, did you mean ---- */

START_TEST(test_unknown_keys_and_did_you_mean)
{
    FAIL_SQ("{'format': 1, 'id': 't', 'titel': 'T', 'protocol': 'raft', 'cluster': {'nodes': 3, "
            "'sed': 2}, 'steps': [], 'x-anything': {'goes': 1}}",
            "t.json: unknown key \"titel\" (did you mean \"title\"?)",
            "t.json: missing key \"title\"",
            "t.json: cluster: unknown key \"sed\" (did you mean \"seed\"?)");
    FAIL_SQ(RAFT("{'say': 'a'}, {'say': 'b'}, {'say': 'c'}, {'say': 'd'}, {'do': 'delivr'}"),
            "t.json: steps[4].do: unknown action \"delivr\" (did you mean \"deliver\"?)");
    FAIL_SQ(RAFT("{'do': 'deliver', 'mach': {'to': 'S2'}}"),
            "t.json: steps[0]: unknown argument \"mach\" of deliver (did you mean \"match\"?)");
    FAIL_SQ(RAFT("{'expect': {'node': 'S1', 'comit_index': 1}}"),
            "t.json: steps[0].expect: unknown node field \"comit_index\" (did you mean "
            "\"commit_index\"?)");
    FAIL_SQ(RAFT("{'expect': {'leadr': 'S1'}}"),
            "t.json: steps[0].expect: unknown fact \"leadr\" (did you mean \"leader\"?)");
    FAIL_SQ(RAFT("{'do': 'deliver', 'match': {'type': 'AppendEntrie'}}"),
            "t.json: steps[0].match.type: unknown message type \"AppendEntrie\" (did you mean "
            "\"AppendEntries\"?)");
    FAIL_SQ(RAFT("{'do': 'deliver', 'match': {'type': 'RequestVote', 'trem': 1}}"),
            "t.json: steps[0].match: RequestVote has no field \"trem\" (did you mean \"term\"?)");
    FAIL_SQ(LESSON("raft", "{'nodes': 3, 'options': {'check_qourum': true}}", ""),
            "t.json: cluster.options: unknown option \"check_qourum\" (did you mean "
            "\"check_quorum\"?)");
    FAIL_SQ(
        RAFT("{'quiz': {'kind': 'predcit', 'question': 'q'}}"),
        "t.json: steps[0].quiz.kind: unknown quiz kind \"predcit\" (did you mean \"predict\"?)");
    FAIL_SQ(LESSON("raft", "{'nodes': ['alice', 'bob']}", "{'do': 'crash', 'node': 'alcie'}"),
            "t.json: steps[0].node: unknown node \"alcie\" (did you mean \"alice\"?)");
    FAIL_SQ(RAFT("{'do': 'crash', 'node': 'S4'}"),
            "t.json: steps[0].node: unknown node \"S4\" (nodes: S1, S2, S3)");
    FAIL_SQ(RAFT("{'do': 'crash', 'node': 's1'}"),
            "t.json: steps[0].node: unknown node \"s1\" (did you mean \"S1\"?)");
    FAIL_SQ(RAFT("{'expect': {'node': 'S1', 'role': 'folower'}}"),
            "t.json: steps[0].expect.role: unknown role \"folower\" (did you mean \"follower\"?)");
    FAIL_SQ(LESSON("rfat", "{'nodes': 3}", ""),
            "t.json: protocol: unknown protocol \"rfat\" (did you mean \"raft\"?)");
}
END_TEST

START_TEST(test_many_errors_at_once)
{
    char *j = dq("{'format': 1, 'id': 'Bad Id', 'title': 'T', 'protocol': 'raft', "
                 "'cluster': {'nodes': 3, 'seed': -1, 'latency': {'min': 9, 'max': 3}}, "
                 "'steps': [{'do': 'delivr'}, {'expect': {'node': 'S9', 'term': 1}}, "
                 "{'quiz': {'kind': 'choice', 'question': 'q', 'choices': ['a'], 'answer': 4}}, "
                 "{'do': 'goto', 'label': 'nowhere'}]}");
    const char *const w[] = {"t.json: id: expected an id",
                             "t.json: cluster.seed: expected an integer >= 0, found -1",
                             "t.json: cluster.latency: min 9 is greater than max 3",
                             "t.json: steps[0].do: unknown action \"delivr\"",
                             "t.json: steps[1].expect.node: unknown node \"S9\"",
                             "t.json: steps[2].quiz.answer: there is no choice 4",
                             "t.json: steps[3].label: no step has the label \"nowhere\"",
                             NULL};
    ck_assert_uint_eq(fail_raw(j, strlen(j), w), 7);
    free(j);
}
END_TEST

START_TEST(test_numbers)
{
    FAIL_SQ(LESSON("raft", "{'nodes': 2.5}", ""),
            "t.json: cluster.nodes: expected an integer, found 2.5");
    FAIL_SQ(LESSON("raft", "{'nodes': 10}", ""),
            "t.json: cluster.nodes: expected an integer from 1 to 9, found 10");
    FAIL_SQ(LESSON("raft", "{'nodes': 0}", ""), "found 0");
    FAIL_SQ(LESSON("raft", "{'nodes': 3, 'seed': 1.5}", ""),
            "t.json: cluster.seed: expected an integer, found 1.5");
    FAIL_SQ(LESSON("raft", "{'nodes': 3, 'seed': 9007199254740994}", ""),
            "t.json: cluster.seed: expected an integer from 0 to 9007199254740992, found "
            "9007199254740994");
    FAIL_SQ(LESSON("raft", "{'nodes': 3, 'seed': '7'}", ""),
            "t.json: cluster.seed: expected an integer >= 0, found \"7\"");
    FAIL_SQ(LESSON("raft", "{'nodes': 3, 'timeouts': {'S1': 100.5}}", ""),
            "t.json: cluster.timeouts.S1: expected an integer, found 100.5");
    FAIL_SQ(LESSON("raft", "{'nodes': 3, 'heartbeat': 1e10}", ""),
            "t.json: cluster.heartbeat: expected a time in ms from 1 to 1000000000, found "
            "10000000000");
    FAIL_SQ(LESSON("raft", "{'nodes': 3, 'heartbeat': 1e400}", ""),
            "t.json: cluster.heartbeat: expected a time in ms from 1 to 1000000000, found a number "
            "too large");
    FAIL_SQ(LESSON("raft", "{'nodes': 3, 'loss': 2, 'duplicate': true}", ""),
            "t.json: cluster.loss: expected a probability from 0 to 1, found 2",
            "t.json: cluster.duplicate: expected a probability from 0 to 1, found true");
    FAIL_SQ(LESSON("raft", "{'nodes': 3, 'latency': {'min': 20, 'max': 10}}", ""),
            "t.json: cluster.latency: min 20 is greater than max 10");
    FAIL_SQ(LESSON("raft", "{'nodes': 3, 'election_timeout': 200}", ""),
            "t.json: cluster.election_timeout: expected {\"min\": ms, \"max\": ms}, found 200");
    FAIL_SQ(RAFT("{'do': 'step', 'count': 2.5}"), "steps[0].count: expected an integer, found 2.5");
    FAIL_SQ(RAFT("{'quiz': {'kind': 'choice', 'question': 'q', 'choices': ['a'], 'answer': 0, "
                 "'points': -1}}"),
            "steps[0].quiz.points: expected an integer from 0 to 1000, found -1");
    /* 1.0 is an integer written as a float: accepted. */
    struct lesson *l = parse_ok(LESSON("raft", "{'nodes': 3.0, 'seed': 0}", ""));
    ck_assert_int_eq(l->cfg.n_nodes, 3);
    ck_assert_uint_eq(l->seed, 0);
    lesson_free(l);
}
END_TEST

START_TEST(test_top_level_and_cluster_errors)
{
    FAIL_SQ("{'format': 2}", "t.json: format: format 2 is not supported; this program reads "
                             "format 1");
    FAIL_SQ("{}", "t.json: missing key \"format\"", "t.json: missing key \"id\"",
            "t.json: missing key \"title\"", "t.json: missing key \"protocol\"",
            "t.json: missing key \"cluster\"", "t.json: missing key \"steps\"");
    FAIL_SQ(LESSON("raft", "{}", ""), "t.json: cluster: missing key \"nodes\"");
    FAIL_SQ(LESSON("raft", "{'nodes': ['a1', 'a1', '9z', 'toolongname']}", ""),
            "t.json: cluster.nodes[1]: duplicate node name \"a1\"",
            "t.json: cluster.nodes[2]: expected a node name ([A-Za-z][A-Za-z0-9_-]{0,7}), found "
            "\"9z\"",
            "t.json: cluster.nodes[3]: expected a node name");
    FAIL_SQ(LESSON("raft", "{'nodes': []}", ""), "t.json: cluster.nodes: 0 nodes; a cluster has 1 "
                                                 "to 9");
    FAIL_SQ(LESSON("raft", "{'nodes': 3, 'roles': {'acceptors': ['S1']}}", ""),
            "t.json: cluster.roles: roles are for Paxos");
    FAIL_SQ(LESSON("raft", "{'nodes': 3, 'options': {'multi': true}}", ""),
            "t.json: cluster.options: \"multi\" is a Paxos option; this lesson's protocol is raft");
    FAIL_SQ(LESSON("paxos", "{'nodes': 3, 'options': {'prevote': true}}", ""),
            "t.json: cluster.options: \"prevote\" is a Raft option; this lesson's protocol is "
            "paxos");
    FAIL_SQ(LESSON("paxos", "{'nodes': 3, 'roles': {'acceptors': []}}", ""),
            "t.json: cluster.roles.acceptors: at least one node must be an acceptor");
    FAIL_SQ(LESSON("raft", "{'nodes': 3, 'timeouts': {'S5': 100}}", ""),
            "t.json: cluster.timeouts: unknown node \"S5\"");
    FAIL_SQ("{'format': 1, 'id': 't', 'title': '', 'lang': 'english please', 'protocol': 'raft', "
            "'cluster': {'nodes': 3}, 'steps': {}}",
            "t.json: title: must not be empty", "t.json: lang: expected a language tag",
            "t.json: steps: expected an array, found an object");
}
END_TEST

START_TEST(test_steps_and_actions_errors)
{
    FAIL_SQ(RAFT("{'say': 'a', 'do': 'heal'}"),
            "t.json: steps[0]: a step has exactly one of say, do, expect, quiz, goal; this one "
            "has say and do");
    FAIL_SQ(RAFT("{'title': 'x'}"), "t.json: steps[0]: a step needs one of say, do, expect");
    FAIL_SQ(RAFT("{'say': 'a', 'node': 'S1'}"), "t.json: steps[0]: unknown key \"node\"");
    FAIL_SQ(RAFT("{'do': 'timeout'}"), "t.json: steps[0]: timeout needs \"node\"");
    FAIL_SQ(RAFT("{'do': 'heal', 'all': true}"), "t.json: steps[0]: unknown argument \"all\" of "
                                                 "heal");
    FAIL_SQ(RAFT("{'do': 'deliver', 'all': 1}"),
            "t.json: steps[0].all: expected true or false, found 1");
    FAIL_SQ(PAXOS("{'do': 'request', 'node': 'S1', 'command': 'x'}"),
            "t.json: steps[0].do: \"request\" is a Raft action; in Paxos a client uses "
            "\"propose\"");
    FAIL_SQ(RAFT("{'do': 'propose', 'node': 'S1', 'value': 'x'}"),
            "t.json: steps[0].do: \"propose\" is a Paxos action; in Raft a client uses "
            "\"request\"");
    FAIL_SQ(RAFT("{'do': 'request', 'node': 'S1', 'command': ''}"),
            "t.json: steps[0].command: must not be empty");
    FAIL_SQ(RAFT("{'do': 'partition', 'groups': [['S1'], ['S1', 'S2']]}"),
            "t.json: steps[0].groups[1][0]: S1 is already in group 0");
    FAIL_SQ(RAFT("{'do': 'partition', 'groups': []}"),
            "t.json: steps[0].groups: expected at least one group");
    FAIL_SQ(RAFT("{'do': 'cut', 'from': 'S1', 'to': 'S1'}"),
            "t.json: steps[0]: from and to are the same node");
    FAIL_SQ(RAFT("{'do': 'run'}"), "t.json: steps[0]: run needs \"until\" (a fact) or \"for\"");
    FAIL_SQ(RAFT("{'do': 'run', 'for': 500, 'max': 100}"),
            "t.json: steps[0].for: for 500 is more than max 100");
    FAIL_SQ(RAFT("{'do': 'set', 'node': 'S1'}"), "t.json: steps[0]: set needs at least one of");
    FAIL_SQ(RAFT("{'do': 'set', 'timeout': 100}"),
            "t.json: steps[0].timeout: a fixed timeout is per node: give \"node\"");
    FAIL_SQ(RAFT("{'do': 'set', 'options': {'nack': true}}"),
            "t.json: steps[0].options: \"nack\" is a Paxos option");
    FAIL_SQ(PAXOS("{'do': 'load', 'every': 10, 'for': 100}"),
            "t.json: steps[0].do: load sends Multi-Paxos proposals");
    FAIL_SQ(RAFT("{'label': 'a', 'say': 'x'}, {'label': 'a', 'say': 'y'}, {'do': 'goto', "
                 "'label': 'b'}"),
            "t.json: steps[1].label: label \"a\" is already used by steps[0]",
            "t.json: steps[2].label: no step has the label \"b\"");
    FAIL_SQ(RAFT("{'do': 'inject', 'message': {'type': 'Prepare', 'from': 'S1', 'to': 'S2'}}"),
            "t.json: steps[0].message.type: Prepare is a Paxos message; this lesson's protocol "
            "is raft");
    FAIL_SQ(RAFT("{'do': 'inject', 'message': {'type': 'RequestVote', 'to': 'S2', 'granted': "
                 "true}}"),
            "t.json: steps[0].message: missing key \"from\"",
            "t.json: steps[0].message: RequestVote has no field \"granted\"");
    FAIL_SQ(PAXOS("{'do': 'inject', 'message': {'type': 'Accept', 'from': 'S1', 'to': 'S2', "
                  "'ballot': '0.S1', 'slot': -1}}"),
            "t.json: steps[0].message.ballot: ballot \"0.S1\": rounds start at 1",
            "t.json: steps[0].message.slot: expected an integer from 0 to 100000, found -1");
    FAIL_SQ(PAXOS("{'do': 'deliver', 'match': {'ballot': 'S1.2'}}"),
            "t.json: steps[0].match.ballot: expected a ballot \"round.node\" such as \"2.S1\", "
            "found \"S1.2\"");
    FAIL_SQ(RAFT("{'do': 'deliver', 'match': {'type': 'AppendEntries', 'entries': [[1]]}}"),
            "t.json: steps[0].match.entries[0]: expected an entry [term, \"command\"], found an "
            "array");
}
END_TEST

START_TEST(test_facts_errors)
{
    FAIL_SQ(RAFT("{'expect': {'chosen': 'x'}}"),
            "t.json: steps[0].expect: \"chosen\" is a Paxos fact; this lesson's protocol is raft");
    FAIL_SQ(PAXOS("{'expect': {'leader': 'S1'}}"),
            "t.json: steps[0].expect: \"leader\" is a Raft fact; this lesson's protocol is paxos");
    FAIL_SQ(PAXOS("{'expect': {'committed': []}}"), "\"committed\" is a Raft fact");
    FAIL_SQ(RAFT("{'expect': {'node': 'S1', 'phase': 'idle'}}"),
            "t.json: steps[0].expect: unknown node field \"phase\" (a Paxos field; this lesson's "
            "protocol is raft)");
    FAIL_SQ(RAFT("{'expect': {'node': 'S1', 'leader': 'S1'}}"),
            "t.json: steps[0].expect: \"leader\" is a cluster fact and can't be part of a node "
            "fact");
    FAIL_SQ(RAFT("{'expect': {'node': 'S1'}}"),
            "t.json: steps[0].expect: a node fact needs at least one field besides \"node\"");
    FAIL_SQ(RAFT("{'expect': {'role': 'leader'}}"),
            "t.json: steps[0].expect: node field \"role\" needs the node");
    FAIL_SQ(RAFT("{'expect': {'safe': false}}"), "t.json: steps[0].expect.safe: expected true");
    FAIL_SQ(RAFT("{'expect': {'any': []}}"), "t.json: steps[0].expect.any: expected at least one "
                                             "fact");
    FAIL_SQ(RAFT("{'expect': {'not': {'leader': 'S7'}}}"),
            "t.json: steps[0].expect.not.leader: unknown node \"S7\"");
    FAIL_SQ(RAFT("{'expect': {'node': 'S1', 'term': -1, 'log': [[1, 2]], 'votes': ['S1', "
                 "'S8'], 'next_index': {'S4': 1}, 'up': 'yes'}}"),
            "t.json: steps[0].expect.term: expected an integer >= 0, found -1",
            "t.json: steps[0].expect.log[0][1]: expected a command string, found 2",
            "t.json: steps[0].expect.votes[1]: unknown node \"S8\"",
            "t.json: steps[0].expect.next_index.S4: unknown node \"S4\"",
            "t.json: steps[0].expect.up: expected true or false, found \"yes\"");
    FAIL_SQ(PAXOS("{'expect': {'node': 'S1', 'accepted': {'1': ['2.S9', 'x']}, 'learned': "
                  "{'x': 'v'}, 'phase': 'acept'}}"),
            "t.json: steps[0].expect.accepted.1[0]: unknown node \"S9\"",
            "t.json: steps[0].expect.learned.x: expected a slot number from 1 to 100000 as key",
            "t.json: steps[0].expect.phase: unknown phase \"acept\" (did you mean "
            "\"accept\"?)");
    FAIL_SQ(PAXOS("{'expect': {'chosen': {'slot': 2, 'value': 'x'}}}"),
            "t.json: steps[0].expect.chosen: slot 2: Basic Paxos has only slot 1");
    FAIL_SQ(RAFT("{'expect': {'pending': {'count': -1}}}"),
            "t.json: steps[0].expect.pending.count: expected an integer >= 0, found -1");
    FAIL_SQ(RAFT("{'expect': 'S1 is leader'}"),
            "t.json: steps[0].expect: expected a fact (an object such as {\"node\": \"S1\", "
            "...}), found \"S1 is leader\"");
    FAIL_SQ(RAFT("{'say': 'term {S1.trem} on {S5.term}'}"),
            "t.json: steps[0].say: {S1.trem}: unknown node field \"trem\" (did you mean "
            "\"term\"?)",
            "t.json: steps[0].say: {S5.term}: unknown node \"S5\" (nodes: S1, S2, S3)");
}
END_TEST

START_TEST(test_facts_structs)
{
    struct lesson *l =
        parse_ok(RAFT("{'expect': {'leader': 'S2', 'time': 40, 'safe': true}}, "
                      "{'expect': {'any': [{'leaders_in_term': {'term': 2, 'count': 1}}, "
                      "{'not': {'committed': ['a', 'b']}}]}}, "
                      "{'do': 'run', 'until': {'pending': {'count': 0}}}"));
    const struct fact *f = &l->steps[0].fact;
    ck_assert_int_eq(f->kind, FACT_ALL);
    ck_assert_uint_eq(f->n_kids, 3);
    ck_assert_int_eq(f->kids[0].kind, FACT_LEADER);
    ck_assert_int_eq(f->kids[0].node, 1);
    ck_assert_str_eq(f->kids[0].path, "steps[0].expect.leader");
    ck_assert_int_eq(f->kids[1].kind, FACT_TIME);
    ck_assert_int_eq(f->kids[1].count, 40);
    ck_assert_int_eq(f->kids[2].kind, FACT_SAFE);
    f = &l->steps[1].fact;
    ck_assert_int_eq(f->kind, FACT_ANY);
    ck_assert_int_eq(f->kids[0].kind, FACT_LEADERS_IN_TERM);
    ck_assert_int_eq(f->kids[0].term, 2);
    ck_assert_int_eq(f->kids[0].count, 1);
    ck_assert_int_eq(f->kids[1].kind, FACT_NOT);
    ck_assert_int_eq(f->kids[1].kids[0].kind, FACT_COMMITTED);
    ck_assert_int_eq(cJSON_GetArraySize(f->kids[1].kids[0].value), 2);
    const struct action *a = &l->steps[2].act;
    ck_assert_int_eq(a->kind, ACT_RUN);
    ck_assert_int_eq(a->until->kind, FACT_PENDING);
    ck_assert_int_eq(a->until->filter.type, MSG_NONE);
    ck_assert_int_eq(a->for_ms, -1);
    ck_assert_int_eq(a->max, 10000);
    lesson_free(l);

    l = parse_ok(PAXOS("{'expect': {'chosen': 'blue'}}, {'expect': {'node': 'S2', 'promised': "
                       "'3.S1', 'accepted_ballot': null, 'phase': 'idle'}}"));
    ck_assert_int_eq(l->steps[0].fact.kind, FACT_CHOSEN);
    ck_assert_int_eq(l->steps[0].fact.slot, 1);
    ck_assert_str_eq(l->steps[0].fact.value->valuestring, "blue");
    ck_assert_uint_eq(l->steps[1].fact.n_fields, 3);
    lesson_free(l);
}
END_TEST

START_TEST(test_quiz_and_goal_errors)
{
    FAIL_SQ(RAFT("{'quiz': {'kind': 'choice', 'question': 'q', 'choices': ['a', 'b'], "
                 "'answer': [1, 1]}}"),
            "t.json: steps[0].quiz.answer[1]: choice 1 is listed twice");
    FAIL_SQ(RAFT("{'quiz': {'kind': 'choice', 'question': 'q', 'choices': ['a', 'b'], "
                 "'answer': []}}"),
            "t.json: steps[0].quiz.answer: expected at least one right answer");
    FAIL_SQ(RAFT("{'quiz': {'kind': 'choice', 'question': 'q', 'choices': []}}"),
            "t.json: steps[0].quiz.choices: expected at least one choice",
            "t.json: steps[0].quiz: missing key \"answer\"");
    FAIL_SQ(RAFT("{'quiz': {'kind': 'value', 'question': 'q'}}"),
            "t.json: steps[0].quiz: missing key \"answer\" (a fixed value) or \"field\"");
    FAIL_SQ(RAFT("{'quiz': {'kind': 'value', 'question': 'q', 'answer': 1, 'field': 'S1.term'}}"),
            "t.json: steps[0].quiz: give answer or field, not both");
    FAIL_SQ(RAFT("{'quiz': {'kind': 'value', 'question': 'q', 'field': 'S1'}}"),
            "t.json: steps[0].quiz.field: expected \"NODE.field\" such as \"S3.commit_index\"");
    FAIL_SQ(RAFT("{'quiz': {'kind': 'value', 'question': 'q', 'field': 'S1.promised'}}"),
            "t.json: steps[0].quiz.field: unknown node field \"promised\" (a Paxos field");
    FAIL_SQ(RAFT("{'quiz': {'kind': 'value', 'question': 'q', 'answer': 1, 'choices': ['a']}}"),
            "t.json: steps[0].quiz: \"choices\" is not a key of value quizzes");
    FAIL_SQ(RAFT("{'quiz': {'kind': 'predict', 'question': 'q', 'choices': ['a', 'b'], "
                 "'facts': [null, null, {'leader': 'S1'}], 'answer': 5, 'within': 0}}"),
            "t.json: steps[0].quiz.facts[1]: only one choice can be null",
            "t.json: steps[0].quiz.facts: 3 facts for 2 choices",
            "t.json: steps[0].quiz.answer: there is no choice 5",
            "t.json: steps[0].quiz.within: expected a time in ms from 1");
    FAIL_SQ(RAFT("{'goal': {'until': {'leader': 'S1'}, 'solution': []}}"),
            "t.json: steps[0].goal: missing key \"text\"",
            "t.json: steps[0].goal.solution: expected at least one action");
    FAIL_SQ(RAFT("{'goal': {'text': 't', 'until': {'leader': 'S1'}, 'forbid': ['crash', 'delivr'], "
                 "'max_actions': 1, 'solution': [{'do': 'crash', 'node': 'S1'}, {'do': 'goto', "
                 "'label': 'x'}, {'do': 'heal', 'label': 'y'}]}}"),
            "t.json: steps[0].goal.forbid[1]: unknown action \"delivr\" (did you mean "
            "\"deliver\"?)",
            "t.json: steps[0].goal.solution[0].do: the solution uses \"crash\", which the goal "
            "forbids",
            "t.json: steps[0].goal.solution[1].do: goto can't be part of a goal's solution",
            "t.json: steps[0].goal.solution[2]: unknown argument \"label\" of heal",
            "t.json: steps[0].goal.solution: the solution takes 3 actions, more than "
            "max_actions 1");
}
END_TEST

START_TEST(test_quiz_structs)
{
    struct lesson *l = parse_ok(
        RAFT("{'quiz': {'kind': 'choice', 'question': 'q', 'choices': ['a', 'b', 'c'], "
             "'answer': [2, 0], 'points': 3}}, "
             "{'quiz': {'kind': 'value', 'question': 'q', 'answer': 'S2', 'explain': 'e'}}, "
             "{'quiz': {'kind': 'predict', 'question': 'q', 'choices': ['x', 'y'], "
             "'facts': [{'leader': 'S1'}, null]}}, "
             "{'goal': {'text': 'g', 'until': {'leader': 'S3'}, 'solution': [{'do': 'timeout', "
             "'node': 'S3'}]}}"));
    const struct quiz *q = &l->steps[0].quiz;
    ck_assert(q->multi);
    ck_assert_uint_eq(q->n_answers, 2);
    ck_assert_int_eq(q->answers[0], 2);
    ck_assert_int_eq(q->answers[1], 0);
    ck_assert_int_eq(q->points, 3);
    q = &l->steps[1].quiz;
    ck_assert_str_eq(q->answer_value->valuestring, "S2");
    ck_assert_int_eq(q->field_node, -1);
    ck_assert_str_eq(q->explain, "e");
    q = &l->steps[2].quiz;
    ck_assert_uint_eq(q->n_answers, 0);
    ck_assert_int_eq(q->within, 5000);
    ck_assert_ptr_null(q->facts[1]);
    const struct goal *g = &l->steps[3].goal;
    ck_assert_uint_eq(g->forbid, 0);
    ck_assert_int_eq(g->max_actions, 0);
    ck_assert_uint_eq(g->n_solution, 1);
    lesson_free(l);
}
END_TEST

START_TEST(test_extension_keys_are_ignored)
{
    struct lesson *l = parse_ok(
        "{'format': 1, 'id': 't', 'title': 'T', 'protocol': 'raft', 'x-top': 1, "
        "'cluster': {'nodes': 3, 'x-c': 1, 'options': {'x-o': true}, 'timeouts': {'x-t': 'no'}, "
        "'latency': {'min': 1, 'max': 2, 'x-l': 0}}, "
        "'initial': {'x-i': 1, 'S1': {'term': 1, 'x-s': 2}}, "
        "'steps': [{'say': 'a', 'x-s': 1}, {'do': 'deliver', 'x-d': 1, 'match': {'to': 'S2', "
        "'x-m': 1}}, {'expect': {'node': 'S1', 'term': 1, 'x-f': 1}}, "
        "{'expect': {'leader': null, 'x-f': 1}}, "
        "{'quiz': {'kind': 'value', 'question': 'q', 'answer': 1, 'x-q': 1}}, "
        "{'goal': {'text': 't', 'until': {'leader': 'S1'}, 'x-g': 1, 'solution': [{'do': "
        "'timeout', 'node': 'S1', 'x-a': 1}]}}]}");
    ck_assert_uint_eq(l->steps[1].act.match.n_fields, 0);
    ck_assert_int_eq(l->steps[1].act.match.to, 1);
    ck_assert_uint_eq(l->steps[2].fact.n_fields, 1);
    ck_assert_int_eq(l->steps[3].fact.kind, FACT_LEADER);
    lesson_free(l);
}
END_TEST

/* ---- initial state ---- */

START_TEST(test_initial_structs)
{
    struct lesson *l = parse_ok(RAFT_INIT("{'S1': {'term': 3, 'voted_for': 'S1', 'log': [[1, "
                                          "'x=1'], [1, 'y=2'], [3, 'x=3']]}, 'S3': {'term': 2, "
                                          "'log_terms': [2, 2, 2]}, 'x-note': 'ignored'}"));
    const struct lesson_initial *i = &l->initial[0];
    ck_assert(i->given);
    ck_assert_int_eq(i->term, 3);
    ck_assert_int_eq(i->voted_for, 0);
    ck_assert_uint_eq(i->n_log, 3);
    ck_assert_int_eq(i->log[2].term, 3);
    ck_assert_str_eq(i->log[2].cmd, "x=3");
    ck_assert(!l->initial[1].given);
    i = &l->initial[2];
    ck_assert_int_eq(i->voted_for, -1);
    ck_assert_uint_eq(i->n_log, 3);
    ck_assert_str_eq(i->log[0].cmd, "c1");
    ck_assert_str_eq(i->log[2].cmd, "c3");
    ck_assert_int_eq(i->log[2].term, 2);
    lesson_free(l);

    l = parse_ok(PAXOS_INIT("{'multi': true}", "{'S3': {'promised': '2.S1', 'accepted': {'3': "
                                               "['1.S2', 'c'], '1': ['2.S1', 'blue']}}, 'S2': "
                                               "{'promised': '1.S3'}}"));
    i = &l->initial[2];
    ck_assert_int_eq(i->promised.round, 2);
    ck_assert_int_eq(i->promised.node, 0);
    ck_assert_uint_eq(i->n_accepted, 2);
    ck_assert_int_eq(i->slots[0], 1);
    ck_assert_int_eq(i->accepted[0].ballot.round, 2);
    ck_assert_str_eq(i->accepted[0].value, "blue");
    ck_assert_int_eq(i->slots[1], 3);
    ck_assert_int_eq(i->accepted[1].ballot.node, 1);
    ck_assert_str_eq(i->accepted[1].value, "c");
    ck_assert_int_eq(l->initial[1].promised.node, 2);
    lesson_free(l);
}
END_TEST

START_TEST(test_initial_impossible_states)
{
    FAIL_SQ(RAFT_INIT("{'S1': {'term': 3, 'log': [[1, 'a'], [3, 'b'], [2, 'c']]}}"),
            "t.json: initial.S1.log[2][0]: term 2 after term 3: the terms in a log never "
            "decrease");
    FAIL_SQ(RAFT_INIT("{'S1': {'term': 1, 'log_terms': [1, 2]}}"),
            "t.json: initial.S1.term: term 1 is lower than the last log term 2");
    FAIL_SQ(RAFT_INIT("{'S1': {'log_terms': [2]}}"),
            "t.json: initial.S1: term 0 (not given) is lower than the last log term 2");
    FAIL_SQ(RAFT_INIT("{'S1': {'term': 2, 'voted_for': 'S4'}}"),
            "t.json: initial.S1.voted_for: unknown node \"S4\"");
    FAIL_SQ(RAFT_INIT("{'S1': {'voted_for': 'S2'}}"),
            "t.json: initial.S1.voted_for: a vote in term 0 is impossible");
    FAIL_SQ(RAFT_INIT("{'S1': {'term': -2}}"),
            "t.json: initial.S1.term: expected an integer >= 0, found -2");
    FAIL_SQ(RAFT_INIT("{'S1': {'term': 1, 'log': [[0, 'a']]}}"),
            "t.json: initial.S1.log[0][0]: an entry of term 0 is impossible");
    FAIL_SQ(RAFT_INIT("{'S1': {'term': 1, 'log': [[1, 'a']], 'log_terms': [1]}}"),
            "t.json: initial.S1: give log or log_terms, not both");
    FAIL_SQ(RAFT_INIT("{'S1': {'term': 2, 'log': [[1, 'a'], [2, 'b']]}, 'S2': {'term': 2, "
                      "'log': [[1, 'z'], [2, 'b']]}}"),
            "t.json: initial.S2: S1 and S2 both hold an entry of term 2 at index 2, but their "
            "logs differ at index 1");
    FAIL_SQ(RAFT_INIT("{'S1': {'promised': '1.S1'}, 'S4': {}}"),
            "t.json: initial.S1: \"promised\" is Paxos state; this lesson's protocol is raft",
            "t.json: initial: unknown node \"S4\"");
    FAIL_SQ(PAXOS_INIT("{}", "{'S1': {'promised': '1.S1', 'accepted': {'1': ['2.S1', 'x']}}}"),
            "t.json: initial.S1.accepted.1[0]: accepted ballot 2.S1 is above the promise 1.S1");
    FAIL_SQ(PAXOS_INIT("{}", "{'S1': {'accepted': {'1': ['2.S1', 'x']}}}"),
            "t.json: initial.S1.accepted.1[0]: ballot 2.S1 accepted without a promise");
    FAIL_SQ(PAXOS_INIT("{}", "{'S1': {'promised': '2.S1', 'accepted': {'2': ['2.S1', 'x']}}}"),
            "t.json: initial.S1.accepted.2: slot 2: Basic Paxos has only slot 1");
    FAIL_SQ(PAXOS_INIT("{'multi': true}", "{'S1': {'promised': '2.S1', 'accepted': {'0': "
                                          "['1.S1', 'x']}}}"),
            "t.json: initial.S1.accepted.0: expected a slot number from 1 to 100000 as key, "
            "found \"0\"");
    FAIL_SQ(PAXOS_INIT("{}", "{'S1': {'promised': '0.S1'}, 'S2': {'promised': '1.S9'}, 'S3': "
                             "{'promised': 'high'}}"),
            "t.json: initial.S1.promised: ballot \"0.S1\": rounds start at 1",
            "t.json: initial.S2.promised: unknown node \"S9\"",
            "t.json: initial.S3.promised: expected a ballot \"round.node\"");
    FAIL_SQ(PAXOS_INIT("{}", "{'S1': {'promised': '2.S1', 'accepted': {'1': ['2.S1', 'x']}}, "
                             "'S2': {'promised': '2.S1', 'accepted': {'1': ['2.S1', 'y']}}}"),
            "t.json: initial.S2.accepted.1: S1 accepted \"x\" and S2 accepted \"y\" in slot 1 "
            "with the same ballot 2.S1");
    FAIL_SQ(PAXOS_INIT("{}", "{'S1': {'term': 1}}"),
            "t.json: initial.S1: \"term\" is Raft state; this lesson's protocol is paxos");
    char *big = malloc(20000);
    strcpy(big, "{'format': 1, 'id': 't', 'title': 'T', 'protocol': 'raft', 'cluster': "
                "{'nodes': 3}, 'initial': {'S1': {'term': 1, 'log_terms': [1");
    for (int k = 1; k < 1001; k++)
        strcat(big, ", 1");
    strcat(big, "]}}, 'steps': []}");
    FAIL_SQ(big, "t.json: initial.S1.log_terms: 1001 entries, more than the limit of 1000");
    free(big);
}
END_TEST

/* ---- limits ---- */

static char *nested(int depth)
{
    /* The top-level object is level 1; x- keys are ignored, so only the
     * depth can make this lesson fail. */
    size_t cap = (size_t)depth * 2 + 256;
    char *s = malloc(cap);
    strcpy(s, "{\"format\": 1, \"id\": \"t\", \"title\": \"T\", \"protocol\": \"raft\", "
              "\"cluster\": {\"nodes\": 1}, \"steps\": [], \"x-deep\": ");
    size_t n = strlen(s);
    for (int i = 1; i < depth; i++)
        s[n++] = '[';
    for (int i = 1; i < depth; i++)
        s[n++] = ']';
    s[n++] = '}';
    s[n] = '\0';
    return s;
}

START_TEST(test_depth_limit)
{
    char *ok = nested(32);
    struct lesson *l = parse_ok(ok);
    lesson_free(l);
    free(ok);
    char *bad = nested(33);
    FAIL_RAW(bad, "t.json:1:139: nesting deeper than 32 levels");
    free(bad);
}
END_TEST

static char *many_steps(size_t n)
{
    const char *head = "{\"format\": 1, \"id\": \"t\", \"title\": \"T\", \"protocol\": \"raft\", "
                       "\"cluster\": {\"nodes\": 3}, \"steps\": [";
    const char *step = "{\"say\": \"x\"},";
    char *s = malloc(strlen(head) + n * strlen(step) + 8);
    char *p = stpcpy(s, head);
    for (size_t i = 0; i < n; i++)
        p = stpcpy(p, step);
    if (n)
        p--;
    strcpy(p, "]}");
    return s;
}

START_TEST(test_step_limit)
{
    char *ok = many_steps(10000);
    struct lesson *l = parse_ok(ok);
    ck_assert_uint_eq(l->n_steps, 10000);
    ck_assert_str_eq(l->steps[9999].path, "steps[9999]");
    lesson_free(l);
    free(ok);
    char *bad = many_steps(10001);
    FAIL_RAW(bad, "t.json: steps: 10001 steps, more than the limit of 10000");
    free(bad);
}
END_TEST

START_TEST(test_size_limit)
{
    /* Exactly 1 MiB (padded with spaces) loads; one byte more is refused. */
    const char *body = "{\"format\": 1, \"id\": \"t\", \"title\": \"T\", \"protocol\": \"raft\", "
                       "\"cluster\": {\"nodes\": 3}, \"steps\": []}";
    size_t n = LESSON_MAX_BYTES + 1;
    char *buf = malloc(n + 1);
    memset(buf, ' ', n);
    memcpy(buf, body, strlen(body));
    buf[n] = '\0';
    struct lesson_errors e;
    lesson_errors_init(&e);
    struct lesson *l = NULL;
    ck_assert_int_eq(lesson_parse("t.json", buf, n - 1, &l, &e), 0);
    lesson_free(l);
    const char *const w[] = {"t.json: the file is 1048577 bytes, more than the limit of 1048576 "
                             "(1 MiB)",
                             NULL};
    fail_raw(buf, n, w);

    char path[] = "/tmp/check_lesson_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "wb");
    fwrite(buf, 1, n, f);
    fclose(f);
    ck_assert_int_eq(lesson_load(path, &l, &e), -1);
    ck_assert_ptr_null(l);
    ck_assert_ptr_nonnull(strstr(e.lines[e.n - 1], "the file is 1048577 bytes"));
    remove(path);
    ck_assert_int_eq(lesson_load("/nonexistent/dir/x.json", &l, &e), -1);
    ck_assert_str_eq(e.lines[e.n - 1], "/nonexistent/dir/x.json: No such file or directory");
    lesson_errors_free(&e);
    free(buf);
}
END_TEST

START_TEST(test_string_limit)
{
    char *s = malloc(LESSON_MAX_STRING + 200);
    for (int len = LESSON_MAX_STRING; len <= LESSON_MAX_STRING + 1; len++) {
        char *p = stpcpy(s, "{'format': 1, 'id': 't', 'title': 'T', 'protocol': 'raft', "
                            "'cluster': {'nodes': 3}, 'steps': [{'say': '");
        memset(p, 'x', (size_t)len);
        strcpy(p + len, "'}]}");
        if (len == LESSON_MAX_STRING) {
            struct lesson *l = parse_ok(s);
            ck_assert_uint_eq(strlen(l->steps[0].say), LESSON_MAX_STRING);
            lesson_free(l);
        } else {
            FAIL_SQ(s, "t.json:1:103: steps[0].say: a string of 4097 bytes is longer than the "
                       "limit of 4096");
        }
    }
    free(s);
}
END_TEST

/* ---- actions and learner commands ---- */

static struct lesson *raft_lesson(void)
{
    return parse_ok("{'format': 1, 'id': 't', 'title': 'T', 'protocol': 'raft', 'cluster': "
                    "{'nodes': 5}, 'steps': [{'say': 'a'}, {'label': 'again', 'say': 'b'}]}");
}

static void action_ok(const struct lesson *l, const char *json_sq, struct action *a)
{
    char *json = dq(json_sq);
    struct lesson_errors e;
    lesson_errors_init(&e);
    int rc = lesson_parse_action_json(l, json, a, &e);
    print_errors(&e);
    ck_assert_int_eq(rc, 0);
    lesson_errors_free(&e);
    free(json);
}

static void action_fails(const struct lesson *l, const char *json_sq, const char *want)
{
    char *json = dq(json_sq);
    struct lesson_errors e;
    lesson_errors_init(&e);
    struct action a;
    ck_assert_int_eq(lesson_parse_action_json(l, json, &a, &e), -1);
    if (!has_line(&e, want))
        print_errors(&e);
    ck_assert_msg(has_line(&e, want), "missing error: %s", want);
    lesson_errors_free(&e);
    free(json);
}

START_TEST(test_actions)
{
    struct lesson *l = raft_lesson();
    struct action a;
    action_ok(l,
              "{'do': 'deliver', 'match': {'type': 'AppendEntries', 'from': 'S1', 'to': "
              "'S3', 'term': 2}, 'all': true}",
              &a);
    ck_assert_int_eq(a.kind, ACT_DELIVER);
    ck_assert(a.has_match && a.all);
    ck_assert_int_eq(a.match.type, MSG_APPEND_ENTRIES);
    ck_assert_int_eq(a.match.from, 0);
    ck_assert_int_eq(a.match.to, 2);
    ck_assert_uint_eq(a.match.n_fields, 1);
    ck_assert_int_eq(a.match.fields[0].value->valueint, 2);
    action_ok(l, "{'do': 'drop'}", &a);
    ck_assert(!a.has_match);
    action_ok(l, "{'do': 'step'}", &a);
    ck_assert_int_eq(a.count, 1);
    action_ok(l, "{'do': 'step', 'count': 7}", &a);
    ck_assert_int_eq(a.count, 7);
    action_ok(l, "{'do': 'run', 'for': 20000}", &a);
    ck_assert_int_eq(a.for_ms, 20000);
    ck_assert_int_eq(a.max, 20000);
    ck_assert_ptr_null(a.until);
    action_ok(l, "{'do': 'settle', 'max': 50}", &a);
    ck_assert_int_eq(a.max, 50);
    action_ok(l, "{'do': 'partition', 'groups': [['S1', 'S2'], ['S4']]}", &a);
    ck_assert_int_eq(a.groups[0], 0);
    ck_assert_int_eq(a.groups[1], 0);
    ck_assert_int_eq(a.groups[3], 1);
    ck_assert_int_eq(a.groups[2], 2);
    ck_assert_int_eq(a.groups[4], 2);
    action_ok(l, "{'do': 'cut', 'from': 'S2', 'to': 'S5', 'both': true}", &a);
    ck_assert_int_eq(a.kind, ACT_CUT);
    ck_assert_int_eq(a.from, 1);
    ck_assert_int_eq(a.to, 4);
    ck_assert(a.both);
    action_ok(l, "{'do': 'link', 'from': 'S2', 'to': 'S5'}", &a);
    ck_assert(!a.both);
    action_ok(l, "{'do': 'request', 'node': 'S3', 'command': 'x=1'}", &a);
    ck_assert_int_eq(a.node, 2);
    ck_assert_str_eq(a.text, "x=1");
    action_ok(l, "{'do': 'load', 'every': 20, 'for': 1000}", &a);
    ck_assert_str_eq(a.text, "c");
    ck_assert_int_eq(a.every, 20);
    ck_assert_int_eq(a.for_ms, 1000);
    action_ok(l,
              "{'do': 'set', 'node': 'S2', 'timeout': null, 'options': {'prevote': true, "
              "'check_quorum': false}}",
              &a);
    ck_assert(a.set_has_timeout);
    ck_assert_int_eq(a.set_timeout, -1);
    ck_assert_int_eq(a.node, 1);
    ck_assert_uint_eq(a.set_options_on, OPT_PREVOTE);
    ck_assert_uint_eq(a.set_options_off, OPT_CHECK_QUORUM);
    ck_assert(!a.set_has_election && !a.set_has_heartbeat);
    action_ok(l, "{'do': 'set', 'election_timeout': {'min': 10, 'max': 20}, 'heartbeat': 5}", &a);
    ck_assert_int_eq(a.node, -1);
    ck_assert(a.set_has_election && a.set_has_heartbeat);
    ck_assert_int_eq(a.set_election_min, 10);
    ck_assert_int_eq(a.set_election_max, 20);
    ck_assert_int_eq(a.set_heartbeat, 5);
    action_ok(l, "{'do': 'set', 'node': 'S1', 'timeout': 90}", &a);
    ck_assert_int_eq(a.set_timeout, 90);
    action_ok(l, "{'do': 'goto', 'label': 'again'}", &a);
    ck_assert_int_eq(a.goto_step, 1);
    action_ok(l,
              "{'do': 'inject', 'message': {'type': 'AppendEntries', 'from': 'S1', 'to': "
              "'S2', 'term': 5, 'entries': [[4, 'a'], [5, 'b']], 'leader_commit': 1}}",
              &a);
    ck_assert_int_eq(a.inject.type, MSG_APPEND_ENTRIES);
    ck_assert_int_eq(a.inject.from, 0);
    ck_assert_int_eq(a.inject.to, 1);
    ck_assert_int_eq(a.inject.u.ae.term, 5);
    ck_assert_int_eq(a.inject.u.ae.prev_log_index, 0);
    ck_assert_int_eq(a.inject.u.ae.leader_commit, 1);
    ck_assert_uint_eq(a.inject.u.ae.n_entries, 2);
    ck_assert_str_eq(a.inject.u.ae.entries[1].cmd, "b");
    action_ok(l,
              "{'do': 'inject', 'message': {'type': 'RequestVoteReply', 'from': 'S3', 'to': "
              "'S1', 'term': 2, 'granted': true}}",
              &a);
    ck_assert(a.inject.u.rvr.granted);
    ck_assert(!a.inject.u.rvr.prevote);

    action_fails(l, "{'do': 'delivr'}",
                 "command: do: unknown action \"delivr\" (did you mean \"deliver\"?)");
    action_fails(l, "{'do': 'crash', 'node': 'S6'}", "command: node: unknown node \"S6\"");
    action_fails(l, "{'do': 'goto', 'label': 'agian'}", "command: label: no step has the label");
    action_fails(l, "{'do': 'heal', 'label': 'x'}", "command: unknown argument \"label\" of heal");
    action_fails(l, "{'node': 'S1'}", "command: missing key \"do\"");
    action_fails(l, "{'do': 'crash' 'node': 'S1'}", "command:1:16: missing ','");
    action_fails(l, "{'do': 'propose', 'node': 'S1', 'value': 'v'}",
                 "command: do: \"propose\" is a Paxos action");
    lesson_free(l);

    l = parse_ok(LESSON("paxos", "{'nodes': 3, 'options': {'multi': true}}", ""));
    action_ok(l,
              "{'do': 'inject', 'message': {'type': 'Promise', 'from': 'S2', 'to': 'S1', "
              "'ballot': '3.S1', 'accepted': {'2': ['2.S3', 'y'], '1': ['1.S2', 'x']}}}",
              &a);
    ck_assert_int_eq(a.inject.type, MSG_PROMISE);
    ck_assert_int_eq(a.inject.u.promise.ballot.round, 3);
    ck_assert_int_eq(a.inject.u.promise.ballot.node, 0);
    ck_assert_int_eq(a.inject.u.promise.slot, 0); /* left out: its zero value */
    ck_assert_uint_eq(a.inject.u.promise.n_accepted, 2);
    ck_assert_int_eq(a.inject.u.promise.accepted[0].slot, 1);
    ck_assert_str_eq(a.inject.u.promise.accepted[0].value, "x");
    ck_assert_int_eq(a.inject.u.promise.accepted[1].ballot.node, 2);
    action_ok(l,
              "{'do': 'inject', 'message': {'type': 'Nack', 'from': 'S2', 'to': 'S1', "
              "'ballot': '1.S1', 'promised': '4.S3'}}",
              &a);
    ck_assert_int_eq(a.inject.u.nack.promised.round, 4);
    action_ok(l,
              "{'do': 'inject', 'message': {'type': 'Accept', 'from': 'S1', 'to': 'S2', "
              "'ballot': '1.S1'}}",
              &a);
    ck_assert_ptr_null(a.inject.u.accept.value);
    ck_assert_int_eq(a.inject.u.accept.slot, 0); /* left out: its zero value */
    action_ok(l, "{'do': 'propose', 'node': 'S1', 'value': 'blue'}", &a);
    ck_assert_str_eq(a.text, "blue");
    action_ok(l, "{'do': 'load', 'every': 5, 'for': 50, 'prefix': 'v'}", &a);
    ck_assert_str_eq(a.text, "v");
    action_fails(l, "{'do': 'request', 'node': 'S1', 'command': 'x'}",
                 "command: do: \"request\" is a Raft action");
    lesson_free(l);
}
END_TEST

START_TEST(test_references)
{
    struct lesson *l = parse_ok(LESSON("raft", "{'nodes': ['alice', 'bob']}",
                                       "{'say': 'a {bob.commit_index} b {x} {alice.term}'}"));
    const char *t = l->steps[0].say;
    struct lesson_ref r;
    ck_assert(lesson_next_ref(l, t, &r));
    ck_assert_int_eq(r.node, 1);
    ck_assert_str_eq(r.field, "commit_index");
    ck_assert_int_eq(r.start - t, 2);
    ck_assert_int_eq(*(r.end - 1), '}');
    ck_assert(lesson_next_ref(l, r.end, &r));
    ck_assert_int_eq(r.node, 0);
    ck_assert_str_eq(r.field, "term");
    ck_assert(!lesson_next_ref(l, r.end, &r));
    lesson_free(l);
}
END_TEST

/* ---- SHA-256 (FIPS 180-4 examples and NIST vectors) ---- */

static void check_digest(const void *data, size_t n, const char *hex)
{
    unsigned char d[32];
    char out[65];
    sha256_digest(data, n, d);
    sha256_hex(d, out);
    ck_assert_str_eq(out, hex);
}

/* The vectors hold both ways of computing the rounds (_i 0: portable,
 * 1: the processor's SHA instructions where it has them). */
START_TEST(test_sha256_vectors)
{
    sha256_use_hardware(_i == 1);
    check_digest("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check_digest("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    check_digest(m448, strlen(m448),
                 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    const char *m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjk"
                       "lmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    check_digest(m896, strlen(m896),
                 "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    /* One million 'a', fed in uneven pieces to exercise the buffering. */
    struct sha256 s;
    sha256_init(&s);
    char chunk[997];
    memset(chunk, 'a', sizeof chunk);
    size_t left = 1000000;
    for (size_t k = 1; left; k = k % 997 + 1) {
        size_t n = k < left ? k : left;
        sha256_update(&s, chunk, n);
        left -= n;
    }
    unsigned char d[32];
    char out[65];
    sha256_final(&s, d);
    sha256_hex(d, out);
    ck_assert_str_eq(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    /* Lengths around the padding boundary (55, 56, 64 bytes). */
    char a64[64];
    memset(a64, 'a', sizeof a64);
    check_digest(a64, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    check_digest(a64, 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    check_digest(a64, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}
END_TEST

/* FIPS 180-4 fixes one function: the processor's rounds and the portable
 * ones give the same digest of every length from 0 to 520 bytes, fed
 * whole and in pieces of 1 to 9 bytes. */
START_TEST(test_sha256_processor_rounds_equal_the_portable_ones)
{
    unsigned char data[520];
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof data; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5; /* xorshift32 */
        data[i] = (unsigned char)x;
    }
    for (size_t n = 0; n <= sizeof data; n++) {
        unsigned char want[32], got[32];
        sha256_use_hardware(false);
        sha256_digest(data, n, want);
        sha256_use_hardware(true);
        struct sha256 s;
        sha256_init(&s);
        for (size_t at = 0, k = 1; at < n; at += k, k = k % 9 + 1)
            sha256_update(&s, data + at, k < n - at ? k : n - at);
        sha256_final(&s, got);
        ck_assert_msg(memcmp(want, got, 32) == 0, "%zu bytes", n);
    }
    printf("sha256: the processor's rounds %s\n", sha256_hardware() ? "used" : "absent here");
}
END_TEST

/* ---- the corpus of broken lessons ---- */

START_TEST(test_bad_corpus)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/bad", srcdir());
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot open %s", dir);
    int files = 0;
    struct dirent *ent;
    while ((ent = readdir(d))) {
        size_t n = strlen(ent->d_name);
        if (n < 6 || strcmp(ent->d_name + n - 5, ".json"))
            continue;
        files++;
        char path[8192], exp[8192];
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        snprintf(exp, sizeof exp, "%s/%.*s.expect", dir, (int)(n - 5), ent->d_name);
        struct lesson_errors e;
        lesson_errors_init(&e);
        struct lesson *l = NULL;
        int rc = lesson_load(path, &l, &e);
        ck_assert_msg(rc == -1, "%s was accepted", ent->d_name);
        size_t len;
        char *want = read_file(exp, &len);
        ck_assert_msg(want != NULL, "%s has no .expect file", ent->d_name);
        int lines = 0;
        for (char *line = strtok(want, "\n"); line; line = strtok(NULL, "\n")) {
            if (!*line)
                continue;
            lines++;
            if (!has_line(&e, line)) {
                fprintf(stderr, "%s: missing \"%s\" among:\n", ent->d_name, line);
                print_errors(&e);
            }
            ck_assert_msg(has_line(&e, line), "%s: missing %s", ent->d_name, line);
        }
        ck_assert_msg(lines > 0, "%s is empty", exp);
        free(want);
        lesson_errors_free(&e);
    }
    closedir(d);
    ck_assert_int_ge(files, 30);
}
END_TEST

static Suite *suite_lesson(void)
{
    Suite *s = suite_create("lesson");
    TCase *tc = tcase_create("load");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_example_loads);
    tcase_add_test(tc, test_defaults);
    tcase_add_test(tc, test_cluster_settings);
    tcase_add_test(tc, test_syntax_errors_have_line_and_column);
    tcase_add_test(tc, test_duplicate_keys);
    tcase_add_test(tc, test_invalid_utf8_and_control_characters);
    tcase_add_test(tc, test_text_is_sanitized);
    tcase_add_test(tc, test_unknown_keys_and_did_you_mean);
    tcase_add_test(tc, test_many_errors_at_once);
    tcase_add_test(tc, test_numbers);
    tcase_add_test(tc, test_top_level_and_cluster_errors);
    tcase_add_test(tc, test_steps_and_actions_errors);
    tcase_add_test(tc, test_facts_errors);
    tcase_add_test(tc, test_facts_structs);
    tcase_add_test(tc, test_quiz_and_goal_errors);
    tcase_add_test(tc, test_quiz_structs);
    tcase_add_test(tc, test_extension_keys_are_ignored);
    tcase_add_test(tc, test_initial_structs);
    tcase_add_test(tc, test_initial_impossible_states);
    tcase_add_test(tc, test_depth_limit);
    tcase_add_test(tc, test_step_limit);
    tcase_add_test(tc, test_size_limit);
    tcase_add_test(tc, test_string_limit);
    tcase_add_test(tc, test_actions);
    tcase_add_test(tc, test_references);
    tcase_add_loop_test(tc, test_sha256_vectors, 0, 2);
    tcase_add_test(tc, test_sha256_processor_rounds_equal_the_portable_ones);
    tcase_add_test(tc, test_bad_corpus);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite_lesson());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
