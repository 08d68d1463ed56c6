package dev.dataplatform.plan;

import dev.dataplatform.engine.Masking;
import dev.dataplatform.engine.PlannedResource;
import dev.dataplatform.guardrails.Finding;
import dev.dataplatform.guardrails.Severity;
import dev.dataplatform.guardrails.StatefulTypes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a plan changes against a base ({@link BaseState}), resource by resource, by URN, in
 * {@code pulumi preview} terms: create, update in place (with the changed input paths), replace (a changed
 * input that the provider cannot update, per {@link ReplaceOnChange}) and delete. Deleting or replacing a
 * resource that holds data or was protected is an error finding: the change must be made deliberately.
 */
public final class PlanDiff {

    /** What happens to one resource. */
    public enum Operation {
        CREATE("+", "create"), UPDATE("~", "update"), REPLACE("+-", "replace"), DELETE("-", "delete"),
        /** Gone from this stack, declared with the same type and name by another stack of the environment (a shard). */
        MOVE(">", "move"), SAME(" ", "same");

        public final String symbol;
        public final String id;

        Operation(String symbol, String id) {
            this.symbol = symbol;
            this.id = id;
        }
    }

    /**
     * One resource's change.
     *
     * @param paths        changed input paths (dotted; list items by index), for updates and replacements
     * @param replacePaths the changed paths that force the replacement
     * @param renamedFrom  the base URN an alias matched, or null
     * @param movedTo      for a move: the stack that now declares the resource, or null
     */
    public record Change(String urn, String type, String parent, Operation operation, List<String> paths,
                         List<String> replacePaths, boolean protect, boolean stateful, String renamedFrom, String movedTo) {
        public Change(String urn, String type, String parent, Operation operation, List<String> paths,
                      List<String> replacePaths, boolean protect, boolean stateful, String renamedFrom) {
            this(urn, type, parent, operation, paths, replacePaths, protect, stateful, renamedFrom, null);
        }
    }

    /** All changes, in URN order (creates and updates by the plan's order, deletes by the base's). */
    public record Result(BaseState.Kind baseKind, List<Change> changes, List<Finding> findings) {
        public long count(Operation operation) {
            return changes.stream().filter(c -> c.operation() == operation).count();
        }

        /** "3 to create, 1 to update, 1 to replace, 2 to delete, 104 unchanged" (and ", 30 moved to other stacks"). */
        public String summary() {
            return count(Operation.CREATE) + " to create, " + count(Operation.UPDATE) + " to update, "
                    + count(Operation.REPLACE) + " to replace, " + count(Operation.DELETE) + " to delete, "
                    + count(Operation.SAME) + " unchanged"
                    + (count(Operation.MOVE) == 0 ? "" : ", " + count(Operation.MOVE) + " moved to other stacks");
        }

        /**
         * This diff with each delete whose resource another stack of the environment declares (same project, type
         * chain and name: {@link #withoutStack}) shown as a move to that stack: its state is moved with
         * {@code pulumi state move}, not deleted, so the guardrails do not count it as a deletion.
         *
         * <p>Only against an earlier plan: there the move is a change of config, and a warning per destination says
         * the state must move before this stack's next {@code pulumi up}. Against a deployed stack's export the
         * state still holds the resource, so {@code pulumi up} would delete it: it stays a delete, with an error
         * that names the stack to move it to.
         *
         * @param elsewhere the other stacks' resources, by their URN without the stack, to the stack's name
         */
        public Result withMoves(Map<String, String> elsewhere) {
            var moved = new ArrayList<Change>();
            var destinations = new java.util.TreeMap<String, Long>();
            var stateNotMoved = new ArrayList<Finding>();
            for (Change c : changes) {
                String to = c.operation() == Operation.DELETE ? elsewhere.get(withoutStack(c.urn())) : null;
                if (to != null && baseKind == BaseState.Kind.DEPLOYED) {
                    stateNotMoved.add(new Finding("diff-state-not-moved", Severity.ERROR, c.urn(), c.type()
                            + " is declared by stack " + to + " now, but this stack's state still holds it: `pulumi up` "
                            + "would delete it; move its state first (pulumi state move --source " + stackOf(c.urn())
                            + " --dest " + to + " <its component's URN>, docs/tenants.md)"));
                    to = null;
                }
                if (to != null) {
                    destinations.merge(to, 1L, Long::sum);
                }
                moved.add(to == null ? c : new Change(c.urn(), c.type(), c.parent(), Operation.MOVE, List.of(), List.of(),
                        c.protect(), c.stateful(), null, to));
            }
            var findings = new ArrayList<>(PlanDiff.findings(moved));
            findings.addAll(stateNotMoved);
            destinations.forEach((to, count) -> findings.add(new Finding("diff-move-needs-state-move", Severity.WARNING, to,
                    count + " resources move to stack " + to + ": move their state (pulumi state move, docs/tenants.md) "
                            + "before the next `pulumi up` of this stack, or it deletes them")));
            return new Result(baseKind, List.copyOf(moved), List.copyOf(findings));
        }
    }

    /** The stack of a URN ({@code urn:pulumi:STACK::...}). */
    static String stackOf(String urn) {
        int start = "urn:pulumi:".length();
        int end = urn.indexOf("::");
        return urn.startsWith("urn:pulumi:") && end > start ? urn.substring(start, end) : urn;
    }

    /** A URN without its stack ({@code urn:pulumi:STACK::project::type::name} gives {@code project::type::name}). */
    public static String withoutStack(String urn) {
        int at = urn.indexOf("::");
        return at < 0 ? urn : urn.substring(at + 2);
    }

    private PlanDiff() {
    }

    /** The engine names the default provider of a package {@code default} or {@code default_<version>}. */
    static boolean isDefaultProvider(String providerUrn) {
        String name = providerUrn.substring(providerUrn.lastIndexOf("::") + 2);
        return name.equals("default") || name.startsWith("default_");
    }

    /**
     * Whether {@code provider} takes over {@code oldProvider}'s resources: it names it among its aliases, and the
     * engine then skips the provider diff of every resource that moves from one to the other.
     */
    static boolean adopts(PlannedResource provider, String oldProvider) {
        return provider != null && provider.options().aliases().contains(oldProvider);
    }

    public static Result compare(BaseState base, List<PlannedResource> planned) {
        var remaining = new LinkedHashMap<>(base.resources());
        var providers = new java.util.HashMap<String, PlannedResource>();
        planned.stream().filter(r -> r.type().startsWith("pulumi:providers:")).forEach(r -> providers.put(r.urn(), r));
        var changes = new ArrayList<Change>();
        for (PlannedResource resource : planned) {
            String baseUrn = remaining.containsKey(resource.urn()) ? resource.urn() : aliasMatch(resource, remaining.keySet());
            BaseState.Resource before = baseUrn == null ? null : remaining.remove(baseUrn);
            String renamedFrom = baseUrn != null && !baseUrn.equals(resource.urn()) ? baseUrn : null;
            boolean stateful = StatefulTypes.isStateful(resource.type());
            if (before == null) {
                changes.add(new Change(resource.urn(), resource.type(), resource.parent(), Operation.CREATE, List.of(),
                        List.of(), resource.options().protect(), stateful, null));
                continue;
            }
            var paths = new TreeSet<String>();
            Object after = BaseState.normalized(resource.inputs());
            if (resource.custom()) {
                differences("", before.inputs(), after, base.kind(), paths);
                paths.removeIf(path -> ignored(path, resource.options().ignoreChanges()));
            }
            var replacePaths = ReplaceOnChange.forcing(resource.type(), paths, before.inputs(), after);
            if (!before.type().equals(resource.type()) && renamedFrom == null) {
                replacePaths = List.of("(type)");
            }
            String provider = resource.options().provider();
            if (resource.custom() && before.provider() != null && provider != null && !before.provider().equals(provider)
                    && !adopts(providers.get(provider), before.provider())) {
                // Another provider, not aliased to the old one: the engine asks the new one (DiffConfig) whether the
                // target changed (docs/upstream-facts.md, "Clusters"). Between two of the program's clusters it has
                // (another cluster: replace). From the engine's default provider (no kubeconfig: an empty active
                // cluster) to one with a kubeconfig, the active cluster changes too: replace. To one with only a
                // context, the active cluster of both is empty: a change.
                paths.add("(provider)");
                if (!isDefaultProvider(before.provider()) || providers.get(provider) == null
                        || providers.get(provider).inputs().containsKey("kubeconfig")) {
                    var forcing = new ArrayList<>(replacePaths);
                    forcing.add("(provider)");
                    replacePaths = List.copyOf(forcing);
                }
            }
            Operation operation = !replacePaths.isEmpty() ? Operation.REPLACE
                    : paths.isEmpty() ? Operation.SAME : Operation.UPDATE;
            changes.add(new Change(resource.urn(), resource.type(), resource.parent(), operation, List.copyOf(paths),
                    replacePaths, before.protect() || resource.options().protect(), stateful, renamedFrom));
        }
        for (BaseState.Resource gone : remaining.values()) {
            changes.add(new Change(gone.urn(), gone.type(), gone.parent(), Operation.DELETE, List.of(), List.of(),
                    gone.protect(), StatefulTypes.isStateful(gone.type()), null));
        }
        changes.sort(Comparator.comparing(Change::urn));
        return new Result(base.kind(), List.copyOf(changes), findings(changes));
    }

    private static List<Finding> findings(List<Change> changes) {
        var findings = new ArrayList<Finding>();
        for (Change change : changes) {
            if (change.operation() != Operation.DELETE && change.operation() != Operation.REPLACE) {
                continue;
            }
            if (!change.protect() && !change.stateful()) {
                continue;
            }
            String what = change.stateful() ? "holds data" : "is protected";
            String verb = change.operation() == Operation.DELETE ? "deleted" : "replaced (" + String.join(", ", change.replacePaths()) + " changed)";
            String rule = change.operation() == Operation.DELETE ? "diff-delete-stateful" : "diff-replace-stateful";
            findings.add(new Finding(rule, Severity.ERROR, change.urn(), change.type() + " " + what + " and would be "
                    + verb + ": if deliberate, unprotect it first (pulumi state unprotect) and review the data it holds"));
        }
        return findings;
    }

    /**
     * The base URN one of a resource's aliases names. Aliases given as URNs match as they are; alias
     * specs that change only the type (the SDKs' aliases for renamed type tokens) or the name are applied
     * to the resource's own URN.
     */
    static String aliasMatch(PlannedResource resource, Set<String> baseUrns) {
        for (Object alias : resource.options().aliases()) {
            String candidate = null;
            if (alias instanceof String urn) {
                candidate = urn;
            } else if (alias instanceof Map<?, ?> spec) {
                candidate = applySpec(resource.urn(), spec);
            }
            if (candidate != null && baseUrns.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static String applySpec(String urn, Map<?, ?> spec) {
        Set<?> keys = spec.keySet();
        if (!Set.of("type", "name").containsAll(keys)) {
            return null; // parent, stack or project aliases are not resolved offline
        }
        int nameAt = urn.lastIndexOf("::");
        int typeAt = urn.lastIndexOf("::", nameAt - 1);
        if (nameAt < 0 || typeAt < 0) {
            return null;
        }
        String qualifiedType = urn.substring(typeAt + 2, nameAt);
        String name = urn.substring(nameAt + 2);
        if (spec.get("type") instanceof String type) {
            int dollar = qualifiedType.lastIndexOf('$');
            qualifiedType = dollar < 0 ? type : qualifiedType.substring(0, dollar + 1) + type;
        }
        if (spec.get("name") instanceof String newName) {
            name = newName;
        }
        return urn.substring(0, typeAt + 2) + qualifiedType + "::" + name;
    }

    /**
     * Collects the paths where {@code after} differs from {@code before}. Values only known after deployment
     * ({@value Masking#UNKNOWN}) and secrets on both sides cannot be compared and count as unchanged. Against
     * a deployed stack, inputs the program does not set are the provider's defaults and are kept.
     */
    static void differences(String path, Object before, Object after, BaseState.Kind kind, Set<String> out) {
        if (Masking.UNKNOWN.equals(after) || Masking.UNKNOWN.equals(before)) {
            return;
        }
        if (Masking.SECRET.equals(after) && Masking.SECRET.equals(before)) {
            return;
        }
        if (before instanceof Map<?, ?> b && after instanceof Map<?, ?> a) {
            var keys = new TreeSet<String>();
            a.keySet().forEach(k -> keys.add(String.valueOf(k)));
            if (kind == BaseState.Kind.PLAN) {
                b.keySet().forEach(k -> keys.add(String.valueOf(k)));
            }
            for (String key : keys) {
                differences(path.isEmpty() ? key : path + "." + key, b.get(key), a.get(key), kind, out);
            }
            return;
        }
        if (before instanceof List<?> b && after instanceof List<?> a && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                differences(path + "." + i, b.get(i), a.get(i), kind, out);
            }
            return;
        }
        if (!Objects.equals(before, after)) {
            out.add(path.isEmpty() ? "(inputs)" : path);
        }
    }

    /**
     * Whether a changed input path is covered by the resource's {@code ignoreChanges}: the engine keeps the old
     * value at an ignored path (and below it), so a difference there is no change.
     */
    static boolean ignored(String path, List<String> ignoreChanges) {
        for (String ignore : ignoreChanges) {
            String dotted = ignore.replaceAll("\\[(\\d+)]", ".$1").replaceAll("\\[\"([^\"]*)\"]", ".$1");
            if (path.equals(dotted) || path.startsWith(dotted + ".") || "*".equals(ignore)) {
                return true;
            }
        }
        return false;
    }

    /** Changes grouped under their parents, for the tree output. */
    static Map<String, List<Change>> byParent(List<Change> changes) {
        var result = new HashMap<String, List<Change>>();
        for (Change change : changes) {
            result.computeIfAbsent(change.parent(), k -> new ArrayList<>()).add(change);
        }
        return result;
    }
}
