package io.grambot.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveringPersistenceManagerTest {

    private static final String WHOLE = ":org.apache.felix.configadmin.revision:=L\"7\"\r\nprefix=\"new\"\r\n"
            + "service.pid=\"echo~a\"\r\n";

    @TempDir
    Path dir;

    @Test
    void aCompleteWriteWhoseTargetWasDeletedIsPutInPlace() throws Exception {
        Files.writeString(dir.resolve("echo%007ea.config123.tmp"), WHOLE);

        assertThat(RecoveringPersistenceManager.recover(dir)).hasSize(1);

        assertThat(dir.resolve("echo%007ea.config")).hasContent(WHOLE);
        assertThat(dir.resolve("echo%007ea.config123.tmp")).doesNotExist();
    }

    @Test
    void aWriteThatDidNotReturnIsDroppedWhileTheOldFileIsThere() throws Exception {
        Files.writeString(dir.resolve("echo%007ea.config"), "old");
        Files.writeString(dir.resolve("echo%007ea.config9.tmp"), WHOLE);

        RecoveringPersistenceManager.recover(dir);

        assertThat(dir.resolve("echo%007ea.config")).hasContent("old");
        assertThat(dir.resolve("echo%007ea.config9.tmp")).doesNotExist();
    }

    @Test
    void aCutWriteIsNeverPutInPlaceAndOfSeveralTheNewestRevisionWins() throws Exception {
        Files.writeString(dir.resolve("echo%007ea.config1.tmp"), WHOLE.substring(0, WHOLE.length() - 5));
        Files.writeString(dir.resolve("echo%007ea.config2.tmp"), WHOLE.replace("L\"7\"", "L\"6\""));
        Files.writeString(dir.resolve("echo%007ea.config3.tmp"), WHOLE);

        RecoveringPersistenceManager.recover(dir);

        assertThat(dir.resolve("echo%007ea.config")).hasContent(WHOLE);
        try (var files = Files.list(dir)) {
            assertThat(files).hasSize(1);
        }
    }
}
