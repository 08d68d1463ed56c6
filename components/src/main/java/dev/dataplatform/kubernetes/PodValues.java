package dev.dataplatform.kubernetes;

import java.util.List;
import java.util.Map;

/**
 * Typed pieces of pod specs as Helm charts take them in their values: resources and the Pod
 * Security "restricted" contexts. Records turn into plain values through
 * {@link dev.dataplatform.kubernetes.crd.CrdValues}.
 */
public final class PodValues {
    /** A non-root user id for images that do not set one. */
    public static final int NON_ROOT_UID = 10001;

    private PodValues() {
    }

    /** Requests and limits; memory is requested as much as it is limited, so pods are not evicted first. */
    public record Resources(Map<String, String> requests, Map<String, String> limits) {
        public static Resources of(String cpuRequest, String cpuLimit, String memory) {
            return new Resources(Map.of("cpu", cpuRequest, "memory", memory), Map.of("cpu", cpuLimit, "memory", memory));
        }
    }

    public record SeccompProfile(String type) {
        public static final SeccompProfile RUNTIME_DEFAULT = new SeccompProfile("RuntimeDefault");
    }

    public record Capabilities(List<String> drop) {
    }

    public record PodSecurityContext(Boolean runAsNonRoot, Integer runAsUser, Integer runAsGroup, Integer fsGroup,
                                     SeccompProfile seccompProfile) {
        /** Pod Security "restricted" at pod level, as {@code uid}. */
        public static PodSecurityContext restricted(int uid) {
            return new PodSecurityContext(true, uid, uid, uid, SeccompProfile.RUNTIME_DEFAULT);
        }
    }

    public record SecurityContext(Boolean runAsNonRoot, Boolean allowPrivilegeEscalation, Boolean readOnlyRootFilesystem,
                                  Capabilities capabilities, SeccompProfile seccompProfile) {
        /** Pod Security "restricted" for one container. */
        public static SecurityContext restricted(boolean readOnlyRootFilesystem) {
            return new SecurityContext(true, false, readOnlyRootFilesystem, new Capabilities(List.of("ALL")),
                    SeccompProfile.RUNTIME_DEFAULT);
        }
    }

    /**
     * A container's securityContext for Pod Security {@code restricted}, as a plain map for raw pod specs
     * (Jobs, CronJobs, native sidecars): non-root with the image's own uid, no privilege escalation, no
     * capabilities, the runtime's default seccomp profile.
     */
    public static java.util.Map<String, Object> restrictedContainerSecurity(int uid, boolean readOnlyRootFilesystem) {
        var context = new java.util.LinkedHashMap<String, Object>();
        context.put("runAsNonRoot", true);
        context.put("runAsUser", uid);
        context.put("runAsGroup", uid);
        context.put("allowPrivilegeEscalation", false);
        if (readOnlyRootFilesystem) {
            context.put("readOnlyRootFilesystem", true);
        }
        context.put("capabilities", java.util.Map.of("drop", java.util.List.of("ALL")));
        context.put("seccompProfile", java.util.Map.of("type", "RuntimeDefault"));
        return java.util.Map.copyOf(context);
    }
}
