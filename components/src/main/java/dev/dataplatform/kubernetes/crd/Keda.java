package dev.dataplatform.kubernetes.crd;

import com.pulumi.core.Output;

import java.util.List;
import java.util.Map;

/** Typed spec of a KEDA {@code keda.sh/v1alpha1} ScaledObject. */
public final class Keda {
    public static final CrdKind SCALED_OBJECT = new CrdKind("keda.sh/v1alpha1", "ScaledObject");
    public static final CrdKind TRIGGER_AUTHENTICATION = new CrdKind("keda.sh/v1alpha1", "TriggerAuthentication");

    private Keda() {
    }

    public record ScaledObjectSpec(ScaleTargetRef scaleTargetRef, Integer minReplicaCount, Integer maxReplicaCount,
                                   Integer cooldownPeriod, List<Trigger> triggers, Fallback fallback) implements CrdSpec {
        public ScaledObjectSpec(ScaleTargetRef scaleTargetRef, Integer minReplicaCount, Integer maxReplicaCount,
                                Integer cooldownPeriod, List<Trigger> triggers) {
            this(scaleTargetRef, minReplicaCount, maxReplicaCount, cooldownPeriod, triggers, null);
        }

        public CrdKind kind() {
            return SCALED_OBJECT;
        }
    }

    /**
     * {@code spec.fallback}: after {@code failureThreshold} consecutive failures of a scaler (say, KEDA cannot reach
     * the queue or assume its role) the target runs {@code replicas} instead of staying where it was (at zero, an
     * app scaled to zero would stay down). Both are required by the CRD (keda.sh_scaledobjects.yaml@v2.20.2).
     */
    public record Fallback(Integer failureThreshold, Integer replicas) {
    }

    public record ScaleTargetRef(String name) {
    }

    /**
     * A scaler: {@code type} (prometheus, aws-sqs-queue, cron, ...) and its string metadata, as KEDA
     * defines it, optionally with the TriggerAuthentication that gives it an identity.
     */
    public record Trigger(String type, Map<String, String> metadata, AuthenticationRef authenticationRef) {
        public Trigger(String type, Map<String, String> metadata) {
            this(type, metadata, null);
        }

        public Trigger withAuthentication(String name) {
            return new Trigger(type, metadata, new AuthenticationRef(name));
        }
    }

    public record AuthenticationRef(String name) {
    }

    /** A TriggerAuthentication that gives scalers a platform identity (e.g. an AWS role through IRSA). */
    public record TriggerAuthenticationSpec(PodIdentity podIdentity) implements CrdSpec {
        public CrdKind kind() {
            return TRIGGER_AUTHENTICATION;
        }
    }

    /** {@code provider: aws} with {@code roleArn}: KEDA assumes that role with its own web identity. */
    public record PodIdentity(String provider, Output<String> roleArn) {
        public static PodIdentity aws(Output<String> roleArn) {
            return new PodIdentity("aws", roleArn);
        }
    }
}
