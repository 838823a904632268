/* monitor: shared parts of the safety monitors (violations, applied
 * commands, history facts); the protocol halves are monitor_raft.c and
 * monitor_paxos.c. */
#include "monitor.h"

#include <stdio.h>
#include <string.h>

#include "feed.h"
#include "protocols/msg.h"
#include "sim.h"

void monitor_init(struct monitor *m, enum protocol p)
{
    memset(m, 0, sizeof *m);
    m->protocol = p;
    cowvec_init(&m->leaders, sizeof(struct monitor_leader));
    cowvec_init(&m->committed, sizeof(struct entry));
    cowvec_init(&m->commit_terms, sizeof(int64_t));
    cowvec_init(&m->applied, sizeof(const char *));
    cowvec_init(&m->slots, sizeof(struct monitor_slot));
    cowvec_init(&m->proposed, sizeof(const char *));
    monitor_index_init(&m->proposed_index);
    cowvec_init(&m->proposals, sizeof(struct monitor_proposal));
    monitor_index_init(&m->proposal_index);
    monitor_clients_init(&m->clients);
}

void monitor_clone(struct monitor *dst, const struct monitor *src)
{
    *dst = *src;
    cowvec_clone(&dst->leaders, &src->leaders);
    cowvec_clone(&dst->committed, &src->committed);
    cowvec_clone(&dst->commit_terms, &src->commit_terms);
    cowvec_clone(&dst->applied, &src->applied);
    cowvec_clone(&dst->slots, &src->slots);
    cowvec_clone(&dst->proposed, &src->proposed);
    monitor_index_clone(&dst->proposed_index, &src->proposed_index);
    cowvec_clone(&dst->proposals, &src->proposals);
    monitor_index_clone(&dst->proposal_index, &src->proposal_index);
    monitor_clients_clone(&dst->clients, &src->clients);
}

void monitor_free(struct monitor *m)
{
    cowvec_free(&m->leaders);
    cowvec_free(&m->committed);
    cowvec_free(&m->commit_terms);
    cowvec_free(&m->applied);
    cowvec_free(&m->slots);
    cowvec_free(&m->proposed);
    monitor_index_free(&m->proposed_index);
    cowvec_free(&m->proposals);
    monitor_index_free(&m->proposal_index);
    monitor_clients_free(&m->clients);
}

void monitor_violation_args(struct sim *s, int id, const struct note_arg *args, size_t n)
{
    struct proto_note what = {.id = (uint16_t)id, .n_args = (uint8_t)n};
    memcpy(what.args, args, n * sizeof *args);
    struct sbuf text;
    sbuf_init(&text);
    note_render(&what, s->cfg.names, s->cfg.n_nodes, &text);
    if (!s->mon.violated) {
        s->mon.violated = true;
        snprintf(s->mon.violation, sizeof s->mon.violation, "%s", text.s);
    }
    /* The feed keeps what broke as data: the monitor's note as a phrase
     * with its arguments after it (its words in the language shown). */
    struct proto_note line = {.id = NOTE_MONITOR_VIOLATED, .n_args = 1, .args = {note_str(text.s)}};
    if (what.n_args < NOTE_MAX_ARGS) {
        line.args[0] = note_phrase(what.id);
        line.args[0].aux = 1;
        memcpy(line.args + 1, what.args, what.n_args * sizeof *what.args);
        line.n_args = (uint8_t)(1 + what.n_args);
    }
    feed_add_note(s->feed, s->now, -1, FEED_VIOLATION, 0, &line, s->cfg.names, s->cfg.n_nodes);
    sbuf_free(&text);
}

/* No two nodes apply different commands at one index (Raft's State
 * Machine Safety; for Paxos, applied logs agree). */
static void monitor_check_applied(struct sim *s, int node)
{
    const struct proto_out *out = &s->out;
    for (size_t i = 0; i < out->n_applied; i++) {
        int64_t idx = out->applied[i].index;
        const char *cmd = out->applied[i].cmd ? out->applied[i].cmd : "";
        if (idx < 1)
            continue;
        if ((size_t)idx > s->mon.applied.len)
            cowvec_resize_zero(&s->mon.applied, (size_t)idx);
        const char **slot = cowvec_mut(&s->mon.applied, (size_t)idx - 1);
        if (!*slot)
            *slot = cmd;
        else if (strcmp(*slot, cmd) != 0)
            monitor_violation(s, NOTE_MONITOR_APPLY_CONFLICT, note_node(node), note_str(cmd),
                              note_int(idx), note_str(*slot));
    }
}

void monitor_before(const struct sim *s, int node, struct monitor_pre *pre)
{
    if (s->mon.protocol == PROTO_RAFT)
        monitor_raft_before(s, node, pre);
    else
        monitor_paxos_before(s, node, pre);
}

void monitor_after(struct sim *s, int node, struct monitor_pre *pre)
{
    if (s->mon.protocol == PROTO_RAFT)
        monitor_raft_after(s, node, pre);
    else
        monitor_paxos_after(s, node, pre);
    monitor_check_applied(s, node);
}

int monitor_leaders_in_term(const struct monitor *m, int64_t term)
{
    int n = 0;
    for (size_t i = 0; i < m->leaders.len; i++)
        n += ((const struct monitor_leader *)cowvec_at(&m->leaders, i))->term == term;
    return n;
}

const char *monitor_chosen(const struct monitor *m, int64_t slot)
{
    if (slot < 1 || (size_t)slot > m->slots.len)
        return NULL;
    return ((const struct monitor_slot *)cowvec_at(&m->slots, (size_t)slot - 1))->chosen;
}
