/* atomic_write: writing a whole file so that it is never seen half
 * written — a complete temporary file in the same directory, flushed to
 * disk (fsync), then renamed over the name (shared/spec/cli.md: "no
 * existing file is replaced except by an atomic rename of a complete new
 * one"). */
#ifndef TUTOR_ATOMIC_WRITE_H
#define TUTOR_ATOMIC_WRITE_H

#include <stdbool.h>
#include <stddef.h>

#include "protocols/sbuf.h"

/* Writes len bytes to path. An existing file is replaced only when
 * replace is true (otherwise -1, "exists"), and never when it is not a
 * regular file (a device, a directory). Returns 0, or -1 with the reason
 * in err ("cannot write /x/y.json: Permission denied"); on failure no
 * temporary file is left behind and an existing file is untouched. */
int atomic_write(const char *path, const void *data, size_t len, bool replace, struct sbuf *err);

/* True when something exists at path (the UI asks before replacing it). */
bool atomic_exists(const char *path);

#endif
