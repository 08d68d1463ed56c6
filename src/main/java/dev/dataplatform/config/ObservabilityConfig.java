package dev.dataplatform.config;

import dev.dataplatform.observability.ObservabilityStack;

import java.util.List;

/**
 * data-platform:observability: the OpenTelemetry Collector, Jaeger (dev) and Marquez.
 *
 * @param export  the OTLP endpoint of stage and prod (null in dev: Jaeger)
 * @param marquez Marquez's database (Cloud SQL or the local PostgreSQL), or null for no Marquez
 */
public record ObservabilityConfig(String namespace, String collectorChartVersion, ObservabilityStack.OtlpExport export,
                                  String jaegerImage, String marquezImage, Marquez marquez, List<String> telemetryClients) {

    /** Where Marquez's database is. */
    public enum MarquezServer {
        /** Cloud SQL through the Auth Proxy sidecar; a DBA keeps the login's password in a secret store. */
        CLOUD_SQL,
        /** data-platform:local's in-cluster PostgreSQL, directly over TLS; the password is generated in the cluster. */
        LOCAL
    }

    /** A database of the access model and its owner login, with where External Secrets reads the login's password. */
    public record Marquez(String database, String user, String passwordStore, String passwordKey, MarquezServer server) {
        /** On Cloud SQL. */
        public Marquez(String database, String user, String passwordStore, String passwordKey) {
            this(database, user, passwordStore, passwordKey, MarquezServer.CLOUD_SQL);
        }
    }
}
