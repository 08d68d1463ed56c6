#!/usr/bin/env bash
# Startup benchmark: the offline plan from the packaged jar versus the same program started the
# default Pulumi-Java way: Maven in the project directory, as the Pulumi Java host runs it
# (`mvn -Dorg.slf4j.simpleLogger.defaultLogLevel=warn --no-transfer-progress compile exec:java`).
#
# Per stack it prints the median wall time of RUNS runs of each and the ratios, all measured in
# this one run: the jar as shipped (fast start on its class-data archive), the jar with fast start
# off (DATAPLATFORM_FAST_START=off), and Maven. Runs alternate so all see the same machine noise;
# each is warmed up once first (file cache, Maven's local repository).
#
# Usage: src/bench/plan-startup.sh [RUNS] [STACK...]     (default: 11 runs; dev stage prod)
# Run after `mvn -B -ntp verify` (the jar must exist).
set -euo pipefail
cd "$(dirname "$0")/../.."

runs="${1:-11}"
shift || true
stacks=("$@")
[ ${#stacks[@]} -eq 0 ] && stacks=(dev stage prod)

jar=src/target/data-platform.jar
[ -f "$jar" ] || { echo "missing $jar: run 'mvn -B -ntp verify' first" >&2; exit 2; }

jar_plan() {
  java -jar "$jar" plan --stack "$1" --json
}

# The same, without the class-data archive (the plan runs in the first JVM).
jar_plan_in_process() {
  DATAPLATFORM_FAST_START=off java -jar "$jar" plan --stack "$1" --json
}

# The program started the default Pulumi-Java way (the plan command instead of an engine run).
maven_plan() {
  mvn -B -Dorg.slf4j.simpleLogger.defaultLogLevel=warn --no-transfer-progress compile exec:java \
    -Dexec.args="plan --stack $1 --json --cwd ."
}

# Wall time of one command in ms; fails the benchmark if the command fails or prints no plan.
time_ms() {
  local start end out
  out=$(mktemp)
  start=$(date +%s%N)
  "$@" > "$out" 2>&1 || { echo "failed: $*" >&2; cat "$out" >&2; return 1; }
  end=$(date +%s%N)
  grep -q '"project": "data-platform"' "$out" || { echo "no plan printed by: $*" >&2; cat "$out" >&2; return 1; }
  rm -f "$out"
  echo $(( (end - start) / 1000000 ))
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "plan startup: $runs alternating runs each, $(nproc) cores, $(java -version 2>&1 | head -1), $(mvn -version 2>/dev/null | head -1 | sed 's/ (.*//')"
printf '%-8s %10s %20s %12s %8s %18s\n' stack "jar ms" "jar in-process ms" "maven ms" ratio "in-process ratio"
for stack in "${stacks[@]}"; do
  time_ms jar_plan "$stack" > /dev/null
  time_ms jar_plan_in_process "$stack" > /dev/null
  time_ms maven_plan "$stack" > /dev/null
  jar_times=()
  in_process_times=()
  mvn_times=()
  for _ in $(seq "$runs"); do
    jar_times+=("$(time_ms jar_plan "$stack")")
    in_process_times+=("$(time_ms jar_plan_in_process "$stack")")
    mvn_times+=("$(time_ms maven_plan "$stack")")
  done
  jar_median=$(median "${jar_times[@]}")
  in_process_median=$(median "${in_process_times[@]}")
  mvn_median=$(median "${mvn_times[@]}")
  ratio=$(awk -v a="$mvn_median" -v b="$jar_median" 'BEGIN {printf "%.1fx", a / b}')
  in_process_ratio=$(awk -v a="$mvn_median" -v b="$in_process_median" 'BEGIN {printf "%.1fx", a / b}')
  printf '%-8s %10s %20s %12s %8s %18s\n' "$stack" "$jar_median" "$in_process_median" "$mvn_median" "$ratio" "$in_process_ratio"
done
