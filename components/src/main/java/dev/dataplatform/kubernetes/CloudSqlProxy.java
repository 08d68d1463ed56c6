package dev.dataplatform.kubernetes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Cloud SQL Auth Proxy v2 as a Kubernetes native sidecar: an init container with
 * {@code restartPolicy: Always}, so it starts (and passes its startup probe) before the app
 * container starts, and stops after it. The app connects to {@code 127.0.0.1:}{@link #PORT} with
 * {@code sslmode=disable}: the proxy itself opens an mTLS connection to the instance's private IP
 * with certificates it fetches with the pod's Google identity (Workload Identity), so Cloud SQL's
 * {@code requireSsl} (valid client certificate) is met without any certificate handled by hand.
 *
 * <p>pulumi-kubernetes 4.0.0's typed ContainerArgs has no {@code restartPolicy}, so the spec is a
 * plain map: put it in a raw pod spec's {@code initContainers} (a generic Deployment/Job resource)
 * or in Helm values.
 *
 * <p>Facts below are from GoogleCloudPlatform/cloud-sql-proxy at tag v2.25.3 (recorded in
 * docs/upstream-facts.md): the image and its tags (README.md "Container Images"), the flags
 * (cmd/root.go), the health-check endpoints, and the image user (Dockerfile: distroless
 * {@code static:nonroot}, {@code USER 65532} as a number so {@code runAsNonRoot} can verify it).
 */
public final class CloudSqlProxy {
    /** Version pinned; upgrade deliberately (and re-check the flags below at the new tag). */
    public static final String VERSION = "2.25.3";
    /** README.md "Container Images" @v2.25.3: tags are the version without the leading "v". */
    public static final String IMAGE = "gcr.io/cloud-sql-connectors/cloud-sql-proxy:" + VERSION;
    /** Clients connect to 127.0.0.1:PORT with sslmode=disable; the proxy does the mTLS. */
    public static final int PORT = 5432;
    /**
     * Port of the proxy's HTTP health server ({@code --health-check}: /startup, /liveness, /readiness).
     * Its default is 9090 on localhost (cmd/root.go); the kubelet probes the pod IP, so it listens on
     * 0.0.0.0, and on 9801 (the port of the upstream k8s-health-check example) to stay off 9090,
     * which Prometheus-style exporters use.
     */
    public static final int HEALTH_PORT = 9801;
    /** The image's user (Dockerfile @v2.25.3: {@code USER 65532}, distroless nonroot). */
    public static final int IMAGE_UID = 65532;
    public static final String CONTAINER_NAME = "cloud-sql-proxy";

    /** GCP project id: 6-30 chars, lowercase letters, digits, hyphens, starts with a letter. */
    private static final Pattern PROJECT = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");
    private static final Pattern REGION = Pattern.compile("[a-z]+-[a-z]+[0-9]+");
    /** Cloud SQL instance id: lowercase letters, digits, hyphens, starts with a letter, at most 98 chars. */
    private static final Pattern INSTANCE = Pattern.compile("[a-z]([a-z0-9-]{0,96}[a-z0-9])?");

    private CloudSqlProxy() {
    }

    /**
     * The instance connection name {@code project:region:instance}, known offline from config.
     *
     * @throws IllegalArgumentException naming the part that is not valid and what is allowed
     */
    public static String connectionName(String project, String region, String instance) {
        check("project", project, PROJECT, "a GCP project id (6-30 of a-z, 0-9, '-', starting with a letter)");
        check("region", region, REGION, "a GCP region such as europe-west1");
        check("instance", instance, INSTANCE, "a Cloud SQL instance id (a-z, 0-9, '-', starting with a letter)");
        return project + ":" + region + ":" + instance;
    }

    /** The proxy's arguments, in order; the connection name comes last. */
    public static List<String> args(String connectionName, boolean autoIamAuthn) {
        var parts = connectionName == null ? new String[0] : connectionName.split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("Cloud SQL connection name '" + connectionName
                    + "' is not valid; allowed: project:region:instance");
        }
        connectionName(parts[0], parts[1], parts[2]);
        var args = new ArrayList<String>();
        args.add("--private-ip");
        if (autoIamAuthn) {
            args.add("--auto-iam-authn");
        }
        args.add("--structured-logs");
        args.add("--port=" + PORT);
        args.add("--health-check");
        args.add("--http-address=0.0.0.0");
        args.add("--http-port=" + HEALTH_PORT);
        // A Job's sidecar is stopped with SIGTERM when the job's container ends; exit 0 then, not 143.
        args.add("--exit-zero-on-sigterm");
        args.add(connectionName);
        return List.copyOf(args);
    }

    /**
     * The proxy as a Kubernetes native sidecar (init container with {@code restartPolicy: Always}),
     * as a plain map usable in a raw Deployment/Job spec and in Helm values: args, requests and
     * limits, a Pod Security "restricted" securityContext, and a startup probe on /startup so the
     * app container starts only once the proxy accepts connections.
     *
     * @param autoIamAuthn log in with the pod's Google service account (IAM database auth); false
     *                     only for clients that must use a password login
     */
    public static Map<String, Object> sidecar(String connectionName, boolean autoIamAuthn) {
        var container = new LinkedHashMap<String, Object>();
        container.put("name", CONTAINER_NAME);
        container.put("image", IMAGE);
        container.put("restartPolicy", "Always");
        container.put("args", args(connectionName, autoIamAuthn));
        container.put("ports", List.of(Map.of("name", "proxy-health", "containerPort", HEALTH_PORT, "protocol", "TCP")));
        container.put("startupProbe", probe("/startup", 1, 60));
        container.put("livenessProbe", probe("/liveness", 10, 3));
        container.put("resources", Map.of(
                "requests", Map.of("cpu", "50m", "memory", "128Mi"),
                "limits", Map.of("cpu", "500m", "memory", "128Mi")));
        container.put("securityContext", dev.dataplatform.kubernetes.PodValues.restrictedContainerSecurity(IMAGE_UID, true));
        return container;
    }

    private static Map<String, Object> probe(String path, int periodSeconds, int failureThreshold) {
        return Map.of(
                "httpGet", Map.of("path", path, "port", HEALTH_PORT),
                "periodSeconds", periodSeconds,
                "failureThreshold", failureThreshold,
                "timeoutSeconds", 5);
    }

    private static void check(String part, String value, Pattern pattern, String allowed) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("Cloud SQL connection name: " + part + " '" + value
                    + "' is not valid; allowed: " + allowed);
        }
    }
}
