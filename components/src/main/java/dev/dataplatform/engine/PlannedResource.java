package dev.dataplatform.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One resource as the engine would receive it: identity, masked inputs and resource options.
 *
 * @param urn    the resource's URN, its identity in state
 * @param type   the type token, e.g. {@code gcp:sql/databaseInstance:DatabaseInstance}
 * @param name   the logical name
 * @param parent the parent's URN, or null for the root stack
 * @param custom true for provider-managed (custom) resources, false for components
 * @param inputs inputs with secrets as {@value Masking#SECRET} and unknowns as {@value Masking#UNKNOWN}
 */
public record PlannedResource(
        String urn,
        String type,
        String name,
        String parent,
        boolean custom,
        Map<String, Object> inputs,
        Options options) {

    /**
     * Resource options that matter for safety and identity.
     *
     * @param provider the explicit provider's URN, or null for the default provider
     * @param aliases  alias URNs or specs (as maps), in declaration order
     * @param version  the provider plugin version requested, or null
     * @param ignoreChanges input property paths whose changes the engine ignores (Pulumi {@code ignoreChanges}),
     *                 as declared
     */
    public record Options(
            boolean protect,
            boolean retainOnDelete,
            List<String> dependsOn,
            String provider,
            List<Object> aliases,
            String version,
            List<String> ignoreChanges) {
        public Options {
            ignoreChanges = ignoreChanges == null ? List.of() : List.copyOf(ignoreChanges);
        }

        public Options(boolean protect, boolean retainOnDelete, List<String> dependsOn, String provider,
                       List<Object> aliases, String version) {
            this(protect, retainOnDelete, dependsOn, provider, aliases, version, List.of());
        }
    }

    /**
     * Reads a nested input by a dotted path ("settings.ipConfiguration.ipv4Enabled"); list elements
     * are addressed by index ("spec.containers.0.name").
     */
    public Optional<Object> input(String path) {
        return dig(inputs, path);
    }

    /** The value at a dotted path below {@code root} (maps by key, lists by index). */
    public static Optional<Object> dig(Object root, String path) {
        Object current = root;
        for (String part : path.split("\\.")) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(part);
            } else if (current instanceof List<?> list && part.chars().allMatch(Character::isDigit)) {
                int index = Integer.parseInt(part);
                current = index < list.size() ? list.get(index) : null;
            } else {
                return Optional.empty();
            }
            if (current == null) {
                return Optional.empty();
            }
        }
        return Optional.of(current);
    }

    /** For Kubernetes resources: metadata.name, if known. */
    public Optional<String> kubernetesName() {
        return input("metadata.name").filter(String.class::isInstance).map(String.class::cast);
    }

    /** For Kubernetes resources: metadata.namespace, if set. */
    public Optional<String> kubernetesNamespace() {
        return input("metadata.namespace").filter(String.class::isInstance).map(String.class::cast);
    }
}
