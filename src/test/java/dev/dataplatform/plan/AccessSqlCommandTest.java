package dev.dataplatform.plan;

import dev.dataplatform.config.ConfigNode;
import dev.dataplatform.config.PlatformConfigParser;
import dev.dataplatform.config.StackFile;
import dev.dataplatform.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code access-sql} for every database of every committed stack: exit 0 with a script that real PostgreSQL 15
 * (with PostGIS) runs twice as a superuser; exit 2 with the stack's databases when the name is unknown.
 */
class AccessSqlCommandTest {
    /** Tests run in src/; the committed stack files are one level up. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    static PostgresServer server;

    @BeforeAll
    static void start() throws Exception {
        server = PostgresServer.startOrSkip();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static Map<String, dev.dataplatform.access.DatabaseModel> databases(String stack) {
        var file = StackFile.load(ROOT, stack);
        return AccessSqlCommand.databases(PlatformConfigParser.parse(file, new ConfigNode.Context(file.file(), false)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void everyDatabaseOfTheStackGetsAScriptThatRunsTwice(String stack) throws Exception {
        var databases = databases(stack);
        assertFalse(databases.isEmpty(), stack + " has databases");
        for (String key : databases.keySet()) {
            String server = key.substring(0, key.indexOf('/'));
            String database = key.substring(key.indexOf('/') + 1);
            var outcome = CliTest.plan("access-sql", "--stack", stack, "--database", database, "--server", server,
                    "--cwd", ROOT.toString());
            assertEquals(0, outcome.code(), key + ": " + outcome.err());
            assertTrue(outcome.out().contains("\\connect \"" + database + "\""), outcome.out());
            for (int run = 1; run <= 2; run++) {
                var result = AccessSqlCommandTest.server.script("postgres", "postgres", outcome.out());
                assertTrue(result.ok(), stack + " " + key + " run " + run + ": " + result.err());
            }
        }
    }

    @Test
    void theDevPgstacScriptHasTheMigratorAndThePgstacGrants() {
        var outcome = CliTest.plan("access-sql", "--stack", "dev", "--database", "pgstac", "--cwd", ROOT.toString());
        assertEquals(0, outcome.code(), outcome.err());
        assertTrue(outcome.out().contains("CREATE ROLE \"pgstac_migrator\" LOGIN NOCREATEDB CREATEROLE INHERIT"), outcome.out());
        assertTrue(outcome.out().contains("GRANT CONNECT, TEMPORARY ON DATABASE \"pgstac\" TO \"pgstac_writer\";"), outcome.out());
        assertTrue(outcome.out().contains("ALTER DATABASE \"pgstac\" SET search_path TO pgstac, public;"), outcome.out());
        // The workload's Cloud SQL IAM user is in the model as the program declares it.
        assertTrue(outcome.out().contains("GRANT \"pgstac_writer\" TO \"data-workloads@acme-data-dev.iam\";"), outcome.out());
    }

    /**
     * One identity per workload, on the real engine: with the dev access model applied (what the program declares, as
     * psql), Dagster's IAM user is a member of pgstac_writer only and is refused by the other databases; Marquez's and
     * the migrator's accounts have no database role (they log in with their password logins).
     */
    @Test
    void onTheRealEngineDagstersIamUserReachesOnlyPgstac() throws Exception {
        for (var db : databases("dev").values()) {
            var applied = server.script("postgres", "postgres",
                    dev.dataplatform.access.SqlScript.render(dev.dataplatform.access.AccessModel.of(db)));
            assertTrue(applied.ok(), db.name() + ": " + applied.err());
        }
        String dagster = "data-workloads@acme-data-dev.iam";
        var groups = server.sql("postgres", "postgres", "SELECT string_agg(g.rolname, ',' ORDER BY g.rolname) FROM pg_auth_members a "
                + "JOIN pg_roles m ON m.oid = a.member JOIN pg_roles g ON g.oid = a.roleid WHERE m.rolname = '" + dagster + "'");
        assertEquals("pgstac_writer", groups.out().trim(), groups.err());
        var pgstac = server.sql(dagster, "pgstac", "SELECT has_database_privilege('pgstac', 'TEMPORARY')");
        assertTrue(pgstac.ok() && pgstac.out().trim().equals("t"), pgstac.out() + pgstac.err());
        for (String other : java.util.List.of("dagster", "marquez", "polaris")) {
            var refused = server.sql(dagster, other, "SELECT 1");
            assertFalse(refused.ok(), other + ": " + refused.out());
            assertTrue(refused.err().contains("permission denied for database \"" + other + "\""), refused.err());
        }
        var others = server.sql("postgres", "postgres", "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'dp-%'");
        assertEquals("0", others.out().trim(), others.err());
    }

    @Test
    void anUnknownDatabaseExits2WithTheStacksDatabases() {
        var outcome = CliTest.plan("access-sql", "--stack", "prod", "--database", "nope", "--cwd", ROOT.toString());
        assertEquals(2, outcome.code());
        assertEquals("", outcome.out());
        assertTrue(outcome.err().contains("unknown database 'nope' in stack prod; databases (server/database): cloudSql/pgstac, "
                + "cloudSql/dagster, cloudSql/marquez, cloudSql/polaris, rds/metadata"), outcome.err());
    }

    @Test
    void aBadStackFileExits2(@TempDir Path dir) throws IOException {
        CliTest.project(dir, "dev", "config:\n  data-platform:environment: dev\n  data-platform:pgstacVersion: \"0.9.9\"\n");
        var outcome = CliTest.plan("access-sql", "--stack", "dev", "--database", "pgstac", "--cwd", dir.toString());
        assertEquals(2, outcome.code());
        assertTrue(outcome.err().contains("data-platform:pgstacVersion: '0.9.9' is not allowed; allowed: 0.9.10, 0.9.11"),
                outcome.err());
    }
}
