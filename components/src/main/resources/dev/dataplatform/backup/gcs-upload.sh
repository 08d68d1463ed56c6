#!/bin/sh
# Uploads the dumps pg-dump.sh wrote: <directory>/<database>/<timestamp>.dump to <url>/<database>/<timestamp>.dump.
# Usage: gcs-upload.sh <directory> <gs://bucket/prefix>
# New object names only (timestamps), so the identity needs to create objects, never to read, list or overwrite.
set -eu
directory=$1
url=${2%/}
found=0
for dump in "$directory"/*/*.dump; do
  [ -f "$dump" ] || continue
  found=1
  database=$(basename "$(dirname "$dump")")
  name=$(basename "$dump")
  if ! gcloud storage cp --no-user-output-enabled "$dump" "$url/$database/$name"; then
    printf '{"event":"logical-backup-upload","result":"failure","object":"%s/%s/%s"}\n' "$url" "$database" "$name"
    exit 1
  fi
  printf '{"event":"logical-backup-upload","result":"success","object":"%s/%s/%s"}\n' "$url" "$database" "$name"
done
if [ "$found" = 0 ]; then
  echo '{"event":"logical-backup-upload","result":"failure","message":"no dump to upload"}'
  exit 1
fi
