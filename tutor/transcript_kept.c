/* transcript_kept: the history's branching replayed on the positions a
 * transcript recorded, to tell the run as it ended from what it left. */
#include "transcript_kept.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ITEM_ENTRY SIZE_MAX /* an item standing for its step itself */

struct item {
    size_t entry, line; /* line: the feed line, or ITEM_ENTRY */
    uint64_t pos;
};

struct seq {
    struct item *it;
    size_t n, cap;
};

static void push(struct seq *s, struct item it)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->it = realloc(s->it, s->cap * sizeof *s->it);
        if (!s->it)
            abort();
    }
    s->it[s->n++] = it;
}

bool transcript_entry_is_move(const struct transcript_entry *e)
{
    for (size_t i = 0; i < e->n_in; i++)
        if (e->in[i].kind != TI_SEEK && e->in[i].kind != TI_BRANCH)
            return false;
    return e->n_in > 0;
}

/* history_fork_if_past: what is stamped after pos leaves the line, as a
 * new branch at the end of the list (history.c appends it). */
static void fork_at(struct seq *line, struct seq **branches, size_t *n_branches, uint64_t pos)
{
    struct seq nb = {0};
    size_t keep = 0;
    for (size_t i = 0; i < line->n; i++) {
        if (line->it[i].pos > pos)
            push(&nb, line->it[i]);
        else
            line->it[keep++] = line->it[i];
    }
    line->n = keep;
    *branches = realloc(*branches, (*n_branches + 1) * sizeof **branches);
    if (!*branches)
        abort();
    (*branches)[(*n_branches)++] = nb;
}

static void from_positions(const struct transcript *t, struct transcript_kept *k)
{
    struct seq line = {0}, *branches = NULL;
    size_t n_branches = 0;
    for (size_t e = 0; e < t->n; e++) {
        const struct transcript_entry *en = &t->e[e];
        long sw = -1; /* the branch a switch (B) puts back on the line */
        for (size_t i = 0; i < en->n_in; i++)
            if (en->in[i].kind == TI_BRANCH)
                sw = en->in[i].branch < n_branches ? (long)en->in[i].branch : -1;
        struct seq back = {0};
        if (sw >= 0) { /* history_switch: the branch leaves the list first */
            back = branches[sw];
            memmove(branches + sw, branches + sw + 1,
                    (n_branches - (size_t)sw - 1) * sizeof *branches);
            n_branches--;
        }
        if (en->fork_pos >= 0)
            fork_at(&line, &branches, &n_branches, (uint64_t)en->fork_pos);
        for (size_t i = 0; i < back.n; i++)
            push(&line, back.it[i]);
        free(back.it);
        for (size_t i = 0; i < en->n_lines; i++)
            push(&line, (struct item){e, i, en->lines[i].pos});
        push(&line, (struct item){e, ITEM_ENTRY, en->pos});
    }
    for (size_t e = 0; e < t->n; e++)
        k->entry[e] = TK_ABANDONED;
    /* What lies ahead of the position the run ended at did not lead to
     * it (a detour the lesson returned from, a look into the future). */
    for (size_t i = 0; i < line.n; i++) {
        const struct item *it = &line.it[i];
        if (t->has_end && it->pos > t->end.pos)
            continue;
        k->entry[it->entry] = TK_KEPT;
        if (it->line != ITEM_ENTRY)
            k->line[it->entry][it->line] = true;
    }
    /* A kept step whose every line stayed needs no per-line table. */
    for (size_t e = 0; e < t->n; e++) {
        bool all = true;
        for (size_t i = 0; i < t->e[e].n_lines && all; i++)
            all = k->line[e][i];
        if (all || k->entry[e] != TK_KEPT) {
            free(k->line[e]);
            k->line[e] = NULL;
        }
    }
    free(line.it);
    for (size_t i = 0; i < n_branches; i++)
        free(branches[i].it);
    free(branches);
}

void transcript_kept_build(const struct transcript *t, struct transcript_kept *k)
{
    memset(k, 0, sizeof *k);
    k->n = t->n;
    k->entry = calloc(t->n ? t->n : 1, sizeof *k->entry);
    k->line = calloc(t->n ? t->n : 1, sizeof *k->line);
    if (!k->entry || !k->line)
        abort();
    if (t->recorded) {
        for (size_t e = 0; e < t->n; e++) {
            k->line[e] = calloc(t->e[e].n_lines ? t->e[e].n_lines : 1, 1);
            if (!k->line[e])
                abort();
        }
        from_positions(t, k);
    } else {
        for (size_t e = 0; e < t->n; e++)
            k->entry[e] = t->e[e].abandoned ? TK_ABANDONED : TK_KEPT;
    }
    for (size_t e = 0; e < t->n; e++) {
        if (transcript_entry_is_move(&t->e[e]))
            k->entry[e] = TK_MOVE;
        k->entry[e] == TK_KEPT   ? k->n_kept++
        : k->entry[e] == TK_MOVE ? k->n_moves++
                                 : k->n_abandoned++;
    }
}

void transcript_kept_free(struct transcript_kept *k)
{
    for (size_t e = 0; e < k->n; e++)
        free(k->line[e]);
    free(k->line);
    free(k->entry);
    memset(k, 0, sizeof *k);
}

bool transcript_kept_line(const struct transcript_kept *k, size_t e, size_t i)
{
    if (e >= k->n || k->entry[e] != TK_KEPT)
        return false;
    return !k->line[e] || k->line[e][i];
}
