/* transcript_md: a transcript as a report a teacher can read — header,
 * summary, the timeline as a table, every quiz, the final state of every
 * node and a space-time diagram in text. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bugs_text.h"
#include "note_text.h"
#include "transcript.h"
#include "transcript_st.h"

/* Text in a table cell or a paragraph: Markdown's and HTML's special
 * characters escaped, newlines as <br>. */
static void md_text(struct sbuf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '|':
        case '\\':
        case '*':
        case '`':
        case '[':
        case ']':
            sbuf_addc(b, '\\');
            sbuf_addc(b, *s);
            break;
        case '<':
            sbuf_add(b, "&lt;");
            break;
        case '>':
            sbuf_add(b, "&gt;");
            break;
        case '&':
            sbuf_add(b, "&amp;");
            break;
        case '\n':
            sbuf_add(b, "<br>");
            break;
        default:
            sbuf_addc(b, *s);
        }
    }
}

/* A value (JSON text, a command) as code; | escaped for tables. */
static void md_code(struct sbuf *b, const char *s)
{
    if (!s || strchr(s, '`') || strchr(s, '\n')) {
        md_text(b, s ? s : "");
        return;
    }
    sbuf_addc(b, '`');
    for (; *s; s++) {
        if (*s == '|')
            sbuf_addc(b, '\\');
        sbuf_addc(b, *s);
    }
    sbuf_addc(b, '`');
}

static const char *node_name(const struct transcript *t, int i)
{
    return i >= 0 && i < t->n_nodes ? t->names[i] : "?";
}

static void ppb_text(struct sbuf *b, uint64_t ppb)
{
    if (!ppb) {
        sbuf_add(b, "0");
        return;
    }
    char d[16];
    snprintf(d, sizeof d, "%09llu", (unsigned long long)(ppb % 1000000000ULL));
    size_t n = strlen(d);
    while (n && d[n - 1] == '0')
        n--;
    d[n] = 0;
    if (ppb >= 1000000000ULL)
        sbuf_add(b, "1");
    else
        sbuf_printf(b, "0.%s", d);
}

static void header(struct sbuf *b, const struct transcript *t)
{
    static const char *const options[] = {
        "prevote", "check_quorum", "noop_on_election", "fast_backup", "multi",
        "nack",    "joint",        "leader_stickiness"};
    const struct transcript_cluster *c = &t->cluster;
    sbuf_add(b, "# Transcript: ");
    md_text(b, t->lesson_title);
    sbuf_add(b, "\n\n| | |\n|---|---|\n| Lesson | ");
    md_text(b, t->lesson_title);
    sbuf_add(b, " (");
    md_code(b, t->lesson_id);
    sbuf_add(b, ", ");
    md_text(b, t->lesson_lang);
    sbuf_add(b, ") |\n| File | ");
    md_code(b, t->lesson_file);
    sbuf_add(b, " |\n| Lesson SHA-256 | ");
    md_code(b, t->sha256);
    sbuf_add(b, " |\n");
    if (t->student) {
        sbuf_add(b, "| Student | ");
        md_text(b, t->student);
        sbuf_add(b, " |\n");
    }
    if (t->date) {
        sbuf_add(b, "| Date | ");
        md_text(b, t->date);
        sbuf_add(b, " |\n");
    }
    sbuf_printf(b, "| Recorded | %s |\n",
                t->mode == TRANSCRIPT_RUN
                    ? "by `tutor run`: the lesson's script, quizzes answered from their keys"
                    : "by the learner, in the terminal UI or the plain mode");
    sbuf_add(b, "| Tool | consensus-tutor ");
    md_text(b, t->tool_version);
    sbuf_printf(b, ", transcript format %d |\n", t->version);
    sbuf_printf(b, "| Cluster | %s, %d node%s:", t->protocol == PROTO_RAFT ? "Raft" : "Paxos",
                t->n_nodes, t->n_nodes == 1 ? "" : "s");
    for (int i = 0; i < t->n_nodes; i++)
        sbuf_printf(b, "%s %s", i ? "," : "", t->names[i]);
    sbuf_printf(b, "; seed %llu |\n| Network | latency ", (unsigned long long)c->seed);
    if (c->latency_min == c->latency_max)
        sbuf_printf(b, "%lld ms", (long long)c->latency_min);
    else
        sbuf_printf(b, "%lld–%lld ms", (long long)c->latency_min, (long long)c->latency_max);
    sbuf_add(b, ", loss ");
    ppb_text(b, c->loss_ppb);
    sbuf_add(b, ", duplicate ");
    ppb_text(b, c->duplicate_ppb);
    sbuf_printf(b, " |\n| Timers | %s %lld–%lld ms, heartbeat %lld ms",
                t->protocol == PROTO_RAFT ? "election timeout" : "retry timeout",
                (long long)c->election_min, (long long)c->election_max, (long long)c->heartbeat);
    bool any = false;
    for (int i = 0; i < t->n_nodes; i++)
        if (c->timeouts[i] >= 0) {
            sbuf_printf(b, "%s %s %lld ms", any ? "," : "; fixed:", t->names[i],
                        (long long)c->timeouts[i]);
            any = true;
        }
    sbuf_add(b, " |\n| Options | ");
    any = false;
    for (size_t k = 0; k < sizeof options / sizeof options[0]; k++)
        if (c->options & (1u << k)) {
            sbuf_printf(b, "%s%s", any ? ", " : "", options[k]);
            any = true;
        }
    sbuf_add(b, any ? " |\n" : "none |\n");
    if (c->bugs) {
        sbuf_add(b, "| Bugs | ");
        bugs_text(c->bugs, b);
        sbuf_add(b, " |\n");
    }
    if (c->roles) {
        const bool *sets[3] = {c->proposer, c->acceptor, c->learner};
        const char *names[3] = {"proposers", "acceptors", "learners"};
        sbuf_add(b, "| Roles | ");
        for (int r = 0; r < 3; r++) {
            sbuf_printf(b, "%s%s:", r ? "; " : "", names[r]);
            for (int i = 0; i < t->n_nodes; i++)
                if (sets[r][i])
                    sbuf_printf(b, " %s", t->names[i]);
        }
        sbuf_add(b, " |\n");
    }
}

/* A fault the learner or the script injected, read from an action line
 * in the feed's language. */
static bool is_fault(int action)
{
    static const int faults[] = {NOTE_ACTION_CRASH,    NOTE_ACTION_PARTITION, NOTE_ACTION_CUT,
                                 NOTE_ACTION_CUT_BOTH, NOTE_ACTION_DROP,      NOTE_ACTION_DUPLICATE,
                                 NOTE_ACTION_INJECT};
    for (size_t i = 0; i < sizeof faults / sizeof *faults; i++)
        if (faults[i] == action)
            return true;
    return false;
}

static void summary(struct sbuf *b, const struct transcript *t, const struct st_view *v)
{
    const struct transcript_end *end = &t->end;
    sbuf_printf(b, "\n## Summary\n\n- **Steps recorded:** %zu (the lesson has %zu step%s)\n", t->n,
                t->lesson_steps, t->lesson_steps == 1 ? "" : "s");
    if (t->has_end)
        sbuf_printf(
            b, "- **Virtual time:** %lld ms; %llu event%s; %llu operation%s in the history\n",
            (long long)end->time, (unsigned long long)end->events, end->events == 1 ? "" : "s",
            (unsigned long long)end->ops, end->ops == 1 ? "" : "s");
    size_t n_faults = 0;
    struct sbuf list, what;
    sbuf_init(&list);
    sbuf_init(&what);
    for (size_t k = 0; k < t->n; k++)
        for (size_t i = 0; i < t->e[k].n_lines; i++) {
            const struct transcript_line *l = &t->e[k].lines[i];
            sbuf_reset(&what);
            if (!is_fault(transcript_line_action(t, l, &what, NULL)))
                continue;
            if (++n_faults <= 20) {
                sbuf_add(&list, n_faults > 1 ? "; " : " — ");
                md_text(&list, what.s);
                sbuf_printf(&list, " (step %zu)", k + 1);
            }
        }
    sbuf_printf(b, "- **Faults injected:** %zu%s", n_faults, list.s);
    if (n_faults > 20)
        sbuf_printf(b, "; and %zu more", n_faults - 20);
    sbuf_free(&list);
    sbuf_free(&what);
    sbuf_printf(b, "\n- **Messages lost or dropped:** %zu\n", v->n_lost);
    if (t->has_end) {
        sbuf_add(b, "- **Leaders per term:** ");
        if (!end->n_leaders)
            sbuf_add(b, "none");
        for (size_t i = 0; i < end->n_leaders; i++) {
            bool same = i && end->leaders[i - 1].term == end->leaders[i].term;
            if (same)
                sbuf_printf(b, " and %s", node_name(t, end->leaders[i].node));
            else
                sbuf_printf(b, "%sterm %lld: %s", i ? "; " : "", (long long)end->leaders[i].term,
                            node_name(t, end->leaders[i].node));
        }
        sbuf_add(b, t->protocol == PROTO_RAFT ? "\n- **Committed:** " : "\n- **Chosen:** ");
        size_t shown = 0;
        for (size_t i = 0; i < end->n_committed; i++) {
            if (t->protocol == PROTO_PAXOS && !end->committed[i])
                continue;
            sbuf_add(b, shown++ ? ", " : "");
            if (t->protocol == PROTO_PAXOS)
                sbuf_printf(b, "slot %zu ", i + 1);
            md_code(b, end->committed[i]);
        }
        if (!shown)
            sbuf_add(b, "nothing");
        sbuf_add(b, "\n- **Safety:** ");
        if (end->safe) {
            sbuf_add(b, "every invariant held");
        } else {
            sbuf_add(b, "**violated**: ");
            md_text(b, end->violation);
        }
        sbuf_add(b, "\n");
    }
    if (t->mode == TRANSCRIPT_RUN) {
        size_t passed = 0, failed = 0;
        for (size_t k = 0; k < t->n; k++)
            for (size_t i = 0; i < t->e[k].n_checks; i++)
                t->e[k].checks[i].ok ? passed++ : failed++;
        sbuf_printf(b, "- **Checks:** %zu passed, %zu failed\n", passed, failed);
    }
    int score = t->n ? t->e[t->n - 1].score : 0, total = t->n ? t->e[t->n - 1].total : 0;
    sbuf_printf(b, "- **Score:** %d/%d (quizzes and goals)\n", score, total);
}

/* The learner's inputs in words, then what they did. */
static void input_text(struct sbuf *out, const struct transcript *t,
                       const struct transcript_entry *e)
{
    struct sbuf b;
    sbuf_init(&b);
    for (size_t k = 0; k < e->n_in; k++) {
        const struct transcript_in *in = &e->in[k];
        /* Actions and messages are said by the action below. */
        if (in->kind == TI_SCRIPT || in->kind == TI_ACTION || in->kind == TI_MESSAGE)
            continue;
        if (b.len)
            sbuf_add(&b, ", ");
        switch (in->kind) {
        case TI_CHOICE:
            sbuf_printf(&b, "choice %d", in->choice + 1);
            break;
        case TI_VALUE:
            sbuf_add(&b, "answer ");
            md_code(&b, in->text);
            break;
        case TI_SEEK:
            sbuf_printf(&b, "move to position %llu", (unsigned long long)in->pos);
            break;
        case TI_BRANCH:
            sbuf_printf(&b, "switch to branch %llu", (unsigned long long)in->branch + 1);
            break;
        default:
            sbuf_add(&b, transcript_input_names[in->kind]);
            break;
        }
    }
    sbuf_add(out, b.s);
    struct sbuf did;
    sbuf_init(&did);
    transcript_entry_action(t, e, &did); /* from its notes, in the language shown */
    if (did.len) {
        sbuf_add(out, b.len ? ": " : "");
        md_text(out, did.s);
    } else if (!b.len) {
        sbuf_add(out, "—");
    }
    sbuf_free(&did);
    sbuf_free(&b);
}

static void happened(struct sbuf *b, const struct transcript *t, const struct transcript_entry *e)
{
    size_t sent = 0, delivered = 0, shown = 0;
    for (size_t i = 0; i < e->n_lines; i++) {
        const struct transcript_line *l = &e->lines[i];
        if (l->kind == FEED_SEND) {
            sent++;
            continue;
        }
        if (l->kind == FEED_DELIVER) {
            delivered++;
            continue;
        }
        if (l->kind == FEED_ACTION)
            continue;
        if (shown++ >= 40) {
            continue;
        }
        sbuf_add(b, shown > 1 ? "<br>" : "");
        if (l->node >= 0)
            sbuf_printf(b, "%s: ", node_name(t, l->node));
        md_text(b, l->text);
    }
    if (shown > 40)
        sbuf_printf(b, "<br>… %zu more lines", shown - 40);
    if (sent || delivered)
        sbuf_printf(b, "%s%zu sent, %zu delivered", shown ? "<br>" : "", sent, delivered);
    if (e->has_quiz)
        sbuf_printf(b, "%squiz %s: %d/%d", shown || sent || delivered ? "<br>" : "",
                    e->quiz.right ? "right" : "wrong", e->quiz.points, e->quiz.of);
    for (size_t i = 0; i < e->n_checks; i++)
        if (!e->checks[i].ok) {
            sbuf_add(b, "<br>**check failed:** ");
            md_text(b, e->checks[i].detail);
        }
}

static void timeline(struct sbuf *b, const struct transcript *t)
{
    sbuf_add(b, "\n## Timeline\n\n| # | ms | Lesson step | By | Input and action | What happened "
                "| State changed | Safe |\n|--:|--:|---|---|---|---|---|:-:|\n");
    for (size_t k = 0; k < t->n; k++) {
        const struct transcript_entry *e = &t->e[k];
        sbuf_printf(b, "| %zu | %lld | ", k + 1, (long long)e->time);
        if (e->at >= 0)
            sbuf_printf(b, "%ld %s", e->at + 1, e->step_kind);
        else
            sbuf_add(b, "end");
        if (e->title) {
            sbuf_add(b, ": *");
            md_text(b, e->title);
            sbuf_add(b, "*");
        }
        sbuf_printf(b, " | %s | ", e->learner ? "learner" : "script");
        input_text(b, t, e);
        sbuf_add(b, " | ");
        happened(b, t, e);
        sbuf_add(b, " | ");
        for (size_t i = 0; i < e->n_changes; i++) {
            const struct transcript_change *c = &e->changes[i];
            sbuf_printf(b, "%s%s.%s ", i ? "<br>" : "", node_name(t, c->node), c->field);
            md_code(b, c->from);
            sbuf_add(b, " → ");
            md_code(b, c->to);
        }
        sbuf_printf(b, " | %s |\n", e->safe ? "yes" : "**no**");
    }
}

static const char *attempt_result(const struct transcript_quiz *q)
{
    return q->retry ? "wrong, a second try allowed" : q->right ? "right" : "wrong";
}

/* Each quiz once, in the order first answered, with every attempt in
 * order (a retry, or the same quiz answered again after stepping back),
 * the final result and the points it earned (points count once). */
static void quizzes(struct sbuf *b, const struct transcript *t)
{
    sbuf_add(b, "\n## Quizzes\n");
    size_t n = 0;
    for (size_t k = 0; k < t->n; k++) {
        const struct transcript_entry *e = &t->e[k];
        if (!e->has_quiz)
            continue;
        const struct transcript_quiz *q = &e->quiz;
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = t->e[j].has_quiz && !strcmp(t->e[j].quiz.path, q->path);
        if (seen)
            continue;
        sbuf_printf(b, "\n### %zu. Quiz at lesson step %s (%s)\n\n", ++n, q->path, q->kind);
        sbuf_add(b, "**Question:** ");
        md_text(b, q->question);
        sbuf_add(b, "\n\n| Try | Timeline step | Answer given | Result |\n|---|---|---|---|\n");
        const struct transcript_quiz *last = q;
        int points = 0, tries = 0;
        for (size_t j = k; j < t->n; j++) {
            const struct transcript_quiz *a = &t->e[j].quiz;
            if (!t->e[j].has_quiz || strcmp(a->path, q->path))
                continue;
            sbuf_printf(b, "| %d | %zu | ", ++tries, j + 1);
            md_text(b, a->given);
            sbuf_printf(b, " | %s |\n", attempt_result(a));
            points += a->points;
            last = a;
        }
        sbuf_add(b, "\n**Right answer:** ");
        md_text(b, last->answer);
        sbuf_printf(b, "  \n**Result:** %s, %d of %d point%s\n", last->right ? "right" : "wrong",
                    points, last->of, last->of == 1 ? "" : "s");
    }
    if (!n)
        sbuf_add(b, "\nNo quiz was answered.\n");
}

static void final_state(struct sbuf *b, const struct transcript *t)
{
    const struct transcript_end *end = &t->end;
    if (!t->has_end)
        return;
    sbuf_printf(b,
                "\n## Final state\n\nAt %lld ms, history position %llu of %llu; %llu "
                "message%s in flight.\n\n| Field |",
                (long long)end->time, (unsigned long long)end->pos, (unsigned long long)end->ops,
                (unsigned long long)end->pending, end->pending == 1 ? "" : "s");
    for (int n = 0; n < t->n_nodes; n++)
        sbuf_printf(b, " %s |", t->names[n]);
    sbuf_add(b, "\n|---|");
    for (int n = 0; n < t->n_nodes; n++)
        sbuf_add(b, "---|");
    sbuf_add(b, "\n");
    /* Every node has the same fields (one engine). */
    for (size_t k = 0; t->n_nodes && k < end->n_fields[0]; k++) {
        const char *field = end->fields[0][k];
        sbuf_printf(b, "| %s |", field);
        for (int n = 0; n < t->n_nodes; n++) {
            const char *val = NULL;
            for (size_t j = 0; j < end->n_fields[n] && !val; j++)
                if (!strcmp(end->fields[n][j], field))
                    val = end->values[n][j];
            sbuf_add(b, " ");
            md_code(b, val ? val : "");
            sbuf_add(b, " |");
        }
        sbuf_add(b, "\n");
    }
}

#define LANE_W 12
#define LEFT 8

static size_t lane_col(int node)
{
    return LEFT + (size_t)node * LANE_W + 1;
}

/* One row of the text diagram: the lanes, what the event draws on them,
 * and its description. */
static void diagram_row(struct sbuf *b, const struct transcript *t, const struct st_event *ev,
                        const bool *up)
{
    size_t width = lane_col(t->n_nodes - 1) + 2;
    char *row = malloc(width + 1);
    if (!row)
        abort();
    memset(row, ' ', width);
    row[width] = 0;
    for (int i = 0; i < t->n_nodes; i++)
        row[lane_col(i)] = up[i] ? '|' : ':';
    struct sbuf desc;
    sbuf_init(&desc);
    switch (ev->kind) {
    case ST_MSG: {
        size_t a = lane_col(ev->from), z = lane_col(ev->node);
        bool lost = ev->fate != ST_DELIVERED;
        if (a != z) {
            bool right = z > a;
            size_t lo = right ? a + 1 : z + 1, hi = right ? z - 1 : a - 1;
            for (size_t c = lo; c <= hi; c++)
                row[c] = '-';
            row[a] = 'o';
            row[right ? z - 1 : z + 1] = lost ? 'x' : right ? '>' : '<';
            const char *ab = st_type_abbrev(ev->type);
            size_t len = strlen(ab);
            if (hi >= lo && hi - lo + 1 >= len + 4) {
                size_t at = lo + (hi - lo + 1 - len) / 2;
                memcpy(row + at, ab, len);
            }
        } else {
            row[a] = lost ? 'x' : 'o';
        }
        sbuf_printf(&desc, "#%llu %s %s->%s", (unsigned long long)ev->msg, ev->type,
                    node_name(t, ev->from), node_name(t, ev->node));
        if (ev->send_time != ev->time)
            sbuf_printf(&desc, " (sent at %lld)", (long long)ev->send_time);
        if (lost)
            sbuf_printf(&desc, ": %s", ev->why ? ev->why : "lost");
        break;
    }
    case ST_TIMER:
        row[lane_col(ev->node)] = '*';
        sbuf_printf(&desc, "%s's timer", node_name(t, ev->node));
        break;
    case ST_CRASH:
        row[lane_col(ev->node)] = 'X';
        sbuf_printf(&desc, "%s crashes", node_name(t, ev->node));
        break;
    case ST_RESTART:
        row[lane_col(ev->node)] = '^';
        sbuf_printf(&desc, "%s restarts", node_name(t, ev->node));
        break;
    case ST_LEADER:
        row[lane_col(ev->node)] = 'L';
        sbuf_printf(&desc, "%s leads", node_name(t, ev->node));
        if (ev->term >= 0)
            sbuf_printf(&desc, " term %lld", (long long)ev->term);
        break;
    }
    char time[16];
    snprintf(time, sizeof time, "%6lld", (long long)ev->time);
    memcpy(row, time, strlen(time));
    sbuf_add(b, row);
    sbuf_printf(b, "  %s\n", desc.s);
    sbuf_free(&desc);
    free(row);
}

static void diagram(struct sbuf *b, const struct transcript *t, const struct st_view *v)
{
    sbuf_add(b, "\n## Space-time diagram\n\nTime flows down, one column per node (`:` while "
                "it is down). `o--AE-->` a message delivered at the arrow's end, `x` lost or "
                "dropped, `*` a timer, `X` a crash, `^` a restart, `L` a new leader. Messages "
                "are drawn when they arrive; the note says when they were sent.\n\n```text\n");
    size_t width = lane_col(t->n_nodes - 1) + 2;
    char *head = malloc(width + 1);
    if (!head)
        abort();
    memset(head, ' ', width);
    head[width] = 0;
    memcpy(head + 3, "ms", 2);
    for (int i = 0; i < t->n_nodes; i++) {
        size_t n = strlen(t->names[i]), at = lane_col(i) - n / 2;
        memcpy(head + at, t->names[i], n);
    }
    size_t end = width;
    while (end && head[end - 1] == ' ')
        end--;
    head[end] = 0;
    sbuf_printf(b, "%s\n", head);
    free(head);
    bool up[PROTO_MAX_NODES];
    for (int i = 0; i < PROTO_MAX_NODES; i++)
        up[i] = true;
    size_t entry = (size_t)-1, in_flight = 0;
    for (size_t i = 0; i < v->n; i++) {
        const struct st_event *ev = &v->ev[i];
        if (ev->kind == ST_MSG && ev->fate == ST_IN_FLIGHT) {
            in_flight++;
            continue;
        }
        if (ev->entry != entry) {
            entry = ev->entry;
            if (entry)
                sbuf_printf(b, "  ----- step %zu\n", entry);
            else
                sbuf_add(b, "  ----- start\n");
        }
        if (ev->kind == ST_RESTART)
            up[ev->node] = true;
        diagram_row(b, t, ev, up);
        if (ev->kind == ST_CRASH)
            up[ev->node] = false;
    }
    if (!v->n)
        sbuf_add(b, "  (no message, timer or crash)\n");
    sbuf_add(b, "```\n");
    if (in_flight) {
        sbuf_printf(b, "\nStill in flight at the end (%zu):", in_flight);
        for (size_t i = 0; i < v->n; i++) {
            const struct st_event *ev = &v->ev[i];
            if (ev->kind == ST_MSG && ev->fate == ST_IN_FLIGHT)
                sbuf_printf(b, " #%llu %s %s→%s (sent at %lld);", (unsigned long long)ev->msg,
                            ev->type, node_name(t, ev->from), node_name(t, ev->node),
                            (long long)ev->send_time);
        }
        b->s[b->len - 1] = '.';
        sbuf_add(b, "\n");
    }
}

void transcript_write_md(const struct transcript *t, struct sbuf *b)
{
    struct st_view v;
    st_build(t, &v);
    header(b, t);
    summary(b, t, &v);
    timeline(b, t);
    quizzes(b, t);
    final_state(b, t);
    diagram(b, t, &v);
    st_free(&v);
}
