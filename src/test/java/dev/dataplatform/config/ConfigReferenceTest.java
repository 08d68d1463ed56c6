package dev.dataplatform.config;

import dev.dataplatform.plan.Plan;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's reference tables stay in step with the code: every key the parser reads, every output. */
class ConfigReferenceTest {
    static final Path README = Path.of("../README.md");
    static final Pattern FIRST_COLUMN_KEY = Pattern.compile("^\\| `([^`]+)` \\|", Pattern.MULTILINE);

    /** A stack file that sets every key, so the parser reads all of them. */
    static final String EVERY_KEY = """
            config:
              data-platform:environment: prod
              data-platform:labels: {team: data}
              data-platform:profile:
                protect: true
                deletionProtection: true
                highAvailability: true
                backupRetentionDays: 21
                pointInTimeRecovery: true
            """;

    static Set<String> section(String heading) throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("\n## " + heading + "\n");
        if (start < 0) {
            throw new AssertionError("README has no section '## " + heading + "'");
        }
        int end = readme.indexOf("\n## ", start + 1);
        var keys = new TreeSet<String>();
        var matcher = FIRST_COLUMN_KEY.matcher(readme.substring(start, end < 0 ? readme.length() : end));
        while (matcher.find()) {
            keys.add(matcher.group(1));
        }
        return keys;
    }

    @Test
    void everyConfigKeyIsDocumentedAndEveryDocumentedKeyExists() throws IOException {
        var context = new ConfigNode.Context("Pulumi.prod.yaml");
        PlatformConfigParser.parse(StackFile.parse("Pulumi.prod.yaml", "prod", EVERY_KEY), context);
        assertEquals(new TreeSet<>(context.keysRead()), section("Configuration reference"));
    }

    @Test
    void everyStackOutputIsDocumented() throws IOException {
        var outputs = new TreeSet<String>();
        for (String stack : new String[]{"dev", "stage", "prod"}) {
            outputs.addAll(Plan.run(Path.of(".."), stack).recording().outputs().keySet());
        }
        assertEquals(outputs, section("Stack outputs"));
    }
}
