package dev.dataplatform.automation;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pull-request workflow (.github/workflows/preview.yml) against the checklist in docs/operations.md:
 * least-privilege permissions per job, fork pull requests without secrets, OIDC credential steps driven
 * by repository variables, previews gated by a GitHub Environment whose OIDC subject the documented cloud
 * trusts are bound to, no stack created by a preview, action majors as verified. WorkflowSchemaTest
 * validates the file against the workflow schema; this class checks what a schema cannot.
 */
class WorkflowTest {
    static final Path ROOT = Path.of("..");

    /**
     * The actions the workflow may use, at the major whose action.yml was read (docs/upstream-facts.md,
     * "Pulumi SDK, language host and GitHub Actions"): each runs on node24.
     */
    static final Map<String, String> VERIFIED_ACTIONS = Map.of(
            "actions/checkout", "v7",                           // actions/checkout action.yml@v7.0.1
            "actions/setup-java", "v5",                         // actions/setup-java action.yml@v5.7.0
            "actions/upload-artifact", "v7",                    // actions/upload-artifact action.yml@v7.0.0
            "actions/download-artifact", "v8",                  // actions/download-artifact action.yml@v8.0.1
            "google-github-actions/auth", "v3",                 // google-github-actions/auth action.yml@v3.0.0
            "google-github-actions/setup-gcloud", "v3",         // google-github-actions/setup-gcloud action.yml@v3.0.1
            "aws-actions/configure-aws-credentials", "v6",      // aws-actions/configure-aws-credentials action.yml@v6.2.3
            "pulumi/actions", "v7");                            // pulumi/actions action.yml@v7.0.0

    static final Pattern REFERENCE = Pattern.compile("\\b(vars|secrets)\\.([A-Z][A-Z0-9_]*)|vars\\[format\\('([A-Z_]+)\\{0}'");

    @SuppressWarnings("unchecked")
    static Map<String, Object> workflow() throws IOException {
        return new Yaml().load(Files.readString(ROOT.resolve(".github/workflows/preview.yml")));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> job(String name) throws IOException {
        return (Map<String, Object>) ((Map<String, Object>) workflow().get("jobs")).get(name);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> steps(String job) throws IOException {
        return (List<Map<String, Object>>) job(job).get("steps");
    }

    static Map<String, Object> step(String job, String uses) throws IOException {
        return steps(job).stream().filter(s -> String.valueOf(s.get("uses")).startsWith(uses + "@")).findFirst()
                .orElseThrow(() -> new AssertionError(job + " has no step " + uses));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> with(Map<String, Object> step) {
        return (Map<String, Object>) step.get("with");
    }

    @Test
    void noPermissionsByDefaultAndEachJobAsksForWhatItNeeds() throws IOException {
        assertEquals(Map.of(), workflow().get("permissions"));
        assertEquals(Map.of("contents", "read"), job("build").get("permissions"), "the job that builds PR code only reads");
        assertEquals(Map.of("contents", "read", "id-token", "write", "pull-requests", "write"), job("preview").get("permissions"));
        assertEquals(Map.of("pull-requests", "write"), job("comment").get("permissions"), "the commenting job only comments");
    }

    @Test
    void thePlanDiffIsCommentedByAJobThatRunsNoPullRequestCode() throws IOException {
        var comment = String.valueOf(steps("comment"));
        assertFalse(comment.contains("actions/checkout"), "no checkout of the pull request's code");
        assertTrue(comment.contains("gh pr comment") && comment.contains("plans/comment.md"), comment);
        assertTrue(String.valueOf(job("comment").get("if")).contains("github.event.pull_request.head.repo.full_name == github.repository"));
        assertTrue(String.valueOf(steps("build")).contains("exit 1"), "a stateful delete or replacement fails the check");
    }

    @Test
    void forkPullRequestsRunTheOfflinePlanOnly() throws IOException {
        assertEquals("github.event.pull_request.head.repo.full_name == github.repository", job("preview").get("if"));
        assertEquals("build", job("preview").get("needs"));
        var build = String.valueOf(steps("build"));
        assertFalse(build.contains("secrets."), "the build job uses no secret");
        assertTrue(build.contains("plan --stack \"$stack\" --json"), "offline plans");
        assertTrue(build.contains("--diff \"plans/base-$stack.json\""), "plan --diff against the base branch's plans");
        for (String job : List.of("build", "preview")) {
            assertEquals(false, with(step(job, "actions/checkout")).get("persist-credentials"), job);
        }
    }

    @Test
    void credentialsComeFromOidcStepsDrivenByRepositoryVariables() throws IOException {
        var gcp = step("preview", "google-github-actions/auth");
        assertEquals("matrix.gcp", gcp.get("if"));
        assertEquals("${{ env.GCP_WORKLOAD_IDENTITY_PROVIDER }}", with(gcp).get("workload_identity_provider"));
        assertEquals("${{ env.GCP_SERVICE_ACCOUNT }}", with(gcp).get("service_account"));
        var aws = step("preview", "aws-actions/configure-aws-credentials");
        assertEquals("matrix.aws", aws.get("if"));
        assertEquals("${{ env.AWS_ROLE_ARN }}", with(aws).get("role-to-assume"));
        assertEquals("${{ env.AWS_REGION_FOR_STACK }}", with(aws).get("aws-region"));
        @SuppressWarnings("unchecked")
        var env = (Map<String, Object>) job("preview").get("env");
        assertTrue(String.valueOf(env.get("GCP_SERVICE_ACCOUNT")).contains("vars[format('GCP_SERVICE_ACCOUNT_{0}', matrix.suffix)]"));
        assertTrue(String.valueOf(env.get("AWS_ROLE_ARN")).contains("vars[format('AWS_ROLE_ARN_{0}', matrix.suffix)]"));
        assertFalse(String.valueOf(steps("preview")).contains("aws-access-key-id"), "no long-lived keys");
    }

    @Test
    void previewsGetTheExecCredentialPluginsOfTheirClusters() throws IOException {
        // GKE clusters' kubeconfigs run gke-gcloud-auth-plugin: a component of a gcloud the action installs (the
        // runner's own gcloud is locked against components).
        var gcloud = step("preview", "google-github-actions/setup-gcloud");
        assertEquals("matrix.gcp", gcloud.get("if"));
        assertEquals("gke-gcloud-auth-plugin", with(gcloud).get("install_components"));
        var names = steps("preview").stream().map(s -> String.valueOf(s.get("uses") != null ? s.get("uses") : s.get("name"))).toList();
        var check = steps("preview").stream().filter(s -> String.valueOf(s.get("run")).contains("gke-gcloud-auth-plugin --version"))
                .findFirst().orElseThrow(() -> new AssertionError("no step checks the plugins"));
        assertTrue(String.valueOf(check.get("run")).contains("aws --version"), "EKS clusters run aws eks get-token");
        // Both come before any pulumi command.
        int pulumi = names.indexOf("pulumi/actions@v7");
        assertTrue(names.indexOf("google-github-actions/setup-gcloud@v3") < pulumi && names.indexOf(check.get("name")) < pulumi, names.toString());
    }

    /** The environment a preview of {@code stack} runs in (docs/operations.md, "Pull-request previews"). */
    static String environmentOf(String stack) throws IOException {
        return String.valueOf(job("preview").get("environment")).replace("${{ matrix.stack }}", stack);
    }

    @Test
    void previewsRunInAGitHubEnvironmentPerStack() throws IOException {
        // A plain string: the environment's name, so the OIDC token's subject is repo:<owner>/<repo>:environment:<name>.
        assertEquals("preview-${{ matrix.stack }}", job("preview").get("environment"));
        @SuppressWarnings("unchecked")
        var include = (List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>) job("preview")
                .get("strategy")).get("matrix")).get("include");
        assertEquals(List.of("dev", "stage", "prod"), include.stream().map(m -> m.get("stack")).toList());
        assertFalse(String.valueOf(job("build").keySet()).contains("environment"), "the build job needs no environment");
    }

    @Test
    void theDocumentedCloudTrustsAreBoundToTheEnvironmentsSubject() throws IOException {
        var docs = Files.readString(ROOT.resolve("docs/operations.md"));
        for (String stack : List.of("dev", "stage", "prod")) {
            String subject = "repo:acme/data-platform:environment:" + environmentOf(stack);
            assertTrue(docs.contains(subject), "docs/operations.md binds the trust for " + stack + " to " + subject);
        }
        // Stage and prod wait for a reviewer; the doc says so for exactly those environments.
        for (String stack : List.of("stage", "prod")) {
            assertTrue(docs.contains("| `" + environmentOf(stack) + "` | required reviewers"), "reviewers for " + stack);
        }
        // AWS: an exact subject and audience (StringEquals, no wildcard); GCP: the principal of that one subject.
        assertTrue(docs.contains("\"token.actions.githubusercontent.com:sub\": \"repo:acme/data-platform:environment:preview-prod\""));
        assertTrue(docs.contains("\"token.actions.githubusercontent.com:aud\": \"sts.amazonaws.com\""));
        assertFalse(docs.contains("StringLike"), "no wildcard subject in the documented trust");
        assertTrue(docs.contains("workloadIdentityPools/github/subject/repo:acme/data-platform:environment:preview-prod"));
    }

    @Test
    void previewsNeverCreateStacksAndSayWhenOneIsMissing() throws IOException {
        var preview = steps("preview").stream().filter(s -> s.containsKey("with") && "preview".equals(with(s).get("command")))
                .findFirst().orElseThrow();
        assertEquals("pulumi/actions@v7", preview.get("uses"));
        assertEquals(false, with(preview).get("upsert"));
        assertEquals(true, with(preview).get("comment-on-pr"));
        assertTrue(String.valueOf(steps("preview")).contains("does not exist in the backend; create it once with 'pulumi stack init"));
    }

    @Test
    void everyActionIsAtItsVerifiedMajor() throws IOException {
        var used = new TreeSet<String>();
        for (String job : List.of("build", "preview")) {
            for (var step : steps(job)) {
                if (step.get("uses") instanceof String uses) {
                    var name = uses.substring(0, uses.indexOf('@'));
                    assertEquals(VERIFIED_ACTIONS.get(name), uses.substring(uses.indexOf('@') + 1), uses);
                    used.add(name);
                }
            }
        }
        assertEquals(new TreeSet<>(VERIFIED_ACTIONS.keySet()), used);
    }

    @Test
    void everyVariableAndSecretTheWorkflowReadsIsDocumented() throws IOException {
        var text = Files.readString(ROOT.resolve(".github/workflows/preview.yml"));
        var docs = Files.readString(ROOT.resolve("docs/operations.md"));
        Set<String> names = new TreeSet<>();
        var matcher = REFERENCE.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(2) != null ? matcher.group(2) : matcher.group(3) + "<STACK>");
        }
        names.remove("GITHUB_TOKEN");
        assertEquals(Set.of("AWS_REGION_<STACK>", "AWS_ROLE_ARN_<STACK>", "GCP_SERVICE_ACCOUNT_<STACK>",
                "GCP_WORKLOAD_IDENTITY_PROVIDER", "PULUMI_ACCESS_TOKEN", "PULUMI_BACKEND_URL"), names);
        names.forEach(name -> assertTrue(docs.contains("`" + name + "`"), "docs/operations.md documents " + name));
    }
}
