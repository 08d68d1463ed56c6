package dev.dataplatform.plan;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Input paths whose change makes the provider replace a resource (delete and create) instead of updating
 * it, for the resource types the program declares, at the pinned provider versions. Bridged providers
 * take this from the upstream Terraform schema ({@code ForceNew}); pulumi-kubernetes replaces on a new
 * name or namespace. Each row names its source in docs/upstream-facts.md ("Replacement on change").
 * A type missing here is compared as always updatable, so a missing row under-reports replacements;
 * {@code ReplaceOnChangeTest} keeps every type of the committed stacks covered.
 */
public final class ReplaceOnChange {

    /** For every Kubernetes object (pulumi-kubernetes provider/pkg/provider/provider.go@v4.0.0, forceNewProperties). */
    static final List<String> KUBERNETES = List.of("metadata.name", "metadata.namespace");

    /** Type token to the input paths that force replacement (dotted, Pulumi names). */
    static final Map<String, List<String>> TABLE = Map.ofEntries(
            Map.entry("gcp:storage/bucket:Bucket", List.of("name", "location", "project")));

    private ReplaceOnChange() {
    }

    /** Whether the table has a row for the type (Kubernetes types always do). */
    static boolean covers(String type) {
        return type.startsWith("kubernetes:") || TABLE.containsKey(type);
    }

    /** The changed paths that force a replacement of a resource of the given type. */
    static List<String> forcing(String type, Collection<String> changedPaths) {
        List<String> rules = new ArrayList<>(TABLE.getOrDefault(type, List.of()));
        if (type.startsWith("kubernetes:") && !type.equals("kubernetes:helm.sh/v3:Release")) {
            rules.addAll(KUBERNETES);
        }
        var result = new ArrayList<String>();
        for (String path : changedPaths) {
            for (String rule : rules) {
                if (matches(rule, path)) {
                    result.add(path);
                    break;
                }
            }
        }
        return List.copyOf(result);
    }

    /**
     * A changed path forces replacement when it is the rule's path, lies below it, or contains it (a whole
     * block changed). List indexes in the changed path are skipped, so {@code settings.0.tier} matches
     * {@code settings.tier}.
     */
    static boolean matches(String rule, String path) {
        String plain = path.replaceAll("\\.\\d+(?=\\.|$)", "");
        return plain.equals(rule) || plain.startsWith(rule + ".") || rule.startsWith(plain + ".");
    }
}
