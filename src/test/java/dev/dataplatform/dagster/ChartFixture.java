package dev.dataplatform.dagster;

import dev.dataplatform.schemas.ChartSchemas;
import dev.dataplatform.testing.Conformance;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A chart archive from the conformance fixtures, unpacked into a temporary directory and made renderable offline:
 * the remote Kubernetes {@code $ref}s of its values.schema.json files (and its subcharts') point at the local
 * {@code charts/kubernetes-json-schema/_definitions.json} through {@link ChartSchemas#localizeChart}, so Helm never
 * reaches for the network. The fixture itself is never modified.
 */
final class ChartFixture {
    static final String DEFINITIONS = "charts/kubernetes-json-schema/" + ChartSchemas.DEFINITIONS_FILE;

    private ChartFixture() {
    }

    /**
     * Unpacks {@code archive} (a path inside the conformance directory, e.g. {@code charts/dagster-1.13-master.tgz})
     * into {@code into} and localizes its schemas; returns the chart directory ({@code into/<top folder>}).
     */
    static Path unpack(String archive, String topFolder, Path into) throws IOException {
        Path tgz = Conformance.require(archive);
        Path definitions = Conformance.require(DEFINITIONS);
        untar(tgz, into);
        Path chart = into.resolve(topFolder);
        if (!Files.isRegularFile(chart.resolve("Chart.yaml"))) {
            throw new IllegalStateException(archive + " has no " + topFolder + "/Chart.yaml");
        }
        if (ChartSchemas.localizeChart(chart, definitions).isEmpty()) {
            throw new IllegalStateException(archive + ": no schema had remote $refs; the fixture changed?");
        }
        return chart;
    }

    /** A plain (ustar / v7) gzip'd tar: regular files and directories, no links. */
    static void untar(Path tgz, Path into) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(tgz)))) {
            byte[] header = new byte[512];
            String longName = null;
            while (in.readNBytes(header, 0, 512) == 512) {
                if (header[0] == 0) {
                    break;
                }
                String name = longName != null ? longName : field(header, 0, 100);
                longName = null;
                String prefix = field(header, 345, 155);
                if (!prefix.isEmpty() && name.equals(field(header, 0, 100))) {
                    name = prefix + "/" + name;
                }
                long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
                char type = (char) header[156];
                byte[] data = in.readNBytes((int) size);
                long padding = (512 - size % 512) % 512;
                in.skipNBytes(padding);
                if (type == 'L') {
                    longName = new String(data, StandardCharsets.UTF_8).replace("\0", "");
                    continue;
                }
                Path target = root.resolve(name).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException("entry outside the target directory: " + name);
                }
                if (type == '5') {
                    Files.createDirectories(target);
                } else if (type == '0' || type == '\0') {
                    Files.createDirectories(target.getParent());
                    Files.write(target, data);
                }
            }
        }
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }
}
