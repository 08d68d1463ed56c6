package dev.dataplatform.config;

import dev.dataplatform.access.Names;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.dataplatform.config.LogicalBackupConfigTest.edited;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every login, role and group name in config goes through one check ({@link Names#roleNameProblem}): PostgreSQL
 * refuses {@code CREATE ROLE} for names starting with {@code pg_} and keeps only 63 bytes of a name.
 */
class RoleNamesConfigTest {
    static final String RESERVED = "starts with 'pg_', which PostgreSQL reserves";
    static final String LONG = "bytes in UTF-8; PostgreSQL keeps only the first 63 bytes";

    @Test
    void theCheckItself() {
        assertEquals(java.util.Optional.empty(), Names.roleNameProblem("dp_backup"));
        assertTrue(Names.roleNameProblem("pg_backup").orElseThrow().contains("e.g. dp_backup"));
        assertEquals(java.util.Optional.empty(), Names.roleNameProblem("a".repeat(63)));
        assertTrue(Names.roleNameProblem("a".repeat(64)).orElseThrow().contains("is 64 " + LONG));
        // Bytes, not characters: 32 two-byte letters are 64 bytes.
        assertTrue(Names.roleNameProblem("é".repeat(32)).orElseThrow().contains("is 64 " + LONG));
        assertEquals(java.util.Optional.empty(), Names.roleNameProblem("é".repeat(31)));
        // A database's group roles are role names too: D_writer must fit.
        assertEquals(java.util.Optional.empty(), Names.databaseProblem("d".repeat(Names.MAX_DATABASE_NAME_BYTES)));
        assertTrue(Names.databaseProblem("d".repeat(Names.MAX_DATABASE_NAME_BYTES + 1)).orElseThrow().contains(LONG));
        assertTrue(Names.databaseProblem("pg_stac").orElseThrow().contains(RESERVED));
    }

    static Stream<Arguments> reservedOrTooLong() throws Exception {
        String long60 = "l".repeat(60);
        return Stream.of(
                // Cloud SQL: logins and database names (whose group roles are D_owner, D_writer, D_reader).
                Arguments.of("dev", edited("dev", "          - name: pgstac_migrator\n", "          - name: pg_migrator\n"),
                        "data-platform:cloudSql.databases[0].logins[0].name", RESERVED),
                Arguments.of("dev", edited("dev", "      - name: pgstac\n", "      - name: pg_stac\n"),
                        "data-platform:cloudSql.databases[0].name", RESERVED),
                Arguments.of("dev", edited("dev", "      - name: marquez\n", "      - name: " + long60 + "\n"),
                        "data-platform:cloudSql.databases[2].name", "'" + long60 + "_owner' is 66 " + LONG),
                // The workload's IAM database user <account>@<project>.iam is a role name too.
                Arguments.of("dev", edited("dev", "        serviceAccountId: data-workloads\n",
                                "        serviceAccountId: " + "w".repeat(30) + "\n")
                                .replace("project: acme-data-dev\n", "project: acme-data-dev-" + "p".repeat(16) + "\n"),
                        "data-platform:cloudSql.workloads.dagster.serviceAccountId", "gives the IAM database user"),
                // RDS: logins, master user, proxy logins, backup and drill logins.
                Arguments.of("stage", edited("stage", "          - name: dagster_instance\n", "          - name: pg_dagster\n"),
                        "data-platform:rds.databases[1].logins[0].name", RESERVED),
                Arguments.of("stage", edited("stage", "    ssmParameterName: /data-platform/stage/database/connection\n",
                                "    ssmParameterName: /data-platform/stage/database/connection\n    masterUsername: pg_admin\n"),
                        "data-platform:rds.masterUsername", RESERVED),
                Arguments.of("stage", edited("stage", "        - username: metadata_app\n", "        - username: pg_reporting\n"),
                        "data-platform:rds.proxy.loginSecrets[0].username", RESERVED),
                Arguments.of("stage", edited("stage", "      databaseCidr: 10.30.0.0/16\n",
                                "      databaseCidr: 10.30.0.0/16\n      login: pg_backup\n"),
                        "data-platform:rds.logicalBackups.login", "e.g. dp_backup"),
                Arguments.of("stage", edited("stage", "        schedule: \"0 5 * * 1\"\n",
                                "        schedule: \"0 5 * * 1\"\n        login: pg_restore_drill\n"),
                        "data-platform:rds.logicalBackups.restoreDrill.login", "e.g. dp_restore_drill"),
                // Cloud SQL backup and drill logins.
                Arguments.of("dev", edited("dev", "    login: dp_backup\n", "    login: pg_backup\n"),
                        "data-platform:logicalBackups.login", RESERVED),
                Arguments.of("dev", edited("dev", "      login: dp_restore_drill\n", "      login: pg_restore_drill\n"),
                        "data-platform:logicalBackups.restoreDrill.login", RESERVED),
                // Workloads' logins: Dagster, Marquez, Polaris.
                Arguments.of("dev", edited("dev", "      login: dagster\n", "      login: pg_dagster\n"),
                        "data-platform:dagster.database.login", RESERVED),
                Arguments.of("dev", edited("dev", "      user: marquez\n", "      user: pg_marquez\n"),
                        "data-platform:observability.marquez.user", RESERVED),
                Arguments.of("dev", edited("dev", "      login: polaris\n", "      login: pg_polaris\n"),
                        "data-platform:icebergCatalog.database.login", RESERVED),
                // StackGres tenants: the database's group roles.
                Arguments.of("stage", edited("stage", "      - name: globex\n        extensions: [postgis]\n",
                                "      - name: globex\n        database: pg_globex\n        extensions: [postgis]\n"),
                        "data-platform:tenants.clients[0].database", RESERVED),
                Arguments.of("stage", edited("stage", "      - name: globex\n        extensions: [postgis]\n",
                                "      - name: globex\n        database: " + long60 + "\n        extensions: [postgis]\n"),
                        "data-platform:tenants.clients[0].database", LONG),
                // Without database, the client's name names the database (and so its group roles).
                Arguments.of("stage", edited("stage", "      - name: globex\n        extensions: [postgis]\n",
                                "      - name: pg-globex\n        extensions: [postgis]\n"),
                        "data-platform:tenants.clients[0].name", "names the database 'pg_globex'"));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("reservedOrTooLong")
    void everyRoleNameInConfigIsChecked(String stack, String yaml, String path, String fragment) {
        ConfigRefusals.assertRefused(stack, yaml, path, fragment);
    }
}
