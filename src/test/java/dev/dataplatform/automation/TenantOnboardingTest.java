package dev.dataplatform.automation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TenantOnboardingTest {
    static final String STACK = """
            config:
              data-platform:environment: prod
              data-platform:tenants:
                aws: {accountId: "123456789012", region: eu-west-1, oidcProvider: oidc.example.com/id/A}
                clients:
                  - name: acme
                    extensions: [postgis]
                  - {name: globex}

              # Dagster comes next.
              data-platform:dagster:
                chartVersion: "1.13.8"
            """;

    @Test
    void theEntryGoesAfterTheLastClientAndBeforeWhatFollows() {
        String after = TenantOnboarding.addClient(STACK, "Pulumi.prod.yaml", new TenantOnboarding.Client("initech", null, List.of()));
        assertEquals(STACK.replace("      - {name: globex}\n", "      - {name: globex}\n      - name: initech\n"), after);
    }

    @Test
    void aListAtTheSameIndentAsItsKeyIsFollowed() {
        String sameIndent = "config:\n  data-platform:tenants:\n    clients:\n    - name: acme\n";
        assertEquals("config:\n  data-platform:tenants:\n    clients:\n    - name: acme\n    - name: initech\n      appNamespace: apps\n",
                TenantOnboarding.addClient(sameIndent, "f", new TenantOnboarding.Client("initech", "apps", List.of())));
    }

    @Test
    void inlineListsAndDuplicatesAreRefused() {
        var inline = assertThrows(PlatformException.class, () -> TenantOnboarding.addClient(
                "config:\n  data-platform:tenants:\n    clients: [{name: acme}]\n", "f", new TenantOnboarding.Client("b", null, null)));
        assertTrue(inline.getMessage().contains("is written inline"));
        var duplicate = assertThrows(PlatformException.class, () -> TenantOnboarding.addClient(STACK, "f",
                new TenantOnboarding.Client("globex", null, null)));
        assertTrue(duplicate.getMessage().contains("'globex' is already"));
        var extension = assertThrows(PlatformException.class, () -> new TenantOnboarding.Client("x", null, List.of("Bad")));
        assertTrue(extension.getMessage().startsWith("extension 'Bad' is not valid"));
    }
}
