package dev.dataplatform.local;

import dev.dataplatform.access.Access;
import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.access.Login;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.RemoteRef;
import dev.dataplatform.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.dataplatform.testing.PostgresServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local stack's in-cluster SQL on a real PostgreSQL 15 + PostGIS: the access Job's script (the access model plus
 * each login's password from the Job's environment) applies and re-applies, and the PostGIS smoke check answers.
 */
class LocalServicesPostgresTest {
    static final List<DatabaseModel> DATABASES = List.of(
            new DatabaseModel("dagster", List.of(), List.of(), false, List.of(new Login("dagster", Access.OWNER))),
            new DatabaseModel("geo", List.of(), List.of("postgis"), false, List.of(new Login("geo_app", Access.OWNER),
                    new Login("stac_api", Access.READER), new Login("stac_ingest", Access.WRITER))),
            // As Pulumi.local.yaml declares them: Marquez's and Polaris's stores, each with its owner login.
            new DatabaseModel("marquez", List.of(), List.of(), false, List.of(new Login("marquez", Access.OWNER))),
            new DatabaseModel("polaris", List.of(), List.of(), false, List.of(new Login("polaris", Access.OWNER))));
    static PostgresServer server;

    @BeforeAll
    static void start() throws Exception {
        server = PostgresServer.startOrSkip();
        // One application shared by the tests (creating PostGIS makes it the slow part).
        ok(server.script("postgres", "postgres", withPasswords(LocalServices.accessScript(DATABASES), "")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** What the Job's environment gives psql: LOGIN_PASSWORD_<i> per login, in the script's (sorted) order. */
    static String withPasswords(String script, String suffix) {
        var logins = List.of("dagster", "geo_app", "marquez", "polaris", "stac_api", "stac_ingest");
        var env = new StringBuilder();
        for (int i = 0; i < logins.size(); i++) {
            env.append("\\setenv ").append(LocalServices.passwordVariable(i)).append(" 'pw-").append(logins.get(i))
                    .append(suffix).append("'\n");
        }
        return env + script;
    }

    static String verifier(String login) throws Exception {
        return ok(server.sql("postgres", "postgres", "SELECT rolpassword FROM pg_authid WHERE rolname = '" + login + "'")).out();
    }

    @Test
    void theAccessScriptCreatesTheModelAndSetsEachLoginsPasswordAndRunsAgain() throws Exception {
        String script = LocalServices.accessScript(DATABASES);
        assertEquals("dagster|geo|marquez|polaris", ok(server.sql("postgres", "postgres",
                "SELECT string_agg(datname, '|' ORDER BY datname) FROM pg_database WHERE datname IN ('dagster','geo','marquez','polaris')"))
                .out());
        String dagster = verifier("dagster");
        assertTrue(dagster.startsWith("SCRAM-SHA-256$"), dagster);
        assertNotEquals(dagster, verifier("stac_api"));
        // Again, with new passwords (a regenerated Secret): idempotent, and the password follows.
        ok(server.script("postgres", "postgres", withPasswords(script, "-2")));
        assertNotEquals(dagster, verifier("dagster"));
        assertEquals("t", ok(server.sql("postgres", "postgres",
                "SELECT rolcanlogin FROM pg_roles WHERE rolname = 'stac_ingest'")).out());
    }

    @Test
    void theScriptStopsWhenAPasswordIsMissingFromTheEnvironment() throws Exception {
        // Without LOGIN_PASSWORD_0, \getenv leaves the variable unset and the ALTER ROLE fails: the Job fails loudly.
        String script = LocalServices.accessScript(List.of(new DatabaseModel("lonely", List.of(), List.of(), false,
                List.of(new Login("lonely_app", Access.OWNER)))));
        var result = server.script("postgres", "postgres", "\\unset login_password\n" + script);
        assertFalse(result.ok(), result.out());
    }

    @Test
    void thePostgisSmokeCheckAnswersWhereTheModelHasPostgisAndFailsWhereItIsMissing() throws Exception {
        var smoke = LocalServices.smokeDatabases(DATABASES);
        assertEquals(List.of("postgres", "geo"), smoke);
        for (String db : smoke.subList(1, smoke.size())) {
            String version = ok(server.sql("postgres", db, LocalServices.SMOKE_SQL)).out();
            assertTrue(version.startsWith("POSTGIS=\"3."), version);
        }
        // The check can fail: a database without PostGIS (the throwaway server's postgres database, unlike the image's).
        assertFalse(server.sql("postgres", "dagster", LocalServices.SMOKE_SQL).ok());
    }

    @Test
    void aRemoteRefWithAPropertyReadsOneKeyOfAKubernetesSecret() {
        var ref = new RemoteRef(LocalServices.loginPasswordRef("stac_api"));
        assertEquals("login-stac-api", ref.key());
        assertEquals("password", ref.property());
        assertNull(new RemoteRef("dagster-db-password-dev").property());
    }

    @Test
    void marquezsLoginMigratesItsSchemaInItsOwnDatabaseAndNobodyElseGetsIn() throws Exception {
        assertTrue(verifier("marquez").startsWith("SCRAM-SHA-256$"), "the access Job sets the generated password");
        // What Marquez 0.51.1's Flyway migrations do (api/src/main/resources/marquez/db/migration): tables, a view, a
        // plpgsql function and Flyway's history table in the default schema; no extension, schema or role.
        ok(server.script("marquez", "marquez", """
                CREATE TABLE IF NOT EXISTS flyway_schema_history (installed_rank INT PRIMARY KEY, version VARCHAR(50));
                CREATE TABLE IF NOT EXISTS namespaces (uuid UUID PRIMARY KEY, name VARCHAR(1024) NOT NULL UNIQUE,
                    created_at TIMESTAMPTZ NOT NULL);
                CREATE INDEX IF NOT EXISTS namespaces_by_name ON namespaces (name);
                CREATE OR REPLACE VIEW namespaces_view AS SELECT uuid, name FROM namespaces;
                CREATE OR REPLACE FUNCTION rewrite_namespace() RETURNS TRIGGER AS $$
                BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql;
                INSERT INTO namespaces VALUES (gen_random_uuid(), 'default', now()) ON CONFLICT (name) DO NOTHING;
                """));
        assertEquals("marquez", ok(server.sql("postgres", "marquez",
                "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'namespaces'")).out());
        assertEquals("1", ok(server.sql("marquez", "marquez", "SELECT count(*) FROM namespaces")).out());
        // Another platform login cannot reach Marquez's database, nor Marquez another's.
        var stranger = server.sql("stac_api", "marquez", "SELECT 1");
        assertFalse(stranger.ok(), stranger.out());
        assertTrue(stranger.err().contains("CONNECT"), stranger.err());
        assertFalse(server.sql("marquez", "dagster", "SELECT 1").ok());
    }

    @Test
    void polarissLoginCreatesItsSchemaInItsOwnDatabase() throws Exception {
        assertTrue(verifier("polaris").startsWith("SCRAM-SHA-256$"));
        // Polaris's bootstrap runs CREATE SCHEMA IF NOT EXISTS polaris_schema as the login (schema-v5.sql @1.7.0).
        ok(server.script("polaris", "polaris", "CREATE SCHEMA IF NOT EXISTS polaris_schema;\n"
                + "CREATE TABLE IF NOT EXISTS polaris_schema.version (version_key TEXT PRIMARY KEY, version_value INTEGER);"));
        assertEquals("polaris", ok(server.sql("postgres", "polaris",
                "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'polaris_schema'")).out());
        assertFalse(server.sql("marquez", "polaris", "SELECT 1").ok(), "Marquez's login cannot connect to Polaris's store");
    }
}
