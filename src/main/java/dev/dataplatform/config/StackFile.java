package dev.dataplatform.config;

import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A stack's config read offline from {@code Pulumi.<stack>.yaml}, in the shape the engine would pass
 * it. {@code secure:} values stay encrypted: the offline plan never needs their plaintext.
 */
public final class StackFile implements ConfigSource {
    /** Top-level keys Pulumi itself writes into a stack file. */
    static final Set<String> PULUMI_STACK_KEYS = Set.of("config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment");

    private final String file;
    private final String stack;
    private final Map<String, Object> values;

    private StackFile(String file, String stack, Map<String, Object> values) {
        this.file = file;
        this.stack = stack;
        this.values = values;
    }

    /** The file name for a stack: the last segment of "org/project/stack". */
    public static String fileName(String stack) {
        String shortName = stack.substring(stack.lastIndexOf('/') + 1);
        return "Pulumi." + shortName + ".yaml";
    }

    /** A stack name as Pulumi allows it, optionally qualified as {@code org/project/stack}. */
    private static final java.util.regex.Pattern STACK_NAME =
            java.util.regex.Pattern.compile("([A-Za-z0-9][A-Za-z0-9_.-]{0,99}/){0,2}[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

    /**
     * Checks a stack name before it is used in a file name: Pulumi's characters only (letters, digits,
     * {@code _ . -}), so {@code ../x} or an empty name never reaches the file system.
     */
    public static void checkStackName(String stack) {
        if (stack == null || !STACK_NAME.matcher(stack).matches() || stack.contains("..")) {
            String shown = stack == null ? "(none)" : stack.length() > 60 ? stack.substring(0, 60) + "..." : stack;
            throw ConfigException.of("command line", "--stack", "'" + printable(shown) + "' is not a stack name: use letters, "
                    + "digits, '_', '.', '-' (optionally org/project/stack), at most 100 characters a part");
        }
    }

    /** The stacks that have a stack file in a directory, sorted. */
    public static List<String> stacksIn(Path directory) {
        try (var files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("Pulumi.") && n.endsWith(".yaml") && !n.equals("Pulumi.yaml"))
                    .map(n -> n.substring("Pulumi.".length(), n.length() - ".yaml".length()))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Checks that the project directory exists before any file in it is looked for. */
    public static void checkDirectory(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw ConfigException.of("command line", "--cwd", "directory " + directory.toAbsolutePath().normalize()
                    + " does not exist: pass the project directory (the one with Pulumi.yaml)");
        }
    }

    public static StackFile load(Path directory, String stack) {
        checkStackName(stack);
        checkDirectory(directory);
        String file = fileName(stack);
        String text;
        try {
            text = Files.readString(directory.resolve(file));
        } catch (NoSuchFileException e) {
            var existing = stacksIn(directory);
            throw ConfigException.of(file, "(file)", "not found in " + directory.toAbsolutePath().normalize() + ": "
                    + (existing.isEmpty() ? "no stack files there" : "existing stacks: " + String.join(", ", existing))
                    + "; create a new one with `pulumi stack init " + stack + "` or pass --cwd");
        } catch (IOException e) {
            throw ConfigException.of(file, "(file)", "cannot be read: " + e.getMessage());
        }
        return parse(file, stack, text);
    }

    /** Control characters shown as '?', so an error message never carries a terminal escape. */
    static String printable(String text) {
        var out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }

    public static StackFile parse(String file, String stack, String yamlText) {
        // The reader stops at the same bound, but only after scanning that much YAML: refuse a huge file at once.
        if (yamlText.length() > CoreSchemaYaml.MAX_CODE_POINTS
                && yamlText.codePointCount(0, yamlText.length()) > CoreSchemaYaml.MAX_CODE_POINTS) {
            throw ConfigException.of(file, "(file)", "has more than " + CoreSchemaYaml.MAX_CODE_POINTS
                    + " characters; a stack file is far smaller (is this the right file?)");
        }
        Object document;
        try {
            document = CoreSchemaYaml.create().load(CoreSchemaYaml.reader(yamlText));
        } catch (YAMLException e) {
            throw ConfigException.of(file, "(file)", "is not valid YAML: " + printable(e.getMessage().replace('\n', ' ')));
        }
        if (document == null) {
            document = Map.of();
        }
        if (!(document instanceof Map<?, ?> top)) {
            throw ConfigException.of(file, "(file)", "must be a YAML mapping with a 'config' key");
        }
        var errors = new ArrayList<ConfigError>();
        for (Object key : top.keySet()) {
            if (!PULUMI_STACK_KEYS.contains(String.valueOf(key))) {
                errors.add(new ConfigError(file, String.valueOf(key),
                        "unknown top-level key; allowed: " + String.join(", ", PULUMI_STACK_KEYS.stream().sorted().toList())));
            }
        }
        Object config = top.get("config");
        var values = new LinkedHashMap<String, Object>();
        if (config instanceof Map<?, ?> map) {
            for (var entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                if (recursive(entry.getValue(), java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()))) {
                    errors.add(new ConfigError(file, key, "refers to itself through a YAML alias (an endless value); "
                            + "write the value out"));
                } else {
                    values.put(key, topLevel(file, key, entry.getValue(), errors));
                }
            }
        } else if (config != null) {
            errors.add(new ConfigError(file, "config", "must be a mapping of namespaced keys to values"));
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new StackFile(file, stack, values);
    }

    /**
     * What a {@code secure:} value looks like: the base64 ciphertext the CLI writes, with the passphrase and
     * service providers' {@code v1:nonce:ciphertext} form or without a prefix (cloud KMS providers). Never decrypted offline.
     */
    static final java.util.regex.Pattern CIPHERTEXT = java.util.regex.Pattern.compile("[A-Za-z0-9+/=:]{4,65536}");

    /** Whether a value contains itself (a YAML alias inside its own anchor: {@code a: &r [*r]}). */
    private static boolean recursive(Object value, java.util.Set<Object> path) {
        if (!(value instanceof Map<?, ?>) && !(value instanceof List<?>)) {
            return false;
        }
        if (!path.add(value)) {
            return true;
        }
        var children = value instanceof Map<?, ?> map ? map.values() : (List<?>) value;
        for (Object child : children) {
            if (recursive(child, path)) {
                return true;
            }
        }
        path.remove(value);
        return false;
    }

    private static Object topLevel(String file, String key, Object value, List<ConfigError> errors) {
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            return tree(file, key, value, errors);
        }
        return value == null ? null : String.valueOf(value);
    }

    /** YAML → the engine's JSON shape: Long/Double numbers, {secure: …} → encrypted secret. */
    static Object tree(String file, String path, Object value, List<ConfigError> errors) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.containsKey("secure")) {
                if (!(map.get("secure") instanceof String ciphertext) || !CIPHERTEXT.matcher(ciphertext).matches()) {
                    errors.add(new ConfigError(file, path + ".secure", "is not a ciphertext that `pulumi config set "
                            + "--secret` writes (a base64 string, e.g. v1:...); set the value again with --secret"));
                }
                return SecretValue.ENCRYPTED;
            }
            var result = new LinkedHashMap<String, Object>();
            map.forEach((k, v) -> result.put(String.valueOf(k), tree(file, path + "." + k, v, errors)));
            return result;
        }
        if (value instanceof List<?> list) {
            var result = new ArrayList<Object>();
            for (int i = 0; i < list.size(); i++) {
                result.add(tree(file, path + "[" + i + "]", list.get(i), errors));
            }
            return result;
        }
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        if (value instanceof java.math.BigInteger big) {
            return big; // too large for any setting: kept exact so the range check refuses it
        }
        if (value instanceof Float || value instanceof Double) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof Boolean || value instanceof String || value == null) {
            return value;
        }
        return String.valueOf(value); // timestamps and other YAML scalars: as written
    }

    @Override
    public String file() {
        return file;
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
        return values.get(fullKey) instanceof SecretValue;
    }
}
