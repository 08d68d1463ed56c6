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
public final class ObservabilityStack extends ComponentResource {
    @Export(name = "otlpGrpcEndpoint", refs = {String.class}, tree = "[0]")
    public final Output<String> otlpGrpcEndpoint;
    @Export(name = "otlpHttpEndpoint", refs = {String.class}, tree = "[0]")
    public final Output<String> otlpHttpEndpoint;

    public static final class Args extends ResourceArgs {
        @Import(name = "environment", required = true)
        private String environment;
        @Import(name = "collectorChartVersion", required = true)
        private String collectorChartVersion;
        @Import(name = "exportEndpoint")
        private String exportEndpoint;
        @Import(name = "exportHeaderName")
        private String exportHeaderName;
        @Import(name = "exportSecretName")
        private String exportSecretName;
        @Import(name = "exportSecretKey")
        private String exportSecretKey;
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
