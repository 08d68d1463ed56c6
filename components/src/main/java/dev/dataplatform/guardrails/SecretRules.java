package dev.dataplatform.guardrails;

import dev.dataplatform.engine.Masking;
import dev.dataplatform.engine.PlannedResource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** No secret may reach state, the plan or an export in plain text. */
final class SecretRules {
    /** A key that names a secret value (not a reference to one: "secretName" is fine). */
    static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(password|passwd|secret|token|apikey|api_key|privatekey|private_key|secretaccesskey|credentials)");
    /** A URI with a password in its user info: scheme://user:password@host. */
    static final Pattern URI_WITH_PASSWORD = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s:@]+:[^/\\s@]+@");

    /** The keys of a reference to a Secret (SecretKeySelector, {@code secret: {name}}): a name, never a value. */
    static final Set<String> REFERENCE_KEYS = Set.of("name", "key", "namespace", "optional");
    /** A value that is only a template expression ({@code {{ .password }}}), filled in by an operator later. */
    static final Pattern TEMPLATE_EXPRESSION = Pattern.compile("\\s*\\{\\{[^{}]*\\}\\}\\s*");

    private SecretRules() {
    }

    static Rule noPlaintextSecrets() {
        return new Rule("no-plaintext-secrets",
                "No secret in plain text in any resource input or stack output.",
                plan -> {
                    var findings = new ArrayList<Finding>();
                    for (PlannedResource resource : plan.resources()) {
                        boolean kubernetesSecret = resource.type().equals("kubernetes:core/v1:Secret");
                        resource.inputs().forEach((key, value) -> {
                            boolean secretData = kubernetesSecret && (key.equals("data") || key.equals("stringData"));
                            walk(key, value, secretData, !secretData, path -> findings.add(new Finding(
                                    "no-plaintext-secrets", Severity.ERROR, resource.urn(),
                                    "input '" + path + "' holds a secret in plain text: pass it as a secret "
                                            + "(Output.ofSecret / secure config) or reference it by name")));
                        });
                    }
                    plan.outputs().forEach((key, value) -> walk(key, value, false, true, path -> findings.add(new Finding(
                            "no-plaintext-secrets", Severity.ERROR, plan.stackUrn(),
                            "stack output '" + path + "' holds a secret in plain text: export it with Output.ofSecret"))));
                    return findings;
                });
    }

    private interface Sink {
        void report(String path);
    }

    /**
     * Reports every plain string that is a secret: under a secret-named key, anywhere below a
     * Kubernetes Secret's data, or a URI carrying a password. A reference to a Secret
     * ({@code {name, key}}) and a bare template expression are names, not values (except inside a
     * Secret's data, where {@code references} is false).
     */
    private static void walk(String path, Object value, boolean allSecret, boolean references, Sink sink) {
        if (value instanceof Map<?, ?> map) {
            if (references && !map.isEmpty() && REFERENCE_KEYS.containsAll(map.keySet().stream().map(String::valueOf).toList())
                    && map.values().stream().allMatch(v -> v instanceof String || v instanceof Boolean)) {
                // Only URIs with passwords can hide in a reference's strings.
                map.forEach((k, v) -> walk(path + "." + k, v, false, true, sink));
                return;
            }
            map.forEach((k, v) -> walk(path + "." + k, v, allSecret || isSecretKey(String.valueOf(k)), references, sink));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(path + "." + i, list.get(i), allSecret, references, sink);
            }
        } else if (value instanceof String s && isPlain(s) && !TEMPLATE_EXPRESSION.matcher(s).matches()) {
            boolean secretByName = allSecret || isSecretKey(lastSegment(path));
            if ((secretByName && !s.isEmpty()) || URI_WITH_PASSWORD.matcher(s).find()) {
                sink.report(path);
            }
        }
    }

    static boolean isSecretKey(String key) {
        return SECRET_KEY.matcher(key).matches();
    }

    private static boolean isPlain(String s) {
        return !s.equals(Masking.SECRET) && !s.equals(Masking.UNKNOWN);
    }

    private static String lastSegment(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
