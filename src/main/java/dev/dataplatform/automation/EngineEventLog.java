package dev.dataplatform.automation;

import com.google.gson.JsonParseException;
import com.pulumi.automation.events.EngineEvent;
import com.pulumi.automation.events.SummaryEvent;
import com.pulumi.automation.serialization.internal.LocalSerializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The engine's event log for one CLI command: a file passed as {@code --event-log}, read while the
 * command runs (one JSON {@link EngineEvent} per line, parsed with the SDK's own serializer) and read
 * to its end once the command has exited.
 *
 * <p>Why not the SDK's watcher: in com.pulumi:pulumi 1.36.1 the file watcher
 * ({@code events.internal.EventLogWatcher}) only stops at a {@code cancelEvent}, and closing it waits
 * for that event; a command that fails before the engine starts (an unknown stack, a locked stack)
 * writes none, so the caller would wait forever. This reader stops when the process has exited.
 * It also works for every CLI version, while the SDK switches to a gRPC event stream for CLIs newer
 * than 3.205.0 (LocalPulumiCommand.GRPC_EVENT_LOG_VERSION). See docs/upstream-facts.md.
 */
final class EngineEventLog implements AutoCloseable {
    private static final long POLL_MILLIS = 50;

    private final Path directory;
    private final Path file;
    private final Consumer<EngineEvent> onEvent;
    private final Thread reader;
    private final List<String> errors = new ArrayList<>();
    private volatile boolean commandExited;
    private volatile SummaryEvent summary;
    private volatile RuntimeException failure;

    private EngineEventLog(Consumer<EngineEvent> onEvent) throws IOException {
        this.directory = Files.createTempDirectory("data-platform-events-");
        this.file = Files.createFile(directory.resolve("events.jsonl"));
        this.onEvent = onEvent;
        this.reader = new Thread(this::follow, "pulumi-event-log");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Starts following a new, empty event log. */
    static EngineEventLog start(Consumer<EngineEvent> onEvent) {
        try {
            return new EngineEventLog(onEvent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the engine event log", e);
        }
    }

    /** The path to pass as {@code --event-log}. */
    Path file() {
        return file;
    }

    /** The engine's summary of changes, if it wrote one. Read after {@link #close()}. */
    Optional<SummaryEvent> summary() {
        return Optional.ofNullable(summary);
    }

    /** Messages of the error diagnostics the engine reported. Read after {@link #close()}. */
    List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    /** Reads what is left after the command exited, then deletes the log. */
    @Override
    public void close() {
        commandExited = true;
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(file);
                Files.deleteIfExists(directory);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void follow() {
        var pending = new ByteArrayOutputStream();
        var chunk = new byte[8192];
        try (var in = new RandomAccessFile(file.toFile(), "r")) {
            while (true) {
                boolean exited = commandExited; // read before the file, so a last write is never missed
                int n;
                boolean any = false;
                while ((n = in.read(chunk)) > 0) {
                    any = true;
                    for (int i = 0; i < n; i++) {
                        if (chunk[i] == '\n') {
                            line(pending.toString(StandardCharsets.UTF_8));
                            pending.reset();
                        } else {
                            pending.write(chunk[i]);
                        }
                    }
                }
                if (exited && !any) {
                    if (pending.size() > 0) {
                        line(pending.toString(StandardCharsets.UTF_8));
                    }
                    return;
                }
                if (!any) {
                    Thread.sleep(POLL_MILLIS);
                }
            }
        } catch (IOException e) {
            failure = new UncheckedIOException("cannot read the engine event log", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private void line(String line) {
        if (line.isBlank()) {
            return;
        }
        EngineEvent event;
        try {
            event = new LocalSerializer().deserializeJson(line, EngineEvent.class);
        } catch (JsonParseException e) {
            return; // an event this SDK version does not know; the exit code still decides
        }
        if (event == null) {
            return;
        }
        if (event.summaryEvent() != null) {
            summary = event.summaryEvent();
        }
        var diagnostic = event.diagnosticEvent();
        if (diagnostic != null && "error".equals(diagnostic.severity()) && diagnostic.message() != null
                && !diagnostic.message().isBlank()) {
            synchronized (errors) {
                errors.add(diagnostic.message().strip());
            }
        }
        onEvent.accept(event);
    }
}
