package dev.dataplatform.observability;

import com.pulumi.core.Output;
import com.pulumi.kubernetes.core.v1.ConfigMap;
import com.pulumi.kubernetes.core.v1.ConfigMapArgs;
import com.pulumi.kubernetes.core.v1.Service;
import com.pulumi.kubernetes.core.v1.ServiceArgs;
import com.pulumi.kubernetes.core.v1.inputs.ServicePortArgs;
import com.pulumi.kubernetes.core.v1.inputs.ServiceSpecArgs;
import com.pulumi.kubernetes.helm.v3.Release;
import com.pulumi.kubernetes.helm.v3.ReleaseArgs;
import com.pulumi.kubernetes.helm.v3.inputs.RepositoryOptsArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import dev.dataplatform.core.Environment;
import dev.dataplatform.kubernetes.CloudSqlProxy;
import dev.dataplatform.kubernetes.PodValues;
import dev.dataplatform.kubernetes.PodValues.PodSecurityContext;
import dev.dataplatform.kubernetes.PodValues.Resources;
import dev.dataplatform.kubernetes.PodValues.SecurityContext;
import dev.dataplatform.kubernetes.ObjectLabels;
import dev.dataplatform.kubernetes.Cluster;
import dev.dataplatform.kubernetes.WorkloadIdentity;
import dev.dataplatform.kubernetes.WorkloadNamespace;
import dev.dataplatform.kubernetes.crd.CrdValues;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.Data;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.ExternalSecretSpec;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.RemoteRef;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.StoreRef;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.Target;
import dev.dataplatform.kubernetes.crd.KubernetesCustomResource;
import dev.dataplatform.observability.CollectorValues.Batch;
import dev.dataplatform.observability.CollectorValues.Config;
import dev.dataplatform.observability.CollectorValues.Endpoint;
import dev.dataplatform.observability.CollectorValues.EnvVar;
import dev.dataplatform.observability.CollectorValues.Exporter;
import dev.dataplatform.observability.CollectorValues.Extensions;
import dev.dataplatform.observability.CollectorValues.MemoryLimiter;
import dev.dataplatform.observability.CollectorValues.Otlp;
import dev.dataplatform.observability.CollectorValues.Pipeline;
import dev.dataplatform.observability.CollectorValues.Processors;
import dev.dataplatform.observability.CollectorValues.Protocols;
import dev.dataplatform.observability.CollectorValues.Receivers;
import dev.dataplatform.observability.CollectorValues.SecretKeyRef;
import dev.dataplatform.observability.CollectorValues.Tls;
import dev.dataplatform.observability.CollectorValues.ValueFrom;
import dev.dataplatform.observability.RawDeployment.Container;
import dev.dataplatform.observability.RawDeployment.EnvEntry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Telemetry and lineage for the platform, in one restricted namespace: an OpenTelemetry Collector
 * (official chart; OTLP gRPC 4317 and HTTP 4318, memory_limiter and batch, health_check) that
 * exports traces to an in-cluster Jaeger v2 in dev and every signal to an external OTLP endpoint,
 * authenticated by a header from a Secret, in stage and prod; and Marquez for OpenLineage, with its
 * own config (no development defaults), on its Cloud SQL database through the Cloud SQL Auth Proxy
 * native sidecar, or on a PostgreSQL it reaches directly over TLS (the local stack's in-cluster server). Every container has requests, limits and a restricted security context; the
 * namespace denies traffic by default and allows exactly the flows below.
 */
public final class ObservabilityStack extends ComponentResource {
    public static final String TYPE = "dataplatform:kubernetes:ObservabilityStack";
    /** The Kubernetes ServiceAccount Marquez runs as (its Google identity binds to exactly this one). */
    public static final String MARQUEZ_SERVICE_ACCOUNT = "marquez";
    public static final String COLLECTOR_CHART = PinnedVersions.COLLECTOR_CHART.name();
    public static final String COLLECTOR_REPOSITORY = "https://open-telemetry.github.io/opentelemetry-helm-charts";
    public static final String COLLECTOR_IMAGE = PinnedVersions.COLLECTOR_IMAGE.name();
    static final String COLLECTOR = "otel-collector";
    /** OTLP ports of the collector and of Jaeger v2 (cmd/jaeger/internal/all-in-one.yaml @v2.20.0). */
    static final int OTLP_GRPC = 4317;
    static final int OTLP_HTTP = 4318;
    /** Jaeger v2's query/UI port (ports.QueryHTTP @v2.20.0, the jaeger_query extension's default). */
    static final int JAEGER_UI = 16686;
    /** The healthcheckv2 endpoint Jaeger v2 listens on (all-in-one.yaml @v2.20.0). */
    static final int JAEGER_HEALTH = 13133;
    static final int MARQUEZ_API = 5000;
    static final int MARQUEZ_ADMIN = 5001;
    static final String AUTH_HEADER_ENV = "OTLP_AUTH_HEADER";
    static final String MARQUEZ_PASSWORD_SECRET = "marquez-postgresql";
    public static final String MARQUEZ_CONFIG_MAP = "marquez-config";
    public static final String MARQUEZ_CONFIG_DIR = "/etc/marquez";
    public static final String MARQUEZ_CONFIG_FILE = "marquez.yml";
    public static final String JAEGER_CONFIG_MAP = "jaeger-config";
    public static final String JAEGER_CONFIG_FILE = "config.yaml";

    /** A destination of the collector's exporters and the signals it accepts. */
    public enum Destination {
        /** Jaeger's OTLP receiver takes traces only (Jaeger v2 all-in-one: a traces pipeline only). */
        JAEGER(Set.of("traces")),
        /** A vendor's OTLP/HTTP endpoint takes traces, metrics and logs. */
        OTLP_BACKEND(Set.of("traces", "metrics", "logs"));

        public final Set<String> signals;

        Destination(Set<String> signals) {
            this.signals = signals;
        }
    }

    /** Exporter name in the collector config -> where it sends; tests check every pipeline against it. */
    public static final Map<String, Destination> EXPORTERS = Map.of("otlp/jaeger", Destination.JAEGER,
            "otlphttp", Destination.OTLP_BACKEND);
    /** The chart's default ports of receivers this collector does not run (values.yaml @opentelemetry-collector-0.170.0). */
    public static final List<String> UNUSED_CHART_PORTS = List.of("jaeger-compact", "jaeger-thrift", "jaeger-grpc", "zipkin");

    public final Output<String> namespace;
    public final Output<String> otlpGrpcEndpoint;
    public final Output<String> otlpHttpEndpoint;
    /** The Jaeger UI (dev only; empty elsewhere). */
    public final Output<String> jaegerUi;
    /** Marquez's API, or empty without Marquez. */
    public final Output<String> marquezApiUrl;

    /** Where stage and prod send telemetry; the header's value comes from a Secret in the namespace. */
    public record OtlpExport(String endpoint, String headerName, String secretName, String secretKey) {
    }

    /**
     * Marquez's database on Cloud SQL, reached through the Auth Proxy sidecar at 127.0.0.1: a
     * password login (Marquez's JDBC pool has no IAM token support), the password kept by a DBA in
     * the cloud's secret manager; the proxy authenticates to Cloud SQL as the Google service account
     * {@code googleServiceAccount} (Workload Identity on the KSA {@code marquez}).
     */
    public record MarquezDatabase(String connectionName, String name, String user, String passwordStore, String passwordKey,
                                  Output<String> googleServiceAccount) {
    }

    /**
     * Marquez's database on a PostgreSQL reached directly at {@code host}:{@code port} (the local stack's in-cluster
     * server) over TLS ({@code sslmode=require}), as a password login whose password External Secrets copies from
     * {@code passwordStore}/{@code passwordKey} (for the local stack: the generated Secret, through its store).
     */
    public record MarquezHostDatabase(String host, int port, String name, String user, String passwordStore, String passwordKey) {
        public MarquezHostDatabase {
            Objects.requireNonNull(host, "marquez database host");
            Objects.requireNonNull(name, "marquez database name");
            Objects.requireNonNull(user, "marquez database user");
            Objects.requireNonNull(passwordStore, "marquez passwordStore");
            Objects.requireNonNull(passwordKey, "marquez passwordKey");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("observability: marquez database port " + port + " is not 1-65535");
            }
        }
    }

    /** See the builder for each setting and its default behaviour. */
    public static final class Args {
        private Environment environment;
        private String namespace = "observability";
        private String collectorChartVersion = PinnedVersions.COLLECTOR_CHART.version();
        private OtlpExport export;
        private String jaegerImage = PinnedVersions.JAEGER_IMAGE.image();
        private String marquezImage = PinnedVersions.MARQUEZ_IMAGE.image();
        private MarquezDatabase marquez;
        private MarquezHostDatabase marquezHost;
        private Output<String> marquezDatabaseCidr;
        private List<String> telemetryClients = List.of();
        private Map<String, String> labels = Map.of();
        private Cluster cluster;

        private Args() {
        }

        public static Builder builder() {
            return new Builder();
        }

        public static final class Builder {
            private final Args a = new Args();

            /** Required: Jaeger in dev, an external OTLP endpoint in stage and prod. */
            public Builder environment(Environment v) { a.environment = v; return this; }
            /** Namespace, created restricted with default deny. Default: observability. */
            public Builder namespace(String v) { a.namespace = v; return this; }
            /** The collector chart version, in {@link PinnedVersions#COLLECTOR_CHART}'s range. Default: its pin. */
            public Builder collectorChartVersion(String v) { a.collectorChartVersion = v; return this; }
            /** Required in stage and prod: the OTLP endpoint and the header Secret. */
            public Builder export(OtlpExport v) { a.export = v; return this; }
            /** Jaeger v2 image (dev). Default: {@link PinnedVersions#JAEGER_IMAGE}. */
            public Builder jaegerImage(String v) { a.jaegerImage = v; return this; }
            /** Marquez image. Default: {@link PinnedVersions#MARQUEZ_IMAGE}. */
            public Builder marquezImage(String v) { a.marquezImage = v; return this; }
            /** Marquez and its database (the instance's address range, for egress). Default: no Marquez. */
            public Builder marquez(MarquezDatabase database, Output<String> databaseCidr) {
                a.marquez = database;
                a.marquezDatabaseCidr = databaseCidr;
                return this;
            }
            /**
             * Marquez on a directly reached PostgreSQL (no Cloud SQL proxy, no cloud identity) and that server's address
             * range, for egress. Default: no Marquez.
             */
            public Builder marquez(MarquezHostDatabase database, Output<String> databaseCidr) {
                a.marquezHost = database;
                a.marquezDatabaseCidr = databaseCidr;
                return this;
            }
            /** Namespaces whose pods send telemetry and lineage (e.g. dagster). Default: none. */
            public Builder telemetryClients(List<String> v) { a.telemetryClients = List.copyOf(v); return this; }
            /** Labels on every object. */
            public Builder labels(Map<String, String> v) { a.labels = Map.copyOf(v); return this; }
            /** The cluster the stack lands on; its kind decides the identity wiring. Required with Marquez (GKE Workload Identity). */
            public Builder cluster(Cluster v) { a.cluster = v; return this; }

            public Args build() {
                a.validate();
                return a;
            }
        }

        private void validate() {
            Objects.requireNonNull(environment, "environment is required");
            PinnedVersions.COLLECTOR_CHART.check(collectorChartVersion).ifPresent(problem -> {
                throw new IllegalArgumentException("observability: collectorChartVersion " + problem);
            });
            if (environment != Environment.DEV && export == null) {
                throw new IllegalArgumentException("observability: export is required in " + environment.id()
                        + ": stage and prod send telemetry to an OTLP endpoint (Jaeger runs in dev only)");
            }
            if (export != null && !export.endpoint().startsWith("https://")) {
                throw new IllegalArgumentException("observability: export endpoint '" + export.endpoint() + "' must be https://");
            }
            PinnedVersions.checkImage(PinnedVersions.JAEGER_IMAGE, jaegerImage).ifPresent(problem -> {
                throw new IllegalArgumentException("observability: jaegerImage " + problem);
            });
            PinnedVersions.checkImage(PinnedVersions.MARQUEZ_IMAGE, marquezImage).ifPresent(problem -> {
                throw new IllegalArgumentException("observability: marquezImage " + problem);
            });
            if (marquez != null && marquezHost != null) {
                throw new IllegalArgumentException("observability: marquez has one database: Cloud SQL or a direct host, not both");
            }
            if (marquezHost != null) {
                Objects.requireNonNull(marquezDatabaseCidr, "marquez needs the database's address range");
            }
            if (marquez != null) {
                CloudSqlProxy.args(marquez.connectionName(), false);
                Objects.requireNonNull(marquezDatabaseCidr, "marquez needs the database's address range");
                Objects.requireNonNull(marquez.googleServiceAccount(), "marquez needs the Google service account the proxy runs as");
            }
            WorkloadNamespace.check("observability", cluster, identity());
        }

        /** Marquez's Auth Proxy acts as the workload's Google service account; nothing else has a cloud identity. */
        WorkloadIdentity identity() {
            return marquez == null ? WorkloadIdentity.none() : WorkloadIdentity.google(marquez.googleServiceAccount());
        }

        boolean jaeger() {
            return export == null;
        }

        boolean runsMarquez() {
            return marquez != null || marquezHost != null;
        }
    }

    public ObservabilityStack(String name, Args args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        String ns = args.namespace;
        var labels = ObjectLabels.of(args.labels, args.environment);

        var namespace = WorkloadNamespace.builder(this, name, ns).component("observability").cluster(args.cluster)
                .identity(args.identity()).labels(labels).metadataPolicy("allow-gke-metadata").build();
        namespace.allowWithinNamespace();
        if (!args.telemetryClients.isEmpty()) {
            var ports = new ArrayList<>(List.of(OTLP_GRPC, OTLP_HTTP));
            if (args.runsMarquez()) {
                ports.add(MARQUEZ_API);
            }
            namespace.allowIngressFrom("allow-telemetry-clients", args.telemetryClients, ports);
        }
        if (!args.jaeger()) {
            namespace.allowEgressTo("allow-otlp-export", Output.of("0.0.0.0/0"), List.of(443));
        }
        if (args.marquez != null) {
            // The proxy dials the instance on 3307 and calls the Cloud SQL Admin API (HTTPS, no fixed
            // address); the namespace admits the GKE metadata server for its token.
            namespace.allowEgressTo("allow-marquez-database", args.marquezDatabaseCidr, List.of(dev.dataplatform.gcp.CloudSqlDatabase.CONNECTOR_PORT));
            namespace.allowEgressTo("allow-cloud-sql-api", Output.of("0.0.0.0/0"), List.of(443));
        }
        if (args.marquezHost != null) {
            // Straight to the server's port: no proxy, no cloud API, no metadata server.
            namespace.allowEgressTo("allow-marquez-database", args.marquezDatabaseCidr, List.of(args.marquezHost.port()));
        }
        var inNamespace = CustomResourceOptions.builder().parent(this).dependsOn(namespace.namespace()).build();

        String jaegerHost = "jaeger." + ns + ".svc.cluster.local";
        if (args.jaeger()) {
            jaeger(name, args, ns, labels, inNamespace);
        }
        new Release(name + "-collector", ReleaseArgs.builder()
                .name(COLLECTOR)
                .chart(COLLECTOR_CHART)
                .version(args.collectorChartVersion)
                .repositoryOpts(RepositoryOptsArgs.builder().repo(COLLECTOR_REPOSITORY).build())
                .namespace(ns)
                .values(CrdValues.of(collectorValues(args, jaegerHost)))
                .atomic(true)
                .build(), inNamespace);
        if (args.runsMarquez()) {
            marquez(name, args, namespace, labels, inNamespace);
        }

        String collector = COLLECTOR + "." + ns + ".svc.cluster.local";
        this.namespace = Output.of(ns);
        this.otlpGrpcEndpoint = Output.of("http://" + collector + ":" + OTLP_GRPC);
        this.otlpHttpEndpoint = Output.of("http://" + collector + ":" + OTLP_HTTP);
        this.jaegerUi = Output.of(args.jaeger() ? "http://" + jaegerHost + ":" + JAEGER_UI : "");
        this.marquezApiUrl = Output.of(!args.runsMarquez() ? "" : "http://marquez." + ns + ".svc.cluster.local:" + MARQUEZ_API + "/api/v1");
        var outputs = new LinkedHashMap<String, Output<?>>();
        outputs.put("namespace", this.namespace);
        outputs.put("otlpGrpcEndpoint", otlpGrpcEndpoint);
        outputs.put("otlpHttpEndpoint", otlpHttpEndpoint);
        outputs.put("jaegerUi", jaegerUi);
        outputs.put("marquezApiUrl", marquezApiUrl);
        registerOutputs(outputs);
    }

    /**
     * The chart values. The whole collector configuration is {@code alternateConfig} (not merged with
     * the chart's default receivers and debug exporter); one pipeline per signal the destination
     * accepts: dev has only a traces pipeline (Jaeger takes traces only), stage and prod all three.
     */
    static CollectorValues collectorValues(Args args, String jaegerHost) {
        Map<String, Exporter> exporters;
        List<EnvVar> env = null;
        if (args.jaeger()) {
            exporters = Map.of("otlp/jaeger", new Exporter(jaegerHost + ":" + OTLP_GRPC, new Tls(true), null));
        } else {
            var export = args.export;
            exporters = Map.of("otlphttp", new Exporter(export.endpoint(), null,
                    Map.of(export.headerName(), "${env:" + AUTH_HEADER_ENV + "}")));
            env = List.of(new EnvVar(AUTH_HEADER_ENV, new ValueFrom(new SecretKeyRef(export.secretName(), export.secretKey()))));
        }
        var processors = List.of("memory_limiter", "batch");
        var pipelines = new TreeMap<String, Pipeline>();
        for (String signal : List.of("traces", "metrics", "logs")) {
            var accepting = exporters.keySet().stream().filter(e -> EXPORTERS.get(e).signals.contains(signal)).sorted().toList();
            if (!accepting.isEmpty()) {
                pipelines.put(signal, new Pipeline(List.of("otlp"), processors, accepting));
            }
        }
        var ports = new TreeMap<String, CollectorValues.Port>();
        UNUSED_CHART_PORTS.forEach(p -> ports.put(p, new CollectorValues.Port(false)));
        boolean dev = args.environment == Environment.DEV;
        return new CollectorValues("deployment", COLLECTOR,
                new CollectorValues.Image(COLLECTOR_IMAGE, PinnedVersions.COLLECTOR_IMAGE.version()), dev ? 1 : 2,
                Resources.of(dev ? "100m" : "250m", dev ? "500m" : "1", dev ? "512Mi" : "1Gi"),
                PodSecurityContext.restricted(PodValues.NON_ROOT_UID), SecurityContext.restricted(true),
                new CollectorValues.ServiceAccount(false), env, ports,
                new Config(new Receivers(new Otlp(new Protocols(new Endpoint("${env:MY_POD_IP}:" + OTLP_GRPC),
                        new Endpoint("${env:MY_POD_IP}:" + OTLP_HTTP)))),
                        new Processors(new MemoryLimiter("1s", 80, 25), new Batch(8192, "5s")),
                        exporters, new Extensions(new Endpoint("${env:MY_POD_IP}:13133")),
                        new CollectorValues.Service(List.of("health_check"), pipelines)));
    }

    /**
     * Jaeger v2's own configuration: OTLP in (traces only), in-memory storage, the query UI on its
     * default port. Replaces the image's built-in all-in-one config, which also opens the Jaeger
     * and Zipkin receivers and remote sampling.
     */
    public static String jaegerConfig() {
        return """
                # Jaeger v2 (an OpenTelemetry Collector distribution), written by data-platform: OTLP traces
                # in, kept in memory (dev only), shown by jaeger_query on its default port 16686.
                service:
                  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
                  pipelines:
                    traces:
                      receivers: [otlp]
                      processors: [batch]
                      exporters: [jaeger_storage_exporter]
                extensions:
                  healthcheckv2:
                    use_v2: true
                    http:
                      endpoint: 0.0.0.0:%d
                  jaeger_query:
                    storage:
                      traces: in_memory
                  jaeger_storage:
                    backends:
                      in_memory:
                        memory:
                          max_traces: 100000
                receivers:
                  otlp:
                    protocols:
                      grpc:
                        endpoint: 0.0.0.0:%d
                      http:
                        endpoint: 0.0.0.0:%d
                processors:
                  batch: {}
                exporters:
                  jaeger_storage_exporter:
                    trace_storage: in_memory
                """.formatted(JAEGER_HEALTH, OTLP_GRPC, OTLP_HTTP);
    }

    /**
     * Marquez's configuration. Without {@code MARQUEZ_CONFIG} the image's entrypoint runs
     * marquez.dev.yml (fixed user and password "marquez", search against host "opensearch"); this one
     * takes every database setting from the environment (Marquez substitutes {@code ${VAR}} from it
     * when it loads the file) and switches search off.
     */
    public static String marquezConfig() {
        return """
                # Marquez, written by data-platform: the dollar-brace names below come from the container environment.
                server:
                  applicationConnectors:
                    - type: http
                      port: %d
                  adminConnectors:
                    - type: http
                      port: %d
                db:
                  driverClass: org.postgresql.Driver
                  url: jdbc:postgresql://${POSTGRES_HOST}:${POSTGRES_PORT}/${POSTGRES_DB}?sslmode=${POSTGRES_SSLMODE}
                  user: ${POSTGRES_USER}
                  password: ${POSTGRES_PASSWORD}
                migrateOnStartup: true
                graphql:
                  enabled: true
                logging:
                  level: INFO
                  appenders:
                    - type: console
                search:
                  enabled: false
                """.formatted(MARQUEZ_API, MARQUEZ_ADMIN);
    }

    private void jaeger(String name, Args args, String ns, Map<String, String> labels, CustomResourceOptions options) {
        configMap(name + "-jaeger-config", JAEGER_CONFIG_MAP, ns, labels, Map.of(JAEGER_CONFIG_FILE, jaegerConfig()), options);
        deployment(name + "-jaeger", "jaeger", ns, labels, 1, null, null, new Container("jaeger", args.jaegerImage,
                        List.of("--config=file:/etc/jaeger/" + JAEGER_CONFIG_FILE), null,
                        List.of(RawDeployment.Port.tcp("ui", JAEGER_UI), RawDeployment.Port.tcp("otlp-grpc", OTLP_GRPC),
                                RawDeployment.Port.tcp("otlp-http", OTLP_HTTP)),
                        Resources.of("100m", "500m", "512Mi"), SecurityContext.restricted(true),
                        List.of(new RawDeployment.VolumeMount("config", "/etc/jaeger", true),
                                new RawDeployment.VolumeMount("tmp", "/tmp", false))),
                List.of(RawDeployment.Volume.configMap("config", JAEGER_CONFIG_MAP), RawDeployment.Volume.emptyDir("tmp", "64Mi")),
                options);
        service(name + "-jaeger-service", "jaeger", ns, labels,
                Map.of("ui", JAEGER_UI, "otlp-grpc", OTLP_GRPC, "otlp-http", OTLP_HTTP), options);
    }

    private void marquez(String name, Args args, WorkloadNamespace namespace, Map<String, String> labels, CustomResourceOptions options) {
        String ns = namespace.name();
        var db = args.marquez;
        var direct = args.marquezHost;
        new KubernetesCustomResource(name + "-marquez-password",
                ObjectMetaArgs.builder().name(MARQUEZ_PASSWORD_SECRET).namespace(ns).labels(labels).build(),
                new ExternalSecretSpec("1h", StoreRef.clusterSecretStore(db != null ? db.passwordStore() : direct.passwordStore()),
                        new Target(MARQUEZ_PASSWORD_SECRET, "Owner", null),
                        List.of(new Data("password", new RemoteRef(db != null ? db.passwordKey() : direct.passwordKey()))), null),
                options);
        configMap(name + "-marquez-config", MARQUEZ_CONFIG_MAP, ns, labels, Map.of(MARQUEZ_CONFIG_FILE, marquezConfig()), options);
        // The Auth Proxy authenticates as the workload's Google service account (Workload Identity); a direct host needs
        // no cloud identity (the namespace's identity is none then).
        namespace.serviceAccount(name + "-marquez-service-account", "marquez", labels, namespace.identity(), false);
        var env = db != null ? List.of(
                EnvEntry.of("MARQUEZ_CONFIG", MARQUEZ_CONFIG_DIR + "/" + MARQUEZ_CONFIG_FILE),
                // Through the proxy sidecar: plain TCP on loopback, the proxy does mTLS to the private IP.
                EnvEntry.of("POSTGRES_HOST", "127.0.0.1"),
                EnvEntry.of("POSTGRES_PORT", Integer.toString(CloudSqlProxy.PORT)),
                EnvEntry.of("POSTGRES_DB", db.name()),
                EnvEntry.of("POSTGRES_SSLMODE", "disable"),
                EnvEntry.of("POSTGRES_USER", db.user()),
                EnvEntry.fromSecret("POSTGRES_PASSWORD", MARQUEZ_PASSWORD_SECRET, "password")) : List.of(
                EnvEntry.of("MARQUEZ_CONFIG", MARQUEZ_CONFIG_DIR + "/" + MARQUEZ_CONFIG_FILE),
                // Directly over TLS: the local server accepts hostssl only (self-signed: encrypted, not verified).
                EnvEntry.of("POSTGRES_HOST", direct.host()),
                EnvEntry.of("POSTGRES_PORT", Integer.toString(direct.port())),
                EnvEntry.of("POSTGRES_DB", direct.name()),
                EnvEntry.of("POSTGRES_SSLMODE", "require"),
                EnvEntry.of("POSTGRES_USER", direct.user()),
                EnvEntry.fromSecret("POSTGRES_PASSWORD", MARQUEZ_PASSWORD_SECRET, "password"));
        deployment(name + "-marquez", "marquez", ns, labels, args.environment == Environment.DEV ? 1 : 2, "marquez",
                // A password login: Marquez cannot use IAM tokens, so the proxy passes the password through.
                db != null ? List.of(CloudSqlProxy.sidecar(db.connectionName(), false)) : null,
                new Container("marquez", args.marquezImage, null, env,
                        List.of(RawDeployment.Port.tcp("api", MARQUEZ_API), RawDeployment.Port.tcp("admin", MARQUEZ_ADMIN)),
                        // The image runs java -jar from /usr/src/app and writes only /tmp (an emptyDir).
                        Resources.of("250m", "1", "1Gi"), SecurityContext.restricted(true),
                        List.of(new RawDeployment.VolumeMount("config", MARQUEZ_CONFIG_DIR, true),
                                new RawDeployment.VolumeMount("tmp", "/tmp", false))),
                List.of(RawDeployment.Volume.configMap("config", MARQUEZ_CONFIG_MAP), RawDeployment.Volume.emptyDir("tmp", "256Mi")),
                options);
        service(name + "-marquez-service", "marquez", ns, labels, Map.of("api", MARQUEZ_API, "admin", MARQUEZ_ADMIN), options);
    }

    private void configMap(String resourceName, String mapName, String ns, Map<String, String> labels, Map<String, String> data,
                           CustomResourceOptions options) {
        new ConfigMap(resourceName, ConfigMapArgs.builder()
                .metadata(ObjectMetaArgs.builder().name(mapName).namespace(ns).labels(labels).build())
                .data(data)
                .build(), options);
    }

    /**
     * A Deployment of one restricted container (and native sidecars), selected by
     * {@code app.kubernetes.io/name: <app>}, through the generic resource base (see {@link RawDeployment}).
     */
    private void deployment(String resourceName, String app, String ns, Map<String, String> labels, int replicas,
                            String serviceAccount, List<Map<String, Object>> initContainers, Container container,
                            List<RawDeployment.Volume> volumes, CustomResourceOptions options) {
        var selector = Map.of("app.kubernetes.io/name", app);
        var podLabels = new TreeMap<>(labels);
        podLabels.putAll(selector);
        new KubernetesCustomResource(resourceName,
                ObjectMetaArgs.builder().name(app).namespace(ns).labels(labels).build(),
                new RawDeployment(replicas, new RawDeployment.Selector(selector),
                        new RawDeployment.Template(new RawDeployment.Metadata(podLabels), new RawDeployment.PodSpec(
                                serviceAccount, false, PodSecurityContext.restricted(PodValues.NON_ROOT_UID),
                                initContainers, List.of(container), volumes))),
                options);
    }

    private void service(String resourceName, String serviceName, String ns, Map<String, String> labels,
                         Map<String, Integer> ports, CustomResourceOptions options) {
        new Service(resourceName, ServiceArgs.builder()
                .metadata(ObjectMetaArgs.builder().name(serviceName).namespace(ns).labels(labels).build())
                .spec(ServiceSpecArgs.builder()
                        .type("ClusterIP")
                        .selector(Map.of("app.kubernetes.io/name", serviceName))
                        .ports(new TreeMap<>(ports).entrySet().stream().map(e -> ServicePortArgs.builder()
                                .name(e.getKey()).port(e.getValue()).targetPort(e.getValue()).protocol("TCP").build()).toList())
                        .build())
                .build(), options);
    }
}
