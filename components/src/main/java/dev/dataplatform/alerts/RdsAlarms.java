package dev.dataplatform.alerts;

import com.pulumi.aws.cloudwatch.MetricAlarm;
import com.pulumi.aws.cloudwatch.MetricAlarmArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import dev.dataplatform.core.AlertThresholds;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * CloudWatch alarms for one RDS for PostgreSQL instance (namespace {@value #NAMESPACE}, dimension
 * {@value #DIMENSION}): CPUUtilization, FreeStorageSpace once storage autoscaling can no longer replenish it,
 * FreeableMemory, DatabaseConnections against max_connections, ReadIOPS and WriteLatency. Each sends its alarm and
 * its OK to the SNS topic and names its runbook in docs/alerts.md. Units are the ones RDS publishes (percent, bytes,
 * count, count/second, seconds; docs/upstream-facts.md, "Alerts").
 *
 * <p>Children are named {@code <name>-<alarm>}; those names are URNs.
 */
public final class RdsAlarms extends ComponentResource {
    public static final String TYPE = "dataplatform:alerts:RdsAlarms";
    public static final String NAMESPACE = "AWS/RDS";
    public static final String DIMENSION = "DBInstanceIdentifier";
    /** Each data point covers a minute; a condition must hold for {@code forMinutes} of them in a row. */
    public static final int PERIOD_SECONDS = 60;
    public static final double BYTES_PER_GIB = 1024.0 * 1024 * 1024;
    public static final double BYTES_PER_MIB = 1024.0 * 1024;
    public static final Pattern SNS_TOPIC = Pattern.compile("arn:aws(-[a-z]+)?:sns:[a-z]{2}(-gov)?-[a-z]+-\\d:\\d{12}:[A-Za-z0-9_-]{1,256}");

    /**
     * @param alarmPrefix        the alarms' names start with it (e.g. {@code dp-stage-rds})
     * @param identifier         the DB instance identifier
     * @param thresholds         when each alarm fires
     * @param topicArn           the SNS topic for alarm and OK notifications
     * @param allocatedStorageGb the instance's allocated storage (GiB) before any autoscaling
     * @param maxAllocatedStorageGb the storage autoscaling ceiling (GiB), named in the storage alarm's description
     * @param maxConnections     the instance's max_connections
     * @param labels             tags on every alarm
     */
    public record Args(String alarmPrefix, String identifier, AlertThresholds thresholds, String topicArn, int allocatedStorageGb,
                       int maxAllocatedStorageGb, int maxConnections, Map<String, String> labels) {
        public Args {
            Objects.requireNonNull(alarmPrefix, "alarmPrefix");
            Objects.requireNonNull(identifier, "identifier");
            Objects.requireNonNull(thresholds, "thresholds");
            if (topicArn == null || !SNS_TOPIC.matcher(topicArn).matches()) {
                throw new IllegalArgumentException("topicArn " + topicArn + " is not valid; allowed: an SNS topic ARN such as "
                        + "arn:aws:sns:eu-west-1:123456789012:alerts");
            }
            if (allocatedStorageGb < 1 || maxAllocatedStorageGb < allocatedStorageGb) {
                throw new IllegalArgumentException("storage must be at least 1 GiB and the ceiling at least the allocation");
            }
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1");
            }
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }
    }

    /** The alarms' names. */
    public final Output<List<String>> alarms;

    public RdsAlarms(String name, Args args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var t = args.thresholds();
        var names = new ArrayList<Output<String>>();
        names.add(alarm(name, "cpu", args, Runbooks.RDS_CPU, "CPUUtilization", "Average", "GreaterThanThreshold",
                t.cpuPercent(), "CPU utilization above " + t.cpuPercent() + "%"));
        names.add(alarm(name, "free-storage", args, Runbooks.RDS_FREE_STORAGE, "FreeStorageSpace", "Minimum",
                "LessThanThreshold", freeStorageBytes(args.allocatedStorageGb(), t.diskCeilingPercent()),
                "free storage below " + freeStoragePercent(t.diskCeilingPercent()) + "% of the " + args.allocatedStorageGb()
                        + " GiB allocation: storage autoscaling is not replenishing it (ceiling " + args.maxAllocatedStorageGb()
                        + " GiB reached, or within 6 hours of the last increase)"));
        names.add(alarm(name, "freeable-memory", args, Runbooks.RDS_FREEABLE_MEMORY, "FreeableMemory", "Average",
                "LessThanThreshold", t.freeableMemoryMiB() * BYTES_PER_MIB,
                "freeable memory below " + t.freeableMemoryMiB() + " MiB"));
        names.add(alarm(name, "connections", args, Runbooks.RDS_CONNECTIONS, "DatabaseConnections", "Maximum",
                "GreaterThanThreshold", CloudSqlAlerts.connectionsThreshold(args.maxConnections(), t.connectionsPercent()),
                "connections above " + t.connectionsPercent() + "% of max_connections " + args.maxConnections()));
        names.add(alarm(name, "read-iops", args, Runbooks.RDS_READ_IOPS, "ReadIOPS", "Average", "GreaterThanThreshold",
                t.readIops(), "read IOPS above " + t.readIops()));
        names.add(alarm(name, "write-latency", args, Runbooks.RDS_WRITE_LATENCY, "WriteLatency", "Average",
                "GreaterThanThreshold", t.writeLatencyMs() / 1000.0, "write latency above " + t.writeLatencyMs() + " ms"));
        this.alarms = Output.all(names);
        registerOutputs(Map.of("alarms", alarms));
    }

    /**
     * Storage autoscaling grows the allocation when free space is at most 10 % for 5 minutes (and 6 hours have passed
     * since the last change): the alarm watches for less than that, so the first, normal autoscaling event does not page.
     */
    static final int AUTOSCALING_TRIGGER_FREE_PERCENT = 10;

    /** Percent of the allocation below which the storage alarm fires: {@code min(100 - diskCeilingPercent, 5)}. */
    public static int freeStoragePercent(int diskCeilingPercent) {
        return Math.min(100 - diskCeilingPercent, AUTOSCALING_TRIGGER_FREE_PERCENT / 2);
    }

    /** Free bytes below which the storage alarm fires: {@link #freeStoragePercent} of the allocation. */
    public static double freeStorageBytes(int allocatedStorageGb, int diskCeilingPercent) {
        return Math.floor(allocatedStorageGb * BYTES_PER_GIB * freeStoragePercent(diskCeilingPercent) / 100.0);
    }

    private Output<String> alarm(String name, String alarm, Args args, String runbook, String metric, String statistic,
                                 String comparison, double threshold, String what) {
        int periods = args.thresholds().forMinutes();
        var resource = new MetricAlarm(name + "-" + alarm, MetricAlarmArgs.builder()
                .name(args.alarmPrefix() + "-" + alarm)
                .alarmDescription("RDS " + args.identifier() + ": " + what + " for " + periods + " minutes. "
                        + Runbooks.link(runbook))
                .namespace(NAMESPACE)
                .metricName(metric)
                .dimensions(Map.of(DIMENSION, args.identifier()))
                .statistic(statistic)
                .period(PERIOD_SECONDS)
                .evaluationPeriods(periods)
                .datapointsToAlarm(periods)
                .comparisonOperator(comparison)
                .threshold(threshold)
                .treatMissingData("missing")
                .alarmActions(args.topicArn())
                .okActions(args.topicArn())
                .tags(args.labels())
                .build(), CustomResourceOptions.builder().parent(this).build());
        return resource.name();
    }
}
