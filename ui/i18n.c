/* i18n: the UI's strings in English and Simplified Chinese, by message id. */
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <stdarg.h>
#include <stdbool.h>

#include "keys.h"

enum ui_lang { UI_LANG_EN, UI_LANG_ZH, UI_LANG_COUNT };

static enum ui_lang cur_lang = UI_LANG_EN;
static char lesson_lang[32] = "en";

static const char *const messages[UI_MSG_COUNT][UI_LANG_COUNT] = {
    [UI_MSG_RIGHT] = {"Right!", "答对了！"},
    [UI_MSG_RIGHT_RETRY] = {"Right, on the second try.", "答对了（第二次尝试）。"},
    [UI_MSG_WRONG] = {"Not quite.", "不太对。"},
    [UI_MSG_THE_ANSWER] = {"The answer: %s.", "正确答案：%s。"},
    [UI_MSG_POINTS] = {"+%d point(s).", "+%d 分。"},
    [UI_MSG_NO_POINTS] = {"No points this time.", "这次不得分。"},
    [UI_MSG_SCORED_BEFORE] = {"(answered before: points count once)", "（之前答过：分数只计一次）"},
    [UI_MSG_TRY_AGAIN] = {"Try once more, or g: show the answer.", "再试一次，或按 g 查看答案。"},
    [UI_MSG_HINT] = {"Hint: ", "提示："},
    [UI_MSG_HINT_KEY] = {"H: a hint", "H：提示"},
    [UI_MSG_PICK_NUMBER] = {"Press the number of your answer", "按答案的编号作答"},
    [UI_MSG_PICK_MULTI] = {"Numbers toggle choices, Enter answers", "数字键选择或取消，回车提交"},
    [UI_MSG_TYPE_VALUE] = {"Enter: type your answer", "回车：输入答案"},
    [UI_MSG_YOU_PREDICT] = {"You predict: %s.", "你的预测：%s。"},
    [UI_MSG_WATCH] = {"g: run the lesson on and watch what happens.",
                      "按 g 继续课程，看看会发生什么。"},
    [UI_MSG_NONE_OF_THESE] = {"none of these", "以上都不是"},
    [UI_MSG_GO_ON] = {"(g: go on)", "（g：继续）"},
    [UI_MSG_NEXT] = {"Next: ", "下一步："},
    [UI_MSG_DO_IT] = {" (g to do it)", "（按 g 执行）"},
    [UI_MSG_GOTO] = {"The lesson goes back to \"%s\". g: go, Esc: skip",
                     "课程将回到“%s”。g：前往，Esc：跳过"},
    [UI_MSG_GOAL] = {"Goal: ", "目标："},
    [UI_MSG_ACTIONS] = {"Actions used: %d of %d", "已用操作：%d / %d"},
    [UI_MSG_ACTIONS_FREE] = {"Actions used: %d", "已用操作：%d"},
    [UI_MSG_NOT_ALLOWED] = {"; not allowed:", "；不允许："},
    [UI_MSG_GIVE_UP] = {"(s: give up and watch the solution)", "（s：放弃并观看解法）"},
    [UI_MSG_GOAL_REACHED] = {"Goal reached in %d action(s)!", "目标达成，用了 %d 步操作！"},
    [UI_MSG_SOLUTION] = {"The solution, step by step (%zu of %zu done):",
                         "解法，一步一步来（已完成 %zu / %zu）："},
    [UI_MSG_SOLUTION_NEXT] = {"(g: next solution step)", "（g：解法的下一步）"},
    [UI_MSG_SOLUTION_OK] = {"The solution played: the goal holds now.",
                            "解法已执行：目标现在成立。"},
    [UI_MSG_SOLUTION_BAD] = {"The solution played, but the goal does not hold.",
                             "解法已执行，但目标没有成立。"},
    [UI_MSG_FORBIDDEN] = {"\"%s\" is not allowed in this challenge", "这个挑战不允许“%s”"},
    [UI_MSG_NO_ACTIONS] = {"no actions left (%d used): b goes back, s shows the solution",
                           "操作已用完（%d 步）：b 后退，s 观看解法"},
    [UI_MSG_PICK_FIRST] = {"pick an answer first (H: hint)", "请先选择答案（H：提示）"},
    [UI_MSG_TYPE_FIRST] = {"type your answer first", "请先输入答案"},
    [UI_MSG_GOAL_FIRST] = {"reach the goal first (or s: watch the solution)",
                           "请先达成目标（或按 s 观看解法）"},
    [UI_MSG_OVER] = {"the lesson is over", "课程已结束"},
    [UI_MSG_END] = {"End of the lesson.", "课程结束。"},
    [UI_MSG_END_SCORE] = {"End of the lesson. Score: %d/%d.", "课程结束。得分：%d/%d。"},
    [UI_MSG_SANDBOX] = {"A cluster to play with: step, deliver, crash, partition. ? for keys.",
                        "一个可以随意操作的集群：单步、投递、崩溃、分区。按 ? 查看按键。"},
    [UI_MSG_STEP] = {"step %zu/%zu", "第 %zu/%zu 步"},
    [UI_MSG_SCORE] = {"score %d/%d", "得分 %d/%d"},
    [UI_MSG_HISTORY] = {"history %zu/%zu", "历史 %zu/%zu"},
    [UI_MSG_SAFE] = {"safe", "安全"},
    [UI_MSG_H_CONTINUE] = {"Space/g: continue", "空格/g：继续"},
    [UI_MSG_H_DO] = {"g: do the next lesson step", "g：执行课程的下一步"},
    [UI_MSG_H_QUIZ] = {"1-%d answer (numbers answer now)  H hint",
                       "1-%d 作答（数字键用于作答）  H 提示"},
    [UI_MSG_H_QUIZ_VALUE] = {"Enter: type the answer  H hint", "回车：输入答案  H 提示"},
    [UI_MSG_H_RETRY] = {"try again, or g: the answer", "再试一次，或 g：看答案"},
    [UI_MSG_H_PREDICTED] = {"g: watch it happen", "g：观看结果"},
    [UI_MSG_H_GO_ON] = {"g: go on", "g：继续"},
    [UI_MSG_H_GOAL] = {"your move  s: solution", "轮到你了  s：解法"},
    [UI_MSG_H_SOLUTION] = {"g: next solution step", "g：解法下一步"},
    [UI_MSG_H_GOTO] = {"g: go back, Esc: skip", "g：返回，Esc：跳过"},
    [UI_MSG_MORE_DOWN] = {"more \xe2\x86\x93", "更多 \xe2\x86\x93"},
    [UI_MSG_MORE_UP] = {"\xe2\x86\x91 more", "\xe2\x86\x91 更多"},
    [UI_MSG_YOUR_ANSWER] = {"your answer: ", "你的答案："},
    [UI_MSG_HELP_TITLE] = {" keys (any key closes) ", " 按键（按任意键关闭） "},
    [UI_MSG_HELP_MORE] = {"Space: more", "空格：下一页"},
    [UI_MSG_QUIT_ASK] = {"Quit?", "退出？"},
    [UI_MSG_NO_HINT] = {"this quiz has no hint", "这道题没有提示"},
    [UI_MSG_NO_GOAL] = {"s plays a goal's solution; there is no goal now",
                        "s 用于观看目标的解法；现在没有目标"},
    [UI_MSG_BEGINNING] = {"this is the beginning", "已经在最开始"},
    [UI_MSG_LATEST] = {"this is the latest step (n steps the cluster)",
                       "已经是最新一步（n 让集群前进一步）"},
    [UI_MSG_NOTHING] = {"nothing is scheduled: no message in flight and no timer set",
                        "没有待发生的事件：没有在途消息，也没有计时器"},
    [UI_MSG_NO_MESSAGE] = {"no message in flight", "没有在途消息"},
    [UI_MSG_WAITS] = {"autoplay paused: the lesson waits for you", "自动播放已暂停：课程在等你"},
    [UI_MSG_RESUME] = {"Resume where you left off (%s, score %d/%d)?",
                       "从上次离开的地方继续吗（%s，得分 %d/%d）？"},
    [UI_MSG_P_CLUSTER] = {"cluster", "集群"},
    [UI_MSG_P_MESSAGES] = {"messages", "消息"},
    [UI_MSG_P_LOGS] = {"logs", "日志"},
    [UI_MSG_P_SLOTS] = {"slots", "槽位"},
    [UI_MSG_P_FEED] = {"feed", "事件"},
    [UI_MSG_P_SPACETIME] = {"space-time", "时空图"},
    [UI_MSG_P_LEADER] = {"leader %s", "领导者 %s"},
    [UI_MSG_P_NONE] = {"none", "无"},
    [UI_MSG_P_PENDING] = {"%zu pending", "%zu 条在途"},
    [UI_MSG_P_PENDING_LOST] = {"%zu pending \xc2\xb7 %zu lost", "%zu 条在途 \xc2\xb7 %zu 条丢失"},
    [UI_MSG_RESUME_KEYS] = {"Enter/y: resume   n/Esc: start the lesson over",
                            "Enter/y：继续   n/Esc：从头开始"},
    [UI_MSG_K_CONTINUE] = {"continue", "继续"},
    [UI_MSG_K_DO] = {"do the next step", "执行下一步"},
    [UI_MSG_K_WATCH] = {"watch it happen", "观看结果"},
    [UI_MSG_K_SOLUTION] = {"next solution step", "解法下一步"},
    [UI_MSG_K_GOTO] = {"go back", "返回"},
    [UI_MSG_ASK_HEAL] = {"Heal the network? It undoes the lesson's partition.",
                         "修复网络？这会撤销课程设置的分区。"},
    [UI_MSG_ASK_CRASH] = {"Crash %s during the quiz? It changes what the quiz asks about.",
                          "在测验中让 %s 崩溃？这会改变测验所问的情形。"},
    [UI_MSG_ASK_RESTART] = {"Restart %s during the quiz? It changes what the quiz asks about.",
                            "在测验中重启 %s？这会改变测验所问的情形。"},
    [UI_MSG_NOT_DONE] = {"not done", "未执行"},
    [UI_MSG_SEARCH_ENDED] = {"search ended: n steps again", "搜索已结束：n 重新单步"},
    [UI_MSG_RESUME_HINT] = {"Resume?", "继续上次的进度？"},
    [UI_MSG_SAVE_FAILED] = {"progress not saved: %s", "进度未保存：%s"},
    [UI_MSG_PROGRESS_BAD] = {"progress file ignored: %s", "已忽略进度文件：%s"},
    [UI_MSG_PROGRESS_KEPT] = {"saved progress was damaged (%s): kept as %s, a new record starts",
                              "保存的进度已损坏（%s）：已另存为 %s，重新开始记录"},
    [UI_MSG_PROGRESS_OTHER] = {"this lesson is open in another window: only finishing it is "
                               "recorded here",
                               "这一课已在另一个窗口中打开：这里只记录是否完成和最好成绩"},
    [UI_MSG_BEST] = {"best %d/%d", "最好成绩 %d/%d"},
    [UI_MSG_BRANCH_LINE] = {"branch %zu: leaves this run at position %zu and goes on to %zu",
                            "分支 %zu：在位置 %zu 离开当前这条历史，一直到 %zu"},
    [UI_MSG_NO_BRANCH] = {"no such branch (there are %zu)", "没有这个分支（共 %zu 个）"},
    [UI_MSG_NO_BRANCHES] = {"no other branch: one appears when you step back and act",
                            "没有其他分支：后退之后再操作，就会出现一个"},
    [UI_MSG_BRANCHES] = {"%zu other branch(es) kept", "另有 %zu 个分支已保留"},
    [UI_MSG_BRANCHES_KEY] = {"%zu other branch(es) kept (B)", "另有 %zu 个分支已保留（B）"},
    [UI_MSG_CMD_PROMPT] = {"settle, run MS or step N: ", "settle、run 毫秒数 或 step 事件数："},
    [UI_MSG_CMD_BAD] = {"write settle, run MS (1..3600000) or step N (1..1000000)",
                        "请写 settle、run 毫秒数（1..3600000）或 step 事件数（1..1000000）"},
    [UI_MSG_BRANCH_SWITCHED] = {"switched to the branch you left; B switches back",
                                "已切换到你离开的分支；再按 B 切换回来"},
    [UI_MSG_DETOUR] = {"You are exploring off the script. g takes you back to where the lesson "
                       "was, and it goes on from there (what you did stays in the history).",
                       "你正在脚本之外自由探索。按 g "
                       "回到课程原来的位置并从那里继续（你做过的操作仍保留在历史中）。"},
    [UI_MSG_MENU_TITLE] = {" Consensus Tutor: lessons", " 共识算法导师：课程"},
    [UI_MSG_MENU_KEYS] =
        {"Enter open  \xe2\x86\x91/\xe2\x86\x93 move  p protocol  l language  q quit",
         "回车 打开  \xe2\x86\x91/\xe2\x86\x93 移动  p 协议  l 语言  q 退出"},
    [UI_MSG_MENU_DONE] = {"done", "已完成"},
    [UI_MSG_MENU_ALL] = {"all", "全部"},
    [UI_MSG_PROTOCOL] = {"protocol", "协议"},
    [UI_MSG_LANGUAGE] = {"language", "语言"},
    [UI_MSG_TOO_SMALL] = {"terminal too small: need %d\xc3\x97%d (now %d\xc3\x97%d)",
                          "终端太小：需要 %d\xc3\x97%d（现在 %d\xc3\x97%d）"},
    [UI_MSG_PL_WELCOME] = {"%s, %d nodes. Type help for the commands.",
                           "%s，%d 个节点。输入 help 查看命令。"},
    [UI_MSG_PL_STEP_RANGE] = {"step takes a count from 1 to %d", "step 的次数须在 1 到 %d 之间"},
    [UI_MSG_PL_RUN_RANGE] = {"run takes virtual milliseconds from 1 to %d (one hour)",
                             "run 的虚拟毫秒数须在 1 到 %d 之间（一小时）"},
    [UI_MSG_PL_NO_QUIZ] = {"there is no quiz to answer now", "现在没有要回答的测验"},
    [UI_MSG_PL_NO_VALUE] = {"answer TEXT is for a quiz that wants a value; there is none now",
                            "answer 用于需要填值的测验；现在没有这样的测验"},
    [UI_MSG_PL_NO_MULTI] = {"submit is for a quiz with several right choices; there is none now",
                            "submit 用于有多个正确选项的测验；现在没有这样的测验"},
    [UI_MSG_PL_UNKNOWN] = {"unknown command \"%s\" (help lists them)",
                           "未知命令“%s”（help 列出可用命令）"},
    [UI_MSG_PL_NODE_ARG] = {"name a node (%s..%s)", "请指定节点（%s..%s）"},
    [UI_MSG_PL_MSG_ARG] = {"%s needs a message number (state lists them)",
                           "%s 需要消息编号（state 会列出）"},
    [UI_MSG_PL_TEXT_ARG] = {"%s needs a node and a text, e.g. %s S1 x=1",
                            "%s 需要节点和内容，例如 %s S1 x=1"},
    [UI_MSG_PL_HELP_TITLE] = {"commands (one per line) that apply now:",
                              "现在可用的命令（每行一条）："},
    [UI_MSG_PL_HELP_ALL] = {"commands (one per line), [when they apply]:",
                            "全部命令（每行一条），［适用时机］："},
    [UI_MSG_PL_HELP_MORE] = {"help all: every command and when it applies",
                             "help all：全部命令及其适用时机"},
    [UI_MSG_PL_WRITTEN] = {"transcript written to %s", "记录已写入 %s"},
    [UI_MSG_LOCALE_NOTICE] =
        {"tutor: the locale's character set is not UTF-8: ASCII drawing, English "
         "text; Chinese needs a UTF-8 locale (e.g. LANG=C.UTF-8)",
         "tutor：当前区域设置的字符集不是 UTF-8：改用 ASCII 绘制和英文；"
         "中文需要 UTF-8 区域设置（例如 LANG=C.UTF-8）"},
};

/* Chinese help and hint words for the key table, by command. */
static const char *const key_help_zh[UI_CMD_COUNT] = {
    [UI_CMD_STEP] = "集群前进一步：处理下一个事件",
    [UI_CMD_DELIVER] = "投递选中的消息",
    [UI_CMD_DROP] = "丢弃选中的消息",
    [UI_CMD_DUPLICATE] = "复制选中的消息",
    [UI_CMD_CRASH] = "让选中的节点崩溃或重启",
    [UI_CMD_TIMEOUT] = "触发选中节点的计时器",
    [UI_CMD_REQUEST] = "向该节点发送客户端请求/提案",
    [UI_CMD_PARTITION] = "网络分区：如 S1 S2 | S3 S4 S5",
    [UI_CMD_HEAL] = "取消分区：消除所有分区和断开的链路",
    [UI_CMD_BACK] = "在历史中后退一步",
    [UI_CMD_FORWARD] = "在历史中前进一步",
    [UI_CMD_NEXT_STEP] = "继续课程",
    [UI_CMD_AUTOPLAY] = "自动播放开/关",
    [UI_CMD_FASTER] = "自动播放加快",
    [UI_CMD_SLOWER] = "自动播放减慢",
    [UI_CMD_FOCUS_NEXT] = "聚焦下一个面板",
    [UI_CMD_FOCUS_PREV] = "聚焦上一个面板",
    [UI_CMD_FOCUS_1] = "聚焦面板（标题中的编号）",
    [UI_CMD_UP] = "光标上移：选择节点或消息",
    [UI_CMD_DOWN] = "光标下移",
    [UI_CMD_PAGE_UP] = "聚焦的面板向上翻页",
    [UI_CMD_PAGE_DOWN] = "聚焦的面板向下翻页",
    [UI_CMD_SEARCH] = "搜索事件记录（n：更早，N：更新，Esc：结束）",
    [UI_CMD_SEARCH_PREV] = "上一个搜索结果",
    [UI_CMD_SOLUTION] = "放弃目标：一步步观看解法",
    [UI_CMD_ANSWER] = "选择该答案（多个正确答案时：切换）",
    [UI_CMD_SUBMIT] = "以已选的答案作答",
    [UI_CMD_TYPE_ANSWER] = "输入你的答案",
    [UI_CMD_REVEAL] = "答错之后：显示答案",
    [UI_CMD_SKIP_GOTO] = "跳过返回：继续往下",
    [UI_CMD_END_SEARCH] = "结束搜索：n 重新单步",
    [UI_CMD_YES] = "是",
    [UI_CMD_NO] = "否",
    [UI_CMD_RESUME] = "从上次离开的地方继续",
    [UI_CMD_RESTART] = "从头开始本课",
    [UI_CMD_HINT] = "测验：显示提示",
    [UI_CMD_EXPORT] = "导出记录：JSON、Markdown 或 SVG",
    [UI_CMD_SPACETIME] = "时空图开/关：消息显示为节点之间的箭头",
    [UI_CMD_HELP] = "本帮助",
    [UI_CMD_REDRAW] = "重绘屏幕",
    [UI_CMD_QUIT] = "退出（会先确认）",
};

static const char *const key_hint_zh[UI_CMD_COUNT] = {
    [UI_CMD_STEP] = "单步",       [UI_CMD_DELIVER] = "投递",
    [UI_CMD_DROP] = "丢弃",       [UI_CMD_CRASH] = "崩溃",
    [UI_CMD_TIMEOUT] = "超时",    [UI_CMD_REQUEST] = "请求",
    [UI_CMD_BACK] = "后退",       [UI_CMD_FORWARD] = "前进",
    [UI_CMD_NEXT_STEP] = "课程",  [UI_CMD_HELP] = "帮助",
    [UI_CMD_QUIT] = "退出",       [UI_CMD_ANSWER] = "作答",
    [UI_CMD_SUBMIT] = "提交",     [UI_CMD_TYPE_ANSWER] = "输入答案",
    [UI_CMD_REVEAL] = "显示答案", [UI_CMD_HINT] = "提示",
    [UI_CMD_SOLUTION] = "解法",   [UI_CMD_SKIP_GOTO] = "跳过",
    [UI_CMD_YES] = "是",          [UI_CMD_NO] = "否",
    [UI_CMD_RESUME] = "继续",     [UI_CMD_RESTART] = "从头开始",
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

void ui_i18n_init(const char *lang_option)
{
    char tag[32] = "en";
    const char *src = lang_option;
    char first[64] = "";
    if (!src || !*src) {
        /* LANGUAGE is a list ("zh_CN:en"); the first entry wins. It counts
         * only when the locale is not C, as in gettext. */
        const char *language = getenv("LANGUAGE");
        const char *all = getenv("LC_ALL");
        const char *msgs = getenv("LC_MESSAGES");
        const char *lang = getenv("LANG");
        const char *locale = all && *all ? all : msgs && *msgs ? msgs : lang;
        bool c_locale = !locale || !*locale || !strcmp(locale, "C") || !strcmp(locale, "POSIX") ||
                        !strncmp(locale, "C.", 2);
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
    cur_lang = !strcmp(tag, "zh-CN") ? UI_LANG_ZH : UI_LANG_EN;
}

const char *ui_i18n_lang(void)
{
    return cur_lang == UI_LANG_ZH ? "zh-CN" : "en";
}

const char *ui_i18n_lesson_lang(void)
{
    return lesson_lang;
}

const char *ui_tr(enum ui_msg m)
{
    if ((unsigned)m >= UI_MSG_COUNT)
        return "";
    const char *s = messages[m][cur_lang];
    return s ? s : messages[m][UI_LANG_EN];
}

const char *ui_tr_key_help(int cmd, const char *en)
{
    if (cur_lang == UI_LANG_ZH && en && cmd >= 0 && cmd < UI_CMD_COUNT && key_help_zh[cmd])
        return key_help_zh[cmd];
    return en;
}

const char *ui_tr_key_hint(int cmd, const char *en)
{
    if (cur_lang == UI_LANG_ZH && en && cmd >= 0 && cmd < UI_CMD_COUNT && key_hint_zh[cmd])
        return key_hint_zh[cmd];
    return en;
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

void ui_tr_sbuf(struct sbuf *b, enum ui_msg m, ...)
{
    va_list ap, ap2;
    va_start(ap, m);
    va_copy(ap2, ap);
    char small[256];
    int k = vsnprintf(small, sizeof small, ui_tr(m), ap);
    if (k >= 0 && (size_t)k < sizeof small) {
        sbuf_add(b, small);
    } else if (k > 0) {
        char *big = malloc((size_t)k + 1);
        if (!big)
            abort();
        vsnprintf(big, (size_t)k + 1, ui_tr(m), ap2);
        sbuf_add(b, big);
        free(big);
    }
    va_end(ap2);
    va_end(ap);
}
#pragma GCC diagnostic pop
