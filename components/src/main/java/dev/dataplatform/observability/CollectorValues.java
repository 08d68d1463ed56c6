package dev.dataplatform.observability;

import dev.dataplatform.kubernetes.PodValues.PodSecurityContext;
import dev.dataplatform.kubernetes.PodValues.Resources;
import dev.dataplatform.kubernetes.PodValues.SecurityContext;
import dev.dataplatform.kubernetes.crd.Field;

import java.util.List;
import java.util.Map;

/**
 * Typed values of the official {@code opentelemetry-collector} chart
 * (https://open-telemetry.github.io/opentelemetry-helm-charts) and the collector configuration in
 * them. The chart requires {@code mode} and {@code image.repository}. The collector configuration goes
 * in {@code alternateConfig}, which the chart uses as the whole configuration instead of merging
 * {@code config} into its defaults (templates/_config.tpl at opentelemetry-collector-0.170.0): the
 * defaults add jaeger, prometheus and zipkin receivers and a debug exporter that nothing here uses.
 * {@code ports} switches off the chart's default container and Service ports of those receivers.
 */
public record CollectorValues(String mode, String fullnameOverride, Image image, Integer replicaCount, Resources resources,
                              PodSecurityContext podSecurityContext, SecurityContext securityContext,
                              ServiceAccount serviceAccount, List<EnvVar> extraEnvs, Map<String, Port> ports,
                              Config alternateConfig) {

    public record Image(String repository, String tag) {
    }

    /** The collector calls no Kubernetes API in deployment mode without presets: no token mounted. */
    public record ServiceAccount(Boolean automountServiceAccountToken) {
    }

    /** One of the chart's {@code ports} entries, switched on or off. */
    public record Port(Boolean enabled) {
    }

    public record EnvVar(String name, ValueFrom valueFrom) {
    }

    public record ValueFrom(SecretKeyRef secretKeyRef) {
    }

    public record SecretKeyRef(String name, String key) {
    }

    public record Config(Receivers receivers, Processors processors, Map<String, Exporter> exporters, Extensions extensions,
                         Service service) {
    }

    public record Receivers(Otlp otlp) {
    }

    public record Otlp(Protocols protocols) {
    }

    public record Protocols(Endpoint grpc, Endpoint http) {
    }

    public record Endpoint(String endpoint) {
    }

    public record Processors(@Field("memory_limiter") MemoryLimiter memoryLimiter, Batch batch) {
    }

    /** Refuses data before the collector runs out of memory; first in every pipeline. */
    public record MemoryLimiter(@Field("check_interval") String checkInterval,
                                @Field("limit_percentage") Integer limitPercentage,
                                @Field("spike_limit_percentage") Integer spikeLimitPercentage) {
    }

    public record Batch(@Field("send_batch_size") Integer sendBatchSize, String timeout) {
    }

    /** An exporter; {@code headers} values reference environment variables, never literal credentials. */
    public record Exporter(String endpoint, Tls tls, Map<String, String> headers) {
    }

    public record Tls(Boolean insecure) {
    }

    public record Extensions(@Field("health_check") Endpoint healthCheck) {
    }

    public record Service(List<String> extensions, Map<String, Pipeline> pipelines) {
    }

    public record Pipeline(List<String> receivers, List<String> processors, List<String> exporters) {
    }
}
