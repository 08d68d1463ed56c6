package dev.dataplatform.storage;

import dev.dataplatform.core.Rules;

import java.util.Optional;
import java.util.regex.Pattern;

/** Bucket naming rules of S3 and GCS as pure functions: what is wrong and what is allowed, or empty. */
public final class BucketRules {
    static final Pattern S3 = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    static final Pattern GCS = Pattern.compile("[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]");
    static final Pattern IP = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
    static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9-]{1,40}[a-z0-9]");
    /**
     * GCS identities: IAM members, {@code kind:local@domain} with exactly one '@' and no space, ':' or
     * '/' in the address. Each part's characters exclude the separator that ends it, so matching
     * takes time linear in the length (the former {@code [^\\s]+@[^\\s]+} backtracked quadratically).
     */
    public static final Pattern IAM_MEMBER = Pattern.compile("(serviceAccount|group|user):[^\\s@:/]+@[^\\s@:/]+");
    /** The longest identity accepted: an IAM member's email address is at most 254 characters (RFC 5321). */
    public static final int IDENTITY_MAX_LENGTH = 300;
    /** S3 identities: IAM role names. */
    public static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");

    /** The identity form a cloud expects: IAM members on GCP, IAM role names on AWS. */
    public static Pattern identity(ObjectBuckets.Cloud cloud) {
        return cloud == ObjectBuckets.Cloud.GCP ? IAM_MEMBER : ROLE_NAME;
    }

    private BucketRules() {
    }

    /** An identity (who may read or write the buckets) as the cloud expects it; empty when valid. */
    public static Optional<String> identity(ObjectBuckets.Cloud cloud, String identity) {
        String allowed = cloud == ObjectBuckets.Cloud.GCP
                ? "an IAM member such as serviceAccount:ingest@acme.iam.gserviceaccount.com"
                : "an IAM role name such as data-ingestion";
        if (identity == null || identity.length() > IDENTITY_MAX_LENGTH) {
            return Optional.of("identity " + (identity == null ? "null" : "of " + identity.length() + " characters")
                    + " is not valid; allowed: " + allowed + ", at most " + IDENTITY_MAX_LENGTH + " characters");
        }
        return Rules.matches(identity(cloud), identity, allowed).map(problem -> "identity " + problem);
    }

    /** The prefix of every bucket name: short enough for "-stage-warehouse" to fit in 63 characters. */
    /** A Cloud KMS key's resource name (google_kms_crypto_key id). */
    static final Pattern GCP_KMS_KEY = Pattern.compile(
            "projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/locations/[a-z0-9-]{1,40}/keyRings/[A-Za-z0-9_-]{1,63}/cryptoKeys/[A-Za-z0-9_-]{1,63}");

    /** The key that encrypts the buckets: an AWS KMS key or alias ARN, or a Cloud KMS key's resource name. */
    public static Optional<String> kmsKey(ObjectBuckets.Cloud cloud, String value) {
        if (cloud == ObjectBuckets.Cloud.AWS) {
            return dev.dataplatform.aws.RdsRules.kmsKey(value);
        }
        return Rules.matches(GCP_KMS_KEY, value, "a Cloud KMS key such as projects/acme-data/locations/europe/keyRings/"
                + "lake/cryptoKeys/buckets");
    }

    public static Optional<String> prefix(String value) {
        return Rules.matches(PREFIX, value, "3-42 lower-case letters, digits and '-', starting with a letter");
    }

    public static Optional<String> name(ObjectBuckets.Cloud cloud, String name) {
        if (cloud == ObjectBuckets.Cloud.AWS) {
            if (!S3.matcher(name).matches()) {
                return Optional.of("S3 bucket name '" + name + "' is not valid; allowed: 3-63 lower-case letters, digits, '.' and '-', "
                        + "starting and ending with a letter or digit");
            }
            if (name.contains("..") || IP.matcher(name).matches() || name.startsWith("xn--") || name.startsWith("sthree-")
                    || name.endsWith("-s3alias") || name.endsWith("--ol-s3")) {
                return Optional.of("S3 bucket name '" + name + "' is reserved or malformed (no '..', IP addresses, xn--/sthree- "
                        + "prefixes or -s3alias/--ol-s3 suffixes)");
            }
            return Optional.empty();
        }
        if (!GCS.matcher(name).matches()) {
            return Optional.of("GCS bucket name '" + name + "' is not valid; allowed: 3-63 lower-case letters, digits, '-' and '_', "
                    + "starting and ending with a letter or digit");
        }
        if (name.startsWith("goog") || name.contains("google") || name.contains("g00gle")) {
            return Optional.of("GCS bucket name '" + name + "' may not start with 'goog' or contain 'google'");
        }
        return Optional.empty();
    }
}
