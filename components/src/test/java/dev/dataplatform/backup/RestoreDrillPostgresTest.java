package dev.dataplatform.backup;

import dev.dataplatform.testing.Conformance;
import dev.dataplatform.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.dataplatform.testing.PostgresServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Cloud SQL restore drill of a pgSTAC database under Cloud SQL's permissions, end to end with the project's
 * script files: pgSTAC 0.9.11 (the real SQL from the conformance directory) on PostGIS, btree_gist and unaccent;
 * {@code pg-dump.sh} as a {@code pg_read_all_data} login, {@code gcs-upload.sh} and {@code gcs-fetch-latest.sh}
 * through the stand-in {@code gcloud} of {@link FakeObjectStores}, then {@code restore-drill.sh} as a login that
 * only owns the scratch database the admin path prepared (the admin: not a superuser, a member of a
 * {@code cloudsqlsuperuser} stand-in). The drill must report the PostGIS version of the server, and a copy of the
 * drill without its {@code SELECT PostGIS_Full_Version()} must fail this test's check.
 */
class RestoreDrillPostgresTest {
    static final String VERSION = "0.9.11";
    static final String BUCKET = "gs://dumps/cloudsql/dev";
    static PostgresServer server;
    static String postgisVersion;
    static Path root;
    static Path scripts;
    static Path fetched;
    static Map<String, String> env;

    @BeforeAll
    static void backUpAPgstacDatabase(@TempDir Path directory) throws Exception {
        Path sql = Conformance.require("pgstac-" + VERSION + "/pgstac." + VERSION + ".sql");
        server = PostgresServer.startOrSkip();
        DrillServer.logins(server);
        // The source: the admin creates the database, the extensions are the admin path's, pgSTAC is installed by
        // migration (here by the superuser: its CREATE ROLE statements are not what this test is about).
        ok(server.sql(DrillServer.ADMIN, "postgres", "CREATE DATABASE pgstac"));
        for (String extension : DrillServer.EXTENSIONS) {
            ok(server.sql("postgres", "pgstac", "CREATE EXTENSION " + extension + " SCHEMA public"));
        }
        ok(server.script("postgres", "pgstac", "SET search_path = pgstac, public;\n" + Files.readString(sql)));
        ok(server.script("postgres", "pgstac", """
                SET search_path = pgstac, public;
                SELECT create_collection('{"id":"s2","type":"Collection","stac_version":"1.0.0","description":"test",
                  "license":"proprietary","links":[],"extent":{"spatial":{"bbox":[[-180,-90,180,90]]},
                  "temporal":{"interval":[["2020-01-01T00:00:00Z",null]]}}}'::jsonb);
                SELECT create_item('{"id":"i1","collection":"s2","type":"Feature","stac_version":"1.0.0",
                  "geometry":{"type":"Point","coordinates":[1,2]},"bbox":[1,2,1,2],
                  "properties":{"datetime":"2021-01-01T00:00:00Z"},"links":[],"assets":{}}'::jsonb);
                """));
        postgisVersion = ok(server.sql("postgres", "pgstac", "SELECT PostGIS_Lib_Version()")).out();

        root = directory;
        scripts = BackupScriptsPostgresTest.scripts(directory);
        Path store = FakeObjectStores.install(directory);
        env = new HashMap<>(Map.of("PATH", directory.resolve("bin") + ":" + BackupScriptsPostgresTest.BIN + ":" + System.getenv("PATH"),
                "FAKE_STORE", store.toString(), "PGHOST", "127.0.0.1", "PGPORT", Integer.toString(server.port()),
                "PGCONNECT_TIMEOUT", "10", "PGUSER", DrillServer.BACKUP));
        Path backups = directory.resolve("backups");
        ok(run(BackupScripts.DUMP, backups.toString(), "pgstac"));
        ok(run(BackupScripts.UPLOAD, backups.toString(), BUCKET));
        fetched = directory.resolve("fetched");
        ok(run(BackupScripts.FETCH_LATEST, fetched.toString(), BUCKET, "pgstac"));
        env.put("PGUSER", DrillServer.DRILL);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static PostgresServer.Result run(String script, String... args) throws Exception {
        return BackupScriptsPostgresTest.run(server, env, scripts, script, args);
    }

    /** The check the drill exists for: one success line reporting the server's PostGIS version. */
    static void assertDrillReportsPostgis(PostgresServer.Result drill, String expectedVersion) {
        assertEquals(0, drill.exitCode(), drill.out() + drill.err());
        assertEquals(1, drill.out().lines().count(), drill.out());
        var line = com.google.gson.JsonParser.parseString(drill.out()).getAsJsonObject();
        assertEquals("success", line.get("result").getAsString(), drill.out());
        assertTrue(line.has("postgis") && !line.get("postgis").isJsonNull(), "the drill reports no PostGIS version: " + drill.out());
        assertEquals(expectedVersion, line.get("postgis").getAsString(), drill.out());
    }

    @Test
    void pgstacRestoresUnderCloudSqlPermissionsAndTheDrillReportsThePostgisVersion() throws Exception {
        // The drill login holds nothing superuser-like: LOGIN only, no membership.
        assertEquals("f|f|f|f", ok(server.sql("postgres", "postgres", "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls "
                + "FROM pg_roles WHERE rolname = '" + DrillServer.DRILL + "'")).out());
        assertEquals("0", ok(server.sql("postgres", "postgres", "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r "
                + "ON r.oid = m.member WHERE r.rolname = '" + DrillServer.DRILL + "'")).out());
        DrillServer.scratch(server, "restore_drill_pgstac", "postgis", "btree_gist", "unaccent");

        var drill = run(BackupScripts.RESTORE_DRILL, fetched.toString(), "pgstac", "restore_drill_pgstac",
                "pgstac.collections", "pgstac.items");
        assertDrillReportsPostgis(drill, postgisVersion);
        var line = com.google.gson.JsonParser.parseString(drill.out()).getAsJsonObject();
        assertEquals("{\"pgstac.collections\":1,\"pgstac.items\":1}", line.get("rows").toString(), drill.out());
        String manifest = Files.readString(fetched.resolve("pgstac/manifest"));
        assertTrue(manifest.contains("version=" + line.get("version").getAsString() + "\n"), manifest);
        assertTrue(manifest.contains("sha256=" + line.get("sha256").getAsString() + "\n"), manifest);
        // The extensions the admin path installed stay; what the drill restored is gone again.
        assertEquals("btree_gist,plpgsql,postgis,unaccent", ok(server.sql("postgres", "restore_drill_pgstac",
                "SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension")).out());
        assertEquals("0", ok(server.sql("postgres", "restore_drill_pgstac",
                "SELECT count(*) FROM pg_namespace WHERE nspname = 'pgstac'")).out());
    }

    /**
     * The mutation the PostGIS check must catch: the drill's own file without the line that runs
     * {@code SELECT PostGIS_Full_Version()}. That drill does not pass {@link #assertDrillReportsPostgis}.
     */
    @Test
    void aDrillWithoutThePostgisSmokeCheckFailsTheCheck(@TempDir Path directory) throws Exception {
        String original = BackupScripts.text(BackupScripts.RESTORE_DRILL);
        String mutated = original.lines().filter(l -> !l.contains("SELECT PostGIS_Full_Version()") || l.startsWith("#"))
                .collect(Collectors.joining("\n", "", "\n"));
        assertNotEquals(original, mutated, "the drill runs SELECT PostGIS_Full_Version()");
        Path copy = Files.createDirectories(directory.resolve("mutant"));
        Files.writeString(copy.resolve(BackupScripts.RESTORE_DRILL), mutated);
        DrillServer.scratch(server, "restore_drill_mutant", "postgis", "btree_gist", "unaccent");
        var drill = BackupScriptsPostgresTest.run(server, env, copy, BackupScripts.RESTORE_DRILL, fetched.toString(), "pgstac",
                "restore_drill_mutant");
        assertThrows(AssertionFailedError.class, () -> assertDrillReportsPostgis(drill, postgisVersion), drill.out());
        assertNotEquals(0, drill.exitCode(), drill.out());
    }

    /** A crafted dump put next to the recorded one (newest name), with no manifest: the drill never fetches it. */
    @Test
    void aPlantedDumpWithoutAManifestIsNotWhatTheDrillRestores(@TempDir Path directory) throws Exception {
        Path store = root.resolve("store");
        byte[] crafted = "PGDMP crafted".getBytes();
        FakeObjectStores.plant(store, "dumps/cloudsql/dev/pgstac/29991231T235959Z.dump", crafted);
        Path again = directory.resolve("fetched");
        var fetch = ok(run(BackupScripts.FETCH_LATEST, again.toString(), BUCKET, "pgstac"));
        assertTrue(Files.notExists(again.resolve("pgstac/29991231T235959Z.dump")), fetch.out());
        // And a manifest that does not match the object it names (a forged manifest) is refused by the drill.
        Path forged = directory.resolve("forged/pgstac");
        Files.createDirectories(forged);
        Files.write(forged.resolve("29991231T235959Z.dump"), crafted);
        Files.writeString(forged.resolve("manifest"), "database=pgstac\nobject=" + BUCKET + "/pgstac/29991231T235959Z.dump\n"
                + "version=1\nsha256=" + "0".repeat(64) + "\nbytes=" + crafted.length + "\n");
        DrillServer.scratch(server, "restore_drill_forged");
        var drill = run(BackupScripts.RESTORE_DRILL, directory.resolve("forged").toString(), "pgstac", "restore_drill_forged");
        assertNotEquals(0, drill.exitCode(), drill.out());
        assertTrue(drill.out().contains("its manifest records " + "0".repeat(64) + ": refused"), drill.out());
    }
}
