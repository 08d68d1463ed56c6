package dev.dataplatform.observability;

import com.pulumi.core.Output;
import com.pulumi.kubernetes.apps.v1.Deployment;
import com.pulumi.kubernetes.apps.v1.DeploymentArgs;
import com.pulumi.kubernetes.apps.v1.inputs.DeploymentSpecArgs;
import com.pulumi.kubernetes.core.v1.Service;
import com.pulumi.kubernetes.core.v1.ServiceArgs;
import com.pulumi.kubernetes.core.v1.inputs.CapabilitiesArgs;
import com.pulumi.kubernetes.core.v1.inputs.ContainerArgs;
import com.pulumi.kubernetes.core.v1.inputs.ContainerPortArgs;
import com.pulumi.kubernetes.core.v1.inputs.EnvVarArgs;
import com.pulumi.kubernetes.core.v1.inputs.EnvVarSourceArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodSecurityContextArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodTemplateSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.ResourceRequirementsArgs;
import com.pulumi.kubernetes.core.v1.inputs.SeccompProfileArgs;
import com.pulumi.kubernetes.core.v1.inputs.SecretKeySelectorArgs;
import com.pulumi.kubernetes.core.v1.inputs.SecurityContextArgs;
import com.pulumi.kubernetes.core.v1.inputs.ServicePortArgs;
import com.pulumi.kubernetes.core.v1.inputs.ServiceSpecArgs;
import com.pulumi.kubernetes.helm.v3.Release;
import com.pulumi.kubernetes.helm.v3.ReleaseArgs;
import com.pulumi.kubernetes.helm.v3.inputs.RepositoryOptsArgs;
import com.pulumi.kubernetes.meta.v1.inputs.LabelSelectorArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import dev.dataplatform.core.Environment;
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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Telemetry and lineage for the platform, in one restricted namespace: an OpenTelemetry Collector
 * (official chart; OTLP gRPC 4317 and HTTP 4318, memory_limiter and batch, health_check) that
 * exports to an in-cluster Jaeger in dev and to an external OTLP endpoint, authenticated by a header
 * from a Secret, in stage and prod; and Marquez for OpenLineage, on its database from the access
 * model. Every container has requests, limits and a restricted security context; the namespace
 * denies traffic by default and allows exactly the flows below.
 */
public final class ObservabilityStack extends ComponentResource {
    public static final String TYPE = "dataplatform:kubernetes:ObservabilityStack";
    public static final String COLLECTOR_CHART = "opentelemetry-collector";
    public static final String COLLECTOR_REPOSITORY = "https://open-telemetry.github.io/opentelemetry-helm-charts";
    public static final String COLLECTOR_IMAGE = "otel/opentelemetry-collector-contrib";
    static final String COLLECTOR = "otel-collector";
    static final int OTLP_GRPC = 4317;
    static final int OTLP_HTTP = 4318;
    static final int JAEGER_UI = 16686;
    static final int MARQUEZ_API = 5000;
    static final int MARQUEZ_ADMIN = 5001;
    static final String AUTH_HEADER_ENV = "OTLP_AUTH_HEADER";
    static final String MARQUEZ_PASSWORD_SECRET = "marquez-postgresql";
    static final Pattern VERSION = Pattern.compile("\\d{1,4}\\.\\d{1,4}\\.\\d{1,4}");
    static final Pattern IMAGE = Pattern.compile("[a-z0-9./_-]+:[A-Za-z0-9_][A-Za-z0-9_.-]*");

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

    /** Marquez's database: a login with a password a DBA keeps in the cloud's secret manager. */
    public record MarquezDatabase(Output<String> host, int port, String name, String user, String passwordStore,
                                  String passwordKey) {
    }

    /** See the builder for each setting and its default behaviour. */
    public static final class Args {
        private Environment environment;
        private String namespace = "observability";
        private String collectorChartVersion;
        private OtlpExport export;
        private String jaegerImage = "jaegertracing/all-in-one:1.62.0";
        private String marquezImage = "marquezproject/marquez:0.50.0";
        private MarquezDatabase marquez;
        private Output<String> marquezDatabaseCidr;
        private List<String> telemetryClients = List.of();
        private Map<String, String> labels = Map.of();

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
            /** Required: the collector chart version, pinned. */
            public Builder collectorChartVersion(String v) { a.collectorChartVersion = v; return this; }
            /** Required in stage and prod: the OTLP endpoint and the header Secret. */
            public Builder export(OtlpExport v) { a.export = v; return this; }
            /** Jaeger all-in-one image (dev). Default: jaegertracing/all-in-one:1.62.0. */
            public Builder jaegerImage(String v) { a.jaegerImage = v; return this; }
            /** Marquez image. Default: marquezproject/marquez:0.50.0. */
            public Builder marquezImage(String v) { a.marquezImage = v; return this; }
            /** Marquez and its database. Default: no Marquez. */
            public Builder marquez(MarquezDatabase database, Output<String> databaseCidr) {
                a.marquez = database;
                a.marquezDatabaseCidr = databaseCidr;
                return this;
            }
            /** Namespaces whose pods send telemetry and lineage (e.g. dagster). Default: none. */
            public Builder telemetryClients(List<String> v) { a.telemetryClients = List.copyOf(v); return this; }
            /** Labels on every object. */
            public Builder labels(Map<String, String> v) { a.labels = Map.copyOf(v); return this; }

            public Args build() {
                a.validate();
                return a;
            }
        }

        private void validate() {
            Objects.requireNonNull(environment, "environment is required");
            if (collectorChartVersion == null || !VERSION.matcher(collectorChartVersion).matches()) {
                throw new IllegalArgumentException("observability: collectorChartVersion '" + collectorChartVersion
                        + "' is not a pinned x.y.z version");
            }
            if (environment != Environment.DEV && export == null) {
                throw new IllegalArgumentException("observability: export is required in " + environment.id()
                        + ": stage and prod send telemetry to an OTLP endpoint (Jaeger runs in dev only)");
            }
            if (export != null && !export.endpoint().startsWith("https://")) {
                throw new IllegalArgumentException("observability: export endpoint '" + export.endpoint() + "' must be https://");
            }
            for (String image : List.of(jaegerImage, marquezImage)) {
                if (!IMAGE.matcher(image).matches() || image.endsWith(":latest")) {
                    throw new IllegalArgumentException("observability: image '" + image + "' needs a fixed tag");
                }
            }
        }

        boolean jaeger() {
            return export == null;
        }
    }

    public ObservabilityStack(String name, Args args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        String ns = args.namespace;
        var labels = ObjectLabels.of(args.labels, args.environment);

        var namespace = new RestrictedNamespace(this, name, ns, labels);
        namespace.allowDns();
        namespace.allowWithinNamespace();
        if (!args.telemetryClients.isEmpty()) {
            var ports = new ArrayList<>(List.of(OTLP_GRPC, OTLP_HTTP));
            if (args.marquez != null) {
                ports.add(MARQUEZ_API);
            }
            namespace.allowIngressFrom("allow-telemetry-clients", args.telemetryClients, ports);
        }
        if (!args.jaeger()) {
            namespace.allowEgressTo("allow-otlp-export", Output.of("0.0.0.0/0"), List.of(443));
        }
        if (args.marquez != null) {
            namespace.allowEgressTo("allow-marquez-database", args.marquezDatabaseCidr, List.of(args.marquez.port()));
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
        if (args.marquez != null) {
            marquez(name, args, ns, labels, inNamespace);
        }

        String collector = COLLECTOR + "." + ns + ".svc.cluster.local";
        this.namespace = Output.of(ns);
        this.otlpGrpcEndpoint = Output.of("http://" + collector + ":" + OTLP_GRPC);
        this.otlpHttpEndpoint = Output.of("http://" + collector + ":" + OTLP_HTTP);
        this.jaegerUi = Output.of(args.jaeger() ? "http://" + jaegerHost + ":" + JAEGER_UI : "");
        this.marquezApiUrl = Output.of(args.marquez == null ? "" : "http://marquez." + ns + ".svc.cluster.local:" + MARQUEZ_API + "/api/v1");
        var outputs = new LinkedHashMap<String, Output<?>>();
        outputs.put("namespace", this.namespace);
        outputs.put("otlpGrpcEndpoint", otlpGrpcEndpoint);
        outputs.put("otlpHttpEndpoint", otlpHttpEndpoint);
        outputs.put("jaegerUi", jaegerUi);
        outputs.put("marquezApiUrl", marquezApiUrl);
        registerOutputs(outputs);
    }

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
        var exporterNames = List.copyOf(exporters.keySet());
        var processors = List.of("memory_limiter", "batch");
        var pipeline = new Pipeline(List.of("otlp"), processors, exporterNames);
        var pipelines = new TreeMap<String, Pipeline>();
        pipelines.put("traces", pipeline);
        pipelines.put("metrics", pipeline);
        pipelines.put("logs", pipeline);
        boolean dev = args.environment == Environment.DEV;
        return new CollectorValues("deployment", COLLECTOR, new CollectorValues.Image(COLLECTOR_IMAGE), dev ? 1 : 2,
                Resources.of(dev ? "100m" : "250m", dev ? "500m" : "1", dev ? "512Mi" : "1Gi"),
                PodSecurityContext.restricted(PodValues.NON_ROOT_UID), SecurityContext.restricted(true), env,
                new Config(new Receivers(new Otlp(new Protocols(new Endpoint("${env:MY_POD_IP}:" + OTLP_GRPC),
                        new Endpoint("${env:MY_POD_IP}:" + OTLP_HTTP)))),
                        new Processors(new MemoryLimiter("1s", 80, 25), new CollectorValues.Batch(8192, "5s")),
                        exporters, new Extensions(new Endpoint("${env:MY_POD_IP}:13133")),
                        new CollectorValues.Service(List.of("health_check"), pipelines)));
    }

    private void jaeger(String name, Args args, String ns, Map<String, String> labels, CustomResourceOptions options) {
        var selector = Map.of("app.kubernetes.io/name", "jaeger");
        deployment(name + "-jaeger", "jaeger", ns, labels, 1, ContainerArgs.builder()
                .name("jaeger")
                .image(args.jaegerImage)
                .env(EnvVarArgs.builder().name("COLLECTOR_OTLP_ENABLED").value("true").build())
                .ports(port("ui", JAEGER_UI), port("otlp-grpc", OTLP_GRPC), port("otlp-http", OTLP_HTTP))
                .resources(resources("100m", "500m", "512Mi"))
                .securityContext(containerSecurity(true))
                .build(), options);
        service(name + "-jaeger-service", "jaeger", ns, labels, selector,
                Map.of("ui", JAEGER_UI, "otlp-grpc", OTLP_GRPC, "otlp-http", OTLP_HTTP), options);
    }

    private void marquez(String name, Args args, String ns, Map<String, String> labels, CustomResourceOptions options) {
        var db = args.marquez;
        new KubernetesCustomResource(name + "-marquez-password",
                ObjectMetaArgs.builder().name(MARQUEZ_PASSWORD_SECRET).namespace(ns).labels(labels).build(),
                new ExternalSecretSpec("1h", StoreRef.clusterSecretStore(db.passwordStore()),
                        new Target(MARQUEZ_PASSWORD_SECRET, "Owner", null),
                        List.of(new Data("password", new RemoteRef(db.passwordKey()))), null), options);
        var selector = Map.of("app.kubernetes.io/name", "marquez");
        deployment(name + "-marquez", "marquez", ns, labels, args.environment == Environment.DEV ? 1 : 2, ContainerArgs.builder()
                .name("marquez")
                .image(args.marquezImage)
                .env(
                        EnvVarArgs.builder().name("MARQUEZ_PORT").value(Integer.toString(MARQUEZ_API)).build(),
                        EnvVarArgs.builder().name("MARQUEZ_ADMIN_PORT").value(Integer.toString(MARQUEZ_ADMIN)).build(),
                        EnvVarArgs.builder().name("POSTGRES_HOST").value(db.host()).build(),
                        EnvVarArgs.builder().name("POSTGRES_PORT").value(Integer.toString(db.port())).build(),
                        // The JDBC URL ends with the database: TLS is required by the server.
                        EnvVarArgs.builder().name("POSTGRES_DB").value(db.name() + "?sslmode=require").build(),
                        EnvVarArgs.builder().name("POSTGRES_USER").value(db.user()).build(),
                        EnvVarArgs.builder().name("POSTGRES_PASSWORD").valueFrom(EnvVarSourceArgs.builder()
                                .secretKeyRef(SecretKeySelectorArgs.builder().name(MARQUEZ_PASSWORD_SECRET).key("password").build())
                                .build()).build())
                .ports(port("api", MARQUEZ_API), port("admin", MARQUEZ_ADMIN))
                .resources(resources("250m", "1", "1Gi"))
                .securityContext(containerSecurity(false))
                .build(), options);
        service(name + "-marquez-service", "marquez", ns, labels, selector, Map.of("api", MARQUEZ_API, "admin", MARQUEZ_ADMIN),
                options);
    }

    /** A Deployment of one restricted container, selected by {@code app.kubernetes.io/name: <app>}. */
    private void deployment(String resourceName, String app, String ns, Map<String, String> labels, int replicas,
                            ContainerArgs container, CustomResourceOptions options) {
        var selector = Map.of("app.kubernetes.io/name", app);
        var podLabels = new TreeMap<>(labels);
        podLabels.putAll(selector);
        new Deployment(resourceName, DeploymentArgs.builder()
                .metadata(ObjectMetaArgs.builder().name(app).namespace(ns).labels(labels).build())
                .spec(DeploymentSpecArgs.builder()
                        .replicas(replicas)
                        .selector(LabelSelectorArgs.builder().matchLabels(selector).build())
                        .template(PodTemplateSpecArgs.builder()
                                .metadata(ObjectMetaArgs.builder().labels(podLabels).build())
                                .spec(PodSpecArgs.builder()
                                        .securityContext(podSecurity())
                                        .automountServiceAccountToken(false)
                                        .containers(container)
                                        .build())
                                .build())
                        .build())
                .build(), options);
    }

    private void service(String resourceName, String serviceName, String ns, Map<String, String> labels,
                         Map<String, String> selector, Map<String, Integer> ports, CustomResourceOptions options) {
        new Service(resourceName, ServiceArgs.builder()
                .metadata(ObjectMetaArgs.builder().name(serviceName).namespace(ns).labels(labels).build())
                .spec(ServiceSpecArgs.builder()
                        .type("ClusterIP")
                        .selector(selector)
                        .ports(new TreeMap<>(ports).entrySet().stream().map(e -> ServicePortArgs.builder()
                                .name(e.getKey()).port(e.getValue()).targetPort(e.getValue()).protocol("TCP").build()).toList())
                        .build())
                .build(), options);
    }

    private static ContainerPortArgs port(String name, int port) {
        return ContainerPortArgs.builder().name(name).containerPort(port).protocol("TCP").build();
    }

    private static ResourceRequirementsArgs resources(String cpuRequest, String cpuLimit, String memory) {
        return ResourceRequirementsArgs.builder()
                .requests(Map.of("cpu", cpuRequest, "memory", memory))
                .limits(Map.of("cpu", cpuLimit, "memory", memory))
                .build();
    }

    private static PodSecurityContextArgs podSecurity() {
        int uid = PodValues.NON_ROOT_UID;
        return PodSecurityContextArgs.builder().runAsNonRoot(true).runAsUser(uid).runAsGroup(uid).fsGroup(uid)
                .seccompProfile(SeccompProfileArgs.builder().type("RuntimeDefault").build()).build();
    }

    private static SecurityContextArgs containerSecurity(boolean readOnlyRootFilesystem) {
        return SecurityContextArgs.builder().runAsNonRoot(true).allowPrivilegeEscalation(false)
                .readOnlyRootFilesystem(readOnlyRootFilesystem)
                .capabilities(CapabilitiesArgs.builder().drop("ALL").build())
                .seccompProfile(SeccompProfileArgs.builder().type("RuntimeDefault").build()).build();
    }
}
