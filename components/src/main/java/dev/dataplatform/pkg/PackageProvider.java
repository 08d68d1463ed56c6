package dev.dataplatform.pkg;

import com.pulumi.provider.internal.ComponentProvider;
import com.pulumi.provider.internal.Metadata;
import com.pulumi.provider.internal.Provider;
import com.pulumi.provider.internal.models.ConstructRequest;
import com.pulumi.provider.internal.models.ConstructResponse;
import com.pulumi.provider.internal.models.GetSchemaRequest;
import com.pulumi.provider.internal.models.GetSchemaResponse;

import java.util.concurrent.CompletableFuture;

/**
 * The package's provider: the SDK's {@link ComponentProvider} constructs the components; the schema is
 * {@link PackageSchema}'s (the inferred one, completed with version, descriptions, secrets and enums).
 */
final class PackageProvider implements Provider {
    private final ComponentProvider components = new ComponentProvider(
            new Metadata(ComponentPackage.NAME, PackageSchema.version(), ComponentPackage.NAME), ComponentPackage.class.getPackage());

    @Override
    public CompletableFuture<GetSchemaResponse> getSchema(GetSchemaRequest request) {
        return CompletableFuture.completedFuture(new GetSchemaResponse(PackageSchema.json()));
    }

    @Override
    public CompletableFuture<ConstructResponse> construct(ConstructRequest request) {
        return components.construct(request);
    }
}
