package dev.dataplatform.core;

import com.pulumi.core.Output;
import com.pulumi.core.internal.OutputData;
import com.pulumi.core.internal.OutputInternal;
import com.pulumi.deployment.Deployment;

import java.util.function.Supplier;

/**
 * Values read from the cloud only while {@code pulumi up} runs, never in a preview. Pulumi Java 1.36.1
 * runs an output-form invoke during a preview as soon as its arguments are known (on an existing
 * stack they are, from state): a preview would read a secret's value with the previewer's credentials.
 * Behind {@link #secretOnUpdate} the read is not even declared in a preview; the value is an unknown
 * secret output there, so the previewing identity needs no right to read it
 * ({@code DeployTimeSecretTest} shows both modes on the SDK's own deployment code).
 */
public final class DeployTime {
    private DeployTime() {
    }

    /** {@code read} during an update, as a secret; in a preview an unknown secret and no read at all. */
    public static <T> Output<T> secretOnUpdate(Supplier<Output<T>> read) {
        if (Deployment.getInstance().isDryRun()) {
            return new OutputInternal<T>(OutputData.<T>unknown()).asSecret();
        }
        return read.get().asSecret();
    }
}
