package dev.dataplatform.plan;

import com.google.gson.GsonBuilder;
import dev.dataplatform.engine.PlannedResource;
import dev.dataplatform.guardrails.Finding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders a plan as the JSON contract (DESIGN.md "The offline plan") or as a readable tree. */
public final class PlanRenderer {
    private PlanRenderer() {
    }

    public static String json(Plan.Result plan) {
        var out = new StringBuilder();
        json(plan, out);
        return out.toString();
    }

    /**
     * Writes the JSON plan to {@code out} as it goes: a plan of thousands of tenants is tens of MB
     * of JSON, which need not be held in memory (a string and its copies) before it is printed.
     */
    public static void json(Plan.Result plan, Appendable out) {
        var document = new LinkedHashMap<String, Object>();
        document.put("project", plan.recording().project());
        document.put("stack", plan.recording().stack());
        var resources = new ArrayList<Map<String, Object>>();
        for (PlannedResource r : plan.recording().resources()) {
            var resource = new LinkedHashMap<String, Object>();
            resource.put("urn", r.urn());
            resource.put("type", r.type());
            resource.put("name", r.name());
            resource.put("parent", r.parent());
            resource.put("custom", r.custom());
            resource.put("inputs", r.inputs());
            var options = new LinkedHashMap<String, Object>();
            options.put("protect", r.options().protect());
            options.put("retainOnDelete", r.options().retainOnDelete());
            options.put("dependsOn", r.options().dependsOn());
            options.put("provider", r.options().provider());
            options.put("aliases", r.options().aliases());
            options.put("ignoreChanges", r.options().ignoreChanges());
            resource.put("options", options);
            resources.add(resource);
        }
        document.put("resources", resources);
        document.put("outputs", plan.recording().outputs());
        var findings = new ArrayList<Map<String, Object>>();
        for (Finding f : plan.findings()) {
            var finding = new LinkedHashMap<String, Object>();
            finding.put("rule", f.rule());
            finding.put("severity", f.severity().id());
            finding.put("resource", f.resource());
            finding.put("message", f.message());
            if (f.path() != null) {
                finding.put("path", f.path());
            }
            findings.add(finding);
        }
        document.put("findings", findings);
        if (plan.diff() != null) {
            document.put("diff", diff(plan.diff()));
        }
        new GsonBuilder().serializeNulls().disableHtmlEscaping().setPrettyPrinting().create().toJson(document, out);
    }

    private static Map<String, Object> diff(PlanDiff.Result diff) {
        var section = new LinkedHashMap<String, Object>();
        section.put("base", diff.baseKind() == BaseState.Kind.PLAN ? "plan" : "deployed");
        var summary = new LinkedHashMap<String, Object>();
        for (PlanDiff.Operation operation : PlanDiff.Operation.values()) {
            summary.put(operation.id, diff.count(operation));
        }
        section.put("summary", summary);
        var changes = new ArrayList<Map<String, Object>>();
        for (PlanDiff.Change change : diff.changes()) {
            if (change.operation() == PlanDiff.Operation.SAME) {
                continue;
            }
            var entry = new LinkedHashMap<String, Object>();
            entry.put("urn", change.urn());
            entry.put("type", change.type());
            entry.put("operation", change.operation().id);
            entry.put("paths", change.paths());
            entry.put("replacePaths", change.replacePaths());
            entry.put("protect", change.protect());
            entry.put("stateful", change.stateful());
            entry.put("renamedFrom", change.renamedFrom());
            if (change.movedTo() != null) {
                entry.put("movedTo", change.movedTo());
                entry.put("message", "moved to stack " + change.movedTo());
            }
            changes.add(entry);
        }
        section.put("changes", changes);
        return section;
    }

    /** The summary line, as `pulumi preview` ends: counts per operation. */
    static String summary(Plan.Result plan) {
        if (plan.diff() != null) {
            return "Plan: " + plan.diff().summary();
        }
        return "Plan: " + plan.recording().resources().size() + " to create (no base given: --diff BASE.json compares)";
    }

    public static String human(Plan.Result plan) {
        var out = new StringBuilder();
        var recording = plan.recording();
        out.append("Plan of ").append(recording.project()).append('/').append(recording.stack())
                .append(" (environment ").append(plan.config().environment().id()).append(", offline preview)\n\n");
        out.append("Resources (").append(recording.resources().size())
                .append(plan.diff() == null ? "" : "; only those that change, with their parents, are shown").append("):\n");
        var children = recording.resources().stream()
                .filter(r -> r.parent() != null)
                .collect(Collectors.groupingBy(PlannedResource::parent));
        Map<String, PlanDiff.Change> changes = plan.diff() == null ? Map.of()
                : plan.diff().changes().stream().collect(Collectors.toMap(PlanDiff.Change::urn, c -> c));
        var shown = shown(plan);
        recording.resources().stream().filter(r -> r.parent() == null)
                .forEach(root -> tree(root, children, changes, shown, "  ", out));
        if (plan.diff() != null) {
            var deletes = plan.diff().changes().stream().filter(c -> c.operation() == PlanDiff.Operation.DELETE).toList();
            if (!deletes.isEmpty()) {
                out.append("\nDeleted (in the base, not in this plan):\n");
                deletes.forEach(d -> out.append("  - ").append(d.type()).append("  ").append(d.urn())
                        .append(d.protect() ? "  [protected]" : "").append('\n'));
            }
            var moves = plan.diff().changes().stream().filter(c -> c.operation() == PlanDiff.Operation.MOVE).toList();
            if (!moves.isEmpty()) {
                out.append("\nMoved (in the base, now declared by another stack of the environment; move their state with ")
                        .append("`pulumi state move`, docs/tenants.md):\n");
                moves.forEach(m -> out.append("  > ").append(m.type()).append("  ").append(m.urn())
                        .append("  moved to stack ").append(m.movedTo()).append(m.protect() ? "  [protected]" : "").append('\n'));
            }
        }
        clusters(recording.resources(), out);
        out.append("\nOutputs:\n");
        if (recording.outputs().isEmpty()) {
            out.append("  (none)\n");
        }
        recording.outputs().forEach((name, value) -> out.append("  ").append(name).append(": ")
                .append(new GsonBuilder().disableHtmlEscaping().create().toJson(value)).append('\n'));
        out.append("\nFindings (guardrails").append(plan.diff() == null ? "" : " and changes").append("): ");
        if (plan.findings().isEmpty()) {
            out.append("no findings\n");
        } else {
            out.append(plan.findings().size()).append(" finding(s)\n");
            for (Finding f : plan.findings()) {
                out.append("  ").append(f.severity().id()).append(' ').append(f.rule()).append(": ")
                        .append(f.message()).append("\n      ").append(f.resource()).append('\n');
            }
        }
        out.append('\n').append(summary(plan)).append('\n');
        return out.toString();
    }

    /** The name a provider reference ends with ({@code ...::pulumi:providers:kubernetes::prod-gke} → prod-gke). */
    static String providerName(String providerUrn) {
        return providerUrn.substring(providerUrn.lastIndexOf("::") + 2);
    }

    /**
     * The Kubernetes resources grouped by the cluster (provider) they go to: how many, which components and
     * namespaces; any without an explicit provider would land on the deployer's ambient cluster and are listed.
     */
    static void clusters(List<PlannedResource> resources, StringBuilder out) {
        var byUrn = resources.stream().collect(Collectors.toMap(PlannedResource::urn, r -> r, (a, b) -> a));
        var groups = new java.util.TreeMap<String, List<PlannedResource>>();
        for (PlannedResource r : resources) {
            if (r.custom() && r.type().startsWith("kubernetes:")) {
                String provider = r.options().provider();
                groups.computeIfAbsent(provider == null ? "" : provider, k -> new ArrayList<>()).add(r);
            }
        }
        if (groups.isEmpty()) {
            return;
        }
        out.append("\nKubernetes resources by cluster:\n");
        groups.forEach((provider, members) -> {
            var components = new java.util.TreeSet<String>();
            var namespaces = new java.util.TreeSet<String>();
            for (PlannedResource r : members) {
                PlannedResource top = r;
                while (top.parent() != null && byUrn.containsKey(top.parent())
                        && byUrn.get(top.parent()).parent() != null) {
                    top = byUrn.get(top.parent());
                }
                if (top != r) {
                    components.add(top.name());
                }
                r.kubernetesNamespace().ifPresent(namespaces::add);
                if (r.type().equals("kubernetes:core/v1:Namespace")) {
                    r.kubernetesName().ifPresent(namespaces::add);
                }
            }
            if (provider.isEmpty()) {
                out.append("  (no explicit provider: the deployer's ambient cluster) ").append(members.size()).append(" resource(s):\n");
                members.forEach(r -> out.append("      ").append(r.urn()).append('\n'));
                return;
            }
            out.append("  ").append(providerName(provider)).append(": ").append(members.size()).append(" resource(s)\n")
                    .append("      components: ").append(String.join(", ", components)).append('\n')
                    .append("      namespaces: ").append(String.join(", ", namespaces)).append('\n');
        });
    }

    /**
     * The URNs the tree prints: all of them without a base; with one, the resources that change and
     * their ancestors (as `pulumi preview` hides unchanged resources).
     */
    private static java.util.Set<String> shown(Plan.Result plan) {
        var all = plan.recording().resources();
        if (plan.diff() == null) {
            return all.stream().map(PlannedResource::urn).collect(Collectors.toSet());
        }
        Map<String, String> parents = new java.util.HashMap<>();
        all.forEach(r -> parents.put(r.urn(), r.parent()));
        var shown = new java.util.HashSet<String>();
        for (PlanDiff.Change change : plan.diff().changes()) {
            if (change.operation() == PlanDiff.Operation.SAME || change.operation() == PlanDiff.Operation.DELETE
                    || change.operation() == PlanDiff.Operation.MOVE) {
                continue;
            }
            for (String urn = change.urn(); urn != null && shown.add(urn); urn = parents.get(urn)) {
                // walk up to the root
            }
        }
        return shown;
    }

    private static void tree(PlannedResource node, Map<String, List<PlannedResource>> children,
                             Map<String, PlanDiff.Change> changes, java.util.Set<String> shown, String indent,
                             StringBuilder out) {
        if (!shown.contains(node.urn())) {
            return;
        }
        PlanDiff.Change change = changes.get(node.urn());
        String symbol = change == null ? "+" : change.operation().symbol;
        out.append(indent).append(symbol).append(symbol.length() == 1 ? " " : "").append(node.type()).append("  ").append(node.name());
        var flags = new ArrayList<String>();
        if (node.options().protect()) {
            flags.add("protected");
        }
        if (node.options().retainOnDelete()) {
            flags.add("retain-on-delete");
        }
        if (change != null && change.renamedFrom() != null) {
            flags.add("renamed from " + change.renamedFrom());
        }
        if (!flags.isEmpty()) {
            out.append("  [").append(String.join(", ", flags)).append(']');
        }
        out.append('\n');
        if (change != null && (change.operation() == PlanDiff.Operation.UPDATE || change.operation() == PlanDiff.Operation.REPLACE)) {
            for (String path : change.paths()) {
                out.append(indent).append("      ").append(change.replacePaths().contains(path) ? "+-" : "~ ")
                        .append(' ').append(path).append(change.replacePaths().contains(path) ? "  (forces replacement)" : "").append('\n');
            }
        }
        for (PlannedResource child : children.getOrDefault(node.urn(), List.of())) {
            tree(child, children, changes, shown, indent + "    ", out);
        }
    }
}
