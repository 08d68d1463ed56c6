package dev.dataplatform.schemas;

import com.networknt.schema.Error;
import dev.dataplatform.engine.Masking;
import tools.jackson.databind.JsonNode;

/**
 * Offline inputs hold {@value Masking#UNKNOWN} for values known only after deployment and
 * {@value Masking#SECRET} for secrets, in place of the real value of any type: a schema failure on
 * such a value (its type, enum, pattern, format) says nothing about the real input, so it is dropped.
 */
final class Placeholders {
    private Placeholders() {
    }

    static boolean covers(JsonNode instance, Error error) {
        if (isPlaceholder(instance)) {
            return true;
        }
        // A failure about a named property of an object (required, additionalProperties) is real;
        // anything else reported on an object or array containing a placeholder (anyOf/oneOf branches
        // that fail only on it, say) is not decidable offline.
        if (instance != null && (instance.isObject() || instance.isArray()) && error.getProperty() == null) {
            return containsPlaceholder(instance) && isComposite(error.getKeyword());
        }
        return false;
    }

    static boolean isPlaceholder(JsonNode node) {
        return node != null && node.isString() && (node.asString().contains(Masking.UNKNOWN) || node.asString().contains(Masking.SECRET));
    }

    private static boolean containsPlaceholder(JsonNode node) {
        if (isPlaceholder(node)) {
            return true;
        }
        for (JsonNode child : node.values()) {
            if (containsPlaceholder(child)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isComposite(String keyword) {
        return keyword != null && (keyword.equals("anyOf") || keyword.equals("oneOf") || keyword.equals("allOf")
                || keyword.equals("not"));
    }
}
