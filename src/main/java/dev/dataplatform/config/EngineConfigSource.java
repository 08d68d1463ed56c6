package dev.dataplatform.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.pulumi.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A stack's config as the engine passes it under {@code pulumi up}/{@code preview}: values are read
 * through {@code ctx.config()}, structured values arrive JSON-encoded, secrets decrypted. The SDK
 * cannot list keys, so the key set comes from the engine's {@code PULUMI_CONFIG} environment.
 */
public final class EngineConfigSource implements ConfigSource {
    private final String stack;
    private final Map<String, Object> values = new TreeMap<>();
    private final Set<String> secretKeys;

    /**
     * @param rawConfig  full key → raw string value, as the engine passes it
     * @param secretKeys the keys that are secrets
     * @param lookup     how to read a value (ctx.config() under the engine)
     */
    EngineConfigSource(String stack, Set<String> keys, Set<String> secretKeys, java.util.function.Function<String, String> lookup) {
        this.stack = stack;
        this.secretKeys = Set.copyOf(secretKeys);
        for (String key : keys) {
            String raw = lookup.apply(key);
            Object value = decode(raw);
            values.put(key, secretKeys.contains(key) && !(value instanceof Map || value instanceof java.util.List)
                    ? new SecretValue(raw) : value);
        }
    }

    /** Under the engine: keys from its environment, values through {@code ctx.config()}. */
    public static EngineConfigSource fromContext(Context ctx) {
        return fromContext(ctx, System.getenv("PULUMI_CONFIG"), System.getenv("PULUMI_CONFIG_SECRET_KEYS"));
    }

    static EngineConfigSource fromContext(Context ctx, String configJson, String secretKeysJson) {
        var keys = new TreeMap<String, String>();
        if (configJson != null && !configJson.isBlank()) {
            JsonParser.parseString(configJson).getAsJsonObject().entrySet()
                    .forEach(e -> keys.put(e.getKey(), e.getValue().getAsString()));
        }
        var secrets = new java.util.HashSet<String>();
        if (secretKeysJson != null && !secretKeysJson.isBlank()) {
            JsonParser.parseString(secretKeysJson).getAsJsonArray().forEach(e -> secrets.add(e.getAsString()));
        }
        return new EngineConfigSource(ctx.stackName(), keys.keySet(), secrets, fullKey -> {
            int colon = fullKey.indexOf(':');
            if (colon < 0) {
                return keys.get(fullKey);
            }
            return ctx.config(fullKey.substring(0, colon)).get(fullKey.substring(colon + 1)).orElse(keys.get(fullKey));
        });
    }

    /** For tests and tools that already hold the engine's config map. */
    public static EngineConfigSource of(String stack, Map<String, String> rawConfig, Set<String> secretKeys) {
        return new EngineConfigSource(stack, rawConfig.keySet(), secretKeys, rawConfig::get);
    }

    /** Structured values arrive as JSON text; scalars as plain strings. */
    static Object decode(String raw) {
        if (raw == null) {
            return null;
        }
        String trimmed = raw.trim();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                return tree(JsonParser.parseString(trimmed));
            } catch (JsonParseException e) {
                return raw;
            }
        }
        return raw;
    }

    private static Object tree(JsonElement element) {
        if (element.isJsonNull()) {
            return null;
        }
        if (element.isJsonObject()) {
            var map = new LinkedHashMap<String, Object>();
            element.getAsJsonObject().entrySet().forEach(e -> map.put(e.getKey(), tree(e.getValue())));
            return map;
        }
        if (element.isJsonArray()) {
            var list = new ArrayList<Object>();
            element.getAsJsonArray().forEach(e -> list.add(tree(e)));
            return list;
        }
        var primitive = element.getAsJsonPrimitive();
        if (primitive.isBoolean()) {
            return primitive.getAsBoolean();
        }
        if (primitive.isNumber()) {
            var number = primitive.getAsBigDecimal();
            if (number.stripTrailingZeros().scale() > 0) {
                return number.doubleValue();
            }
            // Integers too large for a long stay exact (a range check refuses them); never wrapped.
            var integer = number.toBigIntegerExact();
            return integer.bitLength() < 64 ? (Object) integer.longValue() : integer;
        }
        return primitive.getAsString();
    }

    @Override
    public String file() {
        return StackFile.fileName(stack);
    }

    @Override
    public String stack() {
        return stack;
    }

    @Override
    public Map<String, Object> values() {
        return values;
    }

    @Override
    public boolean isSecret(String fullKey) {
        return secretKeys.contains(fullKey);
    }
}
