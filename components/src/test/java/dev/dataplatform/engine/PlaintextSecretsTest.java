package dev.dataplatform.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a plain-text secret looks like, how it is masked, and that no hostile value makes the check slow. */
class PlaintextSecretsTest {

    /** The regular expressions these checks replaced (they backtracked quadratically on long values). */
    static final Pattern FORMER_URI_WITH_PASSWORD = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s:@]+:[^/\\s@]+@");
    static final Pattern FORMER_SECRET_KEY = Pattern.compile(
            "(?i).*(password|passwd|secret|token|apikey|api_key|privatekey|private_key|secretaccesskey|credentials)");
    static final Pattern FORMER_TEMPLATE = Pattern.compile("\\s*\\{\\{[^{}]*\\}\\}\\s*");

    static final Duration BOUND = Duration.ofSeconds(1);
    static final int LONG = 100_000;

    @ParameterizedTest
    @CsvSource({
            "https://user:pass@host/db, true",
            "postgresql://app:s3cr3t@10.0.0.1:5432/app, true",
            "see s3+https://k:v@r2.example.com for backups, true",
            "https://user@host, false",
            "https://host:443/path, false",
            "https://:pass@host, false",
            "https://user:@host, false",
            "://user:pass@host, false",
            "1://user:pass@host, false",
            "https://us er:pass@host, false",
            "https://user:pa/ss@host, false",
            "x://a:b:c@d, true",
    })
    void uriPasswordsAreFoundWhereTheFormerPatternFoundThem(String value, boolean expected) {
        assertEquals(expected, Masking.hasUriPassword(value), value);
        assertEquals(FORMER_URI_WITH_PASSWORD.matcher(value).find(), Masking.hasUriPassword(value), value);
    }

    @Test
    void theLinearScannersAgreeWithTheFormerPatternsOnRandomStrings() {
        var random = new Random(17);
        String alphabet = "aZ9+.-:/@ \t{}x_Pk";
        for (int i = 0; i < 20_000; i++) {
            var s = new StringBuilder();
            int length = random.nextInt(24);
            for (int j = 0; j < length; j++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String value = random.nextInt(4) == 0 ? "h://" + s : s.toString();
            assertEquals(FORMER_URI_WITH_PASSWORD.matcher(value).find(), Masking.hasUriPassword(value), value);
            assertEquals(FORMER_TEMPLATE.matcher(value).matches(), Masking.isTemplateExpression(value), value);
            String key = value + (random.nextBoolean() ? "Token" : "");
            assertEquals(FORMER_SECRET_KEY.matcher(key).matches(), Masking.isSecretKey(key), key);
        }
    }

    @ParameterizedTest
    @CsvSource({
            "https://user:pass@host/db, https://user:[secret]@host/db",
            "a://u:p@h and b://v:q@i, a://u:[secret]@h and b://v:[secret]@i",
            "https://host/no-password, https://host/no-password",
    })
    void onlyThePasswordOfAUriIsMasked(String value, String masked) {
        assertEquals(masked, Masking.maskUriPasswords(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"password", "dbPassword", "DB_PASSWD", "clientSecret", "apiKey", "API_KEY", "privateKey",
            "awsSecretAccessKey", "gcpCredentials", "token"})
    void secretNamedKeys(String key) {
        assertTrue(Masking.isSecretKey(key), key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"secretName", "passwordSecretRef", "tokenPath", "endpoint", "kmsKeyId", ""})
    void keysThatOnlyReferToASecret(String key) {
        assertFalse(Masking.isSecretKey(key), key);
    }

    @Test
    void maskedInputsHideWhatTheGuardrailReportsAndNothingElse() {
        Map<String, Object> inputs = Map.of(
                "endpoint", "https://backup:planted-url-secret@r2.example.com/bucket",
                "settings", Map.of("adminPassword", "planted-password", "user", "admin"),
                "env", List.of(Map.of("name", "TOKEN", "valueFrom", Map.of("secretKeyRef", Map.of("name", "db", "key", "token")))),
                "template", Map.of("password", "{{ .password }}"),
                "kmsKeyId", "arn:aws:kms:eu-west-1:123456789012:key/abc");
        var found = new ArrayList<String>();

        var masked = Masking.maskPlaintextInputs("kubernetes:core/v1:ConfigMap", inputs, (path, value) -> found.add(path + "=" + value));

        assertEquals(List.of("endpoint=https://backup:planted-url-secret@r2.example.com/bucket",
                "settings.adminPassword=planted-password"), found.stream().sorted().toList());
        assertEquals("https://backup:[secret]@r2.example.com/bucket", masked.get("endpoint"));
        assertEquals(Map.of("adminPassword", "[secret]", "user", "admin"), masked.get("settings"));
        assertSame(inputs.get("env"), masked.get("env"), "a reference to a Secret is a name, left as it is");
        assertSame(inputs.get("template"), masked.get("template"));
        assertEquals(inputs.get("kmsKeyId"), masked.get("kmsKeyId"));
    }

    @Test
    void everythingInAKubernetesSecretsDataIsMasked() {
        Map<String, Object> inputs = Map.of("stringData", Map.of("uri", "postgresql://db/app", "name", "x"),
                "metadata", Map.of("name", "db"));
        var masked = Masking.maskPlaintextInputs("kubernetes:core/v1:Secret", inputs, (path, value) -> { });
        assertEquals(Map.of("uri", "[secret]", "name", "[secret]"), masked.get("stringData"));
        assertSame(inputs.get("metadata"), masked.get("metadata"));
    }

    @Test
    void unchangedInputsAreReturnedAsTheyAre() {
        Map<String, Object> inputs = Map.of("name", "raw", "labels", Map.of("env", "dev"));
        assertSame(inputs, Masking.maskPlaintextInputs("gcp:storage/bucket:Bucket", inputs, (path, value) -> { }));
    }

    /** Inputs of 100k characters that made the former patterns backtrack for minutes. */
    static List<String> hostileValues() {
        return List.of(
                "a".repeat(LONG),
                "a".repeat(LONG) + "://",
                "a:".repeat(LONG / 2),
                "a://".repeat(LONG / 4),
                "x://" + "a:".repeat(LONG / 2),
                "x://u:" + "a".repeat(LONG) + " @",
                "{{" + "{".repeat(LONG) + "}}",
                " ".repeat(LONG) + "x");
    }

    @Test
    void hostileValuesAreCheckedWithinTheBound() {
        for (String value : hostileValues()) {
            assertTimeoutPreemptively(BOUND, () -> {
                Masking.hasUriPassword(value);
                Masking.maskUriPasswords(value);
                Masking.isSecretKey(value);
                Masking.isTemplateExpression(value);
            }, () -> "value starting " + value.substring(0, 20));
        }
    }

    @Test
    void aHugeInputUnderAnyKeyIsScannedWithinTheBound() {
        // The kmsKeyId of 5k-50k letters that took the no-plaintext-secrets guardrail minutes.
        Map<String, Object> inputs = Map.of("kmsKeyId", "k".repeat(LONG), "nested", Map.of("k".repeat(LONG) + "Password", "v",
                "list", hostileValues()));
        var found = new ArrayList<String>();
        var masked = assertTimeoutPreemptively(BOUND,
                () -> Masking.maskPlaintextInputs("aws:s3/bucketV2:BucketV2", inputs, (path, value) -> found.add(path)));
        assertEquals(1, found.size(), "only the secret-named key");
        assertEquals("k".repeat(LONG), masked.get("kmsKeyId"));
    }
}
