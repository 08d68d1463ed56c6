package dev.dataplatform.testing;

import com.pulumi.Context;
import dev.dataplatform.core.Environment;
import dev.dataplatform.engine.OfflineEngine;
import dev.dataplatform.engine.OfflineEngine.RunOptions;
import dev.dataplatform.engine.PlannedResource;
import dev.dataplatform.guardrails.Finding;
import dev.dataplatform.guardrails.Guardrails;
import dev.dataplatform.guardrails.PlanView;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The one test harness: runs a program or a single component on the offline engine (the same one
 * the plan uses) and reads back resources, inputs, options, outputs and guardrail findings.
 * Every lookup fails with a list of what does exist, so a failing test says why.
 */
public final class Harness {
    public static final String PROJECT = "data-platform";

    private Harness() {
    }

    /** Runs {@code program} as a preview of {@code stack}. */
    public static Run preview(String stack, Consumer<Context> program) {
        return new Run(OfflineEngine.run(RunOptions.preview(PROJECT, stack), program));
    }

    /** Runs {@code program} as a preview of the stack named after {@code environment}. */
    public static Run preview(Environment environment, Consumer<Context> program) {
        return preview(environment.id(), program);
    }

    /** Runs with engine config (full keys) available to {@code ctx.config()}. */
    public static Run preview(String stack, Map<String, String> config, Set<String> secretKeys, Consumer<Context> program) {
        return new Run(OfflineEngine.run(RunOptions.preview(PROJECT, stack).withConfig(config, secretKeys), program));
    }

    /** What one run recorded. */
    public record Run(OfflineEngine.Recording recording) {

        /** Fails the test with the program's own exception if the run failed. */
        public Run succeeded() {
            recording.orThrow();
            return this;
        }

        public List<PlannedResource> resources() {
            return recording.resources();
        }

        public List<PlannedResource> all(String type) {
            return recording.resources().stream().filter(r -> r.type().equals(type)).toList();
        }

        public long count(String type) {
            return all(type).size();
        }

        /** The one resource of {@code type} named {@code name}. */
        public PlannedResource resource(String type, String name) {
            var matches = recording.resources().stream()
                    .filter(r -> r.type().equals(type) && r.name().equals(name))
                    .toList();
            if (matches.size() != 1) {
                throw new AssertionError("expected one " + type + " named '" + name + "', found " + matches.size()
                        + "; recorded:\n  " + recording.resources().stream()
                        .map(r -> r.type() + " " + r.name()).collect(Collectors.joining("\n  ")));
            }
            return matches.get(0);
        }

        /** An input of the named resource by dotted path; fails if absent. */
        public Object input(String type, String name, String path) {
            var resource = resource(type, name);
            return resource.input(path).orElseThrow(() -> new AssertionError(
                    type + " '" + name + "' has no input '" + path + "'; inputs: " + resource.inputs()));
        }

        /** A stack output as the plan prints it (secrets and unknowns masked). */
        public Object output(String name) {
            if (!recording.outputs().containsKey(name)) {
                throw new AssertionError("no stack output '" + name + "'; outputs: " + recording.outputs().keySet());
            }
            return recording.outputs().get(name);
        }

        public List<Finding> findings(Environment environment) {
            return Guardrails.evaluate(new PlanView(environment, recording.resources(), recording.outputs()));
        }

        public List<String> urns() {
            return recording.resources().stream().map(PlannedResource::urn).toList();
        }
    }
}
