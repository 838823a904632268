/* grade_row: the table `tutor grade` prints and writes (shared/spec/cli.md):
 * one row per transcript, its cells made safe for a terminal and for a
 * spreadsheet. Nothing a transcript contains may reach either as a control
 * sequence, a bidi override or a formula. */
#ifndef TUTOR_GRADE_ROW_H
#define TUTOR_GRADE_ROW_H

#include <stddef.h>

#include "protocols/sbuf.h"

enum grade_col {
    GC_FILE,
    GC_STUDENT,
    GC_LESSON,
    GC_LANG,
    GC_MODE,
    GC_SCORE,
    GC_GOALS,
    GC_VERDICT,
    GC_DETAIL,
    GC_COUNT
};

extern const char *const grade_col_names[GC_COUNT];

/* s with every byte or character that could steer a terminal or reorder
 * text escaped in plain ASCII: C0 controls, DEL and invalid UTF-8 bytes as
 * "\xNN"; C1 controls, bidi embeddings, overrides and isolates
 * (U+202A-202E, U+2066-2069), marks and zero-width characters as
 * "<U+XXXX>". At most max_chars characters of s are kept (0: all), "..."
 * marking a cut. */
void grade_clean(const char *s, size_t max_chars, struct sbuf *out);
/* The columns s takes on a terminal (a wide CJK character: 2). */
size_t grade_width(const char *s);
/* One RFC 4180 field of already clean text: a cell a spreadsheet would run
 * as a formula (it starts with = + - @, a tab or a CR) gets a leading
 * single quote; a field with a comma, a quote or a line break is quoted. */
void grade_csv_cell(const char *s, struct sbuf *out);

#endif
