/* i18n: the interface's own strings (hint line, prompts, quiz feedback,
 * errors, key help), for the session core, the views and the commands,
 * through GNU gettext: English msgids in the C source, their
 * translations in po/LANG.po. The language comes from --lang or the
 * environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), English as the
 * fallback. Lesson text is the lesson's business, not the catalog's.
 *
 * Adding a string: an enum entry here, its English text N_("...") in
 * tutor/i18n.c's table, its translation in po/zh_CN.po (make update-po). */
#ifndef TUTOR_I18N_H
#define TUTOR_I18N_H

#include <stddef.h>

#include "protocols/sbuf.h"

/* Marks a string for xgettext without translating it here (the lookup
 * happens later, through ui_tr or the key table). */
#define N_(s) s
/* The same with a message context (msgctxt), for a word that needs two
 * translations: NC_("key", "crash"). */
#define NC_(ctx, s) s
/* A singular and its plural, for a message with a count: looked up with
 * ngettext (ui_trnf, ui_trn_sbuf), so a language with other plural rules
 * gets its own forms. Never "point(s)". */
#define NP_(one, many) one, many

enum ui_msg {
    UI_MSG_RIGHT,           /* "Right!" */
    UI_MSG_RIGHT_RETRY,     /* "Right, on the second try." */
    UI_MSG_WRONG,           /* "Not quite." */
    UI_MSG_THE_ANSWER,      /* "The answer: %s." */
    UI_MSG_POINTS,          /* "+%d point." / "+%d points." */
    UI_MSG_NO_POINTS,       /* "No points this time." */
    UI_MSG_SCORED_BEFORE,   /* "(already answered: counted once)" */
    UI_MSG_TRY_AGAIN,       /* after a first wrong answer */
    UI_MSG_HINT,            /* "Hint: " */
    UI_MSG_HINT_KEY,        /* "(H: a hint)" */
    UI_MSG_PICK_NUMBER,     /* "(press the number of your answer)" */
    UI_MSG_PICK_MULTI,      /* "(numbers toggle choices, Enter answers)" */
    UI_MSG_TYPE_VALUE,      /* "(Enter: type your answer)" */
    UI_MSG_YOU_PREDICT,     /* "You predict: %s." */
    UI_MSG_WATCH,           /* "g: run the lesson on and watch what happens" */
    UI_MSG_SEE_ANSWER,      /* after a prediction nothing runs on: "g: see the answer" */
    UI_MSG_NONE_OF_THESE,   /* "none of these" */
    UI_MSG_GO_ON,           /* "(g: go on)" */
    UI_MSG_NEXT,            /* "Next: " */
    UI_MSG_DO_IT,           /* " (g to do it)" */
    UI_MSG_GOTO,            /* "The lesson goes back to \"%s\". g: go, Esc: skip" */
    UI_MSG_GOAL,            /* "Goal: " */
    UI_MSG_ACTIONS,         /* "Actions used: %d of %d" */
    UI_MSG_ACTIONS_FREE,    /* "Actions used: %d" */
    UI_MSG_NOT_ALLOWED,     /* "; not allowed:" */
    UI_MSG_GIVE_UP,         /* "(s: give up and watch the solution)" */
    UI_MSG_GOAL_REACHED,    /* "Goal reached in %d action!" / "... actions!" */
    UI_MSG_SOLUTION,        /* "The solution, step by step (%zu of %zu done):" */
    UI_MSG_SOLUTION_NEXT,   /* "(g: next solution step)" */
    UI_MSG_SOLUTION_OK,     /* "The solution played: the goal holds now." */
    UI_MSG_SOLUTION_BAD,    /* "The solution played, but the goal does not hold." */
    UI_MSG_FORBIDDEN,       /* "\"%s\" is not allowed in this challenge" */
    UI_MSG_NO_ACTIONS,      /* "no actions left (%d used): ..." */
    UI_MSG_PICK_FIRST,      /* "pick an answer first (H: hint)" */
    UI_MSG_TYPE_FIRST,      /* "type your answer first" */
    UI_MSG_GOAL_FIRST,      /* "reach the goal first (or s: watch the solution)" */
    UI_MSG_OVER,            /* "the lesson is over" */
    UI_MSG_END,             /* "End of the lesson." */
    UI_MSG_END_SCORE,       /* "End of the lesson. Score: %d/%d." */
    UI_MSG_SANDBOX,         /* "A cluster to play with: ..." */
    UI_MSG_PL_SANDBOX,      /* the same, naming the plain mode's help command */
    UI_MSG_STEP,            /* "step %zu/%zu" */
    UI_MSG_SCORE,           /* "score %d/%d" */
    UI_MSG_HISTORY,         /* "history %zu/%zu" */
    UI_MSG_HISTORY_THINNED, /* the same once older snapshots were thinned out */
    UI_MSG_SAFE,            /* "safe" */
    UI_MSG_H_CONTINUE,      /* hint line: "Space/g: continue" */
    UI_MSG_H_DO,            /* "g: do the next lesson step" */
    UI_MSG_H_QUIZ,          /* "1-%d: answer (numbers go to the quiz)  H: hint" */
    UI_MSG_H_QUIZ_VALUE,    /* "Enter: type the answer  H: hint" */
    UI_MSG_H_RETRY,         /* "try again, or g: show the answer" */
    UI_MSG_H_PREDICTED,     /* "g: watch it happen" */
    UI_MSG_H_GO_ON,         /* "g: go on" */
    UI_MSG_H_GOAL,          /* "your move  s: solution" */
    UI_MSG_H_SOLUTION,      /* "g: next solution step" */
    UI_MSG_H_GOTO,          /* "g: go back, Esc: skip" */
    UI_MSG_MORE_DOWN,       /* "more ↓" */
    UI_MSG_MORE_UP,         /* "↑ more" */
    UI_MSG_YOUR_ANSWER,     /* prompt "your answer: " */
    UI_MSG_HELP_TITLE,      /* " keys (any key closes) " */
    UI_MSG_HELP_MORE,       /* "Space: more" */
    UI_MSG_QUIT_ASK,        /* "Quit?" (the hint line adds its keys) */
    UI_MSG_NO_HINT,         /* "this quiz has no hint" */
    UI_MSG_NO_GOAL,         /* "s plays a goal's solution; there is no goal now" */
    UI_MSG_BEGINNING,       /* "this is the beginning" */
    UI_MSG_LATEST,          /* "this is the latest step (Space steps the cluster)" */
    UI_MSG_NOTHING,         /* "nothing is scheduled: ..." */
    UI_MSG_NO_MESSAGE,      /* "no message in flight" */
    UI_MSG_WAITS,           /* "autoplay paused: the lesson waits for you" */
    UI_MSG_RESUME,          /* "Resume where you left off (step %s, score %d/%d)?" */
    UI_MSG_RESUME_AT,       /* the same before anything was tried: no score */
    UI_MSG_RESUME_KEYS,     /* "r: resume   n: start the lesson over" */
    UI_MSG_SAVE_FAILED,     /* "progress not saved: %s" */
    UI_MSG_PROGRESS_BAD,    /* "progress file ignored: %s" */
    UI_MSG_PROGRESS_KEPT,   /* "saved progress was damaged (%s): kept as %s" */
    UI_MSG_PROGRESS_OTHER,  /* "this lesson is open in another window: ..." */
    UI_MSG_BEST,            /* "best %d/%d" */
    UI_MSG_DETOUR,          /* "You are exploring off the script ..." */
    UI_MSG_BRANCH_LINE,     /* "branch %zu: leaves this line at position %zu, ends at %zu" */
    UI_MSG_NO_BRANCH,       /* "no such branch (there are %zu)" */
    UI_MSG_NO_BRANCHES,     /* "no other branch: ..." */
    UI_MSG_BRANCHES,        /* "%zu other branch kept" / "... branches kept" */
    UI_MSG_BRANCHES_KEY,    /* the same in the status line of the UI, with its key */
    UI_MSG_CMD_PROMPT,      /* the ':' prompt: the words it takes */
    UI_MSG_CMD_BAD,         /* "\"%s\" is not an action here ..." */
    UI_MSG_CMD_USAGE,       /* a known word of ':' with wrong arguments: its form */
    UI_MSG_BRANCH_SWITCHED, /* "switched to the branch you left; B switches back" */
    UI_MSG_MENU_TITLE,      /* " Consensus Tutor: lessons" */
    UI_MSG_MENU_KEYS,       /* "Enter open  ↑/↓ move  p protocol  l language  q quit" */
    UI_MSG_MENU_DONE,       /* "done" */
    UI_MSG_MENU_ALL,        /* "all" */
    UI_MSG_PROTOCOL,        /* "protocol" */
    UI_MSG_LANGUAGE,        /* "language" */
    UI_MSG_TOO_SMALL,       /* "terminal too small: need %d×%d (now %d×%d)" */
    UI_MSG_P_CLUSTER,       /* panel titles: "cluster" */
    UI_MSG_P_MESSAGES,      /* "messages" */
    UI_MSG_P_LOGS,          /* "logs" */
    UI_MSG_P_SLOTS,         /* "slots" */
    UI_MSG_P_FEED,          /* "feed" */
    UI_MSG_P_SPACETIME,     /* "space-time" */
    UI_MSG_P_LEADER,        /* "leader %s" */
    UI_MSG_P_NONE,          /* "none" */
    UI_MSG_P_PENDING,       /* "%zu pending" */
    UI_MSG_P_PENDING_LOST,  /* "%zu pending · %zu lost" */
    UI_MSG_PL_WELCOME,      /* plain mode: "%s, %d nodes. Type help for the commands." */
    UI_MSG_PL_STEP_RANGE,   /* "step takes a count from 1 to %d" */
    UI_MSG_PL_RUN_RANGE,    /* "run takes virtual milliseconds from 1 to %d (one hour)" */
    UI_MSG_PL_NO_QUIZ,      /* "there is no quiz to answer now" */
    UI_MSG_PL_NO_VALUE,     /* "answer TEXT is for a quiz that wants a value; ..." */
    UI_MSG_PL_NO_MULTI,     /* "submit is for a quiz with several right choices; ..." */
    UI_MSG_PL_UNKNOWN,      /* "unknown command \"%s\" (help lists them)" */
    UI_MSG_PL_NODE_ARG,     /* "name a node (%s..%s)" */
    UI_MSG_PL_MSG_ARG,      /* "%s needs a message number (state lists them)" */
    UI_MSG_PL_TEXT_ARG,     /* "%s needs a node and a text, e.g. %s S1 x=1" */
    UI_MSG_PL_HELP_TITLE,   /* "commands (one per line), those that apply now:" */
    UI_MSG_PL_HELP_ALL,     /* "commands (one per line); [when it applies]:" */
    UI_MSG_PL_HELP_MORE,    /* "help all lists every command and when it applies" */
    UI_MSG_PL_WRITTEN,      /* "transcript written to %s" */
    UI_MSG_LOCALE_NOTICE,   /* "the locale's character set is %s, not UTF-8: ..." */
    UI_MSG_K_CONTINUE,      /* the hint line's word for continuing: "continue" */
    UI_MSG_K_DO,            /* "do the next step" */
    UI_MSG_K_WATCH,         /* "watch it happen" */
    UI_MSG_K_SOLUTION,      /* "next solution step" */
    UI_MSG_K_GOTO,          /* "go back" */
    UI_MSG_ASK_HEAL,        /* "Heal the network? It undoes the lesson's partition." */
    UI_MSG_ASK_CRASH,       /* "Crash %s during the quiz? It changes what the quiz asks about." */
    UI_MSG_ASK_RESTART,     /* "Restart %s during the quiz? ..." */
    UI_MSG_NOT_DONE,        /* "not done" */
    UI_MSG_SEARCH_ENDED,    /* "search ended: n steps again" */
    UI_MSG_RESUME_HINT,     /* hint line under the resume box: "the box asks:" */
    UI_MSG_PLAIN_INTRO,
    UI_MSG_ASK_GROUPS,
    UI_MSG_PL_STATUS,          /* plain status line: "t=%lldms, %s, %s" */
    UI_MSG_PL_STATUS_BRANCHES, /* the same with "(%s)", the branches kept */
    UI_MSG_ASK_REQUEST,        /* "request to %s: " (r on a Raft server) */
    UI_MSG_ASK_PROPOSE,        /* "propose to %s: " (r on a Paxos proposer) */
    UI_MSG_NO_OLDER_MATCH,
    UI_MSG_NO_NEWER_MATCH,
    UI_MSG_EXPORT_AS,
    UI_MSG_EXPORT_FORMATS,
    UI_MSG_EXPORT_TO,
    UI_MSG_EXPORT_EXISTS,
    UI_MSG_EXPORT_KEPT,
    UI_MSG_EXPORT_FAILED,
    UI_MSG_AUTOPLAY_ON,
    UI_MSG_AUTOPLAY_OFF,
    UI_MSG_AUTOPLAY_SPEED,
    /* The cluster cards and the logs' legend. */
    UI_MSG_C_VOTE,       /* " vote " */
    UI_MSG_C_CI,         /* " ci " */
    UI_MSG_C_PROM,       /* " prom " */
    UI_MSG_C_PROP,       /* " prop " */
    UI_MSG_C_LRN,        /* " lrn " */
    UI_MSG_C_CRASHED,    /* "crashed: volatile state lost" */
    UI_MSG_C_NEXT_MATCH, /* "next/match" */
    UI_MSG_C_VOTES,      /* "votes %d of %d" */
    UI_MSG_C_LEADER,     /* "leader %s" */
    UI_MSG_C_UNKNOWN,    /* "unknown" */
    UI_MSG_C_PHASE,      /* "phase %s, applied %lld" */
    UI_MSG_C_LOG,        /* "log %zu, applied %lld" */
    UI_MSG_C_SLOT,       /* "%zu slot" */
    UI_MSG_C_SLOTS,      /* "%zu slots" */
    UI_MSG_C_EMPTY_LOG,  /* "(empty log)" */
    UI_MSG_C_NO_SLOT,    /* "(no slot)" */
    UI_MSG_L_RAFT,       /* "applied + committed" */
    UI_MSG_L_PAXOS,      /* "learned + chosen v@b accepted" */
    UI_MSG_C_LOG_SNAP,   /* "log %zu, applied %lld, snapshot %s%lld" */
    UI_MSG_L_SNAPSHOT,   /* "snapshot %s%lld (t%lld)" */
    /* The plain mode's node and message lines. */
    UI_MSG_PL_RAFT,         /* " term %s, vote %s, commit %lld" */
    UI_MSG_PL_PAXOS,        /* " promised %s, proposing %s, learned %lld" */
    UI_MSG_PL_GROUP,        /* ", group %d" */
    UI_MSG_PL_TIMER,        /* ", timer due %lldms" */
    UI_MSG_PL_LOG,          /* ", log:" */
    UI_MSG_PL_SLOTS,        /* ", slots:" */
    UI_MSG_PL_EMPTY,        /* " (empty)" */
    UI_MSG_PL_LINK_CUT,     /* "  link cut: %s %s %s\n" */
    UI_MSG_PL_COPY,         /* " (copy)" */
    UI_MSG_PL_MSG_LINK_CUT, /* " (link cut)" */
    UI_MSG_PL_DUE,          /* ", due %lldms" */
    UI_MSG_PL_SNAPSHOT,     /* " [snapshot <=%lld, t%lld]" */
    UI_MSG_C_KV,            /* ", kv %s" */
    /* plain mode: "%s, %d nodes. Type help for the commands." */
    UI_MSG_STOPPED, /* "stopped where it was; recorded as: %s" */
    UI_MSG_STEP_STOPPED,
    /* The plain mode's words for the quiz keys (it reads commands, not keys). */
    UI_MSG_PL_PICK_NUMBER, /* "Type the number of your answer" */
    UI_MSG_PL_PICK_MULTI,  /* "Numbers toggle choices, submit answers" */
    UI_MSG_PL_TYPE_VALUE,  /* "answer TEXT: your answer" */
    UI_MSG_PL_HINT_KEY,    /* "hint: a hint" */
    UI_MSG_PL_PICK_FIRST,
    /* "pick an answer first (hint: a hint)" */ /* a lesson step stopped: "...; going on runs the
                                                   rest: %s" */
    UI_MSG_RUNNING,                             /* "running… any key stops it" */
    UI_MSG_PL_SIGINT,        /* plain mode: "Ctrl-C stops a long run; quit ends the session" */
    UI_MSG_PREDICT_STOPPED,  /* "the look-ahead was stopped: your prediction was not taken..." */
    UI_MSG_PL_LESSON,        /* plain mode's lesson line: "lesson, %s" (the step) */
    UI_MSG_PL_LESSON_SCORE,  /* ", %s" (the score) */
    UI_MSG_PL_LESSON_TITLE,  /* " (%s):" (the step's title) */
    UI_MSG_PL_LESSON_END,    /* ":" */
    UI_MSG_PL_SANDBOX_LINE,  /* "sandbox" where a lesson says "lesson, step 3/9" */
    UI_MSG_WORD_SEP,         /* between the words of a list: " " */
    UI_MSG_C_NO_TIMER,       /* a card: "no timer" */
    UI_MSG_LOST_WORD,        /* the lost-messages row: "lost" */
    UI_MSG_DROPPED_WORD,     /* "dropped" */
    UI_MSG_ST_OLDER,         /* space-time header: "%s%zu%s older" (mark, count, "+") */
    UI_MSG_ST_NEWER,         /* "%s%zu newer" (mark, count) */
    UI_MSG_ST_LOST,          /* "%zu lost" */
    UI_MSG_ST_NOTHING_OLDER, /* "nothing older" */
    UI_MSG_ST_NO_MESSAGE,    /* "no message yet: Space steps the cluster" */
    UI_MSG_LESSON_TITLE,     /* the lesson panel's title when the step has none: "lesson" */
    UI_MSG_Q_QUITS,          /* under "terminal too small": "q quits" */
    UI_MSG_C_CONFIG,         /* ", config %s" (Raft membership) */
    UI_MSG_C_CONFIG_JOINT,   /* ", config %s > %s" (joint: old > new) */
    UI_MSG_C_VOTING,         /* " (voting)" */
    UI_MSG_C_SPARE,          /* " (not voting)" */
    UI_MSG_C_CATCHING_UP,    /* ", catching %s up" (a leader, dissertation §4.2.1) */
    /* The safety lab's explorer in a session (tutor/session/flow.c). */
    UI_MSG_K_EXPLORE,   /* the hint line's word for g at an explore step: "run the explorer" */
    UI_MSG_EXPLORE_ASK, /* an explore step: what the search looks for, %d events deep */
    UI_MSG_EXPLORE_ASK_UNTIL, /* the same, for the step's fact */
    UI_MSG_EXPLORE_GO,        /* " (g runs it; any key stops it)" */
    UI_MSG_EXPLORE_THROUGH,   /* after the search: f steps through it, g goes on */
    UI_MSG_EXPLORE_NOTHING,   /* after a search that found nothing: only g applies */
    UI_MSG_EXPLORING,         /* the progress line: states, frontier, depth, states/s */
    UI_MSG_EXPLORE_STOPPED,   /* "the search was stopped after %ld states: ..." */
    UI_MSG_EXPLORE_WHERE,     /* where E works */
    /* The plain mode's answers to the resume question (UI_MSG_RESUME). */
    UI_MSG_PL_RESUME_KEYS, /* " (y or Enter resumes, n starts over) " */
    /* A digit past a quiz's choices, and the digits after a prediction. */
    UI_MSG_ONLY_CHOICES, /* "only 1-%d are choices" */
    UI_MSG_K_REPICK,     /* the hint line's word for the digits then: "change the pick" */
    /* A prompt in the hint line: the keys that end or clear it. */
    UI_MSG_PROMPT_KEYS,      /* "Enter submits, Esc cancels, Ctrl-U clears" */
    UI_MSG_PROMPT_CANCELLED, /* Esc at a prompt while the terminal was too small */
    /* A new search that matches no feed line, and a key that does nothing
     * where it was pressed (the resume box, the lesson menu). */
    UI_MSG_NO_MATCH,    /* "nothing in the feed matches \"%s\"" */
    UI_MSG_KEY_UNKNOWN, /* "that key does nothing here: %s" (the keys that work) */
    /* Starting over asks once more: n is also the step key, and one stray
     * n then one more key replaced the saved attempt. */
    UI_MSG_RESTART_ASK,     /* "Start over? The saved progress (%s) will be replaced." */
    UI_MSG_RESTART_KEYS,    /* the box's keys then: "y: start over   n/Esc: back" */
    UI_MSG_PL_RESTART_KEYS, /* the plain mode's: " (y starts over, n or Enter goes back) " */
    /* A panel's rows that do not all fit: on its bottom border. */
    UI_MSG_ROWS_MORE,      /* "%s %d more": an arrow (↑ above, ↓ below) and a count */
    UI_MSG_LOCALE_MISSING, /* "the locale %s is not installed ..." */
    /* The menu's language when lessons without a translation show in
     * English: "language: zh-CN (English where a lesson has none)". */
    UI_MSG_LANGUAGE_FALLBACK,
    UI_MSG_STATUS_TIME, /* the status bar's virtual time: "t=%lldms" */
    /* The key help's and the plain help's last lines: what the feed's
     * English field and RPC names are (the paper's Figure 2). */
    UI_MSG_FIELDS_LEGEND,
    UI_MSG_FIELDS_SHORT,  /* the messages panel's short names (RV, AE) */
    UI_MSG_PL_HELP_TYPED, /* "commands are typed as shown: ..." */
    UI_MSG_C_TERM,        /* the card's term, before its number: " t" */
    UI_MSG_COUNT
};

/* What setlocale made of the environment (ui_i18n_setlocale). */
enum ui_locale_state {
    UI_LOCALE_OK,       /* the locale asked for, as it is */
    UI_LOCALE_FALLBACK, /* a UTF-8 locale not installed: C.UTF-8 for the characters */
    UI_LOCALE_MISSING,  /* a locale not installed and not UTF-8 by name: "C" */
};
/* setlocale(LC_ALL, "") with numbers in "C", and C.UTF-8 for the
 * characters when the UTF-8 locale asked for is not installed (the
 * language asked for still comes from LANG/LANGUAGE, ui_i18n_init). */
enum ui_locale_state ui_i18n_setlocale(void);
/* The locale name the environment asked for the characters (LC_ALL,
 * LC_CTYPE, LANG), "" without one. */
const char *ui_i18n_locale_asked(void);

/* Chooses the UI's language: the --lang value when given, else the
 * environment. Call once after setlocale. */
void ui_i18n_init(const char *lang_option);
/* The UI's language: "en" or "zh-CN". */
const char *ui_i18n_lang(void);
/* The preferred lesson language as a BCP-47 tag ("zh-CN", "fr", "en"):
 * the same choice, not limited to the languages the UI has strings for. */
const char *ui_i18n_lesson_lang(void);
/* Turns "zh_CN.UTF-8", "zh-cn", "zh" into "zh-CN"; "C"/"POSIX" into "en". */
void ui_i18n_normalize(const char *in, char *out, size_t n);
/* gettext with a context (msgctxt), msgid when untranslated. */
const char *ui_pgettext(const char *ctx, const char *msgid);
/* The string for a message id in the UI's language (printf formats keep
 * the English one's conversions in the same order). */
const char *ui_tr(enum ui_msg m);
/* A node's role or phase as the engines name it ("follower", "prepare"),
 * in the interface language (msgctxt "role"); unknown words unchanged. */
const char *ui_tr_role(const char *role);
/* A lesson action's name ("crash", "partition") in the interface language
 * (msgctxt "action"), for the words a learner reads (a goal's forbidden
 * actions); the name itself when it has no translation. What a learner
 * types stays the lesson format's name. */
const char *ui_tr_action(const char *name);
/* The same in the key bar's word when a key does the action ("timer" for
 * timeout, as "t timer" says), so a goal's "not allowed" list and the
 * key bar name an action alike; otherwise ui_tr_action's word. */
const char *ui_tr_action_key(const char *name);
/* A node card's one-letter role mark ("F", "C", "L"; Paxos "I", "P",
 * "A", "L"; "-" down) in the interface language (msgctxt "role letter"):
 * one character, which may be two columns wide. */
const char *ui_tr_role_letter(char letter);
/* A key's name as the hint line and the help write it ("Space",
 * "Enter"; msgctxt "keycap"): the name itself when untranslated. */
const char *ui_tr_keycap(const char *label);
/* printf into out (n bytes) with the message's format; its length. */
int ui_trf(char *out, size_t n, enum ui_msg m, ...);
/* A message with a count (NP_ in the table): the form ngettext picks for
 * count, formatted with the arguments that follow (the count among them,
 * as the format says). */
int ui_trnf(char *out, size_t n, enum ui_msg m, unsigned long count, ...);
void ui_trn_sbuf(struct sbuf *b, enum ui_msg m, unsigned long count, ...);
/* The same, appended to b. */
void ui_tr_sbuf(struct sbuf *b, enum ui_msg m, ...);
/* The key table's help text and hint word for a command in the UI's
 * language; en (the table's own text) when there is no translation. */
const char *ui_tr_key_help(int cmd, const char *en);
const char *ui_tr_key_hint(int cmd, const char *en);

#endif
