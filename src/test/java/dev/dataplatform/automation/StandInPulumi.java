package dev.dataplatform.automation;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A stand-in {@code pulumi} executable for tests: a small POSIX shell script, {@code <bin>/pulumi},
 * that records every argv (one file per call under {@code <bin>/state/calls}) and answers as the
 * real CLI does, from per-stack answers the test writes. With {@code <bin>} first on {@code PATH},
 * the real SDK classes run it (LocalPulumiCommand starts plain {@code pulumi}).
 *
 * <p>Where each answer's shape comes from (com.pulumi:pulumi 1.36.1 sources, the parser of each answer):
 * <ul>
 *   <li>{@code pulumi version} prints {@code v<semver>}: LocalPulumiCommand.getPulumiVersion strips a
 *       leading "v" and needs at least 3.95 and major 3. The stand-in says 3.205.0, the newest version
 *       for which the SDK reads engine events from an {@code --event-log} file
 *       (LocalPulumiCommand.GRPC_EVENT_LOG_VERSION; newer CLIs get a gRPC address instead).</li>
 *   <li>{@code pulumi stack ls --json}: a JSON array of {name, current, lastUpdate, updateInProgress,
 *       resourceCount, url} (StackSummary, read by LocalWorkspace.listStacks).</li>
 *   <li>{@code pulumi stack output --json [--show-secrets]}: one JSON object, output name to JSON value,
 *       a secret shown as the string "[secret]" unless --show-secrets (LocalWorkspace.getStackOutputs).</li>
 *   <li>Engine events, one JSON object per line in the {@code --event-log} file: {sequence, timestamp}
 *       and one of cancelEvent, diagnosticEvent{urn, prefix, message, color, severity, ephemeral},
 *       resourcePreEvent{metadata{op, urn, type, ...}, planning}, resOpFailedEvent{metadata, status,
 *       steps}, summaryEvent{maybeCorrupt, durationSeconds, resourceChanges{op: count}, policyPacks}
 *       (events.EngineEvent and its members, read by LocalSerializer; the engine's side is
 *       ConvertEngineEvent in pulumi/pulumi pkg/backend/display/events.go). The log ends with a
 *       cancelEvent, which the SDK's own watcher waits for (EventLogWatcher).</li>
 *   <li>Failures: exit 255 and an {@code error: ...} line on stderr, matched by
 *       LocalPulumiCommand.createExceptionFromResult: "no stack named 'X' found", "stack 'X' already
 *       exists", "[409] Conflict: Another update is currently in progress.".</li>
 *   <li>Without {@code --stack} a command uses the selected stack ({@code stack select} and
 *       {@code stack init} select one), as the CLI does.</li>
 * </ul>
 */
public final class StandInPulumi {
    /** The version the stand-in reports (see the class comment). */
    public static final String VERSION = "3.205.0";
    static final Gson GSON = new GsonBuilder().serializeNulls().create();

    private final Path bin;
    private final Path state;

    private StandInPulumi(Path bin) {
        this.bin = bin;
        this.state = bin.resolve("state");
    }

    /** Writes the script to {@code bin/pulumi} with an empty state (no stacks, none selected). */
    public static StandInPulumi install(Path bin) {
        try {
            Files.createDirectories(bin);
            var script = bin.resolve("pulumi");
            Files.writeString(script, SCRIPT);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            var standIn = new StandInPulumi(bin);
            standIn.reset();
            return standIn;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory to put first on PATH. */
    public Path bin() {
        return bin;
    }

    /** Forgets all stacks, answers, calls and the selection. */
    public void reset() {
        try {
            if (Files.exists(state)) {
                try (Stream<Path> walk = Files.walk(state)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(state.resolve("calls"));
            Files.createDirectories(state.resolve("stacks"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A stack that exists in the backend. */
    public StandInPulumi stack(String name) {
        return write(stackDir(name).resolve(".exists"), "");
    }

    /** The user's selected stack, as {@code pulumi stack select} leaves it. */
    public StandInPulumi select(String name) {
        return write(state.resolve("selected"), name);
    }

    public Optional<String> selected() {
        var file = state.resolve("selected");
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file).strip()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Another update holds the stack's lock. */
    public StandInPulumi locked(String name) {
        return write(stackDir(name).resolve("locked"), "");
    }

    /** The outputs as {@code stack output --json} prints them: masked, and with --show-secrets. */
    public StandInPulumi outputs(String stack, Map<String, ?> masked, Map<String, ?> plain) {
        write(stackDir(stack).resolve("outputs.json"), GSON.toJson(masked) + "\n");
        return write(stackDir(stack).resolve("outputs-plain.json"), GSON.toJson(plain) + "\n");
    }

    /** How {@code verb} (up, preview, refresh, destroy) ends on {@code stack}: events, stdout, stderr, exit code. */
    public StandInPulumi operation(String stack, String verb, List<Map<String, Object>> events, String stdout, String stderr,
                                   int exitCode) {
        var lines = new StringBuilder();
        for (int i = 0; i < events.size(); i++) {
            var event = new LinkedHashMap<String, Object>();
            event.put("sequence", i + 1);
            event.put("timestamp", 1764576000 + i);
            event.putAll(events.get(i));
            lines.append(GSON.toJson(event)).append('\n');
        }
        write(stackDir(stack).resolve(verb + ".events"), lines.toString());
        write(stackDir(stack).resolve(verb + ".stdout"), stdout);
        write(stackDir(stack).resolve(verb + ".stderr"), stderr);
        return write(stackDir(stack).resolve(verb + ".code"), String.valueOf(exitCode));
    }

    /** Every call's argv, in order. */
    public List<List<String>> calls() {
        try (Stream<Path> files = Files.list(state.resolve("calls"))) {
            var result = new ArrayList<List<String>>();
            for (Path file : files.sorted().toList()) {
                result.add(Files.readAllLines(file));
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The calls of one command, e.g. {@code calls("up")} or {@code calls("stack", "output")}. */
    public List<List<String>> calls(String... command) {
        return calls().stream().filter(argv -> argv.size() >= command.length
                && argv.subList(0, command.length).equals(List.of(command))).toList();
    }

    /** The value after {@code flag} in one argv, if any. */
    public static Optional<String> flag(List<String> argv, String flag) {
        int i = argv.indexOf(flag);
        return i >= 0 && i + 1 < argv.size() ? Optional.of(argv.get(i + 1)) : Optional.empty();
    }

    // Engine events (shapes: see the class comment).

    public static Map<String, Object> resourcePre(String op, String urn, String type) {
        return Map.of("resourcePreEvent", Map.of("metadata", Map.of("op", op, "urn", urn, "type", type,
                "keys", List.of(), "diffs", List.of(), "logical", true, "provider", ""), "planning", false));
    }

    public static Map<String, Object> diagnostic(String severity, String urn, String message) {
        return Map.of("diagnosticEvent", Map.of("urn", urn, "prefix", severity + ": ", "message", message + "\n",
                "color", "never", "severity", severity, "ephemeral", false));
    }

    public static Map<String, Object> operationFailed(String op, String urn, String type) {
        return Map.of("resOpFailedEvent", Map.of("metadata", Map.of("op", op, "urn", urn, "type", type,
                "keys", List.of(), "diffs", List.of(), "logical", true, "provider", ""), "status", 1, "steps", 1));
    }

    public static Map<String, Object> summary(Map<String, Integer> resourceChanges) {
        return Map.of("summaryEvent", Map.of("maybeCorrupt", false, "durationSeconds", 3,
                "resourceChanges", resourceChanges, "policyPacks", Map.of()));
    }

    public static Map<String, Object> cancel() {
        return Map.of("cancelEvent", Map.of());
    }

    private Path stackDir(String name) {
        return state.resolve("stacks").resolve(name);
    }

    private StandInPulumi write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String SCRIPT = """
            #!/bin/sh
            # Stand-in for the Pulumi CLI, written by the tests (dev.dataplatform.automation.StandInPulumi,
            # which says where each answer's shape comes from). Records argv, answers from ./state.
            state="$(cd "$(dirname "$0")" && pwd)/state"
            n=$(ls "$state/calls" | wc -l)
            printf '%s\\n' "$@" > "$state/calls/$(printf '%05d' $((n + 1)))"
            stack=""; eventlog=""; showsecrets=""; prev=""
            for a in "$@"; do
              case "$prev" in
                --stack|-s) stack="$a" ;;
                --event-log) eventlog="$a" ;;
              esac
              [ "$a" = "--show-secrets" ] && showsecrets=1
              prev="$a"
            done
            if [ -z "$stack" ] && [ -f "$state/selected" ]; then stack=$(cat "$state/selected"); fi
            need_stack() {
              if [ -z "$stack" ]; then
                echo "error: no stack selected; please use \\`pulumi stack select\\` to choose one" >&2; exit 255
              fi
              if [ ! -d "$state/stacks/$stack" ]; then echo "error: no stack named '$stack' found" >&2; exit 255; fi
            }
            case "$1" in
              version) echo "v@VERSION@"; exit 0 ;;
              stack)
                case "$2" in
                  ls)
                    printf '['; sep=""
                    for d in "$state"/stacks/*/; do
                      [ -d "$d" ] || continue
                      name=$(basename "$d"); current=false
                      [ -f "$state/selected" ] && [ "$(cat "$state/selected")" = "$name" ] && current=true
                      printf '%s{"name":"%s","current":%s,"updateInProgress":false,"resourceCount":0,"url":"https://app.pulumi.com/acme/data-platform/%s"}' "$sep" "$name" "$current" "$name"
                      sep=","
                    done
                    printf ']\\n'; exit 0 ;;
                  select) need_stack; echo "$stack" > "$state/selected"; exit 0 ;;
                  init)
                    if [ -d "$state/stacks/$3" ]; then echo "error: stack '$3' already exists" >&2; exit 255; fi
                    mkdir -p "$state/stacks/$3"; echo "$3" > "$state/selected"; exit 0 ;;
                  output)
                    need_stack
                    if [ -n "$showsecrets" ]; then cat "$state/stacks/$stack/outputs-plain.json" 2>/dev/null
                    else cat "$state/stacks/$stack/outputs.json" 2>/dev/null; fi
                    exit 0 ;;
                esac ;;
              config)
                if [ "$2" = "set" ]; then need_stack; exit 0; fi ;;
              up|preview|refresh|destroy)
                need_stack
                if [ -f "$state/stacks/$stack/locked" ]; then
                  echo "error: [409] Conflict: Another update is currently in progress." >&2; exit 255
                fi
                answer="$state/stacks/$stack/$1"
                if [ -n "$eventlog" ] && [ -f "$answer.events" ]; then cat "$answer.events" >> "$eventlog"; fi
                echo "Running $1 on stack $stack"
                [ -f "$answer.stdout" ] && cat "$answer.stdout"
                [ -f "$answer.stderr" ] && cat "$answer.stderr" >&2
                code=0; [ -f "$answer.code" ] && code=$(cat "$answer.code")
                exit "$code" ;;
            esac
            echo "error: the stand-in has no answer for: $*" >&2
            exit 2
            """.replace("@VERSION@", VERSION);
}
