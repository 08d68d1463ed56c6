#!/bin/sh
# Downloads, for the restore drill, the dump the newest manifest of one database names: the manifest
# <url>/manifests/<database>/<timestamp>.manifest (written by gcs-upload.sh) into <directory>/<database>/manifest, and
# the object it names, at the generation it names, into <directory>/<database>/<timestamp>.dump. A dump no manifest
# names is never fetched; restore-drill.sh checks the checksum and size before restoring anything.
# Usage: gcs-fetch-latest.sh <directory> <gs://bucket/prefix> <database>
set -eu
directory=$1
url=${2%/}
database=$3
fail() {
  printf '{"event":"restore-drill","result":"failure","database":"%s","message":"%s"}\n' "$database" "$1"
  exit 1
}
latest=$(gcloud storage ls "$url/manifests/$database/" 2>/dev/null | grep '\.manifest$' | sort | tail -n 1) || true
[ -n "$latest" ] || fail "no manifest under $url/manifests/$database/: the drill restores only dumps the backup job recorded"
mkdir -p "$directory/$database"
gcloud storage cp --no-user-output-enabled "$latest" "$directory/$database/manifest" || fail "download of $latest failed"
object=''
version=''
while IFS='=' read -r key value; do
  case "$key" in
    object) object=$value ;;
    version) version=$value ;;
  esac
done < "$directory/$database/manifest"
name=${object##*/}
case "$object" in
  "$url/$database/"*/*) fail "manifest $latest names $object, not a dump directly under $url/$database/" ;;
  "$url/$database/"*.dump) ;;
  *) fail "manifest $latest names $object, not a dump of $database under $url/$database/" ;;
esac
case "$version" in
  ''|*[!0-9]*) fail "manifest $latest names no generation for $object" ;;
esac
gcloud storage cp --no-user-output-enabled "$object#$version" "$directory/$database/$name" \
  || fail "download of $object#$version failed"
printf '{"event":"restore-drill-fetch","result":"success","database":"%s","manifest":"%s","object":"%s","version":"%s"}\n' \
  "$database" "$latest" "$object" "$version"
