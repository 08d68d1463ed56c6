package dev.dataplatform.plan;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.dataplatform.config.ConfigException;
import dev.dataplatform.engine.Masking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a diff compares against: the resources of an earlier offline plan ({@code plan --json} of the
 * base branch) or of a deployed stack ({@code pulumi stack export}), read by the same code into one shape.
 *
 * <p>A stack export holds the inputs the provider checked, which include values the provider filled in
 * (auto-names, defaults, {@code __defaults}); Pulumi keeps those on the next update when the program
 * does not set them, so for an export only the inputs the program sets are compared
 * ({@link Kind#DEPLOYED}). Secrets in an export (ciphertext) read as {@value Masking#SECRET}.
 *
 * @param kind      which document the base was
 * @param resources by URN, in the document's order
 */
public record BaseState(Kind kind, Map<String, Resource> resources) {

    /** The document a base was read from. */
    public enum Kind {
        /** {@code plan --json}: inputs are what the program declared. */
        PLAN,
        /** {@code pulumi stack export}: inputs are what the provider checked. */
        DEPLOYED
    }

    /**
     * One resource of the base.
     *
     * @param provider the URN of its explicit or default provider (without the ID), or null if unknown
     */
    public record Resource(String urn, String type, String parent, boolean custom, boolean protect,
                           Map<String, Object> inputs, String provider) {
        public Resource(String urn, String type, String parent, boolean custom, boolean protect, Map<String, Object> inputs) {
            this(urn, type, parent, custom, protect, inputs, null);
        }
    }

    /** A base file's largest accepted size: a plan of thousands of resources fits many times over. */
    static final long MAX_BYTES = 512L * 1024 * 1024;

    /**
     * Reads a base document.
     *
     * @throws ConfigException (usage) when the file is missing, too large, or neither a plan nor an export
     */
    public static BaseState read(Path file) {
        String where = String.valueOf(file);
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw ConfigException.of(where, "--diff", "is larger than " + MAX_BYTES / (1024 * 1024) + " MiB");
            }
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw ConfigException.of(where, "--diff", "not found: pass a `plan --json` output of the base or a "
                    + "`pulumi stack export` of the deployed stack");
        } catch (IOException e) {
            throw ConfigException.of(where, "--diff", "cannot be read: " + e.getMessage());
        }
        Object document;
        try {
            document = plain(JsonParser.parseString(text));
        } catch (JsonParseException | IllegalStateException e) {
            throw ConfigException.of(where, "--diff", "is not JSON: pass a `plan --json` output of the base or a "
                    + "`pulumi stack export` of the deployed stack");
        }
        if (document instanceof Map<?, ?> map && map.get("resources") instanceof List<?> list) {
            return new BaseState(Kind.PLAN, resources(where, list, Kind.PLAN));
        }
        if (document instanceof Map<?, ?> map && map.get("deployment") instanceof Map<?, ?> deployment) {
            Object list = deployment.get("resources");
            return new BaseState(Kind.DEPLOYED, resources(where, list instanceof List<?> l ? l : List.of(), Kind.DEPLOYED));
        }
        throw ConfigException.of(where, "--diff", "is neither a plan (a top-level \"resources\" list) nor a stack "
                + "export (a top-level \"deployment\")");
    }

    private static Map<String, Resource> resources(String where, List<?> list, Kind kind) {
        var result = new LinkedHashMap<String, Resource>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> r) || !(r.get("urn") instanceof String urn)
                    || !(r.get("type") instanceof String type)) {
                throw ConfigException.of(where, "resources[" + i + "]", "needs a string \"urn\" and \"type\"");
            }
            if (kind == Kind.DEPLOYED && Boolean.TRUE.equals(r.get("delete"))) {
                continue; // a replaced resource still pending deletion: not part of the desired state
            }
            if (kind == Kind.DEPLOYED && type.startsWith("pulumi:providers:") && urn.contains("::default")) {
                continue; // the engine's default providers are never declared by the program
            }
            boolean protect;
            if (kind == Kind.PLAN) {
                protect = r.get("options") instanceof Map<?, ?> options && Boolean.TRUE.equals(options.get("protect"));
            } else {
                protect = Boolean.TRUE.equals(r.get("protect"));
            }
            boolean custom = !Boolean.FALSE.equals(r.get("custom"));
            Map<String, Object> inputs = new TreeMap<>();
            if (r.get("inputs") instanceof Map<?, ?> in) {
                in.forEach((k, v) -> {
                    if (!"__defaults".equals(k)) {
                        inputs.put(String.valueOf(k), v);
                    }
                });
            }
            String parent = r.get("parent") instanceof String p && !p.isEmpty() ? p : null;
            String provider = null;
            if (kind == Kind.PLAN && r.get("options") instanceof Map<?, ?> options && options.get("provider") instanceof String p) {
                provider = p;
            } else if (kind == Kind.DEPLOYED && r.get("provider") instanceof String p && !p.isEmpty()) {
                provider = p.lastIndexOf("::") > 0 ? p.substring(0, p.lastIndexOf("::")) : p; // "URN::ID"
            }
            result.put(urn, new Resource(urn, type, parent, custom, protect, inputs, provider));
        }
        return result;
    }

    /**
     * JSON as plain Java values: numbers as {@code Double}, Pulumi secrets (signature maps with ciphertext)
     * as {@value Masking#SECRET}.
     */
    static Object plain(com.google.gson.JsonElement element) {
        if (element.isJsonNull()) {
            return null;
        }
        if (element.isJsonPrimitive()) {
            var primitive = element.getAsJsonPrimitive();
            if (primitive.isBoolean()) {
                return primitive.getAsBoolean();
            }
            if (primitive.isNumber()) {
                return primitive.getAsDouble();
            }
            return primitive.getAsString();
        }
        if (element.isJsonArray()) {
            var list = new ArrayList<Object>();
            element.getAsJsonArray().forEach(e -> list.add(plain(e)));
            return list;
        }
        var object = element.getAsJsonObject();
        if (object.has(SECRET_SIGNATURE_KEY)) {
            return Masking.SECRET;
        }
        var map = new TreeMap<String, Object>();
        object.entrySet().forEach(e -> map.put(e.getKey(), plain(e.getValue())));
        return map;
    }

    /** The key of Pulumi's special-value signature in serialized state (com.pulumi.core.internal.Constants). */
    static final String SECRET_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";

    /** Plain values of planned inputs, numbers as {@code Double} like a base read from JSON. */
    static Object normalized(Object value) {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof Map<?, ?> map) {
            var result = new TreeMap<String, Object>();
            map.forEach((k, v) -> result.put(String.valueOf(k), normalized(v)));
            return result;
        }
        if (value instanceof List<?> list) {
            var result = new ArrayList<Object>(list.size());
            list.forEach(v -> result.add(normalized(v)));
            return result;
        }
        return value;
    }
}
