/* bugs: the names of the safety lab's bug switches (lesson format, "The
 * safety lab"), in the contract's spelling. Each switch is one bit of
 * proto_config.bugs that one engine checks at the rule it breaks. */
#include <string.h>

#include "proto.h"

struct bug_name {
    unsigned bit;
    enum protocol protocol;
    const char *name;
};

static const struct bug_name bug_table[] = {
    {BUG_COMMIT_OLD_TERMS, PROTO_RAFT, "commit_old_terms"},
    {BUG_VOLATILE_VOTE, PROTO_RAFT, "volatile_vote"},
    {BUG_NO_LOG_CHECK, PROTO_RAFT, "no_log_check"},
    {BUG_TRUNCATE_ON_APPEND, PROTO_RAFT, "truncate_on_append"},
    {BUG_CHANGE_WITHOUT_NOOP, PROTO_RAFT, "change_without_noop"},
    {BUG_STALE_READS, PROTO_RAFT, "stale_reads"},
    {BUG_IGNORE_PROMISED_VALUES, PROTO_PAXOS, "ignore_promised_values"},
    {BUG_ACCEPT_BELOW_PROMISE, PROTO_PAXOS, "accept_below_promise"},
    {BUG_LEARN_ACROSS_BALLOTS, PROTO_PAXOS, "learn_across_ballots"},
    {BUG_REUSE_BALLOT, PROTO_PAXOS, "reuse_ballot"},
    {BUG_VOLATILE_PROMISE, PROTO_PAXOS, "volatile_promise"},
};
#define N_BUGS (sizeof bug_table / sizeof bug_table[0])

static const char *const raft_bug_names[] = {"commit_old_terms",
                                             "volatile_vote",
                                             "no_log_check",
                                             "truncate_on_append",
                                             "change_without_noop",
                                             "stale_reads",
                                             NULL};
static const char *const paxos_bug_names[] = {"ignore_promised_values", "accept_below_promise",
                                              "learn_across_ballots",   "reuse_ballot",
                                              "volatile_promise",       NULL};

const char *proto_bug_name(unsigned bit)
{
    for (size_t i = 0; i < N_BUGS; i++)
        if (bug_table[i].bit == bit)
            return bug_table[i].name;
    return NULL;
}

unsigned proto_bug_lookup(enum protocol p, const char *name)
{
    for (size_t i = 0; i < N_BUGS; i++)
        if (bug_table[i].protocol == p && !strcmp(bug_table[i].name, name))
            return bug_table[i].bit;
    return 0;
}

const char *const *proto_bug_names(enum protocol p)
{
    return p == PROTO_RAFT ? raft_bug_names : paxos_bug_names;
}
