package dev.dataplatform.alerts;

import com.pulumi.core.Output;
import com.pulumi.gcp.monitoring.AlertPolicy;
import com.pulumi.gcp.monitoring.AlertPolicyArgs;
import com.pulumi.gcp.monitoring.NotificationChannel;
import com.pulumi.gcp.monitoring.NotificationChannelArgs;
import com.pulumi.gcp.monitoring.inputs.AlertPolicyAlertStrategyArgs;
import com.pulumi.gcp.monitoring.inputs.AlertPolicyAlertStrategyNotificationRateLimitArgs;
import com.pulumi.gcp.monitoring.inputs.AlertPolicyConditionArgs;
import com.pulumi.gcp.monitoring.inputs.AlertPolicyConditionConditionAbsentAggregationArgs;
import com.pulumi.gcp.monitoring.inputs.AlertPolicyConditionConditionAbsentArgs;
import com.pulumi.gcp.monitoring.inputs.AlertPolicyConditionConditionMatchedLogArgs;
import com.pulumi.gcp.monitoring.inputs.AlertPolicyConditionConditionThresholdAggregationArgs;
import com.pulumi.gcp.monitoring.inputs.AlertPolicyConditionConditionThresholdArgs;
import com.pulumi.gcp.monitoring.inputs.AlertPolicyDocumentationArgs;
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
 * Cloud Monitoring alert policies for one Cloud SQL for PostgreSQL instance: the instance down ({@code database/up}
 * reporting 0, or not reported at all), CPU and memory utilization, bytes used against the autoresize ceiling, and
 * connections ({@code num_backends}) against the instance's max_connections. Each
 * notifies the given channels (existing ones by ID, plus an {@code email} channel created here per address) and names
 * its runbook in docs/alerts.md.
 *
 * <p>No replication lag policy: {@code database/replication/replica_lag} is reported for read replicas ("seconds the read
 * replica is behind its primary"), and the program declares none; a regional (HA) instance's standby is not a replica.
 *
 * <p>The metrics are of resource type {@code cloudsql_database}, whose {@code database_id} label is
 * {@code <project>:<instance>} (see docs/upstream-facts.md, "Alerts"). Children are named {@code <name>-<alert>}; those
 * names are URNs.
 */
public final class CloudSqlAlerts extends ComponentResource {
    public static final String TYPE = "dataplatform:alerts:CloudSqlAlerts";
    public static final String METRIC_PREFIX = "cloudsql.googleapis.com/";
    public static final String UP = "database/up";
    public static final String CPU = "database/cpu/utilization";
    public static final String MEMORY = "database/memory/utilization";
    public static final String DISK_BYTES = "database/disk/bytes_used";
    public static final String BACKENDS = "database/postgresql/num_backends";
    /** Bytes in the autoresize limit's GB, taken as 10^9 so the ceiling alert errs early rather than late. */
    public static final double BYTES_PER_GB = 1e9;
    /** A Cloud Monitoring notification channel's resource name. */
    public static final Pattern CHANNEL = Pattern.compile("projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/notificationChannels/[0-9]{1,20}");
    public static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(\\.[A-Za-z0-9-]{1,63})+");

    /**
     * @param project               the instance's project (where the policies and channels are created)
     * @param instanceName          the instance
     * @param thresholds            when each policy fires
     * @param notificationChannels  existing channels ({@code projects/P/notificationChannels/N}: Slack, PagerDuty, ...)
     * @param emails                addresses to create {@code email} channels for
     * @param diskAutoresizeLimitGb the autoresize ceiling, or 0 for none (then no ceiling policy)
     * @param maxConnections        the instance's max_connections
     * @param labels                user labels on policies and channels
     * @param backupNamespace       the namespace of the logical backup and restore drill Jobs (on a GKE cluster of
     *                              {@code project}), or null: then no policy on their failure lines
     */
    public record Args(String project, String instanceName, AlertThresholds thresholds, List<String> notificationChannels,
                       List<String> emails, int diskAutoresizeLimitGb, int maxConnections, Map<String, String> labels,
                       String backupNamespace) {
        public Args {
            Objects.requireNonNull(project, "project");
            Objects.requireNonNull(instanceName, "instanceName");
            Objects.requireNonNull(thresholds, "thresholds");
            notificationChannels = notificationChannels == null ? List.of() : List.copyOf(notificationChannels);
            emails = emails == null ? List.of() : List.copyOf(emails);
            for (String channel : notificationChannels) {
                if (!CHANNEL.matcher(channel).matches()) {
                    throw new IllegalArgumentException("notification channel " + channel + " is not valid; allowed: "
                            + "projects/<project>/notificationChannels/<numeric id>");
                }
            }
            for (String email : emails) {
                if (!EMAIL.matcher(email).matches()) {
                    throw new IllegalArgumentException("e-mail " + email + " is not valid; allowed: an address such as oncall@example.com");
                }
            }
            if (notificationChannels.isEmpty() && emails.isEmpty()) {
                throw new IllegalArgumentException("alerts need at least one notification channel or e-mail address");
            }
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1");
            }
            if (diskAutoresizeLimitGb < 0) {
                throw new IllegalArgumentException("diskAutoresizeLimitGb must be 0 (none) or more");
            }
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }

        /** {@code <project>:<instance>}: the {@code database_id} label of the instance's metrics. */
        public String databaseId() {
            return project + ":" + instanceName;
        }
    }

    /** The policies' names by runbook anchor (resource names, known after creation). */
    public final Output<List<String>> policies;

    public CloudSqlAlerts(String name, Args args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var child = CustomResourceOptions.builder().parent(this).build();
        var t = args.thresholds();

        var channels = new ArrayList<Output<String>>();
        args.notificationChannels().forEach(c -> channels.add(Output.of(c)));
        for (String email : args.emails()) {
            var channel = new NotificationChannel(name + "-email-" + email, NotificationChannelArgs.builder()
                    .project(args.project())
                    .type("email")
                    .displayName("data-platform alerts: " + email)
                    .labels(Map.of("email_address", email))
                    .userLabels(args.labels())
                    .build(), child);
            channels.add(channel.name());
        }
        Output<List<String>> notify = Output.all(channels);

        var created = new ArrayList<Output<String>>();
        created.add(instanceDown(name + "-instance-down", args, notify, child));
        created.add(policy(name + "-cpu", args, notify, Runbooks.CLOUD_SQL_CPU, "CPU utilization above " + t.cpuPercent() + "%",
                CPU, "ALIGN_MEAN", t.cpuPercent() / 100.0, child));
        created.add(policy(name + "-memory", args, notify, Runbooks.CLOUD_SQL_MEMORY,
                "memory utilization above " + t.memoryPercent() + "%", MEMORY, "ALIGN_MEAN", t.memoryPercent() / 100.0, child));
        // No policy on disk/utilization: autoresize (always on) adds space only when little is free, so utilization
        // stays high by design on a large disk; the ceiling policy watches what can really run out.
        if (args.diskAutoresizeLimitGb() > 0) {
            created.add(policy(name + "-disk-ceiling", args, notify, Runbooks.CLOUD_SQL_DISK_CEILING,
                    "bytes used above " + t.diskCeilingPercent() + "% of the " + args.diskAutoresizeLimitGb()
                            + " GB autoresize ceiling", DISK_BYTES, "ALIGN_MAX",
                    diskCeilingBytes(args.diskAutoresizeLimitGb(), t.diskCeilingPercent()), child));
        }
        created.add(policy(name + "-connections", args, notify, Runbooks.CLOUD_SQL_CONNECTIONS,
                "connections above " + t.connectionsPercent() + "% of max_connections " + args.maxConnections(),
                BACKENDS, "ALIGN_MAX", connectionsThreshold(args.maxConnections(), t.connectionsPercent()), child));
        if (args.backupNamespace() != null) {
            created.add(backupFailures(name + "-logical-backup-failed", args, notify, child));
        }
        this.policies = Output.all(created);
        registerOutputs(Map.of("policies", policies));
    }

    /**
     * The backup and drill Jobs print one JSON line per step with {@code "result":"failure"} when it fails: a log-match
     * condition on those lines in the Jobs' namespace (parsed into {@code jsonPayload}, or left as text). Log-match
     * policies must limit their notifications; one per hour.
     */
    public static String backupFailureFilter(String namespace) {
        return "resource.type=\"k8s_container\" AND resource.labels.namespace_name=\"" + namespace + "\" AND "
                + "(jsonPayload.result=\"failure\" OR textPayload:\"\\\"result\\\":\\\"failure\\\"\")";
    }

    private Output<String> backupFailures(String resourceName, Args args, Output<List<String>> notify, CustomResourceOptions child) {
        String what = "a logical backup or restore drill step failed";
        var policy = new AlertPolicy(resourceName, policyArgs(args, notify, what, AlertPolicyConditionArgs.builder()
                        .conditionMatchedLog(AlertPolicyConditionConditionMatchedLogArgs.builder()
                                .filter(backupFailureFilter(args.backupNamespace()))
                                .build()),
                "in namespace `" + args.backupNamespace() + "`. " + Runbooks.link(Runbooks.CLOUD_SQL_BACKUP))
                .alertStrategy(AlertPolicyAlertStrategyArgs.builder()
                        .notificationRateLimit(AlertPolicyAlertStrategyNotificationRateLimitArgs.builder().period("3600s").build())
                        .autoClose("86400s")
                        .build())
                .build(), child);
        return policy.name();
    }

    /**
     * {@code database/up} is 1 while the server is up and 0 while it is down; a stopped, suspended or deleted instance
     * reports nothing. Two conditions, either of which fires: the value below 1 for {@code forMinutes}, or no value
     * at all for {@code max(forMinutes, 5)} minutes (absence needs a window past the metric's reporting delay).
     */
    private Output<String> instanceDown(String resourceName, Args args, Output<List<String>> notify, CustomResourceOptions child) {
        int minutes = args.thresholds().forMinutes();
        int absentMinutes = Math.max(minutes, ABSENT_MIN_MINUTES);
        String filter = filter(args.databaseId(), UP);
        var down = AlertPolicyConditionArgs.builder()
                .displayName("database/up below 1 for " + minutes + " minutes")
                .conditionThreshold(AlertPolicyConditionConditionThresholdArgs.builder()
                        .filter(filter)
                        .comparison("COMPARISON_LT")
                        .thresholdValue(1.0)
                        .duration(minutes * 60 + "s")
                        .aggregations(AlertPolicyConditionConditionThresholdAggregationArgs.builder()
                                .alignmentPeriod("60s").perSeriesAligner("ALIGN_MAX").build())
                        .build());
        var absent = AlertPolicyConditionArgs.builder()
                .displayName("database/up not reported for " + absentMinutes + " minutes")
                .conditionAbsent(AlertPolicyConditionConditionAbsentArgs.builder()
                        .filter(filter)
                        .duration(absentMinutes * 60 + "s")
                        .aggregations(AlertPolicyConditionConditionAbsentAggregationArgs.builder()
                                .alignmentPeriod("60s").perSeriesAligner("ALIGN_MAX").build())
                        .build());
        String what = "the instance is down (database/up 0 or not reported)";
        var policy = new AlertPolicy(resourceName, policyArgs(args, notify, what, List.of(down.build(), absent.build()),
                Runbooks.link(Runbooks.CLOUD_SQL_DOWN)).build(), child);
        return policy.name();
    }

    /** The shortest absence the instance-down policy waits for: the metric shows up to about 3 minutes late. */
    public static final int ABSENT_MIN_MINUTES = 5;

    /** What every policy shares: project, names, its one condition, the channels, the runbook and the labels. */
    private static AlertPolicyArgs.Builder policyArgs(Args args, Output<List<String>> notify, String what,
                                                      AlertPolicyConditionArgs.Builder condition, String documentation) {
        return policyArgs(args, notify, what, List.of(condition.displayName(what).build()), documentation);
    }

    private static AlertPolicyArgs.Builder policyArgs(Args args, Output<List<String>> notify, String what,
                                                      List<com.pulumi.gcp.monitoring.inputs.AlertPolicyConditionArgs> conditions,
                                                      String documentation) {
        return AlertPolicyArgs.builder()
                .project(args.project())
                .displayName(args.instanceName() + ": " + what)
                .combiner("OR")
                .conditions(conditions)
                .notificationChannels(notify)
                .documentation(AlertPolicyDocumentationArgs.builder()
                        .mimeType("text/markdown")
                        .content("Cloud SQL instance `" + args.databaseId() + "`: " + what + " " + documentation)
                        .build())
                .userLabels(args.labels());
    }

    /** Bytes used at which the ceiling policy fires. */
    public static double diskCeilingBytes(int limitGb, int percent) {
        return Math.floor(limitGb * BYTES_PER_GB * percent / 100.0);
    }

    /** Connections at which the connections policy fires (at least 1). */
    public static double connectionsThreshold(int maxConnections, int percent) {
        return Math.max(1, Math.floor(maxConnections * percent / 100.0));
    }

    /** The filter of one metric of the instance. */
    public static String filter(String databaseId, String metric) {
        return "resource.type = \"cloudsql_database\" AND resource.labels.database_id = \"" + databaseId
                + "\" AND metric.type = \"" + METRIC_PREFIX + metric + "\"";
    }

    private Output<String> policy(String resourceName, Args args, Output<List<String>> notify, String runbook, String what,
                                  String metric, String aligner, double threshold, CustomResourceOptions child) {
        var aggregation = AlertPolicyConditionConditionThresholdAggregationArgs.builder()
                .alignmentPeriod("60s")
                .perSeriesAligner(aligner);
        if (metric.equals(BACKENDS)) {
            // num_backends is reported per database: the instance's connections are their sum.
            aggregation.crossSeriesReducer("REDUCE_SUM").groupByFields("resource.label.database_id");
        }
        var policy = new AlertPolicy(resourceName, policyArgs(args, notify, what, AlertPolicyConditionArgs.builder()
                        .conditionThreshold(AlertPolicyConditionConditionThresholdArgs.builder()
                                .filter(filter(args.databaseId(), metric))
                                .comparison("COMPARISON_GT")
                                .thresholdValue(threshold)
                                .duration(args.thresholds().forMinutes() * 60 + "s")
                                .aggregations(aggregation.build())
                                .build()),
                "for " + args.thresholds().forMinutes() + " minutes. " + Runbooks.link(runbook))
                .build(), child);
        return policy.name();
    }
}
