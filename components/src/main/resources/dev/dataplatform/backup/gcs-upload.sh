#!/bin/sh
# Uploads the dumps pg-dump.sh wrote: <directory>/<database>/<timestamp>.dump to <url>/<database>/<timestamp>.dump, then
# records each in a manifest, <url>/manifests/<database>/<timestamp>.manifest:
#   database=<database>  object=<gs:// URL of the dump>  version=<its generation>  sha256=<hex>  bytes=<size>
# The restore drill restores only what a manifest names, at that generation and checksum (see restore-drill.sh).
# Usage: gcs-upload.sh <directory> <gs://bucket/prefix>
# Every write is create-only (--if-generation-match=0): the identity (roles/storage.objectCreator) can create objects,
# never read, list, overwrite or delete them, and the bucket's retention policy keeps each object for the retention.
set -eu
directory=$1
url=${2%/}
found=0
fail() {
  printf '{"event":"logical-backup-upload","result":"failure","object":"%s","message":"%s"}\n' "$1" "$2"
  exit 1
}
for dump in "$directory"/*/*.dump; do
  [ -f "$dump" ] || continue
  found=1
  database=$(basename "$(dirname "$dump")")
  name=$(basename "$dump")
  object="$url/$database/$name"
  [ -f "$dump.sum" ] || fail "$object" "no checksum file $name.sum from pg-dump.sh"
  # --print-created-message prints 'Created: gs://<bucket>/<object>#<generation>' on the status stream.
  if ! created=$(gcloud storage cp --no-user-output-enabled --if-generation-match=0 --print-created-message "$dump" "$object" 2>&1); then
    fail "$object" "upload failed: $(printf '%s' "$created" | tr '\n"\\' '   ' | cut -c1-300)"
  fi
  generation=''
  for word in $created; do
    case "$word" in
      "$object#"*) generation=${word#"$object#"} ;;
    esac
  done
  case "$generation" in
    ''|*[!0-9]*) fail "$object" "the upload printed no generation for the object" ;;
  esac
  manifest="$directory/$database/${name%.dump}.manifest"
  { printf 'database=%s\nobject=%s\nversion=%s\n' "$database" "$object" "$generation"; cat "$dump.sum"; } > "$manifest"
  if ! gcloud storage cp --no-user-output-enabled --if-generation-match=0 "$manifest" "$url/manifests/$database/${name%.dump}.manifest"; then
    fail "$url/manifests/$database/${name%.dump}.manifest" "manifest upload failed"
  fi
  printf '{"event":"logical-backup-upload","result":"success","object":"%s","version":"%s"}\n' "$object" "$generation"
done
if [ "$found" = 0 ]; then
  echo '{"event":"logical-backup-upload","result":"failure","message":"no dump to upload"}'
  exit 1
fi
