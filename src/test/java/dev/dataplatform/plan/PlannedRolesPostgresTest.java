package dev.dataplatform.plan;

import dev.dataplatform.access.Names;
import dev.dataplatform.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static dev.dataplatform.plan.StackPlans.inputs;
import static dev.dataplatform.plan.StackPlans.options;
import static dev.dataplatform.testing.PostgresServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Role and GrantRole of every committed stack's plan, created on a real PostgreSQL 15 with the statements
 * terraform-provider-postgresql issues (ff936b9: {@code resource_postgresql_role.go} create — {@code CREATE ROLE ...
 * WITH VALID UNTIL ... CONNECTION LIMIT ... [NO]SUPERUSER [NO]CREATEDB [NO]CREATEROLE [NO]INHERIT [NO]LOGIN
 * [NO]BYPASSRLS [NO]REPLICATION} then {@code GRANT r TO role} per {@code roles}, in one transaction;
 * {@code resource_postgresql_grant_role.go} create — {@code REVOKE g FROM role; GRANT g TO role}), as the managed
 * admin the provider logs in as:
 * <ul>
 *   <li>Cloud SQL-like: the admin is no superuser, a member of a {@code cloudsqlsuperuser} stand-in (NOLOGIN CREATEROLE
 *       CREATEDB) with CREATEROLE CREATEDB itself; IAM users are created beforehand by a superuser, as the Cloud SQL API
 *       does. The throwaway server's superuser is already called {@code postgres}, so the stand-in admin is
 *       {@code cloudsql_admin} and GrantRoles naming the provider's user {@code postgres} are run for it.</li>
 *   <li>RDS-like: the master user {@code platform_admin} (LOGIN CREATEROLE CREATEDB) is a member of an
 *       {@code rds_superuser} stand-in; {@code rds_iam} is a NOLOGIN stand-in.</li>
 * </ul>
 * One server for the class; each server of each stack starts from no roles of its own and is cleaned up after.
 */
class PlannedRolesPostgresTest {
    static final String CLOUD_SQL_ADMIN = "cloudsql_admin";
    static PostgresServer server;

    @BeforeAll
    static void start() throws Exception {
        server = PostgresServer.startOrSkip();
        ok(server.script("postgres", "postgres", """
                CREATE ROLE cloudsqlsuperuser NOLOGIN CREATEROLE CREATEDB;
                CREATE ROLE cloudsql_admin LOGIN CREATEROLE CREATEDB IN ROLE cloudsqlsuperuser;
                CREATE ROLE rds_superuser NOLOGIN CREATEROLE CREATEDB;
                CREATE ROLE rds_iam NOLOGIN;
                CREATE ROLE platform_admin LOGIN CREATEROLE CREATEDB IN ROLE rds_superuser;
                """));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void postgresqlRefusesReservedNamesAndTruncatesLongOnes() throws Exception {
        var reserved = server.sql(CLOUD_SQL_ADMIN, "postgres", "CREATE ROLE \"pg_backup\" LOGIN");
        assertFalse(reserved.ok());
        assertTrue(reserved.err().contains("role name \"pg_backup\" is reserved"), reserved.err());
        assertTrue(Names.roleNameProblem("pg_backup").isPresent());
        // 64 bytes become the first 63: two such names would be one role.
        String longName = "r".repeat(64);
        ok(server.sql("postgres", "postgres", "CREATE ROLE \"" + longName + "\""));
        assertEquals("r".repeat(63), ok(server.sql("postgres", "postgres",
                "SELECT rolname FROM pg_roles WHERE rolname LIKE 'rrrr%'")).out());
        ok(server.sql("postgres", "postgres", "DROP ROLE \"" + "r".repeat(63) + "\""));
        assertTrue(Names.roleNameProblem(longName).isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void everyPlannedRoleIsCreatedAsTheManagedAdmin(String stack) throws Exception {
        var servers = new LinkedHashMap<String, String>(); // provider URN -> scheme
        StackPlans.resources(stack, "pulumi:providers:postgresql").forEach(p ->
                servers.put((String) p.get("urn"), String.valueOf(inputs(p).get("scheme"))));
        assertFalse(servers.isEmpty(), stack);
        int created = 0;
        for (String scheme : new LinkedHashSet<>(servers.values())) {
            created += createOn(stack, scheme, servers);
        }
        assertTrue(created >= 10, stack + ": " + created);
    }

    /** Creates the Roles and GrantRoles of the providers with this scheme (one server), checks them, drops them. */
    private int createOn(String stack, String scheme, Map<String, String> servers) throws Exception {
        boolean cloudSql = scheme.equals("gcppostgres");
        assertTrue(cloudSql || scheme.equals("awspostgres"), scheme);
        String admin = cloudSql ? CLOUD_SQL_ADMIN : "platform_admin";
        var mine = servers.entrySet().stream().filter(e -> e.getValue().equals(scheme)).map(Map.Entry::getKey).toList();
        var providerUsers = StackPlans.resources(stack, "pulumi:providers:postgresql").stream()
                .filter(p -> mine.contains(p.get("urn"))).map(p -> String.valueOf(inputs(p).get("username"))).toList();
        var roles = StackPlans.resources(stack, ProviderRefreshModel.ROLE).stream()
                .filter(r -> mine.contains(options(r).get("provider"))).toList();
        var grants = StackPlans.resources(stack, ProviderRefreshModel.GRANT_ROLE).stream()
                .filter(r -> mine.contains(options(r).get("provider"))).toList();
        var roleNames = roles.stream().map(r -> (String) inputs(r).get("name")).toList();
        var created = new ArrayList<String>();
        try {
            // Logins someone else creates (Cloud SQL IAM users through the Cloud SQL API; on Cloud SQL the restore
            // drill's login, which a DBA creates and the admin then joins): every GrantRole end the plan does not create
            // and the server does not have yet.
            var existing = List.of(server.sql("postgres", "postgres", "SELECT rolname FROM pg_roles").out().split("\\R"));
            for (var grant : grants) {
                for (String end : List.of((String) inputs(grant).get("role"), (String) inputs(grant).get("grantRole"))) {
                    if (!roleNames.contains(end) && !providerUsers.contains(end) && !created.contains(end)
                            && !existing.contains(end)) {
                        created.add(end);
                    }
                }
            }
            var external = new StringBuilder();
            created.forEach(member -> external.append("CREATE ROLE ").append(Names.quote(member)).append(" LOGIN;\n"));
            if (!created.isEmpty()) {
                ok(server.script("postgres", "postgres", external.toString()));
            }
            // One psql run per server (the test stays fast); each resource in its own transaction, as the provider does.
            var script = new StringBuilder();
            for (var role : roles) {
                var in = inputs(role);
                String name = (String) in.get("name");
                assertFalse(name.startsWith("pg_"), stack + ": " + name);
                script.append("BEGIN;\n").append(createRole(in)).append("COMMIT;\n");
            }
            var result = server.script(admin, "postgres", script.toString());
            // Drop whatever was created, also when a statement failed part-way.
            created.addAll(roleNames);
            assertTrue(result.ok(), stack + " (" + scheme + "): creating the Roles as " + admin + ": " + result.err());
            var expected = new TreeSet<String>();
            for (var role : roles) {
                if (inputs(role).get("roles") instanceof List<?> own) {
                    own.forEach(r -> expected.add(inputs(role).get("name") + " in " + r));
                }
            }
            var memberships = new StringBuilder();
            for (var grant : grants) {
                var in = inputs(grant);
                String member = providerUsers.contains(in.get("role")) ? admin : (String) in.get("role");
                String group = Names.quote((String) in.get("grantRole"));
                memberships.append("BEGIN;\nREVOKE ").append(group).append(" FROM ").append(Names.quote(member)).append(";\nGRANT ")
                        .append(group).append(" TO ").append(Names.quote(member))
                        .append(Boolean.TRUE.equals(in.get("withAdminOption")) ? " WITH ADMIN OPTION" : "").append(";\nCOMMIT;\n");
                expected.add(member + " in " + in.get("grantRole"));
            }
            var granted = server.script(admin, "postgres", memberships.toString());
            assertTrue(granted.ok(), stack + " (" + scheme + "): the GrantRoles as " + admin + ": " + granted.err());
            // What the server now holds: every role with its attributes, every membership.
            var expectedRoles = new TreeSet<String>();
            for (var role : roles) {
                var in = inputs(role);
                expectedRoles.add(in.get("name") + "|" + flag(in, "login") + "|" + flag(in, "createRole") + "|" + flag(in, "createDatabase") + "|f");
            }
            String names = String.join(", ", roleNames.stream().map(Names::literal).toList());
            var actualRoles = new TreeSet<>(List.of(ok(server.sql("postgres", "postgres", "SELECT rolname || '|' || rolcanlogin || '|' "
                    + "|| rolcreaterole || '|' || rolcreatedb || '|' || rolsuper FROM pg_roles WHERE rolname IN (" + names + ")"))
                    .out().replace("true", "t").replace("false", "f").split("\n")));
            assertEquals(expectedRoles, actualRoles, stack + " (" + scheme + ")");
            var actual = new TreeSet<>(List.of(ok(server.sql("postgres", "postgres", """
                    SELECT m.rolname || ' in ' || g.rolname FROM pg_auth_members a
                    JOIN pg_roles m ON m.oid = a.member JOIN pg_roles g ON g.oid = a.roleid""")).out().split("\n")));
            assertTrue(actual.containsAll(expected), "missing: " + new TreeSet<>(expected) + " vs " + actual);
            return roles.size();
        } finally {
            java.util.Collections.reverse(created);
            var drop = new StringBuilder();
            created.forEach(name -> drop.append("DROP ROLE IF EXISTS ").append(Names.quote(name)).append(";\n"));
            server.script("postgres", "postgres", drop.toString());
        }
    }

    private static String flag(Map<String, Object> in, String attribute) {
        return Boolean.TRUE.equals(in.get(attribute)) ? "t" : "f";
    }

    /** The provider's create of a Role (resource_postgresql_role.go resourcePostgreSQLRoleCreate; no password here). */
    static String createRole(Map<String, Object> in) {
        var sql = new StringBuilder("CREATE ROLE ").append(Names.quote((String) in.get("name"))).append(" WITH");
        String validUntil = (String) in.getOrDefault("validUntil", "infinity");
        sql.append(" VALID UNTIL '").append(validUntil.isEmpty() ? "infinity" : validUntil).append("'");
        sql.append(" CONNECTION LIMIT ").append(((Number) in.getOrDefault("connectionLimit", -1.0)).intValue());
        sql.append(bool(in, "superuser", false, "SUPERUSER", "NOSUPERUSER"));
        sql.append(bool(in, "createDatabase", false, "CREATEDB", "NOCREATEDB"));
        sql.append(bool(in, "createRole", false, "CREATEROLE", "NOCREATEROLE"));
        sql.append(bool(in, "inherit", true, "INHERIT", "NOINHERIT"));
        sql.append(bool(in, "login", false, "LOGIN", "NOLOGIN"));
        sql.append(bool(in, "bypassRowLevelSecurity", false, "BYPASSRLS", "NOBYPASSRLS"));
        sql.append(bool(in, "replication", false, "REPLICATION", "NOREPLICATION"));
        sql.append(";\n");
        if (in.get("roles") instanceof List<?> roles) {
            roles.forEach(r -> sql.append("GRANT ").append(Names.quote((String) r)).append(" TO ")
                    .append(Names.quote((String) in.get("name"))).append(";\n"));
        }
        return sql.toString();
    }

    private static String bool(Map<String, Object> in, String attribute, boolean unset, String on, String off) {
        Object value = in.get(attribute);
        return " " + ((value == null ? unset : Boolean.TRUE.equals(value)) ? on : off);
    }
}
