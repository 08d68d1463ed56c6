package dev.dataplatform.plan;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts the offline plan on a class-data-sharing archive when one was built next to the jar.
 *
 * <p>Most of a plan's time is the JVM loading and verifying the Pulumi SDK's classes. The build
 * records them in {@code data-platform.jsa} (a training run with {@code -XX:ArchiveClassesAtExit});
 * a JVM started with that archive maps them instead. A JAR cannot ask for JVM options, so
 * {@code java -jar data-platform.jar plan ...} starts the plan in a child JVM with the archive and
 * exits with its code. Without the archive, with {@code DATAPLATFORM_FAST_START=off}, or if the
 * child cannot be started, the plan runs in this JVM as usual. An archive from another JVM build is
 * ignored by the child JVM ({@code -Xshare:auto}), which then just runs slower.
 */
public final class FastStart {
    static final String ARCHIVE = "data-platform.jsa";
    static final String CHILD_MARKER = "dataplatform.fastStart.child";
    /** Overrides the plan's maximum heap ({@link #DEFAULT_HEAP}), as java's -Xmx takes it ("2g"). */
    static final String HEAP_VARIABLE = "DATAPLATFORM_PLAN_HEAP";
    /**
     * The plan's maximum heap. A plan keeps every declared resource (the SDK's objects and the
     * recording), about 10 KB each: 2000 tenants (54k resources) keep about 0.5 GB. Without a limit the
     * JVM may grow the heap to a quarter of the machine's memory, and did (4 GB RSS for 2000 tenants).
     */
    static final String DEFAULT_HEAP = "1g";

    private FastStart() {
    }

    /** Runs the command in a child JVM on the archive; empty if this JVM should run it itself. */
    public static Optional<Integer> relaunch(String[] args) {
        if (Boolean.getBoolean(CHILD_MARKER) || "off".equals(System.getenv("DATAPLATFORM_FAST_START"))) {
            return Optional.empty();
        }
        Optional<Path> jar = ownJar();
        if (jar.isEmpty()) {
            return Optional.empty();
        }
        Path archive = jar.get().resolveSibling(ARCHIVE);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        if (!Files.isReadable(archive) || !Files.isExecutable(java)) {
            return Optional.empty();
        }
        var command = new ArrayList<>(List.of(java.toString(),
                "-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-Xlog:disable", "-Xlog:all=error:stderr",
                "-XX:TieredStopAtLevel=1", "-D" + CHILD_MARKER + "=true",
                // A batch run on few cores: the serial collector has the smallest footprint and no GC threads
                // competing with the program (2000 tenants in a 1 GB heap: 52 s with it, 94 s with G1).
                "-XX:+UseSerialGC", "-Xmx" + heap(),
                "-cp", jar.get().toString(), "dev.dataplatform.Main"));
        command.addAll(List.of(args));
        try {
            Process child = new ProcessBuilder(command).inheritIO().start();
            Thread stopChild = new Thread(child::destroy);
            Runtime.getRuntime().addShutdownHook(stopChild);
            int code = child.waitFor();
            Runtime.getRuntime().removeShutdownHook(stopChild);
            return Optional.of(code);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(Cli.PROGRAM_FAILED);
        }
    }

    static String heap() {
        String heap = System.getenv(HEAP_VARIABLE);
        return heap != null && heap.matches("[1-9][0-9]{0,6}[mMgG]") ? heap : DEFAULT_HEAP;
    }

    private static Optional<Path> ownJar() {
        try {
            var location = FastStart.class.getProtectionDomain().getCodeSource().getLocation();
            Path path = Path.of(location.toURI());
            return path.toString().endsWith(".jar") && Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
