package io.grambot.plugin.echo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.grambot.api.tool.ToolContext;
import io.grambot.api.tool.ToolResult;

class EchoToolTest {

    private final EchoTool tool = new EchoTool("echo", "> ", "first");

    @Test
    void echoesTextWithPrefix() {
        ToolResult result = tool.execute(Map.of("text", "hello"), ToolContext.NONE);

        assertThat(result.error()).isFalse();
        assertThat(result.text()).isEqualTo("> hello");
        assertThat(result.data()).containsEntry("instance", "first");
    }

    @Test
    void refusesMissingText() {
        ToolResult result = tool.execute(Map.of("other", 1), ToolContext.NONE);

        assertThat(result.error()).isTrue();
        assertThat(result.text()).isEqualTo("argument 'text' must be a string, was missing");
    }
}
