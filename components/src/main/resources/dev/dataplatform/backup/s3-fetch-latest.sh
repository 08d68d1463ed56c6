#!/bin/sh
# Downloads, for the restore drill, the dump the newest manifest of one database names: the manifest
# <url>/manifests/<database>/<timestamp>.manifest (written by s3-upload.sh) into <directory>/<database>/manifest, and
# the object it names, at the S3 version it names, into <directory>/<database>/<timestamp>.dump. A dump no manifest
# names is never fetched, and a later version of the same key is not what the drill restores; restore-drill.sh checks
# the checksum and size before restoring anything. `aws s3 ls` lists keys in ascending order and the timestamps sort by
# time, so the last manifest listed is the newest.
# Usage: s3-fetch-latest.sh <directory> <s3://bucket/prefix> <database>
set -u
directory=$1
url=${2%/}
database=$3
location=${url#s3://}
bucket=${location%%/*}
prefix=''
[ "$location" = "$bucket" ] || prefix=${location#*/}/
fail() {
  printf '{"event":"restore-drill","result":"failure","database":"%s","message":"%s"}\n' "$database" "$1"
  exit 1
}
listing=$(aws s3 ls "$url/manifests/$database/") || listing=''
latest=''
while read -r day time size name; do
  case "$name" in
    *.manifest) latest=$name ;;
  esac
done <<END
$listing
END
[ -n "$latest" ] || fail "no manifest under $url/manifests/$database/: the drill restores only dumps the backup job recorded"
mkdir -p "$directory/$database"
aws s3api get-object --bucket "$bucket" --key "${prefix}manifests/$database/$latest" "$directory/$database/manifest" >/dev/null \
  || fail "download of $url/manifests/$database/$latest failed"
object=''
version=''
while IFS='=' read -r key value; do
  case "$key" in
    object) object=$value ;;
    version) version=$value ;;
  esac
done < "$directory/$database/manifest"
case "$object" in
  "$url/$database/"*/*) fail "manifest $latest names $object, not a dump directly under $url/$database/" ;;
  "$url/$database/"*.dump) ;;
  *) fail "manifest $latest names $object, not a dump of $database under $url/$database/" ;;
esac
[ -n "$version" ] || fail "manifest $latest names no version for $object"
name=${object##*/}
if ! aws s3api get-object --bucket "$bucket" --key "$prefix$database/$name" --version-id "$version" \
    "$directory/$database/$name" >/dev/null; then
  fail "download of $object version $version failed"
fi
printf '{"event":"restore-drill-fetch","result":"success","database":"%s","manifest":"%s","object":"%s","version":"%s"}\n' \
  "$database" "$url/manifests/$database/$latest" "$object" "$version"
