package dev.dataplatform.testing;

import dev.dataplatform.engine.PlannedResource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds planned resources by hand, for table-driven tests of pure guardrail rules. */
public final class Resources {
    private final String type;
    private final String name;
    private final Map<String, Object> inputs = new LinkedHashMap<>();
    private boolean protect;
    private final List<String> dependsOn = new ArrayList<>();
    private final String parent = "urn:pulumi:test::data-platform::pulumi:pulumi:Stack::data-platform-test";

    private Resources(String type, String name) {
        this.type = type;
        this.name = name;
    }

    public static Resources resource(String type, String name) {
        return new Resources(type, name);
    }

    public static PlannedResource stack() {
        return new PlannedResource("urn:pulumi:test::data-platform::pulumi:pulumi:Stack::data-platform-test",
                "pulumi:pulumi:Stack", "data-platform-test", null, false, Map.of(),
                new PlannedResource.Options(false, false, List.of(), null, List.of(), null));
    }

    /** Sets an input by dotted path, creating maps on the way ("spec.podSelector"). */
    public Resources input(String path, Object value) {
        Map<String, Object> current = inputs;
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            @SuppressWarnings("unchecked")
            var next = (Map<String, Object>) current.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
            current = next;
        }
        current.put(parts[parts.length - 1], value);
        return this;
    }

    /** Declared after another resource (as settings resources of a bucket are in the plan). */
    public Resources dependsOn(PlannedResource other) {
        dependsOn.add(other.urn());
        return this;
    }

    public Resources protect(boolean protect) {
        this.protect = protect;
        return this;
    }

    public PlannedResource build() {
        String urn = "urn:pulumi:test::data-platform::" + type + "::" + name;
        return new PlannedResource(urn, type, name, parent, true, inputs,
                new PlannedResource.Options(protect, false, List.copyOf(dependsOn), null, new ArrayList<>(), null));
    }
}
