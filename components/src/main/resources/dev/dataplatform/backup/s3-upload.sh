#!/bin/sh
# Uploads the dumps pg-dump.sh wrote (<directory>/<database>/<timestamp>.dump) to <url>/<database>/<timestamp>.dump
# and publishes BackupSucceeded per database: 1 when its dump of this run is uploaded, 0 when there is none (pg_dump
# failed or never ran for it) or the upload failed. Exits non-zero when any database failed.
# Usage: s3-upload.sh <directory> <s3://bucket/prefix> <database>...
# New object names only (timestamps): the identity may put objects under the prefix, never read, list or delete.
set -u
. "$(dirname "$0")/metric.sh"
if [ "$#" -lt 3 ]; then
  echo '{"event":"logical-backup-upload","result":"failure","message":"usage: s3-upload.sh <directory> <s3://bucket/prefix> <database>..."}'
  exit 2
fi
directory=$1
url=${2%/}
shift 2
failed=0
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
  if aws s3 cp --only-show-errors "$dump" "$url/$database/$name"; then
    printf '{"event":"logical-backup-upload","result":"success","database":"%s","object":"%s/%s/%s"}\n' "$database" "$url" "$database" "$name"
    metric BackupSucceeded "$database" 1 || failed=1
  else
    printf '{"event":"logical-backup-upload","result":"failure","database":"%s","object":"%s/%s/%s","message":"upload failed"}\n' \
      "$database" "$url" "$database" "$name"
    metric BackupSucceeded "$database" 0
    failed=1
  fi
done
exit "$failed"
