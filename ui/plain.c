/* plain: the line mode — the same lesson as text, for screen readers,
 * pipes and scripts. Commands come one per line; after each, the events it
 * caused, the cluster's state and the lesson's current step are printed.
 * No curses, no terminal control: the output is deterministic. */
#include <ctype.h>
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "i18n.h"
#include "tutor/atomic_write.h"
#include "tutor/transcript.h"
#include "ui/transcript_flow.h"
#include "tutor/view.h"
#include "ui.h"

struct plain {
    struct runner *r;
    struct flow flow;
    struct view view;
    FILE *out;
    size_t shown; /* feed entries printed so far */
    struct sbuf last_lesson;
    struct transcript *tr; /* the record of this run: `export FILE` writes it */
};

/* Translated through the catalog (po/), like ui_tr. */
static const char *const help_text =
    N_("commands (one per line):\n"
       "  n, step [N]          process the next event (N events)\n"
       "  g, next              go on with the lesson (do its next step)\n"
       "  deliver ID           deliver pending message #ID\n"
       "  drop ID              drop it\n"
       "  dup ID               duplicate it\n"
       "  crash S2, restart S2 crash or restart a node\n"
       "  timeout S1           fire a node's timer\n"
       "  request S1 x=1       a client command to a node (Raft)\n"
       "  propose S1 v         a client proposal (Paxos)\n"
       "  partition S1 S2 | S3 split the network into groups\n"
       "  heal                 remove every partition\n"
       "  back [N], forward [N] move through the history\n"
       "  1, 2, ...            answer a quiz by its number (submit: a multiple choice)\n"
       "  answer TEXT          answer a quiz that wants a value\n"
       "  hint                 show the quiz's hint\n"
       "  solution             give up a goal and watch its solution (g: next step)\n"
       "  state                print the cluster again\n"
       "  help, quit\n");

static const char *name_of(const struct view *v, int i)
{
    return i >= 0 && i < v->n_nodes ? v->nodes[i].name : "-";
}

static void print_feed(struct plain *p)
{
    const struct history *h = p->r->h;
    const struct feed *f = &h->feed;
    size_t last = 0;
    while (last < f->n && f->e[last].pos <= h->pos)
        last++;
    if (p->shown > last)
        p->shown = last;
    for (; p->shown < last; p->shown++) {
        const struct feed_entry *e = &f->e[p->shown];
        fprintf(p->out, "  [%6lld] %s%s%s\n", (long long)e->time,
                e->node >= 0 ? h->cur->cfg.names[e->node] : "", e->node >= 0 ? ": " : "", e->text);
    }
}

static void print_state(struct plain *p)
{
    struct view *v = &p->view;
    const struct history *h = p->r->h;
    view_build(v, h->cur);
    bool raft = v->protocol == PROTO_RAFT;
    char hist[64];
    ui_trf(hist, sizeof hist, UI_MSG_HISTORY, h->pos, h->n_ops);
    fprintf(p->out, "t=%lldms, %s%s%s%s, %s\n", (long long)v->now, hist, h->forked ? " (" : "",
            h->forked ? ui_tr(UI_MSG_FORKED) : "", h->forked ? ")" : "",
            v->violated ? v->violation : ui_tr(UI_MSG_SAFE));
    for (int i = 0; i < v->n_nodes; i++) {
        const struct view_node *n = &v->nodes[i];
        fprintf(p->out, "  %s %c %-9s", n->name, n->letter, n->up ? n->role : "down");
        if (raft)
            fprintf(p->out, " term %s, vote %s, commit %lld", n->term_s, n->vote_s,
                    (long long)n->commit);
        else
            fprintf(p->out, " promised %s, proposing %s, learned %lld", n->term_s, n->vote_s,
                    (long long)n->commit);
        if (v->grouped)
            fprintf(p->out, ", group %d", n->group + 1);
        if (n->timer >= 0)
            fprintf(p->out, ", timer in %lldms", (long long)(n->timer - v->now));
        fprintf(p->out, raft ? ", log:" : ", slots:");
        if (!n->n_cells)
            fprintf(p->out, " (empty)");
        for (size_t k = 0; k < n->n_cells; k++) {
            const struct view_cell *c = &n->cells[k];
            const char *mark = c->applied ? "*" : c->committed ? "+" : "";
            if (raft)
                fprintf(p->out, " %lld:%s%s", (long long)c->term, c->text ? c->text : "", mark);
            else if (c->text)
                fprintf(p->out, " %lld=%s@%s%s", (long long)c->index, c->text, c->ballot, mark);
            else
                fprintf(p->out, " %lld=-%s", (long long)c->index, mark);
        }
        fputc('\n', p->out);
    }
    for (int a = 0; a < v->n_nodes; a++)
        for (int b = 0; b < v->n_nodes; b++)
            if (v->cut[a][b] && (!v->cut[b][a] || a < b))
                fprintf(p->out, "  link cut: %s %s %s\n", v->nodes[a].name,
                        v->cut[b][a] ? "<->" : "->", v->nodes[b].name);
    if (!v->n_msgs)
        fprintf(p->out, "  %s\n", ui_tr(UI_MSG_NO_MESSAGE));
    for (size_t k = 0; k < v->n_msgs; k++) {
        const struct view_msg *m = &v->msgs[k];
        fprintf(p->out, "  #%llu %s->%s %s %s, due %lldms%s%s\n", (unsigned long long)m->id,
                name_of(v, m->from), name_of(v, m->to), m->type, m->detail, (long long)m->due,
                m->duplicate ? " (copy)" : "", m->link_open ? "" : " (link cut)");
    }
}

static void print_lesson(struct plain *p, bool always)
{
    struct sbuf b;
    sbuf_init(&b);
    char prog[64];
    flow_progress(&p->flow, prog, sizeof prog);
    sbuf_printf(&b, "lesson, %s", prog);
    if (p->flow.max_score) {
        char score[64];
        flow_score_text(&p->flow, score, sizeof score);
        sbuf_printf(&b, ", %s", score);
    }
    if (p->flow.title)
        sbuf_printf(&b, " (%s)", p->flow.title);
    sbuf_add(&b, ":\n");
    flow_describe(&p->flow, &b);
    if (always || strcmp(b.s, p->last_lesson.s)) {
        fprintf(p->out, "%s\n", b.s);
        sbuf_reset(&p->last_lesson);
        sbuf_add(&p->last_lesson, b.s);
    }
    sbuf_free(&b);
}

static int node_arg(struct plain *p, const char *arg, struct sbuf *why)
{
    int i = arg ? proto_node_index(&p->r->lesson->cfg, arg) : -1;
    if (i < 0)
        sbuf_printf(why, "name a node (%s..%s)", p->r->lesson->cfg.names[0],
                    p->r->lesson->cfg.names[p->r->lesson->cfg.n_nodes - 1]);
    return i;
}

static void act(struct plain *p, const struct action *a, struct sbuf *why)
{
    flow_action(&p->flow, a, why);
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
        sbuf_printf(why, "%s: name it .json, .md or .svg", path);
        return;
    }
    if (!replace && atomic_exists(path)) {
        sbuf_printf(why, "%s exists: export! %s replaces it", path, path);
        return;
    }
    transcript_flow_record(p->tr, &p->flow);
    transcript_finish(p->tr, p->r);
    if (transcript_export(p->tr, f, path, replace, why) == 0)
        fprintf(p->out, "transcript written to %s\n", path);
    else
        sbuf_add(why, " (nothing written; try another name)");
}

/* Runs one command line. Returns false to quit. */
static bool command(struct plain *p, char *line, bool *show)
{
    struct sbuf why;
    sbuf_init(&why);
    char whole[1024];
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
    if (!*cmd) {
        *show = false;
    } else if (!strcmp(cmd, "quit") || !strcmp(cmd, "q")) {
        sbuf_free(&why);
        return false;
    } else if (!strcmp(cmd, "help") || !strcmp(cmd, "?")) {
        fputs(gettext(help_text), p->out);
        *show = false;
    } else if (!strcmp(cmd, "state")) {
        print_state(p);
        print_lesson(p, true);
        *show = false;
    } else if (!strcmp(cmd, "export") || !strcmp(cmd, "export!")) {
        export_transcript(p, arg, cmd[6] == '!', &why);
        *show = false;
    } else if (!strcmp(cmd, "n") || !strcmp(cmd, "step")) {
        long count = arg ? strtol(arg, NULL, 10) : 1;
        flow_simple_action(&a, ACT_STEP, -1, NULL);
        a.count = count > 0 ? count : 1;
        if (sim_next_event_time(runner_sim(p->r)) < 0)
            sbuf_add(&why, ui_tr(UI_MSG_NOTHING));
        else
            act(p, &a, &why);
    } else if (!strcmp(cmd, "g") || !strcmp(cmd, "next")) {
        flow_continue(f, &why);
    } else if (!strcmp(cmd, "deliver") || !strcmp(cmd, "drop") || !strcmp(cmd, "dup") ||
               !strcmp(cmd, "duplicate")) {
        enum action_kind k = cmd[0] == 'd' && cmd[1] == 'e'   ? ACT_DELIVER
                             : cmd[0] == 'd' && cmd[1] == 'r' ? ACT_DROP
                                                              : ACT_DUPLICATE;
        const char *id = arg && arg[0] == '#' ? arg + 1 : arg;
        if (!id || !isdigit((unsigned char)id[0]))
            sbuf_printf(&why, "%s needs a message number (state lists them)", cmd);
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
            act(p, &a, &why);
        }
    } else if (!strcmp(cmd, "request") || !strcmp(cmd, "propose")) {
        char *text = arg;
        while (text && *text && !isspace((unsigned char)*text))
            text++;
        if (text && *text)
            *text++ = 0;
        while (text && isspace((unsigned char)*text))
            text++;
        int i = node_arg(p, arg, &why);
        if (i >= 0 && (!text || !*text)) {
            sbuf_printf(&why, "%s needs a node and a command, e.g. %s S1 x=1", cmd, cmd);
        } else if (i >= 0) {
            flow_simple_action(&a, cmd[0] == 'r' ? ACT_REQUEST : ACT_PROPOSE, i, text);
            act(p, &a, &why);
        }
    } else if (!strcmp(cmd, "partition")) {
        flow_simple_action(&a, ACT_PARTITION, -1, NULL);
        if (flow_parse_groups(p->r->lesson, arg ? arg : "", a.groups, &why) == 0)
            act(p, &a, &why);
    } else if (!strcmp(cmd, "heal")) {
        flow_simple_action(&a, ACT_HEAL, -1, NULL);
        act(p, &a, &why);
    } else if (!strcmp(cmd, "back") || !strcmp(cmd, "b") || !strcmp(cmd, "forward") ||
               !strcmp(cmd, "f")) {
        long count = arg ? strtol(arg, NULL, 10) : 1;
        struct history *h = p->r->h;
        long to = (long)h->pos + (cmd[0] == 'b' ? -count : count);
        if (to < 0)
            to = 0;
        if (to > (long)h->n_ops)
            to = (long)h->n_ops;
        flow_seek(f, (size_t)to); /* the lesson's step moves with the cluster */
        flow_refresh(f);
    } else if (!strcmp(cmd, "hint") || !strcmp(cmd, "H")) {
        if (!flow_show_hint(f))
            sbuf_add(&why, ui_tr(UI_MSG_NO_HINT));
    } else if (!strcmp(cmd, "solution")) {
        if (f->state == FLOW_GOAL)
            flow_give_up(f);
        else
            sbuf_add(&why, "there is no goal now");
    } else if (!strcmp(cmd, "submit")) {
        flow_answer_submit(f);
    } else if (f->state == FLOW_QUIZ && isdigit((unsigned char)cmd[0]) && !arg &&
               st->quiz.kind != QUIZ_VALUE) {
        flow_answer_choice(f, atoi(cmd) - 1);
    } else if (f->state == FLOW_QUIZ && st->quiz.kind == QUIZ_VALUE) {
        /* Anything else typed at a value quiz is the answer. */
        flow_answer_value(f, !strcmp(cmd, "answer") ? (arg ? arg : "") : whole);
    } else {
        sbuf_printf(&why, "unknown command \"%s\" (help lists them)", cmd);
        *show = false;
    }
    if (why.len)
        fprintf(p->out, "! %s\n", why.s);
    sbuf_free(&why);
    return true;
}

int ui_plain_run(const struct lesson *l, FILE *in, FILE *out, const struct ui_options *o)
{
    (void)o;
    struct plain p;
    memset(&p, 0, sizeof p);
    p.out = out;
    p.r = runner_new(l);
    view_init(&p.view);
    sbuf_init(&p.last_lesson);
    char intro[256];
    ui_trf(intro, sizeof intro, UI_MSG_PLAIN_INTRO, l->protocol == PROTO_RAFT ? "Raft" : "Paxos",
           l->cfg.n_nodes);
    fprintf(out, "%s\n%s\n", l->title, intro);
    flow_init(&p.flow, p.r);
    p.tr = transcript_new(l, TRANSCRIPT_LEARNER, &(struct transcript_meta){.student = o->student});
    transcript_flow_begin(p.tr, &p.flow);
    if (o->prepare) {
        /* tutor replay: the recorded inputs first. */
        const char *note = o->prepare(&p.flow, &p.tr, o->prepare_ctx);
        if (note)
            fprintf(out, "%s\n", note);
    }
    print_feed(&p);
    print_state(&p);
    print_lesson(&p, true);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    fflush(out);
    while ((n = getline(&line, &cap, in)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = 0;
        fprintf(out, "> %s\n", line);
        bool show;
        bool go = command(&p, line, &show);
        transcript_flow_record(p.tr, &p.flow);
        if (!go)
            break;
        if (show) {
            print_feed(&p);
            print_state(&p);
            print_lesson(&p, false);
        }
        fflush(out);
    }
    free(line);
    transcript_free(p.tr);
    flow_free(&p.flow);
    view_free(&p.view);
    sbuf_free(&p.last_lesson);
    runner_free(p.r);
    fflush(out);
    return 0;
}
