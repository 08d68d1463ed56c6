package dev.dataplatform.pkg;

import com.pulumi.provider.internal.ResourceProviderService;
import dev.dataplatform.core.Environment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The provider the Pulumi engine starts for this package (components/PulumiPlugin.yaml, run by the
 * Java language host's Maven executor with exec-maven-plugin's mainClass, components/pom.xml). The
 * engine passes its address as the one argument besides logging flags.
 */
public final class ComponentPackage {
    /** The package name other languages import: {@code data-platform:index:<Component>}. */
    public static final String NAME = "data-platform";

    private ComponentPackage() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        var engine = engineAddress(args);
        if (engine.isEmpty()) {
            // `mvn compile exec:java` at the repository root runs every module's mainClass: this one has
            // nothing to do there, and must not stop the program module from running after it.
            System.err.println("data-platform component package: no engine address given; the Pulumi engine starts "
                    + "this provider (pulumi package add ./components), nothing to do");
            return;
        }
        new ResourceProviderService(engine.get(), new PackageProvider()).startAndBlockUntilShutdown();
    }

    private static final java.util.regex.Pattern ENGINE_ADDRESS = java.util.regex.Pattern.compile("[A-Za-z0-9.\\[\\]:-]{1,255}:[0-9]{1,5}");

    /** The engine's address: the argument left after the logging flags the engine may pass (--logtostderr, -v=N, --tracing X, --logflow). */
    static Optional<String> engineAddress(String[] args) {
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--logtostderr", "--logflow" -> { }
                case "--tracing" -> i++;
                default -> {
                    if (!args[i].startsWith("-v=") && !args[i].isBlank()) {
                        rest.add(args[i]);
                    }
                }
            }
        }
        // `mvn compile exec:java -Dexec.args="plan ..."` at the root hands the program's arguments to every
        // module: anything but exactly one host:port is not an engine address, and not for this module.
        if (rest.size() != 1 || !ENGINE_ADDRESS.matcher(rest.get(0)).matches()) {
            return Optional.empty();
        }
        return Optional.of(rest.get(0));
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
