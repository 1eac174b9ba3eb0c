package io.grambot.core.internal.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading lines backwards across the reader's block boundaries. */
class AuditFilesTest {

    @TempDir
    Path dir;

    @Test
    void linesLongerThanABlockAndLinesAcrossBlocksComeBackWholeNewestFirst() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("a".repeat(70_000));
        for (int i = 0; i < 2_000; i++) {
            lines.add("line " + i + " " + "b".repeat(i % 97));
        }
        lines.add("c".repeat(140_000));
        lines.add("last");
        Path file = dir.resolve("audit.jsonl");
        Files.writeString(file, String.join("\n", lines) + "\n");

        List<String> read = backwards(file);

        assertThat(read).hasSize(lines.size());
        List<String> newestFirst = new ArrayList<>(lines);
        java.util.Collections.reverse(newestFirst);
        assertThat(read).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void whatFollowsTheLastNewlineIsTornAndSkippedAndEmptyLinesAreNoRecords() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Files.writeString(file, "first\n\nsecond\n{\"torn");

        assertThat(backwards(file)).containsExactly("second", "first");
        Files.writeString(file, "{\"no newline at all");
        assertThat(backwards(file)).isEmpty();
        assertThat(backwards(dir.resolve("missing.jsonl"))).isEmpty();
    }

    @Test
    void theConsumerCanStopEarly() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Files.writeString(file, "1\n2\n3\n");
        List<String> read = new ArrayList<>();

        boolean more = AuditFiles.linesBackwards(file, line -> {
            read.add(new String(line, StandardCharsets.UTF_8));
            return read.size() < 2;
        });

        assertThat(more).isFalse();
        assertThat(read).containsExactly("3", "2");
    }

    private static List<String> backwards(Path file) throws Exception {
        List<String> read = new ArrayList<>();
        AuditFiles.linesBackwards(file, line -> read.add(new String(line, StandardCharsets.UTF_8)));
        return read;
    }
}
