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
 * PostGIS and rows is dumped by a {@code pg_read_all_data} login, recorded in a manifest, restored by a login that
 * only owns the scratch database the admin path prepared, and passes the smoke checks; a dump its manifest does not
 * describe (planted, replaced, unrecorded), a privileged drill login, a missing extension and a corrupted dump fail
 * the drill with a clear message and a non-zero exit. The RDS steps run against the stand-in {@code aws} of
 * {@link FakeObjectStores}.
 */
class BackupScriptsPostgresTest {
    static final Path BIN = Path.of(System.getProperty("dataplatform.pgbin", "/usr/lib/postgresql/15/bin"));
    static PostgresServer server;
    static String postgisVersion;

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
        DrillServer.logins(server);
        postgisVersion = ok(server.sql("postgres", "geo", "SELECT PostGIS_Lib_Version()")).out();
        // One dump of each database for the tests that only restore (pg_dump of a PostGIS database takes a while).
        shared = Files.createTempDirectory("dumps");
        ok(run(scripts(shared), BackupScripts.DUMP, shared.resolve("backups").toString(), "geo", "plain"));
    }

    static Path shared;

    /** A copy of the shared dump of a database (and its .sum) under {@code backups}; returns the dump. */
    static Path copyDump(Path backups, String database) throws Exception {
        Path dir = Files.createDirectories(backups.resolve(database));
        Path result = null;
        for (Path file : dumps(shared.resolve("backups"), database)) {
            Path target = dir.resolve(file.getFileName());
            Files.copy(file, target);
            if (target.toString().endsWith(".dump")) {
                result = target;
            }
        }
        return result;
    }

    @AfterAll
    static void stop() throws Exception {
        if (shared != null) {
            try (Stream<Path> files = Files.walk(shared)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
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
        return run(server, env, scripts, script, args);
    }

    /** The same against a given server. */
    static PostgresServer.Result run(PostgresServer server, Map<String, String> env, Path scripts, String script,
                                     String... args) throws Exception {
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

    /** The drill as the drill login (LOGIN only, the owner of its scratch database). */
    static PostgresServer.Result drill(Path scripts, String... args) throws Exception {
        return run(Map.of("PGUSER", DrillServer.DRILL), scripts, BackupScripts.RESTORE_DRILL, args);
    }

    static long objectsOwnedByTheDrill(String database) throws Exception {
        return Long.parseLong(ok(server.sql("postgres", database, "SELECT count(*) FROM pg_class c JOIN pg_roles r "
                + "ON r.oid = c.relowner WHERE r.rolname = '" + DrillServer.DRILL + "'")).out());
    }

    @Test
    void dumpRestoreAndSmokeChecksPass(@TempDir Path directory) throws Exception {
        Path scripts = scripts(directory);
        Path backups = directory.resolve("backups");
        var dump = ok(run(Map.of("PGUSER", DrillServer.BACKUP), scripts, BackupScripts.DUMP, backups.toString(), "geo", "plain"));
        var lines = dump.out().lines().toList();
        assertEquals(2, lines.size(), dump.out());
        assertTrue(lines.get(0).startsWith("{\"event\":\"logical-backup\",\"result\":\"success\",\"database\":\"geo\""), lines.get(0));
        assertTrue(lines.get(1).contains("\"database\":\"plain\""), lines.get(1));
        var geoDumps = dumps(backups, "geo");
        assertEquals(2, geoDumps.size(), geoDumps.toString());
        assertTrue(geoDumps.get(0).getFileName().toString().matches("\\d{8}T\\d{6}Z\\.dump"), geoDumps.toString());
        // Custom format: the archive starts with pg_dump's magic "PGDMP"; its checksum file is the real sha256 and size.
        assertEquals("PGDMP", new String(Files.readAllBytes(geoDumps.get(0)), 0, 5, StandardCharsets.US_ASCII));
        assertEquals(DrillServer.sum(geoDumps.get(0)), Files.readString(geoDumps.get(1)));
        assertTrue(lines.get(0).contains("\"sha256\":\"" + DrillServer.sum(geoDumps.get(0)).substring(7, 71) + "\""), lines.get(0));

        DrillServer.record(backups, "geo", "s3://dumps/rds", "v1");
        DrillServer.scratch(server, "drill_geo", "postgis");
        var drill = ok(drill(scripts, backups.toString(), "geo", "drill_geo", "stac.items", "Mixed Case"));
        assertEquals(1, drill.out().lines().count(), drill.out());
        assertTrue(drill.out().startsWith("{\"event\":\"restore-drill\",\"result\":\"success\",\"database\":\"geo\""), drill.out());
        assertTrue(drill.out().contains("\"version\":\"v1\""), drill.out());
        assertTrue(drill.out().contains("\"postgis\":\"" + postgisVersion + "\""), drill.out());
        assertTrue(drill.out().contains("\"rows\":{\"stac.items\":37,\"Mixed Case\":2}"), drill.out());
        // The scratch database is kept (the admin path owns its lifecycle) and emptied; the source is untouched.
        assertEquals("1", ok(server.sql("postgres", "postgres", "SELECT count(*) FROM pg_database WHERE datname = 'drill_geo'")).out());
        assertEquals(0, objectsOwnedByTheDrill("drill_geo"));
        assertEquals("37", ok(server.sql("postgres", "geo", "SELECT count(*) FROM stac.items")).out());

        DrillServer.record(backups, "plain", "s3://dumps/rds", "v2");
        DrillServer.scratch(server, "drill_plain");
        var plain = ok(drill(scripts, backups.toString(), "plain", "drill_plain", "t"));
        assertTrue(plain.out().contains("\"postgis\":null"), plain.out());
        assertTrue(plain.out().contains("\"rows\":{\"t\":3}"), plain.out());
    }

    /**
     * A dump nobody recorded sits next to the recorded one with a newer name (what "newest name wins" would restore):
     * the drill restores the one its manifest names.
     */
    @Test
    void theDrillRestoresTheDumpItsManifestNamesNotTheNewestName(@TempDir Path directory) throws Exception {
        Path scripts = scripts(directory);
        Path backups = directory.resolve("backups");
        copyDump(backups, "plain");
        DrillServer.record(backups, "plain", "s3://dumps/rds", "v1");
        String recorded = dumps(backups, "plain").get(0).getFileName().toString();
        ok(server.sql("postgres", "plain", "INSERT INTO t VALUES ('d')"));
        ok(run(scripts, BackupScripts.DUMP, directory.resolve("second").toString(), "plain"));
        Files.move(dumps(directory.resolve("second"), "plain").get(0), backups.resolve("plain").resolve("29991231T235959Z.dump"));
        DrillServer.scratch(server, "drill_newest");
        var drill = ok(drill(scripts, backups.toString(), "plain", "drill_newest", "t"));
        assertTrue(drill.out().contains("\"dump\":\"plain/" + recorded + "\""), drill.out());
        assertTrue(drill.out().contains("\"rows\":{\"t\":3}"), drill.out());
        ok(server.sql("postgres", "plain", "DELETE FROM t WHERE v = 'd'"));
    }

    /**
     * A planted dump: a valid archive (of another database) in place of the recorded one, or one of another size, or
     * no manifest at all. Refused before any connection: nothing is restored.
     */
    @Test
    void aDumpItsManifestDoesNotDescribeIsRefused(@TempDir Path directory) throws Exception {
        Path scripts = scripts(directory);
        Path backups = directory.resolve("backups");
        copyDump(backups, "geo");
        copyDump(directory.resolve("other"), "plain");
        DrillServer.record(backups, "geo", "s3://dumps/rds", "v1");
        Path recorded = dumps(backups, "geo").get(0);
        Files.copy(dumps(directory.resolve("other"), "plain").get(0), recorded, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        DrillServer.scratch(server, "drill_planted", "postgis");
        var planted = drill(scripts, backups.toString(), "geo", "drill_planted");
        assertNotEquals(0, planted.exitCode(), planted.out());
        assertTrue(planted.out().matches("\\{\"event\":\"restore-drill\",\"result\":\"failure\",\"database\":\"geo\",\"message\":"
                + "\"dump geo/" + recorded.getFileName() + " has (\\d+ bytes|sha256 [0-9a-f]{64}), its manifest records [0-9a-f]+: refused\"}"),
                planted.out());
        assertEquals(0, objectsOwnedByTheDrill("drill_planted"));

        Files.delete(backups.resolve("geo/manifest"));
        var unrecorded = drill(scripts, backups.toString(), "geo", "drill_planted");
        assertNotEquals(0, unrecorded.exitCode());
        assertTrue(unrecorded.out().contains("\"message\":\"no manifest in " + backups.resolve("geo")
                + ": the drill restores only dumps the backup job recorded\""), unrecorded.out());

        Files.writeString(backups.resolve("geo/manifest"), "database=plain\nobject=s3://dumps/rds/geo/" + recorded.getFileName()
                + "\nversion=v1\n" + DrillServer.sum(recorded));
        var otherDatabase = drill(scripts, backups.toString(), "geo", "drill_planted");
        assertNotEquals(0, otherDatabase.exitCode());
        assertTrue(otherDatabase.out().contains("the manifest is of database 'plain', not geo"), otherDatabase.out());
        assertEquals(0, objectsOwnedByTheDrill("drill_planted"));
    }

    /** The drill will not run as a login that could escalate, whatever the dump: the superuser or the admin. */
    @ParameterizedTest
    @CsvSource({"postgres, SUPERUSER", DrillServer.ADMIN + ", 'CREATEROLE, member of cloudsqlsuperuser, not the owner of drill_admin'"})
    void aPrivilegedLoginIsRefused(String login, String expected, @TempDir Path directory) throws Exception {
        Path scripts = scripts(directory);
        Path backups = directory.resolve("backups");
        copyDump(backups, "plain");
        DrillServer.record(backups, "plain", "s3://dumps/rds", "v1");
        DrillServer.scratch(server, "drill_admin");
        var refused = run(Map.of("PGUSER", login), scripts, BackupScripts.RESTORE_DRILL, backups.toString(), "plain", "drill_admin");
        assertNotEquals(0, refused.exitCode(), refused.out());
        assertTrue(refused.out().contains("\"message\":\"the drill login may not restore: " + expected), refused.out());
        assertEquals(0, objectsOwnedByTheDrill("drill_admin"));
        assertEquals("0", ok(server.sql("postgres", "drill_admin", "SELECT count(*) FROM pg_class WHERE relname = 't'")).out());
    }

    @Test
    void anExtensionTheAdminPathDidNotInstallFailsTheDrillByName(@TempDir Path directory) throws Exception {
        Path scripts = scripts(directory);
        Path backups = directory.resolve("backups");
        copyDump(backups, "geo");
        DrillServer.record(backups, "geo", "s3://dumps/rds", "v1");
        DrillServer.scratch(server, "drill_noext");
        var drill = drill(scripts, backups.toString(), "geo", "drill_noext");
        assertNotEquals(0, drill.exitCode());
        assertTrue(drill.out().contains("needs extension(s) postgis, not installed in drill_noext"), drill.out());
        // Nor could the drill login install it itself: PostGIS is not a trusted extension.
        var create = server.sql(DrillServer.DRILL, "drill_noext", "CREATE EXTENSION postgis");
        assertFalse(create.ok());
        assertTrue(create.err().contains("permission denied to create extension \"postgis\""), create.err());
    }

    /**
     * A custom-format archive holds its table of contents first, then the data: cut inside the contents, the archive
     * check ({@code pg_restore --list}) refuses it; cut inside the data, the restore itself fails and is rolled back.
     * (The manifest records the damaged file: the backup job recorded a damaged dump.)
     */
    @ParameterizedTest
    @CsvSource({"120, is not a readable pg_dump archive: pg_restore: error: ",
            "-40, into drill_corrupt failed (rolled back): pg_restore: error: "})
    void aCorruptedDumpFailsTheDrillWithAClearMessage(int keep, String expected, @TempDir Path directory) throws Exception {
        Path scripts = scripts(directory);
        Path backups = directory.resolve("backups");
        Path dump = copyDump(backups, "geo");
        Files.delete(Path.of(dump + ".sum"));
        byte[] bytes = Files.readAllBytes(dump);
        Files.write(dump, java.util.Arrays.copyOf(bytes, keep > 0 ? keep : bytes.length + keep));
        DrillServer.record(backups, "geo", "s3://dumps/rds", "v1");
        DrillServer.scratch(server, "drill_corrupt", "postgis");

        var drill = drill(scripts, backups.toString(), "geo", "drill_corrupt", "stac.items");
        assertNotEquals(0, drill.exitCode(), drill.out());
        assertEquals(1, drill.out().lines().count(), drill.out());
        assertTrue(drill.out().startsWith("{\"event\":\"restore-drill\",\"result\":\"failure\",\"database\":\"geo\""), drill.out());
        assertTrue(drill.out().contains("geo/" + dump.getFileName()), "names the dump: " + drill.out());
        assertTrue(drill.out().contains(expected), drill.out());
        assertEquals(0, objectsOwnedByTheDrill("drill_corrupt"));
    }

    @Test
    void garbageInsteadOfADumpIsRefusedBeforeAnyRestore(@TempDir Path directory) throws Exception {
        Path scripts = scripts(directory);
        Path backups = directory.resolve("backups");
        Files.createDirectories(backups.resolve("geo"));
        Files.writeString(backups.resolve("geo").resolve("20260101T000000Z.dump"), "not a dump");
        DrillServer.record(backups, "geo", "s3://dumps/rds", "v1");
        var drill = drill(scripts, backups.toString(), "geo", "drill_garbage");
        assertNotEquals(0, drill.exitCode());
        assertTrue(drill.out().contains("\"message\":\"dump geo/20260101T000000Z.dump is not a readable pg_dump archive"), drill.out());
    }

    @Test
    void noDumpAndAFailingDumpAreFailures(@TempDir Path directory) throws Exception {
        Path scripts = scripts(directory);
        var none = drill(scripts, directory.resolve("empty").toString(), "geo", "drill_none");
        assertNotEquals(0, none.exitCode());
        assertTrue(none.out().contains("\"result\":\"failure\"") && none.out().contains("no manifest"), none.out());
        var missing = run(scripts, BackupScripts.DUMP, directory.resolve("b").toString(), "does_not_exist");
        assertNotEquals(0, missing.exitCode());
        assertTrue(missing.out().contains("\"result\":\"failure\",\"database\":\"does_not_exist\""), missing.out());
        try (Stream<Path> left = Files.list(directory.resolve("b").resolve("does_not_exist"))) {
            assertEquals(0, left.count(), "no partial dump is left behind");
        }
    }

    /** The stand-in CLIs of {@link FakeObjectStores} first on PATH, and the metric settings of the RDS pods. */
    static Map<String, String> awsEnvironment(Path directory) throws Exception {
        Path store = FakeObjectStores.install(directory);
        return Map.of("PATH", directory.resolve("bin") + ":" + BIN + ":" + System.getenv("PATH"), "FAKE_STORE", store.toString(),
                "AWS_REGION", "eu-west-1", "ENVIRONMENT", "stage",
                "METRIC_NAMESPACE", RdsLogicalBackup.METRIC_NAMESPACE, "EXPECTED_NAMESPACE", RdsLogicalBackup.METRIC_NAMESPACE);
    }

    static List<String> metrics(Path directory) throws Exception {
        Path log = directory.resolve("store/metrics.log");
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
                + "--username dp_backup --region eu-west-1"), Files.readAllLines(directory.resolve("store/calls.log")));
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

    static Map<String, String> asDrill(Map<String, String> env) {
        var drill = new java.util.HashMap<>(env);
        drill.put("PGUSER", DrillServer.DRILL);
        return drill;
    }

    @Test
    void rdsBackupUploadsEachDumpWithAManifestAndTheDrillPublishesSuccess(@TempDir Path directory) throws Exception {
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
        // Create-only PutObjects of the dump and its manifest: no list, no read, no overwrite by the backup identity.
        var calls = Files.readAllLines(directory.resolve("store/calls.log"));
        calls = calls.stream().filter(l -> !l.startsWith("cloudwatch put-metric-data ")).toList();
        assertEquals(4, calls.size(), calls.toString());
        assertTrue(calls.stream().allMatch(l -> l.startsWith("s3api put-object --bucket dumps --key rds/stage/")
                && l.contains(" --if-none-match * --checksum-algorithm SHA256 --query VersionId --output text")), calls.toString());
        String geoDump = dumps(backups, "geo").get(0).getFileName().toString();
        String manifest = Files.readString(directory.resolve("store/objects/dumps/rds/stage/manifests/geo/"
                + geoDump.replace(".dump", ".manifest")));
        assertEquals("database=geo\nobject=s3://dumps/rds/stage/geo/" + geoDump + "\nversion=v1001\n"
                + DrillServer.sum(backups.resolve("geo").resolve(geoDump)), manifest);
        // A second run with the same names is refused: no object is replaced.
        var again = run(env, scripts, BackupScripts.S3_UPLOAD, backups.toString(), "s3://dumps/rds/stage", "geo");
        assertNotEquals(0, again.exitCode(), again.out());

        Path fetched = directory.resolve("fetched");
        ok(run(env, scripts, BackupScripts.RECORD, directory.resolve("fetch.result").toString(),
                scripts.resolve(BackupScripts.S3_FETCH_LATEST).toString(), fetched.toString(), "s3://dumps/rds/stage", "geo"));
        DrillServer.scratch(server, "drill_rds_geo", "postgis");
        ok(run(asDrill(env), scripts, BackupScripts.RECORD, directory.resolve("drill.result").toString(),
                scripts.resolve(BackupScripts.RESTORE_DRILL).toString(), fetched.toString(), "geo", "drill_rds_geo", "stac.items"));
        var report = ok(run(env, scripts, BackupScripts.DRILL_REPORT, "geo", directory.resolve("fetch.result").toString(),
                directory.resolve("drill.result").toString()));
        assertEquals("{\"event\":\"restore-drill-report\",\"result\":\"success\",\"database\":\"geo\"}",
                report.out().lines().reduce((a, b) -> b).orElse(""), report.out());
        assertTrue(metrics(directory).contains("RestoreDrillSucceeded Environment=stage,Database=geo 1"), metrics(directory).toString());
        assertTrue(Files.readAllLines(directory.resolve("drill.result")).get(1).contains("\"version\":\"v1001\""));
    }

    /**
     * The HIGH finding's chain, on RDS: someone with write access plants a crafted dump as a new version of the
     * recorded key and as a newer key. The drill fetches the recorded version (what a planted newer key or a replaced
     * current version cannot change) and, when the recorded version itself differs from its manifest, refuses it.
     */
    @Test
    void aPlantedRdsDumpIsNeverRestoredAndADamagedRecordedOneIsRefused(@TempDir Path directory) throws Exception {
        Path scripts = scripts(directory);
        var env = awsEnvironment(directory);
        Path backups = directory.resolve("backups");
        ok(run(env, scripts, BackupScripts.DUMP, backups.toString(), "plain"));
        ok(run(env, scripts, BackupScripts.S3_UPLOAD, backups.toString(), "s3://dumps/rds/stage", "plain"));
        String recorded = dumps(backups, "plain").get(0).getFileName().toString();
        // The planted archive really runs SQL when restored: a table the drill would count.
        ok(server.sql("postgres", "postgres", "CREATE DATABASE crafted"));
        ok(server.script("postgres", "crafted", "CREATE TABLE t (v text); INSERT INTO t SELECT 'x' FROM generate_series(1, 99);"));
        ok(run(env, scripts, BackupScripts.DUMP, directory.resolve("crafted").toString(), "crafted"));
        byte[] crafted = Files.readAllBytes(dumps(directory.resolve("crafted"), "crafted").get(0));
        Path store = directory.resolve("store");
        FakeObjectStores.plant(store, "dumps/rds/stage/plain/" + recorded, crafted);
        FakeObjectStores.plant(store, "dumps/rds/stage/plain/29991231T235959Z.dump", crafted);

        Path fetched = directory.resolve("fetched");
        ok(run(env, scripts, BackupScripts.S3_FETCH_LATEST, fetched.toString(), "s3://dumps/rds/stage", "plain"));
        DrillServer.scratch(server, "drill_rds_planted");
        var drill = ok(run(asDrill(env), scripts, BackupScripts.RESTORE_DRILL, fetched.toString(), "plain", "drill_rds_planted", "t"));
        assertTrue(drill.out().contains("\"dump\":\"plain/" + recorded + "\"") && drill.out().contains("\"rows\":{\"t\":3}"),
                drill.out());

        // The recorded version itself damaged in the bucket: fetched, then refused by its checksum; the report fails.
        try (Stream<Path> versions = Files.list(store.resolve("versions/dumps/rds/stage/plain"))) {
            for (Path version : versions.filter(p -> p.getFileName().toString().startsWith(recorded + "#v")).toList()) {
                Files.write(version, crafted);
            }
        }
        Path again = directory.resolve("again");
        ok(run(env, scripts, BackupScripts.RECORD, directory.resolve("fetch.result").toString(),
                scripts.resolve(BackupScripts.S3_FETCH_LATEST).toString(), again.toString(), "s3://dumps/rds/stage", "plain"));
        ok(run(asDrill(env), scripts, BackupScripts.RECORD, directory.resolve("drill.result").toString(),
                scripts.resolve(BackupScripts.RESTORE_DRILL).toString(), again.toString(), "plain", "drill_rds_planted", "t"));
        var report = run(env, scripts, BackupScripts.DRILL_REPORT, "plain", directory.resolve("fetch.result").toString(),
                directory.resolve("drill.result").toString());
        assertNotEquals(0, report.exitCode(), report.out());
        String last = report.out().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("{\"event\":\"restore-drill-report\",\"result\":\"failure\",\"database\":\"plain\","
                + "\"message\":\"step failed (exit 1): "), last);
        assertTrue(last.contains("its manifest records") && last.contains(": refused"), last);
        assertEquals(0, objectsOwnedByTheDrill("drill_rds_planted"));
        assertTrue(metrics(directory).contains("RestoreDrillSucceeded Environment=stage,Database=plain 0"), metrics(directory).toString());
        com.google.gson.JsonParser.parseString(last).getAsJsonObject();
        ok(server.sql("postgres", "postgres", "DROP DATABASE crafted"));
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
        assertTrue(fetch.out().contains("\"message\":\"no manifest under s3://dumps/rds/stage/manifests/geo/: the drill restores "
                + "only dumps the backup job recorded\""), fetch.out());
        var report = run(env, scripts, BackupScripts.DRILL_REPORT, "geo", directory.resolve("missing.result").toString());
        assertNotEquals(0, report.exitCode());
        assertTrue(metrics(directory).contains("RestoreDrillSucceeded Environment=stage,Database=geo 0"));
    }
}
