#!/bin/sh
# Restore drill: restores the newest dump of a database into a scratch database and runs smoke checks.
# Usage: restore-drill.sh <directory> <database> <scratch database> [<table>...]
# <directory> holds <database>/<timestamp>.dump as written by pg-dump.sh (downloaded from object storage
# by a separate step). Connection from libpq's PG* variables; the login needs CREATEDB.
# Checks: SELECT version(); SELECT PostGIS_Full_Version() when the restored database has PostGIS;
# SELECT count(*) of each table given. Prints exactly one JSON line with "result":"success" or
# "result":"failure" and a message, and exits non-zero on failure. The scratch database is dropped
# before and after the drill.
set -u
event='"event":"restore-drill"'
fail() {
  # Messages carry no quotes or backslashes from the tools (they are reduced to one line, quotes dropped).
  message=$(printf '%s' "$1" | tr '\n"\\' '  ' | cut -c1-500)
  printf '{%s,"result":"failure","database":"%s","message":"%s"}\n' "$event" "${database:-}" "$message"
  if [ -n "${scratch:-}" ] && [ "${created:-no}" = yes ]; then
    dropdb --if-exists --no-password "$scratch" >/dev/null 2>&1 || true
  fi
  exit 1
}
if [ "$#" -lt 3 ]; then
  database=''
  fail "usage: restore-drill.sh <directory> <database> <scratch database> [<table>...]"
fi
directory=$1
database=$2
scratch=$3
shift 3
latest=$(ls -1 "$directory/$database" 2>/dev/null | grep '\.dump$' | sort | tail -n 1)
[ -n "$latest" ] || fail "no dump found in $directory/$database"
dump="$directory/$database/$latest"
# pg_restore --list reads the archive header and table of contents: a file that is no pg_dump archive fails
# here; a truncated archive usually passes (its contents come first) and fails in the restore below.
if ! errors=$(pg_restore --list "$dump" 2>&1 >/dev/null); then
  fail "dump $database/$latest is not a readable pg_dump archive: $errors"
fi
dropdb --if-exists --no-password "$scratch" 2>/dev/null || fail "cannot drop an old scratch database $scratch"
errors=$(createdb --no-password "$scratch" 2>&1) || fail "cannot create scratch database $scratch: $errors"
created=yes
if ! errors=$(pg_restore --no-password --exit-on-error --no-owner --no-acl --dbname="$scratch" "$dump" 2>&1); then
  fail "restore of $database/$latest into $scratch failed: $errors"
fi
query() {
  psql --no-password -X -q -t -A -v ON_ERROR_STOP=1 --dbname="$scratch" -c "$1" 2>&1
}
version=$(query 'SELECT version()') || fail "SELECT version() failed: $version"
postgis=$(query "SELECT count(*) FROM pg_extension WHERE extname = 'postgis'") || fail "extension check failed: $postgis"
postgis_version=''
if [ "$postgis" = 1 ]; then
  postgis_version=$(query 'SELECT PostGIS_Full_Version()') || fail "SELECT PostGIS_Full_Version() failed: $postgis_version"
fi
counts=''
for table in "$@"; do
  # <schema>.<table> or <table> (schema public). The names travel as psql variables and psql quotes them
  # as identifiers (:"name"), so a table name is never spliced into SQL text.
  case "$table" in
    *.*) schema=${table%%.*}; name=${table#*.} ;;
    *) schema=public; name=$table ;;
  esac
  count=$(printf '%s\n' 'SELECT count(*) FROM :"schema".:"name";' | psql --no-password -X -q -t -A \
    -v ON_ERROR_STOP=1 -v "schema=$schema" -v "name=$name" --dbname="$scratch" 2>&1) \
    || fail "row count of $table failed: $count"
  counts="$counts${counts:+,}\"$table\":$count"
done
dropdb --if-exists --no-password "$scratch" >/dev/null 2>&1 || true
printf '{%s,"result":"success","database":"%s","dump":"%s/%s","postgis":%s,"rows":{%s}}\n' \
  "$event" "$database" "$database" "$latest" "$( [ "$postgis" = 1 ] && echo true || echo false )" "$counts"
