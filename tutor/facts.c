/* facts: fact evaluation. */
#include "facts.h"

#include <cJSON.h>
#include <stdio.h>
#include <string.h>

#include "protocols/raft.h"
#include "tutor/field_words.h"
#include "tutor/note_text.h"

/* Compares a field's JSON text with an expected value. */
static bool json_text_equals(const char *text, const cJSON *expected)
{
    cJSON *v = cJSON_Parse(text);
    bool eq = v && cJSON_Compare(v, expected, 1);
    cJSON_Delete(v);
    return eq;
}

static void expected_text(const cJSON *v, struct sbuf *out)
{
    char *t = cJSON_PrintUnformatted(v);
    sbuf_add(out, t ? t : "?");
    cJSON_free(t);
}

bool filter_matches(const struct sim *s, const struct msg_filter *f, const struct msg *m)
{
    if (f->type != MSG_NONE && f->type != m->type)
        return false;
    if (f->from >= 0 && f->from != m->from)
        return false;
    if (f->to >= 0 && f->to != m->to)
        return false;
    if (!f->n_fields)
        return true;
    struct sbuf b;
    sbuf_init(&b);
    bool ok = true;
    for (size_t i = 0; ok && i < f->n_fields; i++) {
        sbuf_reset(&b);
        ok = msg_field(m, &s->cfg, f->fields[i].name, &b) == 0 &&
             json_text_equals(b.s, f->fields[i].value);
    }
    sbuf_free(&b);
    return ok;
}

int facts_leader(const struct sim *s)
{
    if (s->ops->protocol != PROTO_RAFT)
        return -1;
    int best = -1;
    for (int i = 0; i < s->cfg.n_nodes; i++) {
        const struct raft *r = sim_node_const(s, i);
        if (!r->v.up || r->v.role != RAFT_LEADER)
            continue;
        if (best < 0 || r->p.term > ((const struct raft *)sim_node_const(s, best))->p.term)
            best = i;
    }
    return best;
}

void fact_why_init(struct fact_why *w)
{
    memset(&w->note, 0, sizeof w->note);
    for (int i = 0; i < FACT_WHY_STRS; i++)
        sbuf_init(&w->str[i]);
}

void fact_why_free(struct fact_why *w)
{
    for (int i = 0; i < FACT_WHY_STRS; i++)
        sbuf_free(&w->str[i]);
}

/* Sets w's note: id, then its arguments (NA_STR arguments of w->str[k]
 * are given as note_str(NULL) with aux k + 1 and pointed at the buffer
 * here, once the buffers are written). */
static void why_set(struct fact_why *w, int id, const struct note_arg *args, int n)
{
    w->note = (struct proto_note){.id = (uint16_t)id, .n_args = (uint8_t)n};
    for (int i = 0; i < n; i++) {
        w->note.args[i] = args[i];
        if (args[i].kind == NA_STR && !args[i].v.s && args[i].aux > 0) {
            w->note.args[i].v.s = w->str[args[i].aux - 1].s;
            w->note.args[i].aux = 0;
        }
    }
}
#define WHY(w, id, ...)                                                                            \
    why_set((w), (id), (const struct note_arg[]){__VA_ARGS__},                                     \
            (int)(sizeof((const struct note_arg[]){__VA_ARGS__}) / sizeof(struct note_arg)))

/* The k-th string buffer of w, as a note argument (see why_set). */
static struct note_arg why_str(int k)
{
    struct note_arg a = note_str(NULL);
    a.aux = k + 1;
    return a;
}

static bool node_fact(const struct sim *s, const struct fact *f, struct fact_why *why)
{
    struct sbuf b;
    sbuf_init(&b);
    bool ok = true;
    for (size_t i = 0; i < f->n_fields; i++) {
        sbuf_reset(&b);
        bool none = false;
        if (sim_node_field(s, f->node, f->fields[i].name, &b) != 0) {
            none = true;
        } else if (json_text_equals(b.s, f->fields[i].value)) {
            continue;
        }
        if (why) {
            expected_text(f->fields[i].value, &why->str[0]);
            sbuf_add(&why->str[1], b.s);
            if (none)
                WHY(why, NOTE_FACT_NODE_NO_FIELD, note_node(f->node), note_str(f->fields[i].name),
                    why_str(0));
            else
                WHY(why, NOTE_FACT_NODE_FIELD, note_node(f->node), note_str(f->fields[i].name),
                    why_str(0), why_str(1));
        }
        ok = false;
        break;
    }
    sbuf_free(&b);
    return ok;
}

static int count_pending(const struct sim *s, const struct msg_filter *f)
{
    int n = 0;
    for (size_t i = 0; i < s->n_pending; i++)
        n += filter_matches(s, f, &s->pending[i].m);
    return n;
}

static bool committed_fact(const struct sim *s, const struct fact *f, struct fact_why *why)
{
    const struct cowvec *c = &s->mon.committed;
    bool ok = (size_t)cJSON_GetArraySize(f->value) == c->len;
    for (size_t i = 0; ok && i < c->len; i++) {
        const cJSON *e = cJSON_GetArrayItem(f->value, (int)i);
        const struct entry *ent = cowvec_at(c, i);
        ok = cJSON_IsString(e) && ent->cmd && strcmp(e->valuestring, ent->cmd) == 0;
    }
    if (!ok && why) {
        expected_text(f->value, &why->str[0]);
        struct sbuf *found = &why->str[1];
        sbuf_addc(found, '[');
        for (size_t i = 0; i < c->len; i++) {
            if (i)
                sbuf_addc(found, ',');
            sbuf_json_str(found, ((const struct entry *)cowvec_at(c, i))->cmd);
        }
        sbuf_addc(found, ']');
        WHY(why, NOTE_FACT_COMMITTED, why_str(0), why_str(1));
    }
    return ok;
}

static bool chosen_fact(const struct sim *s, const struct fact *f, struct fact_why *why)
{
    const char *chosen = monitor_chosen(&s->mon, f->slot);
    bool ok = cJSON_IsNull(f->value) ? chosen == NULL
                                     : (chosen && cJSON_IsString(f->value) &&
                                        strcmp(chosen, f->value->valuestring) == 0);
    if (!ok && why) {
        expected_text(f->value, &why->str[0]);
        sbuf_json_str(&why->str[1], chosen);
        WHY(why, NOTE_FACT_CHOSEN, note_int(f->slot), why_str(0), why_str(1));
    }
    return ok;
}

/* The `reads` or `answered` fact's list, as JSON text. */
static void client_list_text(const struct sim *s, bool reads, struct sbuf *out)
{
    const struct monitor_clients *m = &s->mon.clients;
    const struct cowvec *v = reads ? &m->reads : &m->answered;
    sbuf_addc(out, '[');
    for (size_t i = 0; i < v->len; i++) {
        if (i)
            sbuf_addc(out, ',');
        if (reads) {
            const struct monitor_read *r = cowvec_at(v, i);
            sbuf_add(out, "{\"node\":");
            sbuf_json_str(out, s->cfg.names[r->node]);
            sbuf_add(out, ",\"key\":");
            sbuf_json_str(out, r->key);
            sbuf_add(out, ",\"value\":");
            if (r->value)
                sbuf_json_str(out, r->value);
            else
                sbuf_add(out, "null");
            sbuf_addc(out, '}');
        } else {
            const struct monitor_answered *a = cowvec_at(v, i);
            sbuf_add(out, "{\"client\":");
            sbuf_json_str(out, a->client);
            sbuf_printf(out, ",\"seq\":%lld}", (long long)a->seq);
        }
    }
    sbuf_addc(out, ']');
}

static bool client_list_fact(const struct sim *s, const struct fact *f, struct fact_why *why)
{
    bool reads = f->kind == FACT_READS;
    struct sbuf b;
    sbuf_init(&b);
    client_list_text(s, reads, &b);
    bool ok = json_text_equals(b.s, f->value);
    if (!ok && why) {
        expected_text(f->value, &why->str[0]);
        sbuf_add(&why->str[1], b.s);
        WHY(why, reads ? NOTE_FACT_READS : NOTE_FACT_ANSWERED, why_str(0), why_str(1));
    }
    sbuf_free(&b);
    return ok;
}

/* "\"S1\"" or null: a node as the lesson gives it. */
static void node_json(const struct sim *s, int node, struct sbuf *out)
{
    sbuf_json_str(out, node >= 0 ? s->cfg.names[node] : NULL);
}

bool fact_holds_why(const struct sim *s, const struct fact *f, struct fact_why *why)
{
    int n;
    switch (f->kind) {
    case FACT_NODE:
        return node_fact(s, f, why);
    case FACT_LEADER:
        n = facts_leader(s);
        if (n == f->node)
            return true;
        if (why) {
            node_json(s, f->node, &why->str[0]);
            node_json(s, n, &why->str[1]);
            WHY(why, NOTE_FACT_LEADER, why_str(0), why_str(1));
        }
        return false;
    case FACT_LEADERS_IN_TERM:
        n = monitor_leaders_in_term(&s->mon, f->term);
        if (n == f->count)
            return true;
        if (why)
            WHY(why, NOTE_FACT_LEADERS_IN_TERM, note_int(f->term), note_int(f->count), note_int(n));
        return false;
    case FACT_COMMITTED:
        return committed_fact(s, f, why);
    case FACT_CHOSEN:
        return chosen_fact(s, f, why);
    case FACT_PENDING:
        n = count_pending(s, &f->filter);
        if (n == f->count)
            return true;
        if (why)
            WHY(why, NOTE_FACT_PENDING, note_int(f->count), note_int(n));
        return false;
    case FACT_TIME:
        if (s->now == f->count)
            return true;
        if (why)
            WHY(why, NOTE_FACT_TIME, note_int(f->count), note_int(s->now));
        return false;
    case FACT_SAFE:
        if (!s->mon.violated)
            return true;
        if (why) {
            sbuf_add(&why->str[0], s->mon.violation);
            WHY(why, NOTE_FACT_SAFE, why_str(0));
        }
        return false;
    case FACT_ALL:
        for (size_t i = 0; i < f->n_kids; i++)
            if (!fact_holds_why(s, &f->kids[i], why))
                return false;
        return true;
    case FACT_ANY:
        for (size_t i = 0; i < f->n_kids; i++)
            if (fact_holds_why(s, &f->kids[i], NULL))
                return true;
        if (why)
            why->note = (struct proto_note){.id = NOTE_FACT_ANY};
        return false;
    case FACT_NOT:
        if (!fact_holds_why(s, &f->kids[0], NULL))
            return true;
        if (why)
            why->note = (struct proto_note){.id = NOTE_FACT_NOT};
        return false;
    case FACT_READS:
    case FACT_ANSWERED:
        return client_list_fact(s, f, why);
    }
    return false;
}

bool fact_holds(const struct sim *s, const struct fact *f, struct sbuf *why)
{
    if (!why)
        return fact_holds_why(s, f, NULL);
    struct fact_why w;
    fact_why_init(&w);
    bool ok = fact_holds_why(s, f, &w);
    if (!ok)
        note_render_en(&w.note, s->cfg.names, s->cfg.n_nodes, why);
    fact_why_free(&w);
    return ok;
}

void facts_render_text(const struct sim *s, const char *text, struct sbuf *out)
{
    struct sbuf v;
    sbuf_init(&v);
    for (const char *p = text; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        const char *dot = close ? memchr(p, '.', (size_t)(close - p)) : NULL;
        if (dot) {
            char node[16], field[48];
            size_t nl = (size_t)(dot - p - 1), fl = (size_t)(close - dot - 1);
            if (nl < sizeof node && fl < sizeof field) {
                memcpy(node, p + 1, nl);
                node[nl] = '\0';
                memcpy(field, dot + 1, fl);
                field[fl] = '\0';
                int i = proto_node_index(&s->cfg, node);
                sbuf_reset(&v);
                if (i >= 0 && sim_node_field(s, i, field, &v) == 0) {
                    field_words(field, v.s, out);
                    p = close + 1;
                    continue;
                }
            }
        }
        sbuf_addc(out, *p++);
    }
    sbuf_free(&v);
}
