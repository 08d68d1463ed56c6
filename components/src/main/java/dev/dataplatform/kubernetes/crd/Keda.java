package dev.dataplatform.kubernetes.crd;

import java.util.List;
import java.util.Map;

/** Typed spec of a KEDA {@code keda.sh/v1alpha1} ScaledObject. */
public final class Keda {
    public static final CrdKind SCALED_OBJECT = new CrdKind("keda.sh/v1alpha1", "ScaledObject");

    private Keda() {
    }

    public record ScaledObjectSpec(ScaleTargetRef scaleTargetRef, Integer minReplicaCount, Integer maxReplicaCount,
                                   Integer cooldownPeriod, List<Trigger> triggers) implements CrdSpec {
        public CrdKind kind() {
            return SCALED_OBJECT;
        }
    }

    public record ScaleTargetRef(String name) {
    }

    /** A scaler: {@code type} (prometheus, aws-sqs-queue, cron, ...) and its string metadata, as KEDA defines it. */
    public record Trigger(String type, Map<String, String> metadata) {
    }
}
