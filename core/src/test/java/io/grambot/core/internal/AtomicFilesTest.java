package io.grambot.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void replacesContentWithoutLeavingTemporaryFiles() throws Exception {
        Path target = dir.resolve("nested/settings.json");

        AtomicFiles.write(target, "one".getBytes(), false);
        AtomicFiles.write(target, "two".getBytes(), false);

        assertThat(target).hasContent("two");
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }
}
