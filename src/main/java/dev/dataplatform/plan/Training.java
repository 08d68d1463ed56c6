package dev.dataplatform.plan;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The build's training run for the class-data archive ({@link FastStart}): plans every stack
 * file in the working directory in one JVM, so the archive holds the classes of every component
 * any stack uses. Prints one line per stack; the build runs it, people do not.
 */
public final class Training {
    private Training() {
    }

    public static void main(String[] args) throws IOException {
        Path directory = Path.of(args.length > 0 ? args[0] : ".");
        try (Stream<Path> files = Files.list(directory)) {
            var stacks = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("Pulumi\\.[^.]+\\.yaml"))
                    .map(n -> n.substring("Pulumi.".length(), n.length() - ".yaml".length()))
                    .sorted()
                    .toList();
            var discard = new PrintStream(OutputStream.nullOutputStream());
            for (String stack : stacks) {
                // Through the command line, as people run it, so its parser and both renderers are archived too.
                int json = Cli.run(new String[]{"plan", "--stack", stack, "--json", "--cwd", directory.toString()}, discard, discard);
                int human = Cli.run(new String[]{"plan", "--stack", stack, "--cwd", directory.toString()}, discard, discard);
                System.out.println(stack + ": exit codes " + json + " (json), " + human + " (human)");
            }
        }
    }
}
