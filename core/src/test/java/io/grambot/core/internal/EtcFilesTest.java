package io.grambot.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcFilesTest {

    @TempDir
    Path etc;

    @Test
    void theSecretLinesLeaveTheFileAndEverythingElseStays() throws Exception {
        Path file = etc.resolve("anthropic-claude.cfg");
        Files.writeString(file, "# my bot\nbaseUrl=http://127.0.0.1:9/x\napiKey = sk-1\nmaxRetries: 0\n");

        assertThat(EtcFiles.removeSecrets(file.toUri().toString(), List.of("apiKey"), false)).isTrue();

        assertThat(Files.readString(file)).isEqualTo("# my bot\nbaseUrl=http://127.0.0.1:9/x\nmaxRetries: 0\n");
        assertThat(EtcFiles.removeSecrets(file.toUri().toString(), List.of("apiKey"), false))
                .as("nothing left to remove: the caller updates the configuration").isFalse();
    }

    @Test
    void aFileOfOnlySecretsKeepsAMarkerLineOnce() throws Exception {
        Path file = etc.resolve("webhooks-hooks.cfg");
        Files.writeString(file, "secret=s3cr3t\n");

        assertThat(EtcFiles.removeSecrets(file.toString(), List.of("secret"), true)).isTrue();
        assertThat(Files.readString(file)).isEqualTo("secret=********\n");
        assertThat(EtcFiles.removeSecrets(file.toString(), List.of("secret"), true)).isFalse();

        Path typed = etc.resolve("webhooks-other.config");
        Files.writeString(typed, "secret=\"s3cr3t\"\n");
        assertThat(EtcFiles.removeSecrets(typed.toString(), List.of("secret"), true)).isTrue();
        assertThat(Files.readString(typed)).isEqualTo("secret=\"********\"\n");
    }

    @Test
    void noFileOrNoNameIsLeftToTheCaller() {
        assertThat(EtcFiles.removeSecrets(null, List.of("apiKey"), false)).isFalse();
        assertThat(EtcFiles.removeSecrets(etc.resolve("missing.cfg").toString(), List.of("apiKey"), false)).isFalse();
        assertThat(EtcFiles.keyOf("  apiKey=x")).isEqualTo("apiKey");
        assertThat(EtcFiles.keyOf("# apiKey=x")).isNull();
        assertThat(EtcFiles.keyOf("")).isNull();
    }
}
