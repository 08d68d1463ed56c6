#!/bin/sh
# Restore drill: restores the dump the backup job recorded into the scratch database and runs smoke checks.
# Usage: restore-drill.sh <directory> <database> <scratch database> [<table>...]
# <directory>/<database>/ holds `manifest` (written by the upload step, fetched by the fetch step: database=, object=,
# version=, sha256=, bytes=) and the one dump it names, <timestamp>.dump. Nothing else is restored: no manifest, a
# manifest of another database or naming no dump, or a dump whose size or sha256 is not the manifest's is refused
# before any connection.
# The login (libpq's PG* variables) must own the scratch database and hold nothing more: the drill refuses to run as
# a superuser, a CREATEROLE or BYPASSRLS login, a member of rds_superuser, cloudsqlsuperuser or the server-file roles,
# or a login that does not own <scratch database>. The admin path creates that database (owned by the login) with the
# source's extensions installed, because only the admin may create them (cloudsqlsuperuser on Cloud SQL,
# rds_superuser on RDS); the restore skips the archive's entries for extensions installed already (and their member
# tables' data, such as PostGIS's spatial_ref_sys) and fails, naming them, when the archive needs one that is not.
# Restore: pg_restore --no-owner --no-privileges of the remaining entries as SQL, run by psql in one transaction that
# is committed only when pg_restore read the whole archive; pg_dump's empty search_path is replaced by the archive's
# schemas and public, because functions inlined while tables are created (pgSTAC's collection_geom in a generated
# column) name PostGIS functions without a schema. pg_restore 15.14+ writes \restrict, so psql runs no meta-command
# an archive could carry.
# Checks: SELECT version(); SELECT PostGIS_Full_Version() when the archive has PostGIS (its version is reported, and
# no version is a failure); SELECT count(*) of each table given. Prints exactly one JSON line with
# "result":"success" or "result":"failure" and a message, and exits non-zero on failure. Everything the login owns in
# the scratch database is dropped (DROP OWNED BY CURRENT_USER) before and after the drill.
set -u
event='"event":"restore-drill"'
connected=no
fail() {
  # Messages carry no quotes or backslashes from the tools (they are reduced to one line, quotes dropped).
  message=$(printf '%s' "$1" | tr '\n"\\' '  ' | cut -c1-500)
  printf '{%s,"result":"failure","database":"%s","message":"%s"}\n' "$event" "${database:-}" "$message"
  if [ "$connected" = yes ]; then
    query 'DROP OWNED BY CURRENT_USER' >/dev/null 2>&1 || true
  fi
  exit 1
}
query() {
  psql --no-password -X -q -t -A -v ON_ERROR_STOP=1 --dbname="$scratch" -c "$1" 2>&1
}
if [ "$#" -lt 3 ]; then
  database=''
  fail "usage: restore-drill.sh <directory> <database> <scratch database> [<table>...]"
fi
directory=$1
database=$2
scratch=$3
shift 3
work="$directory/$database"

# 1. Only the dump the manifest names, with the manifest's size and checksum.
[ -f "$work/manifest" ] || fail "no manifest in $work: the drill restores only dumps the backup job recorded"
m_database=''
m_object=''
m_version=''
m_sha256=''
m_bytes=''
while IFS='=' read -r key value; do
  case "$key" in
    database) m_database=$value ;;
    object) m_object=$value ;;
    version) m_version=$value ;;
    sha256) m_sha256=$value ;;
    bytes) m_bytes=$value ;;
  esac
done < "$work/manifest"
[ "$m_database" = "$database" ] || fail "the manifest is of database '$m_database', not $database"
name=${m_object##*/}
case "$name" in
  [0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z.dump) ;;
  *) fail "the manifest names '$m_object', not a dump (<UTC timestamp>.dump)" ;;
esac
case "$m_sha256" in
  ''|*[!0-9a-f]*) fail "the manifest of $name has no sha256" ;;
esac
dump="$work/$name"
[ -f "$dump" ] || fail "dump $database/$name named by the manifest is missing"
bytes=$(wc -c < "$dump" | tr -d ' ')
[ "$bytes" = "$m_bytes" ] || fail "dump $database/$name has $bytes bytes, its manifest records $m_bytes: refused"
sum=$(sha256sum "$dump") || fail "sha256sum of $database/$name failed"
sum=${sum%% *}
[ "$sum" = "$m_sha256" ] || fail "dump $database/$name has sha256 $sum, its manifest records $m_sha256: refused"

# 2. A readable archive: pg_restore --list reads the header and table of contents (a truncated archive usually passes
# here, its contents come first, and fails in the restore below).
if ! errors=$(pg_restore --list "$dump" 2>&1 >/dev/null); then
  fail "dump $database/$name is not a readable pg_dump archive: $errors"
fi
toc=$(pg_restore --list "$dump")

# 3. The login: the owner of the scratch database and nothing more.
privileges=$(query "SELECT concat_ws(', ',
    CASE WHEN r.rolsuper THEN 'SUPERUSER' END,
    CASE WHEN r.rolcreaterole THEN 'CREATEROLE' END,
    CASE WHEN r.rolbypassrls THEN 'BYPASSRLS' END,
    (SELECT string_agg('member of ' || g.rolname, ', ' ORDER BY g.rolname) FROM pg_roles g
      WHERE g.rolname IN ('rds_superuser', 'cloudsqlsuperuser', 'pg_execute_server_program', 'pg_write_server_files',
                          'pg_read_server_files')
        AND pg_has_role(r.oid, g.oid, 'MEMBER')),
    CASE WHEN d.datdba <> r.oid THEN 'not the owner of ' || d.datname END)
  FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()") \
  || fail "cannot connect to the scratch database $scratch: $privileges"
[ -z "$privileges" ] || fail "the drill login may not restore: $privileges (it must own only the scratch database)"
connected=yes
errors=$(query 'DROP OWNED BY CURRENT_USER') || fail "cannot empty the scratch database $scratch: $errors"

# 4. Extensions: installed by the admin path, so their entries (and their member tables' data) are skipped.
installed=$(query 'SELECT extname FROM pg_extension ORDER BY 1') || fail "cannot list extensions: $installed"
members=$(query "SELECT n.nspname || ' ' || c.relname FROM pg_depend d JOIN pg_class c ON d.classid = 'pg_class'::regclass
  AND d.objid = c.oid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE d.deptype = 'e' ORDER BY 1") \
  || fail "cannot list extension tables: $members"
missing=''
has_postgis=no
schemas=''
list="$work/restore.list"
: > "$list"
while IFS= read -r line; do
  entry="$line "
  skip=no
  case "$entry" in
    ';'*) ;;
    *' EXTENSION - '*)
      extension=${entry#* EXTENSION - }
      extension=${extension%% *}
      [ "$extension" = postgis ] && has_postgis=yes
      case " $(printf '%s' "$installed" | tr '\n' ' ') " in
        *" $extension "*) skip=yes ;;
        *) missing="$missing${missing:+, }$extension" ;;
      esac ;;
    *' COMMENT - EXTENSION '*)
      extension=${entry#* COMMENT - EXTENSION }
      extension=${extension%% *}
      case " $(printf '%s' "$installed" | tr '\n' ' ') " in
        *" $extension "*) skip=yes ;;
      esac ;;
    *' TABLE DATA '*)
      while IFS= read -r member; do
        [ -n "$member" ] || continue
        case "$entry" in
          *" TABLE DATA $member "*) skip=yes ;;
        esac
      done <<MEMBERS
$members
MEMBERS
      ;;
    *' SCHEMA - '*)
      schema=${entry#* SCHEMA - }
      schema=${schema%% *}
      case "$schema" in
        [a-z_]*[!a-z0-9_]*|[!a-z_]*) ;;
        *) schemas="$schemas$schema, " ;;
      esac ;;
  esac
  [ "$skip" = yes ] || printf '%s\n' "$line" >> "$list"
done <<TOC
$toc
TOC
[ -z "$missing" ] || fail "dump $database/$name needs extension(s) $missing, not installed in $scratch: the admin path installs the source's extensions there"

# 5. The restore, in one transaction committed only when pg_restore read the whole archive.
status="$work/restore.status"
rm -f "$status"
if ! errors=$( { echo 'BEGIN;'
    if pg_restore --no-owner --no-privileges --use-list="$list" --file=- "$dump" 2>"$work/restore.err"; then
      echo 'COMMIT;'
    else
      echo failed > "$status"
    fi; } \
  | sed "s/^SELECT pg_catalog.set_config('search_path', '', false);\$/SELECT pg_catalog.set_config('search_path', '${schemas}public', false);/" \
  | psql --no-password -X -q -o /dev/null -v ON_ERROR_STOP=1 --dbname="$scratch" 2>&1); then
  fail "restore of $database/$name into $scratch failed: $errors"
fi
if [ -f "$status" ]; then
  fail "restore of $database/$name into $scratch failed (rolled back): $(cat "$work/restore.err")"
fi

# 6. Smoke checks.
version=$(query 'SELECT version()') || fail "SELECT version() failed: $version"
postgis=null
if [ "$has_postgis" = yes ]; then
  full=$(query 'SELECT PostGIS_Full_Version()') || fail "SELECT PostGIS_Full_Version() failed: $full"
  postgis_version=''
  case "${full:-}" in
    *'POSTGIS="'*) postgis_version=${full#*POSTGIS=\"}; postgis_version=${postgis_version%%[\" ]*} ;;
  esac
  [ -n "$postgis_version" ] || fail "the archive has PostGIS but the smoke check reported no PostGIS version"
  postgis="\"$postgis_version\""
fi
counts=''
for table in "$@"; do
  # <schema>.<table> or <table> (schema public). The names travel as psql variables and psql quotes them
  # as identifiers (:"name"), so a table name is never spliced into SQL text.
  case "$table" in
    *.*) schema=${table%%.*}; relation=${table#*.} ;;
    *) schema=public; relation=$table ;;
  esac
  count=$(printf '%s\n' 'SELECT count(*) FROM :"schema".:"name";' | psql --no-password -X -q -t -A \
    -v ON_ERROR_STOP=1 -v "schema=$schema" -v "name=$relation" --dbname="$scratch" 2>&1) \
    || fail "row count of $table failed: $count"
  counts="$counts${counts:+,}\"$table\":$count"
done
query 'DROP OWNED BY CURRENT_USER' >/dev/null 2>&1 || true
printf '{%s,"result":"success","database":"%s","dump":"%s/%s","version":"%s","sha256":"%s","postgis":%s,"rows":{%s}}\n' \
  "$event" "$database" "$database" "$name" "$m_version" "$m_sha256" "$postgis" "$counts"
