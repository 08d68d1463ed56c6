package dev.dataplatform.config;

import dev.dataplatform.observability.ObservabilityStack;

import java.util.List;

/**
 * data-platform:observability: the OpenTelemetry Collector, Jaeger (dev) and Marquez.
 *
 * @param export  the OTLP endpoint of stage and prod (null in dev: Jaeger)
 * @param marquez Marquez's database on Cloud SQL, or null for no Marquez
 */
public record ObservabilityConfig(String namespace, String collectorChartVersion, ObservabilityStack.OtlpExport export,
                                  String jaegerImage, String marquezImage, Marquez marquez, List<String> telemetryClients) {

    /** A Cloud SQL database of the access model and its login, whose password a DBA keeps in a secret store. */
    public record Marquez(String database, String user, String passwordStore, String passwordKey) {
    }
}
