package dev.dataplatform.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.dataplatform.config.LogicalBackupConfigTest.committed;
import static dev.dataplatform.config.LogicalBackupConfigTest.edited;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Classes of untrusted value the parser refuses with file, key path and what is allowed, each a one-line edit of a
 * committed stack: URLs that are no URLs (invisible characters, quotes in the host), setting values not of their
 * setting's type, locations that do not exist, quantities that are not positive, schedules that are not cron.
 * The same edits with good values are accepted.
 */
class UntrustedValuesConfigTest {
    static final String OTLP = "      endpoint: https://otlp.eu01.nr-data.net\n";
    static final String FLAG = "      log_min_duration_statement: \"1000\"\n";
    static final String RDS = "  data-platform:rds:\n    region: eu-west-1\n";
    static final String GLOBEX = "      - name: globex\n        extensions: [postgis]\n";
    static final String BACKUPS = "      credentialsParameter: /data-platform/stage/r2-backups\n";

    static String parameter(String name, String value) throws Exception {
        return edited("stage", RDS, RDS + "    parameters:\n      " + name + ": \"" + value + "\"\n");
    }

    static Stream<Arguments> refused() throws Exception {
        String otlp = "data-platform:observability.export.endpoint";
        return Stream.of(
                // URLs parse as URLs with a valid host
                Arguments.of("stage", edited("stage", OTLP, "      endpoint: \"https://otlp.eu01\u200B.nr-data.net\"\n"), otlp,
                        "invisible, space or control character (U+200B)"),
                Arguments.of("stage", edited("stage", OTLP, "      endpoint: 'https://otlp\";DROP--.example.com'\n"), otlp,
                        "is not a valid host name"),
                Arguments.of("stage", edited("stage", OTLP, "      endpoint: https://user:pw@otlp.example.com\n"), otlp,
                        "credentials"),
                Arguments.of("stage", edited("stage", OTLP, "      endpoint: https://-otlp.example.com\n"), otlp, "host '-otlp.example.com' is not a valid host name"),
                Arguments.of("stage", edited("stage", OTLP, "      endpoint: https://otlp.example.com:99999/v1\n"), otlp,
                        "allowed: 1 to 65535"),
                Arguments.of("stage", edited("stage", OTLP, "      endpoint: http://otlp.example.com\n"), otlp, "is not an https:// URL"),
                // Cloud SQL flags and RDS parameters: values of the setting's type (PostgreSQL 15 pg_settings)
                Arguments.of("prod", edited("prod", FLAG, "      log_min_duration_statement: \"1000'; DROP ROLE postgres; --\"\n"),
                        "data-platform:cloudSql.flags.log_min_duration_statement", "is not an integer; log_min_duration_statement is an integer from -1 to 2147483647"),
                Arguments.of("prod", edited("prod", FLAG, FLAG + "      log_min_duration_sample: \"-5\"\n"),
                        "data-platform:cloudSql.flags.log_min_duration_sample", "is out of range"),
                Arguments.of("prod", edited("prod", FLAG, FLAG + "      password_encryption: plaintext\n"),
                        "data-platform:cloudSql.flags.password_encryption", "is not allowed; password_encryption is one of md5, scram-sha-256"),
                Arguments.of("prod", edited("prod", FLAG, FLAG + "      log_connections: maybe\n"),
                        "data-platform:cloudSql.flags.log_connections", "is not a boolean"),
                Arguments.of("prod", edited("prod", FLAG, FLAG + "      no_such_setting: \"1\"\n"),
                        "data-platform:cloudSql.flags.no_such_setting", "is not a PostgreSQL 15 setting"),
                Arguments.of("prod", edited("prod", FLAG, FLAG + "      cloudsql.made_up: \"on\"\n"),
                        "data-platform:cloudSql.flags.cloudsql.made_up", "is not a cloudsql.* setting known here"),
                Arguments.of("prod", edited("prod", FLAG, FLAG + "      pgaudit.log: \"read'; DROP ROLE x; --\"\n"),
                        "data-platform:cloudSql.flags.pgaudit.log", "is not a plain value for extension setting"),
                Arguments.of("stage", parameter("work_mem", "1000'; DROP ROLE postgres; --"), "data-platform:rds.parameters.work_mem",
                        "is not an integer; work_mem is an integer from 64 to 2147483647"),
                Arguments.of("stage", parameter("random_page_cost", "fast"), "data-platform:rds.parameters.random_page_cost",
                        "is not a number"),
                Arguments.of("stage", parameter("rds.log_retention_period", "60"), "data-platform:rds.parameters.rds.log_retention_period",
                        "is out of range"),
                // Locations come from one table
                Arguments.of("dev", edited("dev", "    location: EU\n", "    location: XX\n"), "data-platform:buckets.location",
                        "'XX' is not a GCS location; allowed: a multi-region (ASIA, EU, US)"),
                Arguments.of("dev", edited("dev", "    location: EU\n", "    location: mars-central1\n"), "data-platform:buckets.location",
                        "is not a GCS location"),
                // Quantities are positive
                Arguments.of("stage-tenants-01", edited("stage-tenants-01", GLOBEX, GLOBEX + "        cpu: \"0\"\n"), "data-platform:tenants.clients[0].cpu",
                        "is not positive"),
                Arguments.of("stage-tenants-01", edited("stage-tenants-01", GLOBEX, GLOBEX + "        cpu: \"0.000\"\n"), "data-platform:tenants.clients[0].cpu",
                        "is not positive"),
                // Schedules are cron
                Arguments.of("stage", edited("stage", BACKUPS, BACKUPS + "      cronSchedule: a b c d e\n"),
                        "data-platform:tenants.backups.cronSchedule", "minute field 'a' is not valid"),
                Arguments.of("stage", edited("stage", BACKUPS, BACKUPS + "      cronSchedule: \"0 25 * * *\"\n"),
                        "data-platform:tenants.backups.cronSchedule", "hour value 25 is out of range 0-23"));
    }

    @ParameterizedTest(name = "[{index}] {2}: {3}")
    @MethodSource("refused")
    void refusedWithFileKeyPathAndWhatIsAllowed(String stack, String yaml, String path, String fragment) {
        ConfigRefusals.assertRefused(stack, yaml, path, fragment);
    }

    static Stream<Arguments> accepted() throws Exception {
        return Stream.of(
                Arguments.of("stage", edited("stage", OTLP, "      endpoint: https://otlp.example.com:4318/v1/traces\n")),
                Arguments.of("stage", edited("stage", OTLP, "      endpoint: https://bücher.example/otlp\n")),
                Arguments.of("stage", edited("stage", OTLP, "      endpoint: https://10.0.0.7:4318\n")),
                Arguments.of("prod", edited("prod", FLAG, FLAG + "      work_mem: \"65536\"\n      log_connections: \"on\"\n"
                        + "      password_encryption: scram-sha-256\n      random_page_cost: \"1.1\"\n      pgaudit.log: \"read, write\"\n"
                        + "      cloudsql.enable_pgaudit: \"on\"\n      statement_timeout: 30s\n")),
                Arguments.of("stage", parameter("work_mem", "{DBInstanceClassMemory/32768}")),
                Arguments.of("stage", parameter("search_path", "\\\"$user\\\", public")),
                Arguments.of("dev", edited("dev", "    location: EU\n", "    location: EUR4\n")),
                Arguments.of("dev", edited("dev", "    location: EU\n", "    location: europe-west1\n")),
                Arguments.of("stage-tenants-01", edited("stage-tenants-01", GLOBEX, GLOBEX + "        cpu: 250m\n")),
                Arguments.of("stage", edited("stage", BACKUPS, BACKUPS + "      cronSchedule: \"*/30 1-5 * * 1,3\"\n")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("accepted")
    void goodValuesOfTheSameKindAreAccepted(String stack, String yaml) {
        // stage's tenants live in its shard, parsed over the platform's shared settings.
        assertTrue((dev.dataplatform.fleet.Shard.isShard(stack) ? ConfigRefusals.parseShard(stack, yaml)
                : PlatformConfigParserTest.parse(stack, yaml)) != null);
    }

    @org.junit.jupiter.api.Test
    void theCommittedStacksPass() throws Exception {
        for (String stack : java.util.List.of("dev", "stage", "prod")) {
            assertTrue(PlatformConfigParserTest.parse(stack, committed(stack)) != null, stack);
        }
        for (String shard : java.util.List.of("stage-tenants-01", "prod-tenants-01")) {
            assertTrue(ConfigRefusals.parseShard(shard, committed(shard)) != null, shard);
        }
    }
}
