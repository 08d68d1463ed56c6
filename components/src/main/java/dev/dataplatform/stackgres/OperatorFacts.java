package dev.dataplatform.stackgres;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the targeted operators do that tenant resources depend on: the ports of a StackGres pod, the
 * Pod Security level its pods pass, what it ships, and how KEDA takes an AWS identity. One table:
 * {@link StackGresTenant}, {@link TenantRules} and the tests read it, and docs/upstream-facts.md
 * lists the same rows. A version bump changes this file (and the sources named in it) only.
 */
public final class OperatorFacts {
    /** The StackGres release the tenants target. */
    public static final String STACKGRES = "1.18.6";
    static final String SG = "ongres/stackgres ";
    static final String SG_OPERATOR = SG + "stackgres-k8s/src/operator/src/main/java/io/stackgres/operator/conciliation/factory/";
    static final String SG_COMMON = SG + "stackgres-k8s/src/common/src/main/";

    /** One fact and where it was read. */
    public record Fact(String what, String value, String source) {
    }

    /** A TCP port a StackGres cluster pod listens on, with the upstream line that sets it. */
    public enum PodPort {
        /**
         * PgBouncer: with Envoy disabled (the 1.18 default) and pooling on, the Patroni endpoint port
         * {@code pgport} (the one Service {@code <cluster>}:5432 targets) is 6432.
         */
        POOLER(6432, "PgBouncer listen_port; the Service's pgport target with disableEnvoy and pooling on",
                SG_COMMON + "java/io/stackgres/common/PatroniUtil.java (getPatroniEndpointPorts), "
                        + SG_COMMON + "java/io/stackgres/common/EnvoyUtil.java (PG_POOL_PORT), "
                        + SG_OPERATOR + "cluster/sidecars/pooling/PgBouncerPooling.java (listen_port)@" + STACKGRES),
        /** PostgreSQL itself: replication between the pods (pgreplication), and direct if pooling is off. */
        POSTGRES(5432, "PostgreSQL; the pgreplication endpoint port",
                SG_COMMON + "java/io/stackgres/common/PatroniUtil.java (getPatroniEndpointPorts), EnvoyUtil.PG_PORT@" + STACKGRES),
        /** Patroni's REST API with Envoy disabled (8008 is Envoy's entry port, absent then). */
        PATRONI_REST(8009, "Patroni REST API (PATRONI_RESTAPI_LISTEN *:8009); the operator and the collector call it",
                SG_OPERATOR + "cluster/patroni/PatroniConfigMap.java (PATRONI_RESTAPI_LISTEN = EnvoyUtil.PATRONI_PORT)@" + STACKGRES),
        /** The postgres exporter sidecar, scraped by the operator's OpenTelemetry collector. */
        POSTGRES_EXPORTER(9187, "postgres exporter (pgexporter) metrics",
                SG_OPERATOR + "cluster/sidecars/pgexporter/PostgresExporter.java (POSTGRES_EXPORTER_PORT)@" + STACKGRES);

        public final int port;
        public final String what;
        public final String source;

        PodPort(int port, String what, String source) {
            this.port = port;
            this.what = what;
            this.source = source;
        }
    }

    /**
     * The pod layout the ports above assume, set explicitly on every tenant's pods: Envoy disabled (the
     * SGCluster default in 1.18; SGShardedCluster gets it from the operator's mutating webhook) and
     * connection pooling on.
     */
    public static final boolean DISABLE_ENVOY = true;
    public static final boolean CONNECTION_POOLING = true;
    public static final String POD_LAYOUT_SOURCE = SG_COMMON + "resources/crds/SGCluster.yaml (pods.disableEnvoy default true, "
            + "pods.disableConnectionPooling default false), " + SG + "stackgres-k8s/src/operator/src/main/java/io/stackgres/"
            + "operator/mutation/shardedcluster/DefaultDisableEnvoyMutator.java (true after 1.16)@" + STACKGRES;

    /** Who reaches which pod port of a tenant: apps through the Service (pooler), the operator and its collector. */
    public static final List<PodPort> APP_PORTS = List.of(PodPort.POOLER);
    public static final List<PodPort> OPERATOR_PORTS = List.of(PodPort.PATRONI_REST);
    /** The collector scrapes Patroni and the exporter when Envoy is disabled (CollectorConfigMaps). */
    public static final List<PodPort> COLLECTOR_PORTS = List.of(PodPort.POSTGRES_EXPORTER, PodPort.PATRONI_REST);
    public static final String COLLECTOR_SOURCE = SG_OPERATOR
            + "config/collector/CollectorConfigMaps.java (appendPatroniToScrapeConfigs, appendPostgresExporterToScrapeConfigs), "
            + "config/collector/CollectorDeployments.java (namespace of the SGConfig, i.e. the operator's)@" + STACKGRES;

    /**
     * The API server ports Patroni must reach for leader election (it keeps its state in Endpoints /
     * ConfigMaps): 443 on managed clusters (EKS, GKE), 6443 on kubeadm-style clusters.
     */
    public static final List<Integer> KUBERNETES_API_PORTS = List.of(443, 6443);
    public static final String KUBERNETES_API_SOURCE = "kubernetes docs/admin/accessing-the-api.md (secure port default 6443); "
            + "cloud.google.com GKE on AWS reference/ports (kube-apiserver TCP 443), read 2026-12-01; pods reach it through "
            + "Service kubernetes:443, and policies see the endpoint port after DNAT";

    /**
     * StackGres cluster and backup pods get only a pod-level security context (runAsNonRoot, user
     * and group 999, fsGroup) and no container securityContext: no allowPrivilegeEscalation false,
     * no capabilities drop ALL, no seccomp profile. They fail Pod Security "restricted" and pass
     * "baseline" (nothing privileged, no host namespaces or paths, no added capabilities).
     */
    public static final String POD_SECURITY_LEVEL = "baseline";
    public static final String POD_SECURITY_SOURCE = SG_OPERATOR + "PodSecurityFactory.java (createPodSecurityContext), "
            + "cluster/ClusterPodTemplateSpecFactory.java, cluster/backup/BackupCronJob.java (pod-level only)@" + STACKGRES
            + "; " + SG + "doc/content/en/04-administration-guide/18-security/04-network-security/_index.md "
            + "(Pod Security Standards: enforce baseline, warn restricted)@" + STACKGRES;
    public static final long POD_USER = 999L;

    /** PostgreSQL majors in StackGres 1.18's component table (the postgresql= line). */
    public static final Set<String> POSTGRES_MAJORS_SHIPPED = new TreeSet<>(List.of("12", "13", "14", "15", "16", "17", "18"));
    public static final String POSTGRES_SOURCE = SG_COMMON + "resources/versions-1.18.properties (postgresql=)@" + STACKGRES;
    /** The majors the project runs: shipped ones with upstream support and the access model tested. */
    public static final Set<String> POSTGRES_MAJORS = new TreeSet<>(List.of("15", "16", "17", "18"));

    /**
     * Extensions tenants may ask for. StackGres images carry no extension beyond plpgsql; every other
     * one (contrib included) is downloaded from its extensions repository when listed in
     * {@code spec.postgres.extensions}. The repository's index is not in the source; these are the
     * ones the 1.18.6 tree itself installs or documents.
     */
    public static final List<Fact> EXTENSIONS = List.of(
            new Fact("extension", "postgis", SG + "stackgres-k8s/e2e/spec/extensions-extra-mounts-and-overwrite, "
                    + "doc/content/en/04-administration-guide/07-postgres-extensions/_index.md@" + STACKGRES),
            new Fact("extension", "postgis_raster", SG + "stackgres-k8s/e2e/spec/extensions-extra-mounts-and-overwrite@" + STACKGRES),
            new Fact("extension", "timescaledb", SG + "doc/content/en/04-administration-guide/07-postgres-extensions/_index.md@" + STACKGRES),
            new Fact("extension", "ltree", SG + "doc/content/en/04-administration-guide/07-postgres-extensions/_index.md@" + STACKGRES),
            new Fact("extension", "pg_trgm", SG + "stackgres-k8s/examples/full_example/production/cluster/SGCluster.yaml@" + STACKGRES),
            new Fact("extension", "pg_stat_statements", SG + "doc/content/en/09-runbooks/06-supabase-stackgres/_index.md@" + STACKGRES),
            new Fact("extension", "pgcrypto", SG + "doc/content/en/09-runbooks/06-supabase-stackgres/_index.md@" + STACKGRES),
            new Fact("extension", "btree_gist", SG + "doc/themes/sg-doc/static/index-0.9.json (extension list)@" + STACKGRES),
            new Fact("extension", "unaccent", SG + "doc/themes/sg-doc/static/index-0.9.json (extension list)@" + STACKGRES));

    public static final Set<String> EXTENSION_NAMES = new TreeSet<>(EXTENSIONS.stream().map(Fact::value).toList());

    /**
     * For SGShardedCluster type citus, the operator writes Patroni's {@code citus.database} =
     * {@code spec.database}, and Patroni's Citus bootstrap runs CREATE DATABASE for it: the tenant's
     * SGScript must not create it again (42P04 would stop the script).
     */
    public static final String CITUS_DATABASE_SOURCE = SG_OPERATOR
            + "shardedcluster/StackGresShardedClusterForCitusUtil.java (citus.database)@" + STACKGRES
            + "; patroni/patroni patroni/postgresql/mpp/citus.py (CitusHandler.bootstrap: CREATE DATABASE)@v4.1.0";

    /**
     * KEDA's aws pod identity with a roleArn: the operator assumes that role with its own web
     * identity token (AssumeRoleWithWebIdentity, session KEDA), falling back to AssumeRole. The
     * role must trust the KEDA operator's service account through the cluster's OIDC issuer.
     */
    public static final String KEDA = "v2.20.2";
    public static final String KEDA_IDENTITY_SOURCE = "kedacore/keda pkg/scalers/aws/aws_config_cache.go "
            + "(retrievePodIdentityCredentials), pkg/scalers/aws/aws_common.go (GetAwsAuthorization)@" + KEDA;
    public static final String KEDA_SERVICE_ACCOUNT = "keda-operator";
    public static final String KEDA_SERVICE_ACCOUNT_SOURCE = "kedacore/keda config/manager/manager.yaml "
            + "(namespace keda, serviceAccountName keda-operator)@" + KEDA;
    /** The only AWS call KEDA's SQS scaler makes. */
    public static final String SQS_ACTION = "sqs:GetQueueAttributes";
    public static final String SQS_SOURCE = "kedacore/keda pkg/scalers/aws_sqs_queue_scaler.go (GetQueueAttributes)@" + KEDA;

    private OperatorFacts() {
    }

    /** Every row, for docs/upstream-facts.md and the tests. */
    public static List<Fact> table() {
        var rows = new java.util.ArrayList<Fact>();
        for (PodPort p : PodPort.values()) {
            rows.add(new Fact(p.what, String.valueOf(p.port), p.source));
        }
        rows.add(new Fact("pods: disableEnvoy, connection pooling", DISABLE_ENVOY + ", " + CONNECTION_POOLING, POD_LAYOUT_SOURCE));
        rows.add(new Fact("collector (operator namespace) scrapes", "9187, 8009", COLLECTOR_SOURCE));
        rows.add(new Fact("Pod Security level StackGres pods pass", POD_SECURITY_LEVEL, POD_SECURITY_SOURCE));
        rows.add(new Fact("PostgreSQL majors shipped", String.join(", ", POSTGRES_MAJORS_SHIPPED), POSTGRES_SOURCE));
        rows.addAll(EXTENSIONS);
        rows.add(new Fact("Citus: Patroni creates spec.database", "true", CITUS_DATABASE_SOURCE));
        rows.addAll(TenantPooling.FACTS);
        rows.add(new Fact("Kubernetes API ports", "443, 6443", KUBERNETES_API_SOURCE));
        rows.add(new Fact("KEDA aws pod identity assumes roleArn with its web identity", "true", KEDA_IDENTITY_SOURCE));
        rows.add(new Fact("KEDA operator service account", KEDA_SERVICE_ACCOUNT, KEDA_SERVICE_ACCOUNT_SOURCE));
        rows.add(new Fact("KEDA SQS scaler AWS action", SQS_ACTION, SQS_SOURCE));
        return List.copyOf(rows);
    }
}
