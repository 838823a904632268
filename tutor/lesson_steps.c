/* lesson_steps: the steps of a lesson (say, do, expect, quiz, goal), their
 * labels and gotos, and the actions of `do` steps, goal solutions and the
 * learner's own commands. */
#include <libintl.h>
#include <stdlib.h>
#include <string.h>

#include "tutor/lesson_internal.h"

/* clang-format off */
const char *const lesson_action_names[ACT_COUNT] = {
    [ACT_STEP] = "step",           [ACT_RUN] = "run",           [ACT_SETTLE] = "settle",
    [ACT_DELIVER] = "deliver",     [ACT_DROP] = "drop",         [ACT_DUPLICATE] = "duplicate",
    [ACT_TIMEOUT] = "timeout",     [ACT_CRASH] = "crash",       [ACT_RESTART] = "restart",
    [ACT_PARTITION] = "partition", [ACT_HEAL] = "heal",         [ACT_CUT] = "cut",
    [ACT_LINK] = "link",           [ACT_REQUEST] = "request",   [ACT_PROPOSE] = "propose",
    [ACT_LOAD] = "load",           [ACT_INJECT] = "inject",     [ACT_SET] = "set",
    [ACT_GOTO] = "goto",           [ACT_SNAPSHOT] = "snapshot", [ACT_ADD_SERVER] = "add_server",
    [ACT_REMOVE_SERVER] = "remove_server", [ACT_READ] = "read", [ACT_TRANSFER] = "transfer",
};
/* clang-format on */

static const char *const a_step[] = {"count", NULL};
static const char *const a_run[] = {"until", "for", "max", NULL};
static const char *const a_settle[] = {"max", "count", NULL};
static const char *const a_deliver[] = {"match", "all", NULL};
static const char *const a_duplicate[] = {"match", NULL};
static const char *const a_node[] = {"node", NULL};
static const char *const a_partition[] = {"groups", NULL};
static const char *const a_none[] = {NULL};
static const char *const a_cut[] = {"from", "to", "both", NULL};
static const char *const a_request[] = {"node", "command", "client", "seq", NULL};
static const char *const a_read[] = {"node", "key", NULL};
static const char *const a_transfer[] = {"to", "node", NULL};
static const char *const a_propose[] = {"node", "value", NULL};
static const char *const a_load[] = {"every", "for", "prefix", NULL};
static const char *const a_inject[] = {"message", NULL};
/* set: besides `options`, an option may be named directly ("prevote": true). */
static const char *const a_set[] = {
    "timeouts",  "node",    "timeout",        "options",          "election_timeout",
    "heartbeat", "prevote", "check_quorum",   "noop_on_election", "fast_backup",
    "multi",     "nack",    "snapshot_every", "membership",       "leader_stickiness",
    NULL};
static const char *const set_option_keys[] = {
    "prevote", "check_quorum", "noop_on_election",  "fast_backup", "multi",
    "nack",    "membership",   "leader_stickiness", NULL};
/* clang-format on */
static const char *const a_goto[] = {"label", NULL};
/* add_server / remove_server: node, the server; to (an extension), the
 * node the client asks (default: the one it believes leads). */
static const char *const a_member[] = {"node", "to", NULL};

static const char *const r_node[] = {"node", NULL};
static const char *const r_partition[] = {"groups", NULL};
static const char *const r_cut[] = {"from", "to", NULL};
static const char *const r_request[] = {"node", "command", NULL};
static const char *const r_propose[] = {"node", "value", NULL};
static const char *const r_load[] = {"every", "for", NULL};
static const char *const r_inject[] = {"message", NULL};
static const char *const r_goto[] = {"label", NULL};
static const char *const r_read[] = {"node", "key", NULL};
static const char *const r_transfer[] = {"to", NULL};

static const struct action_spec {
    unsigned proto;
    const char *const *args, *const *required;
} specs[ACT_COUNT] = {
    [ACT_STEP] = {LP_BOTH, a_step, a_none},
    [ACT_RUN] = {LP_BOTH, a_run, a_none},
    [ACT_SETTLE] = {LP_BOTH, a_settle, a_none},
    [ACT_DELIVER] = {LP_BOTH, a_deliver, a_none},
    [ACT_DROP] = {LP_BOTH, a_deliver, a_none},
    [ACT_DUPLICATE] = {LP_BOTH, a_duplicate, a_none},
    [ACT_TIMEOUT] = {LP_BOTH, a_node, r_node},
    [ACT_CRASH] = {LP_BOTH, a_node, r_node},
    [ACT_RESTART] = {LP_BOTH, a_node, r_node},
    [ACT_PARTITION] = {LP_BOTH, a_partition, r_partition},
    [ACT_HEAL] = {LP_BOTH, a_none, a_none},
    [ACT_CUT] = {LP_BOTH, a_cut, r_cut},
    [ACT_LINK] = {LP_BOTH, a_cut, r_cut},
    [ACT_REQUEST] = {LP_RAFT, a_request, r_request},
    [ACT_PROPOSE] = {LP_PAXOS, a_propose, r_propose},
    [ACT_LOAD] = {LP_BOTH, a_load, r_load},
    [ACT_INJECT] = {LP_BOTH, a_inject, r_inject},
    [ACT_SET] = {LP_BOTH, a_set, a_none},
    [ACT_GOTO] = {LP_BOTH, a_goto, r_goto},
    [ACT_SNAPSHOT] = {LP_RAFT, a_node, r_node},
    [ACT_ADD_SERVER] = {LP_RAFT, a_member, r_node},
    [ACT_REMOVE_SERVER] = {LP_RAFT, a_member, r_node},
    [ACT_READ] = {LP_RAFT, a_read, r_read},
    [ACT_TRANSFER] = {LP_RAFT, a_transfer, r_transfer},
};

#define DEFAULT_MAX 10000

static bool read_partition(struct lctx *c, const cJSON *v, const char *path, struct action *out)
{
    if (!lesson_want_array(c, v, path))
        return false;
    if (!v->child) {
        lesson_err(c, path, "expected at least one group (to end a partition, use heal)");
        return false;
    }
    for (int i = 0; i < PROTO_MAX_NODES; i++)
        out->groups[i] = -1;
    bool ok = true;
    int g = 0;
    for (const cJSON *grp = v->child; grp; grp = grp->next, g++) {
        const char *gp = lesson_path_idx(c, path, (size_t)g);
        if (!lesson_want_array(c, grp, gp)) {
            ok = false;
            continue;
        }
        if (!grp->child) {
            lesson_err(c, gp, "an empty group");
            ok = false;
        }
        size_t k = 0;
        for (const cJSON *e = grp->child; e; e = e->next, k++) {
            const char *p = lesson_path_idx(c, gp, k);
            int node = lesson_read_node(c, e, p, false);
            if (node < 0 || !c->nodes_known) {
                ok &= node >= 0;
                continue;
            }
            if (out->groups[node] >= 0) {
                lesson_err(c, p, "%s is already in group %d", c->cfg->names[node],
                           out->groups[node]);
                ok = false;
                continue;
            }
            out->groups[node] = g;
        }
    }
    /* Nodes not listed form one more group. */
    for (int i = 0; i < PROTO_MAX_NODES; i++)
        if (out->groups[i] < 0)
            out->groups[i] = g;
    return ok;
}

static void read_set(struct lctx *c, const cJSON *v, const char *path, struct action *out)
{
    const cJSON *node = lesson_get(v, "node"), *timeout = lesson_get(v, "timeout"),
                *options = lesson_get(v, "options"), *election = lesson_get(v, "election_timeout"),
                *heartbeat = lesson_get(v, "heartbeat"), *timeouts = lesson_get(v, "timeouts");
    /* `timeouts`, as in cluster.timeouts: node -> ms, or null for random again. */
    if (timeouts && lesson_want_object(c, timeouts, lesson_path_key(c, path, "timeouts"))) {
        for (const cJSON *e = timeouts->child; e; e = e->next) {
            const char *p = lesson_path_key(c, lesson_path_key(c, path, "timeouts"), e->string);
            int n = lesson_lookup_node(c, e->string, lesson_path_key(c, path, "timeouts"));
            int64_t ms = -1;
            if (!cJSON_IsNull(e) && !lesson_read_ms(c, e, p, 1, &ms))
                continue;
            if (n >= 0) {
                out->set_timeouts_mask |= 1u << n;
                out->set_timeouts[n] = ms;
            }
        }
    }
    /* Options named directly are read as if they stood in `options`. */
    cJSON *direct = cJSON_CreateObject();
    for (const char *const *k = set_option_keys; *k; k++) {
        const cJSON *o = lesson_get(v, *k);
        if (o)
            cJSON_AddItemReferenceToObject(direct, *k, (cJSON *)o);
    }
    /* snapshot_every (a number) directly or in `options`. */
    if (lesson_get(v, SNAPSHOT_EVERY))
        cJSON_AddItemReferenceToObject(direct, SNAPSHOT_EVERY,
                                       (cJSON *)lesson_get(v, SNAPSHOT_EVERY));
    out->set_has_snapshot_every =
        lesson_read_snapshot_every(c, direct, path, &out->set_snapshot_every) ||
        (options && lesson_read_snapshot_every(c, options, lesson_path_key(c, path, "options"),
                                               &out->set_snapshot_every));
    unsigned direct_on = 0, direct_off = 0;
    if (direct->child) {
        lesson_read_options(c, direct, path, false, &direct_on, &direct_off);
        if (!options)
            options = direct;
    }
    if (node)
        out->node = lesson_read_node(c, node, lesson_path_key(c, path, "node"), false);
    if (!timeout && !options && !election && !heartbeat && !timeouts) {
        lesson_err(c, path,
                   "set needs at least one of timeout, timeouts, options (or an option such as "
                   "\"prevote\"), election_timeout, heartbeat");
        cJSON_Delete(direct);
        return;
    }
    if (node && !timeout && !options)
        lesson_err(c, lesson_path_key(c, path, "node"),
                   "election_timeout and heartbeat apply to every node; \"node\" is only for "
                   "timeout and options");
    if (timeout) {
        const char *p = lesson_path_key(c, path, "timeout");
        out->set_has_timeout = true;
        if (!node)
            lesson_err(c, p, "a fixed timeout is per node: give \"node\"");
        if (cJSON_IsNull(timeout))
            out->set_timeout = -1;
        else
            lesson_read_ms(c, timeout, p, 1, &out->set_timeout);
    }
    if (options && options != direct)
        lesson_read_options(c, options, lesson_path_key(c, path, "options"), false,
                            &out->set_options_on, &out->set_options_off);
    out->set_options_on |= direct_on;
    out->set_options_off |= direct_off;
    cJSON_Delete(direct);
    if (election)
        out->set_has_election =
            lesson_read_range(c, election, lesson_path_key(c, path, "election_timeout"), 1, false,
                              &out->set_election_min, &out->set_election_max);
    if (heartbeat)
        out->set_has_heartbeat = lesson_read_ms(c, heartbeat, lesson_path_key(c, path, "heartbeat"),
                                                1, &out->set_heartbeat);
}

/* request's client session (dissertation §6.3): client and seq come
 * together. */
static void read_session(struct lctx *c, const cJSON *v, const char *path, struct action *out)
{
    const cJSON *client = lesson_get(v, "client"), *seq = lesson_get(v, "seq");
    if (client)
        out->client = lesson_read_word(c, client, lesson_path_key(c, path, "client"), 64);
    if (seq)
        lesson_read_int(c, seq, lesson_path_key(c, path, "seq"), 1, LESSON_MAX_INT, &out->seq);
    if (client && !seq)
        lesson_err(c, path, "request with \"client\" needs \"seq\" (the command's serial number)");
    if (seq && !client)
        lesson_err(c, path, "request with \"seq\" needs \"client\" (whose serial number it is)");
}

static void resolve_goto_now(struct lctx *c, const char *path, struct action *out)
{
    const struct lesson *l = c->lesson;
    for (size_t i = 0; i < l->n_steps; i++)
        if (l->steps[i].label && !strcmp(l->steps[i].label, out->label)) {
            out->goto_step = (int)i;
            return;
        }
    lesson_err(c, path, "no step has the label %s", lesson_quote(c, out->label));
}

static void read_args(struct lctx *c, const cJSON *v, const char *path, struct action *out)
{
    const cJSON *a;
#define ARG(name) ((a = lesson_get(v, name)) != NULL)
#define APATH(name) lesson_path_key(c, path, name)
    switch (out->kind) {
    case ACT_STEP:
        if (ARG("count"))
            lesson_read_int(c, a, APATH("count"), 1, LESSON_MAX_STEP_COUNT, &out->count);
        break;
    case ACT_RUN: {
        bool has_max = false;
        if (ARG("until")) {
            out->until = lesson_alloc(c->a, sizeof *out->until);
            lesson_parse_fact(c, a, APATH("until"), out->until);
        }
        if (ARG("for"))
            lesson_read_duration(c, a, APATH("for"), 0, &out->for_ms);
        if (ARG("max"))
            has_max = lesson_read_duration(c, a, APATH("max"), 1, &out->max);
        if (!out->until && !lesson_get(v, "for"))
            lesson_err(c, path, "run needs \"until\" (a fact) or \"for\" (ms), or both");
        if (has_max && out->for_ms > out->max)
            lesson_err(c, APATH("for"), "for %lld is more than max %lld", (long long)out->for_ms,
                       (long long)out->max);
        if (!has_max && out->for_ms > out->max)
            out->max = out->for_ms;
        break;
    }
    case ACT_SETTLE:
        if (ARG("max"))
            lesson_read_int(c, a, APATH("max"), 1, LESSON_MAX_STEP_COUNT, &out->max);
        if (ARG("count"))
            lesson_read_int(c, a, APATH("count"), 1, LESSON_MAX_STEP_COUNT, &out->settle_count);
        break;
    case ACT_DELIVER:
    case ACT_DROP:
    case ACT_DUPLICATE:
        if (ARG("match")) {
            out->has_match = true;
            lesson_parse_filter(c, a, APATH("match"), &out->match);
        }
        if (ARG("all"))
            lesson_read_bool(c, a, APATH("all"), &out->all);
        break;
    case ACT_TIMEOUT:
    case ACT_CRASH:
    case ACT_RESTART:
    case ACT_SNAPSHOT:
        if (ARG("node"))
            out->node = lesson_read_node(c, a, APATH("node"), false);
        break;
    case ACT_ADD_SERVER:
    case ACT_REMOVE_SERVER:
        if (ARG("node"))
            out->node = lesson_read_node(c, a, APATH("node"), false);
        if (ARG("to"))
            out->to = lesson_read_node(c, a, APATH("to"), false);
        break;
    case ACT_PARTITION:
        if (ARG("groups"))
            read_partition(c, a, APATH("groups"), out);
        break;
    case ACT_HEAL:
        break;
    case ACT_CUT:
    case ACT_LINK:
        if (ARG("from"))
            out->from = lesson_read_node(c, a, APATH("from"), false);
        if (ARG("to"))
            out->to = lesson_read_node(c, a, APATH("to"), false);
        if (ARG("both"))
            lesson_read_bool(c, a, APATH("both"), &out->both);
        if (c->nodes_known && out->from >= 0 && out->from == out->to)
            lesson_err(c, path, "from and to are the same node");
        break;
    case ACT_REQUEST:
    case ACT_PROPOSE: {
        const char *what = out->kind == ACT_REQUEST ? "command" : "value";
        if (ARG("node"))
            out->node = lesson_read_node(c, a, APATH("node"), false);
        if (ARG(what))
            out->text = lesson_read_word(c, a, APATH(what), 0);
        read_session(c, v, path, out);
        break;
    }
    case ACT_READ:
        if (ARG("node"))
            out->node = lesson_read_node(c, a, APATH("node"), false);
        if (ARG("key"))
            out->text = lesson_read_word(c, a, APATH("key"), 0);
        if (out->text && strchr(out->text, '='))
            lesson_err(c, APATH("key"), "a key has no \"=\" (a command KEY=VALUE sets KEY)");
        break;
    case ACT_TRANSFER:
        if (ARG("to"))
            out->to = lesson_read_node(c, a, APATH("to"), false);
        if (ARG("node"))
            out->node = lesson_read_node(c, a, APATH("node"), false);
        if (c->nodes_known && out->node >= 0 && out->node == out->to)
            lesson_err(c, path, "node and to are the same node");
        break;
    case ACT_LOAD:
        out->text = "c";
        if (ARG("every"))
            lesson_read_ms(c, a, APATH("every"), 1, &out->every);
        if (ARG("for"))
            lesson_read_duration(c, a, APATH("for"), 0, &out->for_ms);
        if (ARG("prefix"))
            out->text = lesson_read_word(c, a, APATH("prefix"), 32);
        if (c->proto == LP_PAXOS && !c->multi)
            lesson_err(c, APATH("do"),
                       "load sends Multi-Paxos proposals: set "
                       "cluster.options.multi, or use propose");
        break;
    case ACT_INJECT:
        if (ARG("message"))
            lesson_parse_message(c, a, APATH("message"), &out->inject);
        break;
    case ACT_SET:
        read_set(c, v, path, out);
        break;
    case ACT_GOTO:
        if (ARG("label")) {
            out->label = lesson_read_word(c, a, APATH("label"), 64);
            if (out->label && c->lesson)
                resolve_goto_now(c, APATH("label"), out);
        }
        break;
    case ACT_COUNT:
        break;
    }
#undef ARG
#undef APATH
}

bool lesson_parse_action(struct lctx *c, const cJSON *obj, const char *path,
                         const char *const *extra, struct action *out)
{
    size_t before = c->n_errors;
    memset(out, 0, sizeof *out);
    out->path = path;
    out->count = 1;
    out->for_ms = -1;
    out->max = DEFAULT_MAX;
    out->node = out->from = out->to = -1;
    out->goto_step = -1;
    out->match.type = MSG_NONE;
    out->match.from = out->match.to = -1;
    out->inject.from = out->inject.to = -1;
    if (!lesson_want_object(c, obj, path))
        return false;
    const cJSON *d = lesson_get(obj, "do");
    const char *dpath = lesson_path_key(c, path, "do");
    if (!d) {
        lesson_err(c, path, "missing key \"do\" (an action such as {\"do\": \"deliver\"})");
        return false;
    }
    if (!cJSON_IsString(d)) {
        lesson_err(c, dpath, "expected an action name, found %s", lesson_describe(c, d));
        return false;
    }
    int kind = 0;
    while (kind < ACT_COUNT && strcmp(lesson_action_names[kind], d->valuestring))
        kind++;
    if (kind == ACT_COUNT) {
        const char *const *names = lesson_action_names;
        const char *names_z[ACT_COUNT + 1];
        memcpy(names_z, names, sizeof lesson_action_names);
        names_z[ACT_COUNT] = NULL;
        lesson_err(c, dpath, "unknown action %s%s", lesson_quote(c, d->valuestring),
                   lesson_dym(c, d->valuestring, names_z));
        return false;
    }
    out->kind = (enum action_kind)kind;
    const struct action_spec *sp = &specs[kind];
    if (!(sp->proto & c->proto)) {
        if (kind == ACT_SNAPSHOT)
            lesson_err(c, dpath, "\"snapshot\" is a Raft action (log compaction, §7)");
        if (kind == ACT_ADD_SERVER || kind == ACT_REMOVE_SERVER)
            lesson_err(c, dpath, "\"%s\" is a Raft action (membership changes)",
                       lesson_action_names[kind]);
        else if (kind == ACT_REQUEST)
            lesson_err(c, dpath,
                       "\"request\" is a Raft action; in Paxos a client uses "
                       "\"propose\" with \"node\" and \"value\"");
        else if (kind == ACT_READ || kind == ACT_TRANSFER)
            lesson_err(c, dpath, "\"%s\" is a Raft action", lesson_action_names[kind]);
        else
            lesson_err(c, dpath,
                       "\"propose\" is a Paxos action; in Raft a client uses "
                       "\"request\" with \"node\" and \"command\"");
        return false;
    }
    if (kind == ACT_GOTO && c->in_solution) {
        lesson_err(c, dpath, "goto can't be part of a goal's solution");
        return false;
    }
    /* Every key must be an argument of this action or one of extra. */
    const char *names[24];
    size_t n = 0;
    for (size_t i = 0; sp->args[i]; i++)
        names[n++] = sp->args[i];
    for (size_t i = 0; extra[i]; i++)
        names[n++] = extra[i];
    names[n] = NULL;
    for (const cJSON *e = obj->child; e; e = e->next) {
        if (lesson_is_ext_key(e->string))
            continue;
        bool known = false;
        for (size_t i = 0; names[i] && !known; i++)
            known = !strcmp(names[i], e->string);
        if (!known)
            lesson_err(c, path, "unknown argument %s of %s%s", lesson_quote(c, e->string),
                       lesson_action_names[kind], lesson_dym(c, e->string, names));
    }
    for (size_t i = 0; sp->required[i]; i++)
        if (!lesson_get(obj, sp->required[i]))
            lesson_err(c, path, "%s needs \"%s\"", lesson_action_names[kind], sp->required[i]);
    read_args(c, obj, path, out);
    return c->n_errors == before;
}

/* ---- steps ---- */

static const char *const step_kinds[] = {"say", "do", "expect", "quiz", "goal", "explore", NULL};
static const char *const step_keys[] = {"say",     "do",    "expect", "quiz", "goal",
                                        "explore", "label", "title",  NULL};

static void parse_step(struct lctx *c, const cJSON *v, const char *path, struct step *st)
{
    memset(st, 0, sizeof *st);
    st->path = path;
    if (!cJSON_IsObject(v)) {
        lesson_err(c, path, "expected a step (an object such as {\"say\": \"...\"}), found %s",
                   lesson_describe(c, v));
        return;
    }
    int kind = -1, n_kinds = 0;
    const char *kinds_found[6];
    for (int k = 0; step_kinds[k]; k++)
        if (lesson_get(v, step_kinds[k])) {
            kind = k;
            kinds_found[n_kinds++] = step_kinds[k];
        }
    if (n_kinds == 0) {
        size_t before = c->n_errors;
        lesson_check_keys(c, v, path, step_keys, N_("key"));
        if (c->n_errors == before)
            lesson_err(c, path, "a step needs one of say, do, expect, quiz, goal");
        return;
    }
    if (n_kinds > 1) {
        lesson_err(c, path,
                   "a step has exactly one of say, do, expect, quiz, goal; this one has "
                   "%s and %s",
                   kinds_found[0], kinds_found[1]);
        return;
    }
    const cJSON *label = lesson_get(v, "label"), *title = lesson_get(v, "title");
    /* In {"do": "goto", "label": L}, L is the target: a goto step has no
     * label of its own. */
    const cJSON *d = lesson_get(v, "do");
    bool is_goto = cJSON_IsString(d) && !strcmp(d->valuestring, "goto");
    if (label && !is_goto)
        st->label = lesson_read_word(c, label, lesson_path_key(c, path, "label"), 64);
    if (title)
        st->title = lesson_read_text(c, title, lesson_path_key(c, path, "title"));
    const char *kname = step_kinds[kind];
    const cJSON *body = lesson_get(v, kname);
    const char *bpath = lesson_path_key(c, path, kname);
    static const char *const extra_do[] = {"do", "label", "title", NULL};
    if (kind != 1) {
        const char *own[] = {kname, "label", "title", NULL};
        lesson_check_keys(c, v, path, own, N_("key"));
    }
    switch (kind) {
    case 0:
        st->kind = STEP_SAY;
        st->say = lesson_read_live_text(c, body, bpath);
        break;
    case 1:
        st->kind = STEP_DO;
        lesson_parse_action(c, v, path, extra_do, &st->act);
        break;
    case 2:
        st->kind = STEP_EXPECT;
        lesson_parse_fact(c, body, bpath, &st->fact);
        break;
    case 3:
        st->kind = STEP_QUIZ;
        lesson_parse_quiz(c, body, bpath, &st->quiz);
        break;
    case 4:
        st->kind = STEP_GOAL;
        lesson_parse_goal(c, body, bpath, &st->goal);
        break;
    case 5:
        st->kind = STEP_EXPLORE;
        st->explore = lesson_parse_explore(c, body, bpath);
        break;
    }
}

struct label_ref {
    const char *label;
    size_t step;
};

static int cmp_label(const void *a, const void *b)
{
    const struct label_ref *x = a, *y = b;
    int r = strcmp(x->label, y->label);
    if (r)
        return r;
    return (x->step > y->step) - (x->step < y->step);
}

static void resolve_labels(struct lctx *c, struct lesson *l)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n_steps; i++)
        n += l->steps[i].label != NULL;
    struct label_ref *refs = lesson_alloc_array(c->a, n, sizeof *refs);
    const char **names = lesson_alloc_array(c->a, n + 1, sizeof *names);
    size_t k = 0;
    for (size_t i = 0; i < l->n_steps; i++)
        if (l->steps[i].label)
            refs[k++] = (struct label_ref){l->steps[i].label, i};
    qsort(refs, n, sizeof *refs, cmp_label);
    size_t n_names = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && !strcmp(refs[i].label, refs[i - 1].label)) {
            size_t first = i - 1;
            while (first > 0 && !strcmp(refs[first - 1].label, refs[i].label))
                first--;
            lesson_err(c, lesson_path_key(c, l->steps[refs[i].step].path, "label"),
                       "label %s is already used by %s", lesson_quote(c, refs[i].label),
                       l->steps[refs[first].step].path);
            continue;
        }
        names[n_names++] = refs[i].label;
    }
    names[n_names] = NULL;
    for (size_t i = 0; i < l->n_steps; i++) {
        struct step *st = &l->steps[i];
        if (st->kind != STEP_DO || st->act.kind != ACT_GOTO || !st->act.label)
            continue;
        struct label_ref key = {st->act.label, 0};
        /* The first step with that label (step 0 sorts before any other). */
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (cmp_label(&refs[mid], &key) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < n && !strcmp(refs[lo].label, st->act.label))
            st->act.goto_step = (int)refs[lo].step;
        else
            lesson_err(c, lesson_path_key(c, st->path, "label"), "no step has the label %s%s",
                       lesson_quote(c, st->act.label), lesson_dym(c, st->act.label, names));
    }
}

void lesson_parse_steps(struct lctx *c, const cJSON *v, struct lesson *l)
{
    if (!lesson_want_array(c, v, "steps"))
        return;
    size_t n = (size_t)cJSON_GetArraySize(v);
    if (n > LESSON_MAX_STEPS) {
        lesson_err(c, "steps", "%zu steps, more than the limit of %d", n, LESSON_MAX_STEPS);
        return;
    }
    l->steps = lesson_alloc_array(c->a, n, sizeof *l->steps);
    l->n_steps = n;
    size_t i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++)
        parse_step(c, e, lesson_path_idx(c, "steps", i), &l->steps[i]);
    resolve_labels(c, l);
}

int lesson_parse_action_json(const struct lesson *l, const char *json, struct action *out,
                             struct lesson_errors *errs)
{
    static const char *const extra[] = {"do", NULL};
    size_t before = errs->n;
    memset(out, 0, sizeof *out);
    size_t len = strlen(json);
    if (len > LESSON_MAX_BYTES) {
        lesson_errors_addf(errs, gettext("command: %zu bytes, more than the limit of %d"), len,
                           LESSON_MAX_BYTES);
        return -1;
    }
    bool flawed;
    cJSON *doc = lesson_json_parse("command", json, len, errs, &flawed);
    if (!doc)
        return -1;
    struct lctx c = {
        .file = "command",
        .errs = errs,
        .a = l->arena,
        .proto = l->protocol == PROTO_RAFT ? LP_RAFT : LP_PAXOS,
        .cfg = &l->cfg,
        .nodes_known = true,
        .multi = (l->cfg.options[0] & OPT_MULTI) != 0,
        .roles_given = false,
        .lesson = l,
    };
    lesson_parse_action(&c, doc, "", extra, out);
    if (flawed || errs->n != before) {
        cJSON_Delete(doc);
        memset(out, 0, sizeof *out);
        return -1;
    }
    /* The action's expected values point into doc: it lives with the lesson. */
    lesson_arena_keep_json(l->arena, doc);
    return 0;
}
