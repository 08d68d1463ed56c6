package dev.dataplatform.engine;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns the wire form of resource inputs (protobuf Struct with Pulumi's special signatures) into
 * plain Java values that are safe to print: secrets become {@value #SECRET}, values not known until
 * the resource exists become {@value #UNKNOWN}. Map keys are sorted so plans are diffable.
 *
 * <p>It also knows what a secret in plain text looks like (a value under a secret-named key, a
 * Kubernetes Secret's data, a URI with a password, an environment variable named like a secret with a
 * literal value, a {@code password=…} line in a ConfigMap's body, a well-known credential's shape): the {@code no-plaintext-secrets} guardrail
 * reports those, and the plan masks them before it prints anything. Every check here runs in time
 * linear in the value's length (no regular expression), so a hostile value cannot stall a plan.
 */
public final class Masking {
    public static final String SECRET = "[secret]";
    public static final String UNKNOWN = "[unknown]";

    // Pulumi's wire protocol constants (com.pulumi.core.internal.Constants).
    static final String UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    static final String SIG_KEY = "4dabf18193072939515e22adb298388d";
    static final String SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
    static final String RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
    static final String ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
    static final String ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
    static final String OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

    /** Names that mark a key as holding a secret value when a key ends with one (any case). */
    static final List<String> SECRET_KEY_SUFFIXES = List.of("password", "passwd", "secret", "token", "apikey",
            "api_key", "privatekey", "private_key", "secretaccesskey", "credentials");
    /**
     * Keys that end like a secret but name a Kubernetes Secret: dagster-k8s's run launcher field
     * {@code postgres_password_secret} ("the name of the Kubernetes Secret where the postgres password can be
     * retrieved", dagster_k8s/job.py).
     */
    static final Set<String> SECRET_NAME_KEYS = Set.of("postgres_password_secret");
    /** The keys of a reference to a Secret (SecretKeySelector, {@code secret: {name}}): a name, never a value. */
    static final Set<String> REFERENCE_KEYS = Set.of("name", "key", "namespace", "optional");
    private static final String KUBERNETES_SECRET = "kubernetes:core/v1:Secret";
    private static final String KUBERNETES_CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
    /** Words of an environment variable's name that make its value a secret (PGPASSWORD, API_TOKEN, SECRET_KEY). */
    static final Set<String> SECRET_ENV_WORDS = Set.of("PASSWORD", "PGPASSWORD", "PASSWD", "PWD", "SECRET", "TOKEN", "KEY",
            "APIKEY", "CREDENTIALS", "PRIVATEKEY");
    /** Last words of an environment variable's name that make it name a place or a reference, not a value (TOKEN_FILE, SECRET_NAME). */
    static final Set<String> REFERENCE_ENV_WORDS = Set.of("FILE", "PATH", "DIR", "NAME", "NAMES", "REF", "ARN", "ID", "PREFIX",
            "HEADER", "TYPE", "LENGTH", "TTL", "URL", "URI", "ENDPOINT", "REGION", "PARAMETER", "KEYS", "MOUNT", "VERSION",
            "SECONDS", "MINUTES", "HOURS", "DAYS", "INTERVAL", "TIMEOUT", "COUNT", "SIZE", "LIMIT", "ENABLED", "MODE", "FORMAT",
            "AUDIENCE", "ISSUER", "SCOPE", "SCOPES", "EXPIRY", "LIFETIME");

    private Masking() {
    }

    /**
     * Whether a key names a secret value: it ends with one of {@link #SECRET_KEY_SUFFIXES}, in any
     * case ("dbPassword", "API_KEY"). A reference to a secret ("secretName", "passwordSecretRef") does not.
     */
    public static boolean isSecretKey(String key) {
        if (SECRET_NAME_KEYS.contains(key)) {
            return false;
        }
        for (String suffix : SECRET_KEY_SUFFIXES) {
            if (key.regionMatches(true, key.length() - suffix.length(), suffix, 0, suffix.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an environment variable's name says its value is a secret: an upper-case name
     * ({@code [A-Z_][A-Z0-9_]*}) with a word of {@link #SECRET_ENV_WORDS} ({@code PGPASSWORD}, {@code
     * API_TOKEN}, {@code SECRET_KEY}) whose last word is not one of {@link #REFERENCE_ENV_WORDS}
     * ({@code AWS_WEB_IDENTITY_TOKEN_FILE}, {@code DB_PASSWORD_SECRET_NAME} name places, not values).
     */
    public static boolean isSecretEnvName(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9'))) {
                return false;
            }
        }
        String[] words = name.split("_+");
        if (words.length == 0 || REFERENCE_ENV_WORDS.contains(words[words.length - 1])) {
            return false;
        }
        for (String word : words) {
            if (SECRET_ENV_WORDS.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code s} has the shape of a well-known credential, wherever it appears: a PEM private
     * key, an AWS access key ID ({@code AKIA}/{@code ASIA} and 16 upper-case letters or digits), a
     * GitHub, GitLab or Slack token. Linear in the length of {@code s}.
     */
    public static boolean looksLikeCredential(String s) {
        int begin = s.indexOf("-----BEGIN ");
        if (begin >= 0) {
            int end = s.indexOf("-----", begin + 11);
            if (end > 0 && s.substring(begin, end).endsWith("PRIVATE KEY")) {
                return true;
            }
        }
        for (String prefix : List.of("AKIA", "ASIA")) {
            for (int i = s.indexOf(prefix); i >= 0; i = s.indexOf(prefix, i + 1)) {
                boolean startsWord = i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1));
                int j = i + 4;
                while (j < s.length() && j < i + 20 && ((s.charAt(j) >= 'A' && s.charAt(j) <= 'Z') || (s.charAt(j) >= '0' && s.charAt(j) <= '9'))) {
                    j++;
                }
                boolean endsWord = j == s.length() || !Character.isLetterOrDigit(s.charAt(j));
                if (startsWord && j == i + 20 && endsWord) {
                    return true;
                }
            }
        }
        for (String prefix : List.of("ghp_", "gho_", "ghs_", "github_pat_", "glpat-", "xoxb-", "xoxp-")) {
            int i = s.indexOf(prefix);
            if (i >= 0 && (i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1))) && s.length() - i - prefix.length() >= 16) {
                return true;
            }
        }
        return false;
    }

    /**
     * The values of {@code key=value} / {@code key: value} lines of a configuration body (a ConfigMap's
     * data: properties, YAML, env files, shell) whose key names a secret ({@link #isSecretKey} of its
     * last dotted part, or {@link #isSecretEnvName}) and whose value is a literal: not empty, not a
     * shell or template expansion ({@code $…}, <code>{{ … }}</code>), not a path. Returns the
     * start and end offsets of each value in {@code body}, and the offset of its separator.
     */
    static List<int[]> secretAssignments(String body) {
        var found = new ArrayList<int[]>();
        int n = body.length();
        int lineStart = 0;
        while (lineStart < n) {
            int lineEnd = body.indexOf('\n', lineStart);
            if (lineEnd < 0) {
                lineEnd = n;
            }
            int sep = -1;
            for (int i = lineStart; i < lineEnd; i++) {
                char c = body.charAt(i);
                if (c == '=' || c == ':') {
                    sep = i;
                    break;
                }
            }
            if (sep > lineStart) {
                String key = unquote(body.substring(lineStart, sep).trim());
                if (key.startsWith("export ")) {
                    key = key.substring(7).trim();
                }
                if (key.startsWith("- ")) {
                    key = unquote(key.substring(2).trim());
                }
                boolean identifier = !key.isEmpty() && key.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-');
                String last = key.substring(key.lastIndexOf('.') + 1);
                if (identifier && (isSecretKey(last) || isSecretEnvName(key))) {
                    int vs = sep + 1;
                    int ve = lineEnd;
                    while (vs < ve && space(body.charAt(vs))) {
                        vs++;
                    }
                    while (ve > vs && (space(body.charAt(ve - 1)) || body.charAt(ve - 1) == ',')) {
                        ve--;
                    }
                    if (ve - vs >= 2 && (body.charAt(vs) == '"' || body.charAt(vs) == '\'') && body.charAt(ve - 1) == body.charAt(vs)) {
                        vs++;
                        ve--;
                    }
                    String value = body.substring(vs, ve);
                    if (!value.isEmpty() && !value.startsWith("$") && !value.startsWith("{{") && !value.startsWith("/")
                            && !value.startsWith("[") && !value.startsWith("{") && !value.equals("|") && !value.equals(">")
                            && !value.equals(SECRET) && !value.equals(UNKNOWN)) {
                        found.add(new int[]{vs, ve, sep});
                    }
                }
            }
            lineStart = lineEnd + 1;
        }
        return found;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && (s.charAt(0) == '"' || s.charAt(0) == '\'') && s.charAt(s.length() - 1) == s.charAt(0)
                ? s.substring(1, s.length() - 1) : s;
    }

    /** Whether {@code s} holds a URI with a password in its user info: {@code scheme://user:password@host}. */
    public static boolean hasUriPassword(String s) {
        return uriPasswords(s, null);
    }

    /** {@code s} with the password of every URI in it replaced by {@value #SECRET} ({@code https://user:[secret]@host}). */
    public static String maskUriPasswords(String s) {
        if (s == null) {
            return null;
        }
        var out = new StringBuilder();
        return uriPasswords(s, out) ? out.toString() : s;
    }

    /**
     * Finds URIs with a password, in one pass: for every "://", a scheme before it (a letter, then
     * letters, digits, '+', '.', '-'), then a user (no '/', ':', '@' or space), ':', a password (no
     * '/', '@' or space) and '@'. With {@code out}, writes {@code s} with the passwords masked.
     */
    private static boolean uriPasswords(String s, StringBuilder out) {
        boolean found = false;
        int copied = 0;
        int n = s.length();
        for (int i = s.indexOf("://"); i >= 0; i = s.indexOf("://", i + 1)) {
            boolean letter = false;
            for (int j = i - 1; j >= 0 && schemeChar(s.charAt(j)); j--) {
                letter |= asciiLetter(s.charAt(j));
            }
            if (!letter) {
                continue;
            }
            int user = i + 3;
            int p = user;
            while (p < n && !space(s.charAt(p)) && "/:@".indexOf(s.charAt(p)) < 0) {
                p++;
            }
            if (p == user || p >= n || s.charAt(p) != ':') {
                continue;
            }
            int q = p + 1;
            while (q < n && !space(s.charAt(q)) && "/@".indexOf(s.charAt(q)) < 0) {
                q++;
            }
            if (q == p + 1 || q >= n || s.charAt(q) != '@') {
                continue;
            }
            found = true;
            if (out == null) {
                return true;
            }
            out.append(s, copied, p + 1).append(SECRET);
            copied = q;
            i = q;
        }
        if (out != null && found) {
            out.append(s, copied, n);
        }
        return found;
    }

    private static boolean asciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean schemeChar(char c) {
        return asciiLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '.' || c == '-';
    }

    /** Java regex's {@code \s}: space, tab, newline, vertical tab, form feed, carriage return. */
    private static boolean space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    /** A value that is only a template expression ({@code {{ .password }}}), filled in by an operator later. */
    static boolean isTemplateExpression(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && space(s.charAt(start))) {
            start++;
        }
        while (end > start && space(s.charAt(end - 1))) {
            end--;
        }
        if (end - start < 4 || !s.startsWith("{{", start) || !s.startsWith("}}", end - 2)) {
            return false;
        }
        for (int i = start + 2; i < end - 2; i++) {
            if (s.charAt(i) == '{' || s.charAt(i) == '}') {
                return false;
            }
        }
        return true;
    }

    /** Receives each plain-text secret found: its dotted path (as the guardrail reports it) and its value. */
    @FunctionalInterface
    public interface Found {
        void at(String path, String value);
    }

    /**
     * A resource's inputs with every plain-text secret masked; {@code found} receives each. Returns
     * {@code inputs} itself when nothing is masked.
     */
    public static Map<String, Object> maskPlaintextInputs(String type, Map<String, Object> inputs, Found found) {
        boolean kubernetesSecret = KUBERNETES_SECRET.equals(type);
        Map<String, Object> result = inputs;
        for (var entry : inputs.entrySet()) {
            String key = entry.getKey();
            boolean secretData = kubernetesSecret && (key.equals("data") || key.equals("stringData"));
            Object masked = plaintext(new StringBuilder(key), key, entry.getValue(), secretData, !secretData, found);
            if (KUBERNETES_CONFIG_MAP.equals(type) && key.equals("data") && masked instanceof Map<?, ?> data) {
                masked = configMapBodies(data, found);
            }
            result = replaced(inputs, result, key, entry.getValue(), masked);
        }
        return result;
    }

    /** A ConfigMap's data with the literal secret assignments of each body masked ({@code password=[secret]}). */
    private static Object configMapBodies(Map<?, ?> data, Found found) {
        Map<Object, Object> result = null;
        for (var entry : data.entrySet()) {
            if (!(entry.getValue() instanceof String body)) {
                continue;
            }
            var assignments = secretAssignments(body);
            if (assignments.isEmpty()) {
                continue;
            }
            var masked = new StringBuilder();
            int copied = 0;
            for (int[] a : assignments) {
                String value = body.substring(a[0], a[1]);
                String assignment = body.substring(body.lastIndexOf('\n', a[2]) + 1, a[2] + 1).trim();
                found.at("data." + entry.getKey() + " (" + assignment + ")", value);
                masked.append(body, copied, a[0]).append(SECRET);
                copied = a[1];
            }
            masked.append(body, copied, body.length());
            if (result == null) {
                result = new LinkedHashMap<>(data);
            }
            result.put(entry.getKey(), masked.toString());
        }
        return result == null ? data : result;
    }

    /** Stack outputs with every plain-text secret masked, as {@link #maskPlaintextInputs}. */
    public static Map<String, Object> maskPlaintextOutputs(Map<String, Object> outputs, Found found) {
        Map<String, Object> result = outputs;
        for (var entry : outputs.entrySet()) {
            Object masked = plaintext(new StringBuilder(entry.getKey()), entry.getKey(), entry.getValue(), false, true, found);
            result = replaced(outputs, result, entry.getKey(), entry.getValue(), masked);
        }
        return result;
    }

    /** Copies {@code original} into a new map on the first change, so unchanged values are shared. */
    private static <K> Map<K, Object> replaced(Map<K, Object> original, Map<K, Object> current, K key, Object before, Object after) {
        if (after == before) {
            return current;
        }
        var copy = current == original ? new LinkedHashMap<>(original) : current;
        copy.put(key, after);
        return copy;
    }

    /**
     * Masks every plain string that is a secret: under a secret-named key, anywhere below a
     * Kubernetes Secret's data ({@code allSecret}), or a URI carrying a password. A reference to a
     * Secret ({@code {name, key}}) and a bare template expression are names, not values (except
     * inside a Secret's data, where {@code references} is false). Returns {@code value} itself when
     * nothing below it is masked; {@code path} is restored before returning.
     */
    private static Object plaintext(StringBuilder path, String key, Object value, boolean allSecret, boolean references,
                                    Found found) {
        if (value instanceof Map<?, ?> map) {
            boolean reference = references && !map.isEmpty()
                    && map.keySet().stream().allMatch(k -> REFERENCE_KEYS.contains(String.valueOf(k)))
                    && map.values().stream().allMatch(v -> v instanceof String || v instanceof Boolean);
            // An environment variable ({name, value}) whose name says it holds a secret: its value is one.
            boolean secretEnv = map.get("name") instanceof String envName && map.get("value") instanceof String
                    && isSecretEnvName(envName);
            Map<Object, Object> result = null;
            int length = path.length();
            for (var entry : map.entrySet()) {
                String k = String.valueOf(entry.getKey());
                path.append('.').append(k);
                // Only URIs with passwords can hide in a reference's strings.
                Object masked = reference
                        ? plaintext(path, k, entry.getValue(), false, true, found)
                        : plaintext(path, k, entry.getValue(), allSecret || isSecretKey(k) || (secretEnv && k.equals("value")),
                        references, found);
                path.setLength(length);
                if (masked != entry.getValue()) {
                    if (result == null) {
                        result = new LinkedHashMap<>(map);
                    }
                    result.put(entry.getKey(), masked);
                }
            }
            return result == null ? value : result;
        }
        if (value instanceof List<?> list) {
            List<Object> result = null;
            int length = path.length();
            for (int i = 0; i < list.size(); i++) {
                path.append('.').append(i);
                Object masked = plaintext(path, String.valueOf(i), list.get(i), allSecret, references, found);
                path.setLength(length);
                if (masked != list.get(i)) {
                    if (result == null) {
                        result = new ArrayList<>(list);
                    }
                    result.set(i, masked);
                }
            }
            return result == null ? value : result;
        }
        if (value instanceof String s && !s.equals(SECRET) && !s.equals(UNKNOWN) && !isTemplateExpression(s)) {
            boolean secretByName = allSecret || isSecretKey(key);
            if (secretByName && !s.isEmpty()) {
                found.at(path.toString(), s);
                return SECRET;
            }
            if (hasUriPassword(s)) {
                found.at(path.toString(), s);
                return maskUriPasswords(s);
            }
            if (looksLikeCredential(s)) {
                found.at(path.toString(), s);
                return SECRET;
            }
        }
        return value;
    }

    public static Map<String, Object> mask(Struct struct) {
        var result = new TreeMap<String, Object>();
        struct.getFieldsMap().forEach((key, value) -> result.put(key, mask(value)));
        return result;
    }

    public static Object mask(Value value) {
        switch (value.getKindCase()) {
            case NULL_VALUE:
            case KIND_NOT_SET:
                return null;
            case BOOL_VALUE:
                return value.getBoolValue();
            case NUMBER_VALUE:
                double d = value.getNumberValue();
                if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                    return (long) d;
                }
                return d;
            case STRING_VALUE:
                return UNKNOWN_VALUE.equals(value.getStringValue()) ? UNKNOWN : value.getStringValue();
            case LIST_VALUE:
                List<Object> list = new ArrayList<>();
                value.getListValue().getValuesList().forEach(v -> list.add(mask(v)));
                return list;
            case STRUCT_VALUE:
                return maskStruct(value.getStructValue());
            default:
                throw new IllegalStateException("unexpected protobuf value kind " + value.getKindCase());
        }
    }

    private static Object maskStruct(Struct struct) {
        var fields = struct.getFieldsMap();
        Value sig = fields.get(SIG_KEY);
        if (sig == null) {
            return mask(struct);
        }
        String signature = sig.getStringValue();
        switch (signature) {
            case SECRET_SIG:
                return SECRET;
            case RESOURCE_SIG:
                // A reference to another resource: print its URN.
                return Optional.ofNullable(fields.get("urn")).map(Value::getStringValue).orElse(UNKNOWN);
            case OUTPUT_SIG:
                if (fields.containsKey("secret") && fields.get("secret").getBoolValue()) {
                    return SECRET;
                }
                return fields.containsKey("value") ? mask(fields.get("value")) : UNKNOWN;
            case ASSET_SIG:
            case ARCHIVE_SIG:
                var asset = new LinkedHashMap<String, Object>();
                asset.put("kind", ASSET_SIG.equals(signature) ? "asset" : "archive");
                for (String key : List.of("path", "uri")) {
                    if (fields.containsKey(key)) {
                        asset.put(key, fields.get(key).getStringValue());
                    }
                }
                return asset;
            default:
                throw new IllegalStateException("unexpected Pulumi value signature " + signature);
        }
    }
}
