package dev.dataplatform.alerts;

import com.pulumi.resources.ComponentResourceOptions;
import dev.dataplatform.core.AlertThresholds;
import dev.dataplatform.core.Environment;
import dev.dataplatform.core.EnvironmentProfile;
import dev.dataplatform.testing.Harness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Cloud SQL alert policies as the gcp provider receives them: metric, threshold, comparison, duration, channels. */
class CloudSqlAlertsTest {
    static final String POLICY = "gcp:monitoring/alertPolicy:AlertPolicy";
    static final String CHANNEL = "gcp:monitoring/notificationChannel:NotificationChannel";
    static final String SLACK = "projects/acme-data-prod/notificationChannels/9182736450918273645";
    static final AlertThresholds PROD = EnvironmentProfile.alertThresholds(Environment.PROD);

    static CloudSqlAlerts.Args args(List<String> channels, List<String> emails, int ceilingGb) {
        return new CloudSqlAlerts.Args("acme-data-prod", "data-platform-prod", PROD, channels, emails, ceilingGb, 400,
                Map.of("team", "data"), null);
    }

    static Harness.Run render(CloudSqlAlerts.Args args) {
        return Harness.preview("prod", ctx -> new CloudSqlAlerts("cloudsql-alerts", args, ComponentResourceOptions.Empty))
                .succeeded();
    }

    static String filter(String metric) {
        return "resource.type = \"cloudsql_database\" AND resource.labels.database_id = \"acme-data-prod:data-platform-prod\""
                + " AND metric.type = \"cloudsql.googleapis.com/" + metric + "\"";
    }

    @Test
    void eachPolicyWatchesItsMetricOfTheInstanceAgainstTheProfilesThreshold() {
        var run = render(args(List.of(SLACK), List.of(), 1000));
        assertEquals(5, run.count(POLICY), "instance down, cpu, memory, disk ceiling, connections: no disk/utilization policy under autoresize");
        assertEquals(0, run.count(CHANNEL), "existing channels are referenced, not created");
        record Expected(String name, String metric, String aligner, double threshold) {
        }
        for (var e : List.of(
                new Expected("cloudsql-alerts-cpu", "database/cpu/utilization", "ALIGN_MEAN", 0.80),
                new Expected("cloudsql-alerts-memory", "database/memory/utilization", "ALIGN_MEAN", 0.90),
                new Expected("cloudsql-alerts-disk-ceiling", "database/disk/bytes_used", "ALIGN_MAX", 900e9),
                new Expected("cloudsql-alerts-connections", "database/postgresql/num_backends", "ALIGN_MAX", 320))) {
            String c = "conditions.0.conditionThreshold.";
            assertEquals(filter(e.metric()), run.input(POLICY, e.name(), c + "filter"), e.name());
            assertEquals("COMPARISON_GT", run.input(POLICY, e.name(), c + "comparison"), e.name());
            assertEquals(e.threshold(), ((Number) run.input(POLICY, e.name(), c + "thresholdValue")).doubleValue(), 1e-6, e.name());
            assertEquals("300s", run.input(POLICY, e.name(), c + "duration"), "prod waits 5 minutes: " + e.name());
            assertEquals(e.aligner(), run.input(POLICY, e.name(), c + "aggregations.0.perSeriesAligner"), e.name());
            assertEquals("60s", run.input(POLICY, e.name(), c + "aggregations.0.alignmentPeriod"), e.name());
            assertEquals(List.of(SLACK), run.input(POLICY, e.name(), "notificationChannels"), e.name());
            assertEquals("acme-data-prod", run.input(POLICY, e.name(), "project"), e.name());
            assertTrue(((String) run.input(POLICY, e.name(), "documentation.content")).contains("Runbook: docs/alerts.md#"),
                    e.name());
        }
        assertEquals("REDUCE_SUM", run.input(POLICY, "cloudsql-alerts-connections",
                "conditions.0.conditionThreshold.aggregations.0.crossSeriesReducer"), "backends are summed over databases");
        assertEquals(List.of("resource.label.database_id"), run.input(POLICY, "cloudsql-alerts-connections",
                "conditions.0.conditionThreshold.aggregations.0.groupByFields"));
        assertTrue(((String) run.input(POLICY, "cloudsql-alerts-disk-ceiling", "documentation.content"))
                .endsWith("Runbook: docs/alerts.md#cloud-sql-disk-ceiling"));
    }

    @Test
    void theInstanceDownPolicyFiresOnDatabaseUpZeroOrOnNoDataAtAll() {
        var run = render(args(List.of(SLACK), List.of(), 1000));
        String name = "cloudsql-alerts-instance-down";
        assertEquals("OR", run.input(POLICY, name, "combiner"), "either condition pages");
        String t = "conditions.0.conditionThreshold.";
        assertEquals(filter("database/up"), run.input(POLICY, name, t + "filter"));
        assertEquals("COMPARISON_LT", run.input(POLICY, name, t + "comparison"));
        assertEquals(1.0, ((Number) run.input(POLICY, name, t + "thresholdValue")).doubleValue());
        assertEquals("300s", run.input(POLICY, name, t + "duration"));
        assertEquals("ALIGN_MAX", run.input(POLICY, name, t + "aggregations.0.perSeriesAligner"));
        String a = "conditions.1.conditionAbsent.";
        assertEquals(filter("database/up"), run.input(POLICY, name, a + "filter"), "a stopped instance reports nothing");
        assertEquals("300s", run.input(POLICY, name, a + "duration"));
        assertEquals("60s", run.input(POLICY, name, a + "aggregations.0.alignmentPeriod"));
        assertEquals(List.of(SLACK), run.input(POLICY, name, "notificationChannels"));
        assertTrue(((String) run.input(POLICY, name, "documentation.content")).endsWith("Runbook: docs/alerts.md#cloud-sql-instance-down"));
    }

    @Test
    void withTheBackupNamespaceAPolicyMatchesTheJobsFailureLines() {
        var a = args(List.of(SLACK), List.of(), 1000);
        var run = render(new CloudSqlAlerts.Args(a.project(), a.instanceName(), a.thresholds(), a.notificationChannels(),
                a.emails(), a.diskAutoresizeLimitGb(), a.maxConnections(), a.labels(), "pg-logical-backups"));
        assertEquals(6, run.count(POLICY));
        String name = "cloudsql-alerts-logical-backup-failed";
        assertEquals("resource.type=\"k8s_container\" AND resource.labels.namespace_name=\"pg-logical-backups\" AND "
                + "(jsonPayload.result=\"failure\" OR textPayload:\"\\\"result\\\":\\\"failure\\\"\")",
                run.input(POLICY, name, "conditions.0.conditionMatchedLog.filter"));
        assertEquals("3600s", run.input(POLICY, name, "alertStrategy.notificationRateLimit.period"),
                "log-match policies must limit notifications");
        assertEquals(List.of(SLACK), run.input(POLICY, name, "notificationChannels"));
        assertTrue(((String) run.input(POLICY, name, "documentation.content"))
                .endsWith("Runbook: docs/alerts.md#cloud-sql-logical-backup-or-restore-drill"));
    }

    @Test
    void withoutAnAutoresizeCeilingThereIsNoCeilingPolicy() {
        var run = render(args(List.of(SLACK), List.of(), 0));
        assertEquals(4, run.count(POLICY));
        assertTrue(run.all(POLICY).stream().noneMatch(r -> r.name().endsWith("disk-ceiling")));
    }

    @Test
    void eachEmailAddressGetsAnEmailChannel() {
        var run = render(args(List.of(), List.of("dba-oncall@acme.example"), 1000));
        assertEquals(1, run.count(CHANNEL));
        String channel = "cloudsql-alerts-email-dba-oncall@acme.example";
        assertEquals("email", run.input(CHANNEL, channel, "type"));
        assertEquals(Map.of("email_address", "dba-oncall@acme.example"), run.input(CHANNEL, channel, "labels"));
        assertEquals("acme-data-prod", run.input(CHANNEL, channel, "project"));
        // The created channel's name is known only after creation: the policies' channel list waits for it.
        assertEquals(dev.dataplatform.engine.Masking.UNKNOWN, run.input(POLICY, "cloudsql-alerts-cpu", "notificationChannels"));
    }

    @Test
    void thresholdsFollowTheEnvironment() {
        var dev = EnvironmentProfile.alertThresholds(Environment.DEV);
        var run = Harness.preview("dev", ctx -> new CloudSqlAlerts("cloudsql-alerts", new CloudSqlAlerts.Args("acme-data-dev",
                "data-platform-dev", dev, List.of(SLACK.replace("prod", "dev")), List.of(), 50, 100, Map.of(), null),
                ComponentResourceOptions.Empty)).succeeded();
        String c = "conditions.0.conditionThreshold.";
        assertEquals(0.90, ((Number) run.input(POLICY, "cloudsql-alerts-cpu", c + "thresholdValue")).doubleValue(), 1e-9);
        assertEquals("900s", run.input(POLICY, "cloudsql-alerts-cpu", c + "duration"));
        assertEquals(45e9, ((Number) run.input(POLICY, "cloudsql-alerts-disk-ceiling", c + "thresholdValue")).doubleValue(), 1);
        assertEquals(90.0, ((Number) run.input(POLICY, "cloudsql-alerts-connections", c + "thresholdValue")).doubleValue());
    }

    @Test
    void badArgsAreRefusedWithWhatIsAllowed() {
        record Bad(Runnable build, String fragment) {
        }
        for (var bad : List.of(
                new Bad(() -> args(List.of("projects/acme/notificationChannels/1"), List.of(), 0), "is not valid"),
                new Bad(() -> args(List.of("9182736450918273645"), List.of(), 0), "projects/<project>/notificationChannels/<numeric id>"),
                new Bad(() -> args(List.of(), List.of("not-an-address"), 0), "e-mail not-an-address is not valid"),
                new Bad(() -> args(List.of(), List.of(), 0), "at least one notification channel"),
                new Bad(() -> args(List.of(SLACK), List.of(), -1), "diskAutoresizeLimitGb"),
                new Bad(() -> new CloudSqlAlerts.Args("acme-data-prod", "i", PROD, List.of(SLACK), List.of(), 0, 0, Map.of(), null),
                        "maxConnections"),
                new Bad(() -> new AlertThresholds(101, 90, 90, 80, 256, 3000, 20, 5, 120), "cpuPercent 101 is out of range; allowed: 10 to 99"),
                new Bad(() -> new AlertThresholds(80, 90, 90, 100, 256, 3000, 20, 5, 120), "connectionsPercent 100 is out of range; allowed: 10 to 99"),
                new Bad(() -> new AlertThresholds(80, 90, 40, 80, 256, 3000, 20, 5, 120), "diskCeilingPercent 40 is out of range; allowed: 50 to 99"))) {
            var error = assertThrows(IllegalArgumentException.class, bad.build::run);
            assertTrue(error.getMessage().contains(bad.fragment()), error.getMessage());
        }
    }
}
