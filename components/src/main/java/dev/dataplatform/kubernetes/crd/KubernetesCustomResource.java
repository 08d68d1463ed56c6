package dev.dataplatform.kubernetes.crd;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.Import;
import com.pulumi.kubernetes.Utilities;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.kubernetes.meta.v1.outputs.ObjectMeta;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.ResourceArgs;

import java.util.Map;
import java.util.Objects;

/**
 * An instance of a custom resource, declared through pulumi-kubernetes (whose Java SDK 4.0.0 has no
 * generic CustomResource): type {@code kubernetes:<apiVersion>:<Kind>}, inputs {@code apiVersion},
 * {@code kind}, {@code metadata} and the typed {@code spec}. The provider plugin version is pinned
 * to the one the kubernetes SDK ships, as its own resources do.
 */
public final class KubernetesCustomResource extends CustomResource {
    @Export(name = "apiVersion", refs = {String.class}, tree = "[0]")
    private Output<String> apiVersion;
    @Export(name = "kind", refs = {String.class}, tree = "[0]")
    private Output<String> kind;
    @Export(name = "metadata", refs = {ObjectMeta.class}, tree = "[0]")
    private Output<ObjectMeta> metadata;

    public KubernetesCustomResource(String name, ObjectMetaArgs metadata, CrdSpec spec, CustomResourceOptions options) {
        super(Objects.requireNonNull(spec, "spec").kind().token(), name, Args.of(metadata, spec), withVersion(options));
    }

    public Output<String> apiVersion() {
        return apiVersion;
    }

    public Output<String> kind() {
        return kind;
    }

    public Output<ObjectMeta> metadata() {
        return metadata;
    }

    private static CustomResourceOptions withVersion(CustomResourceOptions options) {
        var pinned = CustomResourceOptions.builder().version(Utilities.getVersion()).build();
        return CustomResourceOptions.merge(pinned, options, null);
    }

    /** The wire form of a custom resource. */
    static final class Args extends ResourceArgs {
        @Import(name = "apiVersion", required = true)
        private Output<String> apiVersion;
        @Import(name = "kind", required = true)
        private Output<String> kind;
        @Import(name = "metadata", required = true)
        private Output<ObjectMetaArgs> metadata;
        @Import(name = "spec", required = true)
        private Output<Map<String, Object>> spec;

        static Args of(ObjectMetaArgs metadata, CrdSpec spec) {
            if (!(spec instanceof Record record)) {
                throw new IllegalArgumentException(spec.getClass().getName() + " must be a record");
            }
            var args = new Args();
            args.apiVersion = Output.of(spec.kind().apiVersion());
            args.kind = Output.of(spec.kind().kind());
            args.metadata = Output.of(Objects.requireNonNull(metadata, "metadata"));
            args.spec = Output.of(CrdValues.of(record));
            return args;
        }
    }
}
