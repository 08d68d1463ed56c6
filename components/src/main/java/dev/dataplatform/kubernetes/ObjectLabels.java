package dev.dataplatform.kubernetes;

import dev.dataplatform.core.Environment;

import java.util.Map;
import java.util.TreeMap;

/** Labels of every Kubernetes object a component creates: the stack's labels, its environment, who manages it. */
public final class ObjectLabels {
    private ObjectLabels() {
    }

    public static TreeMap<String, String> of(Map<String, String> given, Environment environment) {
        var labels = new TreeMap<>(given);
        labels.put("environment", environment.id());
        labels.putIfAbsent("managed-by", "data-platform");
        return labels;
    }
}
