package dev.dataplatform.config;

import dev.dataplatform.plan.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Bad input as a hostile or careless user writes it: every case ends in a clean refusal (file, key path,
 * what is allowed) or a plan, never a crash, a hang, a silently wrapped value or an echoed secret.
 */
class HostileInputTest {
    static final Path ROOT = Path.of("..");
    static final String PLANTED = "hunter2PLANTEDsecret";

    static String committed(String stack) {
        try {
            return Files.readString(ROOT.resolve("Pulumi." + stack + ".yaml"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static PlatformConfig parse(String stack, String yaml) {
        return PlatformConfigParser.parse(StackFile.parse(StackFile.fileName(stack), stack, yaml));
    }

    /** As the offline plan parses: a required secret that is not set yet is noted, not an error. */
    static PlatformConfig parseOffline(String stack, String yaml) {
        var file = StackFile.parse(StackFile.fileName(stack), stack, yaml);
        return PlatformConfigParser.parse(file, new ConfigNode.Context(file.file(), false));
    }

    /** A textual edit of a committed stack that must change it. */
    static String edit(String stack, String from, String to) {
        String text = committed(stack);
        assertTrue(text.contains(from), "Pulumi." + stack + ".yaml has no '" + from + "'");
        return text.replace(from, to);
    }

    static Arguments refused(String what, String stack, String yaml, String path, String fragment) {
        return Arguments.of(what, stack, yaml, path, fragment);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                refused("a recursive alias", "dev", edit("dev", "  data-platform:labels:\n    team: data-platform\n    cost-center: data\n",
                        "  data-platform:labels: &r [*r]\n"), "data-platform:labels", "refers to itself"),
                refused("an integer beyond a long", "dev", edit("dev", "data-platform:environment: dev\n",
                        "data-platform:environment: dev\n  data-platform:profile:\n    backupRetentionDays: 18446744073709551623\n"),
                        "data-platform:profile.backupRetentionDays", "out of range"),
                refused("a decimal version YAML would shorten", "stage", edit("stage", "    region: eu-west-1\n    vpcId",
                        "    region: eu-west-1\n    engineVersion: 16.10\n    vpcId"), "data-platform:rds.engineVersion", "quote it"),
                refused("a leading-zero integer read as decimal, then range-checked", "stage", edit("stage",
                        "    region: eu-west-1\n    vpcId", "    region: eu-west-1\n    monitoringIntervalSeconds: 000000000017\n    vpcId"),
                        "data-platform:rds.monitoringIntervalSeconds", "17"),
                refused("a duplicated subnet", "stage", edit("stage", "      - subnet-0a1b2c3d4e5f60012\n",
                        "      - subnet-0a1b2c3d4e5f60011\n"), "data-platform:rds.subnetIds[1]", "listed twice"),
                refused("a duplicated security group", "stage", edit("stage", "      - sg-0a1b2c3d4e5f60021\n",
                        "      - sg-0a1b2c3d4e5f60021\n      - sg-0a1b2c3d4e5f60021\n"),
                        "data-platform:rds.allowedSecurityGroupIds[1]", "listed twice"),
                refused("a duplicated RDS database", "stage", edit("stage", "      - name: dagster\n        logins:\n          - name: dagster_instance",
                        "      - name: metadata\n        logins:\n          - name: dagster_instance"), "data-platform:rds.databases", "listed twice"),
                refused("a duplicated tenant extension", "stage", edit("stage", "        extensions: [postgis]\n        scaling:",
                        "        extensions: [postgis, postgis]\n        scaling:"), "data-platform:tenants.clients[0].extensions[1]", "listed twice"),
                refused("a duplicated bucket identity", "stage", edit("stage", "      readers: [stac-api]", "      readers: [stac-api, stac-api]"),
                        "data-platform:buckets.identities.readers[1]", "listed twice"),
                refused("a tier whose numbers overflow", "dev", edit("dev", "    region: europe-west1\n",
                        "    region: europe-west1\n    tier: db-custom-99999999999-1024\n"), "data-platform:cloudSql.tier", "is not a tier"),
                refused("a chart version whose numbers overflow", "dev", edit("dev", "  data-platform:dagster:\n",
                        "  data-platform:dagster:\n    chartVersion: 1.99999999999.0\n"),
                        "data-platform:dagster.chartVersion", "not"),
                refused("an empty secure value", "dev", edit("dev", "    region: europe-west1\n",
                        "    region: europe-west1\n    adminPassword:\n      secure: \"\"\n"), "data-platform:cloudSql.adminPassword.secure",
                        "is not a ciphertext"),
                refused("a numeric secure value", "dev", edit("dev", "    region: europe-west1\n",
                        "    region: europe-west1\n    adminPassword:\n      secure: 42\n"), "data-platform:cloudSql.adminPassword.secure",
                        "is not a ciphertext"),
                refused("a plain-text service-account key", "dev", edit("dev", "config:\n",
                        "config:\n  gcp:credentials: '{\"type\": \"service_account\", \"private_key\": \"" + PLANTED + "\"}'\n"),
                        "gcp:credentials", "credentials in plain text"),
                refused("a plain-text password", "dev", edit("dev", "    region: europe-west1\n",
                        "    region: europe-west1\n    adminPassword: " + PLANTED + "\n"), "data-platform:cloudSql.adminPassword",
                        "plain text"),
                refused("an unknown region", "dev", edit("dev", "region: europe-west1", "region: mars-central1"),
                        "data-platform:cloudSql.region", "is not a known region"),
                refused("an unknown AWS region", "stage", edit("stage", "    region: eu-west-1\n    vpcId", "    region: eu-mars-1\n    vpcId"),
                        "data-platform:rds.region", "is not a known region"),
                refused("a public CIDR whose text starts privately", "stage", edit("stage", "      - sg-0a1b2c3d4e5f60021\n",
                        "      - sg-0a1b2c3d4e5f60021\n    allowedCidrs: [10.0.0.0/0]\n"), "data-platform:rds.allowedCidrs[0]",
                        "not inside a private range"),
                refused("an impossible address", "stage", edit("stage", "      - sg-0a1b2c3d4e5f60021\n",
                        "      - sg-0a1b2c3d4e5f60021\n    allowedCidrs: [999.999.999.999/32]\n"), "data-platform:rds.allowedCidrs[0]",
                        "is not valid"),
                refused("an empty KMS key", "stage", edit("stage", "    prefix: acme-lake\n", "    prefix: acme-lake\n    kmsKeyId: \"\"\n"),
                        "data-platform:buckets.kmsKeyId", "is not valid"),
                refused("SQL in a KMS key", "stage", edit("stage", "    prefix: acme-lake\n",
                        "    prefix: acme-lake\n    kmsKeyId: \"x'; DROP TABLE t; --\"\n"), "data-platform:buckets.kmsKeyId", "is not valid"),
                refused("a bad access-log bucket", "stage", edit("stage", "    prefix: acme-lake\n",
                        "    prefix: acme-lake\n    accessLogBucket: \"Not A Bucket\"\n"), "data-platform:buckets.accessLogBucket", "not valid"),
                refused("an escape character in a flag", "dev", edit("dev", "    region: europe-west1\n",
                        "    region: europe-west1\n    flags: {log_min_duration_statement: \"5\\e[2J00\"}\n"),
                        "data-platform:cloudSql.flags.log_min_duration_statement", "control character"),
                refused("a NUL in KEDA metadata", "stage", edit("stage", "queueLength: \"5\"", "queueLength: \"5\\0\""),
                        "data-platform:tenants.clients[0].scaling.triggers[0].metadata.queueLength", "control character"),
                refused("a 2000-character string", "stage", edit("stage", "    prefix: acme-lake\n",
                        "    prefix: acme-lake\n    kmsKeyId: " + "k".repeat(2000) + "\n"), "data-platform:buckets.kmsKeyId", "at most 1024"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void isRefusedWithFileKeyPathAndWhatIsAllowed(String what, String stack, String yaml, String path, String fragment) {
        var error = ConfigRefusals.assertRefused(stack, yaml, path, fragment);
        assertFalse(error.getMessage().contains(PLANTED), "the secret is echoed: " + error.getMessage());
    }

    @Test
    void anEmojiAtAnyOffsetIsReadNotACrash() {
        // SnakeYAML 2.3 read past its 1024-char window when a surrogate pair straddled it (an emoji in prod's alert
        // channels at offset 4095 crashed the parser); every offset around the first windows must parse.
        String head = "config:\n  data-platform:x: \"";
        for (int offset = 1000; offset < 4200; offset++) {
            if (offset > 1100 && offset < 2000 || offset > 2100 && offset < 4000) {
                continue;
            }
            String yaml = head + "a".repeat(offset - head.length()) + "\uD83D\uDE00\"\n";
            assertEquals(offset, yaml.indexOf("\uD83D"));
            Object value = StackFile.parse("Pulumi.dev.yaml", "dev", yaml).values().get("data-platform:x");
            assertTrue(((String) value).endsWith("\uD83D\uDE00"), "offset " + offset);
        }
    }

    @Test
    void yaml11ScalarsKeepTheirYaml12Meaning() {
        // 12:30 is not sexagesimal 750 and stays the time it reads as.
        var config = parseOffline("dev", edit("dev", "    region: europe-west1\n", "    region: europe-west1\n    backupStartTime: 12:30\n"));
        assertEquals("12:30", config.cloudSql().orElseThrow().backupStartTime());
        assertEquals(17L, CoreSchemaYaml.integer("000000000017"));
        assertEquals(15L, CoreSchemaYaml.integer("0o17"));
        assertEquals(new java.math.BigInteger("18446744073709551623"), CoreSchemaYaml.integer("18446744073709551623"));
        Object yes = StackFile.parse("Pulumi.dev.yaml", "dev", "config:\n  data-platform:x: {a: yes, b: on, c: 2026-01-01}\n")
                .values().get("data-platform:x");
        assertEquals(Map.of("a", "yes", "b", "on", "c", "2026-01-01"), yes);
    }

    @Test
    void aNewerRegionIsAcceptedThroughExtraRegions() {
        var config = parseOffline("dev", edit("dev", "region: europe-west1", "region: europe-west15")
                .replace("data-platform:environment: dev\n", "data-platform:environment: dev\n  data-platform:extraRegions: [europe-west15]\n"));
        assertEquals("europe-west15", config.cloudSql().orElseThrow().region());
    }

    @Test
    void aBillionLaughsIsBoundedAndAHugeFileRefused() {
        var laughs = new StringBuilder("config:\n  data-platform:environment: dev\n  data-platform:labels:\n    a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            laughs.append("    ").append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 10; i++) {
                laughs.append(i == 0 ? "" : ",").append('*').append((char) (c - 1));
            }
            laughs.append("]\n");
        }
        assertTimeoutAndRefused(laughs.toString(), "(file)");
        assertTimeoutAndRefused("config:\n  data-platform:environment: dev\n  data-platform:labels: {a: \"" + "x".repeat(3_000_000) + "\"}\n",
                "(file)");
    }

    static void assertTimeoutAndRefused(String yaml, String path) {
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            var error = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> parse("dev", yaml));
            assertTrue(error.errors().stream().anyMatch(e -> e.path().startsWith(path) || e.path().startsWith("data-platform:labels")),
                    error.getMessage());
        });
    }

    // ---- generated mutations of the committed stacks ---------------------------------------------------

    /** Values a careless or hostile user puts where a setting belongs. */
    static final List<Object> MUTATIONS = List.of("", " ", "x".repeat(5000), "a\u0000b", "\u001b[2J", "'; DROP TABLE x; --",
            "${jndi:ldap://x}", "../../etc/passwd", "😀", -1L, 0L, 99999999999999L, new java.math.BigInteger("99999999999999999999999"),
            16.10, true, Map.of("k", "v"), List.of("a", "a"), "https://user:" + PLANTED + "@example.com/x");

    /**
     * The mutations an end-to-end plan is sampled with (numbers, empty, emoji, long text and a planted
     * credential): the parser sees every mutation, the whole plan a fixed sample (see {@link #sample}).
     */
    static final List<Object> END_TO_END = List.of("", "😀", 0L, 99999999999999L, "x".repeat(5000),
            "https://user:" + PLANTED + "@example.com/x");
    static final List<String> STACKS = List.of("dev", "stage", "prod");

    /** Every scalar leaf of a stack's config: its path (as keys and indexes) and value. */
    static void leaves(List<Object> path, Object value, List<List<Object>> out) {
        if (value instanceof Map<?, ?> map) {
            if (!(map.size() == 1 && map.containsKey("secure"))) {
                map.forEach((k, v) -> {
                    var next = new ArrayList<>(path);
                    next.add(String.valueOf(k));
                    leaves(next, v, out);
                });
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                var next = new ArrayList<>(path);
                next.add(i);
                leaves(next, list.get(i), out);
            }
        } else {
            out.add(path);
        }
    }

    @SuppressWarnings("unchecked")
    static Object replace(Object root, List<Object> path, int depth, Object value) {
        if (depth == path.size()) {
            return value;
        }
        Object key = path.get(depth);
        if (root instanceof Map<?, ?> map) {
            var copy = new LinkedHashMap<Object, Object>((Map<Object, Object>) map);
            copy.put(key, replace(map.get(key), path, depth + 1, value));
            return copy;
        }
        var copy = new ArrayList<Object>((List<Object>) root);
        copy.set((Integer) key, replace(copy.get((Integer) key), path, depth + 1, value));
        return copy;
    }

    /** A YAML writer per thread (building one takes longer than a dump). */
    private static final ThreadLocal<Yaml> DUMPER = ThreadLocal.withInitial(() -> {
        var options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(1_000_000);
        return new Yaml(options);
    });

    static String dump(Object document) {
        return DUMPER.get().dump(document);
    }

    /** One generated case: a committed stack with one leaf replaced, and what the parser made of it. */
    record Case(String stack, List<Object> path, Object mutation, boolean accepted, String outcome, long nanos) {
        /** The top-level key the leaf is under, e.g. data-platform:cloudSql. */
        String key() {
            return String.valueOf(path.get(1));
        }

        String describe() {
            return stack + " " + path + " = " + abbreviate(mutation);
        }
    }

    private static List<Case> cases;

    /**
     * Every leaf of every committed stack with every mutation, parsed as the offline plan parses (computed once,
     * on every core: the cases are independent and the parser holds no shared state).
     */
    static synchronized List<Case> cases() {
        if (cases == null) {
            record Task(String stack, Object document, List<Object> path, Object mutation) {
            }
            var tasks = new ArrayList<Task>();
            for (String stack : STACKS) {
                Object document = new Yaml().load(committed(stack));
                var paths = new ArrayList<List<Object>>();
                leaves(new ArrayList<>(), document, paths);
                for (List<Object> path : paths) {
                    for (Object mutation : MUTATIONS) {
                        tasks.add(new Task(stack, document, path, mutation));
                    }
                }
            }
            cases = tasks.parallelStream().map(t -> {
                String yaml = dump(replace(t.document(), t.path(), 0, t.mutation()));
                long start = System.nanoTime();
                boolean accepted = false;
                String outcome;
                try {
                    parseOffline(t.stack(), yaml);
                    accepted = true;
                    outcome = "accepted by the parser";
                } catch (ConfigException e) {
                    outcome = e.errors().stream().anyMatch(err -> !err.file().equals(StackFile.fileName(t.stack()))
                            || err.path().isBlank()) ? "an error without file or key path: " + e.getMessage() : e.getMessage();
                } catch (RuntimeException | StackOverflowError e) {
                    outcome = "crash: " + e;
                }
                return new Case(t.stack(), t.path(), t.mutation(), accepted, outcome, System.nanoTime() - start);
            }).toList();
        }
        return cases;
    }

    @Test
    void everyMutationOfEveryLeafOfEveryCommittedStackIsParsedOrRefusedCleanly() {
        var all = cases();
        assertTrue(all.size() > 1000, "cases: " + all.size());
        var failures = new ArrayList<String>();
        Case slowest = all.get(0);
        for (Case c : all) {
            if (c.outcome().startsWith("crash: ") || c.outcome().startsWith("an error without file or key path")) {
                failures.add(c.describe() + ": " + abbreviate(c.outcome()));
            }
            if (c.outcome().contains(PLANTED)) {
                failures.add(c.describe() + ": the planted secret is echoed: " + c.outcome());
            }
            slowest = c.nanos() > slowest.nanos() ? c : slowest;
        }
        assertEquals(List.of(), failures);
        // Both outcomes occur: the mutations are not all refused (then the sample below would plan nothing).
        assertTrue(all.stream().anyMatch(Case::accepted) && all.stream().anyMatch(c -> !c.accepted()));
        // A hang guard, not a benchmark (a parse takes milliseconds; the bound leaves room for a loaded machine).
        assertTrue(slowest.nanos() < Duration.ofSeconds(20).toNanos(), "slowest case " + slowest.nanos() / 1_000_000 + " ms: "
                + slowest.describe());
    }

    /**
     * The end-to-end sample, fixed by the committed stacks (leaves in file order): per stack, one parser-accepted
     * case under each top-level key, with an {@link #END_TO_END} mutation the stack's sample does not have yet
     * when that key accepts one (else the next in turn from the key's index), then the first accepted case of any
     * mutation still missing. So every component's config and every mutation the parser lets through is planned:
     * about 27 cases instead of the 130 accepted ones, planned in a handful of batches ({@link #batches}).
     */
    static List<Case> sample() {
        var sample = new ArrayList<Case>();
        for (String stack : STACKS) {
            var accepted = cases().stream().filter(c -> c.stack().equals(stack) && c.accepted()
                    && END_TO_END.contains(c.mutation())).toList();
            var mine = new ArrayList<Case>();
            var keys = accepted.stream().map(Case::key).distinct().toList();
            for (int k = 0; k < keys.size(); k++) {
                String key = keys.get(k);
                Case chosen = null;
                for (int m = 0; m < END_TO_END.size(); m++) {
                    Object mutation = END_TO_END.get((k + m) % END_TO_END.size());
                    var found = accepted.stream().filter(c -> c.key().equals(key) && c.mutation().equals(mutation)).findFirst();
                    if (found.isEmpty()) {
                        continue;
                    }
                    if (mine.stream().noneMatch(c -> c.mutation().equals(mutation))) {
                        chosen = found.get();
                        break;
                    }
                    chosen = chosen == null ? found.get() : chosen;
                }
                mine.add(chosen);
            }
            for (Object mutation : END_TO_END) {
                if (mine.stream().noneMatch(c -> c.mutation().equals(mutation))) {
                    accepted.stream().filter(c -> c.mutation().equals(mutation)).findFirst().ifPresent(mine::add);
                }
            }
            sample.addAll(mine);
        }
        return sample;
    }

    /** Cases of one stack planned together: their mutations applied to one document. */
    record Batch(String stack, List<Case> cases, String yaml) {
        String describe() {
            return cases.stream().map(Case::describe).collect(Collectors.joining("; "));
        }
    }

    /**
     * The sample in as few plans as the parser allows: per stack, the sampled mutations are applied together to
     * one document while each lands on its own leaf and the parser accepts the combination (a case the
     * combination refuses starts the next batch). Each case was accepted alone, so every batch parses.
     */
    static List<Batch> batches(List<Case> sample) {
        var batches = new ArrayList<Batch>();
        for (String stack : STACKS) {
            var remaining = new ArrayList<>(sample.stream().filter(c -> c.stack().equals(stack)).toList());
            while (!remaining.isEmpty()) {
                var batch = new ArrayList<Case>();
                Object document = new Yaml().load(committed(stack));
                for (Case c : List.copyOf(remaining)) {
                    if (batch.stream().anyMatch(b -> overlaps(b.path(), c.path()))) {
                        continue;
                    }
                    Object candidate = replace(document, c.path(), 0, c.mutation());
                    if (!batch.isEmpty()) {
                        try {
                            parseOffline(stack, dump(candidate));
                        } catch (ConfigException e) {
                            continue;
                        }
                    }
                    document = candidate;
                    batch.add(c);
                    remaining.remove(c);
                }
                batches.add(new Batch(stack, List.copyOf(batch), dump(document)));
            }
        }
        return batches;
    }

    /** Whether one path is the other or lies under it (replacing both would lose one). */
    static boolean overlaps(List<Object> a, List<Object> b) {
        int n = Math.min(a.size(), b.size());
        return a.subList(0, n).equals(b.subList(0, n));
    }

    @Test
    void aFixedSampleOfAcceptedMutationsPlansEndToEndWithoutACrash(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Files.copy(ROOT.resolve("Pulumi.yaml"), dir.resolve("Pulumi.yaml"));
        var sample = sample();
        // The sample holds every end-to-end mutation and every top-level key that the parser accepts anywhere.
        var accepted = cases().stream().filter(c -> c.accepted() && END_TO_END.contains(c.mutation())).toList();
        for (String stack : STACKS) {
            var ofStack = accepted.stream().filter(c -> c.stack().equals(stack)).toList();
            var sampled = sample.stream().filter(c -> c.stack().equals(stack)).toList();
            assertEquals(ofStack.stream().map(Case::mutation).collect(Collectors.toSet()),
                    sampled.stream().map(Case::mutation).collect(Collectors.toSet()), stack);
            assertEquals(ofStack.stream().map(Case::key).collect(Collectors.toSet()),
                    sampled.stream().map(Case::key).collect(Collectors.toSet()), stack);
        }
        assertTrue(sample.size() >= 20 && sample.size() < accepted.size() / 4, "sample " + sample.size() + " of " + accepted.size());
        // Numbers and an emoji reach the plan somewhere.
        var mutations = sample.stream().map(Case::mutation).collect(Collectors.toSet());
        assertTrue(mutations.containsAll(List.of(0L, 99999999999999L, "😀")), mutations.toString());

        var batches = batches(sample);
        // Every sampled case is planned exactly once, and batching saves most of the plans.
        assertEquals(sample, batches.stream().flatMap(b -> b.cases().stream())
                .sorted(java.util.Comparator.comparingInt(sample::indexOf)).toList());
        assertTrue(batches.size() <= sample.size() / 2, batches.size() + " plans for " + sample.size() + " cases");

        var failures = new ArrayList<String>();
        long slowestNanos = 0;
        String slowest = "";
        for (Batch b : batches) {
            Files.writeString(dir.resolve("Pulumi." + b.stack() + ".yaml"), b.yaml());
            var out = new ByteArrayOutputStream();
            long start = System.nanoTime();
            int code = Cli.run(new String[]{"plan", "--stack", b.stack(), "--json", "--cwd", dir.toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
            long took = System.nanoTime() - start;
            String outcome = out.toString(StandardCharsets.UTF_8);
            // Accepted by the parser: the whole plan must still end in 0, 1 or 2, never a crash.
            if (code != Cli.OK && code != Cli.GUARDRAIL_ERROR && code != Cli.INVALID) {
                failures.add(b.describe() + ": exit " + code + ": "
                        + abbreviate(outcome.lines().filter(l -> !l.isBlank()).findFirst().orElse("")));
            }
            if (outcome.contains(PLANTED)) {
                failures.add(b.describe() + ": the planted secret is echoed in the plan");
            }
            if (took > slowestNanos) {
                slowestNanos = took;
                slowest = b.describe();
            }
        }
        assertEquals(List.of(), failures);
        // A hang guard for pathological inputs, not a benchmark: the first plan of a JVM also loads the providers'
        // classes (seconds on a loaded machine).
        assertTrue(slowestNanos < Duration.ofSeconds(60).toNanos(), "slowest plan " + slowestNanos / 1_000_000 + " ms: " + slowest);
    }

    static String abbreviate(Object value) {
        String text = String.valueOf(value);
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    @Test
    void theCommandLineExitsTwoAndNeverPrintsThePlantedSecret(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Files.copy(ROOT.resolve("Pulumi.yaml"), dir.resolve("Pulumi.yaml"));
        Files.writeString(dir.resolve("Pulumi.dev.yaml"), edit("dev", "    region: europe-west1\n",
                "    region: europe-west1\n    adminPassword: " + PLANTED + "\n    tier: db-custom-99999999999-1024\n"));
        for (var args : List.of(List.of("plan", "--stack", "dev", "--cwd", dir.toString()),
                List.of("plan", "--stack", "dev", "--json", "--cwd", dir.toString()))) {
            var out = new ByteArrayOutputStream();
            var err = new ByteArrayOutputStream();
            int code = Cli.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            String all = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
            assertEquals(Cli.INVALID, code, all);
            assertFalse(all.contains(PLANTED), all);
            assertTrue(all.contains("data-platform:cloudSql.tier"), all);
            if (all.contains("Exception") || all.contains("\tat ")) {
                fail("a stack trace: " + all);
            }
        }
    }
}
