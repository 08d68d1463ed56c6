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
        return new GsonBuilder().serializeNulls().disableHtmlEscaping().setPrettyPrinting().create().toJson(document);
    }

    public static String human(Plan.Result plan) {
        var out = new StringBuilder();
        var recording = plan.recording();
        out.append("Plan of ").append(recording.project()).append('/').append(recording.stack())
                .append(" (environment ").append(plan.config().environment().id()).append(", offline preview)\n\n");
        out.append("Resources (").append(recording.resources().size()).append("):\n");
        var children = recording.resources().stream()
                .filter(r -> r.parent() != null)
                .collect(Collectors.groupingBy(PlannedResource::parent));
        recording.resources().stream().filter(r -> r.parent() == null)
                .forEach(root -> tree(root, children, "  ", out));
        out.append("\nOutputs:\n");
        if (recording.outputs().isEmpty()) {
            out.append("  (none)\n");
        }
        recording.outputs().forEach((name, value) -> out.append("  ").append(name).append(": ")
                .append(new GsonBuilder().disableHtmlEscaping().create().toJson(value)).append('\n'));
        out.append("\nGuardrails: ");
        if (plan.findings().isEmpty()) {
            out.append("no findings\n");
        } else {
            out.append(plan.findings().size()).append(" finding(s)\n");
            for (Finding f : plan.findings()) {
                out.append("  ").append(f.severity().id()).append(' ').append(f.rule()).append(": ")
                        .append(f.message()).append("\n      ").append(f.resource()).append('\n');
            }
        }
        return out.toString();
    }

    private static void tree(PlannedResource node, Map<String, List<PlannedResource>> children, String indent,
                             StringBuilder out) {
        out.append(indent).append("+ ").append(node.type()).append("  ").append(node.name());
        var flags = new ArrayList<String>();
        if (node.options().protect()) {
            flags.add("protected");
        }
        if (node.options().retainOnDelete()) {
            flags.add("retain-on-delete");
        }
        if (!node.options().aliases().isEmpty()) {
            flags.add("aliased");
        }
        if (!flags.isEmpty()) {
            out.append("  [").append(String.join(", ", flags)).append(']');
        }
        out.append('\n');
        for (PlannedResource child : children.getOrDefault(node.urn(), List.of())) {
            tree(child, children, indent + "    ", out);
        }
    }
}
