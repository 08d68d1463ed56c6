package dev.dataplatform.alerts;

import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import dev.dataplatform.core.AlertThresholds;
import dev.dataplatform.kubernetes.crd.KubernetesCustomResource;
import dev.dataplatform.kubernetes.crd.PrometheusOperator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Alerting rules for one StackGres tenant: a prometheus-operator PrometheusRule in the tenant's namespace, for clusters
 * whose Prometheus runs the operator and scrapes the tenants' postgres exporter. The rules follow the ones StackGres
 * ships as an example ({@code stackgres-k8s/examples/full_example/production/cluster/StackGres-alerts.yaml}@1.18.6),
 * scoped to the tenant's cluster by the exporter's constant label {@code cluster_name} and using the metric names the
 * exporter's queries at 1.18.6 define ({@code pg_replication_lag}, {@code pg_replication_is_replicating},
 * {@code pgbouncer_show_pools_cl_waiting}) where the example's names differ from them.
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
     * @param cluster    the StackGres cluster (the client's name)
     * @param namespace  the tenant's namespace ({@code tenant-<client>})
     * @param thresholds when the rules fire
     * @param pooledServerConnections the server connections the tenant's PgBouncer may open to a database
     *                   ({@code max_db_connections} of its SGPoolingConfig): a full pool is PgBouncer doing its job, so
     *                   the connections rule fires only above it plus {@link #CONNECTION_OVERHEAD}
     * @param ruleLabels labels Prometheus's rule selector matches (e.g. {@code release: monitoring})
     * @param labels     labels on the resource
     */
    public record Args(String cluster, String namespace, AlertThresholds thresholds, int pooledServerConnections,
                       Map<String, String> ruleLabels, Map<String, String> labels) {
        public Args {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(thresholds, "thresholds");
            if (!cluster.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
                throw new IllegalArgumentException("cluster " + cluster + " is not a DNS-1123 label");
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
        var rules = List.of(
                rule(args, "PostgresInstanceDown", "pg_up" + on + " == 0", "1m", "critical", Runbooks.TENANT_DOWN,
                        "PostgreSQL of {{ $labels.cluster_name }} does not answer the exporter on {{ $labels.instance }}"),
                rule(args, "PostgresSplitBrain", "count by (cluster_name) (pg_replication_is_replicating" + on + " == 0) > 1", "1m", "critical",
                        Runbooks.TENANT_SPLIT_BRAIN, "more than one instance of {{ $labels.cluster_name }} accepts writes"),
                rule(args, "PostgresReplicaLag", "max(pg_replication_lag" + on + ") > " + t.replicaLagSeconds(), wait,
                        "warning", Runbooks.TENANT_REPLICA_LAG,
                        "a replica of " + args.cluster() + " is more than " + t.replicaLagSeconds() + " s behind its primary"),
                rule(args, "PostgresTooManyConnections", "sum by (instance) (pg_stat_activity_count" + on + ") > on (instance) "
                                + "clamp_min(max by (instance) (pg_settings_max_connections" + on + ") * " + t.connectionsPercent() / 100.0
                                + ", " + connectionsFloor(args) + ")",
                        wait, "warning", Runbooks.TENANT_CONNECTIONS,
                        "connections above " + t.connectionsPercent() + "% of max_connections (and above the pool's "
                                + args.pooledServerConnections() + " plus " + CONNECTION_OVERHEAD + ") on {{ $labels.instance }}"),
                rule(args, "PgBouncerWaitingClients", "sum by (instance) (pgbouncer_show_pools_cl_waiting" + on + ") > 0", wait,
                        "warning", Runbooks.TENANT_POOL_WAITING,
                        "clients wait for a server connection in PgBouncer on {{ $labels.instance }}"));
        return new PrometheusOperator.PrometheusRuleSpec(List.of(new PrometheusOperator.RuleGroup(
                "data-platform-tenant-" + args.cluster(), rules)));
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
