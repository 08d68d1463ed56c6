#!/bin/sh
# Downloads the RDS CA bundle that libpq verifies the server against (PGSSLMODE=verify-full, PGSSLROOTCERT) into a
# memory volume, before any container connects. HTTPS only (TLS 1.2 or newer), with the image's own CA store: the same
# trust the postgresql provider's awspostgres scheme places in this URL. The file is accepted only when it is a PEM
# bundle of certificates and nothing else; it is written under a temporary name and renamed into place.
# Usage: rds-ca-bundle.sh <https URL> <file>
set -u
url=$1
file=$2
fail() {
  printf '{"event":"rds-ca-bundle","result":"failure","url":"%s","message":"%s"}\n' "$url" "$1"
  exit 1
}
case "$url" in
  https://*) ;;
  *) fail "not an https URL" ;;
esac
curl --fail --silent --show-error --location --proto '=https' --tlsv1.2 --max-time 60 --output "$file.tmp" "$url" 2>"$file.err" \
  || fail "download failed: $(while IFS= read -r line; do printf '%s ' "$line"; done < "$file.err")"
certificates=0
while IFS= read -r line; do
  case "$line" in
    '-----BEGIN CERTIFICATE-----'*) certificates=$((certificates + 1)) ;;
    '-----BEGIN '*) fail "the bundle holds something other than certificates: $line" ;;
  esac
done < "$file.tmp"
[ "$certificates" -gt 0 ] || fail "the download is not a PEM bundle of certificates"
mv "$file.tmp" "$file" || fail "cannot write $file"
rm -f "$file.err"
printf '{"event":"rds-ca-bundle","result":"success","url":"%s","certificates":%s}\n' "$url" "$certificates"
