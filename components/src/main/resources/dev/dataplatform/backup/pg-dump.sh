#!/bin/sh
# Logical backup of one or more databases: pg_dump -Fc per database into a local directory.
# Usage: pg-dump.sh <directory> <database>...
# Connection from libpq's PG* variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGSSLMODE).
# Writes <directory>/<database>/<UTC timestamp>.dump; a dump is written under a temporary name
# and renamed only when pg_dump succeeded, so an upload never picks up a partial file. Next to it,
# <timestamp>.dump.sum holds `sha256=<hex>` and `bytes=<size>`: the upload step puts them into the dump's
# manifest, which is all a restore drill will accept (see restore-drill.sh).
# The upload to object storage is a separate step (upload container) reading the same directory.
set -eu
if [ "$#" -lt 2 ]; then
  echo '{"event":"logical-backup","result":"failure","message":"usage: pg-dump.sh <directory> <database>..."}'
  exit 2
fi
directory=$1
shift
stamp=$(date -u +%Y%m%dT%H%M%SZ)
for database in "$@"; do
  mkdir -p "$directory/$database"
  target="$directory/$database/$stamp.dump"
  if ! pg_dump --format=custom --no-password --dbname="$database" --file="$target.partial"; then
    rm -f "$target.partial"
    printf '{"event":"logical-backup","result":"failure","database":"%s","message":"pg_dump failed"}\n' "$database"
    exit 1
  fi
  size=$(wc -c < "$target.partial" | tr -d ' ')
  sum=$(sha256sum "$target.partial") || sum=''
  sum=${sum%% *}
  if [ -z "$sum" ]; then
    rm -f "$target.partial"
    printf '{"event":"logical-backup","result":"failure","database":"%s","message":"sha256sum failed"}\n' "$database"
    exit 1
  fi
  printf 'sha256=%s\nbytes=%s\n' "$sum" "$size" > "$target.sum"
  mv "$target.partial" "$target"
  printf '{"event":"logical-backup","result":"success","database":"%s","file":"%s/%s.dump","bytes":%s,"sha256":"%s"}\n' \
    "$database" "$database" "$stamp" "$size" "$sum"
done
