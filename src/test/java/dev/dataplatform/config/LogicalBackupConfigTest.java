package dev.dataplatform.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** data-platform:logicalBackups on the committed stack files, and each bad input refused with file, key and what is allowed. */
class LogicalBackupConfigTest {
    static String committed(String stack) throws Exception {
        // The committed files keep the admin password in Secret Manager (cloudSql.adminPasswordSecretId).
        return Files.readString(Path.of("../Pulumi." + stack + ".yaml"));
    }

    /** The committed stack file with one line replaced (the line must be there). */
    static String edited(String stack, String line, String replacement) throws Exception {
        String text = committed(stack);
        assertTrue(text.contains(line), "Pulumi." + stack + ".yaml has no line " + line);
        return text.replace(line, replacement);
    }

    @Test
    void theCommittedStacksBackUpEveryCloudSqlDatabase() throws Exception {
        var dev = PlatformConfigParserTest.parse("dev", committed("dev")).logicalBackups().orElseThrow();
        assertEquals(List.of("pgstac", "dagster", "marquez", "polaris"), dev.databases());
        assertEquals("acme-lake-dev-pg-dumps", dev.bucket());
        assertEquals("cloudsql/dev", dev.prefix());
        assertEquals(7, dev.retentionDays());
        assertEquals("2026-12-01", dev.restoreDrill().run());
        assertEquals(Map.of("pgstac", List.of("pgstac.items"), "dagster", List.of("runs")), dev.restoreDrill().tables());
        var prod = PlatformConfigParserTest.parse("prod", committed("prod")).logicalBackups().orElseThrow();
        assertEquals(35, prod.retentionDays());
        assertNull(prod.restoreDrill(), "prod runs the drill on demand");
        assertTrue(PlatformConfigParserTest.parse("stage", committed("stage")).logicalBackups().isEmpty());
    }

    @Test
    void defaultsComeFromTheEnvironment() throws Exception {
        var dev = PlatformConfigParserTest.parse("dev", edited("dev", "    retentionDays: 7\n", "")
                .replace("    schedule: \"30 1 * * *\"\n", "")).logicalBackups().orElseThrow();
        assertEquals(7, dev.retentionDays());
        assertEquals("30 1 * * *", dev.schedule());
        var prod = PlatformConfigParserTest.parse("prod", edited("prod", "    retentionDays: 35\n", "")).logicalBackups().orElseThrow();
        assertEquals(35, prod.retentionDays());
    }

    static Stream<Arguments> badInputs() throws Exception {
        return Stream.of(
                Arguments.of("dev", edited("dev", "    schedule: \"30 1 * * *\"\n", "    schedule: \"daily at one\"\n"),
                        "data-platform:logicalBackups.schedule", "is not a 5-field cron expression; allowed: 5 fields"),
                Arguments.of("prod", edited("prod", "    schedule: \"30 1 * * *\"\n", "    schedule: \"30 25 * * *\"\n"),
                        "data-platform:logicalBackups.schedule", "hour value 25 is out of range 0-23"),
                Arguments.of("dev", edited("dev", "    schedule: \"30 1 * * *\"\n", "    schedule: \"@daily\"\n"),
                        "data-platform:logicalBackups.schedule", "allowed: 5 fields"),
                Arguments.of("prod", edited("prod", "    retentionDays: 35\n", "    retentionDays: 7\n"),
                        "data-platform:logicalBackups.retentionDays", "7 is shorter than prod allows; allowed: 30 to 3650 days"),
                Arguments.of("dev", edited("dev", "    retentionDays: 7\n", "    retentionDays: 0\n"),
                        "data-platform:logicalBackups.retentionDays", "1"),
                Arguments.of("dev", edited("dev", "    bucket: acme-lake-dev-pg-dumps\n", "    bucket: Acme_Dumps\n"),
                        "data-platform:logicalBackups.bucket", "allowed"),
                Arguments.of("dev", edited("dev", "    prefix: cloudsql/dev\n", "    prefix: /cloudsql/\n"),
                        "data-platform:logicalBackups.prefix", "no leading or trailing '/'"),
                Arguments.of("dev", edited("dev", "    retentionDays: 7\n", "    retentionDays: 7\n    databases: [pgstac, warehouse]\n"),
                        "data-platform:logicalBackups.databases", "database 'warehouse' is not a data-platform:cloudSql database; allowed: pgstac, dagster, marquez, polaris"),
                Arguments.of("dev", edited("dev", "    login: dp_backup\n", ""),
                        "data-platform:logicalBackups.login", "is required"),
                Arguments.of("dev", edited("dev", "      run: \"2026-12-01\"\n", "      run: \"Run One\"\n"),
                        "data-platform:logicalBackups.restoreDrill.run", "a new value runs a new drill"),
                Arguments.of("dev", edited("dev", "\n      - name: marquez\n", "\n      - name: marquez_lineage_events_and_datasets_archive\n"),
                        "data-platform:logicalBackups.restoreDrill.run", "longer than 63 characters"),
                Arguments.of("dev", edited("dev", "      tables: [\"pgstac:pgstac.items\", \"dagster:runs\"]\n",
                                "      tables: [\"lake:items\"]\n"),
                        "data-platform:logicalBackups.restoreDrill.tables", "'lake:items' names database 'lake', which is not backed up; allowed: pgstac, dagster, marquez, polaris"),
                Arguments.of("dev", edited("dev", "      tables: [\"pgstac:pgstac.items\", \"dagster:runs\"]\n",
                                "      tables: [\"items\"]\n"),
                        "data-platform:logicalBackups.restoreDrill.tables[0]", "allowed: <database>:<table> or <database>:<schema>.<table>"),
                Arguments.of("dev", edited("dev", "    passwordKey: pg-backup-password-dev\n", "    passwordKey: pg-backup-password-dev\n    retention: 3\n"),
                        "data-platform:logicalBackups.retention", "retentionDays"),
                Arguments.of("stage", committed("stage") + "  data-platform:logicalBackups:\n    bucket: acme-stage-dumps\n"
                                + "    login: dp_backup\n    passwordStore: gcp-secret-manager\n    passwordKey: k\n",
                        "data-platform:logicalBackups", "needs data-platform:cloudSql"));
    }

    @ParameterizedTest(name = "[{index}] {2}: {3}")
    @MethodSource("badInputs")
    void badInputIsRefusedWithFileKeyPathAndWhatIsAllowed(String stack, String yaml, String path, String fragment) {
        ConfigRefusals.assertRefused(stack, yaml, path, fragment);
    }
}
