#!/bin/sh
# Per-class test times from the Surefire reports of the last build (`mvn -B -ntp verify`): every test class
# with its time, tests and skips, slowest first, then the number of classes, the sum of their times, the
# slowest class, and any class that ran no test at all (a class whose tests vanished instead of being
# skipped). The budget (docs/testing.md): no class over 30 s, the sum at most 180 s.
#
# Usage: src/bench/suite-times.sh [REPOSITORY]     (default: this repository)
# Exits 1 when a class is over 30 s, the sum over 180 s, or a class reported 0 tests.
set -eu
root=${1:-$(dirname "$0")/../..}

reports=$(find "$root/components/target/surefire-reports" "$root/src/target/surefire-reports" -name 'TEST-*.xml' 2>/dev/null || true)
[ -n "$reports" ] || { echo "no Surefire reports under $root/*/target/surefire-reports: run mvn -B -ntp verify first" >&2; exit 2; }

# One line per class: time, tests, skipped, failures+errors, name (from the <testsuite> element).
for file in $reports; do
    sed -n 's/.*<testsuite \([^>]*\)>.*/\1/p' "$file" | head -n 1
done | awk '
    function attr(text, name,    m) {
        if (match(text, " " name "=\"[^\"]*\"") || match(text, "^" name "=\"[^\"]*\"")) {
            m = substr(text, RSTART, RLENGTH)
            sub(/^ ?[a-z]+="/, "", m)
            sub(/"$/, "", m)
            return m
        }
        return ""
    }
    {
        name = attr($0, "name"); time = attr($0, "time") + 0
        printf "%10.3f %6d %6d %6d  %s\n", time, attr($0, "tests"), attr($0, "skipped"), attr($0, "failures") + attr($0, "errors"), name
    }' | sort -rn | awk '
    BEGIN { printf "%10s %6s %6s %6s  %s\n", "seconds", "tests", "skip", "fail", "class" }
    {
        print
        classes++; sum += $1; tests += $2; skipped += $3; failed += $4
        if ($1 > 30) over = over " " $5
        if ($2 == 0) empty = empty " " $5
        if (classes == 1) { slowest = $5; slowestTime = $1 }
    }
    END {
        printf "%d classes, %d tests (%d skipped, %d failed or in error), sum of class times %.1f s; slowest %s %.1f s\n",
            classes, tests, skipped, failed, sum, slowest, slowestTime
        status = 0
        if (over != "") { print "over 30 s:" over; status = 1 }
        if (sum > 180) { print "the sum is over 180 s"; status = 1 }
        if (empty != "") { print "no test ran (vanished, not skipped):" empty; status = 1 }
        exit status
    }'
