package io.grambot.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InstanceIdsTest {

    @Test
    void namedAndGeneratedFactoryPidsGiveTheirInstanceId() {
        assertThat(InstanceIds.of("echo~main", "echo")).isEqualTo("main");
        assertThat(InstanceIds.of("openai.codex~work", "openai.codex")).isEqualTo("work");
        assertThat(InstanceIds.of("echo.3f2a-uuid", "echo")).isEqualTo("3f2a-uuid");
        assertThat(InstanceIds.of("other", "echo")).isEqualTo("other");
    }

    @Test
    void instanceIdsMustBePortableFileNames() {
        assertThat(InstanceIds.checkInstanceId("telegram-1.main_bot")).isEqualTo("telegram-1.main_bot");
        assertThatThrownBy(() -> InstanceIds.checkInstanceId("../escape"))
                .hasMessageStartingWith("instance id '../escape' must start with a letter or digit");
    }

    @Test
    void contextTargetsEscapeFilterCharacters() {
        assertThat(InstanceWiring.contextFilter("a(b)*")).isEqualTo("(grambot.instance.id=a\\(b\\)\\*)");
    }
}
