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
 * {@value #DIMENSION}): the instance reporting no metrics at all (stopped, deleted, failed: missing data breaches),
 * CPUUtilization, FreeStorageSpace as a fraction of the current allocation once storage autoscaling can no longer
 * replenish it, FreeableMemory, DatabaseConnections against max_connections, ReadIOPS under the gp3 volume's baseline
 * and WriteLatency. Each sends its alarm and its OK to the SNS topic and names its runbook in docs/alerts.md. Units are
 * the ones RDS publishes (percent, bytes, count, count/second, seconds; docs/upstream-facts.md, "Alerts").
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
     * @param allocatedStorageGb the instance's configured gp3 storage (GiB) before any autoscaling: its baseline IOPS
     *                           bound {@code readIops}
     * @param maxAllocatedStorageGb the storage autoscaling ceiling (GiB), named in the storage alarm's description
     * @param maxConnections     the instance's max_connections
     * @param labels             tags on every alarm
     * @param currentAllocatedStorageGb the instance's allocated storage as the stack's state records it (grown by
     *                           autoscaling, read back by a refresh), or null for {@code allocatedStorageGb}: the free
     *                           storage alarm's bar is a fraction of it
     */
    public record Args(String alarmPrefix, String identifier, AlertThresholds thresholds, String topicArn, int allocatedStorageGb,
                       int maxAllocatedStorageGb, int maxConnections, Map<String, String> labels,
                       Output<Integer> currentAllocatedStorageGb) {
        public Args(String alarmPrefix, String identifier, AlertThresholds thresholds, String topicArn, int allocatedStorageGb,
                    int maxAllocatedStorageGb, int maxConnections, Map<String, String> labels) {
            this(alarmPrefix, identifier, thresholds, topicArn, allocatedStorageGb, maxAllocatedStorageGb, maxConnections, labels, null);
        }

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
            readIopsProblem(thresholds.readIops(), allocatedStorageGb).ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
            labels = labels == null ? Map.of() : Map.copyOf(labels);
            if (currentAllocatedStorageGb == null) {
                currentAllocatedStorageGb = Output.of(allocatedStorageGb);
            }
        }
    }

    /** gp3 volumes of RDS for PostgreSQL deliver this many IOPS (reads and writes together) without provisioned IOPS. */
    public static int gp3BaselineIops(int allocatedStorageGb) {
        return allocatedStorageGb < GP3_STRIPED_FROM_GIB ? 3_000 : 12_000;
    }

    /** From this allocation RDS stripes gp3 storage over four volumes: 12,000 baseline IOPS instead of 3,000. */
    public static final int GP3_STRIPED_FROM_GIB = 400;

    /**
     * Why a ReadIOPS bar can never be crossed on the configured storage, or empty: reads alone cannot exceed the volume's
     * baseline (storage only grows, so the configured allocation's baseline is the lowest the instance will have).
     */
    public static java.util.Optional<String> readIopsProblem(int readIops, int allocatedStorageGb) {
        int baseline = gp3BaselineIops(allocatedStorageGb);
        if (readIops < baseline) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("readIops " + readIops + " can never be exceeded: gp3 storage of " + allocatedStorageGb
                + " GiB delivers " + baseline + " IOPS in total (reads and writes; " + (allocatedStorageGb < GP3_STRIPED_FROM_GIB
                ? "below " + GP3_STRIPED_FROM_GIB + " GiB" : GP3_STRIPED_FROM_GIB + " GiB or more") + "); allowed: 1 to " + (baseline - 1));
    }

    /** The alarms' names. */
    public final Output<List<String>> alarms;

    public RdsAlarms(String name, Args args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var t = args.thresholds();
        var names = new ArrayList<Output<String>>();
        names.add(instanceDown(name, args));
        names.add(alarm(name, "cpu", args, Runbooks.RDS_CPU, "CPUUtilization", "Average", "GreaterThanThreshold",
                Output.of((double) t.cpuPercent()), Output.of("CPU utilization above " + t.cpuPercent() + "%")));
        int freePercent = freeStoragePercent(t.diskCeilingPercent());
        names.add(alarm(name, "free-storage", args, Runbooks.RDS_FREE_STORAGE, "FreeStorageSpace", "Minimum",
                "LessThanThreshold", args.currentAllocatedStorageGb().applyValue(gb -> freeStorageBytes(gb, t.diskCeilingPercent())),
                args.currentAllocatedStorageGb().applyValue(gb -> "free storage below " + freePercent + "% of the " + gb
                        + " GiB allocation: storage autoscaling is not replenishing it (ceiling " + args.maxAllocatedStorageGb()
                        + " GiB reached, or within 6 hours of the last increase)")));
        names.add(alarm(name, "freeable-memory", args, Runbooks.RDS_FREEABLE_MEMORY, "FreeableMemory", "Average",
                "LessThanThreshold", Output.of(t.freeableMemoryMiB() * BYTES_PER_MIB),
                Output.of("freeable memory below " + t.freeableMemoryMiB() + " MiB")));
        names.add(alarm(name, "connections", args, Runbooks.RDS_CONNECTIONS, "DatabaseConnections", "Maximum",
                "GreaterThanThreshold", Output.of(CloudSqlAlerts.connectionsThreshold(args.maxConnections(), t.connectionsPercent())),
                Output.of("connections above " + t.connectionsPercent() + "% of max_connections " + args.maxConnections())));
        names.add(alarm(name, "read-iops", args, Runbooks.RDS_READ_IOPS, "ReadIOPS", "Average", "GreaterThanThreshold",
                Output.of((double) t.readIops()), Output.of("read IOPS above " + t.readIops() + " (gp3 baseline "
                        + gp3BaselineIops(args.allocatedStorageGb()) + " IOPS at " + args.allocatedStorageGb() + " GiB)")));
        names.add(alarm(name, "write-latency", args, Runbooks.RDS_WRITE_LATENCY, "WriteLatency", "Average",
                "GreaterThanThreshold", Output.of(t.writeLatencyMs() / 1000.0),
                Output.of("write latency above " + t.writeLatencyMs() + " ms")));
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

    /**
     * RDS publishes CPUUtilization every minute while the instance runs; a stopped, deleted or failed instance publishes
     * nothing. Missing data breaches here (and only here): no sample for {@code forMinutes} minutes is the outage.
     */
    private Output<String> instanceDown(String name, Args args) {
        int periods = args.thresholds().forMinutes();
        return new MetricAlarm(name + "-instance-down", base(args, "instance-down")
                .alarmDescription("RDS " + args.identifier() + ": the instance reports no metrics (stopped, deleted or failed) for "
                        + periods + " minutes. " + Runbooks.link(Runbooks.RDS_DOWN))
                .metricName("CPUUtilization")
                .statistic("SampleCount")
                .evaluationPeriods(periods)
                .datapointsToAlarm(periods)
                .comparisonOperator("LessThanThreshold")
                .threshold(1.0)
                .treatMissingData("breaching")
                .build(), CustomResourceOptions.builder().parent(this).build()).name();
    }

    private static MetricAlarmArgs.Builder base(Args args, String alarm) {
        return MetricAlarmArgs.builder()
                .name(args.alarmPrefix() + "-" + alarm)
                .namespace(NAMESPACE)
                .dimensions(Map.of(DIMENSION, args.identifier()))
                .period(PERIOD_SECONDS)
                .alarmActions(args.topicArn())
                .okActions(args.topicArn())
                .tags(args.labels());
    }

    /** A threshold alarm; missing data keeps its state (a missing metric is the instance-down alarm's business). */
    private Output<String> alarm(String name, String alarm, Args args, String runbook, String metric, String statistic,
                                 String comparison, Output<Double> threshold, Output<String> what) {
        int periods = args.thresholds().forMinutes();
        var resource = new MetricAlarm(name + "-" + alarm, base(args, alarm)
                .alarmDescription(what.applyValue(w -> "RDS " + args.identifier() + ": " + w + " for " + periods + " minutes. "
                        + Runbooks.link(runbook)))
                .metricName(metric)
                .statistic(statistic)
                .evaluationPeriods(periods)
                .datapointsToAlarm(periods)
                .comparisonOperator(comparison)
                .threshold(threshold)
                .treatMissingData("missing")
                .build(), CustomResourceOptions.builder().parent(this).build());
        return resource.name();
    }
}
