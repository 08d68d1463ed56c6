package dev.dataplatform.access;

import dev.dataplatform.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static dev.dataplatform.testing.PostgresServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The access model against pgSTAC's own SQL (the real v0.9.11 files from the conformance directory) on a real
 * PostgreSQL 15 with PostGIS. Two servers' shapes on one throwaway server:
 * <ul>
 *   <li>database {@code pgstac}: the access script applied twice by a managed-style admin, shaped like Cloud
 *   SQL's {@code postgres} user (LOGIN CREATEROLE CREATEDB, a member of NOLOGIN {@code cloudsqlsuperuser}
 *   with CREATEROLE CREATEDB, not superuser; RDS's master in {@code rds_superuser} has the same shape), then the
 *   0.9.11 install by the migrator, run again (no-op), the access script again;</li>
 *   <li>database {@code catalog}: the script applied by a superuser (StackGres), then the 0.9.10 install and the
 *   0.9.10-0.9.11 upgrade by the migrator.</li>
 * </ul>
 * Then the workload logins use pgSTAC with their default search_path, and every grant the model adds for pgSTAC
 * is removed once to show that something then breaks.
 */
class PgstacConformancePostgresTest {
    static final String VERSION = "0.9.11";
    static final String MIGRATOR = "stac_migrator";
    static final String WRITER = "ingest";
    static final String READER = "api@acme-data.iam";
    static final String ADMIN = "cloudsql_admin";

    static PostgresServer server;
    static final List<String> setupFailures = new ArrayList<>();
    static String catalogBefore;
    static String catalogAfter;
    static PgstacMigrationRun.Outcome install;
    static PgstacMigrationRun.Outcome again;
    static PgstacMigrationRun.Outcome install0910;
    static PgstacMigrationRun.Outcome upgrade;
    static PgstacMigrationRun.Outcome tenantInstall;

    static AccessModel model(String database) {
        return AccessModel.of(new DatabaseModel(database, List.of(), List.of(), true, List.of(
                new Login(MIGRATOR, Access.MIGRATOR), new Login(WRITER, Access.WRITER), new Login(READER, Access.READER))));
    }

    @BeforeAll
    static void migrateAndIngest() throws Exception {
        PgstacMigrationRun.file("pgstac." + VERSION + ".sql"); // skips locally, fails under CI=true, when absent
        server = PostgresServer.startOrSkip();
        ok(server.sql("postgres", "postgres", "CREATE ROLE cloudsqlsuperuser NOLOGIN CREATEROLE CREATEDB; "
                + "CREATE ROLE " + ADMIN + " LOGIN CREATEROLE CREATEDB IN ROLE cloudsqlsuperuser"));

        // Managed-style server: the admin creates the database (as the provider does), the service lets it
        // create allow-listed extensions (modelled by the superuser here: PostGIS is not a trusted extension).
        managedDatabase("pgstac");
        String managed = SqlScript.render(model("pgstac"));
        expectOk("first run by the admin", server.script(ADMIN, "postgres", managed));
        catalogBefore = catalog("pgstac");
        expectOk("second run by the admin", server.script(ADMIN, "postgres", managed));
        catalogAfter = catalog("pgstac");
        install = PgstacMigrationRun.migrate(server, MIGRATOR, "pgstac", VERSION);
        again = PgstacMigrationRun.migrate(server, MIGRATOR, "pgstac", VERSION);
        // The model's own re-run (REVOKE ALL ... GRANT) must leave pgSTAC's grants working.
        expectOk("run after the migration", server.script(ADMIN, "postgres", managed));

        // StackGres-style server: the superuser applies the script; an older pgSTAC is upgraded.
        expectOk("superuser run", server.script("postgres", "postgres", SqlScript.render(model("catalog"))));
        install0910 = PgstacMigrationRun.migrate(server, MIGRATOR, "catalog", "0.9.10");
        upgrade = PgstacMigrationRun.migrate(server, MIGRATOR, "catalog", VERSION);

        // StackGres tenant: the script (its SGScript entries) by the superuser, who also migrates (no migrator login).
        expectOk("tenant run", server.script("postgres", "postgres", SqlScript.render(AccessModel.of(new DatabaseModel(
                "tenant", List.of(), List.of(), true, List.of(new Login(WRITER, Access.WRITER), new Login(READER, Access.READER)))))));
        tenantInstall = PgstacMigrationRun.migrate(server, "postgres", "tenant", VERSION);

        for (String db : List.of("pgstac", "catalog", "tenant")) {
            expectOk("writer create_collection in " + db, server.sql(WRITER, db, createCollection("s2")));
            expectOk("writer create_item in " + db, server.sql(WRITER, db, createItem("i1", "s2")));
        }
    }

    static void managedDatabase(String database) throws Exception {
        ok(server.sql(ADMIN, "postgres", "CREATE DATABASE " + database));
        for (String extension : DatabaseModel.PGSTAC_EXTENSIONS) {
            ok(server.sql("postgres", database, "CREATE EXTENSION IF NOT EXISTS " + extension + " SCHEMA public"));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static void expectOk(String step, PostgresServer.Result result) {
        if (!result.ok()) {
            setupFailures.add(step + ": " + result.err());
        }
    }


    static void denied(PostgresServer.Result result, String fragment) {
        assertFalse(result.ok(), "expected an error containing '" + fragment + "', but it succeeded: " + result.out());
        assertTrue(result.err().contains(fragment), "expected '" + fragment + "' in: " + result.err());
    }

    static String createCollection(String id) {
        return "SELECT create_collection('{\"id\":\"" + id + "\",\"type\":\"Collection\",\"stac_version\":\"1.0.0\","
                + "\"description\":\"test\",\"license\":\"proprietary\",\"links\":[],\"extent\":{\"spatial\":{\"bbox\":"
                + "[[-180,-90,180,90]]},\"temporal\":{\"interval\":[[\"2020-01-01T00:00:00Z\",null]]}}}'::jsonb)";
    }

    static String createItem(String id, String collection) {
        return "SELECT create_item('{\"id\":\"" + id + "\",\"type\":\"Feature\",\"stac_version\":\"1.0.0\",\"collection\":\""
                + collection + "\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[5.1,52.1]},\"bbox\":[5.1,52.1,5.1,52.1],"
                + "\"properties\":{\"datetime\":\"2021-06-01T00:00:00Z\"},\"links\":[],\"assets\":{}}'::jsonb)";
    }

    static final String SEARCH = "SELECT search('{\"collections\":[\"s2\"]}'::jsonb)->'features'->0->>'id'";
    static final String XYZSEARCH = "SELECT xyzsearch(0, 0, 0, (search_query('{\"collections\":[\"s2\"]}'::jsonb)).hash, "
            + "'{\"include\":[\"id\"]}'::jsonb, exitwhenfull => false, skipcovered => false)->'features'->0->>'id'";

    /** Role attributes, memberships, database ACL and settings, schema ACLs: what the access script decides. */
    static String catalog(String database) throws Exception {
        return ok(server.sql("postgres", database, """
                SELECT string_agg(line, E'\\n' ORDER BY line) FROM (
                  SELECT format('role %s login=%s super=%s createdb=%s createrole=%s', rolname, rolcanlogin, rolsuper,
                    rolcreatedb, rolcreaterole) AS line FROM pg_roles WHERE rolname NOT LIKE 'pg\\_%'
                  UNION ALL SELECT 'member ' || m.rolname || ' in ' || r.rolname FROM pg_auth_members a
                    JOIN pg_roles m ON m.oid = a.member JOIN pg_roles r ON r.oid = a.roleid WHERE r.rolname NOT LIKE 'pg\\_%'
                  UNION ALL SELECT 'database ' || datacl::text || ' ' || pg_get_userbyid(datdba) FROM pg_database
                    WHERE datname = current_database()
                  UNION ALL SELECT 'setting ' || array_to_string(setconfig, ',') FROM pg_db_role_setting s
                    JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = current_database()
                  UNION ALL SELECT 'schema ' || nspname || ' ' || coalesce(nspacl::text, '') FROM pg_namespace
                    WHERE nspname = 'public'
                ) lines""")).out();
    }

    @Test
    void theAccessScriptRunsTwiceAsTheManagedAdminAndTheMigrationAndIngestSucceed() {
        assertEquals(List.of(), setupFailures);
        assertEquals(catalogBefore, catalogAfter);
        assertTrue(catalogAfter.contains("setting search_path=pgstac, public"), catalogAfter);
        assertTrue(catalogAfter.contains("role " + MIGRATOR + " login=t super=f createdb=f createrole=t"), catalogAfter);
    }

    @Test
    void theMigratorInstallsInOneTransactionAndASecondRunIsANoOp() throws Exception {
        assertEquals("pgstac." + VERSION + ".sql", install.ran());
        assertTrue(install.ok(), install.err());
        assertEquals("no-op", again.ran());
        assertEquals(VERSION, PgstacMigrationRun.installedVersion(server, MIGRATOR, "pgstac"));
        assertEquals("f", ok(server.sql(MIGRATOR, "pgstac", "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).out());
    }

    @Test
    void aTenantsSuperuserMigratesAfterTheModel() throws Exception {
        // Without USAGE on public for pgstac_admin this failed with 'type "geometry" does not exist'.
        assertTrue(tenantInstall.ok(), tenantInstall.err());
        assertEquals(VERSION, PgstacMigrationRun.installedVersion(server, "postgres", "tenant"));
    }

    @Test
    void anOlderInstallIsUpgradedWithTheUpgradeFile() throws Exception {
        assertEquals("pgstac.0.9.10.sql", install0910.ran());
        assertTrue(install0910.ok(), install0910.err());
        assertEquals("pgstac.0.9.10-" + VERSION + ".sql", upgrade.ran());
        assertTrue(upgrade.ok(), upgrade.err());
        assertEquals(VERSION, PgstacMigrationRun.installedVersion(server, MIGRATOR, "catalog"));
    }

    @ParameterizedTest
    @CsvSource({"pgstac", "catalog", "tenant"})
    void theWriterIngestsAndSearchesWithItsDefaultSearchPath(String database) throws Exception {
        assertEquals(List.of(), setupFailures);
        assertEquals("pgstac, public", ok(server.sql(WRITER, database, "SHOW search_path")).out());
        ok(server.sql(WRITER, database, createItem("i2", "s2")));
        assertEquals("2", ok(server.sql(WRITER, database,
                "SELECT search('{\"collections\":[\"s2\"]}'::jsonb)->>'numberReturned'")).out());
        ok(server.sql(WRITER, database, "SELECT delete_item('i2', 's2')"));
    }

    @ParameterizedTest
    @CsvSource({"pgstac", "catalog", "tenant"})
    void theReaderSearchesGetsItemsAndTiles(String database) throws Exception {
        assertEquals(List.of(), setupFailures);
        assertEquals("i1", ok(server.sql(READER, database, SEARCH)).out());
        assertEquals("i1", ok(server.sql(READER, database, "SELECT get_item('i1', 's2')->>'id'")).out());
        assertEquals("i1", ok(server.sql(READER, database, XYZSEARCH)).out());
    }

    /** PostgreSQL's own refusals: a different error would not prove the privilege is missing. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SELECT create_item('{\"id\":\"x\",\"collection\":\"s2\"}'::jsonb) | permission denied for table items_staging",
            "SELECT create_collection('{\"id\":\"x\"}'::jsonb)                 | permission denied for table collections",
            "SELECT delete_item('i1', 's2')                                    | permission denied for table items",
            "DELETE FROM pgstac.items                                          | permission denied for table items",
            "UPDATE pgstac.items SET content = NULL                            | permission denied for table items",
            "CREATE TABLE pgstac.scratch (i int)                               | permission denied for schema pgstac",
            "CREATE TABLE public.scratch (i int)                               | permission denied for schema public"})
    void theReaderIsRefusedEveryChange(String statement, String refusal) throws Exception {
        assertEquals(List.of(), setupFailures);
        denied(server.sql(READER, "pgstac", statement), refusal);
    }

    /**
     * What docs/access-model.md says a writer can do inside schema pgstac: pgSTAC grants pgstac_ingest ALL on the
     * schema and its tables, so DDL and TRUNCATE there are allowed; outside pgstac the writer stays DML-only.
     */
    @Test
    void theWriterHasPgstacsOwnRightsInsideSchemaPgstacOnly() throws Exception {
        ok(server.sql(WRITER, "pgstac", "CREATE TABLE pgstac.writer_scratch (i int); DROP TABLE pgstac.writer_scratch"));
        ok(server.sql(WRITER, "pgstac", "BEGIN; TRUNCATE pgstac.items; ROLLBACK"));
        denied(server.sql(WRITER, "pgstac", "CREATE TABLE public.scratch (i int)"), "permission denied for schema public");
    }

    /**
     * Cloud SQL and RDS: the provider cannot set the database's search_path, so the migration Job gives each
     * workload login pgSTAC's path in that database (PgstacMigration.searchPathSql), as the migrator.
     */
    @Test
    void withoutTheDatabaseSettingTheMigratorGivesEachLoginPgstacsPath() throws Exception {
        String db = "rolepath";
        ok(server.script("postgres", "postgres", SqlScript.render(model(db))));
        ok(server.sql("postgres", db, "ALTER DATABASE " + db + " RESET search_path"));
        var migration = PgstacMigrationRun.migrate(server, MIGRATOR, db, VERSION);
        assertTrue(migration.ok(), migration.err());
        denied(server.sql(WRITER, db, createCollection("s2")), "function create_collection(jsonb) does not exist");

        ok(server.sql(MIGRATOR, db, PgstacMigration.searchPathSql(
                new PgstacMigration.PgstacDatabase(db, MIGRATOR, List.of(WRITER, READER)))));
        ok(server.sql(WRITER, db, createCollection("s2") + "; " + createItem("i1", "s2")));
        assertEquals("i1", ok(server.sql(READER, db, XYZSEARCH)).out());
    }

    /** Item 6 of issue 13: a non-superuser, non-owner admin's database-level GRANT/REVOKE only warn. */
    @Test
    void aManagedAdminsDatabaseGrantsTakeEffectOnlyAsAMemberOfTheOwnerRole() throws Exception {
        ok(server.sql("postgres", "postgres", "CREATE ROLE item6_owner NOLOGIN; CREATE ROLE item6_user LOGIN"));
        ok(server.sql("postgres", "postgres", "CREATE DATABASE item6 OWNER item6_owner"));
        String grant = "GRANT CONNECT ON DATABASE item6 TO item6_user";
        String revoke = "REVOKE ALL ON DATABASE item6 FROM PUBLIC";
        String acl = "SELECT coalesce(datacl::text, 'default') FROM pg_database WHERE datname = 'item6'";

        var warnedGrant = ok(server.sql(ADMIN, "postgres", grant));
        var warnedRevoke = ok(server.sql(ADMIN, "postgres", revoke));
        assertTrue(warnedGrant.err().contains("no privileges were granted for \"item6\""), warnedGrant.err());
        assertTrue(warnedRevoke.err().contains("no privileges could be revoked for \"item6\""), warnedRevoke.err());
        // Only the built-in defaults, spelled out: PUBLIC keeps CONNECT and TEMPORARY, the user got nothing.
        assertEquals("{=Tc/item6_owner,item6_owner=CTc/item6_owner}", ok(server.sql("postgres", "postgres", acl)).out());

        // What SqlScript.adminInOwner and PostgresAccess's admin membership do: the same statements now take effect.
        ok(server.sql(ADMIN, "postgres", "GRANT item6_owner TO " + ADMIN));
        var granted = ok(server.sql(ADMIN, "postgres", grant + "; " + revoke));
        assertFalse(granted.err().contains("no privileges"), granted.err());
        assertEquals("{item6_owner=CTc/item6_owner,item6_user=c/item6_owner}", ok(server.sql("postgres", "postgres", acl)).out());
    }

    /** Each grant the model adds for pgSTAC, removed once on a fresh database: something must then fail. */
    enum Mutation {
        WRITER_TEMPORARY("REVOKE TEMPORARY ON DATABASE {db} FROM {db}_writer", null, Step.WRITER,
                "permission denied to create temporary tables"),
        READER_TEMPORARY("REVOKE TEMPORARY ON DATABASE {db} FROM {db}_reader", null, Step.READER,
                "permission denied to create temporary tables"),
        MIGRATOR_CONNECT("REVOKE CONNECT ON DATABASE {db} FROM " + MIGRATOR, null, Step.MIGRATE, "permission denied for database"),
        MIGRATOR_CREATE_SCHEMA("REVOKE CREATE ON DATABASE {db} FROM " + MIGRATOR, null, Step.MIGRATE,
                "permission denied for database"),
        MIGRATOR_CREATE_IN_PUBLIC("REVOKE CREATE ON SCHEMA public FROM " + MIGRATOR, null, Step.MIGRATE,
                "permission denied for schema public"),
        MIGRATOR_IN_PGSTAC_ADMIN("REVOKE pgstac_admin FROM " + MIGRATOR, "GRANT pgstac_admin TO " + MIGRATOR, Step.MIGRATE,
                "no schema has been selected to create in"),
        // The migrator sees public through pgstac_admin too, so the migration stops even before pgSTAC's
        // SET ROLE pgstac_admin would fail with 'type "geometry" does not exist'.
        PGSTAC_ADMIN_USAGE_ON_PUBLIC("REVOKE USAGE ON SCHEMA public FROM pgstac_admin", null, Step.MIGRATE,
                "no schema has been selected to create in"),
        MIGRATOR_IN_PGSTAC_INGEST("REVOKE pgstac_ingest FROM " + MIGRATOR, "GRANT pgstac_ingest TO " + MIGRATOR, Step.MIGRATE,
                "permission denied to set role \"pgstac_ingest\""),
        MIGRATOR_CREATEROLE("ALTER ROLE " + MIGRATOR + " NOCREATEROLE", "ALTER ROLE " + MIGRATOR + " CREATEROLE", Step.MIGRATE,
                "permission denied to create role"),
        DATABASE_SEARCH_PATH("ALTER DATABASE {db} RESET search_path", null, Step.WRITER,
                "function create_collection(jsonb) does not exist");

        enum Step { MIGRATE, WRITER, READER }

        final String apply;
        final String undo;
        final Step failingStep;
        final String refusal;

        Mutation(String apply, String undo, Step failingStep, String refusal) {
            this.apply = apply;
            this.undo = undo;
            this.failingStep = failingStep;
            this.refusal = refusal;
        }
    }

    @ParameterizedTest
    @EnumSource(Mutation.class)
    void removingAnyPgstacGrantBreaksTheMigrationOrTheWorkloads(Mutation mutation) throws Exception {
        String db = "m_" + mutation.name().toLowerCase(java.util.Locale.ROOT);
        ok(server.script("postgres", "postgres", SqlScript.render(model(db))));
        ok(server.sql("postgres", db, mutation.apply.replace("{db}", db)));
        try {
            var steps = new ArrayList<PostgresServer.Result>();
            var migration = PgstacMigrationRun.migrate(server, MIGRATOR, db, VERSION);
            steps.add(migration.result());
            if (migration.ok()) {
                var writer = server.sql(WRITER, db, createCollection("s2") + "; " + createItem("i1", "s2"));
                steps.add(writer);
                if (writer.ok()) {
                    steps.add(server.sql(READER, db, XYZSEARCH));
                }
            }
            assertEquals(mutation.failingStep.ordinal() + 1, steps.size(), "the step that fails");
            denied(steps.get(steps.size() - 1), mutation.refusal);
        } finally {
            if (mutation.undo != null) {
                ok(server.sql("postgres", "postgres", mutation.undo));
            }
        }
    }

    /** Without joining the owner role, the managed admin cannot even create the database for it. */
    @Test
    void withoutTheOwnerMembershipTheManagedAdminsScriptFails() throws Exception {
        var model = model("no_membership");
        String script = SqlScript.render(model).replace(SqlScript.adminInOwner(model.databases().get(0)), "");
        denied(server.script(ADMIN, "postgres", script), "must be member of role \"no_membership_owner\"");
    }
}
