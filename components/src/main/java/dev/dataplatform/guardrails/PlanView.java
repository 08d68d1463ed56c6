package dev.dataplatform.guardrails;

import dev.dataplatform.core.Environment;
import dev.dataplatform.engine.PlannedResource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the rules see: the environment, the recorded resources and the stack outputs. */
public record PlanView(Environment environment, List<PlannedResource> resources, Map<String, Object> outputs) {

    public Stream<PlannedResource> ofType(String type) {
        return resources.stream().filter(r -> r.type().equals(type));
    }

    /** The root stack's URN, for findings about outputs. */
    public String stackUrn() {
        return resources.stream()
                .filter(r -> r.type().equals("pulumi:pulumi:Stack"))
                .map(PlannedResource::urn)
                .findFirst()
                .orElse("stack");
    }
}
