package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.grambot.api.ConnectionTest;
import io.grambot.api.ConnectionTestResult;
import io.grambot.api.PluginEventHandler;
import io.grambot.api.connector.Connector;
import io.grambot.api.image.ImageGenerator;
import io.grambot.api.inference.InferenceProvider;
import io.grambot.api.runtime.InstanceState;
import io.grambot.api.runtime.PluginRuntime;
import io.grambot.api.tool.Tool;

/**
 * One bot turn over the built-in plugins and local fakes of their services: the model (anthropic) searches the web
 * (brave-search), then draws (gpt-image), then answers; Telegram gets the picture and the text, and the model saw
 * the search results and that an image was made.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class SearchAndImageTest {

    private static final String TELEGRAM_TOKEN = "987654:AAsearch-and-image";
    private static final String ANTHROPIC_KEY = "sk-ant-api03-search-and-image";
    private static final String BRAVE_KEY = "BSA-search-and-image-key";
    private static final String OPENAI_KEY = "sk-proj-search-and-image-key";
    private static final long CHAT = 4242;

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    private final List<Configuration> configurations = new ArrayList<>();
    private final List<AutoCloseable> fakes = new ArrayList<>();
    private FakeTelegram telegram;
    private FakeAnthropic anthropic;
    private FakeBrave brave;
    private FakeOpenAiImages images;

    @BeforeEach
    void setUp() throws Exception {
        URI base = WebChatClient.endpoint(context);
        fakes.add(telegram = new FakeTelegram(context, "/fake-tg-images", TELEGRAM_TOKEN));
        fakes.add(anthropic = new FakeAnthropic(context, "/fake-claude-images", ANTHROPIC_KEY, "web_search:query",
                "generate_image:prompt"));
        fakes.add(brave = new FakeBrave(context, "/fake-brave", BRAVE_KEY));
        fakes.add(images = new FakeOpenAiImages(context, "/fake-images", OPENAI_KEY));
        configurations.add(Instances.create(configAdmin, "brave.search", "web", Map.of("baseUrl",
                base.resolve("/fake-brave").toString(), "apiKey", BRAVE_KEY, "defaultCount", 2)));
        configurations.add(Instances.create(configAdmin, "gpt.image", "painter", Map.of("baseUrl",
                base.resolve("/fake-images/v1").toString(), "apiKey", OPENAI_KEY, "size", "1024x1024")));
        configurations.add(Instances.create(configAdmin, "anthropic", "claude-images", Map.of("baseUrl",
                base.resolve("/fake-claude-images").toString(), "apiKey", ANTHROPIC_KEY)));
        configurations.add(Instances.create(configAdmin, "telegram", "tg-images", Map.of("baseUrl",
                base.resolve("/fake-tg-images").toString(), "botToken", TELEGRAM_TOKEN, "pollTimeoutSeconds", 1,
                "typing", false)));
        configurations.add(Instances.create(configAdmin, "grambot.bot", "artist", Map.of("connectors",
                new String[] { "tg-images" }, "provider", "claude-images", "tools", new String[] { "web_search" },
                "imageGenerator", "painter")));
        Eventually.service(context, Tool.class, Instances.filter("web"));
        Eventually.service(context, ImageGenerator.class, Instances.filter("painter"));
        Eventually.service(context, InferenceProvider.class, Instances.filter("claude-images"));
        Eventually.service(context, Connector.class, Instances.filter("tg-images"));
        Eventually.botListening(context, "artist");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Configuration configuration : configurations) {
            configuration.delete();
        }
        Eventually.gone(context, Connector.class, Instances.filter("tg-images"));
        Eventually.gone(context, Tool.class, Instances.filter("web"));
        Eventually.gone(context, ImageGenerator.class, Instances.filter("painter"));
        Eventually.gone(context, PluginEventHandler.class, "(service.factoryPid=grambot.bot)");
        for (AutoCloseable fake : fakes) {
            fake.close();
        }
    }

    @Test
    void aTurnSearchesTheWebDrawsAnImageAndTelegramGetsPictureAndText() throws Exception {
        telegram.receive(CHAT, "lighthouses of Brittany");

        Eventually.until("the picture reached Telegram", () -> !telegram.uploads.isEmpty());
        FakeTelegram.Upload photo = telegram.uploads.get(0);
        assertThat(photo.method()).isEqualTo("sendPhoto");
        assertThat(photo.chatId()).isEqualTo(Long.toString(CHAT));
        assertThat(photo.mediaType()).isEqualTo("image/png");
        assertThat(photo.data()).isEqualTo(FakeOpenAiImages.PNG);

        // the answer's text goes as the photo's caption when it fits, else as a message of its own
        List<String> texts = new ArrayList<>(telegram.textsTo(CHAT));
        if (photo.caption() != null) {
            texts.add(photo.caption());
        }
        assertThat(String.join("\n", texts)).as("the model saw the search results and that an image was made")
                .contains("Lighthouses of Brittany", "https://example.org/lighthouses", "generated 1 image");

        assertThat(brave.queries).hasSize(1);
        assertThat(brave.queries.get(0)).contains("q=lighthouses", "count=2");
        assertThat(images.requests).hasSize(1);
        JsonNode generation = images.requests.get(0);
        assertThat(generation.path("prompt").asText()).isEqualTo("lighthouses of Brittany");
        assertThat(generation.path("model").asText()).isEqualTo("gpt-image-1");
        assertThat(generation.path("size").asText()).isEqualTo("1024x1024");

        assertThat(anthropic.requests).hasSize(3);
        JsonNode tools = anthropic.requests.get(0).path("tools");
        assertThat(tools.findValuesAsText("name")).contains("web_search", "generate_image");
        JsonNode searchResult = anthropic.requests.get(1).path("messages");
        assertThat(searchResult.get(searchResult.size() - 1).path("content").get(0).path("content").toString())
                .as("the search results reach the model as a tool result, tags stripped")
                .contains("Lighthouses of Brittany", "The lighthouses of Brittany guard a rocky coast.")
                .doesNotContain("<strong>");
    }

    @Test
    void aNanobananaInstanceStartsInTheFrameworkAndItsTestSaysWhatIsWrong() throws Exception {
        URI base = WebChatClient.endpoint(context);
        configurations.add(Instances.create(configAdmin, "nanobanana", "banana", Map.of("baseUrl",
                base.resolve("/no-gemini-here").toString(), "apiKey", "AIza-search-and-image")));

        ImageGenerator banana = Eventually.service(context, ImageGenerator.class, Instances.filter("banana"));
        var result = Eventually.service(context, ConnectionTest.class, Instances.filter("banana")).testConnection();

        assertThat(banana.id()).isEqualTo("banana");
        assertThat(result.ok()).isFalse();
        assertThat(result.message()).contains("404").doesNotContain("AIza-search-and-image");
    }

    @Test
    void everyBuiltInPluginPassesItsConnectionTestAgainstItsFake() throws Exception {
        for (String instance : List.of("web", "painter", "claude-images", "tg-images")) {
            var result = Eventually.service(context, ConnectionTest.class, Instances.filter(instance))
                    .testConnection();
            assertThat(result.ok()).as(instance + ": " + result.message()).isTrue();
            assertThat(result.message()).doesNotContain(TELEGRAM_TOKEN, ANTHROPIC_KEY, BRAVE_KEY, OPENAI_KEY);
        }
    }

    @Test
    void theRuntimeRunsAnInstancesConnectionTestAndKeepsTheLastResult() throws Exception {
        PluginRuntime runtime = Eventually.service(context, PluginRuntime.class, null);
        Instances.awaitState(runtime, "web", InstanceState.ACTIVE);

        ConnectionTestResult web = runtime.testConnection("web");
        ConnectionTestResult missing = runtime.testConnection("no-such-instance");
        configurations.add(Instances.create(configAdmin, "brave.search", "web-wrong-key", Map.of("baseUrl",
                WebChatClient.endpoint(context).resolve("/fake-brave").toString(), "apiKey", "BSA-wrong-key-1234", "toolName", "web_search_wrong")));
        Instances.awaitState(runtime, "web-wrong-key", InstanceState.ACTIVE);
        Eventually.service(context, ConnectionTest.class, Instances.filter("web-wrong-key"));
        ConnectionTestResult wrongKey = runtime.testConnection("web-wrong-key");

        assertThat(web.ok()).as(web.message()).isTrue();
        assertThat(runtime.lastConnectionTest("web")).contains(web);
        assertThat(missing.ok()).isFalse();
        assertThat(missing.message()).isEqualTo("there is no instance 'no-such-instance'");
        assertThat(wrongKey.ok()).isFalse();
        assertThat(wrongKey.message()).contains("422").doesNotContain("BSA-wrong-key-1234");
    }
}
