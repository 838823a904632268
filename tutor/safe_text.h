/* safe_text: the one place where text is made safe to show. Lesson text,
 * commands, file names and engine notes pass through it on every output
 * path (check, the plain mode, the terminal UI, the exports), so that
 *  - no C0 or C1 control (U+0080..U+009F), DEL or invalid UTF-8 byte ever
 *    reaches a terminal or a file: they could move the cursor, change the
 *    title or, on an 8-bit terminal, start an escape sequence;
 *  - bidi overrides and isolates (U+202A..U+202E, U+2066..U+2069) and
 *    zero-width characters (U+200B..U+200F, U+2060, U+FEFF) are shown as
 *    <U+202E>, so two different commands never look the same;
 *  - with ascii, nothing but ASCII comes out: the marks and symbols the
 *    program uses have an ASCII spelling (the table of marks below), any
 *    other character is written <U+XXXX>.
 * Newlines and tabs are kept only with TEXT_SAFE_LINES. */
#ifndef TUTOR_SAFE_TEXT_H
#define TUTOR_SAFE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocols/sbuf.h"

enum {
    TEXT_SAFE_ASCII = 1u, /* nothing but ASCII */
    TEXT_SAFE_LINES = 2u, /* keep \n (and \t); otherwise both become a space */
    TEXT_SAFE_MARKS = 4u, /* marks and symbols in ASCII, other characters kept (CJK) */
};

/* The marks the interfaces draw, each with its ASCII spelling. The first
 * rows are also the ASCII spellings of symbols found in running text
 * (engine notes, lesson prose). */
enum text_mark {
    TEXT_MARK_SECTION,   /* § a paper's section */
    TEXT_MARK_TO,        /* → becomes, from..to */
    TEXT_MARK_NE,        /* ≠ */
    TEXT_MARK_LE,        /* ≤ */
    TEXT_MARK_GE,        /* ≥ */
    TEXT_MARK_BOTH,      /* ↔ both ways */
    TEXT_MARK_LEFT,      /* ← */
    TEXT_MARK_DOTS,      /* … in running text */
    TEXT_MARK_EM_DASH,   /* — */
    TEXT_MARK_EN_DASH,   /* – ranges */
    TEXT_MARK_TIMES,     /* × */
    TEXT_MARK_MIDDOT,    /* · separator */
    TEXT_MARK_RIGHT,     /* ✓ a quiz's right answer */
    TEXT_MARK_PICK,      /* ▸ the learner's pick, the selected row */
    TEXT_MARK_LOST,      /* ✗ a lost message, a cut link */
    TEXT_MARK_APPLIED,   /* ✓ a log cell applied */
    TEXT_MARK_PENDING,   /* · a log cell neither committed nor applied */
    TEXT_MARK_ARROW,     /* → one column: S1→S2 in the message list */
    TEXT_MARK_CUT,       /* … one column: a truncated text */
    TEXT_MARK_BAR,       /* █ a timer bar's filled part */
    TEXT_MARK_BAR_EMPTY, /* · its empty part */
    TEXT_MARK_UP,        /* ↑ more above */
    TEXT_MARK_DOWN,      /* ↓ more below */
    TEXT_MARK_FOCUS,     /* ▶ the focused panel's title: the one ↑ and ↓ move in */
    TEXT_MARK_PICK_IDLE, /* ▹ the selected row of a panel without the focus */
    TEXT_MARK_COUNT
};

/* The mark in UTF-8, or its ASCII spelling. */
const char *text_mark(enum text_mark m, bool ascii);

/* Decodes one UTF-8 character at s (s[0] != 0) into *cp (U+FFFD for an
 * invalid byte, which is consumed alone); returns the bytes consumed. */
size_t text_utf8_decode(const char *s, uint32_t *cp);
/* A code point that must never be shown as itself: C0 controls (but \n
 * and \t), DEL, C1 controls, bidi controls and zero-width characters. */
bool text_is_hidden(uint32_t cp);
/* Appends s made safe (flags: TEXT_SAFE_*) to out. NULL adds nothing. */
void text_safe_add(struct sbuf *out, const char *s, unsigned flags);
/* The same into a fixed buffer (always NUL-terminated, never cut inside a
 * character or an escape); returns out. */
char *text_safe(char *out, size_t n, const char *s, unsigned flags);
/* True when s is shown unchanged (flags as above). */
bool text_is_safe(const char *s, unsigned flags);
/* Rewrites JSON text (as cJSON prints it) so that every hidden code point
 * inside a string is a \uXXXX escape: the same JSON value, but no raw
 * control or invisible character in the bytes. */
void text_safe_json(struct sbuf *out, const char *json);

#endif
