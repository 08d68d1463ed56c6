package dev.dataplatform.plan;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The arguments of {@code plan}, read without picocli when they are plainly well-formed.
 *
 * <p>Building picocli's command model costs a cold JVM more than a tenth of a second, a large
 * share of an offline plan. CI and people nearly always run {@code plan --stack S [--json] [--cwd D]},
 * so that form is read here; anything else (help, a typo, a repeated or missing option) goes to
 * picocli, which prints its usage messages. Both paths run {@link Cli#plan}.
 */
record PlanArguments(String stack, boolean json, Path cwd, Path schemas) {
    PlanArguments(String stack, boolean json, Path cwd) {
        this(stack, json, cwd, null);
    }

    /** What a stack name may look like on this path; others get picocli's handling. */
    private static final Pattern STACK = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]*");

    static Optional<PlanArguments> parse(String[] args) {
        if (args.length < 3 || !args[0].equals("plan")) {
            return Optional.empty();
        }
        String stack = null;
        Boolean json = null;
        Path cwd = null;
        Path schemas = null;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                value = arg.substring(equals + 1);
                arg = arg.substring(0, equals);
            }
            switch (arg) {
                case "--stack", "--cwd", "--schemas" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            return Optional.empty();
                        }
                        value = args[++i];
                    }
                    if (arg.equals("--stack")) {
                        if (stack != null || !STACK.matcher(value).matches()) {
                            return Optional.empty();
                        }
                        stack = value;
                    } else if (arg.equals("--schemas")) {
                        if (schemas != null || value.isEmpty() || value.startsWith("-")) {
                            return Optional.empty();
                        }
                        try {
                            schemas = Path.of(value);
                        } catch (InvalidPathException e) {
                            return Optional.empty();
                        }
                    } else {
                        if (cwd != null || value.isEmpty() || value.startsWith("-")) {
                            return Optional.empty();
                        }
                        try {
                            cwd = Path.of(value);
                        } catch (InvalidPathException e) {
                            return Optional.empty();
                        }
                    }
                }
                case "--json" -> {
                    if (json != null || value != null) {
                        return Optional.empty();
                    }
                    json = true;
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        if (stack == null) {
            return Optional.empty();
        }
        return Optional.of(new PlanArguments(stack, json != null, cwd == null ? Path.of(".") : cwd, schemas));
    }
}
