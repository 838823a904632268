/* lesson_sandbox: the lesson of `tutor sandbox`, built from its arguments. */
#include "lesson_sandbox.h"

#include <libintl.h>
#include <stdio.h>
#include <string.h>

void lesson_sandbox_json(struct sbuf *out, const char *protocol, long long nodes, long long seed,
                         bool multi)
{
    bool raft = !strcmp(protocol, "raft");
    sbuf_printf(out,
                "{\"format\": 1, \"id\": \"sandbox-%s\", \"title\": \"Sandbox: %s, %lld nodes\","
                " \"protocol\": \"%s\", \"cluster\": {\"nodes\": %lld, \"seed\": %lld%s},"
                " \"steps\": []}",
                protocol,
                raft    ? "Raft"
                : multi ? "Multi-Paxos"
                        : "Paxos",
                nodes, protocol, nodes, seed, multi ? ", \"options\": {\"multi\": true}" : "");
}

const char *lesson_shown_title(const char *id, const char *title, char *buf, size_t n)
{
    char proto[16];
    long long nodes;
    int used = 0;
    if (!id || !title || strncmp(id, "sandbox-", 8) ||
        sscanf(title, "Sandbox: %15[A-Za-z-], %lld nodes%n", proto, &nodes, &used) != 2 ||
        title[used])
        return title;
    /* TRANSLATORS: a sandbox's title; %s is Raft, Paxos or Multi-Paxos. */
    snprintf(buf, n, gettext("Sandbox: %s, %lld nodes"), proto, nodes);
    return buf;
}

int lesson_sandbox(const char *protocol, long long nodes, long long seed, bool multi,
                   struct lesson **out, struct lesson_errors *errs)
{
    struct sbuf json;
    sbuf_init(&json);
    lesson_sandbox_json(&json, protocol, nodes, seed, multi);
    int rc = lesson_parse("sandbox", json.s, json.len, out, errs);
    sbuf_free(&json);
    return rc;
}
