package dev.dataplatform.backup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Cloud SQL upload and download steps, the project's script files run with sh against the stand-in {@code gcloud}
 * of {@link FakeObjectStores}: the CronJob creates one object per dump and one manifest per dump (create-only, with the
 * generation the upload reported), and the drill fetches the dump the newest manifest names, at that generation,
 * never an object no manifest names. (The real CLI's behaviour is not exercised here.)
 */
class BackupTransferScriptsTest {
    record Result(int exitCode, String out) {
    }

    static Result run(Path root, String script, String... args) throws Exception {
        Path scripts = Files.createDirectories(root.resolve("scripts"));
        Files.writeString(scripts.resolve(script), BackupScripts.text(script));
        Path store = FakeObjectStores.install(root);
        var command = new ArrayList<>(List.of("sh", scripts.resolve(script).toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PATH", root.resolve("bin") + ":" + System.getenv("PATH"));
        builder.environment().put("FAKE_STORE", store.toString());
        var process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Result(process.exitValue(), out.strip());
    }

    static void dump(Path local, String database, String stamp, String content) throws Exception {
        Files.createDirectories(local.resolve(database));
        Files.writeString(local.resolve(database).resolve(stamp + ".dump"), content);
        Files.writeString(local.resolve(database).resolve(stamp + ".dump.sum"), "sha256=00\nbytes=" + content.length() + "\n");
    }

    @Test
    void theUploadCreatesEachDumpAndItsManifestAndTheDrillFetchesWhatTheNewestManifestNames(@TempDir Path root) throws Exception {
        Path local = root.resolve("local");
        dump(local, "pgstac", "20261201T013000Z", "recorded");
        dump(local, "dagster", "20261201T013000Z", "dagster");
        Files.writeString(local.resolve("pgstac/20261201T013000Z.dump.partial"), "never uploaded");
        var upload = run(root, BackupScripts.UPLOAD, local.toString(), "gs://dumps/cloudsql/dev/");
        assertEquals(0, upload.exitCode(), upload.out());
        assertEquals(2, upload.out().lines().filter(l -> l.contains("\"result\":\"success\"")).count(), upload.out());
        Path objects = root.resolve("store/objects/dumps/cloudsql/dev");
        assertEquals("recorded", Files.readString(objects.resolve("pgstac/20261201T013000Z.dump")));
        assertTrue(Files.notExists(objects.resolve("pgstac/20261201T013000Z.dump.partial")));
        String manifest = Files.readString(objects.resolve("manifests/pgstac/20261201T013000Z.manifest"));
        assertTrue(manifest.matches("database=pgstac\nobject=gs://dumps/cloudsql/dev/pgstac/20261201T013000Z.dump\n"
                + "version=\\d+\nsha256=00\nbytes=8\n"), manifest);
        // Only create-only writes: no list, no read, no overwrite (the identity has objectCreator only).
        assertTrue(Files.readAllLines(root.resolve("store/calls.log")).stream()
                .allMatch(l -> l.startsWith("storage cp --no-user-output-enabled --if-generation-match=0 ")), upload.out());

        // Another writer replaces the recorded dump and adds a newer one: neither is what the drill fetches.
        FakeObjectStores.plant(root.resolve("store"), "dumps/cloudsql/dev/pgstac/20261201T013000Z.dump", "replaced".getBytes());
        FakeObjectStores.plant(root.resolve("store"), "dumps/cloudsql/dev/pgstac/29991231T235959Z.dump", "planted".getBytes());
        Path fetched = root.resolve("fetched");
        var fetch = run(root, BackupScripts.FETCH_LATEST, fetched.toString(), "gs://dumps/cloudsql/dev", "pgstac");
        assertEquals(0, fetch.exitCode(), fetch.out());
        try (var files = Files.list(fetched.resolve("pgstac"))) {
            assertEquals(List.of("20261201T013000Z.dump", "manifest"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals("recorded", Files.readString(fetched.resolve("pgstac/20261201T013000Z.dump")));
        assertEquals(manifest, Files.readString(fetched.resolve("pgstac/manifest")));

        // A second upload of the same name is refused (create-only), and the object keeps its recorded content.
        var again = run(root, BackupScripts.UPLOAD, local.toString(), "gs://dumps/cloudsql/dev");
        assertNotEquals(0, again.exitCode(), again.out());
        assertTrue(again.out().contains("\"result\":\"failure\"") && again.out().contains("upload failed"), again.out());
    }

    @Test
    void aDumpNoManifestNamesIsNeverFetched(@TempDir Path root) throws Exception {
        FakeObjectStores.install(root);
        FakeObjectStores.plant(root.resolve("store"), "dumps/cloudsql/dev/pgstac/20261201T013000Z.dump", "planted".getBytes());
        var fetch = run(root, BackupScripts.FETCH_LATEST, root.resolve("f").toString(), "gs://dumps/cloudsql/dev", "pgstac");
        assertNotEquals(0, fetch.exitCode());
        assertEquals("{\"event\":\"restore-drill\",\"result\":\"failure\",\"database\":\"pgstac\",\"message\":\"no manifest under "
                + "gs://dumps/cloudsql/dev/manifests/pgstac/: the drill restores only dumps the backup job recorded\"}", fetch.out());
        assertTrue(Files.notExists(root.resolve("f/pgstac/20261201T013000Z.dump")));
    }

    @Test
    void aManifestNamingAnObjectOutsideTheDatabasesPrefixIsRefused(@TempDir Path root) throws Exception {
        FakeObjectStores.install(root);
        FakeObjectStores.plant(root.resolve("store"), "dumps/cloudsql/dev/manifests/pgstac/20261201T013000Z.manifest",
                "database=pgstac\nobject=gs://elsewhere/x/20261201T013000Z.dump\nversion=1\nsha256=00\nbytes=1\n".getBytes());
        var fetch = run(root, BackupScripts.FETCH_LATEST, root.resolve("f").toString(), "gs://dumps/cloudsql/dev", "pgstac");
        assertNotEquals(0, fetch.exitCode());
        assertTrue(fetch.out().contains("names gs://elsewhere/x/20261201T013000Z.dump, not a dump of pgstac"), fetch.out());
    }

    /** A stand-in curl (first on PATH) that logs its arguments and writes $FAKE_CURL_BODY to --output, or fails. */
    static final String FAKE_CURL = """
            #!/bin/sh
            printf '%s\\n' "$*" >> "$FAKE_STORE/calls.log"
            out=''
            prev=''
            for a in "$@"; do [ "$prev" = --output ] && out=$a; prev=$a; done
            [ -n "${FAKE_CURL_FAIL:-}" ] && { echo "curl: (6) Could not resolve host" >&2; exit 6; }
            printf '%s' "$FAKE_CURL_BODY" > "$out"
            """;

    static Result caBundle(Path root, String body, boolean fail) throws Exception {
        Path scripts = Files.createDirectories(root.resolve("scripts"));
        Files.writeString(scripts.resolve(BackupScripts.RDS_CA_BUNDLE), BackupScripts.text(BackupScripts.RDS_CA_BUNDLE));
        Path store = FakeObjectStores.install(root);
        Path curl = root.resolve("bin/curl");
        Files.writeString(curl, FAKE_CURL);
        Files.setPosixFilePermissions(curl, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(root.resolve("certs"));
        var builder = new ProcessBuilder("sh", scripts.resolve(BackupScripts.RDS_CA_BUNDLE).toString(),
                RdsLogicalBackup.CA_BUNDLE_URL, root.resolve("certs/bundle.pem").toString()).redirectErrorStream(true);
        builder.environment().put("PATH", root.resolve("bin") + ":" + System.getenv("PATH"));
        builder.environment().put("FAKE_STORE", store.toString());
        builder.environment().put("FAKE_CURL_BODY", body);
        if (fail) {
            builder.environment().put("FAKE_CURL_FAIL", "1");
        }
        var process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Result(process.exitValue(), out.strip());
    }

    @Test
    void theCaBundleIsDownloadedOverHttpsOnlyAndMustBeCertificates(@TempDir Path root) throws Exception {
        String pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n";
        var ok = caBundle(root.resolve("ok"), pem, false);
        assertEquals(0, ok.exitCode(), ok.out());
        assertEquals("{\"event\":\"rds-ca-bundle\",\"result\":\"success\",\"url\":\"" + RdsLogicalBackup.CA_BUNDLE_URL
                + "\",\"certificates\":2}", ok.out());
        assertEquals(pem, Files.readString(root.resolve("ok/certs/bundle.pem")));
        assertEquals(List.of("--fail --silent --show-error --location --proto =https --tlsv1.2 --max-time 60 --output "
                + root.resolve("ok/certs/bundle.pem.tmp") + " " + RdsLogicalBackup.CA_BUNDLE_URL),
                Files.readAllLines(root.resolve("ok/store/calls.log")));

        var html = caBundle(root.resolve("html"), "<html>captive portal</html>", false);
        assertNotEquals(0, html.exitCode());
        assertTrue(html.out().contains("\"message\":\"the download is not a PEM bundle of certificates\""), html.out());
        assertTrue(Files.notExists(root.resolve("html/certs/bundle.pem")), "nothing libpq could read as a bundle");

        var key = caBundle(root.resolve("key"), pem + "-----BEGIN PRIVATE KEY-----\nX\n-----END PRIVATE KEY-----\n", false);
        assertNotEquals(0, key.exitCode());
        assertTrue(key.out().contains("holds something other than certificates"), key.out());

        var down = caBundle(root.resolve("down"), pem, true);
        assertNotEquals(0, down.exitCode());
        assertTrue(down.out().contains("\"message\":\"download failed: curl: (6) Could not resolve host"), down.out());
        assertTrue(Files.notExists(root.resolve("down/certs/bundle.pem")));
    }

    @Test
    void nothingToUploadFailsWithAJsonLine(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("empty"));
        var upload = run(root, BackupScripts.UPLOAD, root.resolve("empty").toString(), "gs://dumps/cloudsql/dev");
        assertNotEquals(0, upload.exitCode());
        assertTrue(upload.out().contains("{\"event\":\"logical-backup-upload\",\"result\":\"failure\",\"message\":\"no dump to upload\"}"), upload.out());
    }
}
