package ${package}.internal;

import static org.assertj.core.api.Assertions.assertThat;
#if( $serviceType == "connector" )

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.grambot.api.connector.IncomingMessage;
import io.grambot.api.connector.OutgoingMessage;

/** The component without a framework: a directory and a list of emitted events stand in for the context. */
class PluginComponentTest {

    @TempDir
    Path directory;

    private final List<Map<String, Object>> emitted = new ArrayList<>();

    @Test
    void inboxFilesBecomeMessageEventsAndAnswersGoToTheOutbox() throws Exception {
        PluginComponent connector = new PluginComponent("files", directory, (type, payload) -> emitted.add(payload));
        Files.writeString(directory.resolve("inbox/room-1.1.txt"), "hello");

        connector.poll();
        connector.send(OutgoingMessage.text("room-1", "hi there"));

        assertThat(emitted).singleElement().satisfies(payload -> {
            assertThat(IncomingMessage.fromPayload(payload).conversationId()).isEqualTo("room-1");
            assertThat(IncomingMessage.fromPayload(payload).text()).isEqualTo("hello");
        });
        assertThat(directory.resolve("inbox")).isEmptyDirectory();
        assertThat(directory.resolve("outbox/room-1.1.txt")).hasContent("hi there");
    }

    @Test
    void anEmptyAnswerIsRefusedBeforeSending() throws Exception {
        PluginComponent connector = new PluginComponent("files", directory, (type, payload) -> emitted.add(payload));

        assertThat(connector.validate(OutgoingMessage.text("room-1", " ")).problems())
                .containsExactly("this channel sends text only, and the text is empty");
    }
}
#elseif( $serviceType == "inference" )

import java.util.List;

import org.junit.jupiter.api.Test;

import io.grambot.api.inference.ChatMessage;
import io.grambot.api.inference.ChatRequest;
import io.grambot.api.inference.ChatResponse;

/** The component without a framework, constructed with its settings. */
class PluginComponentTest {

    private final PluginComponent provider = new PluginComponent("local", "echo-1");

    @Test
    void answersTheLastMessageOfThePersonWithTheDefaultModel() {
        ChatResponse response = provider.chat(new ChatRequest(null, null, List.of(ChatMessage.user("first"),
                ChatMessage.assistant("ok", List.of()), ChatMessage.user("second")), List.of(), 0));

        assertThat(response.text()).isEqualTo("echo-1: you said \"second\"");
        assertThat(response.toolCalls()).isEmpty();
    }

    @Test
    void aModelTheBotNamesWins() {
        ChatResponse response = provider.chat(new ChatRequest("echo-2", null, List.of(ChatMessage.user("hi")),
                List.of(), 0));

        assertThat(response.text()).startsWith("echo-2: ");
        assertThat(provider.models()).containsExactly("echo-1");
    }
}
#elseif( $serviceType == "image" )

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.grambot.api.PluginException;
import io.grambot.api.image.ImageRequest;
import io.grambot.api.image.ImageResult;

/** The component without a framework, constructed with its settings. */
class PluginComponentTest {

    private final PluginComponent generator = new PluginComponent("cards", "#112233");

    @Test
    void drawsTheEscapedPromptOnACardPerImage() throws Exception {
        ImageResult result = generator.generate(new ImageRequest("cats & <dogs>", List.of(), null, 2, Map.of()));

        assertThat(result.images()).hasSize(2).allSatisfy(image -> {
            assertThat(image.mediaType()).isEqualTo("image/svg+xml");
            assertThat(new String(image.data(), StandardCharsets.UTF_8)).contains("fill=\"#112233\"")
                    .contains(">cats &amp; &lt;dogs&gt;</text>");
        });
    }

    @Test
    void anEmptyPromptIsRefused() {
        assertThatThrownBy(() -> generator.generate(ImageRequest.of(" "))).isInstanceOf(PluginException.class)
                .hasMessage("the prompt is empty: say what the image should show");
    }
}
#else

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.grambot.api.tool.ToolContext;
import io.grambot.api.tool.ToolResult;

/** The component without a framework, constructed with its settings. */
class PluginComponentTest {

    private final PluginComponent tool = new PluginComponent("greet", "Hello");

    @Test
    void greetsByName() {
        ToolResult result = tool.execute(Map.of("name", "Ada"), ToolContext.NONE);

        assertThat(result.error()).isFalse();
        assertThat(result.text()).isEqualTo("Hello, Ada!");
    }

    @Test
    void aMissingNameIsAnErrorTheModelReads() {
        ToolResult result = tool.execute(Map.of(), ToolContext.NONE);

        assertThat(result.error()).isTrue();
        assertThat(result.text()).isEqualTo("argument 'name' must be a non-empty string, was null");
    }
}
#end
