package dev.dataplatform.guardrails;

import dev.dataplatform.engine.PlannedResource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the plan can check of a Helm release without rendering the chart: its values. A values
 * block with a {@code securityContext} or {@code podSecurityContext} describes pods, so it must
 * carry requests and limits and Pod Security "restricted" settings; a {@code service} block must not
 * be a LoadBalancer unless annotated as allowed. (What a chart renders is not checked offline.)
 */
final class HelmRules {
    static final String RELEASE = "kubernetes:helm.sh/v3:Release";

    private HelmRules() {
    }

    /** A values block found at {@code path} in {@code release}. */
    private record Block(PlannedResource release, String path, Map<?, ?> values) {
        Optional<Object> get(String dotted) {
            return PlannedResource.dig(values, dotted);
        }
    }

    static List<Rule> all() {
        return List.of(resources(), restricted(), loadBalancer(), dagsterInitContainers());
    }

    private static List<Block> blocks(PlanView plan) {
        var blocks = new ArrayList<Block>();
        plan.ofType(RELEASE).forEach(release -> release.input("values")
                .filter(Map.class::isInstance)
                .ifPresent(values -> collect(release, "values", (Map<?, ?>) values, blocks)));
        return blocks;
    }

    private static void collect(PlannedResource release, String path, Map<?, ?> map, List<Block> into) {
        into.add(new Block(release, path, map));
        map.forEach((key, value) -> {
            if (value instanceof Map<?, ?> child) {
                collect(release, path + "." + key, child, into);
            } else if (value instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) instanceof Map<?, ?> child) {
                        collect(release, path + "." + key + "." + i, child, into);
                    }
                }
            }
        });
    }

    private static boolean describesPods(Block block) {
        return block.values().containsKey("securityContext") || block.values().containsKey("podSecurityContext");
    }

    static Rule resources() {
        return new Rule("helm-values-resources",
                "Every pod block in Helm values sets CPU and memory requests and limits.",
                plan -> blocks(plan).stream().filter(HelmRules::describesPods).flatMap(block -> {
                    var missing = KubernetesRules.missingResources(block::get);
                    return missing.isEmpty() ? java.util.stream.Stream.<Finding>empty()
                            : java.util.stream.Stream.of(new Finding("helm-values-resources", Severity.ERROR,
                            block.release().urn(), block.path() + " sets no " + String.join(", ", missing)));
                }).toList());
    }

    static Rule restricted() {
        return new Rule("helm-values-restricted",
                "Every pod block in Helm values meets Pod Security 'restricted'.",
                plan -> blocks(plan).stream().filter(HelmRules::describesPods).flatMap(block -> {
                    // Helm charts put the pod's context beside the container's, as podSecurityContext.
                    var problems = KubernetesRules.restrictedProblems(block::get,
                            path -> block.get(path.replaceFirst("^securityContext", "podSecurityContext")));
                    return problems.isEmpty() ? java.util.stream.Stream.<Finding>empty()
                            : java.util.stream.Stream.of(new Finding("helm-values-restricted", Severity.ERROR,
                            block.release().urn(), block.path() + ": " + String.join("; ", problems)));
                }).toList());
    }

    static Rule loadBalancer() {
        return new Rule("helm-values-load-balancer",
                "No service block of type LoadBalancer in Helm values unless annotated "
                        + KubernetesRules.ALLOW_LOAD_BALANCER_ANNOTATION + "=\"true\".",
                plan -> blocks(plan).stream()
                        .filter(block -> block.get("service.type").map("LoadBalancer"::equals).orElse(false))
                        .filter(block -> !block.get("service.annotations").filter(Map.class::isInstance)
                                .map(a -> "true".equals(((Map<?, ?>) a).get(KubernetesRules.ALLOW_LOAD_BALANCER_ANNOTATION)))
                                .orElse(false))
                        .map(block -> new Finding("helm-values-load-balancer", Severity.ERROR, block.release().urn(),
                                block.path() + ".service is a LoadBalancer: use ClusterIP, or annotate "
                                        + KubernetesRules.ALLOW_LOAD_BALANCER_ANNOTATION + "=\"true\" on purpose"))
                        .toList());
    }

    /**
     * The dagster chart renders init containers whose resources its values cannot set
     * ({@link dev.dataplatform.dagster.DagsterStack#INIT_CONTAINERS_WITHOUT_VALUES}); the release's
     * namespace gives them LimitRange defaults, so this is a warning that names them.
     */
    static Rule dagsterInitContainers() {
        return new Rule("helm-init-container-limits",
                "Init containers a chart renders but whose requests and limits its values cannot set are named.",
                plan -> dev.dataplatform.dagster.DagsterStack.INIT_CONTAINERS_WITHOUT_VALUES.isEmpty() ? List.<Finding>of()
                        : plan.ofType(RELEASE)
                        .filter(release -> "dagster".equals(release.inputs().get("chart")))
                        .filter(release -> release.input("values.dagster-user-deployments.enabled").map(Boolean.TRUE::equals)
                                .orElse(false))
                        .map(release -> new Finding("helm-init-container-limits", Severity.WARNING, release.urn(),
                                "the dagster chart's values cannot set requests and limits of the init containers of "
                                        + String.join(", ", dev.dataplatform.dagster.DagsterStack.INIT_CONTAINERS_WITHOUT_VALUES)
                                        + "; they get the namespace's LimitRange defaults"))
                        .toList());
    }
}
