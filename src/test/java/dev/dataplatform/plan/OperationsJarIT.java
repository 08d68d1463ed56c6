package dev.dataplatform.plan;

import com.google.gson.JsonParser;
import dev.dataplatform.automation.PulumiCliEngineStandInTest;
import dev.dataplatform.automation.StandInPulumi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged jar's operations against a stand-in {@code pulumi} first on PATH (the acceptance):
 * {@code outputs --stack dev --json} and {@code up --stack prod}, each targeting the stack it names.
 */
class OperationsJarIT {
    @TempDir
    Path bin;
    StandInPulumi cli;
    Map<String, String> env;

    @BeforeEach
    void setUp() {
        cli = StandInPulumi.install(bin);
        env = Map.of("PATH", bin + File.pathSeparator + System.getenv("PATH"));
    }

    @Test
    void outputsExitsZeroWithMapsIntactAndNoSecretInClear() throws Exception {
        cli.stack("dev").stack("prod").select("prod")
                .outputs("dev", PulumiCliEngineStandInTest.outputs(false), PulumiCliEngineStandInTest.outputs(true));

        var outcome = PlanJarIT.run(env, "outputs", "--stack", "dev", "--json", "--cwd", PlanJarIT.ROOT.toString());

        assertEquals(0, outcome.code(), outcome.err());
        var json = JsonParser.parseString(outcome.out()).getAsJsonObject();
        assertEquals("acme-lake-dev-curated", json.getAsJsonObject("bucketNames").get("curated").getAsString());
        assertEquals("tenant-globex", json.getAsJsonObject("tenants").getAsJsonObject("globex").get("namespace").getAsString());
        assertEquals("[secret]", json.get("rdsMasterSecretArn").getAsString());
        assertFalse((outcome.out() + outcome.err()).contains(PulumiCliEngineStandInTest.SECRET));
        assertEquals(List.of("dev"), cli.calls("stack", "output").stream()
                .map(argv -> StandInPulumi.flag(argv, "--stack").orElseThrow()).toList());
        assertEquals("prod", cli.selected().orElseThrow(), "the selected stack is left as it was");
    }

    @Test
    void upOfProdExitsZeroAfterASuccessfulUpdateAndTargetsProd() throws Exception {
        cli.stack("dev").stack("prod").select("dev")
                .operation("prod", "up", PulumiCliEngineStandInTest.successfulUpdate("prod"), "Updating (prod)\n", "", 0);

        var outcome = PlanJarIT.run(env, "up", "--stack", "prod", "--cwd", PlanJarIT.ROOT.toString());

        assertEquals(0, outcome.code(), outcome.err());
        assertTrue(outcome.out().contains("updated prod: 1 create, 41 same"), outcome.out());
        var up = cli.calls("up");
        assertEquals(1, up.size());
        assertEquals("prod", StandInPulumi.flag(up.get(0), "--stack").orElseThrow(), up.toString());
        assertTrue(cli.calls("stack", "select").isEmpty());
        assertEquals("dev", cli.selected().orElseThrow());
        assertTrue(Files.isDirectory(bin));
    }
}
