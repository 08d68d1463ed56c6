package dev.dataplatform.pkg;

import com.pulumi.provider.internal.ComponentProviderHost;
import dev.dataplatform.core.Environment;

import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The provider host the Pulumi engine starts for this package (PulumiPlugin.yaml). */
public final class ComponentPackage {
    /** The package name other languages import: {@code data-platform:index:<Component>}. */
    public static final String NAME = "data-platform";

    private ComponentPackage() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        new ComponentProviderHost(NAME, ComponentPackage.class.getPackage()).start(args);
    }

    static String type(String component) {
        return NAME + ":index:" + component;
    }

    /** An environment id ("dev", "stage", "prod") from the package's string input, or a clear error. */
    static Environment environment(String component, String id) {
        return Environment.fromId(id).orElseThrow(() -> new IllegalArgumentException(component + ": environment '" + id
                + "' is not valid; allowed: " + Arrays.stream(Environment.values()).map(Environment::id)
                .collect(Collectors.joining(", "))));
    }
}
