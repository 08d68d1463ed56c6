package dev.dataplatform.engine;

import com.google.protobuf.Struct;
import com.pulumi.Log;
import com.pulumi.resources.Resource;
import com.pulumi.test.Mocks;
import com.pulumi.test.internal.MockMonitor;
import pulumirpc.AliasOuterClass.Alias;
import pulumirpc.Resource.RegisterResourceOutputsRequest;
import pulumirpc.Resource.RegisterResourceRequest;
import pulumirpc.Resource.RegisterResourceResponse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A resource monitor that records every registration exactly as the engine would receive it
 * (inputs with their secret and unknown markers, and the resource options), and answers the way
 * a preview does: outputs are the inputs, IDs and computed properties are unknown.
 *
 * <p>The SDK's {@link MockMonitor} hands mocks only the known, unwrapped inputs and no options,
 * which is not enough to check protection, providers or secret masking; hence this subclass.
 */
final class RecordingMonitor extends MockMonitor {
    private static final String ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

    private final String project;
    private final String stack;
    private final boolean preview;
    private final List<PlannedResource> recorded = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Map<String, Object>> componentOutputs = new ConcurrentHashMap<>();
    /** The URNs registered so far: the engine refuses a second resource with the same URN. */
    private final Set<String> urns = ConcurrentHashMap.newKeySet();

    /** The stack's {@code pulumi:disable-default-providers}: packages (or "*") that need an explicit provider. */
    private final Set<String> disabledDefaultProviders;

    RecordingMonitor(Mocks mocks, Log log, String project, String stack, boolean preview, Set<String> disabledDefaultProviders) {
        super(mocks, log);
        this.project = project;
        this.stack = stack;
        this.preview = preview;
        this.disabledDefaultProviders = Set.copyOf(disabledDefaultProviders);
    }

    List<PlannedResource> recorded() {
        return List.copyOf(recorded);
    }

    Map<String, Map<String, Object>> componentOutputs() {
        return Map.copyOf(componentOutputs);
    }

    @Override
    public CompletableFuture<RegisterResourceResponse> registerResourceAsync(
            Resource resource, RegisterResourceRequest request) {
        this.resources.add(resource);
        String parent = request.getParent().isBlank() ? null : request.getParent();
        String urn = urn(parent, request.getType(), request.getName());
        if (!urns.add(urn)) {
            // As the engine's step generator (pkg/resource/deploy/step_generator.go generateURN, diagnostic
            // 2001 in sdk/go/common/diag/errors.go, pulumi v3.258.0): the registration fails and so does the run.
            return CompletableFuture.failedFuture(new DuplicateUrnException(urn));
        }
        if (request.getCustom() && request.getProvider().isBlank() && defaultProviderDenied(request.getType())) {
            return CompletableFuture.failedFuture(new DefaultProviderDeniedException(packageOf(request.getType()), urn));
        }
        recorded.add(new PlannedResource(
                urn,
                request.getType(),
                request.getName(),
                parent,
                request.getCustom(),
                Masking.mask(request.getObject()),
                new PlannedResource.Options(
                        request.getProtect(),
                        request.getRetainOnDelete(),
                        // The SDK collects dependencies in a set: sort them so plans are stable and diffable.
                        request.getDependenciesList().stream().sorted().toList(),
                        providerUrn(request.getProvider()),
                        aliases(request),
                        request.getVersion().isBlank() ? null : request.getVersion(),
                        List.copyOf(request.getIgnoreChangesList()))));

        var response = RegisterResourceResponse.newBuilder().setUrn(urn);
        if (ROOT_STACK_TYPE.equals(request.getType())) {
            return CompletableFuture.completedFuture(response.setObject(Struct.getDefaultInstance()).build());
        }
        // A preview knows no IDs: an empty ID is read back as unknown.
        response.setId(request.getCustom() && !preview ? request.getName() + "-id" : "");
        response.setObject(request.getObject());
        return CompletableFuture.completedFuture(response.build());
    }

    @Override
    public CompletableFuture<Void> registerResourceOutputsAsync(RegisterResourceOutputsRequest request) {
        componentOutputs.put(request.getUrn(), Masking.mask(request.getOutputs()));
        return CompletableFuture.completedFuture(null);
    }

    /**
     * The URN the engine assigns. Unlike the SDK's mock (which qualifies stack children with
     * "pulumi:pulumi:Stack$"), the engine leaves the root stack's type out of the type chain: these
     * URNs must be the real ones, since snapshots of them guard the identity of real databases.
     */
    String urn(String parentUrn, String type, String name) {
        String qualifiedType = type;
        if (parentUrn != null) {
            String parentType = qualifiedType(parentUrn);
            if (!parentType.equals(ROOT_STACK_TYPE)) {
                qualifiedType = parentType + "$" + type;
            }
        }
        return "urn:pulumi:" + stack + "::" + project + "::" + qualifiedType + "::" + name;
    }

    /** The third "::"-separated part of a URN, its qualified type (without a regex: this runs per resource). */
    private static String qualifiedType(String urn) {
        int project = urn.indexOf("::");
        int type = project < 0 ? -1 : urn.indexOf("::", project + 2);
        int name = type < 0 ? -1 : urn.indexOf("::", type + 2);
        if (name < 0) {
            throw new IllegalArgumentException("not a URN: " + urn);
        }
        return urn.substring(type + 2, name);
    }

    /** The real engine's refusal of a second resource with a URN already registered in the deployment. */
    static final class DuplicateUrnException extends IllegalStateException {
        DuplicateUrnException(String urn) {
            super(message(urn));
        }

        /** The engine's message (diagnostic 2001), word for word. */
        static String message(String urn) {
            return "Duplicate resource URN '" + urn + "'; try giving it a unique name";
        }
    }

    /**
     * As the engine (pkg/resource/deploy/default_providers.go shouldDenyRequest, pulumi v3.259.0): a custom
     * resource without an explicit provider asks for its package's default provider, which is refused when
     * pulumi:disable-default-providers lists the package or "*"; the "pulumi" package and provider
     * resources themselves are never refused.
     */
    private boolean defaultProviderDenied(String type) {
        if (type.startsWith("pulumi:")) {
            return false;
        }
        String pkg = packageOf(type);
        return disabledDefaultProviders.contains("*") || disabledDefaultProviders.contains(pkg);
    }

    /** The package of a type token: "kubernetes" for {@code kubernetes:core/v1:Namespace}. */
    static String packageOf(String type) {
        int colon = type.indexOf(':');
        return colon < 0 ? type : type.substring(0, colon);
    }

    /**
     * The real engine's refusal (step_generator.go, diagnostic 2015 GetDefaultProviderDenied in
     * sdk/go/common/diag/errors.go, pulumi v3.259.0), word for word.
     */
    static final class DefaultProviderDeniedException extends IllegalStateException {
        DefaultProviderDeniedException(String pkg, String urn) {
            super("Default provider for '" + pkg + "' disabled. '" + urn + "' must use an explicit provider.");
        }
    }

    /** A provider reference is "URN::ID"; the ID is unknown in a preview, so keep the URN. */
    private static String providerUrn(String reference) {
        if (reference == null || reference.isBlank()) {
            return null;
        }
        int separator = reference.lastIndexOf("::");
        return separator > 0 ? reference.substring(0, separator) : reference;
    }

    private static List<Object> aliases(RegisterResourceRequest request) {
        var result = new ArrayList<Object>(request.getAliasURNsList());
        for (Alias alias : request.getAliasesList()) {
            if (alias.hasSpec()) {
                var spec = alias.getSpec();
                var map = new LinkedHashMap<String, Object>();
                putIfSet(map, "name", spec.getName());
                putIfSet(map, "type", spec.getType());
                putIfSet(map, "stack", spec.getStack());
                putIfSet(map, "project", spec.getProject());
                putIfSet(map, "parentUrn", spec.getParentUrn());
                if (spec.getNoParent()) {
                    map.put("noParent", true);
                }
                result.add(map);
            } else {
                result.add(alias.getUrn());
            }
        }
        return result;
    }

    private static void putIfSet(Map<String, Object> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }
}
