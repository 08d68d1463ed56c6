package dev.dataplatform.access;

import dev.dataplatform.kubernetes.crd.StackGres.ScriptEntry;
import dev.dataplatform.kubernetes.crd.StackGres.SecretKeySelector;
import dev.dataplatform.stackgres.TenantScript;
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
 * The SGScript form of the access model against a real PostgreSQL 15 with PostGIS, run the way the
 * StackGres operator runs it: entry by entry, as the superuser, in each entry's database, wrapped
 * in a transaction where the entry asks for one. It must leave exactly the catalog the psql script
 * (renderer B) leaves, and converge when its entries run again with a new version.
 */
class TenantScriptPostgresTest {
    static final AccessModel MODEL = Models.twoDatabases();
    static final SecretKeySelector PASSWORD = new SecretKeySelector("app-credentials", "set-password.sql");
    /** What ESO renders into the Secret the password entry reads. */
    static final String PASSWORD_SQL = "ALTER ROLE \"etl\" PASSWORD 'generated-in-the-cluster';";

    static PostgresServer entries;
    static PostgresServer script;

    @BeforeAll
    static void start() throws Exception {
        entries = PostgresServer.startOrSkip();
        script = PostgresServer.start();
        ok(script.script("postgres", "postgres", SqlScript.render(MODEL)));
        for (ScriptEntry entry : TenantScript.entries(MODEL, PASSWORD)) {
            ok(run(entry));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (var server : new PostgresServer[]{entries, script}) {
            if (server != null) {
                server.close();
            }
        }
    }

    /** As the operator: the entry's SQL (or the referenced Secret's), in its database, maybe in a transaction. */
    static PostgresServer.Result run(ScriptEntry entry) throws Exception {
        String sql = entry.script() != null ? entry.script() : PASSWORD_SQL;
        if (entry.wrapInTransaction() != null) {
            sql = "BEGIN ISOLATION LEVEL " + entry.wrapInTransaction().replace('-', ' ').toUpperCase() + ";\n" + sql + "\nCOMMIT;";
        }
        return entries.script("postgres", entry.database(), sql);
    }


    /** Roles, memberships, database owners and ACLs, schema ACLs, default privileges and extensions. */
    static String catalog(PostgresServer server) throws Exception {
        var lines = new StringBuilder();
        lines.append(ok(server.sql("postgres", "postgres", """
                SELECT string_agg(line, E'\\n' ORDER BY line) FROM (
                  SELECT format('role %s login=%s super=%s createdb=%s createrole=%s inherit=%s',
                    rolname, rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolinherit) AS line FROM pg_roles WHERE rolname NOT LIKE 'pg\\_%'
                  UNION ALL SELECT 'member ' || m.rolname || ' in ' || r.rolname FROM pg_auth_members a
                    JOIN pg_roles m ON m.oid = a.member JOIN pg_roles r ON r.oid = a.roleid WHERE r.rolname NOT LIKE 'pg\\_%'
                  UNION ALL SELECT 'database ' || datname || ' ' || coalesce(datacl::text, '') || ' ' || pg_get_userbyid(datdba)
                    FROM pg_database WHERE datname NOT IN ('postgres', 'template0', 'template1')
                ) lines""")).out());
        for (DatabaseModel db : MODEL.databases()) {
            lines.append('\n').append(ok(server.sql("postgres", db.name(), """
                    SELECT string_agg(line, E'\\n' ORDER BY line) FROM (
                      SELECT 'schema ' || nspname || ' ' || coalesce(nspacl::text, '') || ' ' || pg_get_userbyid(nspowner) AS line
                        FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
                      UNION ALL SELECT 'default ' || defaclrole::regrole || ' ' || defaclnamespace::regnamespace || ' '
                        || defaclobjtype::text || ' ' || defaclacl::text FROM pg_default_acl
                      UNION ALL SELECT 'extension ' || extname FROM pg_extension
                    ) lines""")).out());
        }
        return lines.toString();
    }

    @Test
    void entriesArePlainSqlWithoutPsqlMetaCommands() {
        for (ScriptEntry entry : TenantScript.entries(MODEL, PASSWORD)) {
            if (entry.script() != null) {
                assertTrue(entry.script().lines().noneMatch(line -> line.strip().startsWith("\\")), entry.name());
            }
        }
    }

    @Test
    void theEntriesLeaveExactlyTheCatalogOfThePsqlScript() throws Exception {
        assertEquals(catalog(script), catalog(entries));
    }

    @Test
    void entriesRunAgainWithANewVersionChangeNothing() throws Exception {
        String before = catalog(entries);
        for (ScriptEntry entry : TenantScript.entries(MODEL, PASSWORD)) {
            if (!entry.name().startsWith("create-database-")) {
                ok(run(entry));
            }
        }
        assertEquals(before, catalog(entries));
    }

    @Test
    void createDatabaseIsTheOnlyEntryThatCannotRunTwiceAndItsTextNeverChanges() throws Exception {
        var create = TenantScript.entries(MODEL, PASSWORD).stream().filter(e -> e.name().startsWith("create-database-")).toList();
        assertEquals(2, create.size());
        for (ScriptEntry entry : create) {
            assertFalse(run(entry).ok(), entry.name() + " should fail on an existing database: it must keep its version");
            assertEquals(null, entry.wrapInTransaction(), "CREATE DATABASE cannot run inside a transaction block");
        }
        // Its text depends only on the database name (a model change elsewhere gives it no new version).
        var changed = AccessModel.of(new DatabaseModel("metadata", List.of("extra"), List.of(), false,
                List.of(new Login("someone", Access.READER))));
        assertEquals(create.get(0).script(), TenantScript.entries(changed, PASSWORD).stream()
                .filter(e -> e.name().startsWith("create-database-")).findFirst().orElseThrow().script());
    }

    /**
     * A cluster restored from a backup: the databases and roles exist (with the old password), and the operator runs the
     * script again from the start, in list order, stopping at the first failure (continueOnError false). The password
     * from the current Secret is set before CREATE DATABASE fails.
     */
    @Test
    void onARestoredClusterThePasswordIsSetBeforeCreateDatabaseFails() throws Exception {
        // The server the psql script set up stands in for the restored cluster (the scenario changes only a password,
        // which the catalog comparisons do not read).
        var restored = script;
        {
            ok(restored.sql("postgres", "postgres", "ALTER ROLE \"etl\" PASSWORD 'the-old-one'"));
            String old = ok(restored.sql("postgres", "postgres", "SELECT rolpassword FROM pg_authid WHERE rolname = 'etl'")).out();
            var ran = new java.util.ArrayList<String>();
            for (ScriptEntry entry : TenantScript.entries(MODEL, PASSWORD)) {
                String sql = entry.script() != null ? entry.script() : PASSWORD_SQL;
                if (entry.wrapInTransaction() != null) {
                    sql = "BEGIN;\n" + sql + "\nCOMMIT;";
                }
                var result = restored.script("postgres", entry.database(), sql);
                if (!result.ok()) {
                    assertTrue(entry.name().startsWith("create-database-") && result.err().contains("already exists"),
                            entry.name() + ": " + result.err());
                    break;
                }
                ran.add(entry.name());
            }
            assertEquals(List.of("roles", "login-password"), ran);
            String now = ok(restored.sql("postgres", "postgres", "SELECT rolpassword FROM pg_authid WHERE rolname = 'etl'")).out();
            assertTrue(now.startsWith("SCRAM-SHA-256$") && !now.equals(old), "the Secret's password is set");
        }
    }

    @Test
    void theLoginPasswordEntrySetsAScramPassword() throws Exception {
        String stored = ok(entries.sql("postgres", "postgres", "SELECT rolpassword FROM pg_authid WHERE rolname = 'etl'")).out();
        assertTrue(stored.startsWith("SCRAM-SHA-256$"), stored);
    }
}
