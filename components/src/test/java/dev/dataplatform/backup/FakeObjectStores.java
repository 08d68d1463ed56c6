package dev.dataplatform.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Stand-in {@code gcloud} and {@code aws} CLIs (first on PATH) over one local directory, {@code $FAKE_STORE}: every
 * write keeps the current object under {@code objects/<bucket>/<key>} and a copy of that version under
 * {@code versions/<bucket>/<key>#<id>} (GCS generations are numbers, S3 version ids {@code v<number>}), so reading by
 * generation or version id returns what was written then, as on a versioned bucket. Create-only writes
 * ({@code --if-generation-match=0}, {@code --if-none-match '*'}) fail when the key exists; an S3 PutObject without
 * {@code If-None-Match} is refused, as the backup role's policy refuses it. Each call is logged to {@code calls.log};
 * {@code cloudwatch put-metric-data} to {@code metrics.log}. The real CLIs' behaviour is not exercised here.
 */
final class FakeObjectStores {
    static final String GCLOUD = """
            #!/bin/sh
            printf '%s\\n' "$*" >> "$FAKE_STORE/calls.log"
            [ "$1" = storage ] || exit 2
            cmd=$2
            shift 2
            src=''; dst=''; ifgen=''; created=no
            for a in "$@"; do
              case "$a" in
                --if-generation-match=*) ifgen=${a#*=} ;;
                --print-created-message) created=yes ;;
                --no-user-output-enabled) ;;
                --*) echo "unexpected flag $a" >&2; exit 2 ;;
                *) if [ -z "$src" ]; then src=$a; else dst=$a; fi ;;
              esac
            done
            case "$cmd" in
              cp)
                case "$dst" in
                  gs://*)
                    target="$FAKE_STORE/objects/${dst#gs://}"
                    if [ "$ifgen" = 0 ] && [ -e "$target" ]; then
                      echo "ERROR: HTTPError 412: At least one of the pre-conditions you specified did not hold." >&2; exit 1
                    fi
                    n=$(( $(cat "$FAKE_STORE/counter" 2>/dev/null || echo 1700000000000000) + 1 ))
                    echo "$n" > "$FAKE_STORE/counter"
                    mkdir -p "$(dirname "$target")" "$(dirname "$FAKE_STORE/versions/${dst#gs://}")"
                    cp "$src" "$target" && cp "$src" "$FAKE_STORE/versions/${dst#gs://}#$n" || exit 1
                    [ "$created" = no ] || echo "Created: $dst#$n" >&2 ;;
                  *)
                    case "$src" in
                      *'#'*) file="$FAKE_STORE/versions/${src#gs://}" ;;
                      *) file="$FAKE_STORE/objects/${src#gs://}" ;;
                    esac
                    [ -f "$file" ] || { echo "ERROR: No URLs matched: $src" >&2; exit 1; }
                    cp "$file" "$dst" ;;
                esac ;;
              ls)
                dir="$FAKE_STORE/objects/${src#gs://}"
                [ -d "$dir" ] || { echo "ERROR: One or more URLs matched no objects." >&2; exit 1; }
                for f in "$dir"*; do [ -f "$f" ] && printf '%s%s\\n' "$src" "$(basename "$f")"; done ;;
              *) exit 2 ;;
            esac
            """;

    static final String AWS = """
            #!/bin/sh
            printf '%s\\n' "$*" >> "$FAKE_STORE/calls.log"
            arg() { want=$1; shift; while [ "$#" -gt 1 ]; do [ "$1" = "$want" ] && { printf '%s' "$2"; return; }; shift; done; }
            has() { want=$1; shift; for a in "$@"; do [ "$a" = "$want" ] && return 0; done; return 1; }
            for last in "$@"; do :; done
            case "$1 $2" in
              "rds generate-db-auth-token")
                printf '%s:%s/?Action=connect&DBUser=%s&X-Amz-Expires=900&X-Amz-Signature=f00d\\n' \\
                  "$(arg --hostname "$@")" "$(arg --port "$@")" "$(arg --username "$@")" ;;
              "s3api put-object")
                key="$(arg --bucket "$@")/$(arg --key "$@")"
                case " ${FAKE_AWS_FAIL:-} " in *" ${key##*/} "*) echo "upload failed: access denied" >&2; exit 1 ;; esac
                has --if-none-match "$@" && [ "$(arg --if-none-match "$@")" = '*' ] \\
                  || { echo "An error occurred (AccessDenied) when calling the PutObject operation" >&2; exit 254; }
                if [ -e "$FAKE_STORE/objects/$key" ]; then
                  echo "An error occurred (PreconditionFailed) when calling the PutObject operation" >&2; exit 254
                fi
                n=$(( $(cat "$FAKE_STORE/counter" 2>/dev/null || echo 1000) + 1 ))
                echo "$n" > "$FAKE_STORE/counter"
                mkdir -p "$(dirname "$FAKE_STORE/objects/$key")" "$(dirname "$FAKE_STORE/versions/$key")"
                cp "$(arg --body "$@")" "$FAKE_STORE/objects/$key" && cp "$(arg --body "$@")" "$FAKE_STORE/versions/$key#v$n" || exit 1
                echo "v$n" ;;
              "s3api get-object")
                key="$(arg --bucket "$@")/$(arg --key "$@")"
                if has --version-id "$@"; then file="$FAKE_STORE/versions/$key#$(arg --version-id "$@")"; else file="$FAKE_STORE/objects/$key"; fi
                [ -f "$file" ] || { echo "An error occurred (NoSuchKey) when calling the GetObject operation" >&2; exit 254; }
                cp "$file" "$last" && echo '{"ContentLength": 1}' ;;
              "s3 ls")
                dir="$FAKE_STORE/objects/${3#s3://}"
                [ -d "$dir" ] || exit 1
                for f in "$dir"*; do [ -f "$f" ] && printf '2026-12-01 01:30:00 %s %s\\n' "$(wc -c < "$f")" "$(basename "$f")"; done ;;
              "cloudwatch put-metric-data")
                printf '%s %s %s\\n' "$(arg --metric-name "$@")" "$(arg --dimensions "$@")" "$(arg --value "$@")" >> "$FAKE_STORE/metrics.log"
                [ "$(arg --namespace "$@")" = "$EXPECTED_NAMESPACE" ] || exit 3 ;;
              *) echo "unexpected: $*" >&2; exit 2 ;;
            esac
            """;

    private FakeObjectStores() {
    }

    /** Writes both stand-ins into {@code bin} and returns the store directory to export as FAKE_STORE. */
    static Path install(Path directory) throws Exception {
        Path bin = Files.createDirectories(directory.resolve("bin"));
        for (var entry : List.of(List.of("gcloud", GCLOUD), List.of("aws", AWS))) {
            Path file = bin.resolve(entry.get(0));
            Files.writeString(file, entry.get(1));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return Files.createDirectories(directory.resolve("store"));
    }

    /**
     * Another principal's write (what the backup job never recorded): the object becomes the current one under
     * {@code <bucket>/<key>} with a new version, and no manifest names it.
     */
    static void plant(Path store, String bucketAndKey, byte[] content) throws Exception {
        Path object = store.resolve("objects").resolve(bucketAndKey);
        Files.createDirectories(object.getParent());
        Files.write(object, content);
        Path version = store.resolve("versions").resolve(bucketAndKey + "#planted");
        Files.createDirectories(version.getParent());
        Files.write(version, content);
    }
}
