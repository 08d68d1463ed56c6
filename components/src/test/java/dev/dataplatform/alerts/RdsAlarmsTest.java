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
        assertEquals(6, run.count(ALARM));
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
        }
        assertTrue(((String) run.input(ALARM, "rds-alarms-free-storage", "alarmDescription")).contains("ceiling 200 GiB"));
        // A looser ceiling percent still fires under the autoscaling trigger, never at it.
        assertEquals(5, RdsAlarms.freeStoragePercent(80));
        assertEquals(5, RdsAlarms.freeStoragePercent(90));
        assertEquals(2, RdsAlarms.freeStoragePercent(98));
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
