package dev.dataplatform.backup;

import com.google.gson.JsonParser;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import dev.dataplatform.aws.RdsDatabase;
import dev.dataplatform.core.Environment;
import dev.dataplatform.testing.Harness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.dataplatform.backup.LogicalBackupTest.list;
import static dev.dataplatform.backup.LogicalBackupTest.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RDS backup CronJob, the drill, the bucket, the logins, the IRSA roles and the alarms as the providers receive them. */
class RdsLogicalBackupTest {
    static final String OIDC = "oidc.eks.eu-west-1.amazonaws.com/id/5A1B2C3D4E5F60718293A4B5C6D7E8F9";
    static final String TOPIC = "arn:aws:sns:eu-west-1:210987654321:alerts";

    static RdsLogicalBackup.Args args(String engineVersion, RdsLogicalBackup.Drill drill, List<String> postgis, String topic) {
        return new RdsLogicalBackup.Args(Environment.STAGE, "eu-west-1", "210987654321", OIDC,
                Output.of("db.abc.eu-west-1.rds.amazonaws.com"), Output.of("db-ABCDEFGHIJKL"), engineVersion,
                RdsDatabase.adminConnection(Output.of("db.abc.eu-west-1.rds.amazonaws.com"), "platform_admin",
                        Output.ofSecret("master")),
                "10.30.0.0/16", "acme-lake-stage-pg-dumps", "rds/stage", 14, true, "15 2 * * *",
                List.of("metadata", "dagster"), postgis, "dp_backup", drill, topic, Map.of("team", "data"));
    }

    static final RdsLogicalBackup.Drill WEEKLY = new RdsLogicalBackup.Drill("dp_restore_drill", "0 5 * * 1", null,
            Map.of("dagster", List.of("public.runs")));

    static Harness.Run render(RdsLogicalBackup.Args args) {
        return Harness.preview("stage", ctx -> {
            var backup = new RdsLogicalBackup("rds-logical-backup", args, ComponentResourceOptions.Empty);
            ctx.export("location", backup.backupLocation);
            ctx.export("cronJobs", backup.drillCronJobs);
            ctx.export("jobs", backup.drillJobs);
        }).succeeded();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> podOf(Harness.Run run, String name) {
        var cron = run.resource("kubernetes:batch/v1:CronJob", name);
        var spec = (Map<String, Object>) cron.inputs().get("spec");
        return map(map(map(map(spec, "jobTemplate"), "spec"), "template"), "spec");
    }

    static String policy(Harness.Run run, String name) {
        return (String) run.input("aws:iam/rolePolicy:RolePolicy", name, "policy");
    }

    @Test
    void theCronJobDumpsWithATokenSidecarAndUploadsAsItsOwnRole() {
        var run = render(args("16", WEEKLY, List.of("metadata"), null));
        var pod = podOf(run, "rds-logical-backup-cronjob");
        assertEquals(RdsLogicalBackup.BACKUP_SERVICE_ACCOUNT, pod.get("serviceAccountName"));
        var init = list(pod, "initContainers");
        assertEquals("rds-auth-token", init.get(0).get("name"));
        assertEquals("Always", init.get(0).get("restartPolicy"), "a native sidecar renews the token during the dumps");
        assertEquals(RdsLogicalBackup.AWS_CLI_IMAGE, init.get(0).get("image"));
        assertTrue(init.get(0).get("command").toString().contains("/tokens/pgpass \"$PGHOST\" 5432 dp_backup"), init.get(0).toString());
        var dump = init.get(1);
        assertEquals("postgres:16.13-bookworm", dump.get("image"), "client tools of the server's major version");
        assertEquals(List.of("sh", "/scripts/record.sh", "/backups/dump.result", "/scripts/pg-dump.sh", "/backups",
                "metadata", "dagster"), dump.get("command"));
        var env = list(dump, "env");
        assertTrue(env.contains(Map.of("name", "PGSSLMODE", "value", "require")), env.toString());
        assertTrue(env.contains(Map.of("name", "PGPASSFILE", "value", "/tokens/pgpass")), env.toString());
        assertTrue(env.contains(Map.of("name", "PGUSER", "value", "dp_backup")), env.toString());
        assertFalse(env.toString().contains("PGPASSWORD"), "no static password anywhere");
        var upload = list(pod, "containers").get(0);
        assertEquals(List.of("sh", "/scripts/s3-upload.sh", "/backups", "s3://acme-lake-stage-pg-dumps/rds/stage", "metadata",
                "dagster"), upload.get("command"));
        assertTrue(list(upload, "env").contains(Map.of("name", "METRIC_NAMESPACE", "value", "DataPlatform/LogicalBackups")));
        assertEquals("s3://acme-lake-stage-pg-dumps/rds/stage", run.output("location"));
        assertEquals("15 2 * * *", run.input("kubernetes:batch/v1:CronJob", "rds-logical-backup-cronjob", "spec.schedule"));
    }

    @Test
    void everyContainerIsRestrictedWithRequestsAndLimits() {
        var run = render(args("16", WEEKLY, List.of(), null));
        for (String cron : List.of("rds-logical-backup-cronjob", "rds-logical-backup-rds-restore-drill-metadata")) {
            var pod = podOf(run, cron);
            assertEquals(Map.of("type", "RuntimeDefault"), map(pod, "securityContext").get("seccompProfile"));
            for (String kind : List.of("initContainers", "containers")) {
                for (var container : list(pod, kind)) {
                    var security = map(container, "securityContext");
                    assertEquals(true, security.get("runAsNonRoot"), container.get("name").toString());
                    assertEquals(999, ((Number) security.get("runAsUser")).intValue(), "the token file is the tools' own (0600)");
                    assertEquals(false, security.get("allowPrivilegeEscalation"));
                    assertEquals(Map.of("drop", List.of("ALL")), security.get("capabilities"));
                    assertEquals(Map.of("type", "RuntimeDefault"), security.get("seccompProfile"));
                    assertTrue(map(map(container, "resources"), "limits").containsKey("memory"));
                    assertTrue(map(map(container, "resources"), "requests").containsKey("cpu"));
                }
            }
        }
        assertTrue(run.findings(Environment.STAGE).stream().noneMatch(f -> f.resource().contains("rds-logical-backup")
                && f.severity() == dev.dataplatform.guardrails.Severity.ERROR), run.findings(Environment.STAGE).toString());
    }

    @Test
    void theRolesMayDoOnlyWhatTheirJobNeeds() {
        var run = render(args("16", WEEKLY, List.of(), null));
        var trust = JsonParser.parseString((String) run.input("aws:iam/role:Role", "rds-logical-backup-backup-role",
                "assumeRolePolicy")).getAsJsonObject().toString();
        assertTrue(trust.contains("\"" + OIDC + ":sub\":\"system:serviceaccount:rds-logical-backups:rds-logical-backup\""), trust);
        String backup = policy(run, "rds-logical-backup-backup-policy");
        assertTrue(backup.contains("{\"Effect\":\"Allow\",\"Action\":[\"s3:PutObject\"],\"Resource\":[\"arn:aws:s3:::acme-lake-stage-pg-dumps/rds/stage/*\"]}"), backup);
        assertTrue(backup.contains("\"Action\":[\"rds-db:connect\"],\"Resource\":[\"arn:aws:rds-db:eu-west-1:210987654321:dbuser:db-ABCDEFGHIJKL/dp_backup\"]"), backup);
        assertTrue(backup.contains("\"Action\":[\"cloudwatch:PutMetricData\"],\"Resource\":[\"*\"],\"Condition\":{\"StringEquals\":{\"cloudwatch:namespace\":\"DataPlatform/LogicalBackups\"}}"), backup);
        assertFalse(backup.contains("s3:GetObject") || backup.contains("s3:ListBucket") || backup.contains("s3:DeleteObject"), backup);
        String drill = policy(run, "rds-logical-backup-drill-policy");
        assertTrue(drill.contains("\"Action\":[\"s3:GetObject\"]"), drill);
        assertTrue(drill.contains("\"Action\":[\"s3:ListBucket\"],\"Resource\":[\"arn:aws:s3:::acme-lake-stage-pg-dumps\"],\"Condition\":{\"StringLike\":{\"s3:prefix\":\"rds/stage/*\"}}"), drill);
        assertTrue(drill.contains("dbuser:db-ABCDEFGHIJKL/dp_restore_drill\""), drill);
        assertFalse(drill.contains("s3:PutObject"), drill);
    }

    @Test
    void theLoginsHaveLeastPrivilegeAndPostgisAddsRdsSuperuserToTheDrillOnly() {
        var withPostgis = render(args("16", WEEKLY, List.of("metadata"), null));
        assertEquals(List.of("rds_iam", "pg_read_all_data"),
                withPostgis.input("postgresql:index/role:Role", "rds-logical-backup-login-dp_backup", "roles"));
        assertEquals(false, withPostgis.input("postgresql:index/role:Role", "rds-logical-backup-login-dp_backup", "createDatabase"));
        assertEquals(List.of("rds_iam", "rds_superuser"),
                withPostgis.input("postgresql:index/role:Role", "rds-logical-backup-login-dp_restore_drill", "roles"));
        assertEquals(true, withPostgis.input("postgresql:index/role:Role", "rds-logical-backup-login-dp_restore_drill", "createDatabase"));
        assertEquals(List.of("CONNECT"), withPostgis.input("postgresql:index/grant:Grant", "rds-logical-backup-metadata-connect-dp_backup", "privileges"));
        var without = render(args("16", WEEKLY, List.of(), null));
        assertEquals(List.of("rds_iam"), without.input("postgresql:index/role:Role", "rds-logical-backup-login-dp_restore_drill", "roles"));
        assertEquals(0, render(args("16", null, List.of("metadata"), null)).count("postgresql:index/role:Role") - 1,
                "no drill, no drill login");
    }

    @Test
    void withoutAnAdminConnectionNoProviderAndNoLoginsAreDeclared() {
        var a = args("16", WEEKLY, List.of("metadata"), null);
        var run = render(new RdsLogicalBackup.Args(a.environment(), a.region(), a.accountId(), a.oidcProvider(), a.address(),
                a.resourceId(), a.engineVersion(), null, a.databaseCidr(), a.bucket(), a.prefix(), a.retentionDays(),
                a.protect(), a.schedule(), a.databases(), a.postgisDatabases(), a.login(), a.drill(), a.alarmTopicArn(),
                a.labels()));
        assertTrue(run.resources().stream().noneMatch(r -> r.type().startsWith("postgresql:")
                || r.type().equals("pulumi:providers:postgresql")), "the manageRoles escape hatch: a DBA's logins");
        assertEquals(3, run.count("kubernetes:batch/v1:CronJob"));
    }

    @Test
    void theBucketIsPrivateEncryptedTlsOnlyAndExpiresDumpsOnThePrefix() {
        var run = render(args("16", null, List.of(), null));
        assertEquals(true, run.resource("aws:s3/bucketV2:BucketV2", "rds-logical-backup-bucket").options().protect());
        assertEquals(true, run.input("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "rds-logical-backup-bucket", "restrictPublicBuckets"));
        assertTrue(run.input("aws:s3/bucketPolicy:BucketPolicy", "rds-logical-backup-bucket-tls-only", "policy").toString()
                .contains("aws:SecureTransport"));
        var rule = ((List<?>) run.input("aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
                "rds-logical-backup-bucket", "rules")).get(0).toString();
        assertTrue(rule.contains("prefix=rds/stage/") && rule.contains("days=14"), rule);
    }

    @Test
    void theScheduledDrillIsACronJobPerDatabaseThatRestoresThenReports() {
        var run = render(args("16", WEEKLY, List.of(), null));
        assertEquals(Map.of("metadata", "rds-restore-drill-metadata", "dagster", "rds-restore-drill-dagster"), run.output("cronJobs"));
        assertEquals("0 5 * * 1", run.input("kubernetes:batch/v1:CronJob", "rds-logical-backup-rds-restore-drill-dagster", "spec.schedule"));
        var pod = podOf(run, "rds-logical-backup-rds-restore-drill-dagster");
        assertEquals(RdsLogicalBackup.DRILL_SERVICE_ACCOUNT, pod.get("serviceAccountName"));
        var init = list(pod, "initContainers");
        assertEquals(List.of("fetch-latest", "rds-auth-token", "restore-drill"), init.stream().map(c -> c.get("name")).toList());
        assertEquals(List.of("sh", "/scripts/record.sh", "/backups/drill.result", "/scripts/restore-drill.sh", "/backups", "dagster",
                "restore_drill_dagster", "public.runs"), init.get(2).get("command"));
        assertEquals(List.of("sh", "/scripts/drill-report.sh", "dagster", "/backups/fetch.result", "/backups/drill.result"),
                list(pod, "containers").get(0).get("command"));
        var onDemand = render(args("16", new RdsLogicalBackup.Drill("dp_restore_drill", null, "2026-12-01", Map.of()), List.of(), null));
        assertEquals(Map.of("metadata", "rds-restore-drill-metadata-2026-12-01", "dagster", "rds-restore-drill-dagster-2026-12-01"),
                onDemand.output("jobs"));
        assertEquals(1, onDemand.count("kubernetes:batch/v1:CronJob"));
    }

    @Test
    void givenATopicMissingOrFailedRunsAlarmOverTheScheduleWindow() {
        assertEquals(0, render(args("16", WEEKLY, List.of(), null)).count("aws:cloudwatch/metricAlarm:MetricAlarm"));
        var run = render(args("16", WEEKLY, List.of(), TOPIC));
        assertEquals(4, run.count("aws:cloudwatch/metricAlarm:MetricAlarm"));
        String daily = "rds-logical-backup-alarm-BackupSucceeded-metadata";
        String type = "aws:cloudwatch/metricAlarm:MetricAlarm";
        assertEquals("DataPlatform/LogicalBackups", run.input(type, daily, "namespace"));
        assertEquals(Map.of("Environment", "stage", "Database", "metadata"), run.input(type, daily, "dimensions"));
        assertEquals("breaching", run.input(type, daily, "treatMissingData"));
        assertEquals("LessThanThreshold", run.input(type, daily, "comparisonOperator"));
        assertEquals(1, ((Number) run.input(type, daily, "evaluationPeriods")).intValue());
        assertEquals(List.of(TOPIC), run.input(type, daily, "alarmActions"));
        String weekly = "rds-logical-backup-alarm-RestoreDrillSucceeded-dagster";
        assertEquals(7, ((Number) run.input(type, weekly, "evaluationPeriods")).intValue());
        assertEquals(7, ((Number) run.input(type, weekly, "datapointsToAlarm")).intValue());
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> args("12", null, List.of(), null));
        assertThrows(IllegalArgumentException.class, () -> new RdsLogicalBackup.Drill("d", "0 5 * * 1", "r", Map.of()));
        assertEquals(1, RdsLogicalBackup.windowDays("15 2 * * *"));
        assertEquals(7, RdsLogicalBackup.windowDays("0 5 * * 1"));
        assertNull(RdsLogicalBackup.windowDays("0 5 1 * *"));
        assertEquals("postgres:16.13-bookworm", RdsLogicalBackup.postgresImage("16.4"));
    }
}
