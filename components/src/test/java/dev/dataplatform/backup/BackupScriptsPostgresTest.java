package dev.dataplatform.backup;

import dev.dataplatform.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.dataplatform.testing.PostgresServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dump and restore-drill scripts of the logical backups, the very files the CronJob and the drill Job mount,
 * run with sh and the PostgreSQL 15 client tools against a throwaway PostgreSQL 15 with PostGIS: a database with
 * PostGIS and rows is dumped, restored into a scratch database and passes the smoke checks; a corrupted dump fails
 * the drill with a clear message and a non-zero exit.
 */
class BackupScriptsPostgresTest {
    static final Path BIN = Path.of(System.getProperty("dataplatform.pgbin", "/usr/lib/postgresql/15/bin"));
    static PostgresServer server;

    @BeforeAll
    static void start() throws Exception {
        var missing = PostgresServer.unavailable();
        if (missing.isPresent() && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI must run the PostgreSQL tests: " + missing.get());
        }
        assumeTrue(missing.isEmpty(), () -> "skipped: " + missing.orElse(""));
        server = PostgresServer.start();
        ok(server.sql("postgres", "postgres", "CREATE DATABASE geo"));
        ok(server.script("postgres", "geo", """
                CREATE EXTENSION postgis;
                CREATE SCHEMA stac;
                CREATE TABLE stac.items (id int PRIMARY KEY, geom geometry(Point, 4326));
                INSERT INTO stac.items SELECT i, ST_SetSRID(ST_MakePoint(i, i), 4326) FROM generate_series(1, 37) i;
                CREATE TABLE "Mixed Case" (id int);
                INSERT INTO "Mixed Case" VALUES (1), (2);
                """));
        ok(server.sql("postgres", "postgres", "CREATE DATABASE plain"));
        ok(server.script("postgres", "plain", "CREATE TABLE t (v text); INSERT INTO t VALUES ('a'), ('b'), ('c');"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }


    /** Runs a backup script file with sh, as the login postgres, the PostgreSQL 15 tools first on PATH. */
    static PostgresServer.Result run(Path scripts, String script, String... args) throws Exception {
        return run(Map.of(), scripts, script, args);
    }

    /** The same with extra environment (the RDS scripts: a stand-in aws first on PATH). */
    static PostgresServer.Result run(Map<String, String> env, Path scripts, String script, String... args) throws Exception {
        var command = new ArrayList<>(List.of("sh", scripts.resolve(script).toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command);
        builder.environment().put("PATH", BIN + ":" + System.getenv("PATH"));
        builder.environment().put("PGHOST", "127.0.0.1");
        builder.environment().put("PGPORT", Integer.toString(server.port()));
        builder.environment().put("PGUSER", "postgres");
        builder.environment().put("PGCONNECT_TIMEOUT", "10");
        builder.environment().putAll(env);
        Path out = Files.createTempFile(scripts, "out", ".txt");
        Path err = Files.createTempFile(scripts, "err", ".txt");
        var process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "script timed out");
        return new PostgresServer.Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip(),
                Files.readString(err, StandardCharsets.UTF_8).strip());
    }

    /** The project's script files, as the ConfigMap carries them. */
    static Path scripts(Path directory) throws Exception {
        Path scripts = Files.createDirectories(directory.resolve("scripts"));
        var all = new java.util.HashMap<>(BackupScripts.all());
        all.putAll(BackupScripts.rds());
        for (var entry : all.entrySet()) {
            Files.writeString(scripts.resolve(entry.getKey()), entry.getValue());
        }
        return scripts;
    }

    static List<Path> dumps(Path backups, String database) throws Exception {
        try (Stream<Path> files = Files.list(backups.resolve(database))) {
            return files.sorted().toList();
        }
    }

    @Test
    void dumpRestoreAndSmokeChecksPass(@TempDir Path directory) throws Exception {
        Path scripts = scripts(directory);
        Path backups = directory.resolve("backups");
        var dump = ok(run(scripts, BackupScripts.DUMP, backups.toString(), "geo", "plain"));
        var lines = dump.out().lines().toList();
        assertEquals(2, lines.size(), dump.out());
        assertTrue(lines.get(0).startsWith("{\"event\":\"logical-backup\",\"result\":\"success\",\"database\":\"geo\""), lines.get(0));
        assertTrue(lines.get(1).contains("\"database\":\"plain\""), lines.get(1));
        var geoDumps = dumps(backups, "geo");
        assertEquals(1, geoDumps.size(), geoDumps.toString());
        assertTrue(geoDumps.get(0).getFileName().toString().matches("\\d{8}T\\d{6}Z\\.dump"), geoDumps.toString());
        // Custom format: the archive starts with pg_dump's magic "PGDMP".
        assertEquals("PGDMP", new String(Files.readAllBytes(geoDumps.get(0)), 0, 5, StandardCharsets.US_ASCII));

        var drill = ok(run(scripts, BackupScripts.RESTORE_DRILL, backups.toString(), "geo", "drill_geo",
                "stac.items", "Mixed Case"));
        assertEquals(1, drill.out().lines().count(), drill.out());
        assertTrue(drill.out().startsWith("{\"event\":\"restore-drill\",\"result\":\"success\",\"database\":\"geo\""), drill.out());
        assertTrue(drill.out().contains("\"postgis\":true"), drill.out());
        assertTrue(drill.out().contains("\"rows\":{\"stac.items\":37,\"Mixed Case\":2}"), drill.out());
        // The scratch database is gone afterwards; the source is untouched.
        assertEquals("0", ok(server.sql("postgres", "postgres", "SELECT count(*) FROM pg_database WHERE datname = 'drill_geo'")).out());
        assertEquals("37", ok(server.sql("postgres", "geo", "SELECT count(*) FROM stac.items")).out());

        var plain = ok(run(scripts, BackupScripts.RESTORE_DRILL, backups.toString(), "plain", "drill_plain", "t"));
        assertTrue(plain.out().contains("\"postgis\":false"), plain.out());
        assertTrue(plain.out().contains("\"rows\":{\"t\":3}"), plain.out());
    }

    @Test
    void theDrillRestoresTheNewestDump(@TempDir Path directory) throws Exception {
        Path scripts = scripts(directory);
        Path backups = directory.resolve("backups");
        ok(run(scripts, BackupScripts.DUMP, backups.toString(), "plain"));
        Path first = dumps(backups, "plain").get(0);
        // An older dump with fewer rows, named as the script names dumps.
        ok(server.sql("postgres", "plain", "INSERT INTO t VALUES ('d')"));
        Path newer = backups.resolve("plain").resolve("29991231T235959Z.dump");
        ok(run(scripts, BackupScripts.DUMP, directory.resolve("second").toString(), "plain"));
        Files.move(dumps(directory.resolve("second"), "plain").get(0), newer);
        var drill = ok(run(scripts, BackupScripts.RESTORE_DRILL, backups.toString(), "plain", "drill_newest", "t"));
        assertTrue(drill.out().contains("\"dump\":\"plain/29991231T235959Z.dump\""), drill.out());
        assertTrue(drill.out().contains("\"rows\":{\"t\":4}"), drill.out());
        assertTrue(Files.exists(first));
        ok(server.sql("postgres", "plain", "DELETE FROM t WHERE v = 'd'"));
    }

    /**
     * A custom-format archive holds its table of contents first, then the data: cut inside the contents, the archive
     * check ({@code pg_restore --list}) refuses it; cut inside the data, the restore itself fails.
     */
    @ParameterizedTest
    @CsvSource({"120, is not a readable pg_dump archive: pg_restore: error: ",
            "-40, into drill_corrupt failed: pg_restore: error: "})
    void aCorruptedDumpFailsTheDrillWithAClearMessage(int keep, String expected, @TempDir Path directory) throws Exception {
        Path scripts = scripts(directory);
        Path backups = directory.resolve("backups");
        ok(run(scripts, BackupScripts.DUMP, backups.toString(), "geo"));
        Path dump = dumps(backups, "geo").get(0);
        byte[] bytes = Files.readAllBytes(dump);
        Files.write(dump, java.util.Arrays.copyOf(bytes, keep > 0 ? keep : bytes.length + keep));

        var drill = run(scripts, BackupScripts.RESTORE_DRILL, backups.toString(), "geo", "drill_corrupt", "stac.items");
        assertNotEquals(0, drill.exitCode(), drill.out());
        assertEquals(1, drill.out().lines().count(), drill.out());
        assertTrue(drill.out().startsWith("{\"event\":\"restore-drill\",\"result\":\"failure\",\"database\":\"geo\""), drill.out());
        assertTrue(drill.out().contains("geo/" + dump.getFileName()), "names the dump: " + drill.out());
        assertTrue(drill.out().contains(expected), drill.out());
        assertFalse(drill.out().contains("\"result\":\"success\""), drill.out());
        assertEquals("0", ok(server.sql("postgres", "postgres", "SELECT count(*) FROM pg_database WHERE datname = 'drill_corrupt'")).out());
    }

    @Test
    void garbageInsteadOfADumpIsRefusedBeforeAnyRestore(@TempDir Path directory) throws Exception {
        Path scripts = scripts(directory);
        Path backups = directory.resolve("backups");
        Files.createDirectories(backups.resolve("geo"));
        Files.writeString(backups.resolve("geo").resolve("20260101T000000Z.dump"), "not a dump");
        var drill = run(scripts, BackupScripts.RESTORE_DRILL, backups.toString(), "geo", "drill_garbage");
        assertNotEquals(0, drill.exitCode());
        assertTrue(drill.out().contains("\"message\":\"dump geo/20260101T000000Z.dump is not a readable pg_dump archive"), drill.out());
        assertEquals("0", ok(server.sql("postgres", "postgres", "SELECT count(*) FROM pg_database WHERE datname = 'drill_garbage'")).out());
    }

    @Test
    void noDumpAndAFailingDumpAreFailures(@TempDir Path directory) throws Exception {
        Path scripts = scripts(directory);
        var none = run(scripts, BackupScripts.RESTORE_DRILL, directory.resolve("empty").toString(), "geo", "drill_none");
        assertNotEquals(0, none.exitCode());
        assertTrue(none.out().contains("\"result\":\"failure\"") && none.out().contains("no dump found"), none.out());
        var missing = run(scripts, BackupScripts.DUMP, directory.resolve("b").toString(), "does_not_exist");
        assertNotEquals(0, missing.exitCode());
        assertTrue(missing.out().contains("\"result\":\"failure\",\"database\":\"does_not_exist\""), missing.out());
        assertFalse(Files.exists(directory.resolve("b").resolve("does_not_exist")
                .resolve("x.partial")));
        try (Stream<Path> left = Files.list(directory.resolve("b").resolve("does_not_exist"))) {
            assertEquals(0, left.count(), "no partial dump is left behind");
        }
    }

    /**
     * A stand-in {@code aws} (first on PATH) that logs its argv and maps {@code s3://<bucket>/<key>} to a directory:
     * {@code rds generate-db-auth-token} prints a token shaped like the real one (host:port/?Action=connect&...),
     * {@code s3 cp} copies (failing for objects named in FAKE_AWS_FAIL), {@code s3 ls} lists in key order,
     * {@code cloudwatch put-metric-data} is recorded. The real CLI's behaviour is not exercised.
     */
    static final String FAKE_AWS = """
            #!/bin/sh
            printf '%s\\n' "$*" >> "$FAKE_AWS/calls.log"
            local_path() { printf '%s' "$FAKE_AWS/objects/${1#s3://}"; }
            arg() { want=$1; shift; while [ "$#" -gt 1 ]; do [ "$1" = "$want" ] && { printf '%s' "$2"; return; }; shift; done; }
            case "$1 $2" in
              "rds generate-db-auth-token")
                printf '%s:%s/?Action=connect&DBUser=%s&X-Amz-Expires=900&X-Amz-Signature=f00d\\n' \\
                  "$(arg --hostname "$@")" "$(arg --port "$@")" "$(arg --username "$@")" ;;
              "s3 cp")
                src=$4; dst=$5
                case " ${FAKE_AWS_FAIL:-} " in *" ${dst##*/} "*) echo "upload failed: access denied" >&2; exit 1 ;; esac
                case "$src" in s3://*) src=$(local_path "$src") ;; esac
                case "$dst" in s3://*) dst=$(local_path "$dst"); mkdir -p "$(dirname "$dst")" ;; esac
                cp "$src" "$dst" ;;
              "s3 ls")
                dir=$(local_path "$3")
                [ -d "$dir" ] || exit 1
                for f in "$dir"*; do [ -f "$f" ] && printf '2026-12-01 01:30:00 %s %s\\n' "$(wc -c < "$f")" "$(basename "$f")"; done ;;
              "cloudwatch put-metric-data")
                printf '%s %s %s\\n' "$(arg --metric-name "$@")" "$(arg --dimensions "$@")" "$(arg --value "$@")" >> "$FAKE_AWS/metrics.log"
                [ "$(arg --namespace "$@")" = "$EXPECTED_NAMESPACE" ] || exit 3 ;;
              *) echo "unexpected: $*" >&2; exit 2 ;;
            esac
            """;

    static Map<String, String> awsEnvironment(Path directory) throws Exception {
        Path bin = Files.createDirectories(directory.resolve("bin"));
        Path aws = bin.resolve("aws");
        Files.writeString(aws, FAKE_AWS);
        Files.setPosixFilePermissions(aws, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path state = Files.createDirectories(directory.resolve("aws"));
        return Map.of("PATH", bin + ":" + BIN + ":" + System.getenv("PATH"), "FAKE_AWS", state.toString(),
                "AWS_REGION", "eu-west-1", "ENVIRONMENT", "stage",
                "METRIC_NAMESPACE", RdsLogicalBackup.METRIC_NAMESPACE, "EXPECTED_NAMESPACE", RdsLogicalBackup.METRIC_NAMESPACE);
    }

    static List<String> metrics(Path directory) throws Exception {
        Path log = directory.resolve("aws/metrics.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void theTokenSidecarWritesAPasswordFileLibpqCanParse(@TempDir Path directory) throws Exception {
        Path scripts = scripts(directory);
        var env = awsEnvironment(directory);
        Path file = directory.resolve("pgpass");
        ok(run(env, scripts, BackupScripts.RDS_TOKEN, file.toString(), "db.abc.eu-west-1.rds.amazonaws.com", "5432",
                "dp_backup", "--once"));
        assertEquals(List.of("rds generate-db-auth-token --hostname db.abc.eu-west-1.rds.amazonaws.com --port 5432 "
                + "--username dp_backup --region eu-west-1"), Files.readAllLines(directory.resolve("aws/calls.log")));
        // Every ':' of the token escaped, so the fifth field is the whole token; 0600, or libpq ignores the file.
        assertEquals("*:*:*:dp_backup:db.abc.eu-west-1.rds.amazonaws.com\\:5432/?Action=connect&DBUser=dp_backup"
                + "&X-Amz-Expires=900&X-Amz-Signature=f00d", Files.readString(file).strip());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        // libpq reads that file as the password of a password-checked login: a role whose password is the token
        // logs in with PGPASSFILE alone (and is refused without it), so the escaping is what libpq expects.
        String token = "db.abc.eu-west-1.rds.amazonaws.com:5432/?Action=connect&DBUser=dp_backup&X-Amz-Expires=900&X-Amz-Signature=f00d";
        ok(server.sql("postgres", "postgres", "CREATE ROLE pgpass_probe LOGIN PASSWORD '" + token + "'"));
        String hba = ok(server.sql("postgres", "postgres", "SHOW hba_file")).out();
        Path hbaFile = Path.of(hba);
        String original = Files.readString(hbaFile);
        try {
            // The probe role must prove its password; every other line stays as the harness set it (trust).
            Files.writeString(hbaFile, "host all pgpass_probe 127.0.0.1/32 scram-sha-256\n" + original);
            ok(server.sql("postgres", "postgres", "SELECT pg_reload_conf()"));
            Files.writeString(file, Files.readString(file).replace(":dp_backup:", ":pgpass_probe:"));
            var with = run(Map.of("PGPASSFILE", file.toString(), "PGUSER", "pgpass_probe"), scripts, BackupScripts.DUMP,
                    directory.resolve("probe").toString(), "postgres");
            assertEquals(0, with.exitCode(), with.out() + with.err());
            var without = run(Map.of("PGPASSFILE", directory.resolve("none").toString(), "PGUSER", "pgpass_probe"), scripts,
                    BackupScripts.DUMP, directory.resolve("probe2").toString(), "postgres");
            assertNotEquals(0, without.exitCode(), "the probe role is password-checked");
            assertTrue(without.err().contains("password"), without.err());
        } finally {
            Files.writeString(hbaFile, original);
            ok(server.sql("postgres", "postgres", "SELECT pg_reload_conf()"));
            ok(server.sql("postgres", "postgres", "DROP ROLE pgpass_probe"));
        }
    }

    @Test
    void rdsBackupUploadsEachDumpAndTheDrillPublishesSuccess(@TempDir Path directory) throws Exception {
        Path scripts = scripts(directory);
        var env = awsEnvironment(directory);
        Path backups = directory.resolve("backups");
        ok(run(env, scripts, BackupScripts.RECORD, backups + ".result", scripts.resolve(BackupScripts.DUMP).toString(),
                backups.toString(), "geo", "plain"));
        assertEquals("0", Files.readAllLines(Path.of(backups + ".result")).get(0));
        var upload = ok(run(env, scripts, BackupScripts.S3_UPLOAD, backups.toString(), "s3://dumps/rds/stage/", "geo", "plain"));
        assertEquals(2, upload.out().lines().filter(l -> l.startsWith("{\"event\":\"logical-backup-upload\",\"result\":\"success\"")).count(),
                upload.out());
        assertEquals(List.of("BackupSucceeded Environment=stage,Database=geo 1", "BackupSucceeded Environment=stage,Database=plain 1"),
                metrics(directory));
        // Creates only: no list or read of the bucket by the backup identity.
        assertTrue(Files.readAllLines(directory.resolve("aws/calls.log")).stream()
                .allMatch(l -> l.startsWith("s3 cp --only-show-errors ") || l.startsWith("cloudwatch put-metric-data ")));

        Path fetched = directory.resolve("fetched");
        ok(run(env, scripts, BackupScripts.RECORD, directory.resolve("fetch.result").toString(),
                scripts.resolve(BackupScripts.S3_FETCH_LATEST).toString(), fetched.toString(), "s3://dumps/rds/stage", "geo"));
        ok(run(env, scripts, BackupScripts.RECORD, directory.resolve("drill.result").toString(),
                scripts.resolve(BackupScripts.RESTORE_DRILL).toString(), fetched.toString(), "geo", "drill_rds_geo", "stac.items"));
        var report = ok(run(env, scripts, BackupScripts.DRILL_REPORT, "geo", directory.resolve("fetch.result").toString(),
                directory.resolve("drill.result").toString()));
        assertEquals("{\"event\":\"restore-drill-report\",\"result\":\"success\",\"database\":\"geo\"}",
                report.out().lines().reduce((a, b) -> b).orElse(""), report.out());
        assertTrue(metrics(directory).contains("RestoreDrillSucceeded Environment=stage,Database=geo 1"), metrics(directory).toString());
    }

    @Test
    void aFailedRdsRestorePublishesZeroAndFailsWithTheReason(@TempDir Path directory) throws Exception {
        Path scripts = scripts(directory);
        var env = awsEnvironment(directory);
        Path backups = directory.resolve("backups");
        ok(run(env, scripts, BackupScripts.DUMP, backups.toString(), "geo"));
        ok(run(env, scripts, BackupScripts.S3_UPLOAD, backups.toString(), "s3://dumps/rds/stage", "geo"));
        // The object in the bucket is damaged: the drill must say so, publish 0 and fail.
        try (Stream<Path> objects = Files.walk(directory.resolve("aws/objects"))) {
            for (Path object : objects.filter(Files::isRegularFile).toList()) {
                Files.write(object, java.util.Arrays.copyOf(Files.readAllBytes(object), 120));
            }
        }
        Path fetched = directory.resolve("fetched");
        ok(run(env, scripts, BackupScripts.RECORD, directory.resolve("fetch.result").toString(),
                scripts.resolve(BackupScripts.S3_FETCH_LATEST).toString(), fetched.toString(), "s3://dumps/rds/stage", "geo"));
        var restore = ok(run(env, scripts, BackupScripts.RECORD, directory.resolve("drill.result").toString(),
                scripts.resolve(BackupScripts.RESTORE_DRILL).toString(), fetched.toString(), "geo", "drill_rds_bad"));
        assertTrue(restore.out().contains("\"result\":\"failure\""), restore.out());
        var report = run(env, scripts, BackupScripts.DRILL_REPORT, "geo", directory.resolve("fetch.result").toString(),
                directory.resolve("drill.result").toString());
        assertNotEquals(0, report.exitCode(), report.out());
        String last = report.out().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("{\"event\":\"restore-drill-report\",\"result\":\"failure\",\"database\":\"geo\","
                + "\"message\":\"step failed (exit 1): "), last);
        assertTrue(last.contains("is not a readable pg_dump archive"), last);
        assertEquals(List.of("BackupSucceeded Environment=stage,Database=geo 1", "RestoreDrillSucceeded Environment=stage,Database=geo 0"),
                metrics(directory));
        // The report line is one valid JSON object (the step's quotes were neutralised).
        com.google.gson.JsonParser.parseString(last).getAsJsonObject();
    }

    @Test
    void aMissingDumpOrAFailedUploadPublishesZeroForThatDatabase(@TempDir Path directory) throws Exception {
        Path scripts = scripts(directory);
        var env = new java.util.HashMap<>(awsEnvironment(directory));
        Path backups = directory.resolve("backups");
        ok(run(env, scripts, BackupScripts.RECORD, backups + ".result", scripts.resolve(BackupScripts.DUMP).toString(),
                backups.toString(), "plain", "does_not_exist", "geo"));
        assertEquals("1", Files.readAllLines(Path.of(backups + ".result")).get(0));
        var plainDump = dumps(backups, "plain").get(0).getFileName().toString();
        env.put("FAKE_AWS_FAIL", plainDump);
        var upload = run(env, scripts, BackupScripts.S3_UPLOAD, backups.toString(), "s3://dumps/rds/stage", "plain",
                "does_not_exist", "geo");
        assertNotEquals(0, upload.exitCode(), upload.out());
        // plain: upload refused; does_not_exist: pg_dump failed; geo: never dumped (pg-dump.sh stops at the first failure).
        assertEquals(List.of("BackupSucceeded Environment=stage,Database=plain 0",
                "BackupSucceeded Environment=stage,Database=does_not_exist 0",
                "BackupSucceeded Environment=stage,Database=geo 0"), metrics(directory));
        assertTrue(upload.out().contains("\"database\":\"does_not_exist\",\"message\":\"no dump of does_not_exist in this run"),
                upload.out());
        var fetch = run(env, scripts, BackupScripts.S3_FETCH_LATEST, directory.resolve("f").toString(), "s3://dumps/rds/stage", "geo");
        assertNotEquals(0, fetch.exitCode());
        assertTrue(fetch.out().contains("\"message\":\"no dump under s3://dumps/rds/stage/geo/\""), fetch.out());
        var report = run(env, scripts, BackupScripts.DRILL_REPORT, "geo", directory.resolve("missing.result").toString());
        assertNotEquals(0, report.exitCode());
        assertTrue(metrics(directory).contains("RestoreDrillSucceeded Environment=stage,Database=geo 0"));
    }
}
