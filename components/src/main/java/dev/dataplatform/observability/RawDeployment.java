package dev.dataplatform.observability;

import dev.dataplatform.kubernetes.PodValues.PodSecurityContext;
import dev.dataplatform.kubernetes.PodValues.Resources;
import dev.dataplatform.kubernetes.PodValues.SecurityContext;
import dev.dataplatform.kubernetes.crd.CrdKind;
import dev.dataplatform.kubernetes.crd.CrdSpec;

import java.util.List;
import java.util.Map;

/**
 * The spec of an {@code apps/v1} Deployment, declared through the generic resource base
 * ({@code KubernetesCustomResource}, type token {@code kubernetes:apps/v1:Deployment}) because
 * pulumi-kubernetes 4.0.0's typed ContainerArgs has no {@code restartPolicy}, so a native sidecar
 * (the Cloud SQL Auth Proxy as an init container with {@code restartPolicy: Always}) cannot be
 * expressed with the typed args. Init containers are the plain maps {@code CloudSqlProxy.sidecar}
 * builds; everything else is typed. Null fields are left out.
 */
public record RawDeployment(Integer replicas, Selector selector, Template template) implements CrdSpec {
    public static final CrdKind KIND = new CrdKind("apps/v1", "Deployment");

    @Override
    public CrdKind kind() {
        return KIND;
    }

    public record Selector(Map<String, String> matchLabels) {
    }

    public record Template(Metadata metadata, PodSpec spec) {
    }

    public record Metadata(Map<String, String> labels) {
    }

    public record PodSpec(String serviceAccountName, Boolean automountServiceAccountToken, PodSecurityContext securityContext,
                          List<Map<String, Object>> initContainers, List<Container> containers, List<Volume> volumes) {
    }

    public record Container(String name, String image, List<String> args, List<EnvEntry> env, List<Port> ports,
                            Resources resources, SecurityContext securityContext, List<VolumeMount> volumeMounts) {
    }

    /** An environment variable: a literal {@code value} or one read from a Secret. */
    public record EnvEntry(String name, String value, EnvSource valueFrom) {
        public static EnvEntry of(String name, String value) {
            return new EnvEntry(name, value, null);
        }

        public static EnvEntry fromSecret(String name, String secret, String key) {
            return new EnvEntry(name, null, new EnvSource(new SecretKeyRef(secret, key)));
        }
    }

    public record EnvSource(SecretKeyRef secretKeyRef) {
    }

    public record SecretKeyRef(String name, String key) {
    }

    public record Port(String name, Integer containerPort, String protocol) {
        public static Port tcp(String name, int port) {
            return new Port(name, port, "TCP");
        }
    }

    public record VolumeMount(String name, String mountPath, Boolean readOnly) {
    }

    /** A ConfigMap volume or an emptyDir. */
    public record Volume(String name, ConfigMapVolume configMap, EmptyDir emptyDir) {
        public static Volume configMap(String name, String configMap) {
            return new Volume(name, new ConfigMapVolume(configMap), null);
        }

        public static Volume emptyDir(String name, String sizeLimit) {
            return new Volume(name, null, new EmptyDir(sizeLimit));
        }
    }

    public record ConfigMapVolume(String name) {
    }

    public record EmptyDir(String sizeLimit) {
    }
}
