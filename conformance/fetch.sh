#!/bin/sh
# Fetches the third-party files the conformance tests read (conformance/manifest: path, URL at the pinned
# commit, sha256) into $DATAPLATFORM_CONFORMANCE_DIR, by default
# ${XDG_CACHE_HOME:-$HOME/.cache}/data-platform/conformance, where the tests and `plan --schemas` find them.
#
#   sh conformance/fetch.sh
#   DATAPLATFORM_CONFORMANCE_MIRROR=file:///srv/conformance sh conformance/fetch.sh
#
# DATAPLATFORM_CONFORMANCE_MIRROR=<base URL> (http://, https:// or file:///absolute/path) fetches <base>/<path> instead of
# the upstream URL: a directory or server with the same layout as the conformance directory. Every file is
# checked against its sha256: a mismatch is refused (the file is not kept) and the script exits 1 naming it.
# Files already present with the right sha256 are not downloaded again. Files whose URL says "derived:" exist
# only as made for this project (see the manifest), so they come only from a mirror.
#
# Needs a POSIX shell, curl or wget (not for file://), and sha256sum, shasum or openssl.
set -u

here=$(cd "$(dirname "$0")" && pwd) || exit 2
manifest=$here/manifest
dir=${DATAPLATFORM_CONFORMANCE_DIR:-${XDG_CACHE_HOME:-${HOME:?HOME is not set}/.cache}/data-platform/conformance}
mirror=${DATAPLATFORM_CONFORMANCE_MIRROR:-}
mirror=${mirror%/}

fail() {
    echo "fetch.sh: $*" >&2
    exit 2
}

[ -r "$manifest" ] || fail "no manifest at $manifest"

if command -v sha256sum >/dev/null 2>&1; then
    sha256() { sha256sum "$1" | cut -d ' ' -f 1; }
elif command -v shasum >/dev/null 2>&1; then
    sha256() { shasum -a 256 "$1" | cut -d ' ' -f 1; }
elif command -v openssl >/dev/null 2>&1; then
    sha256() { openssl dgst -sha256 -r "$1" | cut -d ' ' -f 1; }
else
    fail "no SHA-256 tool found (sha256sum, shasum or openssl)"
fi

# download URL FILE: 0 when FILE now holds what URL served.
download() {
    case $1 in
        file://*)
            cp "${1#file://}" "$2" 2>/dev/null
            ;;
        *)
            if command -v curl >/dev/null 2>&1; then
                curl -fsSL --retry 2 -o "$2" "$1"
            elif command -v wget >/dev/null 2>&1; then
                wget -q -O "$2" "$1"
            else
                fail "neither curl nor wget found"
            fi
            ;;
    esac
}

part=
trap 'if [ -n "$part" ]; then rm -f "$part"; fi' EXIT
trap 'exit 130' INT TERM

mkdir -p "$dir" || fail "cannot create $dir"
if [ -n "$mirror" ]; then
    echo "conformance files into $dir from the mirror $mirror"
else
    echo "conformance files into $dir from upstream"
fi

fetched=0
present=0
skipped=0
failed=0
line=0
while read -r path url sum extra; do
    line=$((line + 1))
    case $path in
        '' | '#'*) continue ;;
    esac
    case $sum in
        [0-9a-f][0-9a-f][0-9a-f][0-9a-f]*) ;;
        *) fail "manifest line $line: expected <path> <url> <sha256>" ;;
    esac
    case /$path/ in
        */../* | //*) fail "manifest line $line: $path is not a relative path inside the directory" ;;
    esac
    target=$dir/$path
    if [ -f "$target" ]; then
        if [ "$(sha256 "$target")" = "$sum" ]; then
            present=$((present + 1))
            continue
        fi
        echo "  $path: the copy in $dir does not match its sha256: removed, fetching it again"
        rm -f "$target"
    fi
    if [ -n "$mirror" ]; then
        from=$mirror/$path
    else
        case $url in
            derived:*)
                echo "  $path: not fetched: made for this project from ${url#derived:}, so only a mirror has it"
                skipped=$((skipped + 1))
                continue
                ;;
        esac
        from=$url
    fi
    mkdir -p "$(dirname "$target")" || fail "cannot create the folder of $target"
    part=$target.part.$$
    if ! download "$from" "$part"; then
        rm -f "$part"
        part=
        echo "error: $path: cannot download $from" >&2
        failed=$((failed + 1))
        continue
    fi
    got=$(sha256 "$part")
    if [ "$got" != "$sum" ]; then
        rm -f "$part"
        part=
        echo "error: $path: refused: sha256 $got of $from is not the manifest's $sum" >&2
        failed=$((failed + 1))
        continue
    fi
    mv -f "$part" "$target" || fail "cannot write $target"
    part=
    echo "  fetched $path"
    fetched=$((fetched + 1))
done <"$manifest"

echo "$fetched fetched, $present already present and verified, $skipped not available without a mirror, $failed failed"
[ "$failed" -eq 0 ] || exit 1
exit 0
