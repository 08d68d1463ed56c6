package dev.dataplatform.automation;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The seam between this project's automation and the Pulumi CLI: the few workspace operations it
 * uses, in its own types. {@link PulumiCliEngine} implements it with the Automation API
 * ({@code com.pulumi.automation.LocalWorkspace} on the project directory); tests mock it.
 *
 * <p>Every method may throw {@link PlatformException}: CLI missing, stack not found, another
 * update in progress, or the update failed.
 */
public interface PulumiEngine {

    List<String> listStacks();

    void createStack(String stack);

    void selectStack(String stack);

    /** Sets a config value at a key path ({@code data-platform:cloudSql.adminPassword}); encrypted if {@code secret}. */
    void setConfig(String stack, String key, String value, boolean secret);

    Changes preview(String stack, Consumer<Progress> progress);

    Changes up(String stack, Consumer<Progress> progress);

    Changes refresh(String stack, Consumer<Progress> progress);

    Changes destroy(String stack, Consumer<Progress> progress);

    /** The stack's outputs as JSON values (maps, lists, numbers, null); secret ones masked unless {@code showSecrets}. */
    Map<String, Output> outputs(String stack, boolean showSecrets);

    /** The stack's outputs, secrets masked. */
    default Map<String, Output> outputs(String stack) {
        return outputs(stack, false);
    }

    /** Resource changes of an operation by kind ({@code create}, {@code update}, {@code same}, ...). */
    record Changes(Map<String, Integer> byKind) {
        public Changes {
            byKind = Map.copyOf(byKind);
        }

        public int count(String kind) {
            return byKind.getOrDefault(kind, 0);
        }

        /** Anything other than {@code same}. */
        public boolean any() {
            return byKind.entrySet().stream().anyMatch(e -> !e.getKey().equals("same") && e.getValue() > 0);
        }
    }

    /**
     * One stack output: a JSON value as plain Java (Map, List, String, Long, Double, Boolean or null).
     * A secret's value is "[secret]" unless it was asked for.
     */
    record Output(Object value, boolean secret) {
    }

    /** What the engine is doing, for progress displays: a resource step, a diagnostic, or a summary. */
    record Progress(Kind kind, String operation, String urn, String type, String message) {
        public enum Kind { RESOURCE, DIAGNOSTIC, FAILURE, SUMMARY }

        /** The resource name at the end of the URN. */
        public String name() {
            return urn == null ? "" : urn.substring(urn.lastIndexOf("::") + 2);
        }
    }
}
