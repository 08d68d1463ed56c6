#!/usr/bin/env bash
# Fleet scale: N tenants over shards of 100 (Pulumi.prod-tenants-NN.yaml), planned offline with
# `fleet plan --env prod --parallel <cores>` in a scratch copy of the project's stack files.
# The JVM runs as the plan launcher runs its child (serial GC, 1 GB heap).
# Prints, per N: wall time, peak resident memory of the process (GNU time), shards, and the ratio to N=100.
# Usage: src/bench/fleet-scale.sh [N ...]   (default: 100 1000 10000); needs src/target/data-platform.jar.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
jar="$root/src/target/data-platform.jar"
[ -f "$jar" ] || { echo "build first: mvn -B -ntp -o package -DskipTests" >&2; exit 2; }
cores=$(nproc)
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(100 1000 10000)
base=""
printf '%-7s %-7s %-10s %-12s %s\n' N shards wall_s peak_rss_MB ratio_to_100
for n in "${sizes[@]}"; do
  work=$(mktemp -d)
  cp "$root/Pulumi.yaml" "$root/Pulumi.prod.yaml" "$work/"
  shards=$(( (n + 99) / 100 ))
  for s in $(seq 1 "$shards"); do
    f=$(printf '%s/Pulumi.prod-tenants-%02d.yaml' "$work" "$s")
    { echo "config:"; echo "  pulumi:disable-default-providers: [kubernetes]"; echo "  data-platform:environment: prod"
      echo "  data-platform:tenants:"; echo "    clients:"
      first=$(( (s - 1) * 100 + 1 )); last=$(( s * 100 < n ? s * 100 : n ))
      for c in $(seq "$first" "$last"); do echo "      - name: client$c"; done; } > "$f"
  done
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$work/rss" java -XX:+UseSerialGC -Xmx1g -jar "$jar" fleet plan --env prod --parallel "$cores" --json --cwd "$work" > "$work/out.json"
  end=$(date +%s.%N)
  wall=$(echo "$end - $start" | bc)
  rss=$(( $(tail -1 "$work/rss") / 1024 ))
  grep -q '"result": "failed"' "$work/out.json" && { echo "N=$n: a stack failed (see $work/out.json)" >&2; exit 3; }
  [ -n "$base" ] || base=$wall
  printf '%-7s %-7s %-10.1f %-12s %.1f\n' "$n" "$shards" "$wall" "$rss" "$(echo "$wall / $base" | bc -l)"
  rm -rf "$work"
done
