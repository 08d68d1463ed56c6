package dev.dataplatform.kubernetes.crd;

import java.util.Map;

/**
 * batch/v1 JobSpec; the pod template is a plain map (it may carry a native sidecar). {@code activeDeadlineSeconds}:
 * Kubernetes fails the Job after that long whatever its pods do (a pod that cannot start, CreateContainerConfigError,
 * fails {@code pulumi up} with DeadlineExceeded instead of waiting out the provider's timeout);
 * {@code ttlSecondsAfterFinished}: the finished Job is deleted after that long (a later run with the same name can start).
 */
public record JobSpec(Integer backoffLimit, Integer activeDeadlineSeconds, Integer ttlSecondsAfterFinished,
                      Map<String, Object> template) implements CrdSpec {
    public static final CrdKind JOB = new CrdKind("batch/v1", "Job");

    @Override
    public CrdKind kind() {
        return JOB;
    }
}
