package dev.dataplatform.dagster;

import com.pulumi.core.Output;
import com.pulumi.kubernetes.core.v1.LimitRange;
import com.pulumi.kubernetes.core.v1.LimitRangeArgs;
import com.pulumi.kubernetes.core.v1.inputs.LimitRangeItemArgs;
import com.pulumi.kubernetes.core.v1.inputs.LimitRangeSpecArgs;
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
import dev.dataplatform.dagster.DagsterValues.Busybox;
import dev.dataplatform.dagster.DagsterValues.ConfigurableClass;
import dev.dataplatform.dagster.DagsterValues.PostgresImage;
import dev.dataplatform.dagster.DagsterValues.Daemon;
import dev.dataplatform.dagster.DagsterValues.Enabled;
import dev.dataplatform.dagster.DagsterValues.Global;
import dev.dataplatform.dagster.DagsterValues.Image;
import dev.dataplatform.dagster.DagsterValues.Postgresql;
import dev.dataplatform.dagster.DagsterValues.RunCoordinator;
import dev.dataplatform.dagster.DagsterValues.RunLauncher;
import dev.dataplatform.dagster.DagsterValues.RunLauncherConfig;
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
import dev.dataplatform.kubernetes.Cluster;
import dev.dataplatform.kubernetes.WorkloadIdentity;
import dev.dataplatform.kubernetes.WorkloadNamespace;
import dev.dataplatform.kubernetes.crd.CrdKind;
import dev.dataplatform.kubernetes.crd.CrdSpec;
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
    /**
     * The webserver's port (container and Service): unprivileged, since it runs as UID 10001 with every
     * capability dropped and a node need not allow binding ports below 1024.
     */
    public static final int WEBSERVER_PORT = 8080;
    static final int CODE_SERVER_PORT = 3030;
    /** OTLP gRPC and HTTP, and Marquez's API (OpenLineage). */
    static final List<Integer> TELEMETRY_PORTS = List.of(4317, 4318, 5000);
    static final Pattern CHART_VERSION = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})\\.(\\d{1,4})");
    static final Pattern IMAGE_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    public final Output<String> namespace;
    /** In-cluster DNS name of the webserver's Service (port {@value #WEBSERVER_PORT}). */
    public final Output<String> webserverService;
    public final Output<String> webserverUrl;
    /** Where the ingress sends users: the authenticating proxy when there is one, else the webserver. */
    public final Output<String> uiUrl;

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

    /**
     * oauth2-proxy in front of the webserver, logging users in with an OpenID Connect provider.
     *
     * @param oidcIssuerUrl   the provider's issuer (https), e.g. https://accounts.google.com
     * @param clientId        the OAuth client's id (not a secret)
     * @param emailDomains    who may pass once logged in ({@code *} for anyone the provider logs in)
     * @param secretStore     the ClusterSecretStore External Secrets reads the two secrets from
     * @param clientSecretKey remote key of the OAuth client's secret
     * @param cookieSecretKey remote key of the cookie secret (16, 24 or 32 bytes, or their base64)
     */
    public record AuthProxy(String oidcIssuerUrl, String clientId, List<String> emailDomains, String secretStore,
                            String clientSecretKey, String cookieSecretKey) {
        public AuthProxy {
            Objects.requireNonNull(oidcIssuerUrl, "authProxy oidcIssuerUrl");
            if (!oidcIssuerUrl.startsWith("https://")) {
                throw new IllegalArgumentException("dagster: authProxy oidcIssuerUrl must be an https URL, not '" + oidcIssuerUrl + "'");
            }
            Objects.requireNonNull(clientId, "authProxy clientId");
            Objects.requireNonNull(secretStore, "authProxy secretStore");
            Objects.requireNonNull(clientSecretKey, "authProxy clientSecretKey");
            Objects.requireNonNull(cookieSecretKey, "authProxy cookieSecretKey");
            emailDomains = List.copyOf(emailDomains == null || emailDomains.isEmpty() ? List.of("*") : emailDomains);
        }
    }

    /** oauth2-proxy's listening port (its default address is 127.0.0.1:4180; the pod listens on all addresses). */
    public static final int AUTH_PROXY_PORT = 4180;
    public static final String AUTH_PROXY_NAME = "dagster-auth-proxy";
    /** The image's user (gcr.io/distroless/static:nonroot). */
    static final int AUTH_PROXY_UID = 65532;

    /** Worker (run pod) size per environment: dev 4Gi, stage 8Gi, prod 16Gi. */
    public static int workerMemoryGiB(Environment environment) {
        return switch (environment) {
            case DEV -> 4;
            case STAGE -> 8;
            case PROD -> 16;
        };
    }

    /** DuckDB may use three quarters of the worker's memory by default; the rest is Python and Dagster. */
    public static int defaultDuckDbMemoryGiB(int workerMemoryGiB) {
        return Math.max(1, workerMemoryGiB * 3 / 4);
    }

    /** The smallest run pod: DuckDB gets at least 1 GiB and Python and Dagster keep at least 1 GiB beside it. */
    public static final int MIN_WORKER_MEMORY_GIB = 2;

    /**
     * Empty if a run pod of {@code workerMemoryGiB} can hold DuckDB's {@code duckDbMemoryGiB} and the
     * Python process around it (at least 1 GiB left); otherwise why not.
     */
    public static java.util.Optional<String> runPodFits(int workerMemoryGiB, int duckDbMemoryGiB) {
        if (workerMemoryGiB < MIN_WORKER_MEMORY_GIB) {
            return java.util.Optional.of("run pods of " + workerMemoryGiB + " GiB are too small; allowed: at least "
                    + MIN_WORKER_MEMORY_GIB + " GiB (DuckDB's memory limit plus at least 1 GiB for Python and Dagster)");
        }
        if (duckDbMemoryGiB < 1 || duckDbMemoryGiB > workerMemoryGiB - 1) {
            return java.util.Optional.of("DuckDB's memory limit of " + duckDbMemoryGiB + " GiB does not fit a run pod of "
                    + workerMemoryGiB + " GiB (the pod would be OOM-killed before DuckDB spills to disk); allowed: 1 to "
                    + (workerMemoryGiB - 1) + " GiB");
        }
        return java.util.Optional.empty();
    }

    static String duckDbMemoryLimit(int duckDbMemoryGiB) {
        return duckDbMemoryGiB + "GiB";
    }

    /** See the builder for each setting and its default behaviour. */
    public static final class Args {
        private Environment environment;
        private String namespace = "dagster";
        private String serviceAccountName = "dagster";
        private Cluster cluster;
        private WorkloadIdentity identity = WorkloadIdentity.none();
        private String chartVersion;
        private Database database;
        private Output<String> databaseCidr;
        private String cloudSqlConnectionName;
        private Integer webserverReplicas;
        private int maxConcurrentRuns = 10;
        private Integer workerMemoryGiB;
        private Integer duckDbMemoryGiB;
        private List<CodeLocation> codeLocations = List.of();
        private List<String> allowWebserverFrom = List.of();
        private AuthProxy authProxy;
        private String telemetryNamespace;
        private String catalogNamespace;
        private int catalogPort;
        private Output<String> objectStoreCidr;
        private int objectStorePort;
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
            /** The cluster the stack lands on; its kind decides the identity wiring. Required with a cloud identity. */
            public Builder cluster(Cluster v) { a.cluster = v; return this; }
            /**
             * The pods' cloud identity (a Google service account on GKE, an AWS role on EKS): the ServiceAccount's
             * annotation, and on GKE egress to the metadata server. Default: none.
             */
            public Builder identity(WorkloadIdentity v) { a.identity = Objects.requireNonNull(v, "identity"); return this; }
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
            /** Memory of each run pod (its request and limit). Default: {@link #workerMemoryGiB(Environment)}. */
            public Builder workerMemoryGiB(int v) { a.workerMemoryGiB = v; return this; }
            /** {@code DUCKDB_MEMORY_LIMIT} of each run, below the run pod's memory. Default: {@link #defaultDuckDbMemoryGiB(int)}. */
            public Builder duckDbMemoryGiB(int v) { a.duckDbMemoryGiB = v; return this; }
            /** User code deployments. Default: none. */
            public Builder codeLocations(List<CodeLocation> v) { a.codeLocations = List.copyOf(v); return this; }
            /**
             * Namespaces (e.g. the ingress controller's) that may reach the UI: the webserver's pods, or
             * the authenticating proxy's when there is one. Default: none.
             */
            public Builder allowWebserverFrom(List<String> v) { a.allowWebserverFrom = List.copyOf(v); return this; }
            /** oauth2-proxy (OIDC) in front of the webserver. Default: none (Dagster OSS has no login of its own). */
            public Builder authProxy(AuthProxy v) { a.authProxy = v; return this; }
            /** Namespace of the OpenTelemetry Collector and Marquez; pods may send OTLP and lineage there. Default: none. */
            public Builder telemetryNamespace(String v) { a.telemetryNamespace = v; return this; }
            /** The Iceberg catalog's namespace and API port; pods may call it there. Default: none. */
            public Builder icebergCatalog(String namespace, int port) { a.catalogNamespace = namespace; a.catalogPort = port; return this; }
            /**
             * An in-cluster S3-compatible store (the local stack's MinIO) in {@code cidr} on {@code port}: pods may reach it
             * (cloud object stores are reached over HTTPS). Default: none.
             */
            public Builder objectStore(Output<String> cidr, int port) { a.objectStoreCidr = cidr; a.objectStorePort = port; return this; }
            /** Labels on every object. */
            public Builder labels(Map<String, String> v) { a.labels = Map.copyOf(v); return this; }

            public Args build() {
                a.validate();
                return a;
            }
        }

        private void validate() {
            Objects.requireNonNull(environment, "environment is required");
            WorkloadNamespace.check("dagster", cluster, identity);
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
            if (duckDbMemoryGiB == null) {
                duckDbMemoryGiB = defaultDuckDbMemoryGiB(workerMemoryGiB);
            }
            runPodFits(workerMemoryGiB, duckDbMemoryGiB).ifPresent(problem -> {
                throw new IllegalArgumentException("dagster: " + problem);
            });
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

        // Namespace, DNS, the identity's egress (GKE: the metadata server) and the ServiceAccount: one block.
        var namespace = WorkloadNamespace.builder(this, name, ns).component("dagster").cluster(args.cluster)
                .identity(args.identity).labels(labels).build();
        namespace.allowWithinNamespace();
        // Through the proxy, pods dial the instance on the proxy's server port, not PostgreSQL's.
        namespace.allowEgressTo("allow-database", args.databaseCidr, List.of(args.cloudSqlConnectionName == null
                ? args.database.port() : dev.dataplatform.gcp.CloudSqlDatabase.CONNECTOR_PORT));
        // The run launcher creates Jobs through the Kubernetes API; IAM auth fetches tokens over HTTPS.
        namespace.allowEgressTo("allow-https-egress", Output.of("0.0.0.0/0"), List.of(443));
        if (args.telemetryNamespace != null) {
            namespace.allowEgressToNamespaces("allow-telemetry", List.of(args.telemetryNamespace), TELEMETRY_PORTS);
        }
        if (args.catalogNamespace != null) {
            namespace.allowEgressToNamespaces("allow-iceberg-catalog", List.of(args.catalogNamespace), List.of(args.catalogPort));
        }
        if (args.objectStoreCidr != null) {
            namespace.allowEgressTo("allow-object-store", args.objectStoreCidr, List.of(args.objectStorePort));
        }
        // The ingress controller reaches the UI's pods only: the proxy's when there is one (the webserver is
        // then reached from within the namespace only), else the webserver's.
        if (!args.allowWebserverFrom.isEmpty()) {
            if (args.authProxy != null) {
                namespace.allowIngressFrom("allow-ui", args.allowWebserverFrom, authProxyLabels(), List.of(AUTH_PROXY_PORT));
            } else {
                namespace.allowIngressFrom("allow-webserver", args.allowWebserverFrom, webserverPodLabels(name), List.of(WEBSERVER_PORT));
            }
        }
        var inNamespace = CustomResourceOptions.builder().parent(this).dependsOn(namespace.namespace()).build();

        // Defaults for any container whose requests and limits the chart's values cannot set
        // (INIT_CONTAINERS_WITHOUT_VALUES, none today): the API server fills them in at admission.
        new LimitRange(name + "-container-defaults", LimitRangeArgs.builder()
                .metadata(ObjectMetaArgs.builder().name("container-defaults").namespace(ns).labels(labels).build())
                .spec(LimitRangeSpecArgs.builder().limits(LimitRangeItemArgs.builder()
                        .type("Container")
                        .default_(INIT_CONTAINER_RESOURCES.limits())
                        .defaultRequest(INIT_CONTAINER_RESOURCES.requests())
                        .build()).build())
                .build(), inNamespace);

        var account = namespace.serviceAccount(name + "-service-account", args.serviceAccountName, labels);

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
                .values(CrdValues.of(values(name, args)))
                .atomic(true)
                .timeout(900)
                .build(), CustomResourceOptions.builder().parent(this).dependsOn(dependencies).build());

        // The chart names the webserver Service <release>-<dagsterWebserver.nameOverride: dagster-webserver>.
        String service = name + "-dagster-webserver." + ns + ".svc.cluster.local";
        String webserver = "http://" + service + ":" + WEBSERVER_PORT;
        if (args.authProxy != null) {
            authProxy(name, ns, labels, args.authProxy, webserver, inNamespace);
        }
        this.namespace = Output.of(ns);
        this.webserverService = Output.of(service);
        this.webserverUrl = Output.of(webserver);
        this.uiUrl = Output.of(args.authProxy == null ? webserver
                : "http://" + AUTH_PROXY_NAME + "." + ns + ".svc.cluster.local:" + AUTH_PROXY_PORT);
        var outputs = new LinkedHashMap<String, Output<?>>();
        outputs.put("namespace", this.namespace);
        outputs.put("webserverService", webserverService);
        outputs.put("webserverUrl", webserverUrl);
        outputs.put("uiUrl", uiUrl);
        registerOutputs(outputs);
    }

    /** Requests and limits of the chart's check-db-ready init containers (a pg_isready loop). */
    static final Resources INIT_CONTAINER_RESOURCES = Resources.of("10m", "100m", "64Mi");

    /**
     * Init containers the chart renders but whose resources its values cannot set, as values paths: none
     * with the pinned chart (the code servers render only the init containers their values list; the
     * real-Helm render test checks every container has limits). The namespace's LimitRange stays as a
     * safety net for a chart that adds one.
     */
    public static final List<String> INIT_CONTAINERS_WITHOUT_VALUES = List.of();

    /** The webserver pods' labels (the chart's selector labels and component). */
    static Map<String, String> webserverPodLabels(String release) {
        return Map.of("app.kubernetes.io/name", CHART, "app.kubernetes.io/instance", release, "component", "dagster-webserver");
    }

    static Map<String, String> authProxyLabels() {
        return Map.of("app.kubernetes.io/name", "oauth2-proxy", "app.kubernetes.io/instance", AUTH_PROXY_NAME);
    }

    /** apps/v1 DeploymentSpec with a plain pod map. */
    public record DeploymentSpec(Integer replicas, Map<String, Object> selector, Map<String, Object> template) implements CrdSpec {
        @Override
        public CrdKind kind() {
            return new CrdKind("apps/v1", "Deployment");
        }
    }

    /**
     * oauth2-proxy in front of the webserver: OIDC login, then every request passes to the webserver.
     * Its secrets come from the store through External Secrets as files (never in the spec); the pod
     * runs restricted with a read-only root filesystem and no API token.
     */
    private void authProxy(String name, String ns, Map<String, String> labels, AuthProxy proxy, String upstream,
                           CustomResourceOptions inNamespace) {
        var secret = new KubernetesCustomResource(name + "-auth-proxy-secrets",
                ObjectMetaArgs.builder().name(AUTH_PROXY_NAME).namespace(ns).labels(labels).build(),
                new ExternalSecretSpec("1h", StoreRef.clusterSecretStore(proxy.secretStore()),
                        new Target(AUTH_PROXY_NAME, "Owner", null),
                        List.of(new Data("client-secret", new RemoteRef(proxy.clientSecretKey())),
                                new Data("cookie-secret", new RemoteRef(proxy.cookieSecretKey()))), null),
                inNamespace);
        var podLabels = new java.util.TreeMap<>(labels);
        podLabels.putAll(authProxyLabels());
        var env = new ArrayList<Object>();
        env.add(Map.of("name", "OAUTH2_PROXY_HTTP_ADDRESS", "value", "0.0.0.0:" + AUTH_PROXY_PORT));
        env.add(Map.of("name", "OAUTH2_PROXY_PROVIDER", "value", "oidc"));
        env.add(Map.of("name", "OAUTH2_PROXY_OIDC_ISSUER_URL", "value", proxy.oidcIssuerUrl()));
        env.add(Map.of("name", "OAUTH2_PROXY_CLIENT_ID", "value", proxy.clientId()));
        env.add(Map.of("name", "OAUTH2_PROXY_CLIENT_SECRET_FILE", "value", "/etc/oauth2-proxy/client-secret"));
        env.add(Map.of("name", "OAUTH2_PROXY_COOKIE_SECRET_FILE", "value", "/etc/oauth2-proxy/cookie-secret"));
        env.add(Map.of("name", "OAUTH2_PROXY_COOKIE_SECURE", "value", "true"));
        env.add(Map.of("name", "OAUTH2_PROXY_EMAIL_DOMAINS", "value", String.join(",", proxy.emailDomains())));
        env.add(Map.of("name", "OAUTH2_PROXY_UPSTREAMS", "value", upstream + "/"));
        env.add(Map.of("name", "OAUTH2_PROXY_REVERSE_PROXY", "value", "true"));
        env.add(Map.of("name", "OAUTH2_PROXY_SKIP_PROVIDER_BUTTON", "value", "true"));
        var container = new LinkedHashMap<String, Object>();
        container.put("name", "oauth2-proxy");
        container.put("image", PinnedVersions.OAUTH2_PROXY_IMAGE.image());
        container.put("env", env);
        container.put("ports", List.of(Map.of("name", "http", "containerPort", AUTH_PROXY_PORT, "protocol", "TCP")));
        container.put("readinessProbe", Map.of("httpGet", Map.of("path", "/ready", "port", AUTH_PROXY_PORT),
                "periodSeconds", 10, "timeoutSeconds", 5));
        container.put("livenessProbe", Map.of("httpGet", Map.of("path", "/ping", "port", AUTH_PROXY_PORT),
                "periodSeconds", 10, "timeoutSeconds", 5, "failureThreshold", 6));
        container.put("resources", Map.of("requests", Map.of("cpu", "50m", "memory", "64Mi"),
                "limits", Map.of("cpu", "500m", "memory", "128Mi")));
        container.put("securityContext", PodValues.restrictedContainerSecurity(AUTH_PROXY_UID, true));
        container.put("volumeMounts", List.of(Map.of("name", "secrets", "mountPath", "/etc/oauth2-proxy", "readOnly", true)));
        var pod = new LinkedHashMap<String, Object>();
        pod.put("automountServiceAccountToken", false);
        pod.put("securityContext", Map.of("runAsNonRoot", true, "runAsUser", AUTH_PROXY_UID, "runAsGroup", AUTH_PROXY_UID,
                "seccompProfile", Map.of("type", "RuntimeDefault")));
        pod.put("containers", List.of(container));
        // A projected reference by name: each key of the Secret becomes a file.
        pod.put("volumes", List.of(Map.of("name", "secrets", "projected",
                Map.of("sources", List.of(Map.of("secret", Map.of("name", AUTH_PROXY_NAME)))))));
        var deployment = new KubernetesCustomResource(name + "-auth-proxy",
                ObjectMetaArgs.builder().name(AUTH_PROXY_NAME).namespace(ns).labels(labels).build(),
                new DeploymentSpec(2, Map.of("matchLabels", authProxyLabels()),
                        Map.of("metadata", Map.of("labels", podLabels), "spec", pod)),
                CustomResourceOptions.builder().parent(this).dependsOn(secret).build());
        new com.pulumi.kubernetes.core.v1.Service(name + "-auth-proxy-service", com.pulumi.kubernetes.core.v1.ServiceArgs.builder()
                .metadata(ObjectMetaArgs.builder().name(AUTH_PROXY_NAME).namespace(ns).labels(labels).build())
                .spec(com.pulumi.kubernetes.core.v1.inputs.ServiceSpecArgs.builder()
                        .type("ClusterIP")
                        .selector(authProxyLabels())
                        .ports(com.pulumi.kubernetes.core.v1.inputs.ServicePortArgs.builder().name("http").port(AUTH_PROXY_PORT)
                                .targetPort(AUTH_PROXY_PORT).protocol("TCP").build())
                        .build())
                .build(), CustomResourceOptions.builder().parent(this).dependsOn(deployment).build());
    }

    /**
     * The chart's name for the release's objects ({@code dagster.fullname}): the release name if it
     * contains "dagster", else {@code <release>-dagster}. The instance ConfigMap is {@code <fullname>-instance}.
     */
    static String fullname(String release) {
        String full = release.contains(CHART) ? release : release + "-" + CHART;
        return full.length() > 63 ? full.substring(0, 63).replaceAll("-+$", "") : full;
    }

    /** The chart's default DAGSTER_HOME (global.dagsterHome), where run pods mount the instance's dagster.yaml. */
    static final String DAGSTER_HOME = "/opt/dagster/dagster_home";

    /**
     * The run launcher, written out as dagster-k8s's {@code K8sRunLauncher} config. Declared as the
     * chart's {@code CustomRunLauncher} because the chart's own K8sRunLauncher template always sets
     * {@code postgres_password_secret} (run pods then carry a non-optional secretKeyRef even with IAM
     * login, where no password Secret exists); dagster-k8s treats that field as optional. Run pods get
     * exactly {@code resources}: code locations do not pass their own settings into runs
     * ({@code includeConfigInLaunchedRuns: false}), so no container context overrides them.
     */
    static Map<String, Object> runLauncherConfig(String release, Args args, Resources worker, SecurityContext container,
                                                 PodSecurityContext pod, List<Map<String, Object>> sidecars) {
        var config = new LinkedHashMap<String, Object>();
        config.put("load_incluster_config", true);
        config.put("job_namespace", args.namespace);
        config.put("image_pull_policy", "IfNotPresent");
        config.put("service_account_name", args.serviceAccountName);
        config.put("dagster_home", DAGSTER_HOME);
        config.put("instance_config_map", fullname(release) + "-instance");
        if (args.database.auth() == Auth.PASSWORD) {
            config.put("postgres_password_secret", PASSWORD_SECRET);
        }
        config.put("env_vars", List.of("DUCKDB_MEMORY_LIMIT=" + duckDbMemoryLimit(args.duckDbMemoryGiB)));
        config.put("resources", worker);
        config.put("security_context", container);
        // Field names as dagster-k8s reads a V1PodSpec (snake_case, as the chart's own container context writes them).
        var podSpec = new LinkedHashMap<String, Object>();
        podSpec.put("security_context", pod);
        if (sidecars != null) {
            podSpec.put("init_containers", sidecars);
        }
        config.put("run_k8s_config", Map.of("pod_spec_config", podSpec));
        return config;
    }

    /** The chart values, typed; only host and user are outputs of the database component. */
    static DagsterValues values(String release, Args args) {
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
        // On Cloud SQL: the Auth Proxy native sidecar first in every pod that opens the instance
        // database (webserver, daemon, runs, and the code servers, which open it with the instance
        // the daemon hands them for sensors and schedules); the instance connects to it on loopback
        // without TLS (the proxy does mTLS).
        boolean proxied = args.cloudSqlConnectionName != null;
        List<Map<String, Object>> sidecars = proxied
                ? List.of(CloudSqlProxy.sidecar(args.cloudSqlConnectionName, db.auth() == Auth.GCP_IAM)) : null;
        var locations = args.codeLocations.stream().map(l -> new UserDeployment(l.name(),
                new Image(l.repository(), l.tag(), "IfNotPresent"), List.of("-m", l.module()), CODE_SERVER_PORT,
                CODE_SERVER_RESOURCES, pod, container, sidecars, Enabled.OFF)).toList();
        Output<String> host = proxied ? Output.of("127.0.0.1") : db.host();
        int port = proxied ? CloudSqlProxy.PORT : db.port();
        String sslmode = proxied ? "disable" : "require";
        return new DagsterValues(
                new Global(args.serviceAccountName, iam ? null : PASSWORD_SECRET, iam ? true : null),
                new DagsterValues.ServiceAccount(false),
                new Postgresql(false, host, db.username(), db.name(), new Service(null, port),
                        Map.of("sslmode", sslmode), provider, CHECK_DB_READY_IMAGE),
                false,
                new Webserver(args.webserverReplicas, new Service("ClusterIP", WEBSERVER_PORT),
                        Resources.of("250m", "1", "1Gi"), pod, container, INIT_CONTAINER_RESOURCES, sidecars),
                new Daemon(true, RunCoordinator.queued(args.maxConcurrentRuns), Resources.of("250m", "1", "1Gi"), pod, container,
                        INIT_CONTAINER_RESOURCES, sidecars),
                new RunLauncher("CustomRunLauncher", new RunLauncherConfig(null, new ConfigurableClass("dagster_k8s",
                        "K8sRunLauncher", runLauncherConfig(release, args, worker, container, pod, sidecars)))),
                new UserDeployments(!locations.isEmpty(), !locations.isEmpty(), locations),
                Enabled.OFF, Enabled.OFF, Enabled.OFF, Enabled.OFF,
                new Busybox(new Image(PinnedVersions.DAGSTER_BUSYBOX_IMAGE.name(), PinnedVersions.DAGSTER_BUSYBOX_IMAGE.version(),
                        "IfNotPresent")));
    }

    /** Requests and limits of each code server (a gRPC server that loads definitions; runs are sized apart). */
    static final Resources CODE_SERVER_RESOURCES = Resources.of("250m", "1", "1Gi");

    /** The chart's check-db-ready image ({@code docker.io/library/postgres:14.6} by default), pinned. */
    static final PostgresImage CHECK_DB_READY_IMAGE = new PostgresImage("docker.io",
            PinnedVersions.DAGSTER_CHECK_DB_READY_IMAGE.name().substring("docker.io/".length()),
            PinnedVersions.DAGSTER_CHECK_DB_READY_IMAGE.version(), "IfNotPresent");
}
