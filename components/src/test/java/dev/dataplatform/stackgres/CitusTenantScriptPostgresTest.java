package dev.dataplatform.stackgres;

import com.pulumi.resources.ComponentResourceOptions;
import dev.dataplatform.core.Environment;
import dev.dataplatform.testing.Harness;
import dev.dataplatform.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.dataplatform.testing.PostgresServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Citus tenant's SGScript, taken from the planned resource, on a real PostgreSQL 15 + PostGIS where
 * the tenant's database already exists, as Patroni's Citus bootstrap leaves it
 * ({@link OperatorFacts#CITUS_DATABASE_SOURCE}). The operator runs the entries in order as the
 * superuser and stops at the first failure ({@code continueOnError: false}); every entry must pass
 * and the access model must hold afterwards. (The citus extension itself is not installed here: the
 * entries neither create nor use it.)
 */
class CitusTenantScriptPostgresTest {
    /** What ESO renders into Secret app-credentials key set-password.sql. */
    static final String PASSWORD_SQL = "ALTER ROLE \"app\" PASSWORD 'generated-in-the-cluster';";

    static PostgresServer server;
    static List<Map<String, Object>> citusEntries;
    static List<Map<String, Object>> plainEntries;

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> entries(StackGresTenant.Citus citus) {
        var args = StackGresTenantTest.tenant(Environment.PROD).citus(citus).build();
        var run = Harness.preview(Environment.PROD, ctx -> new StackGresTenant("acme", args, ComponentResourceOptions.Empty))
                .succeeded();
        return (List<Map<String, Object>>) run.resource(StackGresTenantTest.SCRIPT, "acme-access-script")
                .input("spec.scripts").orElseThrow();
    }

    @BeforeAll
    static void start() throws Exception {
        citusEntries = entries(new StackGresTenant.Citus(2, 2));
        plainEntries = entries(null);
        server = PostgresServer.startOrSkip();
        // What Patroni's Citus bootstrap does before any SGScript runs.
        ok(server.sql("postgres", "postgres", "CREATE DATABASE acme"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }


    /** As the operator: the entry's SQL (or the Secret's), in its database, in a transaction when asked. */
    static PostgresServer.Result run(Map<String, Object> entry) throws Exception {
        String sql = entry.containsKey("script") ? (String) entry.get("script") : PASSWORD_SQL;
        if (entry.get("wrapInTransaction") instanceof String isolation) {
            sql = "BEGIN ISOLATION LEVEL " + isolation.replace('-', ' ').toUpperCase() + ";\n" + sql + "\nCOMMIT;";
        }
        return server.script("postgres", (String) entry.get("database"), sql);
    }

    @Test
    void everyEntryRunsOnThePreCreatedDatabaseAndTheAccessModelHolds() throws Exception {
        assertTrue(citusEntries.stream().noneMatch(e -> String.valueOf(e.get("script")).contains("CREATE DATABASE")),
                citusEntries.toString());
        for (var entry : citusEntries) {
            ok(run(entry));
        }
        // The database Patroni created now belongs to the tenant's owner group, PostGIS is in it.
        assertEquals("acme_owner", ok(server.sql("postgres", "postgres",
                "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'acme'")).out().strip());
        assertEquals("postgis", ok(server.sql("postgres", "acme",
                "SELECT extname FROM pg_extension WHERE extname = 'postgis'")).out().strip());
        // The app login got its password (from the Secret entry) and its writer grants.
        assertTrue(ok(server.sql("postgres", "postgres", "SELECT rolpassword FROM pg_authid WHERE rolname = 'app'"))
                .out().startsWith("SCRAM-SHA-256$"));
        ok(server.script("postgres", "acme", "SET ROLE acme_owner; CREATE TABLE public.orders (id int); RESET ROLE;"));
        ok(server.script("postgres", "acme", "SET ROLE app; INSERT INTO public.orders VALUES (1); SELECT count(*) FROM public.orders;"));
        assertFalse(server.script("postgres", "acme", "SET ROLE app; CREATE TABLE public.mine (id int);").ok(),
                "a writer changes data, not the schema");
        // Running the entries again (a new version) converges.
        for (var entry : citusEntries) {
            ok(run(entry));
        }
    }

    @Test
    void theNonCitusScriptWouldStopAtCreateDatabaseOnThatDatabase() throws Exception {
        var create = plainEntries.stream().filter(e -> String.valueOf(e.get("script")).startsWith("CREATE DATABASE")).toList();
        assertEquals(1, create.size());
        var result = run(create.get(0));
        assertFalse(result.ok());
        assertTrue(result.err().contains("already exists"), result.err());
    }
}
