package dev.dataplatform.iceberg;

import dev.dataplatform.access.Access;
import dev.dataplatform.access.AccessModel;
import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.access.Login;
import dev.dataplatform.access.SqlScript;
import dev.dataplatform.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.dataplatform.testing.PostgresServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Polaris's store on the access model, on a real PostgreSQL 15: the owner login can do what Polaris's bootstrap does
 * with its schema script, on every re-run, and nobody else can create that schema.
 *
 * <p>The statements are this project's, of the kinds Polaris 1.7.0's {@code postgres/schema-v5.sql} runs (see
 * {@link PolarisFacts#SCHEMA} and docs/upstream-facts.md): CREATE SCHEMA IF NOT EXISTS, a search_path on it, tables
 * with JSONB defaults and composite keys, a named unique constraint, plain and partial indexes, comments, and an upsert
 * of the schema version. The real file was run once by hand (upstream-facts, "Apache Polaris"); its jar is not on Maven
 * Central, so no test can load it from the classpath.
 */
class PolarisSchemaPostgresTest {
    static final String DB = "polaris";
    static final String OWNER = "polaris";
    static final String WRITER = "etl";
    static final String READER = "bi";
    static final AccessModel MODEL = AccessModel.of(new DatabaseModel(DB, List.of(), List.of(), false, List.of(
            new Login(OWNER, Access.OWNER), new Login(WRITER, Access.WRITER), new Login(READER, Access.READER))));

    /** What the bootstrap does with its schema, as the login itself (Polaris does not SET ROLE). */
    static final String BOOTSTRAP = """
            CREATE SCHEMA IF NOT EXISTS %1$s;
            SET search_path TO %1$s;
            CREATE TABLE IF NOT EXISTS version (version_key TEXT PRIMARY KEY, version_value INTEGER NOT NULL);
            INSERT INTO version (version_key, version_value) VALUES ('version', %2$d)
                ON CONFLICT (version_key) DO UPDATE SET version_value = EXCLUDED.version_value;
            CREATE TABLE IF NOT EXISTS entities (
                realm_id TEXT NOT NULL, catalog_id BIGINT NOT NULL, id BIGINT NOT NULL, parent_id BIGINT NOT NULL,
                name TEXT NOT NULL, properties JSONB NOT NULL DEFAULT '{}'::JSONB, location_without_scheme TEXT,
                PRIMARY KEY (realm_id, id),
                CONSTRAINT entities_unique_name UNIQUE (realm_id, catalog_id, parent_id, name));
            CREATE INDEX IF NOT EXISTS entities_by_catalog ON entities (catalog_id, id);
            CREATE INDEX IF NOT EXISTS entities_by_location ON entities USING btree (realm_id, parent_id, location_without_scheme)
                WHERE location_without_scheme IS NOT NULL;
            COMMENT ON TABLE entities IS 'catalog entities';
            COMMENT ON COLUMN entities.realm_id IS 'the realm';
            """.formatted(PolarisFacts.SCHEMA, PolarisFacts.SCHEMA_VERSION);

    static PostgresServer server;
    static PostgresServer.Result first;
    static PostgresServer.Result second;

    @BeforeAll
    static void applyTheAccessScriptThenBootstrapTwice() throws Exception {
        server = PostgresServer.startOrSkip();
        String script = SqlScript.render(MODEL);
        ok(server.script("postgres", "postgres", script));
        ok(server.script("postgres", "postgres", script));
        ok(server.sql("postgres", "postgres", "CREATE ROLE outsider LOGIN"));
        first = server.script(OWNER, DB, BOOTSTRAP);
        second = server.script(OWNER, DB, BOOTSTRAP);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static void denied(PostgresServer.Result result, String fragment) {
        assertFalse(result.ok(), "expected a permission error, but it succeeded");
        assertTrue(result.err().contains(fragment), "expected '" + fragment + "' in: " + result.err());
    }

    @Test
    void theOwnerLoginCreatesPolarisSchemaAndARerunChangesNothing() throws Exception {
        assertTrue(first.ok(), first.err());
        assertTrue(second.ok(), "a re-run of the bootstrap must succeed: " + second.err());
        assertEquals(OWNER, ok(server.sql("postgres", DB, "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = '"
                + PolarisFacts.SCHEMA + "'")).out().trim());
        assertEquals("5", ok(server.sql(OWNER, DB, "SELECT version_value FROM " + PolarisFacts.SCHEMA + ".version")).out().trim());
        // The server then reads and writes its store as the same login.
        ok(server.sql(OWNER, DB, "INSERT INTO " + PolarisFacts.SCHEMA + ".entities (realm_id, catalog_id, id, parent_id, name) "
                + "VALUES ('data-platform', 0, 1, 0, 'root')"));
        assertEquals("{}", ok(server.sql(OWNER, DB, "SELECT properties FROM " + PolarisFacts.SCHEMA + ".entities")).out().trim());
    }

    @Test
    void writerReaderAndOtherLoginsCannotCreateTheSchemaEvenWhenItExists() throws Exception {
        for (String login : List.of(WRITER, READER)) {
            // PostgreSQL checks CREATE on the database before it looks for an existing schema.
            denied(server.sql(login, DB, "CREATE SCHEMA IF NOT EXISTS " + PolarisFacts.SCHEMA), "permission denied for database " + DB);
            denied(server.sql(login, DB, "CREATE SCHEMA polaris_copy"), "permission denied for database " + DB);
            denied(server.sql(login, DB, "CREATE TABLE " + PolarisFacts.SCHEMA + ".stolen (id int)"),
                    "permission denied for schema " + PolarisFacts.SCHEMA);
            denied(server.sql(login, DB, "SELECT * FROM " + PolarisFacts.SCHEMA + ".entities"),
                    "permission denied for schema " + PolarisFacts.SCHEMA);
        }
        denied(server.sql("outsider", DB, "SELECT 1"), "User does not have CONNECT privilege");
    }
}
