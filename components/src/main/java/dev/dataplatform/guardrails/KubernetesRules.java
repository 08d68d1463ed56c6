package dev.dataplatform.guardrails;

import dev.dataplatform.engine.PlannedResource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Workload, namespace and network rules for the Kubernetes resources the program creates. */
final class KubernetesRules {
    static final String ALLOW_LOAD_BALANCER_ANNOTATION = "data-platform.dev/allow-load-balancer";
    static final String POD_SECURITY_LABEL = "pod-security.kubernetes.io/enforce";
    static final String POD_SECURITY_WARN_LABEL = "pod-security.kubernetes.io/warn";
    static final String POD_SECURITY_EXCEPTION = "data-platform.dev/pod-security-exception";
    /** On a workload whose pods keep the Kubernetes API token: why they call the API (e.g. "leader election"). */
    static final String KUBERNETES_API_REASON = "data-platform.dev/kubernetes-api";
    /** On a workload with a container whose root filesystem stays writable: why (what the image writes, and where). */
    static final String WRITABLE_ROOT_REASON = "data-platform.dev/writable-root-filesystem";

    /** Workload type → path of its pod spec inside the inputs. */
    private static final Map<String, String> POD_SPEC_PATHS = Map.of(
            "kubernetes:core/v1:Pod", "spec",
            "kubernetes:apps/v1:Deployment", "spec.template.spec",
            "kubernetes:apps/v1:StatefulSet", "spec.template.spec",
            "kubernetes:apps/v1:DaemonSet", "spec.template.spec",
            "kubernetes:batch/v1:Job", "spec.template.spec",
            "kubernetes:batch/v1:CronJob", "spec.jobTemplate.spec.template.spec");

    private KubernetesRules() {
    }

    /** A container found in a workload, with the pod spec it runs in. */
    record Container(PlannedResource workload, String path, Map<?, ?> spec, Map<?, ?> podSpec) {
        String name() {
            return String.valueOf(spec.get("name"));
        }

        Optional<Object> get(String dotted) {
            return PlannedResource.dig(spec, dotted);
        }

        Optional<Object> pod(String dotted) {
            return PlannedResource.dig(podSpec, dotted);
        }
    }

    /** The workloads of the plan (Pods, Deployments, StatefulSets, DaemonSets, Jobs, CronJobs) with their pod specs. */
    static List<Map.Entry<PlannedResource, Map<?, ?>>> workloads(PlanView plan) {
        var result = new ArrayList<Map.Entry<PlannedResource, Map<?, ?>>>();
        for (var resource : plan.resources()) {
            String podPath = POD_SPEC_PATHS.get(resource.type());
            if (podPath != null) {
                resource.input(podPath).filter(Map.class::isInstance).map(Map.class::cast)
                        .ifPresent(pod -> result.add(Map.entry(resource, (Map<?, ?>) pod)));
            }
        }
        return result;
    }

    /** The workload's recorded reason under {@code annotation} (blank counts as none). */
    static Optional<String> reason(PlannedResource workload, String annotation) {
        return workload.input("metadata.annotations").filter(Map.class::isInstance).map(a -> ((Map<?, ?>) a).get(annotation))
                .map(String::valueOf).filter(v -> !v.isBlank());
    }

    /**
     * Pods that do not call the Kubernetes API run without its token: every workload's pod spec says
     * {@code automountServiceAccountToken: false}, unless the workload records why its pods call the API
     * (annotation {@value #KUBERNETES_API_REASON}). Cloud identities need no such token: EKS IRSA projects its own
     * web-identity token and GKE Workload Identity answers from the metadata server (docs/upstream-facts.md).
     */
    static Rule podApiToken() {
        return new Rule("pod-api-token",
                "Pods run without the Kubernetes API token unless the workload records why they call the API.",
                plan -> workloads(plan).stream()
                        .filter(w -> !Boolean.FALSE.equals(w.getValue().get("automountServiceAccountToken")))
                        .filter(w -> reason(w.getKey(), KUBERNETES_API_REASON).isEmpty())
                        .map(w -> new Finding("pod-api-token", Severity.ERROR, w.getKey().urn(),
                                "the pods get the Kubernetes API token: set automountServiceAccountToken: false, or record "
                                        + "why they call the API in annotation " + KUBERNETES_API_REASON))
                        .toList());
    }

    /**
     * Containers run with a read-only root filesystem (writable paths are explicit emptyDir mounts), unless the workload
     * records why its image cannot (annotation {@value #WRITABLE_ROOT_REASON}). A warning: a writable root is no
     * privilege, but it lets a compromised process change the image's own files.
     */
    static Rule readOnlyRootFilesystem() {
        return new Rule("read-only-root-filesystem",
                "Containers run with a read-only root filesystem unless the workload records why the image cannot.",
                plan -> {
                    var findings = new ArrayList<Finding>();
                    for (var c : containers(plan)) {
                        if (!Boolean.TRUE.equals(c.get("securityContext.readOnlyRootFilesystem").orElse(null))
                                && reason(c.workload(), WRITABLE_ROOT_REASON).isEmpty()) {
                            findings.add(new Finding("read-only-root-filesystem", Severity.WARNING, c.workload().urn(),
                                    "container '" + c.name() + "' can write its root filesystem: set readOnlyRootFilesystem: "
                                            + "true with emptyDir mounts for the paths it writes, or record why the image cannot "
                                            + "in annotation " + WRITABLE_ROOT_REASON));
                        }
                    }
                    return findings;
                });
    }

    static List<Container> containers(PlanView plan) {
        var result = new ArrayList<Container>();
        for (var resource : plan.resources()) {
            String podPath = POD_SPEC_PATHS.get(resource.type());
            if (podPath == null) {
                continue;
            }
            var podSpec = resource.input(podPath).filter(Map.class::isInstance).map(Map.class::cast);
            if (podSpec.isEmpty()) {
                continue;
            }
            for (String kind : List.of("initContainers", "containers")) {
                if (podSpec.get().get(kind) instanceof List<?> list) {
                    for (int i = 0; i < list.size(); i++) {
                        if (list.get(i) instanceof Map<?, ?> container) {
                            result.add(new Container(resource, podPath + "." + kind + "." + i, container, podSpec.get()));
                        }
                    }
                }
            }
        }
        return result;
    }

    static Rule containerResources() {
        return new Rule("container-resources",
                "Every container declares CPU and memory requests and limits.",
                plan -> containers(plan).stream().flatMap(c -> {
                    var missing = missingResources(c::get).stream().map(k -> k.substring("resources.".length())).toList();
                    return missing.isEmpty() ? java.util.stream.Stream.<Finding>empty()
                            : java.util.stream.Stream.of(new Finding("container-resources", Severity.ERROR,
                            c.workload().urn(), "container '" + c.name() + "' (" + c.path() + ") has no resources."
                            + String.join(", resources.", missing)));
                }).toList());
    }

    static Rule podSecurityRestricted() {
        return new Rule("pod-security-restricted",
                "Containers meet Pod Security 'restricted': runAsNonRoot, no privilege escalation, "
                        + "capabilities drop ALL, seccomp RuntimeDefault.",
                plan -> {
                    var findings = new ArrayList<Finding>();
                    for (var c : containers(plan)) {
                        var problems = restrictedProblems(c::get, c::pod);
                        if (!problems.isEmpty()) {
                            findings.add(new Finding("pod-security-restricted", Severity.ERROR, c.workload().urn(),
                                    "container '" + c.name() + "' (" + c.path() + "): " + String.join("; ", problems)));
                        }
                    }
                    return findings;
                });
    }

    /** The {@code resources.requests/limits.cpu/memory} paths a container (or Helm values block) does not set. */
    static List<String> missingResources(Function<String, Optional<Object>> container) {
        var missing = new ArrayList<String>();
        for (String key : List.of("requests.cpu", "requests.memory", "limits.cpu", "limits.memory")) {
            if (container.apply("resources." + key).isEmpty()) {
                missing.add("resources." + key);
            }
        }
        return missing;
    }

    /**
     * What keeps a container from Pod Security "restricted", given lookups into its own
     * {@code securityContext}-holding spec and its pod's: runAsNonRoot and seccomp may be set at
     * either level, the rest on the container.
     */
    static List<String> restrictedProblems(Function<String, Optional<Object>> container,
                                           Function<String, Optional<Object>> pod) {
        var problems = new ArrayList<String>();
        boolean nonRoot = container.apply("securityContext.runAsNonRoot")
                .or(() -> pod.apply("securityContext.runAsNonRoot"))
                .map(Boolean.TRUE::equals).orElse(false);
        if (!nonRoot) {
            problems.add("runAsNonRoot is not true");
        }
        if (!container.apply("securityContext.allowPrivilegeEscalation").map(Boolean.FALSE::equals).orElse(false)) {
            problems.add("allowPrivilegeEscalation is not false");
        }
        boolean dropsAll = container.apply("securityContext.capabilities.drop")
                .filter(List.class::isInstance).map(l -> ((List<?>) l).contains("ALL")).orElse(false);
        if (!dropsAll) {
            problems.add("capabilities.drop does not contain ALL");
        }
        String seccomp = container.apply("securityContext.seccompProfile.type")
                .or(() -> pod.apply("securityContext.seccompProfile.type"))
                .map(String::valueOf).orElse("");
        if (!seccomp.equals("RuntimeDefault") && !seccomp.equals("Localhost")) {
            problems.add("seccompProfile.type is not RuntimeDefault");
        }
        return problems;
    }

    static Rule namespacePodSecurity() {
        return new Rule("namespace-pod-security",
                "Every namespace the program creates enforces Pod Security 'restricted', or 'baseline' with a recorded "
                        + "exception (an operator's pods that cannot pass restricted) while still warning at restricted.",
                plan -> plan.ofType("kubernetes:core/v1:Namespace")
                        .map(ns -> podSecurityProblem(ns).map(problem -> new Finding("namespace-pod-security", Severity.ERROR,
                                ns.urn(), problem)))
                        .flatMap(Optional::stream)
                        .toList());
    }

    private static Optional<String> podSecurityProblem(PlannedResource ns) {
        var labels = ns.input("metadata.labels").filter(Map.class::isInstance).map(m -> (Map<?, ?>) m).orElse(Map.of());
        Object enforce = labels.get(POD_SECURITY_LABEL);
        if ("restricted".equals(enforce)) {
            return Optional.empty();
        }
        boolean excepted = ns.input("metadata.annotations").filter(Map.class::isInstance)
                .map(m -> ((Map<?, ?>) m).get(POD_SECURITY_EXCEPTION)).filter(String.class::isInstance)
                .map(v -> !((String) v).isBlank()).orElse(false);
        if ("baseline".equals(enforce) && excepted && "restricted".equals(labels.get(POD_SECURITY_WARN_LABEL))) {
            return Optional.empty();
        }
        return Optional.of("namespace lacks label " + POD_SECURITY_LABEL + "=restricted (baseline is accepted only with annotation "
                + POD_SECURITY_EXCEPTION + " giving the reason and " + POD_SECURITY_WARN_LABEL + "=restricted)");
    }

    static Rule namespaceDefaultDeny() {
        return new Rule("namespace-default-deny",
                "Every namespace the program creates has a default-deny NetworkPolicy; traffic is allowed explicitly.",
                plan -> {
                    var findings = new ArrayList<Finding>();
                    // The namespaces that have a default-deny policy, found once (not once per namespace).
                    var denied = plan.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy")
                            .filter(KubernetesRules::isDefaultDeny)
                            .map(PlannedResource::kubernetesNamespace)
                            .flatMap(Optional::stream)
                            .collect(java.util.stream.Collectors.toSet());
                    plan.ofType("kubernetes:core/v1:Namespace").forEach(ns -> {
                        var name = ns.kubernetesName();
                        if (name.isEmpty()) {
                            findings.add(new Finding("namespace-default-deny", Severity.WARNING, ns.urn(),
                                    "namespace name is not known before deployment; cannot check its NetworkPolicies"));
                            return;
                        }
                        if (!denied.contains(name.get())) {
                            findings.add(new Finding("namespace-default-deny", Severity.ERROR, ns.urn(),
                                    "namespace '" + name.get() + "' has no default-deny NetworkPolicy "
                                            + "(podSelector {}, policyTypes [Ingress, Egress], no rules)"));
                        }
                    });
                    return findings;
                });
    }

    /** Selects every pod and denies all ingress and egress. */
    static boolean isDefaultDeny(PlannedResource policy) {
        boolean allPods = policy.input("spec.podSelector")
                .map(selector -> selector instanceof Map<?, ?> m && m.values().stream().allMatch(v ->
                        v == null || (v instanceof Map<?, ?> mm && mm.isEmpty()) || (v instanceof List<?> l && l.isEmpty())))
                .orElse(false);
        var types = policy.input("spec.policyTypes").filter(List.class::isInstance).map(l -> (List<?>) l).orElse(List.of());
        boolean noRules = policy.input("spec.ingress").map(v -> v instanceof List<?> l && l.isEmpty()).orElse(true)
                && policy.input("spec.egress").map(v -> v instanceof List<?> l && l.isEmpty()).orElse(true);
        return allPods && types.contains("Ingress") && types.contains("Egress") && noRules;
    }

    static Rule noLoadBalancer() {
        return new Rule("no-load-balancer",
                "No Service of type LoadBalancer unless annotated " + ALLOW_LOAD_BALANCER_ANNOTATION + "=\"true\".",
                plan -> plan.ofType("kubernetes:core/v1:Service")
                        .filter(svc -> svc.input("spec.type").map("LoadBalancer"::equals).orElse(false))
                        .map(svc -> {
                            boolean allowed = svc.input("metadata.annotations")
                                    .filter(Map.class::isInstance)
                                    .map(a -> "true".equals(((Map<?, ?>) a).get(ALLOW_LOAD_BALANCER_ANNOTATION)))
                                    .orElse(false);
                            return allowed
                                    ? new Finding("no-load-balancer", Severity.WARNING, svc.urn(),
                                    "Service is exposed through a LoadBalancer (explicitly allowed)")
                                    : new Finding("no-load-balancer", Severity.ERROR, svc.urn(),
                                    "Service of type LoadBalancer exposes it outside the cluster: use ClusterIP, "
                                            + "or annotate " + ALLOW_LOAD_BALANCER_ANNOTATION + "=\"true\" on purpose");
                        })
                        .toList());
    }
}
