#!/bin/sh
# Uploads the dumps pg-dump.sh wrote (<directory>/<database>/<timestamp>.dump) to <url>/<database>/<timestamp>.dump,
# records each in a manifest, <url>/manifests/<database>/<timestamp>.manifest:
#   database=<database>  object=<s3:// URL of the dump>  version=<its S3 version id>  sha256=<hex>  bytes=<size>
# and publishes BackupSucceeded per database: 1 when its dump of this run is uploaded and recorded, 0 when there is none
# (pg_dump failed or never ran for it) or an upload failed. Exits non-zero when any database failed.
# Usage: s3-upload.sh <directory> <s3://bucket/prefix> <database>...
# Every write is a single create-only PutObject (If-None-Match: *, which the role's policy requires): the identity may
# create objects under the prefix, never read, list, overwrite or delete them; the bucket is versioned and Object Lock
# keeps every version for the retention. One PutObject carries at most 5 GiB, so a larger dump fails here (by name).
# The restore drill restores only what a manifest names, at that version and checksum (see restore-drill.sh).
set -u
. "$(dirname "$0")/metric.sh"
if [ "$#" -lt 3 ]; then
  echo '{"event":"logical-backup-upload","result":"failure","message":"usage: s3-upload.sh <directory> <s3://bucket/prefix> <database>..."}'
  exit 2
fi
directory=$1
url=${2%/}
shift 2
location=${url#s3://}
bucket=${location%%/*}
prefix=''
[ "$location" = "$bucket" ] || prefix=${location#*/}/
MAX_BYTES=5368709120
failed=0
# put <key> <file>: prints the new object's version id; fails when the key exists or the bucket returns no version.
put() {
  version=$(aws s3api put-object --bucket "$bucket" --key "$1" --body "$2" --if-none-match '*' \
    --checksum-algorithm SHA256 --query VersionId --output text) || return 1
  case "$version" in
    ''|None|null) return 1 ;;
  esac
  printf '%s' "$version"
}
failure() {
  printf '{"event":"logical-backup-upload","result":"failure","database":"%s","object":"%s","message":"%s"}\n' "$1" "$2" "$3"
  metric BackupSucceeded "$1" 0
  failed=1
}
for database in "$@"; do
  dump=''
  for file in "$directory/$database"/*.dump; do
    [ -f "$file" ] && dump=$file
  done
  if [ -z "$dump" ]; then
    printf '{"event":"logical-backup-upload","result":"failure","database":"%s","message":"no dump of %s in this run: see the pg-dump container"}\n' \
      "$database" "$database"
    metric BackupSucceeded "$database" 0
    failed=1
    continue
  fi
  name=${dump##*/}
  object="$url/$database/$name"
  bytes=''
  [ -f "$dump.sum" ] && while IFS='=' read -r key value; do
    [ "$key" = bytes ] && bytes=$value
  done < "$dump.sum"
  if [ -z "$bytes" ]; then
    failure "$database" "$object" "no checksum file $name.sum from pg-dump.sh"
    continue
  fi
  if [ "$bytes" -gt "$MAX_BYTES" ]; then
    failure "$database" "$object" "dump of $bytes bytes exceeds the 5 GiB of one PutObject"
    continue
  fi
  if ! version=$(put "$prefix$database/$name" "$dump"); then
    failure "$database" "$object" "upload failed (an existing key, or a bucket without versioning)"
    continue
  fi
  manifest="$directory/$database/${name%.dump}.manifest"
  { printf 'database=%s\nobject=%s\nversion=%s\n' "$database" "$object" "$version"
    while IFS= read -r line; do printf '%s\n' "$line"; done < "$dump.sum"; } > "$manifest"
  if ! put "${prefix}manifests/$database/${name%.dump}.manifest" "$manifest" >/dev/null; then
    failure "$database" "$url/manifests/$database/${name%.dump}.manifest" "manifest upload failed"
    continue
  fi
  printf '{"event":"logical-backup-upload","result":"success","database":"%s","object":"%s","version":"%s"}\n' \
    "$database" "$object" "$version"
  metric BackupSucceeded "$database" 1 || failed=1
done
exit "$failed"
