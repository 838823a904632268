/* lesson_bugs: cluster.bugs, the safety lab's bug switches (lesson format,
 * "The safety lab"): names of the lesson's protocol, each at most once. */
#include <string.h>

#include "tutor/lesson_internal.h"

unsigned lesson_read_bugs(struct lctx *c, const cJSON *v, const char *path)
{
    if (!lesson_want_array(c, v, path))
        return 0;
    unsigned bugs = 0;
    size_t i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        const char *p = lesson_path_idx(c, path, i);
        if (!cJSON_IsString(e)) {
            lesson_err(c, p, "expected a bug name (a string), found %s", lesson_describe(c, e));
            continue;
        }
        const char *name = e->valuestring;
        unsigned raft = proto_bug_lookup(PROTO_RAFT, name);
        unsigned paxos = proto_bug_lookup(PROTO_PAXOS, name);
        unsigned bit = 0;
        if ((c->proto & LP_RAFT) && raft)
            bit = raft;
        else if ((c->proto & LP_PAXOS) && paxos)
            bit = paxos;
        if (!bit && (raft || paxos)) {
            lesson_err(c, p, "\"%s\" is a %s bug; this lesson's protocol is %s", name,
                       lesson_proto_title(raft ? LP_RAFT : LP_PAXOS), lesson_proto_name(c->proto));
            continue;
        }
        if (!bit) {
            const char *const *names =
                proto_bug_names(c->proto == LP_PAXOS ? PROTO_PAXOS : PROTO_RAFT);
            lesson_err(c, p, "unknown bug %s%s", lesson_quote(c, name), lesson_dym(c, name, names));
            continue;
        }
        if (bugs & bit) {
            lesson_err(c, p, "\"%s\" is listed twice", name);
            continue;
        }
        bugs |= bit;
    }
    return bugs;
}
