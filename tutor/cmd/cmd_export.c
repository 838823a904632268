/* cmd_export: `tutor export TRANSCRIPT.json OUT.md|.svg|.json` — writes an
 * existing JSON transcript's Markdown, SVG space-time diagram or JSON again,
 * in the interface language (--lang): the record keeps its feed as notes
 * (data), so one record renders in either language. Nothing runs; exit 0
 * written, 2 refused (a file that is no transcript, an unknown ending, a
 * write that failed). */
#include <libintl.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tutor/i18n.h"
#include "tutor/transcript.h"

static int usage(const char *why, const char *arg)
{
    fprintf(stderr, "tutor: export: ");
    fprintf(stderr, gettext(why), arg);
    fprintf(stderr, gettext(" (usage: %s)\n"),
            "tutor export TRANSCRIPT.json OUT.md|.svg|.json [--lang LANG]");
    return 2;
}

int cmd_export(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1])
            return usage(N_("unknown option \"%s\""), argv[i]);
        else if (!in)
            in = argv[i];
        else if (!out)
            out = argv[i];
        else
            return usage(N_("one transcript and one file to write (\"%s\" is one too many)"),
                         argv[i]);
    }
    if (!in || !out)
        return usage("%s",
                     !in ? gettext("no transcript given") : gettext("no file to write given"));
    enum transcript_format f = transcript_format_of(out);
    if (f == TF_UNKNOWN)
        return usage(N_("%s: which format? name it .json, .md or .svg"), out);
    struct sbuf err;
    sbuf_init(&err);
    struct transcript *t = transcript_load(in, &err);
    if (!t) {
        fprintf(stderr, "tutor: %s\n", err.s);
        sbuf_free(&err);
        return 2;
    }
    int rc = transcript_export(t, f, out, true, &err) == 0 ? 0 : 2;
    if (rc)
        fprintf(stderr, "tutor: %s\n", err.s);
    transcript_free(t);
    sbuf_free(&err);
    return rc;
}
