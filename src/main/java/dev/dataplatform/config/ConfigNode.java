package dev.dataplatform.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A typed, path-aware reader over one object in the config tree. Every problem is recorded with
 * the file and key path (reading goes on, so one run reports all problems); {@link #finish()}
 * reports keys nobody read, with a "did you mean" hint.
 */
public final class ConfigNode {
    /** Any non-empty text: for values checked afterwards by a rule function. */
    public static final Pattern ANY = Pattern.compile("(?s).+");

    /** Collects problems and the key paths read (the config reference is checked against them). */
    public static final class Context {
        private final String file;
        private final List<ConfigError> errors = new ArrayList<>();
        private final Set<String> keysRead = new TreeSet<>();
        private final Set<String> missingSecrets = new TreeSet<>();
        private Set<String> extraRegions = Set.of();
        private final boolean secretsRequired;

        /** Under the engine: a required secret that is missing is an error. */
        public Context(String file) {
            this(file, true);
        }

        /**
         * @param secretsRequired false offline: the plan never decrypts secrets, so a required secret
         *                        the operator has not set yet is reported (see {@link #missingSecrets()}),
         *                        not an error
         */
        public Context(String file, boolean secretsRequired) {
            this.file = file;
            this.secretsRequired = secretsRequired;
        }

        /** Key paths of required secrets that are not set (offline only). */
        public Set<String> missingSecrets() {
            return Set.copyOf(missingSecrets);
        }

        /** Reports a problem; a second one at the same key path is dropped (one message per problem). */
        public void error(String path, String message) {
            if (errors.stream().noneMatch(e -> e.path().equals(path))) {
                errors.add(new ConfigError(file, path, message));
            }
        }

        /**
         * Whether a problem was reported at or below a key path (e.g. {@code data-platform:cloudSql}): a section
         * that failed is not reported again as "not configured" by the sections that refer to it.
         */
        public boolean failed(String path) {
            return errors.stream().anyMatch(e -> e.path().equals(path) || e.path().startsWith(path + ".")
                    || e.path().startsWith(path + "["));
        }

        public List<ConfigError> errors() {
            return List.copyOf(errors);
        }

        /** Regions the stack accepts beyond the known lists ({@code data-platform:extraRegions}). */
        public Set<String> extraRegions() {
            return extraRegions;
        }

        void extraRegions(java.util.Collection<String> regions) {
            this.extraRegions = Set.copyOf(regions);
        }

        /** Key paths read so far, with list indexes as "[]": data-platform:tenants[].name. */
        public Set<String> keysRead() {
            return Set.copyOf(keysRead);
        }

        /** A component's placement ({@code <block>.cluster}): the cluster named there, or null for the default. */
        record Placement(String path, String cluster, dev.dataplatform.kubernetes.Cluster.Identity needs) {
        }

        private final Map<ClustersConfig.Component, Placement> placements = new java.util.EnumMap<>(ClustersConfig.Component.class);

        void place(ClustersConfig.Component component, String path, String cluster,
                   dev.dataplatform.kubernetes.Cluster.Identity needs) {
            placements.put(component, new Placement(path, cluster, needs));
        }

        Map<ClustersConfig.Component, Placement> placements() {
            return Map.copyOf(placements);
        }

        public void throwIfErrors() {
            if (!errors.isEmpty()) {
                throw new ConfigException(errors);
            }
        }
    }

    private final Context context;
    private final String path;
    private final String schemaPath;
    private final Map<String, Object> values;
    private final Set<String> read = new LinkedHashSet<>();

    /**
     * True inside a top-level key the engine marked secret: when one nested value is set with
     * `--secret --path`, the engine hands over the whole key decrypted and marks only the key, so
     * plain strings below it may be the secret ones.
     */
    private boolean secretScope;
    /** At the root: the top-level keys (namespace stripped) that are secret. */
    private Set<String> secretKeys = Set.of();

    private ConfigNode(Context context, String path, String schemaPath, Map<String, Object> values) {
        this.context = context;
        this.path = path;
        this.schemaPath = schemaPath;
        this.values = values;
    }

    /** The root: a map of top-level keys (namespace already stripped) under {@code prefix}, e.g. "data-platform:". */
    public static ConfigNode root(Context context, String prefix, Map<String, Object> values) {
        return new ConfigNode(context, prefix, prefix, values);
    }

    /** The root, with the top-level keys the engine marked secret (namespace stripped). */
    public static ConfigNode root(Context context, String prefix, Map<String, Object> values, Set<String> secretKeys) {
        var root = new ConfigNode(context, prefix, prefix, values);
        root.secretKeys = Set.copyOf(secretKeys);
        return root;
    }

    private ConfigNode nested(String childPath, String childSchemaPath, Map<String, Object> childValues, String key) {
        var node = new ConfigNode(context, childPath, childSchemaPath, childValues);
        node.secretScope = secretScope || secretKeys.contains(key);
        return node;
    }

    public String path() {
        return path;
    }

    public Context context() {
        return context;
    }

    private String child(String key) {
        return path.endsWith(":") ? path + key : path + "." + key;
    }

    private String schemaChild(String key) {
        return schemaPath.endsWith(":") ? schemaPath + key : schemaPath + "." + key;
    }

    private Optional<Object> raw(String key) {
        read.add(key);
        context.keysRead.add(schemaChild(key));
        return Optional.ofNullable(values.get(key));
    }

    public boolean has(String key) {
        return values.containsKey(key) && values.get(key) != null;
    }

    /** {@code scheme://user:password@}: a credential written into a URL. */
    static final Pattern URL_CREDENTIALS = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]{0,30}://[^/@\\s:]{0,256}:[^/@\\s]{0,256}@");

    /** The longest plain string a setting may hold (names, ARNs, URLs, image references are far shorter). */
    public static final int MAX_STRING = 1024;

    public Optional<String> string(String key) {
        return raw(key).flatMap(v -> {
            if (v instanceof SecretValue) {
                context.error(child(key), "is a secret but must be plain text (it is not sensitive)");
                return Optional.empty();
            }
            var problem = scalarProblem(v);
            if (problem.isPresent()) {
                context.error(child(key), problem.get());
                return Optional.empty();
            }
            return Optional.of(String.valueOf(v));
        });
    }

    /**
     * Why a value cannot be a plain string setting: an object or list, a number YAML would not keep as
     * written (a decimal like 16.10 reads as 16.1), control characters, or more than {@value #MAX_STRING}
     * characters. Messages never repeat the value in full.
     */
    static Optional<String> scalarProblem(Object v) {
        if (v instanceof Map || v instanceof List) {
            return Optional.of("must be a string, not " + describe(v));
        }
        if (v instanceof Double || v instanceof java.math.BigInteger) {
            return Optional.of("must be a string, not the number " + describe(v) + ": quote it as written (YAML reads "
                    + "16.10 as 16.1), e.g. \"16.10\"");
        }
        if (v instanceof String text) {
            if (text.length() > MAX_STRING) {
                return Optional.of("is " + text.length() + " characters long; allowed: at most " + MAX_STRING);
            }
            if (URL_CREDENTIALS.matcher(text).find()) {
                return Optional.of("is a URL with credentials in it; allowed: a URL without user:password@ "
                        + "(credentials go in a secret store the program references)");
            }
            for (int i = 0; i < text.length(); i++) {
                if (Character.isISOControl(text.charAt(i))) {
                    return Optional.of("contains a control character (code " + (int) text.charAt(i)
                            + "); allowed: printable text only");
                }
            }
        }
        return Optional.empty();
    }

    public Optional<String> string(String key, Pattern allowed, String allowedDescription) {
        return string(key).filter(s -> {
            if (allowed.matcher(s).matches()) {
                return true;
            }
            context.error(child(key), "'" + s + "' is not valid; allowed: " + allowedDescription);
            return false;
        });
    }

    public Optional<String> requireString(String key, Pattern allowed, String allowedDescription) {
        if (!has(key)) {
            raw(key);
            context.error(child(key), "is required; allowed: " + allowedDescription);
            return Optional.empty();
        }
        return string(key, allowed, allowedDescription);
    }

    /** One of a fixed set of values, e.g. environment: dev | stage | prod. */
    public <E> Optional<E> oneOf(String key, Map<String, E> allowed) {
        return string(key).flatMap(s -> {
            if (allowed.containsKey(s)) {
                return Optional.of(allowed.get(s));
            }
            context.error(child(key), "'" + s + "' is not allowed; allowed: " + String.join(", ", allowed.keySet())
                    + hint(s, allowed.keySet()));
            return Optional.empty();
        });
    }

    public <E> Optional<E> requireOneOf(String key, Map<String, E> allowed) {
        if (!has(key)) {
            raw(key);
            context.error(child(key), "is required; allowed: " + String.join(", ", allowed.keySet()));
            return Optional.empty();
        }
        return oneOf(key, allowed);
    }

    public Optional<Integer> integer(String key, int min, int max) {
        return raw(key).flatMap(v -> {
            Long number = null;
            if (v instanceof Long l) {
                number = l;
            } else if (v instanceof String s && s.matches("-?\\d{1,10}")) {
                number = Long.parseLong(s);
            } else if (v instanceof java.math.BigInteger || v instanceof String s && s.matches("-?\\d{11,}")) {
                context.error(child(key), "is out of range; allowed: " + min + " to " + max);
                return Optional.empty();
            }
            if (number == null) {
                context.error(child(key), "must be a whole number from " + min + " to " + max + ", not " + describe(v));
                return Optional.empty();
            }
            if (number < min || number > max) {
                context.error(child(key), number + " is out of range; allowed: " + min + " to " + max);
                return Optional.empty();
            }
            return Optional.of(number.intValue());
        });
    }

    public Optional<Boolean> bool(String key) {
        return raw(key).flatMap(v -> {
            if (v instanceof Boolean b) {
                return Optional.of(b);
            }
            if (v instanceof String s && (s.equals("true") || s.equals("false"))) {
                return Optional.of(Boolean.parseBoolean(s));
            }
            context.error(child(key), "must be true or false, not " + describe(v));
            return Optional.empty();
        });
    }

    /** A required secret: missing is an error under the engine, and noted (not an error) offline. */
    public Optional<SecretValue> requireSecret(String key) {
        if (!has(key)) {
            raw(key);
            String how = "`pulumi config set --secret --path '" + child(key) + "' <value>`";
            if (context.secretsRequired) {
                context.error(child(key), "is required: set it with " + how);
                return Optional.empty();
            }
            context.missingSecrets.add(child(key));
            return Optional.of(SecretValue.MISSING);
        }
        return secret(key);
    }

    /** A value that must be given as a secret (pulumi config set --secret). */
    public Optional<SecretValue> secret(String key) {
        return raw(key).flatMap(v -> {
            if (v instanceof SecretValue s) {
                return Optional.of(s);
            }
            if (secretScope && v instanceof String plaintext) {
                return Optional.of(new SecretValue(plaintext)); // decrypted by the engine from a secret key
            }
            context.error(child(key), "is a secret and must not be plain text: set it with "
                    + "`pulumi config set --secret --path '" + child(key) + "' <value>`");
            return Optional.empty();
        });
    }

    public Optional<ConfigNode> object(String key) {
        return raw(key).flatMap(v -> {
            if (v instanceof Map<?, ?> map) {
                return Optional.of(nested(child(key), schemaChild(key), stringKeys(map), key));
            }
            context.error(child(key), "must be an object (key: value pairs), not " + describe(v));
            return Optional.empty();
        });
    }

    /**
     * A list of strings, each checked by {@code allowed}. Every list of strings in the config is a set
     * (subnets, security groups, CIDRs, members, extensions, namespaces): an entry given twice is refused,
     * since it would declare a second resource with the same name or satisfy a count it should not.
     */
    public List<String> strings(String key, Pattern allowed, String allowedDescription) {
        var result = new ArrayList<String>();
        var firstAt = new java.util.HashMap<String, Integer>();
        raw(key).ifPresent(v -> {
            if (!(v instanceof List<?> list)) {
                context.error(child(key), "must be a list, not " + describe(v));
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                Object item = list.get(i);
                String itemPath = child(key) + "[" + i + "]";
                if (item instanceof SecretValue || item == null) {
                    context.error(itemPath, "must be a string, not " + describe(item));
                } else if (scalarProblem(item).isPresent()) {
                    context.error(itemPath, scalarProblem(item).get());
                } else if (!allowed.matcher(String.valueOf(item)).matches()) {
                    context.error(itemPath, "'" + item + "' is not valid; allowed: " + allowedDescription);
                } else if (firstAt.putIfAbsent(String.valueOf(item), i) != null) {
                    context.error(itemPath, describe(item) + " is listed twice (also at [" + firstAt.get(String.valueOf(item))
                            + "]): each entry once");
                } else {
                    result.add(String.valueOf(item));
                }
            }
        });
        return result;
    }

    /** A list of strings, each checked by one of the components' rule functions; invalid items are left out. */
    public List<String> checkedStrings(String key, java.util.function.Function<String, Optional<String>> rule) {
        var values = strings(key, ANY, "strings");
        var result = new ArrayList<String>();
        for (int i = 0; i < values.size(); i++) {
            var problem = rule.apply(values.get(i));
            if (problem.isPresent()) {
                context.error(child(key) + "[" + i + "]", problem.get());
            } else {
                result.add(values.get(i));
            }
        }
        return result;
    }

    /** An optional string checked by one of the components' rule functions. */
    public Optional<String> string(String key, java.util.function.Function<String, Optional<String>> rule) {
        return checked(key, string(key), rule);
    }

    /** A required string checked by one of the components' rule functions; {@code what} says what is missing. */
    public Optional<String> requireString(String key, String what, java.util.function.Function<String, Optional<String>> rule) {
        return checked(key, requireString(key, ANY, what), rule);
    }

    /**
     * An optional PostgreSQL login or role name: {@link dev.dataplatform.access.Names#loginProblem} (format, the
     * reserved {@code pg_} prefix, at most 63 bytes). Every role name in config is read through this or
     * {@link #requireRoleName}.
     */
    public Optional<String> roleName(String key) {
        return checked(key, string(key), dev.dataplatform.access.Names::loginProblem);
    }

    /** A required PostgreSQL login or role name (see {@link #roleName}). */
    public Optional<String> requireRoleName(String key) {
        return checked(key, requireString(key, ANY, dev.dataplatform.access.Names.LOGIN_RULE),
                dev.dataplatform.access.Names::loginProblem);
    }

    /**
     * A required name of a database the access model declares: an identifier whose group roles
     * ({@code D_owner}, {@code D_writer}, {@code D_reader}) are valid role names
     * ({@link dev.dataplatform.access.Names#databaseProblem}).
     */
    public Optional<String> requireDatabaseName(String key) {
        return checked(key, requireString(key, ANY, dev.dataplatform.access.Names.IDENTIFIER_RULE),
                dev.dataplatform.access.Names::databaseProblem);
    }

    /** An optional name of a database the access model declares (see {@link #requireDatabaseName}). */
    public Optional<String> databaseName(String key) {
        return checked(key, string(key), dev.dataplatform.access.Names::databaseProblem);
    }

    /** Checks a value with one of the components' rule functions (problem text or empty). */
    public Optional<String> checked(String key, Optional<String> value, java.util.function.Function<String, Optional<String>> rule) {
        return value.filter(v -> {
            var problem = rule.apply(v);
            problem.ifPresent(p -> context.error(child(key), p));
            return problem.isEmpty();
        });
    }

    /** A list of objects; each element is read by {@code element}. */
    public <T> List<T> objects(String key, Function<ConfigNode, Optional<T>> element) {
        var result = new ArrayList<T>();
        raw(key).ifPresent(v -> {
            if (!(v instanceof List<?> list)) {
                context.error(child(key), "must be a list, not " + describe(v));
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                String itemPath = child(key) + "[" + i + "]";
                if (list.get(i) instanceof Map<?, ?> map) {
                    var node = nested(itemPath, schemaChild(key) + "[]", stringKeys(map), key);
                    element.apply(node).ifPresent(result::add);
                    node.finish();
                } else {
                    context.error(itemPath, "must be an object, not " + describe(list.get(i)));
                }
            }
        });
        return result;
    }

    /**
     * An object of named objects (clusters by name): each value is read as a node; key paths in the
     * reference use {@code placeholder} for the name, e.g. {@code data-platform:clusters.<name>.kind}.
     */
    public Map<String, ConfigNode> namedObjects(String key, String placeholder) {
        var result = new LinkedHashMap<String, ConfigNode>();
        raw(key).ifPresent(v -> {
            if (!(v instanceof Map<?, ?> map)) {
                context.error(child(key), "must be an object of named objects, not " + describe(v));
                return;
            }
            map.forEach((k, value) -> {
                String itemPath = child(key) + "." + k;
                if (value instanceof Map<?, ?> item) {
                    result.put(String.valueOf(k), nested(itemPath, schemaChild(key) + "." + placeholder, stringKeys(item), key));
                } else {
                    context.error(itemPath, "must be an object, not " + describe(value));
                }
            });
        });
        return result;
    }

    /** A map of free-form keys (e.g. labels) to strings; keys and values checked by the patterns. */
    public Map<String, String> stringMap(String key, Pattern keyPattern, String keyRule, Pattern valuePattern, String valueRule) {
        var result = new LinkedHashMap<String, String>();
        raw(key).ifPresent(v -> {
            if (!(v instanceof Map<?, ?> map)) {
                context.error(child(key), "must be an object (key: value pairs), not " + describe(v));
                return;
            }
            map.forEach((k, value) -> {
                String entryPath = child(key) + "." + k;
                String name = String.valueOf(k);
                if (!keyPattern.matcher(name).matches()) {
                    context.error(entryPath, "key '" + name + "' is not valid; allowed: " + keyRule);
                } else if (value instanceof Map || value instanceof List || value instanceof SecretValue || value == null) {
                    context.error(entryPath, "must be a plain string, not " + describe(value));
                } else if (scalarProblem(value).isPresent()) {
                    context.error(entryPath, scalarProblem(value).get());
                } else if (!valuePattern.matcher(String.valueOf(value)).matches()) {
                    context.error(entryPath, "'" + value + "' is not valid; allowed: " + valueRule);
                } else {
                    result.put(name, String.valueOf(value));
                }
            });
        });
        return result;
    }

    public void error(String key, String message) {
        context.error(key == null ? path : child(key), message);
    }

    /** Reports every key that was not read: a typo or a key this version does not know. */
    public void finish() {
        for (String key : values.keySet()) {
            if (!read.contains(key)) {
                context.error(child(key), "unknown key" + hint(key, read) + "; allowed here: "
                        + (read.isEmpty() ? "(none)" : String.join(", ", new TreeSet<>(read))));
            }
        }
    }

    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof SecretValue) {
            return "a secret";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "a list";
        }
        String text = String.valueOf(value);
        if (text.length() > 60) {
            text = text.substring(0, 60) + "...";
        }
        var printable = new StringBuilder();
        text.codePoints().forEach(c -> printable.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return "'" + printable + "'";
    }

    /** " (did you mean 'x'?)" when a known key is within two edits. */
    static String hint(String given, Collection<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : known) {
            int d = distance(given.toLowerCase(), candidate.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        var result = new LinkedHashMap<String, Object>();
        map.forEach((k, v) -> result.put(String.valueOf(k), v));
        return result;
    }
}
