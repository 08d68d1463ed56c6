package dev.dataplatform.access;

import dev.dataplatform.access.PrivilegeGrant.Kind;
import dev.dataplatform.access.PrivilegeGrant.ObjectType;
import dev.dataplatform.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static dev.dataplatform.testing.PostgresServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Renderer B against a real PostgreSQL 15 with PostGIS: the script is applied twice, then each role
 * logs in and is held to exactly what the model allows.
 */
class AccessScriptPostgresTest {
    static final AccessModel MODEL = Models.catalog();
    static final String DB = "pgstac";
    static final String OWNER = "migrator";
    static final String WRITER = "ingest";
    static final String READER = "api@acme-data.iam";

    static PostgresServer server;
    static PostgresServer.Result firstRun;
    static PostgresServer.Result secondRun;
    static String catalogAfterFirstRun;
    static String catalogAfterSecondRun;

    @BeforeAll
    static void applyTheScriptTwice() throws Exception {
        server = PostgresServer.startOrSkip();
        String script = SqlScript.render(MODEL);
        firstRun = server.script("postgres", "postgres", script);
        catalogAfterFirstRun = catalogSnapshot();
        secondRun = server.script("postgres", "postgres", script);
        catalogAfterSecondRun = catalogSnapshot();

        // The owner's migration creates tables after the script ran: default privileges must cover them.
        ok(server.sql(OWNER, DB, "SET ROLE pgstac_owner; "
                + "CREATE TABLE ingest.items (id bigserial PRIMARY KEY, name text, geom geometry(Point, 4326)); "
                + "CREATE TABLE public.collections (id text PRIMARY KEY)"));
        ok(server.sql("postgres", "postgres", "CREATE ROLE outsider LOGIN"));
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

    /** Role attributes, memberships and every ACL the script touches, as text. */
    static String catalogSnapshot() throws Exception {
        return ok(server.sql("postgres", DB, """
                SELECT string_agg(line, E'\\n' ORDER BY line) FROM (
                  SELECT format('role %s login=%s super=%s createdb=%s createrole=%s inherit=%s',
                    rolname, rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolinherit) AS line FROM pg_roles WHERE rolname NOT LIKE 'pg\\_%'
                  UNION ALL SELECT 'member ' || m.rolname || ' in ' || r.rolname FROM pg_auth_members a
                    JOIN pg_roles m ON m.oid = a.member JOIN pg_roles r ON r.oid = a.roleid WHERE r.rolname NOT LIKE 'pg\\_%'
                  UNION ALL SELECT 'database ' || datname || ' ' || datacl::text || ' ' || pg_get_userbyid(datdba)
                    FROM pg_database WHERE datname = 'pgstac'
                  UNION ALL SELECT 'schema ' || nspname || ' ' || coalesce(nspacl::text, '') || ' ' || pg_get_userbyid(nspowner)
                    FROM pg_namespace WHERE nspname IN ('public', 'ingest')
                  UNION ALL SELECT 'default ' || defaclrole::regrole || ' ' || defaclnamespace::regnamespace || ' '
                    || defaclobjtype::text || ' ' || defaclacl::text FROM pg_default_acl
                  UNION ALL SELECT 'extension ' || extname FROM pg_extension
                ) lines""")).out();
    }

    @Test
    void theScriptRunsTwiceAndTheSecondRunChangesNothing() {
        assertTrue(firstRun.ok(), firstRun.err());
        assertTrue(secondRun.ok(), secondRun.err());
        assertEquals(catalogAfterFirstRun, catalogAfterSecondRun);
    }

    @Test
    void theCatalogHoldsExactlyTheModelsDatabaseSchemaAndDefaultPrivileges() throws Exception {
        // Per (kind, schema, object type, owner, grantee): the privileges PostgreSQL has recorded.
        String rows = ok(server.sql("postgres", DB, """
                SELECT 'GRANT|' || '|DATABASE||' || CASE WHEN a.grantee = 0 THEN 'public' ELSE a.grantee::regrole::text END
                       || '|' || a.privilege_type
                  FROM pg_database d, aclexplode(d.datacl) a WHERE d.datname = 'pgstac' AND a.grantee <> d.datdba
                UNION ALL
                SELECT 'GRANT|' || n.nspname || '|SCHEMA||' || CASE WHEN a.grantee = 0 THEN 'public' ELSE a.grantee::regrole::text END
                       || '|' || a.privilege_type
                  FROM pg_namespace n, aclexplode(n.nspacl) a
                 WHERE n.nspname IN ('public', 'ingest') AND a.grantee <> n.nspowner AND a.grantee <> 'pg_database_owner'::regrole
                UNION ALL
                SELECT 'DEFAULT|' || d.defaclnamespace::regnamespace || '|' || CASE d.defaclobjtype WHEN 'r' THEN 'TABLE' ELSE 'SEQUENCE' END
                       || '|' || d.defaclrole::regrole || '|' || a.grantee::regrole || '|' || a.privilege_type
                  FROM pg_default_acl d, aclexplode(d.defaclacl) a
                """)).out();
        Set<String> actual = new TreeSet<>(rows.isEmpty() ? List.of() : List.of(rows.split("\n")));

        Set<String> expected = new TreeSet<>();
        for (PrivilegeGrant grant : MODEL.privileges()) {
            boolean catalogEvidence = grant.objectType() == ObjectType.DATABASE || grant.objectType() == ObjectType.SCHEMA
                    || grant.kind() == Kind.DEFAULT;
            if (!catalogEvidence) {
                continue; // ALL TABLES/SEQUENCES grants: proven on existing tables below
            }
            for (String privilege : grant.privileges()) {
                expected.add(grant.kind() + "|" + (grant.schema() == null ? "" : grant.schema()) + "|" + grant.objectType()
                        + "|" + (grant.owner() == null ? "" : grant.owner()) + "|" + quoteIfNeeded(grant.role()) + "|" + privilege);
            }
        }
        assertEquals(expected, actual);
    }

    static String quoteIfNeeded(String role) {
        return role.matches("[a-z_][a-z0-9_]*") ? role : "\"" + role + "\"";
    }

    @Test
    void tablesThatExistedBeforeTheScriptAreCoveredToo() throws Exception {
        // spatial_ref_sys is created by CREATE EXTENSION postgis, before the grants.
        ok(server.sql(READER, DB, "SELECT count(*) FROM public.spatial_ref_sys"));
        denied(server.sql(READER, DB, "DELETE FROM public.spatial_ref_sys WHERE srid = 4326"), "permission denied");
    }

    @Test
    void theWriterInsertsCopiesUpdatesAndDeletes() throws Exception {
        ok(server.sql(WRITER, DB, "INSERT INTO ingest.items (name, geom) VALUES ('a', ST_SetSRID(ST_MakePoint(5.1, 52.1), 4326))"));
        ok(server.sql(WRITER, DB, "COPY ingest.items (name) FROM STDIN", "b\nc\n"));
        ok(server.sql(WRITER, DB, "UPDATE ingest.items SET name = 'a2' WHERE name = 'a'"));
        ok(server.sql(WRITER, DB, "DELETE FROM ingest.items WHERE name IN ('b', 'c')"));
        assertEquals("a2", ok(server.sql(WRITER, DB, "SELECT name FROM ingest.items ORDER BY id LIMIT 1")).out());
        ok(server.sql(WRITER, DB, "INSERT INTO public.collections VALUES ('sentinel-2')"));
    }

    /** Each statement with the exact refusal: a different error would not prove the privilege is missing. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "CREATE TABLE ingest.scratch (i int)            | permission denied for schema ingest",
            "CREATE TABLE public.scratch (i int)            | permission denied for schema public",
            "CREATE SCHEMA scratch                          | permission denied for database pgstac",
            "DROP TABLE ingest.items                        | must be owner of table items",
            "ALTER TABLE ingest.items ADD COLUMN extra int  | must be owner of table items",
            "TRUNCATE ingest.items                          | permission denied for table items",
            "CREATE INDEX items_name ON ingest.items (name) | must be owner of table items"})
    void theWriterCannotChangeTheSchema(String ddl, String refusal) throws Exception {
        denied(server.sql(WRITER, DB, ddl), refusal);
    }

    @Test
    void theReaderSelectsEvenTablesCreatedAfterTheScript() throws Exception {
        ok(server.sql(READER, DB, "SELECT count(*) FROM ingest.items"));
        ok(server.sql(READER, DB, "SELECT count(*) FROM public.collections"));
        ok(server.sql(READER, DB, "SELECT last_value FROM ingest.items_id_seq"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "INSERT INTO ingest.items (id, name) VALUES (1000, 'x') | permission denied for table items",
            "UPDATE ingest.items SET name = 'x'                    | permission denied for table items",
            "DELETE FROM ingest.items                              | permission denied for table items",
            "COPY ingest.items (id, name) FROM STDIN               | permission denied for table items",
            "CREATE TABLE public.scratch (i int)                   | permission denied for schema public",
            "TRUNCATE public.collections                           | permission denied for table collections",
            "SELECT nextval('ingest.items_id_seq')                 | permission denied for sequence items_id_seq"})
    void theReaderDoesNothingElse(String statement, String refusal) throws Exception {
        denied(server.sql(READER, DB, statement, "1001\tx\n"), refusal);
    }

    @Test
    void publicCannotConnectNorCreateInSchemaPublic() throws Exception {
        denied(server.sql("outsider", DB, "SELECT 1"), "permission denied for database");
        // Even with CONNECT granted on purpose, PUBLIC's rights on schema public are gone.
        ok(server.sql("postgres", DB, "GRANT CONNECT ON DATABASE pgstac TO outsider"));
        try {
            denied(server.sql("outsider", DB, "CREATE TABLE public.mine (i int)"), "permission denied for schema public");
        } finally {
            ok(server.sql("postgres", DB, "REVOKE CONNECT ON DATABASE pgstac FROM outsider"));
        }
    }

    @Test
    void postgisWorksForTheApplicationRoles() throws Exception {
        assertTrue(ok(server.sql(READER, DB, "SELECT PostGIS_Full_Version()")).out().startsWith("POSTGIS=\"3"));
        ok(server.sql(READER, DB, "SELECT ST_AsText(ST_Buffer(ST_MakePoint(0, 0), 1))"));
    }

    @Test
    void pgstacExtensionsAndRolesArePrepared() throws Exception {
        String extensions = ok(server.sql("postgres", DB,
                "SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension")).out();
        assertEquals("btree_gist,plpgsql,postgis,unaccent", extensions);
        for (String role : DatabaseModel.PGSTAC_ROLES) {
            assertEquals("f", ok(server.sql("postgres", DB, "SELECT rolcanlogin FROM pg_roles WHERE rolname = '" + role + "'")).out());
        }
        assertEquals("t", ok(server.sql(OWNER, DB, "SELECT pg_has_role('pgstac_admin', 'MEMBER')")).out());
        assertEquals("t", ok(server.sql(READER, DB, "SELECT pg_has_role('pgstac_read', 'MEMBER')")).out());
        assertEquals("f", ok(server.sql(READER, DB, "SELECT pg_has_role('pgstac_ingest', 'MEMBER')")).out());
    }

    @Test
    void theOwnerRunsMigrations() throws Exception {
        ok(server.sql(OWNER, DB, "SET ROLE pgstac_owner; CREATE TABLE ingest.migrated (i int); DROP TABLE ingest.migrated"));
        var owners = new HashSet<>(List.of(ok(server.sql("postgres", DB,
                "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'ingest'")).out().split("\n")));
        assertEquals(Set.of("pgstac_owner"), owners);
    }
}
