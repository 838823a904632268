/* i18n: the UI's strings, by message id, through GNU gettext. The table
 * holds the English msgids (marked N_ for xgettext); their translations
 * live in po/LANG.po, one file a language. */
#include "i18n.h"

#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <stdarg.h>
#include <stdbool.h>

#include "config.h"

static char ui_lang_tag[32] = "en";
static char lesson_lang[32] = "en";

static const char *const messages[UI_MSG_COUNT] = {
    [UI_MSG_RIGHT] = N_("Right!"),
    [UI_MSG_RIGHT_RETRY] = N_("Right, on the second try."),
    [UI_MSG_WRONG] = N_("Not quite."),
    [UI_MSG_THE_ANSWER] = N_("The answer: %s."),
    [UI_MSG_NO_POINTS] = N_("No points this time."),
    [UI_MSG_SCORED_BEFORE] = N_("(answered before: points count once)"),
    [UI_MSG_TRY_AGAIN] = N_("Try once more, or g: show the answer."),
    [UI_MSG_HINT] = N_("Hint: "),
    [UI_MSG_HINT_KEY] = N_("H: a hint"),
    [UI_MSG_PICK_NUMBER] = N_("Press the number of your answer"),
    [UI_MSG_PICK_MULTI] = N_("Numbers toggle choices, Enter answers"),
    [UI_MSG_TYPE_VALUE] = N_("Enter: type your answer"),
    [UI_MSG_YOU_PREDICT] = N_("You predict: %s."),
    [UI_MSG_WATCH] = N_(" g: run the lesson on and watch what happens."),
    [UI_MSG_SEE_ANSWER] = N_(" g: see the answer."),
    [UI_MSG_NONE_OF_THESE] = N_("none of these"),
    [UI_MSG_GO_ON] = N_(" (g: go on)"),
    [UI_MSG_NEXT] = N_("Next: "),
    [UI_MSG_DO_IT] = N_(" (g to do it)"),
    [UI_MSG_GOTO] = N_("The lesson goes back to \"%s\". g: go, Esc: skip"),
    [UI_MSG_GOAL] = N_("Goal: "),
    [UI_MSG_ACTIONS] = N_("Actions used: %d of %d"),
    [UI_MSG_ACTIONS_FREE] = N_("Actions used: %d"),
    [UI_MSG_NOT_ALLOWED] = N_("; not allowed: "),
    [UI_MSG_GIVE_UP] = N_("(s: give up and watch the solution)"),
    [UI_MSG_SOLUTION] = N_("The solution, step by step (%zu of %zu done):"),
    [UI_MSG_SOLUTION_NEXT] = N_("(g: next solution step)"),
    [UI_MSG_SOLUTION_OK] = N_("The solution played: the goal holds now."),
    [UI_MSG_SOLUTION_BAD] = N_("The solution played, but the goal does not hold."),
    [UI_MSG_FORBIDDEN] = N_("\"%s\" is not allowed in this challenge"),
    [UI_MSG_NO_ACTIONS] = N_("no actions left (%d used): b goes back, s shows the solution"),
    [UI_MSG_PICK_FIRST] = N_("pick an answer first (H: hint)"),
    [UI_MSG_TYPE_FIRST] = N_("type your answer first"),
    [UI_MSG_GOAL_FIRST] = N_("reach the goal first (or s: watch the solution)"),
    [UI_MSG_OVER] = N_("the lesson is over"),
    [UI_MSG_END] = N_("End of the lesson."),
    [UI_MSG_END_SCORE] = N_("End of the lesson. Score: %d/%d."),
    [UI_MSG_SANDBOX] = N_("A cluster to play with: step, deliver, crash, partition. ? for keys."),
    [UI_MSG_PL_SANDBOX] =
        N_("A cluster to play with: step, deliver, crash, partition. help lists the commands."),
    [UI_MSG_STEP] = N_("step %zu/%zu"),
    [UI_MSG_SCORE] = N_("score %d/%d"),
    [UI_MSG_HISTORY] = N_("history %zu/%zu"),
    /* TRANSLATORS: the history position once the older snapshots were
     * thinned out to keep memory bounded: stepping far back is slower. */
    [UI_MSG_HISTORY_THINNED] = N_("history %zu/%zu, thinned"),
    [UI_MSG_SAFE] = N_("safe"),
    [UI_MSG_H_CONTINUE] = N_("Space/g: continue"),
    [UI_MSG_H_DO] = N_("g: do the next lesson step"),
    [UI_MSG_H_QUIZ] = N_("1-%d answer (numbers answer now)  H hint"),
    [UI_MSG_H_QUIZ_VALUE] = N_("Enter: type the answer  H hint"),
    [UI_MSG_H_RETRY] = N_("try again, or g: the answer"),
    [UI_MSG_H_PREDICTED] = N_("g: watch it happen"),
    [UI_MSG_H_GO_ON] = N_("g: go on"),
    [UI_MSG_H_GOAL] = N_("your move  s: solution"),
    [UI_MSG_H_SOLUTION] = N_("g: next solution step"),
    [UI_MSG_H_GOTO] = N_("g: go back, Esc: skip"),
    [UI_MSG_MORE_DOWN] = N_("more \xe2\x86\x93"),
    [UI_MSG_MORE_UP] = N_("\xe2\x86\x91 more"),
    [UI_MSG_YOUR_ANSWER] = N_("your answer: "),
    [UI_MSG_HELP_TITLE] = N_(" keys (any key closes) "),
    [UI_MSG_HELP_MORE] = N_("Space: more"),
    [UI_MSG_QUIT_ASK] = N_("Quit?"),
    [UI_MSG_NO_HINT] = N_("this quiz has no hint"),
    [UI_MSG_NO_GOAL] = N_("s plays a goal's solution; there is no goal now"),
    [UI_MSG_BEGINNING] = N_("this is the beginning"),
    [UI_MSG_LATEST] = N_("this is the latest step (n steps the cluster)"),
    [UI_MSG_NOTHING] = N_("nothing is scheduled: no message in flight and no timer set"),
    [UI_MSG_NO_MESSAGE] = N_("no message in flight"),
    [UI_MSG_WAITS] = N_("autoplay paused: the lesson waits for you"),
    [UI_MSG_RESUME] = N_("Resume where you left off (%s, score %d/%d)?"),
    [UI_MSG_RESUME_AT] = N_("Resume where you left off (%s)?"),
    [UI_MSG_P_CLUSTER] = N_("cluster"),
    [UI_MSG_P_MESSAGES] = N_("messages"),
    [UI_MSG_P_LOGS] = N_("logs"),
    [UI_MSG_P_SLOTS] = N_("slots"),
    [UI_MSG_P_FEED] = N_("feed"),
    [UI_MSG_P_SPACETIME] = N_("space-time"),
    [UI_MSG_P_LEADER] = N_("leader %s"),
    [UI_MSG_P_NONE] = N_("none"),
    [UI_MSG_PL_RAFT] = N_(" term %s, vote %s, commit %lld"),
    [UI_MSG_PL_PAXOS] = N_(" promised %s, proposing %s, learned %lld"),
    [UI_MSG_PL_GROUP] = N_(", group %d"),
    [UI_MSG_PL_TIMER] = N_(", timer due %lldms"),
    [UI_MSG_PL_LOG] = N_(", log:"),
    [UI_MSG_PL_SLOTS] = N_(", slots:"),
    [UI_MSG_PL_EMPTY] = N_(" (empty)"),
    [UI_MSG_PL_LINK_CUT] = N_("  link cut: %s %s %s\n"),
    [UI_MSG_PL_COPY] = N_(" (copy)"),
    [UI_MSG_PL_MSG_LINK_CUT] = N_(" (link cut)"),
    [UI_MSG_PL_DUE] = N_(", due %lldms"),
    /* §7: the entries up to this index are in the node's snapshot. */
    [UI_MSG_PL_SNAPSHOT] = N_(" [snapshot <=%lld, t%lld]"),
    /* %s: "≤" (or "<=" without UTF-8). */
    [UI_MSG_C_LOG_SNAP] = N_("log %zu, applied %lld, snapshot %s%lld"),
    /* The log panel's mark where a snapshot ends; %s: "≤" or "<=". */
    [UI_MSG_L_SNAPSHOT] = N_("snapshot %s%lld (t%lld)"),
    [UI_MSG_C_KV] = N_(", kv %s"),
    [UI_MSG_C_VOTE] = N_(" vote "),
    [UI_MSG_C_CI] = N_(" ci "),
    [UI_MSG_C_PROM] = N_(" prom "),
    [UI_MSG_C_PROP] = N_(" prop "),
    [UI_MSG_C_LRN] = N_(" lrn "),
    [UI_MSG_C_CRASHED] = N_("crashed: volatile state lost"),
    [UI_MSG_C_NEXT_MATCH] = N_("next/match"),
    [UI_MSG_C_VOTES] = N_("votes %d of %d"),
    [UI_MSG_C_LEADER] = N_("leader %s"),
    [UI_MSG_C_UNKNOWN] = N_("unknown"),
    [UI_MSG_C_PHASE] = N_("phase %s, applied %lld"),
    [UI_MSG_C_LOG] = N_("log %zu, applied %lld"),
    [UI_MSG_C_SLOT] = N_("%zu slot"),
    [UI_MSG_C_SLOTS] = N_("%zu slots"),
    [UI_MSG_C_EMPTY_LOG] = N_("(empty log)"),
    [UI_MSG_C_NO_SLOT] = N_("(no slot)"),
    [UI_MSG_L_RAFT] = N_("applied + committed"),
    [UI_MSG_L_PAXOS] = N_("learned + chosen v@b accepted"),
    [UI_MSG_P_PENDING] = N_("%zu pending"),
    [UI_MSG_P_PENDING_LOST] = N_("%zu pending \xc2\xb7 %zu lost"),
    [UI_MSG_RESUME_KEYS] = N_("Enter/y: resume   n/Esc: start the lesson over"),
    [UI_MSG_SAVE_FAILED] = N_("progress not saved: %s"),
    [UI_MSG_PROGRESS_BAD] = N_("progress file ignored: %s"),
    [UI_MSG_MENU_TITLE] = N_(" Consensus Tutor: lessons"),
    [UI_MSG_MENU_KEYS] =
        N_("Enter open  \xe2\x86\x91/\xe2\x86\x93 move  p protocol  l language  q quit"),
    [UI_MSG_MENU_DONE] = N_("done"),
    [UI_MSG_MENU_ALL] = N_("all"),
    [UI_MSG_PROTOCOL] = N_("protocol: %s"),
    [UI_MSG_LANGUAGE] = N_("language: %s"),
    [UI_MSG_TOO_SMALL] = N_("terminal too small: need %d\xc3\x97%d (now %d\xc3\x97%d)"),
    [UI_MSG_PLAIN_INTRO] = N_("%s, %d nodes. Type help for the commands."),
    [UI_MSG_K_CONTINUE] = N_("continue"),
    [UI_MSG_K_DO] = N_("do the next step"),
    [UI_MSG_K_WATCH] = N_("watch it happen"),
    [UI_MSG_K_SOLUTION] = N_("next solution step"),
    [UI_MSG_K_GOTO] = N_("go back"),
    [UI_MSG_ASK_HEAL] = N_("Heal the network? It undoes the lesson's partition."),
    [UI_MSG_ASK_CRASH] = N_("Crash %s during the quiz? It changes what the quiz asks about."),
    [UI_MSG_ASK_RESTART] = N_("Restart %s during the quiz? It changes what the quiz asks about."),
    [UI_MSG_NOT_DONE] = N_("not done"),
    [UI_MSG_SEARCH_ENDED] = N_("search ended: n steps again"),
    [UI_MSG_RESUME_HINT] = N_("Resume?"),
    [UI_MSG_PROGRESS_KEPT] = N_("saved progress was damaged (%s): kept as %s, a new record starts"),
    [UI_MSG_PROGRESS_OTHER] =
        N_("this lesson is open in another window: only finishing it is recorded here"),
    [UI_MSG_BEST] = N_("best %d/%d"),
    [UI_MSG_BRANCH_LINE] = N_("branch %zu: leaves this run at position %zu and goes on to %zu"),
    [UI_MSG_NO_BRANCH] = N_("no such branch (there are %zu)"),
    [UI_MSG_NO_BRANCHES] = N_("no other branch: one appears when you step back and act"),
    [UI_MSG_CMD_PROMPT] =
        N_("action (settle, run MS, step N, crash NODE, request NODE TEXT, ...): "),
    [UI_MSG_CMD_BAD] = N_("\"%s\" is not an action here: ? lists what : takes"),
    [UI_MSG_CMD_USAGE] = N_("write %s"),
    [UI_MSG_BRANCH_SWITCHED] = N_("switched to the branch you left; B switches back"),
    [UI_MSG_DETOUR] = N_("You are exploring off the script. g takes you back to where the lesson "
                         "was, and it goes on from there (what you did stays in the history)."),
    [UI_MSG_PL_WELCOME] = N_("%s, %d nodes. Type help for the commands."),
    [UI_MSG_PL_STEP_RANGE] = N_("step takes a count from 1 to %d"),
    [UI_MSG_PL_RUN_RANGE] = N_("run takes virtual milliseconds from 1 to %d (one hour)"),
    [UI_MSG_PL_NO_QUIZ] = N_("there is no quiz to answer now"),
    [UI_MSG_PL_NO_VALUE] = N_("answer TEXT is for a quiz that wants a value; there is none now"),
    [UI_MSG_PL_NO_MULTI] = N_("submit is for a quiz with several right choices; there is none now"),
    [UI_MSG_PL_UNKNOWN] = N_("unknown command \"%s\" (help lists them)"),
    [UI_MSG_PL_NODE_ARG] = N_("name a node (%s..%s)"),
    [UI_MSG_PL_MSG_ARG] = N_("%s needs a message number (state lists them)"),
    [UI_MSG_PL_TEXT_ARG] = N_("%s needs a node and a text, e.g. %s S1 x=1"),
    [UI_MSG_PL_HELP_TITLE] = N_("commands (one per line) that apply now:"),
    [UI_MSG_PL_HELP_ALL] = N_("commands (one per line), [when they apply]:"),
    [UI_MSG_PL_HELP_MORE] = N_("help all: every command and when it applies"),
    [UI_MSG_PL_WRITTEN] = N_("transcript written to %s"),
    /* TRANSLATORS: %s is the character set (nl_langinfo), e.g.
     * ANSI_X3.4-1968 for LANG=C. Shown in English: the terminal cannot
     * show Chinese then. */
    [UI_MSG_LOCALE_NOTICE] = N_("tutor: the character set %s is not UTF-8: ASCII and English. "
                                "For Chinese: LANG=C.UTF-8 tutor --lang zh-CN"),
    [UI_MSG_ASK_GROUPS] = N_("groups, e.g. S1 S2 | S3 S4 S5: "),
    /* TRANSLATORS: the plain mode's status line: virtual time, history
     * position, safety. */
    [UI_MSG_PL_STATUS] = N_("t=%lldms, %s, %s"),
    /* TRANSLATORS: the same, with the other branches kept in parentheses. */
    [UI_MSG_PL_STATUS_BRANCHES] = N_("t=%lldms, %s (%s), %s"),
    /* TRANSLATORS: the prompt for a client request's text; %s is a server. */
    [UI_MSG_ASK_REQUEST] = N_("request to %s: "),
    /* TRANSLATORS: the prompt for the value a proposer proposes; %s is a node. */
    [UI_MSG_ASK_PROPOSE] = N_("propose to %s: "),
    [UI_MSG_NO_OLDER_MATCH] = N_("no older match for \"%s\""),
    [UI_MSG_NO_NEWER_MATCH] = N_("no newer match for \"%s\""),
    [UI_MSG_EXPORT_AS] = N_("export as json, md or svg: "),
    [UI_MSG_EXPORT_FORMATS] = N_("\"%s\": the formats are json, md and svg"),
    [UI_MSG_EXPORT_TO] = N_("export to: "),
    [UI_MSG_EXPORT_EXISTS] = N_("%s exists: y replaces it, another key gives another name "),
    [UI_MSG_EXPORT_KEPT] = N_("not exported: %s is left as it was"),
    [UI_MSG_EXPORT_FAILED] = N_("%s (nothing written; e tries again)"),
    [UI_MSG_AUTOPLAY_ON] = N_("autoplay on (%d ms per step; + and - change it)"),
    [UI_MSG_AUTOPLAY_OFF] = N_("autoplay off (%d ms per step; + and - change it)"),
    [UI_MSG_AUTOPLAY_SPEED] = N_("autoplay: %d ms per step"),
    [UI_MSG_STOPPED] = N_("stopped where it was; recorded as: %s"),
    /* TRANSLATORS: %s is what is left of the lesson's step ("run for 5000 ms"). */
    [UI_MSG_PL_PICK_NUMBER] = N_("Type the number of your answer"),
    [UI_MSG_PL_PICK_MULTI] = N_("Numbers toggle choices, submit answers"),
    [UI_MSG_PL_TYPE_VALUE] = N_("answer TEXT: your answer"),
    [UI_MSG_PL_HINT_KEY] = N_("hint: a hint"),
    [UI_MSG_PL_PICK_FIRST] = N_("pick an answer first (hint: a hint)"),
    [UI_MSG_STEP_STOPPED] = N_("stopped where it was; going on runs the rest of this step: %s"),
    [UI_MSG_RUNNING] = N_("running… any key stops it"),
    [UI_MSG_ROWS_MORE] = N_("%s %d more"),
    [UI_MSG_PL_SIGINT] = N_("Ctrl-C stops a long run; quit ends the session"),
    [UI_MSG_PL_LESSON] = N_("lesson, %s"),
    [UI_MSG_PL_LESSON_SCORE] = N_(", %s"),
    [UI_MSG_PL_LESSON_TITLE] = N_(" (%s):"),
    [UI_MSG_PL_LESSON_END] = N_(":"),
    /* TRANSLATORS: the plain mode's lesson line in a sandbox, which has no
     * steps (the lesson's text follows on the next line). */
    [UI_MSG_PL_SANDBOX_LINE] = N_("sandbox"),
    /* TRANSLATORS: between the words of a short list (a goal's forbidden actions). */
    [UI_MSG_WORD_SEP] = N_(" "),
    [UI_MSG_C_NO_TIMER] = N_("no timer"),
    [UI_MSG_LOST_WORD] = N_("lost"),
    [UI_MSG_DROPPED_WORD] = N_("dropped"),
    [UI_MSG_ST_OLDER] = N_("%s%zu%s older"),
    [UI_MSG_ST_NEWER] = N_("%s%zu newer"),
    [UI_MSG_ST_LOST] = N_("%zu lost"),
    [UI_MSG_ST_NOTHING_OLDER] = N_("nothing older"),
    [UI_MSG_ST_NO_MESSAGE] = N_("no message yet: Space steps the cluster"),
    [UI_MSG_LESSON_TITLE] = N_("lesson"),
    [UI_MSG_Q_QUITS] = N_("q quits"),
    [UI_MSG_PREDICT_STOPPED] = N_("the look-ahead was stopped, so your prediction was not taken: "
                                  "answer again to have it checked"),
    [UI_MSG_C_CONFIG] = N_(", config %s"),
    [UI_MSG_C_CONFIG_JOINT] = N_(", config %s > %s"),
    [UI_MSG_C_VOTING] = N_(" (voting)"),
    [UI_MSG_C_SPARE] = N_(" (not voting)"),
    [UI_MSG_C_CATCHING_UP] = N_(", catching %s up"),
    [UI_MSG_K_EXPLORE] = N_("run the explorer"),
    [UI_MSG_EXPLORE_ASK] =
        N_("The explorer searches every schedule from this state, up to %d events "
           "deep (deliveries in any order, drops, duplicates, timeouts, crashes "
           "and restarts within the step's bounds), for a broken safety "
           "invariant."),
    [UI_MSG_EXPLORE_ASK_UNTIL] =
        N_("The explorer searches every schedule from this state, up to %d "
           "events deep (deliveries in any order, drops, duplicates, "
           "timeouts, crashes and restarts within the step's bounds), for "
           "the fact the lesson asks."),
    [UI_MSG_EXPLORE_GO] = N_(" (g runs it; any key stops it)"),
    [UI_MSG_EXPLORE_THROUGH] = N_("(f steps through what it found, b goes back; g goes on from the "
                                  "state the search began in, and what was found stays in the "
                                  "history as a branch)"),
    [UI_MSG_EXPLORE_NOTHING] = N_("(nothing was found, so there is nothing to step through: g goes "
                                  "on)"),
    [UI_MSG_EXPLORING] = N_("exploring: %ld states, frontier %zu, depth %d (%.0f states/s); any "
                            "key stops it"),
    [UI_MSG_EXPLORE_STOPPED] = N_("the search was stopped after %ld states: nothing was played "
                                  "(run it again to let it finish)"),
    [UI_MSG_EXPLORE_WHERE] = N_("the explorer runs at a lesson's explore step, in a sandbox and "
                                "after a lesson's end"),
    /* TRANSLATORS: after the resume question, on its line (the space
     * before it is the separator); y and n are
     * typed as they are. */
    [UI_MSG_PL_RESUME_KEYS] = N_(" (y or Enter resumes, n starts over) "),
    [UI_MSG_ONLY_CHOICES] = N_("only 1-%d are choices"),
    /* TRANSLATORS: %s is "step 3/37". */
    [UI_MSG_RESTART_ASK] = N_("Start over? The saved progress (%s) will be replaced."),
    [UI_MSG_RESTART_KEYS] = N_("y: start over   n/Esc: back to the question"),
    /* TRANSLATORS: after the start-over question, on its line; y, n and
     * Enter are typed as they are. */
    [UI_MSG_PL_RESTART_KEYS] = N_(" (y starts over, n or Enter goes back) "),
    [UI_MSG_K_REPICK] = N_("change the pick"),
    [UI_MSG_PROMPT_KEYS] = N_("Enter submits, Esc cancels, Ctrl-U clears"),
    [UI_MSG_PROMPT_CANCELLED] = N_("prompt cancelled (Esc while the terminal was too small)"),
    [UI_MSG_NO_MATCH] = N_("nothing in the feed matches \"%s\""),
    /* TRANSLATORS: %s lists the keys that work there, as the hint line
     * writes them ("Enter/y resume  n/Esc start over"). */
    [UI_MSG_KEY_UNKNOWN] = N_("that key does nothing here: %s"),
    /* TRANSLATORS: %s is the locale name asked for (LANG=zh_CN.GB18030).
     * Shown in English, as the one before. */
    [UI_MSG_LOCALE_MISSING] = N_("tutor: the locale %s is not installed: ASCII and English. "
                                 "For Chinese: LANG=C.UTF-8 tutor --lang zh-CN"),
    /* TRANSLATORS: %s is the preferred language's tag (zh-CN); the menu
     * shows that language's lessons, and English ones that have no
     * translation. */
    [UI_MSG_LANGUAGE_FALLBACK] = N_("language: %s (English where a lesson has no translation)"),
    /* TRANSLATORS: the status bar's virtual time in milliseconds. */
    [UI_MSG_STATUS_TIME] = N_("t=%lldms"),
    /* TRANSLATORS: the feed keeps the paper's names (Raft Figure 2, Paxos
     * Made Simple) for messages and their fields, so a learner can put
     * the paper beside the screen; say here what they mean. */
    [UI_MSG_FIELDS_LEGEND] =
        N_("the feed names messages and fields as the papers do (Raft's Figure 2: RequestVote, "
           "AppendEntries, term=, prev_log_index=, leader_commit=, ...)"),
    /* TRANSLATORS: the key help's line after it (ui/ui_draw.c short_type). */
    [UI_MSG_FIELDS_SHORT] = N_("the messages panel shortens them: RV RequestVote, AE "
                               "AppendEntries, Prep Prepare, Acc Accept; a final R is the reply"),
    /* TRANSLATORS: a node card's term, just before its number ("t3"); the
     * card's other words (" vote ", " ci ") are set the same way. */
    [UI_MSG_C_TERM] = N_(" t"),
    /* TRANSLATORS: the plain help's first line. */
    [UI_MSG_PL_HELP_TYPED] =
        N_("type the commands as shown; words in capitals are yours to fill in (crash S1)"),
};

/* The messages with a count: a singular and a plural msgid each, looked up
 * with ngettext. */
static const struct {
    const char *one, *many;
} plurals[UI_MSG_COUNT] = {
    [UI_MSG_POINTS] = {NP_("+%d point.", "+%d points.")},
    [UI_MSG_GOAL_REACHED] = {NP_("Goal reached in %d action!", "Goal reached in %d actions!")},
    [UI_MSG_BRANCHES] = {NP_("%zu other branch kept", "%zu other branches kept")},
    [UI_MSG_BRANCHES_KEY] = {NP_("%zu other branch kept (B)", "%zu other branches kept (B)")},
};

void ui_i18n_normalize(const char *in, char *out, size_t n)
{
    char lang[16] = "", region[16] = "";
    size_t i = 0, k = 0;
    if (!in || !*in || !strcmp(in, "C") || !strcmp(in, "POSIX") || !strncmp(in, "C.", 2)) {
        snprintf(out, n, "en");
        return;
    }
    while (in[i] && in[i] != '_' && in[i] != '-' && in[i] != '.' && in[i] != '@' &&
           k + 1 < sizeof lang)
        lang[k++] = (char)(in[i++] | 0x20);
    lang[k] = 0;
    if (in[i] == '_' || in[i] == '-') {
        i++;
        k = 0;
        while (in[i] && in[i] != '.' && in[i] != '@' && in[i] != '-' && k + 1 < sizeof region)
            region[k++] = in[i++];
        region[k] = 0;
        for (k = 0; region[k]; k++)
            if (region[k] >= 'a' && region[k] <= 'z')
                region[k] = (char)(region[k] - 32);
    }
    /* Plain "zh" and the script tag "zh-Hans" mean Simplified Chinese. */
    if (!strcmp(lang, "zh") && (!region[0] || !strcmp(region, "HANS") || !strcmp(region, "SG")))
        snprintf(region, sizeof region, "CN");
    if (region[0])
        snprintf(out, n, "%s-%s", lang, region);
    else
        snprintf(out, n, "%s", lang);
}

static char locale_asked[64];

const char *ui_i18n_locale_asked(void)
{
    return locale_asked;
}

/* A locale name that says UTF-8 ("zh_CN.UTF-8", "en_US.utf8"). */
static bool names_utf8(const char *name)
{
    const char *dot = strchr(name, '.');
    if (!dot)
        return false;
    size_t n = strcspn(dot + 1, "@");
    return (n == 5 && !strncasecmp(dot + 1, "utf-8", 5)) ||
           (n == 4 && !strncasecmp(dot + 1, "utf8", 4));
}

enum ui_locale_state ui_i18n_setlocale(void)
{
    enum ui_locale_state st = UI_LOCALE_OK;
    const char *all = getenv("LC_ALL"), *ctype = getenv("LC_CTYPE"), *lang = getenv("LANG");
    const char *asked = all && *all ? all : ctype && *ctype ? ctype : lang ? lang : "";
    snprintf(locale_asked, sizeof locale_asked, "%s", asked);
    /* glibc sets nothing when one category fails: the characters alone
     * are what the UI needs, so they get their own try. */
    if (!setlocale(LC_ALL, "") && !setlocale(LC_CTYPE, "")) {
        /* LANG=zh_CN.UTF-8 on a system without that locale generated:
         * the name says what the terminal speaks, and C.UTF-8 has the
         * same characters. Without it all text would be ASCII and
         * English, whatever --lang asks. */
        if (names_utf8(asked) && setlocale(LC_CTYPE, "C.UTF-8"))
            st = UI_LOCALE_FALLBACK;
        else
            st = UI_LOCALE_MISSING;
    }
    setlocale(LC_NUMERIC, "C");
    return st;
}

/* The catalogs: $TUTOR_LOCALEDIR when set (the build tree's locale/, so
 * an uninstalled tutor and the tests find the freshly built .mo files),
 * else the installed LOCALEDIR. Always UTF-8 out: the UI draws UTF-8. */
static void bind_catalogs(void)
{
    static bool bound;
    if (bound)
        return;
    bound = true;
    const char *dir = getenv("TUTOR_LOCALEDIR");
    bindtextdomain(PACKAGE, dir && *dir ? dir : LOCALEDIR);
    bind_textdomain_codeset(PACKAGE, "UTF-8");
    textdomain(PACKAGE);
    /* gettext ignores LANGUAGE in the C locale; C.UTF-8 (glibc) is a
     * locale like any other, so LANGUAGE works on top of it. */
    const char *msgs = setlocale(LC_MESSAGES, NULL);
    if (!msgs || !strcmp(msgs, "C") || !strcmp(msgs, "POSIX"))
        setlocale(LC_MESSAGES, "C.UTF-8");
}

void ui_i18n_init(const char *lang_option)
{
    char tag[32] = "en";
    const char *src = lang_option;
    char first[64] = "";
    bind_catalogs();
    if (!src || !*src) {
        /* LANGUAGE is a list ("zh_CN:en"); the first entry wins. It counts
         * only when the locale is not C, as in gettext. */
        const char *language = getenv("LANGUAGE");
        const char *all = getenv("LC_ALL");
        const char *msgs = getenv("LC_MESSAGES");
        const char *lang = getenv("LANG");
        const char *locale = all && *all ? all : msgs && *msgs ? msgs : lang;
        bool c_locale = !locale || !*locale || !strcmp(locale, "C") || !strcmp(locale, "POSIX");
        if (language && *language && !c_locale) {
            size_t k = strcspn(language, ":");
            snprintf(first, sizeof first, "%.*s", (int)(k < 63 ? k : 63), language);
            src = first;
        } else {
            src = locale;
        }
    }
    ui_i18n_normalize(src, tag, sizeof tag);
    snprintf(lesson_lang, sizeof lesson_lang, "%s", tag);
    snprintf(ui_lang_tag, sizeof ui_lang_tag, "%s", !strcmp(tag, "zh-CN") ? "zh-CN" : "en");
    if (src == lang_option || (!lang_option && src != first && src)) {
        /* An explicit choice (--lang, or a locale without LANGUAGE): tell
         * gettext through LANGUAGE, as a catalog name ("zh-CN" -> zh_CN). */
        char cat[32];
        snprintf(cat, sizeof cat, "%s", tag);
        char *dash = strchr(cat, '-');
        if (dash)
            *dash = '_';
        setenv("LANGUAGE", cat, 1);
    }
}

const char *ui_i18n_lang(void)
{
    return ui_lang_tag;
}

const char *ui_i18n_lesson_lang(void)
{
    return lesson_lang;
}

static const char *tr_n(enum ui_msg m, unsigned long count)
{
    if ((unsigned)m >= UI_MSG_COUNT || !plurals[m].one)
        return "";
    return ngettext(plurals[m].one, plurals[m].many, count);
}

const char *ui_tr(enum ui_msg m)
{
    if ((unsigned)m >= UI_MSG_COUNT)
        return "";
    if (!messages[m])
        return tr_n(m, 2);
    return gettext(messages[m]);
}

/* The roles and phases the engines name (protocols/raft.c raft_role_name,
 * protocols/paxos.c paxos_phase_name), and the card's "down". */
static const char *const roles[] = {
    NC_("role", "follower"), NC_("role", "candidate"), NC_("role", "leader"), NC_("role", "down"),
    NC_("role", "idle"),     NC_("role", "prepare"),   NC_("role", "accept"),
};

const char *ui_tr_role(const char *role)
{
    for (size_t i = 0; i < sizeof roles / sizeof *roles; i++)
        if (!strcmp(roles[i], role))
            return ui_pgettext("role", role);
    return role;
}

/* The card's marks (tutor/view.c view_role_letter); "-" is a down node. */
static const char *const role_letters[] = {
    NC_("role letter", "F"), NC_("role letter", "C"), NC_("role letter", "L"),
    NC_("role letter", "I"), NC_("role letter", "P"), NC_("role letter", "A"),
};

const char *ui_tr_role_letter(char letter)
{
    for (size_t i = 0; i < sizeof role_letters / sizeof *role_letters; i++)
        if (role_letters[i][0] == letter)
            return ui_pgettext("role letter", role_letters[i]);
    return "-";
}

/* The keys with a name a language may have its own word for (the keys
 * table, ui/keys.c); the rest are written as on the key. */
static const char *const keycaps[] = {NC_("keycap", "Space"), NC_("keycap", "Enter"),
                                      NC_("keycap", "S-Tab"), NC_("keycap", "^L")};

const char *ui_tr_keycap(const char *label)
{
    for (size_t i = 0; i < sizeof keycaps / sizeof *keycaps; i++)
        if (!strcmp(keycaps[i], label))
            return ui_pgettext("keycap", label);
    return label;
}

/* Every action of the lesson format (tutor/lesson_steps.c), and those of
 * "Raft beyond Figure 2" and the safety lab. */
static const char *const actions[] = {
    NC_("action", "step"),      NC_("action", "run"),        NC_("action", "settle"),
    NC_("action", "deliver"),   NC_("action", "drop"),       NC_("action", "duplicate"),
    NC_("action", "timeout"),   NC_("action", "crash"),      NC_("action", "restart"),
    NC_("action", "partition"), NC_("action", "heal"),       NC_("action", "cut"),
    NC_("action", "link"),      NC_("action", "request"),    NC_("action", "propose"),
    NC_("action", "load"),      NC_("action", "inject"),     NC_("action", "set"),
    NC_("action", "goto"),      NC_("action", "add_server"), NC_("action", "remove_server"),
    NC_("action", "snapshot"),  NC_("action", "read"),       NC_("action", "transfer"),
};

const char *ui_tr_action(const char *name)
{
    for (size_t i = 0; i < sizeof actions / sizeof *actions; i++)
        if (!strcmp(actions[i], name))
            return ui_pgettext("action", name);
    return name;
}

const char *ui_tr_action_key(const char *name)
{
    /* The actions a key does, and that key's word in ui/keys.c (restart
     * is what c says on a node that is down). */
    static const char *const keyed[][2] = {
        {"step", NC_("key", "step")},       {"deliver", NC_("key", "deliver")},
        {"drop", NC_("key", "drop")},       {"crash", NC_("key", "crash")},
        {"restart", NC_("key", "restart")}, {"timeout", NC_("key", "timer")},
        {"request", NC_("key", "request")}, {"propose", NC_("key", "propose")},
    };
    for (size_t i = 0; i < sizeof keyed / sizeof *keyed; i++)
        if (!strcmp(keyed[i][0], name))
            return ui_pgettext("key", keyed[i][1]);
    return ui_tr_action(name);
}

const char *ui_tr_key_help(int cmd, const char *en)
{
    (void)cmd;
    return en ? gettext(en) : en;
}

/* pgettext: the context and the msgid joined by EOT, as xgettext writes
 * a msgctxt; the msgid itself when the catalog has no entry. */
const char *ui_pgettext(const char *ctx, const char *msgid)
{
    char key[256];
    if (snprintf(key, sizeof key, "%s\004%s", ctx, msgid) >= (int)sizeof key)
        return msgid;
    const char *t = gettext(key);
    return t == key ? msgid : t;
}

const char *ui_tr_key_hint(int cmd, const char *en)
{
    (void)cmd;
    return en ? ui_pgettext("key", en) : en;
}

/* The table's formats are fixed strings of this file, checked by the
 * tests; the compiler cannot see them through the lookup. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
int ui_trf(char *out, size_t n, enum ui_msg m, ...)
{
    va_list ap;
    va_start(ap, m);
    int k = vsnprintf(out, n, ui_tr(m), ap);
    va_end(ap);
    return k;
}

int ui_trnf(char *out, size_t n, enum ui_msg m, unsigned long count, ...)
{
    va_list ap;
    va_start(ap, count);
    int k = vsnprintf(out, n, tr_n(m, count), ap);
    va_end(ap);
    return k;
}

static void sbuf_vtr(struct sbuf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char small[256];
    int k = vsnprintf(small, sizeof small, fmt, ap);
    if (k >= 0 && (size_t)k < sizeof small) {
        sbuf_add(b, small);
    } else if (k > 0) {
        char *big = malloc((size_t)k + 1);
        if (!big)
            abort();
        vsnprintf(big, (size_t)k + 1, fmt, ap2);
        sbuf_add(b, big);
        free(big);
    }
    va_end(ap2);
}

void ui_tr_sbuf(struct sbuf *b, enum ui_msg m, ...)
{
    va_list ap;
    va_start(ap, m);
    sbuf_vtr(b, ui_tr(m), ap);
    va_end(ap);
}

void ui_trn_sbuf(struct sbuf *b, enum ui_msg m, unsigned long count, ...)
{
    va_list ap;
    va_start(ap, count);
    sbuf_vtr(b, tr_n(m, count), ap);
    va_end(ap);
}
#pragma GCC diagnostic pop
