#!/bin/sh
# The engines are pure: no I/O, clock, randomness, environment, curses or
# cJSON among the symbols their objects use, and no writable global data.
set -u
lib="$top_builddir/protocols/libprotocols.a"
status=0
forbidden='^(printf|fprintf|vfprintf|puts|fputs|putchar|fwrite|fread|fopen|fclose|fflush|open|read|write|close|time|clock|clock_gettime|gettimeofday|rand|srand|random|srandom|drand48|getenv|setenv|system|exit|abort_handler|initscr|newterm|wgetch|cJSON_.*|__isoc99_scanf|scanf|sscanf|perror|syslog|sleep|usleep|nanosleep)$'
used=$(nm -u "$lib" | awk '{print $NF}' | sort -u)
bad=$(printf '%s\n' "$used" | grep -E "$forbidden")
if [ -n "$bad" ]; then
    echo "FAIL: the engines use forbidden symbols:"
    printf '    %s\n' $bad
    status=1
else
    echo "ok   no I/O, clock, randomness, curses or cJSON symbols ($(printf '%s\n' "$used" | wc -l) undefined symbols checked)"
fi
# Writable data: no object (variable) may live in a writable section
# (.data, .bss, COMMON); read-only tables (.rodata, .data.rel.ro) are fine.
# Symbols, not section sizes, so sanitizer bookkeeping does not count.
writable=$(objdump -t "$lib" | awk '/file format/ { f = $1 } / O / && ($(NF-2) == ".data" || $(NF-2) == ".bss" || $(NF-2) == "*COM*") { print "    " f " " $NF }')
if [ -n "$writable" ]; then
    echo "FAIL: writable global or static variables in the engines:"
    printf '%s\n' "$writable"
    status=1
else
    echo "ok   no writable global or static variables"
fi
# The layers: protocols/ includes only protocols/; nothing in tutor/ but
# the commands (tutor/cmd/) includes ui/ — the session core
# (tutor/session/) sits below every view.
src="$top_srcdir"
up=$(grep -ln '#include "\(tutor\|ui\)/' "$src"/protocols/*.c "$src"/protocols/*.h 2>/dev/null)
down=$(find "$src/tutor" -name '*.[ch]' ! -path "$src/tutor/cmd/*" -exec grep -l '#include "ui/' {} + 2>/dev/null)
if [ -n "$up$down" ]; then
    echo "FAIL: a lower layer includes a higher one:"
    printf '    %s\n' $up $down
    status=1
else
    echo "ok   protocols/ includes only protocols/; tutor/ outside tutor/cmd/ never includes ui/"
fi
exit $status
