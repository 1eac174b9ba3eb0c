package ${package}.itest;

import static org.assertj.core.api.Assertions.assertThat;

#if( $serviceType == "connector" )
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
#elseif( $serviceType == "image" )
import java.nio.charset.StandardCharsets;
#end
#if( $serviceType != "tool" )
import java.util.List;
#end
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

#if( $serviceType == "image" )
import io.grambot.api.connector.OutgoingMessage;
#end
import io.grambot.testkit.Grambot;
import io.grambot.testkit.GrambotExtension;
#if( $serviceType == "connector" )
import io.grambot.testkit.PluginInstance;
#end
import io.grambot.testkit.ScriptedModel;
import io.grambot.testkit.TestChat;

/**
 * The plugin in a running framework with the Grambot core (see test.bndrun): an instance made from settings, and
 * a bot turn through it, driven by the test kit's in-memory chat and scripted model.
 */
@ExtendWith(GrambotExtension.class)
class PluginIT {

    static final String PLUGIN_ID = "${pluginId}";

    Grambot grambot;
#if( $serviceType == "connector" )

    @Test
    void aMessageInTheInboxIsAnsweredInTheOutbox() throws Exception {
        PluginInstance files = grambot.instance(PLUGIN_ID, "main", Map.of("pollMillis", 20));
        ScriptedModel model = grambot.model("model");
        grambot.bot("bot", Map.of("connectors", List.of("main"), "provider", "model"));
        model.answer(request -> "you wrote " + ScriptedModel.lastUserText(request));

        Path draft = Files.writeString(files.dataDirectory().resolve("draft.tmp"), "hello");
        Files.move(draft, files.dataDirectory().resolve("inbox/room-1.1.txt"), StandardCopyOption.ATOMIC_MOVE);

        Path answer = files.dataDirectory().resolve("outbox/room-1.1.txt");
        grambot.await("the answer is in the outbox", () -> Files.exists(answer));
        assertThat(answer).hasContent("you wrote hello");
        assertThat(model.requests()).hasSize(1);
    }
#elseif( $serviceType == "inference" )

    @Test
    void aBotAnswersWithThisModel() {
        grambot.instance(PLUGIN_ID, "main", Map.of("model", "echo-7"));
        TestChat chat = grambot.connector("chat");
        grambot.bot("bot", Map.of("connectors", List.of("chat"), "provider", "main"));

        assertThat(chat.ask("hello")).isEqualTo("echo-7: you said \"hello\"");
    }
#elseif( $serviceType == "image" )

    @Test
    void aBotSendsTheImageWithItsAnswer() {
        grambot.instance(PLUGIN_ID, "main", Map.of("background", "#000000"));
        TestChat chat = grambot.connector("chat");
        ScriptedModel model = grambot.model("model");
        grambot.bot("bot", Map.of("connectors", List.of("chat"), "provider", "model", "imageGenerator", "main"));
        model.callTool("generate_image", Map.of("prompt", "a red circle")).answer(ScriptedModel::lastToolResult);

        OutgoingMessage answer = chat.send("draw a red circle").awaitAnswer();

        assertThat(answer.text()).startsWith("generated 1 image(s)");
        assertThat(answer.attachments()).singleElement().satisfies(image -> {
            assertThat(image.mediaType()).isEqualTo("image/svg+xml");
            assertThat(new String(image.data(), StandardCharsets.UTF_8)).contains(">a red circle</text>");
        });
    }
#else

    @Test
    void aBotAnswersThroughTheTool() {
        grambot.instance(PLUGIN_ID, "main", Map.of("toolName", "greet", "greeting", "Hi"));
        TestChat chat = grambot.chat("bot", "greet");
        chat.model().callTool("greet", Map.of("name", "Ada")).answer(ScriptedModel::lastToolResult);

        assertThat(chat.ask("greet Ada")).isEqualTo("Hi, Ada!");
        assertThat(chat.model().requests().get(0).tools()).extracting(t -> t.name()).containsExactly("greet");
    }
#end

    @Test
    void theConnectionTestPasses() {
        var result = grambot.instance(PLUGIN_ID, "main", Map.of()).testConnection();
        assertThat(result.ok()).as(result.message()).isTrue();
    }
}
