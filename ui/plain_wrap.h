/* plain_wrap: the plain mode's lines fitted to a terminal's width. A
 * terminal wraps a long line wherever its last column falls, inside a
 * word ("loses the data if th" / "e disk dies"), and a screen reader then
 * reads the halves as two words; these break at spaces instead, each later
 * piece of an indented line under the line's own text. From a pipe nothing is
 * wrapped (cols 0): a script reads one line per line. */
#ifndef UI_PLAIN_WRAP_H
#define UI_PLAIN_WRAP_H

#include "protocols/sbuf.h"

/* Appends text to out, every line of it wider than cols broken at spaces
 * into lines of at most cols columns (a word longer than a line between
 * characters); cols <= 0 appends it as it is. */
void plain_wrap(const char *text, int cols, struct sbuf *out);

#endif
