package dev.dataplatform.pkg;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.ResourceArgs;

import java.util.List;
import java.util.Map;

/** The OpenTelemetry Collector and Jaeger (dev) ({@link dev.dataplatform.observability.ObservabilityStack}). */
@Describe("The OpenTelemetry collector (and Jaeger in dev) receiving OTLP from the platform's workloads, optionally exporting over OTLP with a header from a Secret.")
public final class ObservabilityStack extends ComponentResource {
    @Describe("Where workloads send OTLP over gRPC.")
    @Export(name = "otlpGrpcEndpoint", refs = {String.class}, tree = "[0]")
    public final Output<String> otlpGrpcEndpoint;
    @Describe("Where workloads send OTLP over HTTP.")
    @Export(name = "otlpHttpEndpoint", refs = {String.class}, tree = "[0]")
    public final Output<String> otlpHttpEndpoint;

    public static final class Args extends ResourceArgs {
        @Describe(value = "The environment profile: Jaeger in dev, export elsewhere.", oneOf = "Environment")
        @Import(name = "environment", required = true)
        private String environment;
        @Describe("The opentelemetry-collector chart version.")
        @Import(name = "collectorChartVersion", required = true)
        private String collectorChartVersion;
        @Describe("An OTLP endpoint to export to. Default: none.")
        @Import(name = "exportEndpoint")
        private String exportEndpoint;
        @Describe("The header carrying the export credential.")
        @Import(name = "exportHeaderName")
        private String exportHeaderName;
        @Describe("The Secret holding the export credential.")
        @Import(name = "exportSecretName")
        private String exportSecretName;
        @Describe("The key of the credential in that Secret.")
        @Import(name = "exportSecretKey")
        private String exportSecretKey;
        @Describe("Namespaces allowed to send telemetry. Default: none.")
        @Import(name = "telemetryClients")
        private List<String> telemetryClients;

        public Args() {
        }

        public Args(String environment, String collectorChartVersion) {
            this.environment = environment;
            this.collectorChartVersion = collectorChartVersion;
        }

        dev.dataplatform.observability.ObservabilityStack.Args toArgs() {
            var builder = dev.dataplatform.observability.ObservabilityStack.Args.builder()
                    .environment(ComponentPackage.environment("ObservabilityStack", environment))
                    .collectorChartVersion(collectorChartVersion)
                    .telemetryClients(telemetryClients == null ? List.of() : telemetryClients);
            if (exportEndpoint != null) {
                builder.export(new dev.dataplatform.observability.ObservabilityStack.OtlpExport(exportEndpoint, exportHeaderName,
                        exportSecretName, exportSecretKey));
            }
            return builder.build();
        }
    }

    public ObservabilityStack(String name, Args args, ComponentResourceOptions options) {
        super(ComponentPackage.type("ObservabilityStack"), name, options);
        var inner = new dev.dataplatform.observability.ObservabilityStack(name, args.toArgs(),
                ComponentResourceOptions.builder().parent(this).build());
        this.otlpGrpcEndpoint = inner.otlpGrpcEndpoint;
        this.otlpHttpEndpoint = inner.otlpHttpEndpoint;
        registerOutputs(Map.of("otlpGrpcEndpoint", otlpGrpcEndpoint, "otlpHttpEndpoint", otlpHttpEndpoint));
    }
}
