/* facts: fact evaluation. */
#include "facts.h"

#include <cJSON.h>
#include <stdio.h>
#include <string.h>

#include "protocols/raft.h"

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

static bool node_fact(const struct sim *s, const struct fact *f, struct sbuf *why)
{
    struct sbuf b;
    sbuf_init(&b);
    bool ok = true;
    for (size_t i = 0; i < f->n_fields; i++) {
        sbuf_reset(&b);
        if (sim_node_field(s, f->node, f->fields[i].name, &b) != 0) {
            sbuf_add(&b, "(no such field)");
        } else if (json_text_equals(b.s, f->fields[i].value)) {
            continue;
        }
        if (why && ok) {
            sbuf_printf(why, "%s.%s: expected ", s->cfg.names[f->node], f->fields[i].name);
            expected_text(f->fields[i].value, why);
            sbuf_printf(why, ", found %s", b.s);
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

static bool committed_fact(const struct sim *s, const struct fact *f, struct sbuf *why)
{
    const struct cowvec *c = &s->mon.committed;
    bool ok = (size_t)cJSON_GetArraySize(f->value) == c->len;
    for (size_t i = 0; ok && i < c->len; i++) {
        const cJSON *e = cJSON_GetArrayItem(f->value, (int)i);
        const struct entry *ent = cowvec_at(c, i);
        ok = cJSON_IsString(e) && ent->cmd && strcmp(e->valuestring, ent->cmd) == 0;
    }
    if (!ok && why) {
        sbuf_add(why, "committed: expected ");
        expected_text(f->value, why);
        sbuf_add(why, ", found [");
        for (size_t i = 0; i < c->len; i++) {
            if (i)
                sbuf_addc(why, ',');
            sbuf_json_str(why, ((const struct entry *)cowvec_at(c, i))->cmd);
        }
        sbuf_addc(why, ']');
    }
    return ok;
}

static bool chosen_fact(const struct sim *s, const struct fact *f, struct sbuf *why)
{
    const char *chosen = monitor_chosen(&s->mon, f->slot);
    bool ok = cJSON_IsNull(f->value) ? chosen == NULL
                                     : (chosen && cJSON_IsString(f->value) &&
                                        strcmp(chosen, f->value->valuestring) == 0);
    if (!ok && why) {
        sbuf_printf(why, "chosen (slot %lld): expected ", (long long)f->slot);
        expected_text(f->value, why);
        sbuf_add(why, ", found ");
        sbuf_json_str(why, chosen);
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

static bool client_list_fact(const struct sim *s, const struct fact *f, struct sbuf *why)
{
    bool reads = f->kind == FACT_READS;
    struct sbuf b;
    sbuf_init(&b);
    client_list_text(s, reads, &b);
    bool ok = json_text_equals(b.s, f->value);
    if (!ok && why) {
        sbuf_add(why, reads ? "reads: expected " : "answered: expected ");
        expected_text(f->value, why);
        sbuf_printf(why, ", found %s", b.s);
    }
    sbuf_free(&b);
    return ok;
}

bool fact_holds(const struct sim *s, const struct fact *f, struct sbuf *why)
{
    int n;
    switch (f->kind) {
    case FACT_NODE:
        return node_fact(s, f, why);
    case FACT_LEADER:
        n = facts_leader(s);
        if (n == f->node)
            return true;
        if (why)
            sbuf_printf(why, "leader: expected %s%s%s, found %s%s%s", f->node >= 0 ? "\"" : "",
                        f->node >= 0 ? s->cfg.names[f->node] : "null", f->node >= 0 ? "\"" : "",
                        n >= 0 ? "\"" : "", n >= 0 ? s->cfg.names[n] : "null", n >= 0 ? "\"" : "");
        return false;
    case FACT_LEADERS_IN_TERM:
        n = monitor_leaders_in_term(&s->mon, f->term);
        if (n == f->count)
            return true;
        if (why)
            sbuf_printf(why, "leaders_in_term %lld: expected %lld, found %d", (long long)f->term,
                        (long long)f->count, n);
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
            sbuf_printf(why, "pending: expected %lld matching messages, found %d",
                        (long long)f->count, n);
        return false;
    case FACT_TIME:
        if (s->now == f->count)
            return true;
        if (why)
            sbuf_printf(why, "time: expected %lld, found %lld", (long long)f->count,
                        (long long)s->now);
        return false;
    case FACT_SAFE:
        if (!s->mon.violated)
            return true;
        if (why)
            sbuf_printf(why, "safe: %s", s->mon.violation);
        return false;
    case FACT_ALL:
        for (size_t i = 0; i < f->n_kids; i++)
            if (!fact_holds(s, &f->kids[i], why))
                return false;
        return true;
    case FACT_ANY:
        for (size_t i = 0; i < f->n_kids; i++)
            if (fact_holds(s, &f->kids[i], NULL))
                return true;
        if (why)
            sbuf_add(why, "any: none of the facts holds");
        return false;
    case FACT_NOT:
        if (!fact_holds(s, &f->kids[0], NULL))
            return true;
        if (why)
            sbuf_add(why, "not: the fact holds");
        return false;
    case FACT_READS:
    case FACT_ANSWERED:
        return client_list_fact(s, f, why);
    }
    return false;
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
                    cJSON *j = cJSON_Parse(v.s);
                    if (cJSON_IsString(j))
                        sbuf_add(out, j->valuestring);
                    else
                        sbuf_add(out, v.s);
                    cJSON_Delete(j);
                    p = close + 1;
                    continue;
                }
            }
        }
        sbuf_addc(out, *p++);
    }
    sbuf_free(&v);
}
