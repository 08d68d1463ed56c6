package dev.dataplatform;

import com.marcnuri.helm.Helm;
import dev.dataplatform.engine.PlannedResource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Real Helm (helm-java) for the chart render tests: {@code helm template} of a chart directory under a planned
 * Helm release's name and namespace, with the given values, and every rendered document.
 */
public final class HelmTemplate {
    private HelmTemplate() {
    }

    /** Every document {@code helm template} renders for {@code release} with {@code values}. */
    public static List<Map<String, Object>> render(Path chart, PlannedResource release, Object values) throws IOException {
        var options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Path file = Files.createTempFile("helm-values", ".yaml");
        file.toFile().deleteOnExit();
        Files.writeString(file, new Yaml(options).dump(values));
        String manifests = new Helm(chart).template()
                .withName((String) release.inputs().get("name"))
                .withNamespace((String) release.inputs().get("namespace"))
                .withValuesFile(file)
                .call();
        var documents = new ArrayList<Map<String, Object>>();
        for (Object document : new Yaml(new LoaderOptions()).loadAll(manifests)) {
            if (document instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                var typed = (Map<String, Object>) map;
                documents.add(typed);
            }
        }
        return documents;
    }

    /** The value at a dotted path of maps and lists ("spec.template.spec.containers.0"), or null. */
    public static Object at(Object node, String dotted) {
        Object value = node;
        for (String key : dotted.split("\\.")) {
            if (value instanceof Map<?, ?> map) {
                value = map.get(key);
            } else if (value instanceof List<?> list && key.matches("\\d+")) {
                value = list.get(Integer.parseInt(key));
            } else {
                return null;
            }
        }
        return value;
    }
}
