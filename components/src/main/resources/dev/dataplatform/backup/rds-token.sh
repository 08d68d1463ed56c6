#!/bin/sh
# Keeps a libpq password file holding a fresh RDS IAM authentication token for one login (the native sidecar of the
# RDS backup and drill pods; the PostgreSQL tools read the file at every connection, through PGPASSFILE).
# Usage: rds-token.sh <password file> <host> <port> <login> [--once]
# Environment: AWS_REGION (where the instance is), TOKEN_REFRESH_SECONDS (default 300).
# A token is valid for 15 minutes and is checked only when a connection is opened, so a file renewed every
# 5 minutes always holds one that is good at the next connect. The file is written under a temporary name with
# mode 0600 (libpq ignores a password file that the group or others can read) and renamed into place.
set -u
if [ "$#" -lt 4 ]; then
  echo '{"event":"rds-auth-token","result":"failure","message":"usage: rds-token.sh <password file> <host> <port> <login> [--once]"}'
  exit 2
fi
file=$1
host=$2
port=$3
login=$4
once=${5:-}
# The password file separates fields with ':'; a token (host:port/?Action=connect&...) contains ':', escaped as '\:'.
escape() {
  rest=$1
  escaped=''
  while :; do
    case "$rest" in
      *:*) escaped="$escaped${rest%%:*}\\:"; rest=${rest#*:} ;;
      *) escaped="$escaped$rest"; break ;;
    esac
  done
  printf '%s' "$escaped"
}
umask 077
while :; do
  if token=$(aws rds generate-db-auth-token --hostname "$host" --port "$port" --username "$login" --region "${AWS_REGION:-}") \
      && [ -n "$token" ]; then
    printf '*:*:*:%s:%s\n' "$login" "$(escape "$token")" > "$file.tmp" && mv "$file.tmp" "$file"
  else
    printf '{"event":"rds-auth-token","result":"failure","login":"%s","message":"aws rds generate-db-auth-token failed"}\n' "$login"
    if [ "$once" = --once ]; then
      exit 1
    fi
  fi
  if [ "$once" = --once ]; then
    exit 0
  fi
  sleep "${TOKEN_REFRESH_SECONDS:-300}"
done
