package dev.dataplatform.gcp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Cloud SQL Auth Proxy v2 as a native sidecar: an init container with
 * {@code restartPolicy: Always}, so it starts before the app and stops after it. It listens on
 * 127.0.0.1:5432, connects to the instance's private IP and logs in with the pod's IAM identity.
 *
 * <p>pulumi-kubernetes 4.0.0's typed ContainerArgs has no {@code restartPolicy} (it predates native
 * sidecars), so the spec is rendered as a map: put it in a pod spec's {@code initContainers}, in Helm
 * values, or in a custom resource.
 */
public record CloudSqlProxySidecar(String connectionName, String image) {
    /** Pinned; upgrade deliberately. */
    public static final String IMAGE = "gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.1";
    public static final int PORT = 5432;

    public CloudSqlProxySidecar(String connectionName) {
        this(connectionName, IMAGE);
    }

    public CloudSqlProxySidecar {
        if (connectionName == null || !connectionName.matches("[a-z][a-z0-9-]+:[a-z]+-[a-z]+[0-9]:[a-z][-a-z0-9]*")) {
            throw new IllegalArgumentException("connection name '" + connectionName + "' is not valid; allowed: project:region:instance");
        }
    }

    public List<String> args() {
        return List.of("--private-ip", "--auto-iam-authn", "--structured-logs", "--port=" + PORT, connectionName);
    }

    /** The init-container spec, as Kubernetes expects it. */
    public Map<String, Object> toMap() {
        var container = new LinkedHashMap<String, Object>();
        container.put("name", "cloud-sql-proxy");
        container.put("image", image);
        container.put("restartPolicy", "Always");
        container.put("args", args());
        container.put("resources", Map.of(
                "requests", Map.of("cpu", "50m", "memory", "64Mi"),
                "limits", Map.of("cpu", "500m", "memory", "256Mi")));
        container.put("securityContext", Map.of(
                "runAsNonRoot", true,
                "allowPrivilegeEscalation", false,
                "readOnlyRootFilesystem", true,
                "capabilities", Map.of("drop", List.of("ALL")),
                "seccompProfile", Map.of("type", "RuntimeDefault")));
        return container;
    }
}
