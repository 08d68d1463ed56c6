#!/bin/sh
# Downloads the newest dump of one database for the restore drill: <url>/<database>/<timestamp>.dump into
# <directory>/<database>/. `aws s3 ls` lists keys in ascending order (S3 lists UTF-8 binary order) and the
# timestamps sort by time, so the last .dump listed is the newest.
# Usage: s3-fetch-latest.sh <directory> <s3://bucket/prefix> <database>
set -u
directory=$1
url=${2%/}
database=$3
listing=$(aws s3 ls "$url/$database/") || listing=''
latest=''
while read -r day time size name; do
  case "$name" in
    *.dump) latest=$name ;;
  esac
done <<END
$listing
END
if [ -z "$latest" ]; then
  printf '{"event":"restore-drill","result":"failure","database":"%s","message":"no dump under %s/%s/"}\n' "$database" "$url" "$database"
  exit 1
fi
mkdir -p "$directory/$database"
if ! aws s3 cp --only-show-errors "$url/$database/$latest" "$directory/$database/$latest"; then
  printf '{"event":"restore-drill","result":"failure","database":"%s","message":"download of %s/%s/%s failed"}\n' \
    "$database" "$url" "$database" "$latest"
  exit 1
fi
printf '{"event":"restore-drill-fetch","result":"success","database":"%s","object":"%s/%s/%s"}\n' "$database" "$url" "$database" "$latest"
