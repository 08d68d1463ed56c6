package dev.dataplatform.program;

import dev.dataplatform.engine.PlannedResource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * URNs are the identity of real databases and buckets: a changed URN means delete and recreate.
 * Each stack's URNs are kept in test/resources/urns/STACK.txt; a change fails here until it is
 * deliberate (add aliases for renames), then regenerate with {@code -Dsnapshots.update=true}.
 */
class UrnSnapshotTest {
    static final Path SNAPSHOTS = Path.of("test/resources/urns");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod", "local", "stage-tenants-01", "prod-tenants-01"})
    void urnsMatchTheSnapshot(String stack) throws IOException {
        var plan = CommittedPlans.of(stack);
        String actual = plan.recording().resources().stream()
                .map(PlannedResource::urn)
                .collect(Collectors.joining("\n", "", "\n"));
        Path snapshot = SNAPSHOTS.resolve(stack + ".txt");
        if (Boolean.getBoolean("snapshots.update")) {
            Files.createDirectories(SNAPSHOTS);
            Files.writeString(snapshot, actual);
        }
        String expected = Files.exists(snapshot) ? Files.readString(snapshot) : "(no snapshot)\n";
        assertEquals(expected, actual, "URNs of stack '" + stack + "' changed. If deliberate (and renames carry "
                + "aliases), run: mvn -B verify -Dsnapshots.update=true and commit " + snapshot);
    }
}
