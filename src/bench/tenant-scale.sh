#!/usr/bin/env bash
# Scale benchmark: the offline plan of a prod stack with N StackGres tenants, from the packaged jar.
# For each N it writes a stack file with N clients (every client with PostGIS and a KEDA scaler),
# checks the plan succeeds with no guardrail error, and prints the median wall time of RUNS plans,
# the peak memory (the largest maximum resident set size of any process of a run, from
# /usr/bin/time -v: with the class-data archive that is the child JVM that plans), the resource
# count, the time per tenant over the first N, and the time and memory ratios to the first N,
# all from this one run.
#
# Usage: src/bench/tenant-scale.sh [RUNS] [N...]     (default: 3 runs; 100 500 1000 2000 tenants)
# Run after `mvn -B -ntp verify` (the jar must exist). Needs GNU time (Debian: apt-get install time).
set -euo pipefail
cd "$(dirname "$0")/../.."

runs="${1:-3}"
shift || true
counts=("$@")
[ ${#counts[@]} -eq 0 ] && counts=(100 500 1000 2000)

jar="$PWD/src/target/data-platform.jar"
[ -f "$jar" ] || { echo "missing $jar: run 'mvn -B -ntp verify' first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "missing /usr/bin/time (GNU time): apt-get install time" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp Pulumi.yaml "$work/"

stack_file() {
  local n=$1
  cat <<YAML
config:
  data-platform:environment: prod
  data-platform:tenants:
    aws:
      accountId: "123456789012"
      region: eu-west-1
      oidcProvider: oidc.eks.eu-west-1.amazonaws.com/id/9F8E7D6C5B4A39281706F5E4D3C2B1A0
    backups:
      bucket: acme-tenant-backups-prod
      endpoint: https://4f1c2b3a5d6e7f8091a2b3c4d5e6f708.r2.cloudflarestorage.com
      credentialsParameter: /data-platform/prod/r2-backups
    clients:
YAML
  for i in $(seq 1 "$n"); do
    cat <<YAML
      - name: client-$i
        extensions: [postgis]
        scaling:
          deployment: client-$i-api
          triggers:
            - type: aws-sqs-queue
              metadata: {queueURL: "https://sqs.eu-west-1.amazonaws.com/123456789012/client-$i", queueLength: "5"}
YAML
  done
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "tenant scale: $runs runs each, $(nproc) cores, $(java -version 2>&1 | head -1)"
printf '%-8s %10s %10s %8s %14s %10s %8s\n' tenants resources "median ms" ratio "ms per tenant" "peak MiB" ratio
base=""
for n in "${counts[@]}"; do
  stack_file "$n" > "$work/Pulumi.scale$n.yaml"
  out="$work/plan.json"
  java -jar "$jar" plan --stack "scale$n" --json --cwd "$work" > "$out" || { echo "plan of $n tenants failed" >&2; exit 1; }
  resources=$(grep -c '"urn":' "$out" || true)
  times=()
  peak=0
  for _ in $(seq 1 "$runs"); do
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$work/rss" java -jar "$jar" plan --stack "scale$n" --json --cwd "$work" > "$out"
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
    rss=$(tail -1 "$work/rss")
    [ "$rss" -gt "$peak" ] && peak=$rss
  done
  m=$(median "${times[@]}")
  mib=$(( peak / 1024 ))
  [ -z "$base" ] && base=$m && base_n=$n && base_mib=$mib
  per="-"
  [ "$n" != "$base_n" ] && per=$(awk -v m="$m" -v b="$base" -v n="$n" -v bn="$base_n" 'BEGIN {printf "%.1f", (m - b) / (n - bn)}')
  ratio=$(awk -v m="$m" -v b="$base" 'BEGIN {printf "%.1fx", m / b}')
  mratio=$(awk -v m="$mib" -v b="$base_mib" 'BEGIN {printf "%.2fx", m / b}')
  printf '%-8s %10s %10s %8s %14s %10s %8s\n' "$n" "$resources" "$m" "$ratio" "$per" "$mib" "$mratio"
done
