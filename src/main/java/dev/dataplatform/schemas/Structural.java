package dev.dataplatform.schemas;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Kubernetes structural schema (a CRD version's {@code openAPIV3Schema}) as a JSON Schema (draft 4)
 * that says what the API server keeps:
 *
 * <ul>
 *   <li>an object node with {@code properties} gets {@code additionalProperties: false} unless it has
 *       {@code additionalProperties}, {@code x-kubernetes-preserve-unknown-fields: true} or
 *       {@code x-kubernetes-embedded-resource: true} (the API server prunes unknown fields; a pruned
 *       field is a misspelled setting that silently does nothing, so the plan reports it);</li>
 *   <li>{@code x-kubernetes-int-or-string: true} admits an integer or a string;</li>
 *   <li>{@code nullable: true} admits null;</li>
 *   <li>{@code format} is dropped (Kubernetes formats such as int32 or quantity are not JSON Schema's).</li>
 * </ul>
 *
 * Inside {@code allOf}/{@code anyOf}/{@code oneOf}/{@code not} a structural schema only validates
 * values (it may not declare fields), so no {@code additionalProperties} is added there.
 */
final class Structural {
    static final Set<String> LOGIC = Set.of("allOf", "anyOf", "oneOf", "not");

    private Structural() {
    }

    /**
     * The root also admits {@code apiVersion} and {@code kind}, and leaves {@code metadata} open: the API
     * server checks object metadata itself, whatever the CRD's schema lists under it.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> toJsonSchema(Map<String, Object> schema) {
        var root = convert(schema, false);
        var properties = new LinkedHashMap<String, Object>(
                root.get("properties") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of());
        properties.putIfAbsent("apiVersion", Map.of("type", "string"));
        properties.putIfAbsent("kind", Map.of("type", "string"));
        var metadata = new LinkedHashMap<String, Object>(
                properties.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of("type", "object"));
        metadata.remove("additionalProperties");
        properties.put("metadata", metadata);
        root.put("properties", properties);
        return root;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> convert(Map<String, Object> node, boolean valueValidation) {
        var out = new LinkedHashMap<String, Object>();
        for (var entry : node.entrySet()) {
            String key = entry.getKey();
            Object value = entry.getValue();
            switch (key) {
                case "format", "nullable", "x-kubernetes-int-or-string" -> {
                    // handled below
                }
                case "properties", "patternProperties", "definitions" -> {
                    var properties = new LinkedHashMap<String, Object>();
                    ((Map<String, Object>) value).forEach((name, sub) ->
                            properties.put(name, sub instanceof Map<?, ?> m ? convert((Map<String, Object>) m, valueValidation) : sub));
                    out.put(key, properties);
                }
                case "items", "additionalProperties" -> out.put(key, value instanceof Map<?, ?> m
                        ? convert((Map<String, Object>) m, valueValidation) : value);
                case "allOf", "anyOf", "oneOf" -> {
                    var list = new ArrayList<Object>();
                    for (Object sub : (List<Object>) value) {
                        list.add(sub instanceof Map<?, ?> m ? convert((Map<String, Object>) m, true) : sub);
                    }
                    out.put(key, list);
                }
                case "not" -> out.put(key, value instanceof Map<?, ?> m ? convert((Map<String, Object>) m, true) : value);
                default -> out.put(key, value);
            }
        }
        if (Boolean.TRUE.equals(node.get("x-kubernetes-int-or-string"))) {
            out.remove("type");
            if (!out.containsKey("anyOf")) {
                out.put("anyOf", List.of(Map.of("type", "integer"), Map.of("type", "string")));
            }
        }
        if (Boolean.TRUE.equals(node.get("nullable"))) {
            Object type = out.get("type");
            if (type instanceof String t) {
                out.put("type", List.of(t, "null"));
            }
            if (out.containsKey("enum") && out.get("enum") instanceof List<?> values && !values.contains(null)) {
                var withNull = new ArrayList<Object>(values);
                withNull.add(null);
                out.put("enum", withNull);
            }
        }
        boolean open = Boolean.TRUE.equals(node.get("x-kubernetes-preserve-unknown-fields"))
                || Boolean.TRUE.equals(node.get("x-kubernetes-embedded-resource"));
        if (!valueValidation && !open && node.containsKey("properties") && !node.containsKey("additionalProperties")) {
            out.put("additionalProperties", false);
        }
        return out;
    }
}
