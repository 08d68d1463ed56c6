package dev.dataplatform.alerts;

import com.pulumi.resources.ComponentResourceOptions;
import dev.dataplatform.core.Environment;
import dev.dataplatform.core.EnvironmentProfile;
import dev.dataplatform.testing.Harness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RDS alarms as the aws provider receives them: metric, statistic, threshold in CloudWatch units, actions. */
class RdsAlarmsTest {
    static final String ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
    static final String TOPIC = "arn:aws:sns:eu-west-1:210987654321:data-platform-stage-alerts";

    static RdsAlarms.Args args(String topic, int allocated, int max, int maxConnections) {
        return new RdsAlarms.Args("dp-stage-rds", "data-platform-stage", EnvironmentProfile.alertThresholds(Environment.STAGE),
                topic, allocated, max, maxConnections, Map.of("team", "data"));
    }

    @Test
    void eachAlarmWatchesItsMetricOfTheInstanceAndNotifiesTheTopic() {
        var run = Harness.preview("stage", ctx -> new RdsAlarms("rds-alarms", args(TOPIC, 20, 200, 200),
                ComponentResourceOptions.Empty)).succeeded();
        assertEquals(7, run.count(ALARM));
        record Expected(String alarm, String metric, String statistic, String comparison, double threshold) {
        }
        for (var e : List.of(
                new Expected("cpu", "CPUUtilization", "Average", "GreaterThanThreshold", 85),
                // 5% of the 20 GiB allocation, in bytes: under autoscaling's own 10% trigger, so only a failed or blocked
                // autoscaling (ceiling reached, 6-hour wait) lets free space fall this low.
                new Expected("free-storage", "FreeStorageSpace", "Minimum", "LessThanThreshold", 1 * 1024.0 * 1024 * 1024),
                new Expected("freeable-memory", "FreeableMemory", "Average", "LessThanThreshold", 128 * 1024.0 * 1024),
                new Expected("connections", "DatabaseConnections", "Maximum", "GreaterThanThreshold", 170),
                new Expected("read-iops", "ReadIOPS", "Average", "GreaterThanThreshold", 2000),
                // WriteLatency is published in seconds: 25 ms.
                new Expected("write-latency", "WriteLatency", "Average", "GreaterThanThreshold", 0.025))) {
            String name = "rds-alarms-" + e.alarm();
            assertEquals("dp-stage-rds-" + e.alarm(), run.input(ALARM, name, "name"));
            assertEquals("AWS/RDS", run.input(ALARM, name, "namespace"), name);
            assertEquals(e.metric(), run.input(ALARM, name, "metricName"), name);
            assertEquals(Map.of("DBInstanceIdentifier", "data-platform-stage"), run.input(ALARM, name, "dimensions"), name);
            assertEquals(e.statistic(), run.input(ALARM, name, "statistic"), name);
            assertEquals(e.comparison(), run.input(ALARM, name, "comparisonOperator"), name);
            assertEquals(e.threshold(), ((Number) run.input(ALARM, name, "threshold")).doubleValue(), 1e-9, name);
            assertEquals(60, ((Number) run.input(ALARM, name, "period")).intValue(), name);
            assertEquals(10, ((Number) run.input(ALARM, name, "evaluationPeriods")).intValue(), "stage waits 10 minutes");
            assertEquals(10, ((Number) run.input(ALARM, name, "datapointsToAlarm")).intValue(), name);
            assertEquals(List.of(TOPIC), run.input(ALARM, name, "alarmActions"), name);
            assertEquals(List.of(TOPIC), run.input(ALARM, name, "okActions"), name);
            assertTrue(((String) run.input(ALARM, name, "alarmDescription")).contains("Runbook: docs/alerts.md#rds-"), name);
            assertEquals("missing", run.input(ALARM, name, "treatMissingData"), "a threshold alarm keeps its state without data: " + name);
        }
        // The outage alarm: a running instance publishes CPUUtilization every minute; no sample for 10 minutes breaches.
        String down = "rds-alarms-instance-down";
        assertEquals("dp-stage-rds-instance-down", run.input(ALARM, down, "name"));
        assertEquals("CPUUtilization", run.input(ALARM, down, "metricName"));
        assertEquals("SampleCount", run.input(ALARM, down, "statistic"));
        assertEquals("LessThanThreshold", run.input(ALARM, down, "comparisonOperator"));
        assertEquals(1.0, ((Number) run.input(ALARM, down, "threshold")).doubleValue());
        assertEquals("breaching", run.input(ALARM, down, "treatMissingData"), "missing data is the outage");
        assertEquals(10, ((Number) run.input(ALARM, down, "evaluationPeriods")).intValue());
        assertEquals(List.of(TOPIC), run.input(ALARM, down, "alarmActions"));
        assertTrue(((String) run.input(ALARM, down, "alarmDescription")).endsWith("Runbook: docs/alerts.md#rds-instance-down"));
        assertTrue(((String) run.input(ALARM, "rds-alarms-free-storage", "alarmDescription")).contains("ceiling 200 GiB"));
        // A looser ceiling percent still fires under the autoscaling trigger, never at it.
        assertEquals(5, RdsAlarms.freeStoragePercent(80));
        assertEquals(5, RdsAlarms.freeStoragePercent(90));
        assertEquals(2, RdsAlarms.freeStoragePercent(98));
    }

    @Test
    void freeStorageFollowsTheCurrentAllocation() {
        // Autoscaling grew the 20 GiB allocation to 150 GiB: the bar is 5% of 150 GiB, not of the first 20.
        var grown = new RdsAlarms.Args("dp-stage-rds", "data-platform-stage", EnvironmentProfile.alertThresholds(Environment.STAGE),
                TOPIC, 20, 200, 200, Map.of(), com.pulumi.core.Output.of(150));
        var run = Harness.preview("stage", ctx -> new RdsAlarms("rds-alarms", grown, ComponentResourceOptions.Empty)).succeeded();
        assertEquals(150 * 0.05 * 1024 * 1024 * 1024, ((Number) run.input(ALARM, "rds-alarms-free-storage", "threshold")).doubleValue(), 1.0);
        assertTrue(((String) run.input(ALARM, "rds-alarms-free-storage", "alarmDescription")).contains("5% of the 150 GiB allocation"));
    }

    @Test
    void readIopsMustStayUnderTheGp3Baseline() {
        assertEquals(3000, RdsAlarms.gp3BaselineIops(20));
        assertEquals(3000, RdsAlarms.gp3BaselineIops(399));
        assertEquals(12000, RdsAlarms.gp3BaselineIops(400));
        assertTrue(RdsAlarms.readIopsProblem(2999, 20).isEmpty());
        assertEquals("readIops 3000 can never be exceeded: gp3 storage of 20 GiB delivers 3000 IOPS in total (reads and writes; "
                + "below 400 GiB); allowed: 1 to 2999", RdsAlarms.readIopsProblem(3000, 20).orElseThrow());
        assertTrue(RdsAlarms.readIopsProblem(3000, 400).isEmpty(), "striped gp3: 12,000 IOPS");
        assertTrue(RdsAlarms.readIopsProblem(12000, 500).isPresent());
        var t = new dev.dataplatform.core.AlertThresholds(80, 90, 90, 80, 256, 3000, 20, 5, 120);
        var error = assertThrows(IllegalArgumentException.class, () -> new RdsAlarms.Args("dp-prod-rds", "data-platform-prod", t,
                TOPIC, 20, 500, 400, Map.of()));
        assertTrue(error.getMessage().contains("can never be exceeded"), error.getMessage());
        for (var env : Environment.values()) {
            assertTrue(RdsAlarms.readIopsProblem(EnvironmentProfile.alertThresholds(env).readIops(), 20).isEmpty(),
                    "every profile's default is reachable on the smallest volume: " + env);
        }
    }

    @Test
    void badArgsAreRefusedWithWhatIsAllowed() {
        record Bad(Runnable build, String fragment) {
        }
        for (var bad : List.of(
                new Bad(() -> args("alerts", 20, 200, 200), "allowed: an SNS topic ARN"),
                new Bad(() -> args(null, 20, 200, 200), "allowed: an SNS topic ARN"),
                new Bad(() -> args(TOPIC, 20, 10, 200), "the ceiling at least the allocation"),
                new Bad(() -> args(TOPIC, 20, 200, 0), "maxConnections"))) {
            var error = assertThrows(IllegalArgumentException.class, bad.build::run);
            assertTrue(error.getMessage().contains(bad.fragment()), error.getMessage());
        }
    }

    @Test
    void everyRunbookLinkNamesAKnownAnchor() {
        assertEquals("Runbook: docs/alerts.md#rds-cpu", Runbooks.link(Runbooks.RDS_CPU));
        assertThrows(IllegalArgumentException.class, () -> Runbooks.link("rds-nothing"));
    }
}
