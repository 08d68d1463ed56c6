package dev.dataplatform.kubernetes.crd;

import com.pulumi.core.Output;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a typed spec (or typed Helm values) into the plain value pulumi-kubernetes sends. Only this
 * class sees maps: components build records. An {@code Output} field stays an output. Field order follows the record, map keys are sorted,
 * so plans and diffs are stable.
 */
public final class CrdValues {
    private CrdValues() {
    }

    public static Map<String, Object> of(Record spec) {
        @SuppressWarnings("unchecked")
        var value = (Map<String, Object>) convert(spec, spec.getClass().getSimpleName());
        return value;
    }

    private static Object convert(Object value, String path) {
        if (value instanceof Record record) {
            var result = new LinkedHashMap<String, Object>();
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                Object field;
                try {
                    field = component.getAccessor().invoke(record);
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException("cannot read " + path + "." + component.getName(), e);
                }
                if (field == null) {
                    continue;
                }
                var rename = component.getAnnotation(Field.class);
                String name = rename == null ? component.getName() : rename.value();
                result.put(name, convert(field, path + "." + name));
            }
            return result;
        }
        if (value instanceof List<?> list) {
            var result = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                result.add(convert(list.get(i), path + "[" + i + "]"));
            }
            return result;
        }
        if (value instanceof Map<?, ?> map) {
            var result = new TreeMap<String, Object>();
            map.forEach((k, v) -> {
                if (!(k instanceof String key)) {
                    throw new IllegalArgumentException(path + ": map keys must be strings, got " + k);
                }
                result.put(key, convert(v, path + "." + key));
            });
            return result;
        }
        if (value instanceof Output<?>) {
            // Known only at deployment (an address, an ARN): the engine resolves it in place.
            return value;
        }
        if (value instanceof WireEnum wire) {
            return wire.wire();
        }
        if (value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Double) {
            return value;
        }
        throw new IllegalArgumentException(path + ": " + (value == null ? "null" : value.getClass().getName())
                + " is not a custom resource value (records, lists, string maps, strings, numbers, booleans, outputs)");
    }
}
