#!/bin/sh
# The restore drill's last step: reads the outcomes record.sh kept of the fetch and of restore-drill.sh, publishes
# RestoreDrillSucceeded (1 or 0) for the database, prints one JSON line and exits non-zero when the drill failed.
# Usage: drill-report.sh <database> <result file>...
set -u
. "$(dirname "$0")/metric.sh"
database=$1
shift
# A JSON string of the step's line: double quotes become single quotes, backslashes are dropped (shell only: the
# AWS CLI image is not assumed to carry tr or sed).
unquote() {
  rest=$1
  out=''
  while :; do
    case "$rest" in
      *[\\\"]*)
        head=${rest%%[\\\"]*}
        char=${rest#"$head"}
        char=${char%"${char#?}"}
        [ "$char" = '"' ] && out="$out$head'" || out="$out$head"
        rest=${rest#"$head"?} ;;
      *) out="$out$rest"; break ;;
    esac
  done
  printf '%s' "$out"
}
message=''
for result in "$@"; do
  if [ ! -f "$result" ]; then
    message="step result $result is missing: the step did not run to the end"
    break
  fi
  { read -r status; read -r last; } < "$result"
  if [ "$status" != 0 ]; then
    # The failing step's own JSON line carries the reason; repeat it without its quotes.
    message="step failed (exit $status): $(unquote "$last")"
    break
  fi
done
if [ -z "$message" ]; then
  metric RestoreDrillSucceeded "$database" 1 || exit 1
  printf '{"event":"restore-drill-report","result":"success","database":"%s"}\n' "$database"
  exit 0
fi
metric RestoreDrillSucceeded "$database" 0
printf '{"event":"restore-drill-report","result":"failure","database":"%s","message":"%s"}\n' "$database" "$message"
exit 1
