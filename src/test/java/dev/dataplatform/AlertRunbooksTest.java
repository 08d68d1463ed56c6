package dev.dataplatform;

import dev.dataplatform.alerts.Runbooks;
import dev.dataplatform.engine.PlannedResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No alert without a runbook: every alert policy and alarm of the committed stacks names a section of docs/alerts.md
 * that exists, and the stacks alert where the issue asks (dev/prod Cloud SQL policies, stage/prod RDS alarms).
 */
class AlertRunbooksTest {
    static final String POLICY = "gcp:monitoring/alertPolicy:AlertPolicy";
    static final String ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
    static final Pattern RUNBOOK = Pattern.compile("Runbook: docs/alerts\\.md#([a-z0-9-]+)$");

    @Test
    void everyRunbookAnchorIsASectionOfTheAlertsPage() throws IOException {
        var anchors = DocsLinksTest.anchors(DocsLinksTest.ROOT.resolve(Runbooks.DOC));
        var missing = Runbooks.ALL.stream().filter(a -> !anchors.contains(a)).toList();
        assertEquals(List.of(), missing, "runbook anchors without a section in " + Runbooks.DOC);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void everyAlertOfTheStackNamesAnExistingRunbook(String stack) throws IOException {
        var anchors = DocsLinksTest.anchors(DocsLinksTest.ROOT.resolve(Runbooks.DOC));
        var resources = dev.dataplatform.program.CommittedPlans.of(stack).recording().resources();
        var problems = new ArrayList<String>();
        int alerts = 0;
        for (PlannedResource r : resources) {
            String text = r.type().equals(POLICY) ? (String) r.input("documentation.content").orElse("")
                    : r.type().equals(ALARM) ? (String) r.input("alarmDescription").orElse("") : null;
            if (text == null) {
                continue;
            }
            alerts++;
            var m = RUNBOOK.matcher(text);
            if (!m.find() || !anchors.contains(m.group(1))) {
                problems.add(r.name() + ": " + text);
            }
        }
        assertTrue(alerts > 0, stack + " declares alerts");
        assertEquals(List.of(), problems);
    }

    static List<PlannedResource> named(List<PlannedResource> resources, String type, String prefix) {
        return resources.stream().filter(r -> r.type().equals(type) && r.name().startsWith(prefix)).toList();
    }

    @Test
    void devAndProdAlertOnCloudSqlStageAndProdOnRds() {
        for (String stack : List.of("dev", "stage", "prod")) {
            var resources = dev.dataplatform.program.CommittedPlans.of(stack).recording().resources();
            boolean cloudSql = !stack.equals("stage");
            boolean rds = !stack.equals("dev");
            // Instance down, four metric policies (CPU, memory, disk ceiling, connections) and, since dev and prod back
            // up Cloud SQL, one on the backup Jobs' failure lines.
            assertEquals(cloudSql ? 6 : 0, named(resources, POLICY, "cloudsql-alerts-").size(), stack);
            assertEquals(rds ? 7 : 0, named(resources, ALARM, "rds-alarms-").size(), stack);
            if (cloudSql) {
                var down = named(resources, POLICY, "cloudsql-alerts-instance-down").get(0);
                assertTrue(((String) down.input("conditions.0.conditionThreshold.filter").orElseThrow())
                        .endsWith("metric.type = \"cloudsql.googleapis.com/database/up\""), stack);
                assertTrue(((String) down.input("conditions.1.conditionAbsent.filter").orElseThrow())
                        .endsWith("metric.type = \"cloudsql.googleapis.com/database/up\""), stack);
            }
            if (rds) {
                var breaching = named(resources, ALARM, "rds-alarms-").stream()
                        .filter(a -> "breaching".equals(a.input("treatMissingData").orElse(null))).map(PlannedResource::name).toList();
                assertEquals(List.of("rds-alarms-instance-down"), breaching, stack + ": a stopped instance publishes nothing");
                // No bar the configured gp3 volume can never reach (3,000 IOPS below 400 GiB).
                double readIops = ((Number) named(resources, ALARM, "rds-alarms-read-iops").get(0).input("threshold").orElseThrow())
                        .doubleValue();
                assertTrue(readIops < 3000, stack + ": read IOPS bar " + readIops);
            }
        }
    }

    @Test
    void stagesBackupAlarmsGoToTheAlertsTopic() {
        var resources = dev.dataplatform.program.CommittedPlans.of("stage").recording().resources();
        var backups = named(resources, ALARM, "rds-logical-backup-alarm-");
        assertEquals(6, backups.size(), "BackupSucceeded and RestoreDrillSucceeded for metadata, dagster, polaris");
        for (var alarm : backups) {
            assertEquals(List.of("arn:aws:sns:eu-west-1:210987654321:data-platform-stage-alerts"),
                    alarm.input("alarmActions").orElseThrow(), alarm.name());
        }
        var prod = dev.dataplatform.program.CommittedPlans.of("prod").recording().resources();
        var cpu = named(prod, POLICY, "cloudsql-alerts-cpu").get(0);
        assertEquals(0.75, ((Number) cpu.input("conditions.0.conditionThreshold.thresholdValue").orElseThrow()).doubleValue(),
                1e-9, "prod's override");
        assertEquals(Map.of("DBInstanceIdentifier", "data-platform-prod"),
                named(prod, ALARM, "rds-alarms-cpu").get(0).input("dimensions").orElseThrow());
    }
}
