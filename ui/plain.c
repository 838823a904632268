/* plain: the line mode — the same lesson as text, for screen readers,
 * pipes and scripts (cli.md, "The plain line mode"). Commands come one per
 * line. When standard input is a terminal a prompt "> " is printed before
 * each read and the terminal's own echo shows the command; otherwise there
 * is no prompt and each command is echoed once as "> COMMAND", so a
 * transcript of a pipe reads like a session at a terminal. After a
 * command, only what changed is printed: the new feed lines, the status
 * line, the nodes whose state changed, the messages newly in flight, the
 * links and the lesson's text when they changed; `state` prints it all.
 * An error prints one "! ..." line and nothing else. Every byte goes
 * through safe_text (with --ascii or a non-UTF-8 locale: ASCII only). No
 * curses, no terminal control: the output is deterministic. At a terminal
 * (and without --no-progress) the lesson's progress is saved after every
 * command and offered back on opening, as in the UI; a pipe keeps none. */
#include <ctype.h>
#include <errno.h>
#include <libintl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tutor/session/flow.h"
#include "tutor/i18n.h"
#include "tutor/lesson_sandbox.h"
#include "plain_wrap.h"
#include "text.h"
#include "tutor/bugs_text.h"
#include "tutor/atomic_write.h"
#include "tutor/safe_text.h"
#include "tutor/transcript.h"
#include "tutor/view.h"
#include "ui.h"
#include "tutor/session/transcript_flow.h"
#include "tutor/session/progress_session.h"

/* The limits of the lesson format's Errors section. */
#define PLAIN_MAX_STEPS 1000000
#define PLAIN_MAX_RUN_MS 3600000

/* What was last printed of the cluster, to print only what changes. */
struct plain_seen {
    struct sbuf status;
    struct sbuf node[PROTO_MAX_NODES];
    struct sbuf links;
    uint64_t *msgs; /* ids in flight */
    size_t n_msgs, cap_msgs;
};

struct plain {
    struct runner *r;
    struct flow flow;
    struct view view;
    FILE *out;
    unsigned safe;        /* safe_text flags for every line */
    size_t shown_pos;     /* the feed is printed up to this history position */
    uint64_t shown_forks; /* the history's fork count when it was */
    struct sbuf last_lesson;
    struct plain_seen seen;
    struct transcript *tr;            /* the record of this run: `export FILE` writes it */
    struct progress_session progress; /* the autosave, at a terminal only */
    bool out_tty;                     /* out is a terminal: lines wrap to its width */
};

/* When a command applies (help lists those that apply now). */
enum plain_when {
    PW_ALWAYS,
    PW_QUIZ_NUMBER, /* a choice or predict quiz is open */
    PW_QUIZ_MULTI,  /* a quiz with several right choices is open */
    PW_QUIZ_VALUE,  /* a quiz that wants a value is open */
    PW_QUIZ,        /* any quiz is open */
    PW_GOAL,        /* a goal has the controls */
    PW_EXPLORE,     /* the explorer runs: an explore step, a sandbox, the end */
    PW_RAFT,        /* a Raft lesson (its description says "(Raft)") */
    PW_PAXOS,       /* a Paxos lesson (its description says "(Paxos)") */
};

struct plain_help {
    const char *syntax; /* what one types; its placeholders (msgctxt "usage", as the : prompt writes
                           them) translate */
    const char *what;   /* English msgid; the catalog translates it */
    enum plain_when when;
};

/* The commands, one row each (cli.md's list). */
static const struct plain_help help_rows[] = {
    {NC_("usage", "n, step [N]"), N_("process the next event (N events, up to 1000000)"),
     PW_ALWAYS},
    {"g, next", N_("go on with the lesson (do its next step)"), PW_ALWAYS},
    {"settle", N_("deliver the messages in flight and those they cause, firing no timer"),
     PW_ALWAYS},
    {NC_("usage", "run MS"), N_("let MS virtual milliseconds pass (up to 3600000)"), PW_ALWAYS},
    {NC_("usage", "deliver ID"), N_("deliver message #ID in flight"), PW_ALWAYS},
    {NC_("usage", "drop ID"), N_("lose message #ID"), PW_ALWAYS},
    {NC_("usage", "dup ID"), N_("duplicate message #ID (a second copy in flight)"), PW_ALWAYS},
    {NC_("usage", "crash NODE"), N_("crash a node"), PW_ALWAYS},
    {NC_("usage", "restart NODE"), N_("restart a crashed node"), PW_ALWAYS},
    {NC_("usage", "timeout NODE"), N_("fire a node's timer"), PW_ALWAYS},
    {NC_("usage", "request NODE CMD"), N_("a client command to a node (Raft)"), PW_RAFT},
    {NC_("usage", "propose NODE VALUE"), N_("a client proposal to a node (Paxos)"), PW_PAXOS},
    {NC_("usage", "read NODE KEY"), N_("a linearizable read of a key at a node (Raft, ReadIndex)"),
     PW_RAFT},
    {NC_("usage", "transfer NODE"), N_("hand leadership over to a node (Raft, TimeoutNow)"),
     PW_RAFT},
    {NC_("usage", "add_server NODE"),
     N_("ask the leader to add a server to the configuration (Raft)"), PW_RAFT},
    {NC_("usage", "remove_server NODE"),
     N_("ask the leader to remove a server from the configuration (Raft)"), PW_RAFT},
    {NC_("usage", "snapshot NODE"),
     N_("the node snapshots its applied entries now (Raft, log compaction)"), PW_RAFT},
    {NC_("usage", "partition A B | C"), N_("split the network into groups"), PW_ALWAYS},
    {"heal", N_("remove every partition"), PW_ALWAYS},
    {"{\"do\": ...}", N_("any lesson action as one JSON object"), PW_ALWAYS},
    {NC_("usage", "back [N]"), N_("move N steps back through the history"), PW_ALWAYS},
    {NC_("usage", "forward [N]"), N_("move N steps forward through the history"), PW_ALWAYS},
    {NC_("usage", "branch [N]"),
     N_("the other branches of the history (kept when you act in the past); N: switch to one"),
     PW_ALWAYS},
    {"1, 2, ...", N_("answer the quiz by a choice's number"), PW_QUIZ_NUMBER},
    {"submit", N_("answer with the choices picked so far"), PW_QUIZ_MULTI},
    {NC_("usage", "answer TEXT"), N_("answer the quiz that wants a value"), PW_QUIZ_VALUE},
    {"hint", N_("show the quiz's hint"), PW_QUIZ},
    {"giveup, solution", N_("give up the goal and watch its solution (g: next step)"), PW_GOAL},
    {"explore",
     N_("the safety lab's explorer from here (at an explore step, in a sandbox, after the end): "
        "what it finds plays as a branch of the history, forward steps through it"),
     PW_EXPLORE},
    {"state", N_("print the whole cluster and the lesson"), PW_ALWAYS},
    {NC_("usage", "export FILE"), N_("write the transcript (.json, .md or .svg; export! replaces)"),
     PW_ALWAYS},
    {"help [all]", N_("the commands that apply now (all: every one)"), PW_ALWAYS},
    {"quit", N_("leave"), PW_ALWAYS},
};

static const char *const when_text[] = {"",
                                        N_("at a choice quiz"),
                                        N_("at a quiz with several answers"),
                                        N_("at a quiz that wants a value"),
                                        N_("at a quiz"),
                                        N_("in a goal"),
                                        N_("where the explorer runs"),
                                        "", /* the description names the protocol */
                                        ""};

/* Every line goes out through here: made safe (safe_text.h) on the way. */
static void emit(struct plain *p, const char *text)
{
    struct sbuf b;
    sbuf_init(&b);
    text_safe_add(&b, text, p->safe | TEXT_SAFE_LINES);
    struct winsize ws;
    /* Asked each time: the terminal may have been resized since. */
    if (p->out_tty && ioctl(fileno(p->out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
        struct sbuf w;
        sbuf_init(&w);
        plain_wrap(b.s, ws.ws_col, &w);
        fputs(w.s, p->out);
        sbuf_free(&w);
    } else {
        fputs(b.s, p->out);
    }
    sbuf_free(&b);
}

static void emitf(struct plain *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emitf(struct plain *p, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof buf) {
        emit(p, buf);
        return;
    }
    va_start(ap, fmt);
    char *big = n > 0 ? malloc((size_t)n + 1) : NULL;
    if (big) {
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        emit(p, big);
        free(big);
    }
    va_end(ap);
}

static const char *name_of(const struct view *v, int i)
{
    return i >= 0 && i < v->n_nodes ? v->nodes[i].name : "-";
}

static void print_feed_lines(struct plain *p, size_t k, size_t end);

static void print_feed(struct plain *p)
{
    const struct history *h = p->r->h;
    const struct feed *f = &h->feed;
    /* What is new on the current line: after the latest fork, if the line
     * changed under what was printed (a detour's return, a new branch). */
    size_t from = p->shown_pos;
    if (h->n_forks != p->shown_forks && h->last_fork_pos < from)
        from = h->last_fork_pos;
    p->shown_forks = h->n_forks;
    p->shown_pos = h->pos;
    print_feed_lines(p, feed_upto(f, from), feed_upto(f, h->pos));
}

/* Feed lines [k, end) of the current line of history. */
static void print_feed_lines(struct plain *p, size_t k, size_t end)
{
    const struct history *h = p->r->h;
    const struct feed *f = &h->feed;
    struct sbuf text;
    sbuf_init(&text);
    for (; k < end; k++) {
        struct feed_line e;
        feed_get(f, k, &e);
        sbuf_reset(&text);
        feed_line_text(f, &e, &text);
        emitf(p, "  [%6lld] %s%s%s\n", (long long)e.time,
              e.node >= 0 ? h->cur->cfg.names[e.node] : "",
              e.node >= 0 ? ui_pgettext("feed", ": ") : "", text.s);
    }
    sbuf_free(&text);
}

static void status_line(struct plain *p, struct sbuf *b)
{
    const struct view *v = &p->view;
    const struct history *h = p->r->h;
    char hist[64];
    /* Past the snapshot budget older snapshots thin out (history.h):
     * memory stays bounded and a far jump replays more; say so. */
    ui_trf(hist, sizeof hist, h->thinned ? UI_MSG_HISTORY_THINNED : UI_MSG_HISTORY, h->pos,
           h->n_ops);
    char branches[96] = "";
    if (h->n_branches)
        ui_trnf(branches, sizeof branches, UI_MSG_BRANCHES, h->n_branches, h->n_branches);
    const char *safety = v->violated ? v->violation : ui_tr(UI_MSG_SAFE);
    if (*branches)
        ui_tr_sbuf(b, UI_MSG_PL_STATUS_BRANCHES, (long long)v->now, hist, branches, safety);
    else
        ui_tr_sbuf(b, UI_MSG_PL_STATUS, (long long)v->now, hist, safety);
    if (p->r->lesson->cfg.bugs) {
        sbuf_add(b, "; ");
        bugs_text(p->r->lesson->cfg.bugs, b);
    }
    sbuf_add(b, "\n");
}

/* The space before a log cell, but none after full-width punctuation
 * (U+3000..U+303F, U+FF00..U+FF60: "，日志：1:x=1" in Chinese, where
 * ", log: 1:x=1" in English). */
static void cell_space(struct sbuf *b)
{
    const unsigned char *e = (const unsigned char *)b->s + b->len;
    bool full_width = b->len >= 3 && ((e[-3] == 0xe3 && e[-2] == 0x80) ||
                                      (e[-3] == 0xef && (e[-2] == 0xbc || e[-2] == 0xbd)));
    if (!full_width)
        sbuf_addc(b, ' ');
}

static void node_line(struct plain *p, int i, struct sbuf *b)
{
    const struct view *v = &p->view;
    const struct view_node *n = &v->nodes[i];
    bool raft = v->protocol == PROTO_RAFT;
    /* The role padded to 9 columns by display width (跟随者: 9 bytes, 6 columns). */
    const char *role = ui_tr_role(n->up ? n->role : "down");
    int pad = 9 - ui_text_width(role);
    sbuf_printf(b, "  %s %s %s%*s", n->name, ui_tr_role_letter(n->letter), role, pad > 0 ? pad : 0,
                "");
    char part[160];
    if (raft)
        ui_trf(part, sizeof part, UI_MSG_PL_RAFT, n->term_s, n->vote_s, (long long)n->commit);
    else
        ui_trf(part, sizeof part, UI_MSG_PL_PAXOS, n->term_s, n->vote_s, (long long)n->commit);
    sbuf_add(b, part);
    if (v->grouped) {
        ui_trf(part, sizeof part, UI_MSG_PL_GROUP, n->group + 1);
        sbuf_add(b, part);
    }
    if (n->timer >= 0) {
        ui_trf(part, sizeof part, UI_MSG_PL_TIMER, (long long)n->timer);
        sbuf_add(b, part);
    }
    if (raft && v->membership) {
        char now[64], old[64];
        view_nodeset(v, n->config, now, sizeof now);
        view_nodeset(v, n->config_old, old, sizeof old);
        if (n->config_old)
            ui_trf(part, sizeof part, UI_MSG_C_CONFIG_JOINT, old, now);
        else
            ui_trf(part, sizeof part, UI_MSG_C_CONFIG, now);
        sbuf_add(b, part);
        sbuf_add(b, ui_tr(n->voting ? UI_MSG_C_VOTING : UI_MSG_C_SPARE));
        if (n->catching_up >= 0) {
            ui_trf(part, sizeof part, UI_MSG_C_CATCHING_UP, v->nodes[n->catching_up].name);
            sbuf_add(b, part);
        }
    }
    sbuf_add(b, ui_tr(raft ? UI_MSG_PL_LOG : UI_MSG_PL_SLOTS));
    if (raft && n->snapshot_index > 0) {
        ui_trf(part, sizeof part, UI_MSG_PL_SNAPSHOT, (long long)n->snapshot_index,
               (long long)n->snapshot_term);
        sbuf_add(b, part);
    } else if (!n->n_cells) {
        sbuf_add(b, ui_tr(UI_MSG_PL_EMPTY));
    }
    for (size_t k = 0; k < n->n_cells; k++) {
        const struct view_cell *c = &n->cells[k];
        if (c->compacted)
            continue;
        const char *mark = c->applied ? "*" : c->committed ? "+" : "";
        cell_space(b);
        if (raft) {
            char t[160];
            view_raft_cell(v, c, t, sizeof t);
            sbuf_printf(b, "%s%s", t, mark);
        } else if (c->learned && (!c->text || strcmp(c->learned, c->text)))
            /* Learned a value other than the one it accepted last. */
            sbuf_printf(b, "%lld=%s@%s %s:%s", (long long)c->index, c->text ? c->text : "-",
                        c->text ? c->ballot : "", ui_pgettext("slot mark", "learned"), c->learned);
        else if (c->text)
            sbuf_printf(b, "%lld=%s@%s%s", (long long)c->index, c->text, c->ballot, mark);
        else
            sbuf_printf(b, "%lld=-%s", (long long)c->index, mark);
    }
    sbuf_addc(b, '\n');
}

static bool plain_ascii(const struct plain *p)
{
    return p->safe & TEXT_SAFE_ASCII;
}

static void links_text(struct plain *p, struct sbuf *b)
{
    const struct view *v = &p->view;
    for (int a = 0; a < v->n_nodes; a++)
        for (int c = 0; c < v->n_nodes; c++)
            if (v->cut[a][c] && (!v->cut[c][a] || a < c))
                ui_tr_sbuf(b, UI_MSG_PL_LINK_CUT, v->nodes[a].name,
                           text_mark(v->cut[c][a] ? TEXT_MARK_BOTH : TEXT_MARK_TO, plain_ascii(p)),
                           v->nodes[c].name);
}

static void msg_line(struct plain *p, const struct view_msg *m)
{
    const struct view *v = &p->view;
    char due[64];
    ui_trf(due, sizeof due, UI_MSG_PL_DUE, (long long)m->due);
    /* The arrow the feed's notes draw (S1→S2; S1->S2 under --ascii). */
    emitf(p, "  #%llu %s%s%s %s %s%s%s%s\n", (unsigned long long)m->id, name_of(v, m->from),
          text_mark(TEXT_MARK_TO, plain_ascii(p)), name_of(v, m->to), m->type, m->detail, due,
          m->duplicate ? ui_tr(UI_MSG_PL_COPY) : "",
          m->link_open ? "" : ui_tr(UI_MSG_PL_MSG_LINK_CUT));
}

static bool seen_msg(const struct plain_seen *s, uint64_t id)
{
    for (size_t i = 0; i < s->n_msgs; i++)
        if (s->msgs[i] == id)
            return true;
    return false;
}

/* Replaces a remembered text with b's; true when it changed. */
static bool remember(struct sbuf *seen, const struct sbuf *b)
{
    if (!strcmp(seen->s, b->s))
        return false;
    sbuf_reset(seen);
    sbuf_add(seen, b->s);
    return true;
}

/* The cluster: all of it, or (all false) only what changed since the last
 * call — the status line, the nodes whose line changed, the links when
 * they changed and the messages newly in flight. */
static void print_cluster(struct plain *p, bool all)
{
    struct view *v = &p->view;
    struct plain_seen *s = &p->seen;
    view_build(v, p->r->h->cur);
    struct sbuf b;
    sbuf_init(&b);
    status_line(p, &b);
    if (remember(&s->status, &b) || all)
        emit(p, b.s);
    for (int i = 0; i < v->n_nodes; i++) {
        sbuf_reset(&b);
        node_line(p, i, &b);
        if (remember(&s->node[i], &b) || all)
            emit(p, b.s);
    }
    sbuf_reset(&b);
    links_text(p, &b);
    bool links_changed = remember(&s->links, &b);
    if (all || links_changed)
        emit(p, b.len ? b.s : all ? "" : gettext("  no link cut\n"));
    bool had = s->n_msgs > 0;
    for (size_t k = 0; k < v->n_msgs; k++)
        if (all || !seen_msg(s, v->msgs[k].id))
            msg_line(p, &v->msgs[k]);
    if (!v->n_msgs && (all || had))
        emitf(p, "  %s\n", ui_tr(UI_MSG_NO_MESSAGE));
    if (v->n_msgs > s->cap_msgs) {
        s->cap_msgs = v->n_msgs * 2;
        s->msgs = realloc(s->msgs, s->cap_msgs * sizeof *s->msgs);
        if (!s->msgs)
            abort();
    }
    for (size_t k = 0; k < v->n_msgs; k++)
        s->msgs[k] = v->msgs[k].id;
    s->n_msgs = v->n_msgs;
    sbuf_free(&b);
}

static void print_lesson(struct plain *p, bool always)
{
    struct sbuf b;
    sbuf_init(&b);
    char prog[64];
    flow_progress(&p->flow, prog, sizeof prog);
    if (prog[0])
        ui_tr_sbuf(&b, UI_MSG_PL_LESSON, prog);
    else
        sbuf_add(&b, ui_tr(UI_MSG_PL_SANDBOX_LINE));
    char score[64];
    if (flow_score_text(&p->flow, score, sizeof score))
        ui_tr_sbuf(&b, UI_MSG_PL_LESSON_SCORE, score);
    if (p->flow.title)
        ui_tr_sbuf(&b, UI_MSG_PL_LESSON_TITLE, p->flow.title);
    else
        sbuf_add(&b, ui_tr(UI_MSG_PL_LESSON_END));
    sbuf_addc(&b, '\n');
    flow_describe(&p->flow, &b);
    if (remember(&p->last_lesson, &b) || always) {
        emit(p, b.s);
        emit(p, "\n");
    }
    sbuf_free(&b);
}

static bool applies(const struct plain *p, enum plain_when w)
{
    const struct flow *f = &p->flow;
    const struct step *st = flow_step(f);
    bool quiz = f->state == FLOW_QUIZ && st;
    switch (w) {
    case PW_ALWAYS:
        return true;
    case PW_QUIZ_NUMBER:
        return quiz && st->quiz.kind != QUIZ_VALUE;
    case PW_QUIZ_MULTI:
        return quiz && st->quiz.kind == QUIZ_CHOICE && st->quiz.multi;
    case PW_QUIZ_VALUE:
        return quiz && st->quiz.kind == QUIZ_VALUE;
    case PW_QUIZ:
        return quiz;
    case PW_GOAL:
        return f->state == FLOW_GOAL;
    case PW_EXPLORE:
        return flow_can_explore(f);
    case PW_RAFT:
        return p->r->lesson->protocol == PROTO_RAFT;
    case PW_PAXOS:
        return p->r->lesson->protocol == PROTO_PAXOS;
    }
    return false;
}

/* help: the commands that apply now; help all: every one, marked with
 * when it applies. */
/* What the marks in a node's line mean (help prints it). */
static const char *const marks_help[] = {
    N_("marks: Raft log TERM:CMD* applied, + committed but not yet applied;"),
    N_("  Paxos slot N=VALUE@BALLOT the value this node accepted at that ballot,"),
    N_("  * it learned that value, + the slot is chosen and this node has not learned it,"),
    N_("  learned:VALUE it learned a value other than the one it accepted, N=- nothing accepted"),
};

static void print_help(struct plain *p, bool all)
{
    bool zh = !strcmp(ui_i18n_lang(), "zh-CN");
    emitf(p, "%s\n", ui_tr(all ? UI_MSG_PL_HELP_ALL : UI_MSG_PL_HELP_TITLE));
    emitf(p, "%s\n", ui_tr(UI_MSG_PL_HELP_TYPED));
    for (size_t i = 0; i < sizeof help_rows / sizeof *help_rows; i++) {
        const struct plain_help *h = &help_rows[i];
        if (!all && !applies(p, h->when))
            continue;
        const char *when = *when_text[h->when] ? gettext(when_text[h->when]) : "";
        /* The placeholders in the interface's language, padded by display
         * width (a Chinese placeholder is two columns a character). */
        const char *syntax = ui_pgettext("usage", h->syntax);
        int pad = 18 - ui_text_width(syntax);
        emitf(p, "  %s%*s %s%s%s%s\n", syntax, pad > 0 ? pad : 0, "", gettext(h->what),
              all && *when ? (zh ? "［" : " [") : "", all ? when : "",
              all && *when ? (zh ? "］" : "]") : "");
    }
    if (!all)
        emitf(p, "%s\n", ui_tr(UI_MSG_PL_HELP_MORE));
    emitf(p, "%s\n", ui_tr(UI_MSG_PL_SIGINT));
    for (size_t i = 0; i < sizeof marks_help / sizeof *marks_help; i++)
        emitf(p, "%s\n", gettext(marks_help[i]));
    emitf(p, "%s\n", ui_tr(UI_MSG_FIELDS_LEGEND));
}

static int node_arg(struct plain *p, const char *arg, struct sbuf *why)
{
    const struct proto_config *cfg = &p->r->lesson->cfg;
    int i = arg ? proto_node_index(cfg, arg) : -1;
    if (i < 0)
        ui_tr_sbuf(why, UI_MSG_PL_NODE_ARG, cfg->names[0], cfg->names[cfg->n_nodes - 1]);
    return i;
}

/* A count argument: absent is 1; otherwise a whole number from 1 to max.
 * -1 when it is not. */
static long count_arg(const char *arg, long max)
{
    if (!arg)
        return 1;
    char *end;
    errno = 0;
    long n = strtol(arg, &end, 10);
    while (isspace((unsigned char)*end))
        end++;
    if (errno || *end || end == arg || n < 1 || n > max)
        return -1;
    return n;
}

/* export [FILE]: the transcript as .json, .md or .svg by the name's ending
 * (by default <lesson>-<student or run>.json); an existing file is
 * replaced only by export!. A failed write says why; the transcript stays
 * for another try. */
static void export_transcript(struct plain *p, const char *arg, bool replace, struct sbuf *why)
{
    char path[1024];
    if (arg)
        snprintf(path, sizeof path, "%s", arg);
    else
        transcript_default_name(p->tr, TF_JSON, path, sizeof path);
    enum transcript_format f = transcript_format_of(path);
    if (f == TF_UNKNOWN) {
        sbuf_printf(why, gettext("%s: name it .json, .md or .svg"), path);
        return;
    }
    if (!replace && atomic_exists(path)) {
        /* TRANSLATORS: "export!" is the command, typed as it is. */
        sbuf_printf(why, gettext("%s exists: export! %s replaces it"), path, path);
        return;
    }
    transcript_flow_record(p->tr, &p->flow);
    transcript_finish(p->tr, p->r);
    if (transcript_export(p->tr, f, path, replace, why) == 0) {
        char done[1200];
        ui_trf(done, sizeof done, UI_MSG_PL_WRITTEN, path);
        emitf(p, "%s\n", done);
    } else
        sbuf_add(why, gettext(" (nothing written; try another name)"));
}

static bool is_number(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* Runs one command line. Returns false to quit. *show: print what changed. */
static bool command(struct plain *p, char *line, bool *show)
{
    struct sbuf why;
    sbuf_init(&why);
    char whole[4096];
    snprintf(whole, sizeof whole, "%s", line);
    char *rest = line;
    while (isspace((unsigned char)*rest))
        rest++;
    char *cmd = rest;
    while (*rest && !isspace((unsigned char)*rest))
        rest++;
    if (*rest)
        *rest++ = 0;
    while (isspace((unsigned char)*rest))
        rest++;
    char *arg = *rest ? rest : NULL;
    struct flow *f = &p->flow;
    struct action a;
    *show = true;
    const struct step *st = flow_step(f);
    bool quiz = f->state == FLOW_QUIZ && st;
    if (!*cmd) {
        *show = false;
    } else if (cmd[0] == '{') {
        /* A lesson action written as one JSON object. */
        const char *json = whole;
        while (isspace((unsigned char)*json))
            json++;
        flow_action_json(f, json, &why);
    } else if (!strcmp(cmd, "quit") || !strcmp(cmd, "q")) {
        sbuf_free(&why);
        return false;
    } else if (!strcmp(cmd, "help") || !strcmp(cmd, "?")) {
        print_help(p, arg && !strcmp(arg, "all"));
        *show = false;
    } else if (!strcmp(cmd, "state")) {
        print_feed(p);
        print_cluster(p, true);
        print_lesson(p, true);
        *show = false;
    } else if (!strcmp(cmd, "export") || !strcmp(cmd, "export!")) {
        export_transcript(p, arg, cmd[6] == '!', &why);
        *show = false;
    } else if (!strcmp(cmd, "n") || !strcmp(cmd, "step")) {
        long count = count_arg(arg, PLAIN_MAX_STEPS);
        flow_simple_action(&a, ACT_STEP, -1, NULL);
        a.count = count;
        if (count < 0)
            ui_tr_sbuf(&why, UI_MSG_PL_STEP_RANGE, PLAIN_MAX_STEPS);
        else if (sim_next_event_time(runner_sim(p->r)) < 0)
            sbuf_add(&why, ui_tr(UI_MSG_NOTHING));
        else
            flow_action(f, &a, &why);
    } else if (!strcmp(cmd, "g") || !strcmp(cmd, "next")) {
        if (!flow_continue(f, &why) && f->state == FLOW_END) {
            sbuf_reset(&why); /* what is left to do, not only that it is over */
            sbuf_add(&why, gettext("the lesson is over: export FILE writes your transcript, quit "
                                   "leaves"));
        }
    } else if (!strcmp(cmd, "explore")) {
        /* What the search found is a feed line at the position it began
         * in, which is already printed: the lines it added there are
         * printed now (a screen reader hears the outcome). */
        const struct history *h = p->r->h;
        size_t pos0 = h->pos, k0 = feed_upto(&h->feed, pos0);
        if (flow_explore(f, &why) == 0 && h->pos == pos0)
            print_feed_lines(p, k0, feed_upto(&h->feed, pos0));
    } else if (!strcmp(cmd, "settle")) {
        flow_simple_action(&a, ACT_SETTLE, -1, NULL);
        flow_action(f, &a, &why);
    } else if (!strcmp(cmd, "run")) {
        long ms = arg ? count_arg(arg, PLAIN_MAX_RUN_MS) : -1;
        if (ms < 0) {
            ui_tr_sbuf(&why, UI_MSG_PL_RUN_RANGE, PLAIN_MAX_RUN_MS);
        } else {
            char json[64];
            snprintf(json, sizeof json, "{\"do\": \"run\", \"for\": %ld}", ms);
            flow_action_json(f, json, &why);
        }
    } else if (!strcmp(cmd, "deliver") || !strcmp(cmd, "drop") || !strcmp(cmd, "dup") ||
               !strcmp(cmd, "duplicate")) {
        enum action_kind k = cmd[0] == 'd' && cmd[1] == 'e'   ? ACT_DELIVER
                             : cmd[0] == 'd' && cmd[1] == 'r' ? ACT_DROP
                                                              : ACT_DUPLICATE;
        const char *id = arg && arg[0] == '#' ? arg + 1 : arg;
        if (!id || !is_number(id))
            ui_tr_sbuf(&why, UI_MSG_PL_MSG_ARG, cmd);
        else
            flow_msg_action(f, k, strtoull(id, NULL, 10), &why);
    } else if (!strcmp(cmd, "crash") || !strcmp(cmd, "restart") || !strcmp(cmd, "timeout")) {
        int i = node_arg(p, arg, &why);
        if (i >= 0) {
            flow_simple_action(&a,
                               cmd[0] == 'c'   ? ACT_CRASH
                               : cmd[0] == 'r' ? ACT_RESTART
                                               : ACT_TIMEOUT,
                               i, NULL);
            flow_action(f, &a, &why);
        }
    } else if (!strcmp(cmd, "transfer")) {
        int i = node_arg(p, arg, &why);
        if (i >= 0) {
            flow_simple_action(&a, ACT_TRANSFER, -1, NULL);
            a.to = i;
            flow_action(f, &a, &why);
        }
    } else if (!strcmp(cmd, "add_server") || !strcmp(cmd, "remove_server") ||
               !strcmp(cmd, "snapshot")) {
        int i = node_arg(p, arg, &why);
        enum action_kind k = cmd[0] == 'a'   ? ACT_ADD_SERVER
                             : cmd[0] == 'r' ? ACT_REMOVE_SERVER
                                             : ACT_SNAPSHOT;
        if (i >= 0) {
            flow_simple_action(&a, k, i, NULL);
            flow_action(f, &a, &why);
        }
    } else if (!strcmp(cmd, "request") || !strcmp(cmd, "propose") || !strcmp(cmd, "read")) {
        char *text = arg;
        while (text && *text && !isspace((unsigned char)*text))
            text++;
        if (text && *text)
            *text++ = 0;
        while (text && isspace((unsigned char)*text))
            text++;
        int i = node_arg(p, arg, &why);
        if (i >= 0 && (!text || !*text)) {
            sbuf_reset(&why);
            ui_tr_sbuf(&why, UI_MSG_PL_TEXT_ARG, cmd, cmd);
        } else if (i >= 0) {
            flow_simple_action(&a,
                               cmd[0] == 'p'   ? ACT_PROPOSE
                               : cmd[2] == 'a' ? ACT_READ
                                               : ACT_REQUEST,
                               i, text);
            flow_action(f, &a, &why);
        }
    } else if (!strcmp(cmd, "partition")) {
        flow_simple_action(&a, ACT_PARTITION, -1, NULL);
        if (flow_parse_groups(p->r->lesson, arg ? arg : "", a.groups, &why) == 0)
            flow_action(f, &a, &why);
    } else if (!strcmp(cmd, "heal")) {
        flow_simple_action(&a, ACT_HEAL, -1, NULL);
        flow_action(f, &a, &why);
    } else if (!strcmp(cmd, "back") || !strcmp(cmd, "b") || !strcmp(cmd, "forward") ||
               !strcmp(cmd, "f")) {
        struct history *h = p->r->h;
        long count = count_arg(arg, (long)h->n_ops + 1);
        if (count < 0)
            count = (long)h->n_ops; /* "back 99" past the start: to the start */
        long to = (long)h->pos + (cmd[0] == 'b' ? -count : count);
        if (to < 0)
            to = 0;
        if (to > (long)h->n_ops)
            to = (long)h->n_ops;
        if (to == (long)h->pos) {
            sbuf_add(&why, ui_tr(cmd[0] == 'b' ? UI_MSG_BEGINNING : UI_MSG_LATEST));
        } else {
            flow_seek(f, (size_t)to); /* the lesson's step moves with the cluster */
            flow_refresh(f);
        }
    } else if (!strcmp(cmd, "branch") || !strcmp(cmd, "branches")) {
        struct history *h = p->r->h;
        long n = arg ? count_arg(arg, (long)h->n_branches) : -1;
        if (!arg || n < 1) {
            if (arg)
                ui_tr_sbuf(&why, UI_MSG_NO_BRANCH, h->n_branches);
            for (size_t i = 0; !arg && i < h->n_branches; i++) {
                char text[160];
                ui_trf(text, sizeof text, UI_MSG_BRANCH_LINE, i + 1, h->branches[i].fork_pos,
                       h->branches[i].fork_pos + h->branches[i].n_ops);
                emitf(p, "%s\n", text);
            }
            if (!arg && !h->n_branches)
                sbuf_add(&why, ui_tr(UI_MSG_NO_BRANCHES));
            *show = false;
        } else {
            flow_switch_branch(f, (size_t)n - 1, &why);
        }
    } else if (!strcmp(cmd, "hint") || !strcmp(cmd, "H")) {
        if (!quiz)
            sbuf_add(&why, ui_tr(UI_MSG_PL_NO_QUIZ));
        else if (!flow_show_hint(f))
            sbuf_add(&why, ui_tr(UI_MSG_NO_HINT));
    } else if (!strcmp(cmd, "giveup") || !strcmp(cmd, "solution")) {
        if (f->state == FLOW_GOAL)
            flow_give_up(f);
        else
            sbuf_add(&why, ui_tr(UI_MSG_NO_GOAL));
    } else if (!strcmp(cmd, "submit")) {
        if (applies(p, PW_QUIZ_MULTI)) {
            if (!flow_answer_submit(f))
                sbuf_add(&why, ui_tr(UI_MSG_PL_PICK_FIRST));
        } else
            sbuf_add(&why, ui_tr(UI_MSG_PL_NO_MULTI));
    } else if (!strcmp(cmd, "answer")) {
        if (applies(p, PW_QUIZ_VALUE))
            flow_answer_value(f, arg ? arg : "");
        else
            sbuf_add(&why, ui_tr(quiz ? UI_MSG_PL_NO_VALUE : UI_MSG_PL_NO_QUIZ));
    } else if (is_number(cmd) && !arg && applies(p, PW_QUIZ_NUMBER)) {
        if (!flow_answer_choice(f, atoi(cmd) - 1))
            flow_choices_why(f, &why);
        else if (f->stopped)
            sbuf_add(&why, f->result.s);
    } else if (applies(p, PW_QUIZ_VALUE)) {
        /* Anything else typed at a value quiz is the answer. */
        flow_answer_value(f, whole);
    } else if (is_number(cmd) && !arg) {
        sbuf_add(&why, ui_tr(UI_MSG_PL_NO_QUIZ));
    } else {
        ui_tr_sbuf(&why, UI_MSG_PL_UNKNOWN, cmd);
    }
    if (why.len && p->flow.stopped) {
        /* A long action stopped by Ctrl-C: what ran, then what changed. */
        emitf(p, "%s\n", why.s);
        p->flow.stopped = false;
    } else if (why.len) {
        /* An error changes nothing: it is the only line printed. */
        emitf(p, "! %s\n", why.s);
        *show = false;
    }
    sbuf_free(&why);
    return true;
}

static void seen_free(struct plain_seen *s)
{
    sbuf_free(&s->status);
    for (int i = 0; i < PROTO_MAX_NODES; i++)
        sbuf_free(&s->node[i]);
    sbuf_free(&s->links);
    free(s->msgs);
}

static void seen_init(struct plain_seen *s)
{
    memset(s, 0, sizeof *s);
    sbuf_init(&s->status);
    for (int i = 0; i < PROTO_MAX_NODES; i++)
        sbuf_init(&s->node[i]);
    sbuf_init(&s->links);
}

/* Ctrl-C: stops a long action where it is; at the prompt it ends the
 * session, as it always did (the read is interrupted). */
static volatile sig_atomic_t plain_sigint;

static void on_sigint(int sig)
{
    (void)sig;
    plain_sigint = 1;
}

static bool plain_stop_poll(void *ctx)
{
    (void)ctx;
    if (!plain_sigint)
        return false;
    plain_sigint = 0;
    return true;
}

/* One answer to a yes/no question on its line: 1 yes (y, yes, or an
 * empty line when empty_yes), 0 no (n, no, or an empty line otherwise),
 * -1 the input ended or Ctrl-C. Anything else asks again. */
static int read_yes_no(struct plain *p, FILE *in, const char *question, const char *keys,
                       bool empty_yes)
{
    char *line = NULL;
    size_t cap = 0;
    int answer = -1;
    for (;;) {
        emitf(p, "%s%s", question, keys);
        fflush(p->out);
        ssize_t n = getline(&line, &cap, in);
        if (n < 0)
            break;
        char *w = line;
        while (isspace((unsigned char)*w))
            w++;
        while (n > 0 && isspace((unsigned char)line[n - 1]))
            line[--n] = 0;
        if (!*w) {
            answer = empty_yes;
            break;
        }
        if (!strcasecmp(w, "y") || !strcasecmp(w, "yes")) {
            answer = 1;
            break;
        }
        if (!strcasecmp(w, "n") || !strcasecmp(w, "no")) {
            answer = 0;
            break;
        }
    }
    free(line);
    return answer;
}

/* The answer to the resume question: 1 resume (y, yes or an empty line),
 * 0 start over, -1 the input ended or Ctrl-C. n (no) asks once more,
 * naming the step the saved attempt reached, and only y then starts over:
 * n is also the step command, and a stray n followed by one more command
 * replaced the saved progress. n or an empty line there asks the first
 * question again. */
static int read_resume_answer(struct plain *p, FILE *in, const char *question,
                              const char *restart_q)
{
    for (;;) {
        int answer = read_yes_no(p, in, question, ui_tr(UI_MSG_PL_RESUME_KEYS), true);
        if (answer != 0)
            return answer;
        int sure = read_yes_no(p, in, restart_q, ui_tr(UI_MSG_PL_RESTART_KEYS), false);
        if (sure != 0)
            return sure < 0 ? -1 : 0;
    }
}

/* Opens the lesson's saved progress (progress_session.h) and, when there
 * is an attempt to resume, asks on one line. The autosave runs only at a
 * terminal: a pipe or a script reads and writes nothing, so its output
 * stays the same from run to run. False when the input ended at the
 * question. */
static bool plain_progress_open(struct plain *p, FILE *in, bool enabled)
{
    struct progress_found found;
    progress_session_open(&p->progress, &p->flow, enabled, &found);
    if (found.other)
        emitf(p, "%s\n", found.other);
    if (found.notice[0])
        emitf(p, "%s\n", found.notice);
    int answer = 1;
    if (found.resumable) {
        char question[256], restart_q[256];
        progress_session_question(&found.saved, question, sizeof question);
        progress_session_restart_question(&found.saved, restart_q, sizeof restart_q);
        answer = read_resume_answer(p, in, question, restart_q);
        /* The replay rebuilds the run exactly (the inputs, not a state). */
        progress_session_answer(&p->progress, &p->flow, &found.saved, answer == 1);
    }
    progress_found_free(&found);
    return answer >= 0;
}

/* After a command: saves when it added inputs; a failed save says why. */
static void plain_progress_save(struct plain *p)
{
    char note[4800];
    if (progress_session_save(&p->progress, &p->flow, note, sizeof note) != 0)
        emitf(p, "! %s\n", note);
}

int ui_plain_run(const struct lesson *l, FILE *in, FILE *out, const struct ui_options *o)
{
    struct plain p;
    memset(&p, 0, sizeof p);
    p.progress.fd = -1;
    p.out = out;
    p.out_tty = isatty(fileno(out));
    p.safe = o->ascii ? TEXT_SAFE_ASCII : 0;
    p.r = runner_new(l);
    view_init(&p.view);
    sbuf_init(&p.last_lesson);
    seen_init(&p.seen);
    /* On a terminal, a prompt before each read and the terminal's echo;
     * from a pipe, no prompt and one echo of each command. */
    bool prompt = isatty(fileno(in));
    char shown[160];
    emitf(&p, "%s\n", lesson_shown_title(l->id, l->title, shown, sizeof shown));
    {
        char hello[512];
        ui_trf(hello, sizeof hello, UI_MSG_PL_WELCOME, l->protocol == PROTO_RAFT ? "Raft" : "Paxos",
               l->cfg.n_nodes);
        emitf(&p, "%s\n", hello);
    }
    flow_init(&p.flow, p.r);
    p.flow.stop = plain_stop_poll;
    p.flow.plain = true;
    struct sigaction sa, old_sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_sigint; /* no SA_RESTART: Ctrl-C at the prompt ends the read */
    plain_sigint = 0;
    sigaction(SIGINT, &sa, &old_sa);
    p.tr = transcript_new(l, TRANSCRIPT_LEARNER, &(struct transcript_meta){.student = o->student});
    transcript_flow_begin(p.tr, &p.flow);
    if (o->prepare) {
        /* tutor replay: the recorded inputs first. */
        const char *note = o->prepare(&p.flow, &p.tr, o->prepare_ctx);
        if (note)
            emitf(&p, "%s\n", note);
    }
    /* A replay's run is not the learner's own lesson (it sets no_progress). */
    bool going = plain_progress_open(&p, in, prompt && !o->no_progress && !o->prepare);
    if (going) {
        print_feed(&p);
        print_cluster(&p, true);
        print_lesson(&p, true);
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = -1;
    while (going) {
        if (prompt)
            fputs("> ", out);
        fflush(out);
        if ((n = getline(&line, &cap, in)) < 0)
            break; /* end of input, or Ctrl-C at the prompt */
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = 0;
        if (!prompt)
            emitf(&p, "> %s\n", line);
        bool show;
        bool go = command(&p, line, &show);
        transcript_flow_record(p.tr, &p.flow);
        if (go && show) {
            print_feed(&p);
            print_cluster(&p, false);
            print_lesson(&p, false);
        }
        plain_progress_save(&p);
        if (!go)
            break;
    }
    if (prompt && n < 0)
        fputc('\n', out); /* end of input: the prompt's line is closed */
    sigaction(SIGINT, &old_sa, NULL);
    free(line);
    progress_session_close(&p.progress);
    transcript_free(p.tr);
    flow_free(&p.flow);
    view_free(&p.view);
    sbuf_free(&p.last_lesson);
    seen_free(&p.seen);
    runner_free(p.r);
    fflush(out);
    return 0;
}
