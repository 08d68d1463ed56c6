#!/bin/sh
# Downloads the newest dump of one database for the restore drill: <url>/<database>/<timestamp>.dump
# into <directory>/<database>/ (the names sort by time).
# Usage: gcs-fetch-latest.sh <directory> <gs://bucket/prefix> <database>
set -eu
directory=$1
url=${2%/}
database=$3
latest=$(gcloud storage ls "$url/$database/" | grep '\.dump$' | sort | tail -n 1) || true
if [ -z "$latest" ]; then
  printf '{"event":"restore-drill","result":"failure","database":"%s","message":"no dump under %s/%s/"}\n' "$database" "$url" "$database"
  exit 1
fi
mkdir -p "$directory/$database"
gcloud storage cp --no-user-output-enabled "$latest" "$directory/$database/$(basename "$latest")"
