package dev.dataplatform;

import com.pulumi.Pulumi;
import dev.dataplatform.config.EngineConfigSource;
import dev.dataplatform.config.PlatformConfigParser;
import dev.dataplatform.engine.OfflineEngine;
import dev.dataplatform.plan.Cli;
import dev.dataplatform.plan.FastStart;
import dev.dataplatform.program.PlatformProgram;

/**
 * Entry point of the program jar. Without arguments it is the Pulumi program the engine runs
 * (`pulumi up`/`preview`); with arguments it is the command line (`plan`, ...).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            Pulumi.run(ctx -> PlatformProgram.declare(ctx,
                    PlatformConfigParser.parse(EngineConfigSource.fromContext(ctx))));
            return;
        }
        if (args[0].equals("plan")) {
            var relaunched = FastStart.relaunch(args);
            if (relaunched.isPresent()) {
                System.exit(relaunched.get());
            }
            // Overlap the engine's start-up with argument and config parsing (2+ cores).
            OfflineEngine.warmUpInBackground();
        }
        System.exit(Cli.run(args, System.out, System.err));
    }
}
