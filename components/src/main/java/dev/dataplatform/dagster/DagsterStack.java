package dev.dataplatform.dagster;

import com.pulumi.core.Output;
import com.pulumi.kubernetes.core.v1.LimitRange;
import com.pulumi.kubernetes.core.v1.LimitRangeArgs;
import com.pulumi.kubernetes.core.v1.ServiceAccount;
import com.pulumi.kubernetes.core.v1.inputs.LimitRangeItemArgs;
import com.pulumi.kubernetes.core.v1.inputs.LimitRangeSpecArgs;
import com.pulumi.kubernetes.core.v1.ServiceAccountArgs;
import com.pulumi.kubernetes.helm.v3.Release;
import com.pulumi.kubernetes.helm.v3.ReleaseArgs;
import com.pulumi.kubernetes.helm.v3.inputs.RepositoryOptsArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import dev.dataplatform.core.Environment;
import dev.dataplatform.dagster.DagsterValues.AuthProvider;
import dev.dataplatform.dagster.DagsterValues.Daemon;
import dev.dataplatform.dagster.DagsterValues.Enabled;
import dev.dataplatform.dagster.DagsterValues.Global;
import dev.dataplatform.dagster.DagsterValues.Image;
import dev.dataplatform.dagster.DagsterValues.K8sRunLauncher;
import dev.dataplatform.dagster.DagsterValues.Postgresql;
import dev.dataplatform.dagster.DagsterValues.RunCoordinator;
import dev.dataplatform.dagster.DagsterValues.RunLauncher;
import dev.dataplatform.dagster.DagsterValues.RunLauncherConfig;
import dev.dataplatform.dagster.DagsterValues.RunK8sConfig;
import dev.dataplatform.dagster.DagsterValues.Service;
import dev.dataplatform.dagster.DagsterValues.UserDeployment;
import dev.dataplatform.dagster.DagsterValues.UserDeployments;
import dev.dataplatform.dagster.DagsterValues.Webserver;
import dev.dataplatform.kubernetes.CloudSqlProxy;
import dev.dataplatform.kubernetes.PodValues;
import dev.dataplatform.kubernetes.PodValues.PodSecurityContext;
import dev.dataplatform.kubernetes.PodValues.Resources;
import dev.dataplatform.kubernetes.PodValues.SecurityContext;
import dev.dataplatform.kubernetes.ObjectLabels;
import dev.dataplatform.kubernetes.RestrictedNamespace;
import dev.dataplatform.kubernetes.crd.CrdValues;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.Data;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.ExternalSecretSpec;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.RemoteRef;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.StoreRef;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.Target;
import dev.dataplatform.kubernetes.crd.KubernetesCustomResource;
import dev.dataplatform.observability.ObservabilityStack;
import dev.dataplatform.observability.PinnedVersions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Dagster on Kubernetes from the official chart: webserver, daemon with the queued run coordinator,
 * K8sRunLauncher (one Job per run, sized by environment, with {@code DUCKDB_MEMORY_LIMIT} derived
 * from the worker's memory), user-code deployments, and the instance database on Cloud SQL or RDS.
 *
 * <p>The database login needs no password Pulumi sees: with IAM auth the chart (1.13+) logs in with
 * workload identity ({@code gcp_wif}: the pod's Google service account is a Cloud SQL IAM user;
 * {@code aws_wif}: an RDS IAM token for the IRSA role); with password auth the password Secret is
 * owned by External Secrets, read from a ClusterSecretStore. Every pod runs Pod Security
 * "restricted" with requests and limits; the namespace denies traffic by default.
 */
public final class DagsterStack extends ComponentResource {
    public static final String TYPE = "dataplatform:kubernetes:DagsterStack";
    public static final String CHART = "dagster";
    public static final String REPOSITORY = "https://dagster-io.github.io/helm";
    /**
     * The chart version from which the instance can log in to PostgreSQL with workload identity:
     * PostgreSQL workload identity federation ({@code auth_provider}) came with Dagster 1.13.3
     * (release notes of 2026-04-30; see docs/upstream-facts.md).
     */
    static final int[] IAM_AUTH_SINCE = {1, 13, 3};
    static final String PASSWORD_SECRET = "dagster-postgresql-secret";
    static final int WEBSERVER_PORT = 80;
    static final int CODE_SERVER_PORT = 3030;
    /** OTLP gRPC and HTTP, and Marquez's API (OpenLineage). */
    static final List<Integer> TELEMETRY_PORTS = List.of(4317, 4318, 5000);
    static final Pattern CHART_VERSION = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})\\.(\\d{1,4})");
    static final Pattern IMAGE_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    public final Output<String> namespace;
    /** In-cluster DNS name of the webserver's Service (port 80). */
    public final Output<String> webserverService;
    public final Output<String> webserverUrl;

    /** How the Dagster instance logs in to PostgreSQL. */
    public enum Auth { GCP_IAM, AWS_IAM, PASSWORD }

    /**
     * The instance database. {@code host} and {@code username} come from the database component;
     * {@code passwordStore}/{@code passwordKey} only for {@link Auth#PASSWORD}, {@code awsRegion} only for {@link Auth#AWS_IAM}.
     */
    public record Database(Output<String> host, int port, Output<String> username, String name, Auth auth,
                           String awsRegion, String passwordStore, String passwordKey) {
    }

    /** A code location: image (never {@code latest}) and the Python module with its definitions. */
    public record CodeLocation(String name, String repository, String tag, String module) {
    }

    /** Worker (run pod) size per environment: dev 4Gi, stage 8Gi, prod 16Gi. */
    public static int workerMemoryGiB(Environment environment) {
        return switch (environment) {
            case DEV -> 4;
            case STAGE -> 8;
            case PROD -> 16;
        };
    }

    /** DuckDB may use three quarters of the worker's memory; the rest is Python and Dagster. */
    public static String duckDbMemoryLimit(int workerMemoryGiB) {
        return (workerMemoryGiB * 3 / 4) + "GiB";
    }

    /** See the builder for each setting and its default behaviour. */
    public static final class Args {
        private Environment environment;
        private String namespace = "dagster";
        private String serviceAccountName = "dagster";
        private Output<Map<String, String>> serviceAccountAnnotations = Output.of(Map.of());
        private String chartVersion;
        private Database database;
        private Output<String> databaseCidr;
        private String cloudSqlConnectionName;
        private Integer webserverReplicas;
        private int maxConcurrentRuns = 10;
        private Integer workerMemoryGiB;
        private List<CodeLocation> codeLocations = List.of();
        private List<String> allowWebserverFrom = List.of();
        private String telemetryNamespace;
        private boolean gkeMetadataServer;
        private Map<String, String> labels = Map.of();

        private Args() {
        }

        public static Builder builder() {
            return new Builder();
        }

        public static final class Builder {
            private final Args a = new Args();

            /** Required: sizing follows it. */
            public Builder environment(Environment v) { a.environment = v; return this; }
            /** Namespace, created restricted with default deny. Default: dagster. */
            public Builder namespace(String v) { a.namespace = v; return this; }
            /** The pods' ServiceAccount, created here. Default: dagster. */
            public Builder serviceAccountName(String v) { a.serviceAccountName = v; return this; }
            /** Workload identity annotations of the ServiceAccount (GKE or IRSA). Default: none. */
            public Builder serviceAccountAnnotations(Output<Map<String, String>> v) { a.serviceAccountAnnotations = v; return this; }
            /** Required: the chart version, pinned (x.y.z). */
            public Builder chartVersion(String v) { a.chartVersion = v; return this; }
            /** Required: the instance database. */
            public Builder database(Database v) { a.database = v; return this; }
            /** Required: where the database is (a CIDR, e.g. the Cloud SQL IP /32); egress to 5432 goes only there. */
            public Builder databaseCidr(Output<String> v) { a.databaseCidr = v; return this; }
            /**
             * The Cloud SQL instance ({@code project:region:instance}) to reach through the Cloud SQL
             * Auth Proxy native sidecar in the webserver, daemon and run pods: the instance then logs in
             * at 127.0.0.1 with {@code sslmode=disable} (the proxy does mTLS to the private IP), with
             * {@code --auto-iam-authn} for IAM auth. Default: none (connect to {@code database.host}).
             */
            public Builder cloudSqlProxy(String v) { a.cloudSqlConnectionName = v; return this; }
            /** Webserver replicas. Default: 1 in dev, 2 elsewhere. */
            public Builder webserverReplicas(int v) { a.webserverReplicas = v; return this; }
            /** Runs at once (queued run coordinator). Default: 10. */
            public Builder maxConcurrentRuns(int v) { a.maxConcurrentRuns = v; return this; }
            /** Memory of each run worker. Default: {@link #workerMemoryGiB(Environment)}. */
            public Builder workerMemoryGiB(int v) { a.workerMemoryGiB = v; return this; }
            /** User code deployments. Default: none. */
            public Builder codeLocations(List<CodeLocation> v) { a.codeLocations = List.copyOf(v); return this; }
            /** Namespaces (e.g. the ingress controller's) that may reach the webserver. Default: none. */
            public Builder allowWebserverFrom(List<String> v) { a.allowWebserverFrom = List.copyOf(v); return this; }
            /** Namespace of the OpenTelemetry Collector and Marquez; pods may send OTLP and lineage there. Default: none. */
            public Builder telemetryNamespace(String v) { a.telemetryNamespace = v; return this; }
            /** Pods use GKE Workload Identity: egress to the GKE metadata server for tokens. Default: false. */
            public Builder gkeMetadataServer(boolean v) { a.gkeMetadataServer = v; return this; }
            /** Labels on every object. */
            public Builder labels(Map<String, String> v) { a.labels = Map.copyOf(v); return this; }

            public Args build() {
                a.validate();
                return a;
            }
        }

        private void validate() {
            Objects.requireNonNull(environment, "environment is required");
            PinnedVersions.DAGSTER_CHART.check(chartVersion).ifPresent(problem -> {
                throw new IllegalArgumentException("dagster: chartVersion " + problem);
            });
            if (cloudSqlConnectionName != null) {
                CloudSqlProxy.args(cloudSqlConnectionName, false);
                if (database != null && database.auth() == Auth.AWS_IAM) {
                    throw new IllegalArgumentException("dagster: the Cloud SQL Auth Proxy is for Cloud SQL, not AWS IAM auth");
                }
            }
            if (database == null || databaseCidr == null) {
                throw new IllegalArgumentException("dagster: database and databaseCidr are required");
            }
            if (database.auth() != Auth.PASSWORD) {
                iamAuthSupported(chartVersion).ifPresent(problem -> {
                    throw new IllegalArgumentException("dagster: " + problem);
                });
            }
            if (database.auth() == Auth.AWS_IAM && database.awsRegion() == null) {
                throw new IllegalArgumentException("dagster: AWS IAM database auth needs awsRegion");
            }
            if (database.auth() == Auth.PASSWORD && (database.passwordStore() == null || database.passwordKey() == null)) {
                throw new IllegalArgumentException("dagster: password auth needs passwordStore and passwordKey "
                        + "(the ClusterSecretStore and remote key External Secrets reads the password from)");
            }
            if (maxConcurrentRuns < 1) {
                throw new IllegalArgumentException("dagster: maxConcurrentRuns must be at least 1");
            }
            var names = new java.util.HashSet<String>();
            for (var location : codeLocations) {
                if (!names.add(location.name())) {
                    throw new IllegalArgumentException("dagster: code location '" + location.name() + "' is listed twice");
                }
                if (location.tag() == null || location.tag().equals("latest") || !IMAGE_TAG.matcher(location.tag()).matches()) {
                    throw new IllegalArgumentException("dagster: code location '" + location.name() + "' needs a fixed image tag, not '"
                            + location.tag() + "': runs must use the image the location was loaded from");
                }
            }
            if (webserverReplicas == null) {
                webserverReplicas = environment == Environment.DEV ? 1 : 2;
            }
            if (workerMemoryGiB == null) {
                workerMemoryGiB = DagsterStack.workerMemoryGiB(environment);
            }
        }
    }

    /** Empty if chart {@code version} (x.y.z) can log the instance in with workload identity, else why not. */
    public static java.util.Optional<String> iamAuthSupported(String version) {
        var m = CHART_VERSION.matcher(String.valueOf(version));
        boolean supported = m.matches() && java.util.Arrays.compare(new int[]{Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))}, IAM_AUTH_SINCE) >= 0;
        return supported ? java.util.Optional.empty() : java.util.Optional.of("IAM database auth needs chart "
                + IAM_AUTH_SINCE[0] + "." + IAM_AUTH_SINCE[1] + "." + IAM_AUTH_SINCE[2] + " or later, not " + version);
    }

    public DagsterStack(String name, Args args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        String ns = args.namespace;
        var labels = ObjectLabels.of(args.labels, args.environment);

        var namespace = new RestrictedNamespace(this, name, ns, labels);
        namespace.allowDns();
        namespace.allowWithinNamespace();
        // Through the proxy, pods dial the instance on the proxy's server port, not PostgreSQL's.
        namespace.allowEgressTo("allow-database", args.databaseCidr, List.of(args.cloudSqlConnectionName == null
                ? args.database.port() : dev.dataplatform.gcp.CloudSqlDatabase.CONNECTOR_PORT));
        // The run launcher creates Jobs through the Kubernetes API; IAM auth fetches tokens over HTTPS.
        namespace.allowEgressTo("allow-https-egress", Output.of("0.0.0.0/0"), List.of(443));
        if (args.telemetryNamespace != null) {
            namespace.allowEgressToNamespaces("allow-telemetry", List.of(args.telemetryNamespace), TELEMETRY_PORTS);
        }
        if (args.gkeMetadataServer) {
            dev.dataplatform.kubernetes.GkeMetadataServer.allowFrom(namespace, "allow-metadata-server");
        }
        if (!args.allowWebserverFrom.isEmpty()) {
            namespace.allowIngressFrom("allow-webserver", args.allowWebserverFrom, List.of(WEBSERVER_PORT));
        }
        var inNamespace = CustomResourceOptions.builder().parent(this).dependsOn(namespace.namespace()).build();

        // Defaults for containers whose requests and limits the chart's values cannot set
        // (INIT_CONTAINERS_WITHOUT_VALUES): the API server fills them in at admission.
        new LimitRange(name + "-container-defaults", LimitRangeArgs.builder()
                .metadata(ObjectMetaArgs.builder().name("container-defaults").namespace(ns).labels(labels).build())
                .spec(LimitRangeSpecArgs.builder().limits(LimitRangeItemArgs.builder()
                        .type("Container")
                        .default_(INIT_CONTAINER_RESOURCES.limits())
                        .defaultRequest(INIT_CONTAINER_RESOURCES.requests())
                        .build()).build())
                .build(), inNamespace);

        var account = new ServiceAccount(name + "-service-account", ServiceAccountArgs.builder()
                .metadata(ObjectMetaArgs.builder().name(args.serviceAccountName).namespace(ns).labels(labels)
                        .annotations(args.serviceAccountAnnotations).build())
                .build(), inNamespace);

        var dependencies = new ArrayList<Resource>(List.of(namespace.namespace(), account));
        if (args.database.auth() == Auth.PASSWORD) {
            dependencies.add(new KubernetesCustomResource(name + "-postgresql-password",
                    ObjectMetaArgs.builder().name(PASSWORD_SECRET).namespace(ns).labels(labels).build(),
                    new ExternalSecretSpec("1h", StoreRef.clusterSecretStore(args.database.passwordStore()),
                            new Target(PASSWORD_SECRET, "Owner", null),
                            List.of(new Data("postgresql-password", new RemoteRef(args.database.passwordKey()))), null),
                    inNamespace));
        }

        new Release(name, ReleaseArgs.builder()
                .name(name)
                .chart(CHART)
                .version(args.chartVersion)
                .repositoryOpts(RepositoryOptsArgs.builder().repo(REPOSITORY).build())
                .namespace(ns)
                .values(CrdValues.of(values(args)))
                .atomic(true)
                .timeout(900)
                .build(), CustomResourceOptions.builder().parent(this).dependsOn(dependencies).build());

        String service = name + "-dagster-webserver." + ns + ".svc.cluster.local";
        this.namespace = Output.of(ns);
        this.webserverService = Output.of(service);
        this.webserverUrl = Output.of("http://" + service + ":" + WEBSERVER_PORT);
        var outputs = new LinkedHashMap<String, Output<?>>();
        outputs.put("namespace", this.namespace);
        outputs.put("webserverService", webserverService);
        outputs.put("webserverUrl", webserverUrl);
        registerOutputs(outputs);
    }

    /** Requests and limits of the chart's check-db-ready init containers (a pg_isready loop). */
    static final Resources INIT_CONTAINER_RESOURCES = Resources.of("10m", "100m", "64Mi");

    /**
     * Init containers the chart renders but whose resources its values cannot set, as values paths:
     * the code servers' (dagster-user-deployments has no initContainerResources in its schema). The
     * namespace's LimitRange gives them defaults; the guardrails report them as a warning.
     */
    public static final List<String> INIT_CONTAINERS_WITHOUT_VALUES = List.of("dagster-user-deployments.deployments[*]");

    /** The chart values, typed; only host and user are outputs of the database component. */
    static DagsterValues values(Args args) {
        var db = args.database;
        var pod = PodSecurityContext.restricted(PodValues.NON_ROOT_UID);
        var container = SecurityContext.restricted(false);
        AuthProvider provider = switch (db.auth()) {
            case GCP_IAM -> new AuthProvider("gcp_wif", null);
            case AWS_IAM -> new AuthProvider("aws_wif", db.awsRegion());
            case PASSWORD -> null;
        };
        boolean iam = provider != null;
        String memory = args.workerMemoryGiB + "Gi";
        var worker = Resources.of("1", args.environment == Environment.DEV ? "2" : "4", memory);
        var locations = args.codeLocations.stream().map(l -> new UserDeployment(l.name(),
                new Image(l.repository(), l.tag(), "IfNotPresent"), List.of("-m", l.module()), CODE_SERVER_PORT,
                Resources.of("250m", "1", "1Gi"), pod, container)).toList();
        // On Cloud SQL: the Auth Proxy native sidecar first in every pod that opens the instance
        // database; the instance connects to it on loopback without TLS (the proxy does mTLS).
        boolean proxied = args.cloudSqlConnectionName != null;
        List<Map<String, Object>> sidecars = proxied
                ? List.of(CloudSqlProxy.sidecar(args.cloudSqlConnectionName, db.auth() == Auth.GCP_IAM)) : null;
        Output<String> host = proxied ? Output.of("127.0.0.1") : db.host();
        int port = proxied ? CloudSqlProxy.PORT : db.port();
        String sslmode = proxied ? "disable" : "require";
        var runConfig = proxied ? new RunK8sConfig(Map.of("initContainers", sidecars)) : null;
        return new DagsterValues(
                new Global(args.serviceAccountName, iam ? null : PASSWORD_SECRET, iam ? true : null),
                new DagsterValues.ServiceAccount(false),
                new Postgresql(false, host, db.username(), db.name(), new Service(null, port),
                        Map.of("sslmode", sslmode), provider),
                false,
                new Webserver(args.webserverReplicas, new Service("ClusterIP", WEBSERVER_PORT),
                        Resources.of("250m", "1", "1Gi"), pod, container, INIT_CONTAINER_RESOURCES, sidecars),
                new Daemon(true, RunCoordinator.queued(args.maxConcurrentRuns), Resources.of("250m", "1", "1Gi"), pod, container,
                        INIT_CONTAINER_RESOURCES, sidecars),
                new RunLauncher("K8sRunLauncher", new RunLauncherConfig(new K8sRunLauncher(worker,
                        List.of("DUCKDB_MEMORY_LIMIT=" + duckDbMemoryLimit(args.workerMemoryGiB)), container, runConfig))),
                new UserDeployments(!locations.isEmpty(), !locations.isEmpty(), locations),
                Enabled.OFF, Enabled.OFF, Enabled.OFF, Enabled.OFF);
    }
}
