package dev.dataplatform.alerts;

import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import dev.dataplatform.core.AlertThresholds;
import dev.dataplatform.kubernetes.crd.KubernetesCustomResource;
import dev.dataplatform.kubernetes.crd.PrometheusOperator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Alerting rules for one StackGres tenant: a prometheus-operator PrometheusRule in the tenant's namespace, for clusters
 * whose Prometheus runs the operator and scrapes StackGres's collector. The rules start from the example StackGres ships
 * ({@code stackgres-k8s/examples/full_example/production/cluster/StackGres-alerts.yaml}@1.18.6), are scoped to the
 * tenant's cluster by the exporter's constant label {@code cluster_name}, and use only metrics the exporter emits at
 * 1.18.6 with that label (docs/upstream-facts.md, "Alerts").
 *
 * <p><b>Honoured timestamps.</b> StackGres's collector re-exports the exporter's samples with their scrape timestamps
 * ({@code send_timestamps}) and its PodMonitor honours them, so Prometheus writes no staleness marker when a pod goes
 * away: an instance's last sample stays visible to instant selectors for the 5-minute lookback. Every rule therefore
 * counts only <em>fresh</em> samples, those whose own timestamp is under {@link #FRESH_SECONDS} old, and a rule that
 * a single frozen sample could satisfy waits longer than that ({@code for} at least {@link #FROZEN_SAMPLE_FOR}).
 *
 * <p>Children are named {@code <name>-rules}; that name is a URN.
 */
public final class TenantAlertRules extends ComponentResource {
    public static final String TYPE = "dataplatform:alerts:TenantAlertRules";
    /**
     * Connections besides the pool's that a healthy StackGres instance holds (Patroni, the exporter, replication, a
     * DBA session); with the pool full the count sits at about the pool's size plus these.
     */
    public static final int CONNECTION_OVERHEAD = 8;
    /**
     * Age under which a sample counts as current: the collector scrapes the exporter every 60 s (the Prometheus
     * receiver's default; StackGres sets no interval), Prometheus scrapes the collector every 30 s (the operator's
     * default), so a live instance's newest visible sample is at most about 90 s old; 150 s leaves a margin and stays
     * well inside the 5-minute lookback a vanished instance's frozen sample lives for.
     */
    public static final int FRESH_SECONDS = 150;
    /** Longer than {@link #FRESH_SECONDS}: a frozen sample alone can never hold a condition this long. */
    public static final String FROZEN_SAMPLE_FOR = "3m";
    /**
     * How long an expected instance may lack current exporter series before it pages: a pod restart (new pod IP, so a
     * new {@code instance}) and the exporter's start once PostgreSQL's socket exists take a few minutes.
     */
    public static final String MISSING_INSTANCE_FOR = "5m";

    /**
     * @param cluster    the StackGres cluster (the client's name)
     * @param namespace  the tenant's namespace ({@code tenant-<client>})
     * @param thresholds when the rules fire
     * @param instances  the cluster's instances (SGCluster {@code spec.instances}): fewer instances with current
     *                   exporter series, or fewer than {@code instances - 1} replicas streaming from the primary, pages
     * @param pooledServerConnections the server connections the tenant's PgBouncer may open to a database
     *                   ({@code max_db_connections} of its SGPoolingConfig): a full pool is PgBouncer doing its job, so
     *                   the connections rule fires only above it plus {@link #CONNECTION_OVERHEAD}
     * @param ruleLabels labels Prometheus's rule selector matches (e.g. {@code release: monitoring})
     * @param labels     labels on the resource
     */
    public record Args(String cluster, String namespace, AlertThresholds thresholds, int instances, int pooledServerConnections,
                       Map<String, String> ruleLabels, Map<String, String> labels) {
        public Args {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(thresholds, "thresholds");
            if (!cluster.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
                throw new IllegalArgumentException("cluster " + cluster + " is not a DNS-1123 label");
            }
            if (instances < 1) {
                throw new IllegalArgumentException("instances " + instances + " must be at least 1");
            }
            if (pooledServerConnections < 1) {
                throw new IllegalArgumentException("pooledServerConnections " + pooledServerConnections + " must be at least 1");
            }
            ruleLabels = ruleLabels == null ? Map.of() : Map.copyOf(ruleLabels);
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }
    }

    public TenantAlertRules(String name, Args args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var metadataLabels = new LinkedHashMap<>(args.labels());
        metadataLabels.putAll(args.ruleLabels());
        new KubernetesCustomResource(name + "-rules", ObjectMetaArgs.builder()
                .name(args.cluster() + "-postgres-alerts")
                .namespace(args.namespace())
                .labels(metadataLabels)
                .build(), spec(args), CustomResourceOptions.builder().parent(this).build());
        registerOutputs(Map.of());
    }

    /** The rules of one tenant's cluster. */
    public static PrometheusOperator.PrometheusRuleSpec spec(Args args) {
        var t = args.thresholds();
        String on = "{cluster_name=\"" + args.cluster() + "\"}";
        String wait = t.forMinutes() + "m";
        String primaries = "count(" + fresh("pg_replication_is_replicating" + on, " == 0") + ")";
        var rules = new ArrayList<PrometheusOperator.Rule>();
        rules.add(rule(args, "PostgresInstanceDown", fresh("pg_up" + on, " == 0"), FROZEN_SAMPLE_FOR, "critical",
                Runbooks.TENANT_DOWN, "PostgreSQL of " + args.cluster() + " does not answer the exporter on {{ $labels.instance }}"));
        rules.add(rule(args, "PostgresInstanceMissing", "(count(" + fresh("pg_up" + on, "") + ") or vector(0)) < "
                        + args.instances(), MISSING_INSTANCE_FOR, "critical", Runbooks.TENANT_MISSING,
                "fewer than " + args.instances() + " instances of " + args.cluster() + " report metrics "
                        + "(an instance is not running, its exporter has not started, or its scrape fails)"));
        rules.add(rule(args, "PostgresSplitBrain", primaries + " > 1", FROZEN_SAMPLE_FOR, "critical",
                Runbooks.TENANT_SPLIT_BRAIN, "more than one instance of " + args.cluster() + " accepts writes"));
        String lag = "max(" + fresh("pg_replication_lag" + on, "") + ") > " + t.replicaLagSeconds();
        if (args.instances() > 1) {
            // A replica cut off from the primary reports lag 0 (its replay has caught up with what it received): the
            // primary's pg_stat_replication, where a disconnected replica has no row, tells it apart.
            String streaming = "pg_replication_status_lag_size{cluster_name=\"" + args.cluster() + "\", state=\"streaming\"}";
            lag = "(" + lag + ") or ((count(" + fresh(streaming, "") + ") or vector(0)) < " + (args.instances() - 1)
                    + " and on () " + primaries + " == 1)";
        }
        rules.add(rule(args, "PostgresReplicaLag", lag, wait, "warning", Runbooks.TENANT_REPLICA_LAG,
                "a replica of " + args.cluster() + " is more than " + t.replicaLagSeconds()
                        + " s behind its primary, or not streaming from it"));
        rules.add(rule(args, "PostgresTooManyConnections", "sum by (instance) (" + fresh("pg_stat_activity_count" + on, "") + ") > on (instance) "
                        + "clamp_min(max by (instance) (pg_settings_max_connections" + on + ") * " + t.connectionsPercent() / 100.0
                        + ", " + connectionsFloor(args) + ")",
                wait, "warning", Runbooks.TENANT_CONNECTIONS,
                "connections above " + t.connectionsPercent() + "% of max_connections (and above the pool's "
                        + args.pooledServerConnections() + " plus " + CONNECTION_OVERHEAD + ") on {{ $labels.instance }}"));
        rules.add(rule(args, "PgBouncerWaitingClients", "sum by (instance) (" + fresh("pgbouncer_show_pools_cl_waiting" + on, "") + ") > 0", wait,
                "warning", Runbooks.TENANT_POOL_WAITING,
                "clients wait for a server connection in PgBouncer on {{ $labels.instance }}"));
        return new PrometheusOperator.PrometheusRuleSpec(List.of(new PrometheusOperator.RuleGroup(
                "data-platform-tenant-" + args.cluster(), rules)));
    }

    /**
     * {@code selector condition}, keeping only series whose newest sample is under {@link #FRESH_SECONDS} old (its own,
     * honoured timestamp): a vanished instance's frozen sample drops out long before the lookback would end it.
     */
    static String fresh(String selector, String condition) {
        return "(" + selector + condition + " and (time() - timestamp(" + selector + ") < " + FRESH_SECONDS + "))";
    }

    /** The connection count a full pool reaches, below which the connections rule never fires. */
    public static int connectionsFloor(Args args) {
        return args.pooledServerConnections() + CONNECTION_OVERHEAD;
    }

    private static PrometheusOperator.Rule rule(Args args, String alert, String expr, String forDuration, String severity,
                                                String runbook, String summary) {
        return new PrometheusOperator.Rule(alert, expr, forDuration,
                Map.of("severity", severity, "tenant", args.cluster()),
                Map.of("summary", summary, "runbook", Runbooks.link(runbook)));
    }
}
