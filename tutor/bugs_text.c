/* bugs_text: "broken on purpose: ..." through the tutor's note catalog. */
#include "bugs_text.h"

#include "note_text.h"
#include "protocols/proto.h"

void bugs_names(unsigned bugs, struct sbuf *out)
{
    const char *sep = "";
    for (unsigned bit = 1; bit; bit <<= 1) {
        const char *name = (bugs & bit) ? proto_bug_name(bit) : NULL;
        if (!name)
            continue;
        sbuf_printf(out, "%s%s", sep, name);
        sep = ", ";
    }
}

void bugs_text(unsigned bugs, struct sbuf *out)
{
    if (!bugs)
        return;
    struct sbuf names;
    sbuf_init(&names);
    bugs_names(bugs, &names);
    struct proto_note n = {.id = NOTE_BROKEN_ON_PURPOSE, .n_args = 1};
    n.args[0] = note_str(names.s);
    note_render(&n, NULL, 0, out);
    sbuf_free(&names);
}
