#!/usr/bin/env bash
# Sets everything up and opens the tutor on the first lesson.
set -euo pipefail
top=$(cd "$(dirname "$0")" && pwd)
"$top/scripts/deps.sh"
"$top/scripts/build.sh" "$top/_build"
first=$(ls "$top"/lessons/en/*.json | head -n 1)
# The interface's catalogs of the uninstalled build (make install puts them
# in the system's locale folder).
export TUTOR_LOCALEDIR="$top/_build/locale"
exec "$top/_build/tutor/tutor" "$@" "$first"
