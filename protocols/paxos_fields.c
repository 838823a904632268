/* paxos_fields: the lesson format's Paxos node fields, as compact JSON
 * text (what `expect`, `{S1.promised}` and the UI read). */
#include <string.h>

#include "paxos_internal.h"

static const char *const field_names[] = {
    "up",      "promised",      "accepted",  "accepted_ballot", "accepted_value",
    "learned", "learned_value", "proposing", "phase",           "applied",
    NULL,
};

const char *const *paxos_fields(void)
{
    return field_names;
}

static void put_ballot(struct sbuf *out, struct ballot b, const struct proto_config *cfg)
{
    char buf[48];
    if (b.round < 1)
        sbuf_add(out, "null");
    else
        sbuf_json_str(out, ballot_format(b, cfg, buf, sizeof buf));
}

static void put_accepted(const struct paxos *x, const struct proto_config *cfg, struct sbuf *out)
{
    const struct cowvec *acc = &x->p.accepted;
    bool first = true;
    sbuf_addc(out, '{');
    for (size_t i = 0; i < acc->len; i++) {
        const struct paxos_accepted *a = cowvec_at(acc, i);
        if (a->ballot.round < 1)
            continue;
        sbuf_printf(out, "%s\"%zu\":[", first ? "" : ",", i + 1);
        put_ballot(out, a->ballot, cfg);
        sbuf_addc(out, ',');
        sbuf_json_str(out, a->value);
        sbuf_addc(out, ']');
        first = false;
    }
    sbuf_addc(out, '}');
}

static void put_learned(const struct paxos *x, struct sbuf *out)
{
    const struct cowvec *l = &x->v->learned;
    bool first = true;
    sbuf_addc(out, '{');
    for (size_t i = 0; i < l->len; i++) {
        const char *value = *(const char *const *)cowvec_at(l, i);
        if (!value)
            continue;
        sbuf_printf(out, "%s\"%zu\":", first ? "" : ",", i + 1);
        sbuf_json_str(out, value);
        first = false;
    }
    sbuf_addc(out, '}');
}

int paxos_field(const struct paxos *x, const struct proto_config *cfg, const char *name,
                struct sbuf *out)
{
    const struct paxos_volatile *v = x->v;
    if (!strcmp(name, "up")) {
        sbuf_add(out, v->up ? "true" : "false");
    } else if (!strcmp(name, "promised")) {
        put_ballot(out, x->p.promised, cfg);
    } else if (!strcmp(name, "accepted")) {
        put_accepted(x, cfg, out);
    } else if (!strcmp(name, "accepted_ballot") || !strcmp(name, "accepted_value")) {
        const struct paxos_accepted *a = paxos_accepted_at(x, 1);
        if (!a)
            sbuf_add(out, "null");
        else if (name[9] == 'b')
            put_ballot(out, a->ballot, cfg);
        else
            sbuf_json_str(out, a->value);
    } else if (!strcmp(name, "learned")) {
        put_learned(x, out);
    } else if (!strcmp(name, "learned_value")) {
        sbuf_json_str(out, paxos_learned_get(v, 1));
    } else if (!strcmp(name, "proposing")) {
        put_ballot(out, v->phase != PAXOS_IDLE ? v->ballot : (struct ballot){0, 0}, cfg);
    } else if (!strcmp(name, "phase")) {
        sbuf_json_str(out, paxos_phase_name(v->phase));
    } else if (!strcmp(name, "applied")) {
        sbuf_addc(out, '[');
        for (int64_t s = 1; s <= v->applied; s++) {
            if (s > 1)
                sbuf_addc(out, ',');
            sbuf_json_str(out, paxos_learned_get(v, s));
        }
        sbuf_addc(out, ']');
    } else {
        return -1;
    }
    return 0;
}
