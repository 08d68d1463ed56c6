#!/bin/sh
# Runs one step of a pod and records its outcome for the pod's last step (which publishes the metric) instead of
# failing the pod here: a failed init container would stop the pod before anything could report a 0.
# Usage: record.sh <result file> <script> [<argument>...]
# The step's output goes to the log unchanged; <result file> gets two lines: the exit status and the step's last line.
set -u
result=$1
shift
output=$(sh "$@" 2>&1)
status=$?
printf '%s\n' "$output"
last=''
while IFS= read -r line; do
  last=$line
done <<END
$output
END
printf '%s\n%s\n' "$status" "$last" > "$result"
exit 0
