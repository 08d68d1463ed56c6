package dev.dataplatform.plan;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static dev.dataplatform.plan.CliTest.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The committed stacks' {@code plan --json} documents, planned once per test JVM and shared by the classes that read them. */
final class StackPlans {
    static final Path ROOT = Path.of("..");
    static final List<String> STACKS = List.of("dev", "stage", "prod");
    private static final Map<String, Map<String, Object>> PLANS = new ConcurrentHashMap<>();

    private StackPlans() {
    }

    /** The committed stack's plan document (resources, outputs, findings), as plain maps and lists. */
    static Map<String, Object> of(String stack) {
        return PLANS.computeIfAbsent(stack, s -> {
            var outcome = plan("plan", "--stack", s, "--json", "--cwd", ROOT.toString());
            assertEquals(0, outcome.code(), outcome.err());
            return new Gson().fromJson(outcome.out(), new TypeToken<Map<String, Object>>() { }.getType());
        });
    }

    /** The plan's resources of one type. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> resources(String stack, String type) {
        return ((List<Map<String, Object>>) of(stack).get("resources")).stream().filter(r -> type.equals(r.get("type"))).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> inputs(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("inputs");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> options(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("options");
    }
}
