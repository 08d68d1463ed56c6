package dev.dataplatform.guardrails;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which SSM parameters are a tenant's own: its database URL and its backup keys, not any path naming it somewhere. */
class TenantCredentialRulesTest {
    @ParameterizedTest(name = "{0} owns {1}: {2}")
    @CsvSource({
            "globex, /globex/prod/database/url, true",
            "globex, /data-platform/prod/r2-backups/globex/access-key-id, true",
            "globex, /data-platform/prod/r2-backups/globex/secret-access-key, true",
            "globex, /acme/prod/database/url, false",
            "globex, /data-platform/prod/r2-backups/acme/access-key-id, false",
            "globex, /data-platform/prod/r2-backups/access-key-id, false",
            // Clients named like a segment of someone else's path do not pass for it.
            "prod, /data-platform/prod/r2-backups/access-key-id, false",
            "database, /globex/prod/database/url, false",
            "r2-backups, /data-platform/prod/r2-backups/globex/access-key-id, false",
            "url, /globex/prod/database/url, false",
            "globex, /data-platform/globex/other-secret, false",
    })
    void aTenantOwnsOnlyItsUrlAndItsBackupKeys(String tenant, String parameter, boolean owned) {
        assertEquals(owned, TenantCredentialRules.owns(tenant, parameter));
    }
}
