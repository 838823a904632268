/* cmd_check: `tutor check FILE...` — refuses invalid files with every
 * error, runs each valid lesson headless and reports every failed check;
 * the last line counts the checks. */
#include <libintl.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tutor/runner.h"
#include "tutor/safe_text.h"

/* A failure line shows the lesson's own values back (an expected command,
 * a file name): made safe, so none reaches the terminal as a control or an
 * invisible character. */
static void print_failure(void *ctx, const struct runner *r, const char *path, bool ok,
                          const char *detail)
{
    (void)ctx;
    if (ok)
        return;
    struct sbuf b;
    sbuf_init(&b);
    text_safe_add(&b, r->lesson->file, 0);
    sbuf_add(&b, ": ");
    text_safe_add(&b, path, 0);
    sbuf_add(&b, ": ");
    text_safe_add(&b, detail, 0);
    printf("%s (t=%lld ms)\n", b.s, (long long)runner_sim(r)->now);
    sbuf_free(&b);
}

int cmd_check(int argc, char **argv)
{
    if (argc < 1) {
        fprintf(stderr, "tutor: check: %s", gettext("no file given"));
        fprintf(stderr, gettext(" (usage: %s)\n"), "tutor check FILE...");
        return 2;
    }
    int passed = 0, failed = 0;
    bool refused = false;
    for (int i = 0; i < argc; i++) {
        struct lesson *l = cli_load_lesson(argv[i]);
        if (!l) {
            refused = true;
            continue;
        }
        struct runner *r = runner_new(l);
        r->on_check = print_failure;
        runner_check_all(r);
        passed += r->passed;
        failed += r->failed;
        runner_free(r);
        lesson_free(l);
    }
    /* The last line's form is the contract's (shared/spec/cli.md: "N
     * passed, M failed"): scripts read it, so it is the same in every
     * language. */
    printf("%d passed, %d failed\n", passed, failed);
    fflush(stdout);
    return refused ? 2 : failed ? 1 : 0;
}
