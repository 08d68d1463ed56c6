package dev.dataplatform.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one assertion every bad-input table uses: the stack file is refused with its file name, the key path and what is allowed. */
final class ConfigRefusals {
    private ConfigRefusals() {
    }

    /**
     * Parses {@code yaml} as the tenant shard {@code stack}, over the {@code tenantPlatform} output of the committed
     * platform stack of its environment (as {@code plan --stack <shard>} reads it through the StackReference).
     */
    static PlatformConfig parseShard(String stack, String yaml) {
        var file = StackFile.parse(StackFile.fileName(stack), stack, yaml);
        var shard = dev.dataplatform.fleet.Shard.parse(file, "data-platform");
        var outputs = dev.dataplatform.program.CommittedPlans.of(dev.dataplatform.fleet.Shard.environmentOf(stack)).recording().outputs();
        return dev.dataplatform.fleet.Shard.merge(shard, outputs.get(dev.dataplatform.fleet.Shard.EXPORT));
    }

    /**
     * Parses {@code yaml} as stack {@code stack} and asserts it is refused with an error naming the stack's file and
     * {@code path} whose message contains {@code fragment}, and, unless the error is about a {@code secure:} value
     * itself, that no {@code secure:} value is echoed.
     */
    static ConfigException assertRefused(String stack, String yaml, String path, String fragment) {
        var error = assertThrows(ConfigException.class, () -> {
            if (dev.dataplatform.fleet.Shard.isShard(stack)) {
                parseShard(stack, yaml);
            } else {
                PlatformConfigParserTest.parse(stack, yaml);
            }
        });
        assertTrue(error.errors().stream().anyMatch(e -> e.path().equals(path) && e.message().contains(fragment)
                        && e.file().equals(StackFile.fileName(stack))),
                "expected " + StackFile.fileName(stack) + ": " + path + ": ..." + fragment + "... in\n" + error.getMessage());
        if (!path.endsWith(".secure")) {
            assertFalse(error.getMessage().contains("secure:"), error.getMessage());
        }
        return error;
    }
}
