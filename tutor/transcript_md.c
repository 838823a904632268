/* transcript_md: a transcript as a report a teacher can hand back — a
 * header table (who, what, when), the summary, every quiz once with its
 * attempts, the goals, the timeline of the run as it ended, the final
 * state of every node, a space-time diagram in text and, in an appendix,
 * the branches the learner left behind (transcript_kept.h). Every heading
 * and fixed phrase goes through the gettext catalog. */
#include <libintl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bugs_text.h"
#include "i18n.h"
#include "lesson_sandbox.h"
#include "note_text.h"
#include "transcript.h"
#include "transcript_kept.h"
#include "transcript_st.h"

/* A sandbox's title in the export's language (its record keeps the
 * English one). */
static const char *shown_title(const struct transcript *t)
{
    static char buf[160];
    return lesson_shown_title(t->lesson_id, t->lesson_title, buf, sizeof buf);
}

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

#define gettext_noop(s) s /* marked for xgettext, looked up when written */

/* Punctuation between the parts of a sentence, in the interface language
 * (Chinese: full-width). */
static const char *semi(void)
{
    return ui_pgettext("transcript", "; ");
}

static const char *comma(void)
{
    return ui_pgettext("transcript", ", ");
}

/* " (%s)": an aside after what it qualifies. */
static const char *paren(void)
{
    return ui_pgettext("transcript", " (%s)");
}

/* A choice or predict quiz's answer as the record keeps it (the choices'
 * words joined by ", ", or "(none)", or "none of these": what verify
 * compares, so the same in every language), shown in the language of the
 * export: the two words translated, the joiner as the language joins. A
 * value quiz's answer is JSON text and shown as it is. */
static void md_answer(struct sbuf *b, const struct transcript_quiz *q, const char *words)
{
    if (!words || !strcmp(q->kind, "value")) {
        md_text(b, words);
        return;
    }
    if (!strcmp(words, "(none)")) {
        md_text(b, gettext("(none)"));
        return;
    }
    if (!strcmp(words, "none of these")) {
        md_text(b, ui_tr(UI_MSG_NONE_OF_THESE));
        return;
    }
    struct sbuf joined;
    sbuf_init(&joined);
    for (const char *p = words; *p;) {
        const char *sep = strstr(p, ", ");
        size_t n = sep ? (size_t)(sep - p) : strlen(p);
        sbuf_addn(&joined, p, n);
        if (!sep)
            break;
        /* Chinese choices hold "，" themselves: "；" keeps them apart. */
        sbuf_add(&joined, ui_pgettext("choices", ", "));
        p = sep + 2;
    }
    md_text(b, joined.s);
    sbuf_free(&joined);
}

/* A header row: its label through the catalog. */
static void row(struct sbuf *b, const char *label)
{
    sbuf_printf(b, "| %s | ", label);
}

static void header(struct sbuf *b, const struct transcript *t)
{
    static const char *const options[] = {
        "prevote", "check_quorum", "noop_on_election", "fast_backup", "multi",
        "nack",    "joint",        "leader_stickiness"};
    const struct transcript_cluster *c = &t->cluster;
    sbuf_printf(b, "# %s", gettext("Transcript: "));
    md_text(b, shown_title(t));
    sbuf_add(b, "\n\n");
    /* First thing a grader reads: nobody answered these quizzes. */
    if (t->mode == TRANSCRIPT_RUN)
        sbuf_printf(
            b, "> **%s**\n\n",
            gettext("Recorded by `tutor run`: the lesson's script answered every quiz from its "
                    "key. This is not a learner's work."));
    sbuf_add(b, "| | |\n|---|---|\n");
    row(b, gettext("Student"));
    if (t->student)
        md_text(b, t->student);
    else
        sbuf_add(b, gettext("(not given)"));
    sbuf_add(b, " |\n");
    row(b, gettext("Exported"));
    md_text(b, t->date ? t->date : "—");
    sbuf_add(b, " |\n");
    row(b, gettext("Lesson"));
    md_text(b, shown_title(t));
    sbuf_add(b, " |\n");
    row(b, gettext("Lesson id"));
    md_code(b, t->lesson_id);
    sbuf_add(b, " |\n");
    row(b, gettext("Language"));
    md_text(b, t->lesson_lang);
    sbuf_add(b, " |\n");
    row(b, gettext("File"));
    md_code(b, t->lesson_file);
    sbuf_add(b, " |\n");
    row(b, gettext("Lesson SHA-256"));
    md_code(b, t->sha256);
    sbuf_add(b, " |\n");
    row(b, gettext("Recorded"));
    sbuf_printf(
        b, "%s |\n",
        t->mode == TRANSCRIPT_RUN
            ? gettext("by `tutor run`: the lesson's script, quizzes answered from their keys")
            : gettext("by the learner, in the terminal UI or the plain mode"));
    row(b, gettext("Tool"));
    sbuf_add(b, "consensus-tutor ");
    md_text(b, t->tool_version);
    sbuf_add(b, comma());
    sbuf_printf(b, gettext("transcript format %d"), t->version);
    sbuf_add(b, " |\n");
    row(b, gettext("Cluster"));
    sbuf_printf(b, ngettext("%s, %d node:", "%s, %d nodes:", (unsigned long)t->n_nodes),
                t->protocol == PROTO_RAFT ? "Raft" : "Paxos", t->n_nodes);
    for (int i = 0; i < t->n_nodes; i++)
        sbuf_printf(b, "%s %s", i ? "," : "", t->names[i]);
    sbuf_add(b, semi());
    sbuf_printf(b, gettext("seed %llu"), (unsigned long long)c->seed);
    sbuf_add(b, " |\n");
    row(b, gettext("Network"));
    sbuf_add(b, gettext("latency"));
    if (c->latency_min == c->latency_max)
        sbuf_printf(b, " %lld ms", (long long)c->latency_min);
    else
        sbuf_printf(b, " %lld–%lld ms", (long long)c->latency_min, (long long)c->latency_max);
    sbuf_printf(b, "%s%s ", comma(), gettext("loss"));
    ppb_text(b, c->loss_ppb);
    sbuf_printf(b, "%s%s ", comma(), gettext("duplicate"));
    ppb_text(b, c->duplicate_ppb);
    sbuf_add(b, " |\n");
    row(b, gettext("Timers"));
    sbuf_printf(b, "%s %lld–%lld ms%s%s %lld ms",
                t->protocol == PROTO_RAFT ? gettext("election timeout") : gettext("retry timeout"),
                (long long)c->election_min, (long long)c->election_max, comma(),
                gettext("heartbeat"), (long long)c->heartbeat);
    bool any = false;
    for (int i = 0; i < t->n_nodes; i++)
        if (c->timeouts[i] >= 0) {
            if (!any)
                sbuf_printf(b, "%s%s", semi(), gettext("fixed:"));
            sbuf_printf(b, "%s %s %lld ms", any ? "," : "", t->names[i], (long long)c->timeouts[i]);
            any = true;
        }
    sbuf_add(b, " |\n");
    row(b, gettext("Options"));
    any = false;
    for (size_t k = 0; k < sizeof options / sizeof options[0]; k++)
        if (c->options & (1u << k)) {
            sbuf_printf(b, "%s%s", any ? ", " : "", options[k]);
            any = true;
        }
    sbuf_printf(b, "%s |\n", any ? "" : gettext("none"));
    if (c->bugs) {
        sbuf_printf(b, "| %s | ", gettext("Bugs"));
        bugs_text(c->bugs, b);
        sbuf_add(b, " |\n");
    }
    if (c->roles) {
        const bool *sets[3] = {c->proposer, c->acceptor, c->learner};
        const char *names[3] = {gettext("proposers"), gettext("acceptors"), gettext("learners")};
        row(b, gettext("Roles"));
        for (int r = 0; r < 3; r++) {
            sbuf_printf(b, "%s%s%s", r ? semi() : "", names[r], ui_pgettext("transcript", ":"));
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

static void summary(struct sbuf *b, const struct transcript *t, const struct st_view *v,
                    const struct transcript_kept *kept)
{
    const struct transcript_end *end = &t->end;
    sbuf_printf(b, "\n## %s\n\n- **%s** ", gettext("Summary"), gettext("Steps recorded:"));
    sbuf_printf(b, gettext("%zu, of which %zu on the run as it ended"), t->n, kept->n_kept);
    if (kept->n_abandoned || kept->n_moves) {
        sbuf_add(b, semi());
        sbuf_printf(b,
                    gettext("%zu on branches left behind and %zu moves in the history (appendix)"),
                    kept->n_abandoned, kept->n_moves);
    }
    char has[64];
    snprintf(has, sizeof has,
             ngettext("the lesson has %zu step", "the lesson has %zu steps", t->lesson_steps),
             t->lesson_steps);
    sbuf_printf(b, paren(), has);
    sbuf_add(b, "\n");
    if (t->has_end) {
        sbuf_printf(b, "- **%s** %lld ms%s", gettext("Virtual time:"), (long long)end->time,
                    semi());
        sbuf_printf(b, ngettext("%llu event", "%llu events", (unsigned long)end->events),
                    (unsigned long long)end->events);
        sbuf_add(b, semi());
        sbuf_printf(b,
                    ngettext("%llu operation in the history", "%llu operations in the history",
                             (unsigned long)end->ops),
                    (unsigned long long)end->ops);
        sbuf_add(b, "\n");
    }
    size_t n_faults = 0;
    struct sbuf list, what;
    sbuf_init(&list);
    sbuf_init(&what);
    for (size_t k = 0; k < t->n; k++)
        for (size_t i = 0; i < t->e[k].n_lines; i++) {
            const struct transcript_line *l = &t->e[k].lines[i];
            sbuf_reset(&what);
            if (!is_fault(transcript_line_action(t, l, &what, NULL)) ||
                !transcript_kept_line(kept, k, i))
                continue;
            if (++n_faults <= 20) {
                char step[48];
                snprintf(step, sizeof step, gettext("step %zu"), k + 1);
                sbuf_add(&list, n_faults > 1 ? semi() : " — ");
                md_text(&list, what.s);
                sbuf_printf(&list, paren(), step);
            }
        }
    sbuf_printf(b, "- **%s** %zu%s", gettext("Faults injected:"), n_faults, list.s);
    if (n_faults > 20) {
        sbuf_add(b, semi());
        sbuf_printf(b, gettext("and %zu more"), n_faults - 20);
    }
    sbuf_free(&list);
    sbuf_free(&what);
    uint64_t elided = 0, elided_lost = 0;
    for (size_t k = 0; k < t->n; k++)
        if (kept->entry[k] == TK_KEPT) {
            elided += t->e[k].elided.n;
            elided_lost += t->e[k].elided.kinds[FEED_LOST];
        }
    sbuf_printf(b, "\n- **%s** %llu\n", gettext("Messages lost or dropped:"),
                (unsigned long long)(v->n_lost + elided_lost));
    if (elided) {
        sbuf_printf(b, "- **%s** %llu", gettext("Feed lines left out of the record:"),
                    (unsigned long long)elided);
        char why[256];
        snprintf(why, sizeof why,
                 gettext("a step keeps its first %d and last %d lines; verify compares the "
                         "rest by their SHA-256"),
                 TRANSCRIPT_KEEP_HEAD, TRANSCRIPT_KEEP_TAIL);
        sbuf_printf(b, paren(), why);
        sbuf_add(b, "\n");
    }
    if (t->has_end) {
        sbuf_printf(b, "- **%s** ", gettext("Leaders per term:"));
        if (!end->n_leaders)
            sbuf_add(b, gettext("none"));
        for (size_t i = 0; i < end->n_leaders; i++) {
            bool same = i && end->leaders[i - 1].term == end->leaders[i].term;
            if (same) {
                sbuf_printf(b, gettext(" and %s"), node_name(t, end->leaders[i].node));
            } else {
                sbuf_add(b, i ? semi() : "");
                sbuf_printf(b, gettext("term %lld: %s"), (long long)end->leaders[i].term,
                            node_name(t, end->leaders[i].node));
            }
        }
        sbuf_printf(b, "\n- **%s** ",
                    t->protocol == PROTO_RAFT ? gettext("Committed:") : gettext("Chosen:"));
        size_t shown = 0;
        for (size_t i = 0; i < end->n_committed; i++) {
            if (t->protocol == PROTO_PAXOS && !end->committed[i])
                continue;
            sbuf_add(b, shown++ ? comma() : "");
            if (t->protocol == PROTO_PAXOS) {
                sbuf_printf(b, gettext("slot %zu"), i + 1);
                sbuf_add(b, " ");
            }
            md_code(b, end->committed[i]);
        }
        if (!shown)
            sbuf_add(b, gettext("nothing"));
        sbuf_printf(b, "\n- **%s** ", gettext("Safety:"));
        if (end->safe) {
            sbuf_add(b, gettext("every invariant held"));
        } else {
            sbuf_printf(b, "**%s** ", gettext("violated:"));
            md_text(b, end->violation);
        }
        sbuf_add(b, "\n");
    }
    if (t->mode == TRANSCRIPT_RUN) {
        size_t passed = 0, failed = 0;
        for (size_t k = 0; k < t->n; k++)
            for (size_t i = 0; i < t->e[k].n_checks; i++)
                t->e[k].checks[i].ok ? passed++ : failed++;
        sbuf_printf(b, "- **%s** ", gettext("Checks:"));
        sbuf_printf(b, gettext("%zu passed, %zu failed"), passed, failed);
        sbuf_add(b, "\n");
    }
    int score = t->n ? t->e[t->n - 1].score : 0, total = t->n ? t->e[t->n - 1].total : 0;
    sbuf_printf(b, "- **%s** %d/%d", gettext("Score:"), score, total);
    sbuf_printf(b, paren(),
                t->mode == TRANSCRIPT_RUN ? gettext("quizzes answered from their keys")
                                          : gettext("quizzes and goals"));
    sbuf_add(b, "\n");
}

/* A lesson step's or a quiz's kind, as the lesson format names it, in
 * the interface language (an unknown word stays as it is). */
static const char *kind_word(const char *kind)
{
    static const char *const words[][2] = {
        {"say", NC_("step kind", "say")},         {"do", NC_("step kind", "do")},
        {"expect", NC_("step kind", "expect")},   {"quiz", NC_("step kind", "quiz")},
        {"goal", NC_("step kind", "goal")},       {"end", NC_("step kind", "end")},
        {"choice", NC_("step kind", "choice")},   {"value", NC_("step kind", "value")},
        {"predict", NC_("step kind", "predict")},
    };
    for (size_t i = 0; kind && i < sizeof words / sizeof words[0]; i++)
        if (!strcmp(words[i][0], kind))
            return ui_pgettext("step kind", words[i][1]);
    return kind ? kind : "";
}

/* An input that is no action, in words (gettext_noop: looked up when
 * written). */
static const char *input_word(enum transcript_input_kind k)
{
    static const char *const words[TI_COUNT] = {
        [TI_SCRIPT] = gettext_noop("the script"),
        [TI_CONTINUE] = gettext_noop("continue"),
        [TI_SKIP_GOTO] = gettext_noop("skip the goto"),
        [TI_SUBMIT] = gettext_noop("submit"),
        [TI_HINT] = gettext_noop("hint"),
        [TI_GIVE_UP] = gettext_noop("give up"),
        [TI_EXPLORE] = gettext_noop("run the explorer"),
    };
    return words[k] ? gettext(words[k]) : transcript_input_names[k];
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
            sbuf_printf(&b, gettext("choice %d"), in->choice + 1);
            break;
        case TI_VALUE:
            sbuf_printf(&b, "%s ", gettext("answer"));
            md_code(&b, in->text);
            break;
        case TI_SEEK:
            sbuf_printf(&b, gettext("move to position %llu"), (unsigned long long)in->pos);
            break;
        case TI_BRANCH:
            sbuf_printf(&b, gettext("switch to branch %llu"), (unsigned long long)in->branch + 1);
            break;
        default:
            sbuf_add(&b, input_word(in->kind));
            break;
        }
    }
    sbuf_add(out, b.s);
    struct sbuf did;
    sbuf_init(&did);
    /* From its notes, in the language shown, joined as that language joins. */
    transcript_entry_action_joined(t, e, semi(), &did);
    if (did.len) {
        sbuf_add(out, b.len ? ui_pgettext("transcript", ": ") : ""); /* Chinese: "：" */
        md_text(out, did.s);
    } else if (!b.len) {
        sbuf_add(out, "—");
    }
    sbuf_free(&did);
    sbuf_free(&b);
}

/* What step k did, from its feed lines on the line shown (all of them in
 * the appendix). */
static void happened(struct sbuf *b, const struct transcript *t, size_t k,
                     const struct transcript_kept *kept)
{
    const struct transcript_entry *e = &t->e[k];
    bool all = kept->entry[k] != TK_KEPT;
    size_t sent = 0, delivered = 0, shown = 0;
    for (size_t i = 0; i < e->n_lines; i++) {
        const struct transcript_line *l = &e->lines[i];
        if (!all && !transcript_kept_line(kept, k, i))
            continue;
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
            sbuf_printf(b, ui_pgettext("transcript", "%s: "), node_name(t, l->node));
        md_text(b, l->text);
    }
    if (e->elided.n && !all) { /* the lines left out of the record, by kind */
        const uint64_t *n = e->elided.kinds;
        sent += n[FEED_SEND];
        delivered += n[FEED_DELIVER];
        shown += e->elided.n - n[FEED_SEND] - n[FEED_DELIVER] - n[FEED_ACTION];
    }
    if (shown > 40) {
        /* Chinese puts the count in parentheses: an ellipsis may not
         * begin a line there. */
        sbuf_add(b, "<br>");
        sbuf_printf(b, gettext("… %zu more lines"), shown - 40);
    }
    if (sent || delivered) {
        sbuf_add(b, shown ? "<br>" : "");
        sbuf_printf(b, gettext("%zu sent, %zu delivered"), sent, delivered);
    }
    if (e->has_quiz) {
        sbuf_add(b, shown || sent || delivered ? "<br>" : "");
        sbuf_printf(b, e->quiz.right ? gettext("quiz right: %d/%d") : gettext("quiz wrong: %d/%d"),
                    e->quiz.points, e->quiz.of);
    }
    for (size_t i = 0; i < e->n_checks; i++)
        if (!e->checks[i].ok) {
            sbuf_printf(b, "<br>**%s** ", gettext("check failed:"));
            md_text(b, e->checks[i].detail);
        }
}

/* The node fields as the run stood after each step: a step's changes
 * are recorded against the step before it, which may be one left behind;
 * the timeline of the run as it ended shows what changed since the
 * previous step on it (every step's changes replayed in order). */
struct field_val {
    int node;
    const char *field;
    const char *now;   /* after the last step replayed */
    const char *shown; /* after the last step shown */
};

struct fields {
    struct field_val *v;
    size_t n, cap;
    size_t done; /* steps replayed */
};

static struct field_val *field_at(struct fields *fs, int node, const char *field, const char *init)
{
    for (size_t i = 0; i < fs->n; i++)
        if (fs->v[i].node == node && !strcmp(fs->v[i].field, field))
            return &fs->v[i];
    if (fs->n == fs->cap) {
        fs->cap = fs->cap ? fs->cap * 2 : 32;
        fs->v = realloc(fs->v, fs->cap * sizeof *fs->v);
        if (!fs->v)
            abort();
    }
    fs->v[fs->n] = (struct field_val){node, field, init, init};
    return &fs->v[fs->n++];
}

static void fields_since(struct sbuf *b, const struct transcript *t, struct fields *fs, size_t k)
{
    for (; fs->done <= k; fs->done++) {
        const struct transcript_entry *e = &t->e[fs->done];
        for (size_t i = 0; i < e->n_changes; i++)
            field_at(fs, e->changes[i].node, e->changes[i].field, e->changes[i].from)->now =
                e->changes[i].to;
    }
    size_t shown = 0;
    for (size_t i = 0; i < fs->n; i++) {
        struct field_val *f = &fs->v[i];
        if (!strcmp(f->now, f->shown))
            continue;
        sbuf_printf(b, "%s%s.%s ", shown++ ? "<br>" : "", node_name(t, f->node), f->field);
        md_code(b, f->shown);
        sbuf_add(b, " → ");
        md_code(b, f->now);
        f->shown = f->now;
    }
}

static void fields_free(struct fields *fs)
{
    free(fs->v);
}

/* The timeline's table, of the steps whose place is where (the run as it
 * ended, or what it left behind). */
static void steps_table(struct sbuf *b, const struct transcript *t,
                        const struct transcript_kept *kept, bool run)
{
    sbuf_printf(b, "| # | ms | %s | %s | %s | %s | %s | %s |\n|--:|--:|---|---|---|---|---|:-:|\n",
                gettext("Lesson step"), gettext("By"), gettext("Input and action"),
                gettext("What happened"), gettext("State changed"), gettext("Safe"));
    struct fields fs = {0};
    for (size_t k = 0; k < t->n; k++) {
        const struct transcript_entry *e = &t->e[k];
        if ((kept->entry[k] == TK_KEPT) != run)
            continue;
        sbuf_printf(b, "| %zu | %lld | ", k + 1, (long long)e->time);
        if (e->at >= 0)
            sbuf_printf(b, "%ld %s", e->at + 1, kind_word(e->step_kind));
        else
            sbuf_add(b, gettext("end"));
        if (e->title) {
            sbuf_add(b, ui_pgettext("transcript", ": *")); /* Chinese: "：*" */
            md_text(b, e->title);
            sbuf_add(b, "*");
        }
        sbuf_printf(b, " | %s | ", e->learner ? gettext("learner") : gettext("script"));
        if (!run)
            sbuf_printf(b, "*%s* ",
                        kept->entry[k] == TK_MOVE ? gettext("(move in the history)")
                                                  : gettext("(left behind)"));
        input_text(b, t, e);
        sbuf_add(b, " | ");
        happened(b, t, k, kept);
        sbuf_add(b, " | ");
        if (run) {
            fields_since(b, t, &fs, k);
        } else {
            for (size_t i = 0; i < e->n_changes; i++) {
                const struct transcript_change *c = &e->changes[i];
                sbuf_printf(b, "%s%s.%s ", i ? "<br>" : "", node_name(t, c->node), c->field);
                md_code(b, c->from);
                sbuf_add(b, " → ");
                md_code(b, c->to);
            }
        }
        sbuf_printf(b, " | %s |\n", e->safe ? gettext("yes") : gettext("**no**"));
    }
    fields_free(&fs);
}

static void timeline(struct sbuf *b, const struct transcript *t, const struct transcript_kept *kept)
{
    sbuf_printf(
        b, "\n## %s\n\n%s\n\n", gettext("Timeline"),
        gettext("The run as it ended: the steps on the branch of the history that led to the "
                "end, in order."));
    steps_table(b, t, kept, true);
}

/* Branches left behind and the moves between them, in their own appendix. */
static void appendix(struct sbuf *b, const struct transcript *t, const struct transcript_kept *kept)
{
    if (!kept->n_abandoned && !kept->n_moves)
        return;
    sbuf_printf(
        b, "\n## %s\n\n%s\n\n", gettext("Appendix: branches left behind"),
        gettext("Steps the learner took and then left by stepping back and acting again (or by "
                "returning to the lesson), and the moves in the history. They are not part of "
                "the run above and are not drawn in the diagram; verify replays them all, "
                "since the run as it ended was reached through them."));
    steps_table(b, t, kept, false);
}

static const char *attempt_result(const struct transcript_quiz *q)
{
    return q->retry   ? gettext("wrong, a second try allowed")
           : q->right ? gettext("right")
                      : gettext("wrong");
}

/* Each quiz once, in the order first answered, with every attempt in
 * order (a retry, or the same quiz answered again after stepping back),
 * the final result and the points it earned (points count once). */
static void quizzes(struct sbuf *b, const struct transcript *t, const struct transcript_kept *kept)
{
    sbuf_printf(b, "\n## %s\n", gettext("Quizzes"));
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
        sbuf_printf(b, "\n### %zu. ", ++n);
        /* Numbered from 1, as the lesson's header counts its steps
         * ("step 5/9"); a path of another form is shown as it is. */
        unsigned long at;
        char end;
        if (sscanf(q->path, "steps[%lu%c", &at, &end) == 2 && end == ']')
            sbuf_printf(b, gettext("Quiz at lesson step %lu (%s)"), at + 1, kind_word(q->kind));
        else
            sbuf_printf(b, gettext("Quiz at lesson step %s (%s)"), q->path, kind_word(q->kind));
        sbuf_printf(b, "\n\n**%s** ", gettext("Question:"));
        md_text(b, q->question);
        sbuf_printf(b, "\n\n| %s | %s | %s | %s |\n|---|---|---|---|\n", gettext("Try"),
                    gettext("Timeline step"), gettext("Answer given"), gettext("Result"));
        const struct transcript_quiz *last = q;
        int points = 0, tries = 0;
        for (size_t j = k; j < t->n; j++) {
            const struct transcript_quiz *a = &t->e[j].quiz;
            if (!t->e[j].has_quiz || strcmp(a->path, q->path))
                continue;
            sbuf_printf(b, "| %d | %zu | ", ++tries, j + 1);
            md_answer(b, a, a->given);
            sbuf_printf(b, " | %s%s%s |\n", attempt_result(a), kept->entry[j] == TK_KEPT ? "" : " ",
                        kept->entry[j] == TK_KEPT ? "" : gettext("(on a branch left behind)"));
            points += a->points;
            last = a;
        }
        sbuf_printf(b, "\n**%s** ", gettext("Right answer:"));
        md_answer(b, last, last->answer);
        sbuf_printf(b, "  \n**%s** ", gettext("Result:"));
        sbuf_printf(b,
                    ngettext("%s, %d of %d point", "%s, %d of %d points", (unsigned long)last->of),
                    last->right ? gettext("right") : gettext("wrong"), points, last->of);
        sbuf_add(b, "\n");
    }
    if (!n)
        sbuf_printf(b, "\n%s\n", gettext("No quiz was answered."));
}

/* An action that counts against a goal's budget (time passing is free:
 * lesson_action_counts), for records without the goal's own count. */
static bool counts_as_action(const struct transcript_in *in)
{
    if (in->kind == TI_MESSAGE)
        return true;
    if (in->kind != TI_ACTION || !in->text)
        return false;
    static const char *const free_kinds[] = {"\"step\"", "\"run\"", "\"settle\""};
    const char *d = strstr(in->text, "\"do\"");
    d = d ? strchr(d + 4, '"') : NULL;
    for (size_t i = 0; d && i < sizeof free_kinds / sizeof *free_kinds; i++)
        if (!strncmp(d, free_kinds[i], strlen(free_kinds[i])))
            return false;
    return true;
}

/* Each goal the run reached: the actions the learner spent on it (on the
 * run as it ended), its budget, and how it ended. */
static void goals(struct sbuf *b, const struct transcript *t, const struct transcript_kept *kept)
{
    sbuf_printf(b, "\n## %s\n\n", gettext("Goals"));
    size_t n = 0;
    for (size_t k = 0; k < t->n; k++) {
        long at = t->e[k].at;
        if (at < 0 || strcmp(t->e[k].step_kind, "goal"))
            continue;
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = t->e[j].at == at && !strcmp(t->e[j].step_kind, "goal");
        if (seen)
            continue;
        if (!n++)
            sbuf_printf(b, "| %s | %s | %s | %s |\n|---|--:|--:|---|\n", gettext("Goal"),
                        gettext("Actions used"), gettext("Budget"), gettext("Outcome"));
        /* A goal given up counts the attempt that was left (the solution
         * plays from the goal's start, so the attempt is a branch left
         * behind); otherwise the actions on the run as it ended. */
        /* The goal's own count when the record has it (what the UI
         * showed: an action that changed nothing costs nothing), else the
         * inputs that count. */
        int used = 0, tried = 0, counted_used = -1, counted_tried = -1;
        bool given_up = false, reached = false, script = false;
        for (size_t j = k; j < t->n; j++) {
            const struct transcript_entry *e = &t->e[j];
            if (e->at != at)
                continue;
            bool kept_step = kept->entry[j] == TK_KEPT, gives_up = false;
            for (size_t i = 0; i < e->n_in; i++) {
                if (!given_up)
                    tried += counts_as_action(&e->in[i]);
                used += kept_step && counts_as_action(&e->in[i]);
                gives_up |= kept_step && e->in[i].kind == TI_GIVE_UP;
                script |= e->in[i].kind == TI_SCRIPT;
            }
            if (!given_up && !gives_up && e->goal_actions >= 0) {
                counted_tried = e->goal_actions; /* the count as the learner gave up */
                if (kept_step)
                    counted_used = e->goal_actions;
            }
            given_up |= gives_up;
            reached |= kept_step && e->state && !strcmp(e->state, "goal_done");
        }
        if (given_up)
            used = counted_tried >= 0 ? counted_tried : tried;
        else if (counted_used >= 0)
            used = counted_used;
        const struct step *st =
            t->lesson && (size_t)at < t->lesson->n_steps ? &t->lesson->steps[at] : NULL;
        sbuf_add(b, "| ");
        sbuf_printf(b, gettext("step %ld"), at + 1);
        if (t->e[k].title) {
            sbuf_add(b, ui_pgettext("transcript", ": *")); /* Chinese: "：*" */
            md_text(b, t->e[k].title);
            sbuf_add(b, "*");
        }
        sbuf_printf(b, " | %d | ", used);
        if (st && st->kind == STEP_GOAL && st->goal.max_actions > 0)
            sbuf_printf(b, "%d", st->goal.max_actions);
        else
            sbuf_add(b, st ? gettext("no limit") : "—");
        sbuf_printf(b, " | %s |\n",
                    script     ? gettext("solution played by the script (no points)")
                    : given_up ? gettext("given up: the solution played (no points)")
                    : reached  ? gettext("reached")
                               : gettext("not reached"));
    }
    if (!n)
        sbuf_printf(b, "%s\n", gettext("The run came to no goal of the lesson."));
}

static void final_state(struct sbuf *b, const struct transcript *t)
{
    const struct transcript_end *end = &t->end;
    if (!t->has_end)
        return;
    sbuf_printf(b, "\n## %s\n\n", gettext("Final state"));
    sbuf_printf(b, gettext("At %lld ms, history position %llu of %llu."), (long long)end->time,
                (unsigned long long)end->pos, (unsigned long long)end->ops);
    sbuf_add(b, " ");
    sbuf_printf(b,
                ngettext("%llu message in flight.", "%llu messages in flight.",
                         (unsigned long)end->pending),
                (unsigned long long)end->pending);
    sbuf_printf(b, "\n\n| %s |", gettext("Field"));
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
            sbuf_printf(&desc, gettext(" (sent at %lld)"), (long long)ev->send_time);
        if (lost)
            sbuf_printf(&desc, ": %s", ev->why ? ev->why : gettext("lost"));
        break;
    }
    case ST_TIMER:
        row[lane_col(ev->node)] = '*';
        sbuf_printf(&desc, gettext("%s's timer"), node_name(t, ev->node));
        break;
    case ST_CRASH:
        row[lane_col(ev->node)] = 'X';
        sbuf_printf(&desc, gettext("%s crashes"), node_name(t, ev->node));
        break;
    case ST_RESTART:
        row[lane_col(ev->node)] = '^';
        sbuf_printf(&desc, gettext("%s restarts"), node_name(t, ev->node));
        break;
    case ST_NET:
        for (size_t c = lane_col(0) + 1; c < lane_col(t->n_nodes - 1); c++)
            if (row[c] == ' ')
                row[c] = '~';
        sbuf_add(&desc, ev->why ? ev->why : "");
        break;
    case ST_LEADER:
        row[lane_col(ev->node)] = 'L';
        if (ev->term >= 0)
            sbuf_printf(&desc, gettext("%s leads term %lld"), node_name(t, ev->node),
                        (long long)ev->term);
        else
            sbuf_printf(&desc, gettext("%s leads"), node_name(t, ev->node));
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
    sbuf_printf(
        b, "\n## %s\n\n%s\n\n```text\n", gettext("Space-time diagram"),
        gettext("The run as it ended. Time flows down, one column per node (`:` while it is "
                "down). `o--AE-->` a message delivered at the arrow's end, `x` lost or dropped, "
                "`*` a timer, `X` a crash, `^` a restart, `L` a new leader, `~~~` the network "
                "changed (a partition, a heal, a link cut or restored). Messages are drawn when "
                "they arrive; the note says when they were sent."));
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
            sbuf_add(b, "  ----- ");
            if (entry)
                sbuf_printf(b, gettext("step %zu"), entry);
            else
                sbuf_add(b, gettext("start"));
            sbuf_add(b, "\n");
        }
        if (ev->kind == ST_RESTART)
            up[ev->node] = true;
        diagram_row(b, t, ev, up);
        if (ev->kind == ST_CRASH)
            up[ev->node] = false;
    }
    if (!v->n)
        sbuf_printf(b, "  %s\n", gettext("(no message, timer or crash)"));
    sbuf_add(b, "```\n");
    if (in_flight) {
        sbuf_add(b, "\n");
        sbuf_printf(b, gettext("Still in flight at the end (%zu):"), in_flight);
        size_t listed = 0;
        for (size_t i = 0; i < v->n; i++) {
            const struct st_event *ev = &v->ev[i];
            if (ev->kind == ST_MSG && ev->fate == ST_IN_FLIGHT) {
                /* Chinese: "；" between them, "。" after the last. */
                sbuf_add(b, listed++ ? ui_pgettext("transcript", ";") : "");
                sbuf_printf(b, " #%llu %s %s→%s", (unsigned long long)ev->msg, ev->type,
                            node_name(t, ev->from), node_name(t, ev->node));
                sbuf_printf(b, gettext(" (sent at %lld)"), (long long)ev->send_time);
            }
        }
        sbuf_add(b, ui_pgettext("transcript", "."));
        sbuf_add(b, "\n");
    }
}

/* Chinese typography (issue 13): no ASCII space after full-width
 * punctuation (U+3000-U+303F, U+FF00-U+FF0F, U+FF1A-U+FF20), also where a
 * bold label ends ("**记录的步数：** 23"); code spans are left alone. */
static void tidy_spaces(struct sbuf *b, size_t from)
{
    size_t w = from;
    bool code = false;
    for (size_t r = from; r < b->len; r++) {
        unsigned char c = (unsigned char)b->s[r];
        if (c == '`')
            code = !code;
        else if (c == '\n')
            code = false;
        b->s[w++] = b->s[r];
        if (code || c < 0xe3 || r + 2 >= b->len)
            continue;
        unsigned char c1 = (unsigned char)b->s[r + 1], c2 = (unsigned char)b->s[r + 2];
        unsigned cp = ((c & 0x0fu) << 12) | ((c1 & 0x3fu) << 6) | (c2 & 0x3fu);
        bool full = (c & 0xf0) == 0xe0 &&
                    ((cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xff00 && cp <= 0xff0f) ||
                     (cp >= 0xff1a && cp <= 0xff20));
        if (!full)
            continue;
        b->s[w++] = (char)c1;
        b->s[w++] = (char)c2;
        r += 2;
        size_t k = r + 1;
        if (k + 1 < b->len && b->s[k] == '*' && b->s[k + 1] == '*') {
            b->s[w++] = '*';
            b->s[w++] = '*';
            k += 2;
        }
        r = k - 1;
        /* A table's cell border and a hard line break ("  \n") stay. */
        if (k + 1 < b->len && b->s[k] == ' ' && !strchr(" |\n", b->s[k + 1]))
            r = k;
    }
    b->len = w;
    b->s[w] = 0;
}

void transcript_write_md(const struct transcript *t, struct sbuf *b)
{
    size_t from = b->len;
    transcript_render_lines(t); /* the feed in the language asked for now */
    struct st_view v;
    struct transcript_kept kept;
    st_build(t, &v);
    transcript_kept_build(t, &kept);
    header(b, t);
    summary(b, t, &v, &kept);
    quizzes(b, t, &kept);
    goals(b, t, &kept);
    timeline(b, t, &kept);
    final_state(b, t);
    diagram(b, t, &v);
    appendix(b, t, &kept);
    tidy_spaces(b, from);
    transcript_kept_free(&kept);
    st_free(&v);
}
