package dev.dataplatform;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every cross-reference resolves: relative links (and their #anchors) in the README and docs/, and the
 * docs/ pages that stack files, workflows and code point readers to.
 */
class DocsLinksTest {
    static final Path ROOT = Path.of("..");
    static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    static final Pattern POINTER = Pattern.compile("docs/[a-z0-9-]+\\.md(#[a-z0-9-]+)?");
    static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$", Pattern.MULTILINE);

    static List<Path> markdown() throws IOException {
        var files = new ArrayList<Path>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to '-'. */
    static Set<String> anchors(Path file) throws IOException {
        var result = new HashSet<String>();
        var matcher = HEADING.matcher(Files.readString(file));
        while (matcher.find()) {
            String slug = matcher.group(1).trim().toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            result.add(slug);
        }
        return result;
    }

    static List<String> broken(Path from, String target) throws IOException {
        if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("mailto:")) {
            return List.of();
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path file = path.isEmpty() ? from : from.getParent().resolve(path).normalize();
        if (!Files.exists(file)) {
            return List.of(from.getFileName() + " -> " + target + ": no such file");
        }
        if (anchor != null && file.toString().endsWith(".md") && !anchors(file).contains(anchor)) {
            return List.of(from.getFileName() + " -> " + target + ": no heading with anchor #" + anchor);
        }
        return List.of();
    }

    @Test
    void everyRelativeLinkInTheReadmeAndDocsResolves() throws IOException {
        var problems = new ArrayList<String>();
        int links = 0;
        for (Path file : markdown()) {
            var matcher = LINK.matcher(Files.readString(file));
            while (matcher.find()) {
                links++;
                problems.addAll(broken(file, matcher.group(1)));
            }
        }
        assertTrue(links > 10, "links found: " + links);
        assertEquals(List.of(), problems);
    }

    @Test
    void everyDocsPageTheReadmeDoesNotLinkIsLinkedFromAnotherPage() throws IOException {
        var linked = new HashSet<String>();
        for (Path file : markdown()) {
            var matcher = LINK.matcher(Files.readString(file));
            while (matcher.find()) {
                String target = matcher.group(1).replaceAll("#.*", "");
                linked.add(file.getParent().resolve(target).normalize().getFileName().toString());
            }
        }
        var orphans = markdown().stream().skip(1).map(p -> p.getFileName().toString())
                .filter(n -> !linked.contains(n)).toList();
        assertEquals(List.of(), orphans, "docs pages nobody links to");
    }

    @Test
    void everyPointerToDocsFromStackFilesWorkflowsAndCodeResolves() throws IOException {
        var problems = new ArrayList<String>();
        var sources = new ArrayList<Path>();
        try (Stream<Path> top = Files.list(ROOT)) {
            top.filter(p -> p.getFileName().toString().matches("Pulumi.*\\.yaml")).forEach(sources::add);
        }
        for (String dir : List.of(".github", ".ci", "src/main", "components/src/main", "src/bench")) {
            if (Files.isDirectory(ROOT.resolve(dir))) {
                try (Stream<Path> walk = Files.walk(ROOT.resolve(dir))) {
                    // Not installed tools (.ci/action-validator/node_modules): they are no project text.
                    walk.filter(Files::isRegularFile).filter(p -> !p.toString().contains("node_modules")).forEach(sources::add);
                }
            }
        }
        int pointers = 0;
        for (Path source : sources) {
            var matcher = POINTER.matcher(Files.readString(source));
            while (matcher.find()) {
                pointers++;
                for (String problem : broken(ROOT.resolve("README.md"), matcher.group())) {
                    problems.add(ROOT.relativize(source) + ": " + problem);
                }
            }
        }
        assertTrue(pointers > 3, "pointers found: " + pointers);
        assertEquals(List.of(), problems);
    }
}
