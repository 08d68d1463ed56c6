package dev.dataplatform.backup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The thin upload and download steps, the project's script files run with sh against a stand-in {@code gcloud} on PATH
 * that maps {@code gs://<bucket>/<object>} to a local directory and logs each call: which objects the CronJob
 * creates, which dump the drill fetches, and the failures when there is nothing to move. (The real CLI's behaviour
 * is not exercised here.)
 */
class BackupTransferScriptsTest {
    static final String FAKE_GCLOUD = """
            #!/bin/sh
            # stand-in: gcloud storage cp [--no-user-output-enabled] <src> <dst> | gcloud storage ls <gs://prefix/>
            echo "$*" >> "$FAKE_GCS/calls.log"
            [ "$1" = storage ] || exit 2
            local_path() { printf '%s' "$FAKE_GCS/objects/${1#gs://}"; }
            case "$2" in
              cp)
                src=$4; dst=$5
                case "$src" in gs://*) src=$(local_path "$src") ;; esac
                case "$dst" in gs://*) dst=$(local_path "$dst"); mkdir -p "$(dirname "$dst")" ;; esac
                cp "$src" "$dst" ;;
              ls)
                dir=$(local_path "$3")
                [ -d "$dir" ] || { echo "ERROR: One or more URLs matched no objects." >&2; exit 1; }
                for f in "$dir"*; do [ -f "$f" ] && printf '%s%s\\n' "$3" "$(basename "$f")"; done ;;
              *) exit 2 ;;
            esac
            """;

    record Result(int exitCode, String out) {
    }

    static Result run(Path root, String script, String... args) throws Exception {
        Path scripts = Files.createDirectories(root.resolve("scripts"));
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.writeString(scripts.resolve(script), BackupScripts.text(script));
        Path gcloud = bin.resolve("gcloud");
        Files.writeString(gcloud, FAKE_GCLOUD);
        Files.setPosixFilePermissions(gcloud, PosixFilePermissions.fromString("rwxr-xr-x"));
        var command = new ArrayList<>(List.of("sh", scripts.resolve(script).toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("FAKE_GCS", root.resolve("gcs").toString());
        Files.createDirectories(root.resolve("gcs"));
        var process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Result(process.exitValue(), out.strip());
    }

    @Test
    void theUploadCreatesOneObjectPerDumpUnderThePrefixAndTheDrillFetchesTheNewest(@TempDir Path root) throws Exception {
        Path local = root.resolve("local");
        Files.createDirectories(local.resolve("pgstac"));
        Files.createDirectories(local.resolve("dagster"));
        Files.writeString(local.resolve("pgstac/20261130T013000Z.dump"), "older");
        Files.writeString(local.resolve("pgstac/20261201T013000Z.dump"), "newer");
        Files.writeString(local.resolve("dagster/20261201T013000Z.dump"), "dagster");
        Files.writeString(local.resolve("pgstac/20261201T013000Z.dump.partial"), "never uploaded");
        var upload = run(root, BackupScripts.UPLOAD, local.toString(), "gs://dumps/cloudsql/dev/");
        assertEquals(0, upload.exitCode(), upload.out());
        assertEquals(3, upload.out().lines().filter(l -> l.contains("\"result\":\"success\"")).count(), upload.out());
        Path objects = root.resolve("gcs/objects/dumps/cloudsql/dev");
        assertEquals("newer", Files.readString(objects.resolve("pgstac/20261201T013000Z.dump")));
        assertEquals("dagster", Files.readString(objects.resolve("dagster/20261201T013000Z.dump")));
        assertTrue(Files.notExists(objects.resolve("pgstac/20261201T013000Z.dump.partial")));
        // Only creates: no list, no read of the bucket (the identity has objectCreator only).
        assertTrue(Files.readAllLines(root.resolve("gcs/calls.log")).stream().allMatch(l -> l.startsWith("storage cp ")));

        Path fetched = root.resolve("fetched");
        var fetch = run(root, BackupScripts.FETCH_LATEST, fetched.toString(), "gs://dumps/cloudsql/dev", "pgstac");
        assertEquals(0, fetch.exitCode(), fetch.out());
        try (var files = Files.list(fetched.resolve("pgstac"))) {
            assertEquals(List.of("20261201T013000Z.dump"), files.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals("newer", Files.readString(fetched.resolve("pgstac/20261201T013000Z.dump")));
    }

    @Test
    void nothingToUploadOrFetchFailsWithAJsonLine(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("empty"));
        var upload = run(root, BackupScripts.UPLOAD, root.resolve("empty").toString(), "gs://dumps/cloudsql/dev");
        assertNotEquals(0, upload.exitCode());
        assertTrue(upload.out().contains("{\"event\":\"logical-backup-upload\",\"result\":\"failure\",\"message\":\"no dump to upload\"}"), upload.out());
        var fetch = run(root, BackupScripts.FETCH_LATEST, root.resolve("f").toString(), "gs://dumps/cloudsql/dev", "pgstac");
        assertNotEquals(0, fetch.exitCode());
        assertTrue(fetch.out().contains("{\"event\":\"restore-drill\",\"result\":\"failure\",\"database\":\"pgstac\","
                + "\"message\":\"no dump under gs://dumps/cloudsql/dev/pgstac/\"}"), fetch.out());
    }
}
