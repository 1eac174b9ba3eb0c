package io.grambot.runtime.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchSettingsTest {

    @TempDir
    Path work;

    private Properties system(String... keyValues) {
        Properties properties = new Properties();
        properties.setProperty("grambot.home", "/opt/grambot");
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    @Test
    void defaultsAreRelativeToTheWorkingDirectoryAndLoopback() {
        LaunchSettings settings = LaunchSettings.from(system(), Map.of(), work);

        assertThat(settings.data()).isEqualTo(work.resolve(".scout"));
        assertThat(settings.deploy()).isEqualTo(work.resolve("deploy"));
        assertThat(settings.etc()).isEqualTo(work.resolve("etc"));
        assertThat(settings.httpHost()).isEqualTo("127.0.0.1");
        assertThat(settings.consoleUrl()).isEqualTo("http://127.0.0.1:8080/system/console");
    }

    @Test
    void systemPropertiesWinOverEnvironment() {
        LaunchSettings settings = LaunchSettings.from(system("grambot.http.port", "9090"),
                Map.of("GRAMBOT_HTTP_PORT", "7070", "GRAMBOT_DATA", "/var/lib/grambot"), work);

        assertThat(settings.httpPort()).isEqualTo(9090);
        assertThat(settings.data()).isEqualTo(Path.of("/var/lib/grambot"));
    }

    @Test
    void aBadPortSaysWhichSettingIsWrong() {
        assertThatThrownBy(() -> LaunchSettings.from(system(), Map.of("GRAMBOT_HTTP_PORT", "eighty"), work))
                .hasMessage("grambot.http.port (GRAMBOT_HTTP_PORT) must be a port number, was 'eighty'");
    }

    @Test
    void substitutesSettingsAndRefusesUnknownVariables() {
        LaunchSettings settings = LaunchSettings.from(system(), Map.of(), work);

        assertThat(Main.substitute("${grambot.data}/config", settings.variables(), new Properties()))
                .isEqualTo(work.resolve(".scout") + "/config");
        assertThatThrownBy(() -> Main.substitute("${nope}", settings.variables(), new Properties()))
                .hasMessageContaining("${nope}");
    }

    @Test
    void generatesAPasswordOnceAndKeepsItOwnerOnly() throws Exception {
        ConsoleCredentials first = ConsoleCredentials.resolve(new Properties(), Map.of(), work);
        ConsoleCredentials second = ConsoleCredentials.resolve(new Properties(), Map.of(), work);

        assertThat(first.generated()).isTrue();
        assertThat(first.password()).hasSize(20).isNotEqualTo("admin");
        assertThat(second.generated()).isFalse();
        assertThat(second.password()).isEqualTo(first.password());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("console-password"))))
                .isEqualTo("rw-------");
        assertThat(first.toString()).doesNotContain(first.password());
    }

    @Test
    void aConfiguredPasswordIsUsedAndNotStored() throws Exception {
        ConsoleCredentials credentials = ConsoleCredentials.resolve(new Properties(),
                Map.of("GRAMBOT_ADMIN_PASSWORD", "s3cret-pass", "GRAMBOT_ADMIN_USER", "ops"), work);

        assertThat(credentials.user()).isEqualTo("ops");
        assertThat(credentials.password()).isEqualTo("s3cret-pass");
        assertThat(work.resolve("console-password")).doesNotExist();
    }
}
