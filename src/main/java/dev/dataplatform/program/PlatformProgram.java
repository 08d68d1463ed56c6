package dev.dataplatform.program;

import com.pulumi.Context;
import dev.dataplatform.config.PlatformConfig;

/**
 * The stack program: declares the components a stack enables and exports what consumers need.
 * `pulumi up` (via {@link dev.dataplatform.Main}) and the offline plan run this same function.
 */
public final class PlatformProgram {
    private PlatformProgram() {
    }

    public static void declare(Context ctx, PlatformConfig config) {
        // Components are added here as they land; each is enabled by its own config key.
        ctx.export("environment", com.pulumi.core.Output.of(config.environment().id()));
    }
}
