package dev.dataplatform.schemas;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Helm's view of a release's values: the chart's values.yaml with the release's values merged over it
 * (maps merge key by key, anything else replaces, null removes a default). Helm validates this
 * merged document against values.schema.json, so the plan does too.
 */
final class HelmValues {
    private HelmValues() {
    }

    static Object merge(Object defaults, Object overrides) {
        if (defaults instanceof Map<?, ?> base && overrides instanceof Map<?, ?> over) {
            var result = new LinkedHashMap<String, Object>();
            base.forEach((k, v) -> result.put(String.valueOf(k), v));
            over.forEach((k, v) -> {
                String key = String.valueOf(k);
                if (v == null) {
                    result.remove(key);
                } else {
                    result.put(key, result.containsKey(key) ? merge(result.get(key), v) : v);
                }
            });
            return result;
        }
        return overrides;
    }
}
