package dev.dataplatform.backup;

import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import dev.dataplatform.kubernetes.CloudSqlProxy;
import dev.dataplatform.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backup CronJob, the drill Jobs, the bucket and the identities as the providers would receive them. */
class LogicalBackupTest {
    static final String CONNECTION = "acme-data-dev:europe-west1:data-platform-dev";

    static LogicalBackup.Args args(LogicalBackup.Drill drill) {
        return new LogicalBackup.Args("acme-data-dev", "europe-west1", CONNECTION, Output.of("10.20.0.3"),
                "acme-lake-dev-pg-dumps", "cloudsql/dev/", 7, false, "30 1 * * *", List.of("pgstac", "dagster"),
                "dp_backup", "gcp-secret-manager", "pg-backup-password-dev", drill,
                dev.dataplatform.gcp.CloudSqlDatabase.adminConnection(Output.of(CONNECTION), Output.ofSecret("admin")),
                Map.of("pgstac", List.of("postgis", "btree_gist", "unaccent")), false, Map.of("team", "data"));
    }

    static final LogicalBackup.Drill DRILL = new LogicalBackup.Drill("2026-12-01", "dp_restore_drill",
            "pg-restore-drill-password-dev", Map.of("pgstac", List.of("pgstac.items")));

    static Harness.Run render(LogicalBackup.Drill drill) {
        return Harness.preview("dev", ctx -> {
            var backup = new LogicalBackup("cloudsql-logical-backup", args(drill), dev.dataplatform.kubernetes.TestClusters.GKE,
                    ComponentResourceOptions.Empty);
            ctx.export("logicalBackupLocation", backup.backupLocation);
            ctx.export("restoreDrillJobs", backup.drillJobs);
        }).succeeded();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String key) {
        return (Map<String, Object>) ((Map<String, Object>) value).get(key);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> value, String key) {
        return (List<Map<String, Object>>) value.get(key);
    }

    static Map<String, Object> cronPod(Harness.Run run) {
        var cron = run.resource("kubernetes:batch/v1:CronJob", "cloudsql-logical-backup-cronjob");
        var spec = (Map<String, Object>) cron.inputs().get("spec");
        return map(map(map(map(spec, "jobTemplate"), "spec"), "template"), "spec");
    }

    @Test
    void theCronJobDumpsThroughTheProxyThenUploadsAsItsOwnIdentity() {
        var run = render(null);
        var cron = run.resource("kubernetes:batch/v1:CronJob", "cloudsql-logical-backup-cronjob");
        assertEquals("pg-logical-backups", run.input(cron.type(), cron.name(), "metadata.namespace"));
        assertEquals("30 1 * * *", run.input(cron.type(), cron.name(), "spec.schedule"));
        assertEquals("Forbid", run.input(cron.type(), cron.name(), "spec.concurrencyPolicy"));
        var pod = cronPod(run);
        assertEquals(LogicalBackup.BACKUP_SERVICE_ACCOUNT, pod.get("serviceAccountName"));
        var init = list(pod, "initContainers");
        assertEquals(CloudSqlProxy.CONTAINER_NAME, init.get(0).get("name"));
        assertEquals("Always", init.get(0).get("restartPolicy"));
        assertTrue(((List<?>) init.get(0).get("args")).contains(CONNECTION));
        var dump = init.get(1);
        assertEquals(LogicalBackup.POSTGRES_IMAGE, dump.get("image"));
        assertEquals(List.of("sh", "/scripts/pg-dump.sh", "/backups", "pgstac", "dagster"), dump.get("command"));
        var env = list(dump, "env");
        assertTrue(env.contains(Map.of("name", "PGUSER", "value", "dp_backup")), env.toString());
        assertTrue(env.contains(Map.of("name", "PGPORT", "value", Integer.toString(CloudSqlProxy.PORT))), env.toString());
        var upload = list(pod, "containers").get(0);
        assertEquals(LogicalBackup.GCLOUD_IMAGE, upload.get("image"));
        assertEquals(List.of("sh", "/scripts/gcs-upload.sh", "/backups", "gs://acme-lake-dev-pg-dumps/cloudsql/dev"),
                upload.get("command"));
        assertEquals("gs://acme-lake-dev-pg-dumps/cloudsql/dev", run.output("logicalBackupLocation"));
        assertEquals(Map.of(), run.output("restoreDrillJobs"));
        assertEquals(0, run.count("kubernetes:batch/v1:Job"));
    }

    @Test
    void theBackupNamespaceAdmitsEveryGkeMetadataServerEndpointOfTheSharedTable() {
        var run = render(DRILL);
        var egress = run.all("kubernetes:networking.k8s.io/v1:NetworkPolicy").stream()
                .filter(p -> ((String) p.input("metadata.name").orElseThrow()).startsWith("allow-metadata-server"))
                .map(p -> p.input("spec.egress").orElseThrow().toString()).sorted().toList();
        assertEquals(dev.dataplatform.kubernetes.GkeMetadataServer.ENDPOINTS.size(), egress.size(), egress.toString());
        for (var endpoint : dev.dataplatform.kubernetes.GkeMetadataServer.ENDPOINTS) {
            assertTrue(egress.stream().anyMatch(e -> e.contains(endpoint.cidr())
                            && endpoint.ports().stream().allMatch(port -> e.contains("port=" + port))),
                    endpoint + " admitted: " + egress);
        }
    }

    @Test
    void theConfigMapCarriesTheProjectScripts() {
        var run = render(null);
        var data = map(run.resource("kubernetes:core/v1:ConfigMap", "cloudsql-logical-backup-scripts").inputs(), "data");
        assertEquals(BackupScripts.text(BackupScripts.DUMP), data.get("pg-dump.sh"));
        assertEquals(BackupScripts.text(BackupScripts.RESTORE_DRILL), data.get("restore-drill.sh"));
        assertEquals(4, data.size());
    }

    @SuppressWarnings("unchecked")
    @Test
    void everyContainerIsRestrictedWithRequestsAndLimits() {
        var run = render(DRILL);
        var pods = new ArrayList<Map<String, Object>>();
        pods.add(cronPod(run));
        for (var job : run.all("kubernetes:batch/v1:Job")) {
            pods.add(map(map(job.inputs(), "spec"), "template").get("spec") instanceof Map<?, ?> m ? (Map<String, Object>) m : null);
        }
        assertEquals(3, pods.size());
        for (var pod : pods) {
            assertEquals(true, map(pod, "securityContext").get("runAsNonRoot"));
            var containers = new ArrayList<>(list(pod, "containers"));
            containers.addAll(list(pod, "initContainers"));
            for (var container : containers) {
                var security = (Map<String, Object>) container.get("securityContext");
                assertEquals(true, security.get("runAsNonRoot"), container.get("name").toString());
                assertEquals(false, security.get("allowPrivilegeEscalation"));
                assertEquals(Map.of("drop", List.of("ALL")), security.get("capabilities"));
                assertEquals(Map.of("type", "RuntimeDefault"), security.get("seccompProfile"));
                assertTrue(security.get("runAsUser") instanceof Number, container.get("name") + " names a numeric user");
                var resources = (Map<String, Map<String, Object>>) container.get("resources");
                assertTrue(resources.get("requests").containsKey("cpu") && resources.get("limits").containsKey("memory"));
            }
        }
    }

    @Test
    void theBucketExpiresDumpsOnThePrefixAndEachIdentityHasOneBucketRole() {
        var run = render(DRILL);
        var bucket = run.resource("gcp:storage/bucket:Bucket", "cloudsql-logical-backup-bucket");
        assertEquals("acme-lake-dev-pg-dumps", bucket.inputs().get("name"));
        assertEquals("enforced", bucket.inputs().get("publicAccessPrevention"));
        // Immutable for the retention: no object deleted or replaced before it is 7 days old; locked only when asked
        // (prod), since a locked policy can never be shortened; and the marker guardrails look for.
        assertEquals(Map.of("retentionPeriod", 7 * 86_400, "isLocked", false), RdsLogicalBackupTest.normalize(bucket.inputs().get("retentionPolicy")));
        assertEquals(Map.of("team", "data", "data-platform-contents", "database-dumps"), bucket.inputs().get("labels"));
        var rules = list(bucket.inputs(), "lifecycleRules");
        assertEquals(1, rules.size());
        assertEquals(7, ((Number) map(rules.get(0), "condition").get("age")).intValue());
        assertEquals(List.of("cloudsql/dev/"), map(rules.get(0), "condition").get("matchesPrefixes"));
        assertEquals("Delete", map(rules.get(0), "action").get("type"));
        assertEquals("roles/storage.objectCreator",
                run.resource("gcp:storage/bucketIAMMember:BucketIAMMember", "cloudsql-logical-backup-backup-bucket-access").inputs().get("role"));
        assertEquals("roles/storage.objectViewer",
                run.resource("gcp:storage/bucketIAMMember:BucketIAMMember", "cloudsql-logical-backup-drill-bucket-access").inputs().get("role"));
        assertEquals(2, run.count("gcp:storage/bucketIAMMember:BucketIAMMember"));
        assertEquals("serviceAccount:acme-data-dev.svc.id.goog[pg-logical-backups/pg-logical-backup]",
                run.resource("gcp:serviceaccount/iAMMember:IAMMember", "cloudsql-logical-backup-backup-workload-identity").inputs().get("member"));
    }

    @Test
    void theDrillIsOneJobPerDatabaseNamedAfterTheRun() {
        var run = render(DRILL);
        assertEquals(Map.of("pgstac", "restore-drill-pgstac-2026-12-01", "dagster", "restore-drill-dagster-2026-12-01"),
                run.output("restoreDrillJobs"));
        var job = run.resource("kubernetes:batch/v1:Job", "cloudsql-logical-backup-restore-drill-pgstac-2026-12-01");
        var pod = map(map(map(job.inputs(), "spec"), "template"), "spec");
        assertEquals(LogicalBackup.DRILL_SERVICE_ACCOUNT, pod.get("serviceAccountName"));
        var init = list(pod, "initContainers");
        assertEquals(List.of("sh", "/scripts/gcs-fetch-latest.sh", "/backups", "gs://acme-lake-dev-pg-dumps/cloudsql/dev", "pgstac"),
                init.get(0).get("command"));
        assertEquals("Always", init.get(1).get("restartPolicy"));
        var restore = list(pod, "containers").get(0);
        assertEquals(List.of("sh", "/scripts/restore-drill.sh", "/backups", "pgstac", "restore_drill_pgstac", "pgstac.items"),
                restore.get("command"));
        assertTrue(list(restore, "env").contains(Map.of("name", "PGUSER", "value", "dp_restore_drill")));
        assertFalse(list(restore, "env").toString().contains("PGDATABASE"), "the drill connects to its scratch database only");
        assertFalse(list(restore, "env").toString().contains("password-dev"), "the password is a Secret reference");
    }

    /**
     * The drill login creates nothing: the admin's provider (Cloud SQL's built-in admin, a cloudsqlsuperuser member)
     * declares one scratch database per drilled database, owned by the drill login, with the source's extensions.
     */
    @Test
    void theAdminPathPreparesTheScratchDatabasesWithTheSourcesExtensions() {
        var run = render(DRILL);
        String database = "postgresql:index/database:Database";
        assertEquals("restore_drill_pgstac", run.input(database, "cloudsql-logical-backup-scratch-pgstac", "name"));
        assertEquals("dp_restore_drill", run.input(database, "cloudsql-logical-backup-scratch-pgstac", "owner"));
        assertEquals("dp_restore_drill", run.input(database, "cloudsql-logical-backup-scratch-dagster", "owner"));
        String extension = "postgresql:index/extension:Extension";
        assertEquals(List.of("btree_gist", "postgis", "unaccent"), run.all(extension).stream()
                .map(r -> (String) r.inputs().get("name")).sorted().toList());
        assertTrue(run.all(extension).stream().allMatch(r -> "restore_drill_pgstac".equals(r.inputs().get("database"))
                && "public".equals(r.inputs().get("schema"))));
        var provider = run.resource("pulumi:providers:postgresql", "cloudsql-logical-backup-postgresql");
        assertEquals("postgres", provider.inputs().get("username"), "the built-in admin, not the drill login");
        assertEquals("false", provider.inputs().get("superuser"));
        assertTrue(run.resource(database, "cloudsql-logical-backup-scratch-pgstac").options().provider()
                .contains("cloudsql-logical-backup-postgresql"));
        assertTrue(run.resource("kubernetes:batch/v1:Job", "cloudsql-logical-backup-restore-drill-pgstac-2026-12-01").options()
                .dependsOn().stream().anyMatch(u -> u.contains("cloudsql-logical-backup-scratch-pgstac-postgis")),
                "the drill runs after its scratch database has its extensions");
        assertEquals("postgres", run.input("postgresql:index/grantRole:GrantRole", "cloudsql-logical-backup-admin-in-dp_restore_drill", "role"));
        assertEquals("dp_restore_drill", run.input("postgresql:index/grantRole:GrantRole",
                "cloudsql-logical-backup-admin-in-dp_restore_drill", "grantRole"), "the admin joins the drill login, not the reverse");
        assertEquals(0, render(null).count(database), "no drill, no scratch database");
    }

    @ParameterizedTest
    @ValueSource(strings = {"30 1 * * *", "*/15 * * * *", "0 2 1,15 * 1-5", "0 0 * * 7", "5 4 * 12 0"})
    void validCronExpressions(String schedule) {
        assertEquals(java.util.Optional.empty(), LogicalBackup.cron(schedule));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "@daily", "30 1 * *", "30 1 * * * *", "60 1 * * *", "0 24 * * *", "0 0 0 * *",
            "0 0 * 13 *", "0 0 * * 8", "0 0 * * MON", "*/0 * * * *", "1- * * * *", "99999999999 * * * *"})
    void invalidCronExpressionsAreRefusedWithWhatIsAllowed(String schedule) {
        var problem = LogicalBackup.cron(schedule);
        assertTrue(problem.isPresent(), schedule);
        assertTrue(problem.get().contains("allowed: 5 fields"), problem.get());
        assertThrows(IllegalArgumentException.class, () -> new LogicalBackup.Args("p-roject", "europe-west1", CONNECTION,
                Output.of("10.0.0.1"), "b-ucket", "x", 7, false, schedule, List.of("d"), "l", "s", "k", null, null, Map.of(), false, Map.of()));
    }
}
