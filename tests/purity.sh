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
# Writable data: .data and .bss sections must be empty in every object.
sizes=$(objdump -h "$lib" | awk '$2 == ".data" || $2 == ".bss" { if ($3 != "00000000") print FILENAME ": " $2 " " $3 }')
if [ -n "$sizes" ]; then
    echo "FAIL: writable global data in the engines:"
    objdump -h "$lib" | awk '/file format/ {f=$1} ($2 == ".data" || $2 == ".bss") && $3 != "00000000" {print "    " f " " $2 " " $3}'
    status=1
else
    echo "ok   no writable global data"
fi
exit $status
