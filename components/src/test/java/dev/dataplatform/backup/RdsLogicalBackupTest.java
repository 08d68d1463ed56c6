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
                List.of("metadata", "dagster"), postgis.stream().collect(java.util.stream.Collectors.toMap(d -> d,
                        d -> List.of("postgis", "btree_gist"))), "dp_backup", drill, topic, Map.of("team", "data"));
    }

    static final RdsLogicalBackup.Drill WEEKLY = new RdsLogicalBackup.Drill("dp_restore_drill", "0 5 * * 1", null,
            Map.of("dagster", List.of("public.runs")));

    static Harness.Run render(RdsLogicalBackup.Args args) {
        return Harness.preview("stage", ctx -> {
            var backup = new RdsLogicalBackup("rds-logical-backup", args, dev.dataplatform.kubernetes.TestClusters.EKS,
                    ComponentResourceOptions.Empty);
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
        assertEquals("rds-ca-bundle", init.get(0).get("name"));
        assertEquals(List.of("sh", "/scripts/rds-ca-bundle.sh", "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem",
                "/certs/rds-global-bundle.pem"), init.get(0).get("command"));
        assertEquals("rds-auth-token", init.get(1).get("name"));
        assertEquals("Always", init.get(1).get("restartPolicy"), "a native sidecar renews the token during the dumps");
        assertEquals(RdsLogicalBackup.AWS_CLI_IMAGE, init.get(1).get("image"));
        assertTrue(init.get(1).get("command").toString().contains("/tokens/pgpass \"$PGHOST\" 5432 dp_backup"), init.get(1).toString());
        var dump = init.get(2);
        assertEquals("postgres:16.13-bookworm", dump.get("image"), "client tools of the server's major version");
        assertEquals(List.of("sh", "/scripts/record.sh", "/backups/dump.result", "/scripts/pg-dump.sh", "/backups",
                "metadata", "dagster"), dump.get("command"));
        var env = list(dump, "env");
        assertTrue(env.contains(Map.of("name", "PGSSLMODE", "value", "verify-full")), env.toString());
        assertTrue(env.contains(Map.of("name", "PGSSLROOTCERT", "value", "/certs/rds-global-bundle.pem")), env.toString());
        assertTrue(list(dump, "volumeMounts").contains(Map.of("name", "certs", "mountPath", "/certs")), dump.toString());
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
        // Create-only: PutObject only with If-None-Match: *, and explicit denies of deletes, retention and bucket changes.
        assertTrue(backup.contains("{\"Effect\":\"Allow\",\"Action\":[\"s3:PutObject\"],\"Resource\":[\"arn:aws:s3:::acme-lake-stage-pg-dumps/rds/stage/*\"],"
                + "\"Condition\":{\"StringEquals\":{\"s3:if-none-match\":\"*\"}}}"), backup);
        assertTrue(backup.contains("{\"Effect\":\"Deny\",\"Action\":[\"s3:DeleteObject\",\"s3:DeleteObjectVersion\",\"s3:PutObjectRetention\","
                + "\"s3:PutObjectLegalHold\",\"s3:BypassGovernanceRetention\",\"s3:PutBucket*\",\"s3:DeleteBucket*\","
                + "\"s3:PutLifecycleConfiguration\",\"s3:PutObjectAcl\",\"s3:PutObjectVersionAcl\"],"
                + "\"Resource\":[\"arn:aws:s3:::acme-lake-stage-pg-dumps\",\"arn:aws:s3:::acme-lake-stage-pg-dumps/*\"]}"), backup);
        assertTrue(backup.contains("\"Action\":[\"rds-db:connect\"],\"Resource\":[\"arn:aws:rds-db:eu-west-1:210987654321:dbuser:db-ABCDEFGHIJKL/dp_backup\"]"), backup);
        assertTrue(backup.contains("\"Action\":[\"cloudwatch:PutMetricData\"],\"Resource\":[\"*\"],\"Condition\":{\"StringEquals\":{\"cloudwatch:namespace\":\"DataPlatform/LogicalBackups\"}}"), backup);
        assertFalse(backup.contains("s3:GetObject") || backup.contains("s3:ListBucket"), backup);
        String drill = policy(run, "rds-logical-backup-drill-policy");
        assertTrue(drill.contains("\"Action\":[\"s3:GetObject\",\"s3:GetObjectVersion\"]"), drill);
        assertTrue(drill.contains("\"Action\":[\"s3:ListBucket\"],\"Resource\":[\"arn:aws:s3:::acme-lake-stage-pg-dumps\"],\"Condition\":{\"StringLike\":{\"s3:prefix\":\"rds/stage/manifests/*\"}}"), drill);
        assertTrue(drill.contains("dbuser:db-ABCDEFGHIJKL/dp_restore_drill\""), drill);
        assertFalse(drill.contains("s3:PutObject"), drill);
    }

    @Test
    void theDrillLoginHoldsNothingSuperuserLikeAndTheMasterUserPreparesItsScratchDatabases() {
        var withPostgis = render(args("16", WEEKLY, List.of("metadata"), null));
        assertEquals(List.of("rds_iam", "pg_read_all_data"),
                withPostgis.input("postgresql:index/role:Role", "rds-logical-backup-login-dp_backup", "roles"));
        assertEquals(false, withPostgis.input("postgresql:index/role:Role", "rds-logical-backup-login-dp_backup", "createDatabase"));
        String drill = "rds-logical-backup-login-dp_restore_drill";
        assertEquals(List.of("rds_iam"), withPostgis.input("postgresql:index/role:Role", drill, "roles"),
                "no rds_superuser even when a drilled database has PostGIS");
        for (String flag : List.of("superuser", "createDatabase", "createRole", "bypassRowLevelSecurity", "replication")) {
            assertEquals(false, withPostgis.input("postgresql:index/role:Role", drill, flag), flag);
        }
        assertEquals(List.of("CONNECT"), withPostgis.input("postgresql:index/grant:Grant", "rds-logical-backup-metadata-connect-dp_backup", "privileges"));
        // One scratch database per drilled database, owned by the drill login, declared through the master user's
        // provider, with the source's extensions (on RDS only rds_superuser may create them).
        String database = "postgresql:index/database:Database";
        assertEquals("restore_drill_metadata", withPostgis.input(database, "rds-logical-backup-scratch-metadata", "name"));
        assertEquals("dp_restore_drill", withPostgis.input(database, "rds-logical-backup-scratch-metadata", "owner"));
        assertEquals("restore_drill_dagster", withPostgis.input(database, "rds-logical-backup-scratch-dagster", "name"));
        String extension = "postgresql:index/extension:Extension";
        assertEquals("restore_drill_metadata", withPostgis.input(extension, "rds-logical-backup-scratch-metadata-postgis", "database"));
        assertEquals("btree_gist", withPostgis.input(extension, "rds-logical-backup-scratch-metadata-btree_gist", "name"));
        assertEquals(2, withPostgis.count(extension), "dagster has no extension");
        assertEquals("platform_admin", withPostgis.input("postgresql:index/grantRole:GrantRole",
                "rds-logical-backup-admin-in-dp_restore_drill", "role"), "the master user joins the drill login, not the reverse");
        assertTrue(withPostgis.resource(database, "rds-logical-backup-scratch-metadata").options().provider()
                .contains("rds-logical-backup-postgresql"));
        var pod = podOf(withPostgis, "rds-logical-backup-rds-restore-drill-metadata");
        assertFalse(list(pod, "initContainers").toString().contains("PGDATABASE"), "the drill connects to its scratch database only");
        assertEquals(0, render(args("16", null, List.of("metadata"), null)).count(database), "no drill, no scratch database");
        assertEquals(dev.dataplatform.guardrails.StatefulTypes.SCRATCH_DATABASE_PREFIX + "metadata",
                LogicalBackup.scratchDatabase("metadata"), "the guardrails know the scratch databases by this prefix");
        assertFalse(withPostgis.resource(database, "rds-logical-backup-scratch-metadata").options().protect(),
                "emptied after every drill, removed with the drill");
        assertEquals(0, render(args("16", null, List.of("metadata"), null)).count("postgresql:index/role:Role") - 1,
                "no drill, no drill login");
    }

    @Test
    void withoutAnAdminConnectionNoProviderAndNoLoginsAreDeclared() {
        var a = args("16", WEEKLY, List.of("metadata"), null);
        var run = render(new RdsLogicalBackup.Args(a.environment(), a.region(), a.accountId(), a.oidcProvider(), a.address(),
                a.resourceId(), a.engineVersion(), null, a.databaseCidr(), a.bucket(), a.prefix(), a.retentionDays(),
                a.protect(), a.schedule(), a.databases(), a.extensions(), a.login(), a.drill(), a.alarmTopicArn(),
                a.labels()));
        assertTrue(run.resources().stream().noneMatch(r -> r.type().startsWith("postgresql:")
                || r.type().equals("pulumi:providers:postgresql")), "the manageRoles escape hatch: a DBA's logins");
        assertEquals(3, run.count("kubernetes:batch/v1:CronJob"));
    }

    @Test
    void theBucketIsPrivateEncryptedTlsOnlyAndExpiresDumpsOnThePrefix() {
        var run = render(args("16", null, List.of(), null));
        assertEquals(true, run.resource("aws:s3/bucketV2:BucketV2", "rds-logical-backup-bucket").options().protect());
        assertEquals(Map.of("team", "data", "data-platform-contents", "database-dumps"),
                run.input("aws:s3/bucketV2:BucketV2", "rds-logical-backup-bucket", "tags"));
        assertFalse(run.resource("aws:s3/bucketV2:BucketV2", "rds-logical-backup-bucket").inputs().containsKey("objectLockEnabled"),
                "objectLockEnabled would replace the existing bucket");
        assertEquals(true, run.input("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "rds-logical-backup-bucket", "restrictPublicBuckets"));
        assertTrue(run.input("aws:s3/bucketPolicy:BucketPolicy", "rds-logical-backup-bucket-tls-only", "policy").toString()
                .contains("aws:SecureTransport"));
        var rule = ((List<?>) run.input("aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
                "rds-logical-backup-bucket", "rules")).get(0).toString();
        assertTrue(rule.contains("prefix=rds/stage/") && rule.contains("days=14"), rule);
    }

    @Test
    void dumpsAreImmutableVersionedLockedAndWrittenOnlyByTheBackupRole() {
        var run = render(args("16", null, List.of(), null));
        assertEquals(Map.of("status", "Enabled"), run.input("aws:s3/bucketVersioningV2:BucketVersioningV2",
                "rds-logical-backup-bucket", "versioningConfiguration"));
        String lock = "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2";
        assertEquals("Enabled", run.input(lock, "rds-logical-backup-bucket", "objectLockEnabled"));
        assertEquals(Map.of("defaultRetention", Map.of("mode", "GOVERNANCE", "days", 14)),
                normalize(run.input(lock, "rds-logical-backup-bucket", "rule")), "stage: governance for the retention");
        assertTrue(run.resource(lock, "rds-logical-backup-bucket").options().dependsOn().stream()
                .anyMatch(u -> u.contains("bucketVersioningV2")), "Object Lock needs versioning first");
        assertEquals("COMPLIANCE", RdsLogicalBackup.lockMode(Environment.PROD));
        var rule = ((List<?>) run.input("aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
                "rds-logical-backup-bucket", "rules")).get(0).toString();
        assertTrue(rule.contains("noncurrentVersionExpiration={noncurrentDays=1"), rule);
        var policy = JsonParser.parseString((String) run.input("aws:s3/bucketPolicy:BucketPolicy", "rds-logical-backup-bucket-tls-only",
                "policy")).getAsJsonObject().getAsJsonArray("Statement");
        assertEquals("{\"Sid\":\"OnlyTheBackupRoleWritesDumps\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:PutObject\","
                + "\"Resource\":\"arn:aws:s3:::acme-lake-stage-pg-dumps/rds/stage/*\",\"Condition\":{\"ArnNotEquals\":"
                + "{\"aws:PrincipalArn\":\"arn:aws:iam::210987654321:role/dp-stage-rds-logical-backup\"}}}", policy.get(1).toString());
        assertEquals("dp-stage-rds-logical-backup", run.input("aws:iam/role:Role", "rds-logical-backup-backup-role", "name"),
                "the role the bucket policy names");
    }

    @SuppressWarnings("unchecked")
    static Object normalize(Object value) {
        if (value instanceof Map<?, ?> m) {
            var out = new java.util.TreeMap<String, Object>();
            m.forEach((k, v) -> out.put((String) k, normalize(v)));
            return out;
        }
        return value instanceof Number n ? n.intValue() : value;
    }

    @Test
    void theScheduledDrillIsACronJobPerDatabaseThatRestoresThenReports() {
        var run = render(args("16", WEEKLY, List.of(), null));
        assertEquals(Map.of("metadata", "rds-restore-drill-metadata", "dagster", "rds-restore-drill-dagster"), run.output("cronJobs"));
        assertEquals("0 5 * * 1", run.input("kubernetes:batch/v1:CronJob", "rds-logical-backup-rds-restore-drill-dagster", "spec.schedule"));
        var pod = podOf(run, "rds-logical-backup-rds-restore-drill-dagster");
        assertEquals(RdsLogicalBackup.DRILL_SERVICE_ACCOUNT, pod.get("serviceAccountName"));
        var init = list(pod, "initContainers");
        assertEquals(List.of("rds-ca-bundle", "fetch-latest", "rds-auth-token", "restore-drill"),
                init.stream().map(c -> c.get("name")).toList());
        assertEquals(List.of("sh", "/scripts/record.sh", "/backups/drill.result", "/scripts/restore-drill.sh", "/backups", "dagster",
                "restore_drill_dagster", "public.runs"), init.get(3).get("command"));
        assertTrue(list(init.get(3), "env").contains(Map.of("name", "PGSSLMODE", "value", "verify-full")));
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
