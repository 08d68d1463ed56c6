package dev.dataplatform.dagster;

import com.pulumi.core.Output;
import dev.dataplatform.kubernetes.PodValues.PodSecurityContext;
import dev.dataplatform.kubernetes.PodValues.Resources;
import dev.dataplatform.kubernetes.PodValues.SecurityContext;
import dev.dataplatform.kubernetes.crd.Field;

import java.util.List;
import java.util.Map;

/**
 * Typed values of the official {@code dagster} chart (https://dagster-io.github.io/helm), the parts
 * this project sets. Field names are the chart's. Null fields are left to the chart's defaults.
 */
public record DagsterValues(Global global, ServiceAccount serviceAccount, Postgresql postgresql,
                            Boolean generatePostgresqlPasswordSecret, Webserver dagsterWebserver, Daemon dagsterDaemon,
                            RunLauncher runLauncher, @Field("dagster-user-deployments") UserDeployments userDeployments,
                            Enabled rabbitmq, Enabled redis, Enabled flower, Enabled ingress, Busybox busybox) {

    /** {@code postgresqlAuthWifEnabled}: the instance logs in with workload identity (chart 1.13+), no password. */
    public record Global(String serviceAccountName, String postgresqlSecretName, Boolean postgresqlAuthWifEnabled) {
    }

    public record ServiceAccount(Boolean create) {
    }

    /** {@code image}: the image of the chart's {@code check-db-ready} init containers (pg_isready), pinned here. */
    public record Postgresql(Boolean enabled, Output<String> postgresqlHost, Output<String> postgresqlUsername,
                             String postgresqlDatabase,
                             Service service, Map<String, String> postgresqlParams, AuthProvider authProvider,
                             PostgresImage image) {
    }

    /** The chart renders {@code registry/repository:tag}. */
    public record PostgresImage(String registry, String repository, String tag, String pullPolicy) {
    }

    /** The image of the webserver's {@code init-user-deployment-*} init containers (an nslookup loop), pinned here. */
    public record Busybox(Image image) {
    }

    /** {@code gcp_wif} (Cloud SQL IAM) or {@code aws_wif} (RDS IAM, with the region). */
    public record AuthProvider(String type, String awsRegion) {
    }

    public record Service(String type, Integer port) {
    }

    /**
     * {@code initContainerResources}: requests and limits of the chart's own init containers
     * ({@code check-db-ready}); {@code extraPrependedInitContainers}: init containers placed before
     * them (the Cloud SQL Auth Proxy native sidecar, so {@code check-db-ready} reaches the database
     * through it). Both are in the chart's schema for the webserver and the daemon.
     */
    public record Webserver(Integer replicaCount, Service service, Resources resources,
                            PodSecurityContext podSecurityContext, SecurityContext securityContext,
                            Resources initContainerResources, List<Map<String, Object>> extraPrependedInitContainers) {
    }

    /** See {@link Webserver} for the init-container fields. */
    public record Daemon(Boolean enabled, RunCoordinator runCoordinator, Resources resources,
                         PodSecurityContext podSecurityContext, SecurityContext securityContext,
                         Resources initContainerResources, List<Map<String, Object>> extraPrependedInitContainers) {
    }

    public record RunCoordinator(Boolean enabled, String type, RunCoordinatorConfig config) {
        public static RunCoordinator queued(int maxConcurrentRuns) {
            return new RunCoordinator(true, "QueuedRunCoordinator",
                    new RunCoordinatorConfig(new QueuedRunCoordinator(maxConcurrentRuns)));
        }
    }

    public record RunCoordinatorConfig(QueuedRunCoordinator queuedRunCoordinator) {
    }

    public record QueuedRunCoordinator(Integer maxConcurrentRuns) {
    }

    public record RunLauncher(String type, RunLauncherConfig config) {
    }

    /**
     * {@code customRunLauncher}: a run launcher written out as it lands in {@code dagster.yaml}
     * ({@code module}, {@code class}, {@code config}): see DagsterStack for why the K8sRunLauncher is
     * declared this way.
     */
    public record RunLauncherConfig(K8sRunLauncher k8sRunLauncher, ConfigurableClass customRunLauncher) {
    }

    public record ConfigurableClass(String module, @Field("class") String className, Map<String, Object> config) {
    }

    /**
     * Run workers: one Kubernetes Job per run, with these resources, environment ({@code KEY=value})
     * and container security context (which also carries runAsNonRoot and the seccomp profile).
     */
    public record K8sRunLauncher(Resources resources, List<String> envVars, SecurityContext securityContext,
                                 RunK8sConfig runK8sConfig) {
    }

    /**
     * Raw Kubernetes config merged into every run's Job: {@code podSpecConfig} is the pod spec's
     * (fields in camelCase or snake_case), here the Auth Proxy native sidecar in {@code initContainers}.
     */
    public record RunK8sConfig(Map<String, Object> podSpecConfig) {
    }

    public record UserDeployments(Boolean enabled, Boolean enableSubchart, List<UserDeployment> deployments) {
    }

    /**
     * One code location: a gRPC server the webserver and daemon load definitions from.
     * {@code initContainers}: the Cloud SQL Auth Proxy native sidecar on Cloud SQL (the instance the
     * daemon hands the server for sensors and schedules points at 127.0.0.1);
     * {@code includeConfigInLaunchedRuns}: whether the chart passes this server's settings (its own
     * resources among them) into the runs launched from it.
     */
    public record UserDeployment(String name, Image image, List<String> dagsterApiGrpcArgs, Integer port,
                                 Resources resources, PodSecurityContext podSecurityContext,
                                 SecurityContext securityContext, List<Map<String, Object>> initContainers,
                                 Enabled includeConfigInLaunchedRuns) {
    }

    public record Image(String repository, String tag, String pullPolicy) {
    }

    public record Enabled(Boolean enabled) {
        public static final Enabled OFF = new Enabled(false);
    }
}
