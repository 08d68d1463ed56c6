package dev.dataplatform.access;

import dev.dataplatform.access.PrivilegeGrant.Kind;
import dev.dataplatform.access.PrivilegeGrant.ObjectType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessModelTest {

    static Arguments bad(String description, Executable build, String fragment) {
        return Arguments.of(description, build, fragment);
    }

    static Stream<Arguments> badModels() {
        return Stream.of(
                bad("upper-case database", () -> new DatabaseModel("Catalog", List.of(), List.of(), false, List.of()),
                        "database name 'Catalog' is not valid; allowed: 1-63 characters"),
                bad("database starting with a digit", () -> new DatabaseModel("1db", List.of(), List.of(), false, List.of()),
                        "not starting with a digit"),
                bad("reserved database", () -> new DatabaseModel("postgres", List.of(), List.of(), false, List.of()),
                        "database name 'postgres' is reserved"),
                bad("pg_ prefix", () -> new DatabaseModel("pg_stuff", List.of(), List.of(), false, List.of()), "is reserved"),
                bad("bad schema", () -> new DatabaseModel("app", List.of("raw-data"), List.of(), false, List.of()),
                        "database 'app': schema 'raw-data' is not valid"),
                bad("duplicate schema", () -> new DatabaseModel("app", List.of("raw", "raw"), List.of(), false, List.of()),
                        "schema 'raw' is listed twice"),
                bad("bad extension", () -> new DatabaseModel("app", List.of(), List.of("post gis"), false, List.of()),
                        "extension 'post gis' is not valid"),
                bad("login with a space", () -> new Login("etl user", Access.WRITER), "login name 'etl user' is not valid"),
                bad("login without access", () -> new Login("etl", null), "access is required"),
                bad("login listed twice", () -> new DatabaseModel("app", List.of(), List.of(), false,
                        List.of(new Login("etl", Access.WRITER), new Login("etl", Access.READER))), "login 'etl' is listed twice"),
                bad("login named like a group role", () -> new DatabaseModel("app", List.of(), List.of(), false,
                        List.of(new Login("app_reader", Access.READER))), "clashes with a group role"),
                bad("login named like a pgstac role", () -> new DatabaseModel("app", List.of(), List.of(), true,
                        List.of(new Login("pgstac_read", Access.READER))), "clashes with a group role"),
                bad("login named like another database's role", () -> AccessModel.of(
                        new DatabaseModel("a", List.of(), List.of(), false, List.of(new Login("b_owner", Access.OWNER))),
                        new DatabaseModel("b", List.of(), List.of(), false, List.of())), "login 'b_owner' clashes"),
                bad("database listed twice", () -> AccessModel.of(
                        new DatabaseModel("a", List.of(), List.of(), false, List.of()),
                        new DatabaseModel("a", List.of(), List.of(), false, List.of())), "database 'a' is listed twice"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badModels")
    void badModelsAreRejected(String description, Executable build, String fragment) {
        var error = assertThrows(IllegalArgumentException.class, build);
        assertTrue(error.getMessage().contains(fragment), description + ": " + error.getMessage());
    }

    static Set<String> privilegesOf(AccessModel model, Kind kind, ObjectType type, String schema, String role) {
        return model.privileges().stream()
                .filter(g -> g.kind() == kind && g.objectType() == type && g.role().equals(role)
                        && java.util.Objects.equals(g.schema(), schema))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + type + " for " + role)).privileges();
    }

    @Test
    void publicKeepsNothing() {
        var model = Models.catalog();
        assertEquals(Set.of(), privilegesOf(model, Kind.GRANT, ObjectType.DATABASE, null, "public"));
        assertEquals(Set.of(), privilegesOf(model, Kind.GRANT, ObjectType.SCHEMA, "public", "public"));
    }

    @Test
    void readerSelectsWriterWritesWithoutDdl() {
        var model = Models.catalog();
        for (String schema : List.of("public", "ingest")) {
            assertEquals(Set.of("SELECT"), privilegesOf(model, Kind.GRANT, ObjectType.TABLE, schema, "pgstac_reader"));
            assertEquals(Set.of("SELECT", "INSERT", "UPDATE", "DELETE"),
                    privilegesOf(model, Kind.GRANT, ObjectType.TABLE, schema, "pgstac_writer"));
            assertEquals(Set.of("USAGE"), privilegesOf(model, Kind.GRANT, ObjectType.SCHEMA, schema, "pgstac_writer"));
            assertEquals(Set.of("SELECT"), privilegesOf(model, Kind.DEFAULT, ObjectType.TABLE, schema, "pgstac_reader"));
            assertEquals(Set.of("SELECT", "USAGE"), privilegesOf(model, Kind.DEFAULT, ObjectType.SEQUENCE, schema, "pgstac_writer"));
        }
        assertTrue(model.privileges().stream().noneMatch(g -> g.privileges().contains("CREATE")
                || g.privileges().contains("TRUNCATE")), "nobody is granted CREATE or TRUNCATE");
        assertTrue(model.privileges().stream().filter(g -> g.kind() == Kind.DEFAULT)
                .allMatch(g -> g.owner().equals("pgstac_owner")), "default privileges are for objects the owner creates");
    }

    @Test
    void pgstacAddsItsExtensionsAndRoles() {
        var db = Models.catalog().databases().get(0);
        assertEquals(List.of("postgis", "btree_gist", "unaccent"), db.allExtensions());
        assertEquals(List.of("pgstac_owner", "pgstac_writer", "pgstac_reader", "pgstac_admin", "pgstac_ingest", "pgstac_read"),
                Models.catalog().groupRoles());
        assertTrue(Models.catalog().memberships().containsAll(List.of(
                new DatabaseModel.Membership("pgstac_owner", "pgstac_admin"),
                new DatabaseModel.Membership("pgstac_writer", "pgstac_ingest"),
                new DatabaseModel.Membership("pgstac_reader", "pgstac_read"),
                new DatabaseModel.Membership("migrator", "pgstac_owner"),
                new DatabaseModel.Membership("ingest", "pgstac_writer"),
                new DatabaseModel.Membership("api@acme-data.iam", "pgstac_reader"))));
    }

    @Test
    void aLoginSharedByTwoDatabasesIsDeclaredOnce() {
        var model = Models.twoDatabases();
        assertEquals(List.of("migrator", "etl"), model.loginRoles());
        assertTrue(model.memberships().contains(new DatabaseModel.Membership("etl", "metadata_writer")));
        assertTrue(model.memberships().contains(new DatabaseModel.Membership("etl", "tiles_reader")));
    }

    @Test
    void sqlQuotesEveryNameAndRevokesBeforeGranting() {
        var statements = SqlScript.statements(Models.catalog());
        assertTrue(statements.contains("REVOKE ALL ON DATABASE \"pgstac\" FROM PUBLIC;"), statements.toString());
        assertTrue(statements.contains("REVOKE ALL ON SCHEMA \"public\" FROM PUBLIC;"), statements.toString());
        assertTrue(statements.contains("REVOKE ALL ON ALL TABLES IN SCHEMA \"ingest\" FROM \"pgstac_reader\"; "
                + "GRANT SELECT ON ALL TABLES IN SCHEMA \"ingest\" TO \"pgstac_reader\";"), statements.toString());
        String script = SqlScript.render(Models.catalog());
        assertTrue(script.contains("CREATE ROLE \"api@acme-data.iam\" LOGIN NOCREATEDB NOCREATEROLE INHERIT NOSUPERUSER"), script);
        assertTrue(script.contains("\\gexec"), "database creation is conditional");
    }
}
