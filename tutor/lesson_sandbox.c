/* lesson_sandbox: the lesson of `tutor sandbox`, built from its arguments. */
#include "lesson_sandbox.h"

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
