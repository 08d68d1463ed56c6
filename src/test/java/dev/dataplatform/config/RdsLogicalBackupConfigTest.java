package dev.dataplatform.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.dataplatform.config.LogicalBackupConfigTest.committed;
import static dev.dataplatform.config.LogicalBackupConfigTest.edited;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** data-platform:rds.logicalBackups on the committed stage file, and each bad input refused with file, key and what is allowed. */
class RdsLogicalBackupConfigTest {
    static final String KEY = "data-platform:rds.logicalBackups";

    @Test
    void stageBacksUpEveryRdsDatabaseAndDrillsWeekly() throws Exception {
        var rds = PlatformConfigParserTest.parse("stage", committed("stage")).rds().orElseThrow().logicalBackups();
        assertEquals(List.of("metadata", "dagster", "polaris"), rds.databases());
        assertEquals("acme-lake-stage-pg-dumps", rds.bucket());
        assertEquals("rds/stage", rds.prefix());
        assertEquals(14, rds.retentionDays());
        assertEquals("dp_backup", rds.login());
        assertEquals("0 5 * * 1", rds.restoreDrill().schedule());
        assertNull(rds.restoreDrill().run());
        assertEquals("dp_restore_drill", rds.restoreDrill().login());
        assertEquals(Map.of("dagster", List.of("public.runs")), rds.restoreDrill().tables());
        // The IRSA trust is the EKS cluster's the CronJobs run on (data-platform:clusters), tenants or not.
        assertEquals("210987654321", rds.accountId());
        assertEquals("oidc.eks.eu-west-1.amazonaws.com/id/5A1B2C3D4E5F60718293A4B5C6D7E8F9", rds.oidcProvider());
        // Prod dumps its one RDS database nightly, keeps 30 days and drills only on demand.
        var prod = PlatformConfigParserTest.parse("prod", committed("prod")).rds().orElseThrow().logicalBackups();
        assertEquals(List.of("metadata"), prod.databases());
        assertEquals("acme-lake-prod-rds-pg-dumps", prod.bucket());
        assertEquals("rds/prod", prod.prefix());
        assertEquals(30, prod.retentionDays());
        assertEquals("30 1 * * *", prod.schedule());
        assertNull(prod.restoreDrill());
        assertEquals("123456789012", prod.accountId());
    }

    @Test
    void anOnDemandDrillAndDefaults() throws Exception {
        var yaml = edited("stage", "        schedule: \"0 5 * * 1\"\n", "        run: \"2026-12-01\"\n")
                .replace("      retentionDays: 14\n", "").replace("      schedule: \"15 2 * * *\"\n", "");
        var rds = PlatformConfigParserTest.parse("stage", yaml).rds().orElseThrow().logicalBackups();
        assertEquals("2026-12-01", rds.restoreDrill().run());
        assertNull(rds.restoreDrill().schedule());
        assertEquals(14, rds.retentionDays());
        assertEquals("30 1 * * *", rds.schedule());
    }

    @org.junit.jupiter.api.Test
    void withoutTenantsTheIdentityStillComesFromTheCluster() throws Exception {
        var rds = PlatformConfigParserTest.parse("stage", withoutTenants()).rds().orElseThrow().logicalBackups();
        assertEquals("210987654321", rds.accountId());
        assertEquals("oidc.eks.eu-west-1.amazonaws.com/id/5A1B2C3D4E5F60718293A4B5C6D7E8F9", rds.oidcProvider());
    }

    /** The stage file without data-platform:tenants (so no tenants.aws to take the EKS identity from). */
    static String withoutTenants() throws Exception {
        String text = committed("stage");
        int start = text.indexOf("  data-platform:tenants:\n");
        int end = text.indexOf("  # Dagster on the stage");
        assertTrue(start > 0 && end > start, "the stage file's tenants section moved");
        return text.substring(0, start) + text.substring(end);
    }

    static Stream<Arguments> badInputs() throws Exception {
        String schedule = "      schedule: \"15 2 * * *\"\n";
        String retention = "      retentionDays: 14\n";
        String drillSchedule = "        schedule: \"0 5 * * 1\"\n";
        String tables = "        tables: [\"dagster:public.runs\"]\n";
        String cidr = "      databaseCidr: 10.30.0.0/16\n";
        return Stream.of(
                Arguments.of(edited("stage", schedule, "      schedule: \"every night\"\n"),
                        KEY + ".schedule", "is not a 5-field cron expression; allowed: 5 fields"),
                Arguments.of(edited("stage", schedule, "      schedule: \"15 2 * * 8\"\n"),
                        KEY + ".schedule", "day of week value 8 is out of range 0-7"),
                Arguments.of(edited("stage", drillSchedule, "        schedule: \"0 5 * * MON\"\n"),
                        KEY + ".restoreDrill.schedule", "is not valid; allowed: 5 fields"),
                Arguments.of(edited("stage", retention, "      retentionDays: 3\n"),
                        KEY + ".retentionDays", "3 is shorter than stage allows; allowed: 7 to 3650 days"),
                Arguments.of(edited("stage", retention, retention + "      databases: [metadata, warehouse]\n"),
                        KEY + ".databases", "database 'warehouse' is not a data-platform:rds database; allowed: metadata, dagster"),
                Arguments.of(edited("stage", "      bucket: acme-lake-stage-pg-dumps\n", "      bucket: Acme_Dumps\n"),
                        KEY + ".bucket", "allowed"),
                Arguments.of(edited("stage", cidr, ""), KEY + ".databaseCidr", "is required"),
                Arguments.of(edited("stage", cidr, "      databaseCidr: 8.8.8.0/24\n"), KEY + ".databaseCidr", "allowed"),
                Arguments.of(edited("stage", cidr, cidr + "      login: dagster_instance\n"),
                        KEY + ".login", "'dagster_instance' is already a login of data-platform:rds.databases; allowed: a login of its own"),
                Arguments.of(edited("stage", tables, tables + "        login: dp_backup\n"),
                        KEY + ".restoreDrill.login", "'dp_backup' is the backup login; allowed: a login of its own"),
                Arguments.of(edited("stage", drillSchedule, drillSchedule + "        run: \"2026-12-01\"\n"),
                        KEY + ".restoreDrill.schedule", "give exactly one of schedule"),
                Arguments.of(edited("stage", drillSchedule, ""),
                        KEY + ".restoreDrill.schedule", "give exactly one of schedule"),
                Arguments.of(edited("stage", tables, "        tables: [\"lake:items\"]\n"),
                        KEY + ".restoreDrill.tables", "'lake:items' names database 'lake', which is not backed up; allowed: metadata, dagster"),
                Arguments.of(edited("stage", cidr, cidr + "      alarmTopicArn: alerts\n"),
                        KEY + ".alarmTopicArn", "allowed: an SNS topic ARN"),
                Arguments.of(edited("stage", cidr, cidr + "      alarmTopicArn: arn:aws:sns:eu-west-1:210987654321:alerts\n")
                                .replace(schedule, "      schedule: \"15 2 1 * *\"\n"),
                        KEY + ".schedule", "runs less often than weekly, which the alarms cannot watch"),
                Arguments.of(edited("stage", cidr, cidr + "      retention: 3\n"), KEY + ".retention", "retentionDays"),
                Arguments.of(edited("stage", cidr, cidr + "      aws: {accountId: \"123456789012\", oidcProvider: "
                                + "oidc.eks.eu-west-1.amazonaws.com/id/5A1B2C3D4E5F60718293A4B5C6D7E8F9}\n"),
                        KEY + ".aws", "names another identity than cluster 'stage-eks'"),
                Arguments.of(edited("stage", cidr, cidr + "      aws: {accountId: \"12\", oidcProvider: oidc.example}\n"),
                        KEY + ".aws.accountId", "allowed"));
    }

    @ParameterizedTest(name = "[{index}] {1}: {2}")
    @MethodSource("badInputs")
    void badInputIsRefusedWithFileKeyPathAndWhatIsAllowed(String yaml, String path, String fragment) {
        ConfigRefusals.assertRefused("stage", yaml, path, fragment);
    }
}
