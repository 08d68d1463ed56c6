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
 * Kubernetes Secret's data, a URI with a password): the {@code no-plaintext-secrets} guardrail
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
            result = replaced(inputs, result, key, entry.getValue(), masked);
        }
        return result;
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
            Map<Object, Object> result = null;
            int length = path.length();
            for (var entry : map.entrySet()) {
                String k = String.valueOf(entry.getKey());
                path.append('.').append(k);
                // Only URIs with passwords can hide in a reference's strings.
                Object masked = reference
                        ? plaintext(path, k, entry.getValue(), false, true, found)
                        : plaintext(path, k, entry.getValue(), allSecret || isSecretKey(k), references, found);
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
