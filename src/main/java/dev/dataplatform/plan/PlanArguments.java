package dev.dataplatform.plan;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The arguments of {@code plan}, read without picocli when they are plainly well-formed.
 *
 * <p>Building picocli's command model costs a cold JVM more than a tenth of a second, a large
 * share of an offline plan. CI and people nearly always run
 * {@code plan --stack S [--json] [--cwd D] [--diff B] [--schemas [DIR]]}, so that form is read here;
 * anything else (help, a typo, a repeated or missing option) goes to picocli, which prints its usage
 * messages. Both paths run {@link Cli#plan}.
 *
 * @param diff    a base plan or stack export to compare with, or null
 * @param schemas     a directory of CRDs and chart schemas to validate against, or null
 * @param findSchemas {@code --schemas} without a directory: validate against the conformance directory
 *                    ({@link dev.dataplatform.core.ConformanceDirectory}); {@code schemas} is then null
 */
record PlanArguments(String stack, boolean json, Path cwd, Path diff, Path schemas, boolean findSchemas) {
    PlanArguments(String stack, boolean json, Path cwd) {
        this(stack, json, cwd, null, null);
    }

    PlanArguments(String stack, boolean json, Path cwd, Path diff, Path schemas) {
        this(stack, json, cwd, diff, schemas, false);
    }

    /** What a stack name may look like on this path; others get picocli's handling. */
    private static final Pattern STACK = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]*");

    static Optional<PlanArguments> parse(String[] args) {
        if (args.length < 3 || !args[0].equals("plan")) {
            return Optional.empty();
        }
        String stack = null;
        Boolean json = null;
        Map<String, Path> paths = new HashMap<>();
        boolean findSchemas = false;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                value = arg.substring(equals + 1);
                arg = arg.substring(0, equals);
            }
            if (arg.equals("--schemas") && value == null && (i + 1 >= args.length || args[i + 1].startsWith("--"))) {
                // --schemas without a directory: the conformance directory is looked up.
                if (findSchemas || paths.containsKey(arg)) {
                    return Optional.empty();
                }
                findSchemas = true;
                continue;
            }
            switch (arg) {
                case "--stack", "--cwd", "--diff", "--schemas" -> {
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
                    } else {
                        if (paths.containsKey(arg) || value.isEmpty() || value.startsWith("-")
                                || arg.equals("--schemas") && findSchemas) {
                            return Optional.empty();
                        }
                        try {
                            paths.put(arg, Path.of(value));
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
        return Optional.of(new PlanArguments(stack, json != null, paths.getOrDefault("--cwd", Path.of(".")),
                paths.get("--diff"), paths.get("--schemas"), findSchemas));
    }
}
