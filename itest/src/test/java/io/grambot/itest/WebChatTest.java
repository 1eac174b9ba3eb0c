package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

import io.grambot.api.PluginEventHandler;
import io.grambot.api.connector.Connector;
import io.grambot.api.tool.Tool;

/**
 * The web chat end to end over real HTTP: the page, a message posted as the page posts it, the bot's turn with a
 * tool call, the answer streamed back as a server-sent event; order and latency with many conversations at once.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
@ExtendWith(EchoPlugin.class)
class WebChatTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    private final List<Configuration> configurations = new ArrayList<>();
    private final List<WebChatClient.Stream> streams = new ArrayList<>();
    private WebChatClient page;

    @BeforeEach
    void setUp() throws Exception {
        configurations.add(Instances.create(configAdmin, "webchat", "web-it",
                Map.of("path", "/chat-it", "title", "Test <chat>", "maxMessageChars", 100)));
        configurations.add(Instances.create(configAdmin, "scripted", "model-web", Map.of()));
        configurations.add(Instances.create(configAdmin, "echo", "echo-web",
                Map.of("toolName", "loud", "prefix", "echo:")));
        configurations.add(Instances.create(configAdmin, "grambot.bot", "webbot", Map.of("connectors",
                new String[] { "web-it" }, "provider", "model-web", "tools", new String[] { "loud" },
                "parallelConversations", 16)));
        Eventually.service(context, Tool.class, Instances.filter("echo-web"));
        Eventually.service(context, Connector.class, Instances.filter("web-it"));
        Eventually.botListening(context, "webbot");
        page = WebChatClient.at(context, "/chat-it");
        Eventually.until("the web chat page is served", () -> {
            try {
                return page.get("").statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        streams.forEach(WebChatClient.Stream::close);
        for (Configuration configuration : configurations) {
            configuration.delete();
        }
        Eventually.gone(context, Connector.class, Instances.filter("web-it"));
        // the servlet goes after the connector service: the next test's page must not meet this one's
        org.osgi.framework.Filter servlet = org.osgi.framework.FrameworkUtil.createFilter(
                "(&(objectClass=jakarta.servlet.Servlet)" + Instances.filter("web-it") + ")");
        Eventually.until("the web chat servlet is gone", () -> Eventually.count(context, servlet) == 0);
        Eventually.gone(context, Tool.class, Instances.filter("echo-web"));
        Eventually.gone(context, PluginEventHandler.class, "(service.factoryPid=grambot.bot)");
    }

    @Test
    void aMessageTypedInThePageIsAnsweredThroughAToolCall() throws Exception {
        HttpResponse<String> html = page.get("");
        assertThat(html.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(html.body()).contains("<title>Test &lt;chat&gt;</title>", "chat.js");
        assertThat(html.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(page.get("chat.js").body()).contains("EventSource");

        String conversation = page.newConversation();
        WebChatClient.Stream events = follow(conversation, 0);
        long seq = page.send(conversation, "call loud hi there");

        JsonNode answer = events.awaitAnswers(1).get(0);
        assertThat(answer.path("from").asText()).isEqualTo("bot");
        assertThat(answer.path("text").asText()).isEqualTo("tool said: echo:hi there");
        assertThat(answer.path("seq").asLong()).isGreaterThan(seq);
        assertThat(events.entries.get(0).path("text").asText()).as("the person's own message is in the transcript")
                .isEqualTo("call loud hi there");
    }

    @Test
    void anOpenAiCompatibleServerAnswersThroughTheOpenaiCodexPluginWithAToolCall() throws Exception {
        try (FakeOpenAi server = new FakeOpenAi(context, "/fake-openai", "loud")) {
            String baseUrl = page.base.resolve("/fake-openai/v1").toString();
            configurations.add(Instances.create(configAdmin, "openai.codex", "local-llm",
                    Map.of("baseUrl", baseUrl, "model", "local-model")));
            configurations.add(Instances.create(configAdmin, "webchat", "web-llm", Map.of("path", "/chat-llm")));
            configurations.add(Instances.create(configAdmin, "grambot.bot", "llmbot", Map.of("connectors",
                    new String[] { "web-llm" }, "provider", "local-llm", "tools", new String[] { "loud" })));
            Eventually.service(context, io.grambot.api.inference.InferenceProvider.class, Instances.filter("local-llm"));
            Eventually.service(context, Connector.class, Instances.filter("web-llm"));
            Eventually.botListening(context, "llmbot");
            WebChatClient llmPage = WebChatClient.at(context, "/chat-llm");
            Eventually.until("the second page is served", () -> {
                try {
                    return llmPage.get("").statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            });

            String conversation = llmPage.newConversation();
            WebChatClient.Stream events = llmPage.follow(conversation, 0);
            streams.add(events);
            llmPage.send(conversation, "hello model");

            assertThat(events.awaitAnswers(1).get(0).path("text").asText())
                    .isEqualTo("the tool said: echo:hello model");
            assertThat(server.requests).hasSize(2);
            JsonNode first = server.requests.get(0);
            assertThat(first.path("model").asText()).isEqualTo("local-model");
            assertThat(first.path("tools").get(0).path("function").path("name").asText()).isEqualTo("loud");
            JsonNode toolResult = server.requests.get(1).path("messages");
            assertThat(toolResult.get(toolResult.size() - 1).path("role").asText()).isEqualTo("tool");
            assertThat(toolResult.get(toolResult.size() - 1).path("tool_call_id").asText()).isEqualTo("call_1");
            assertThat(server.authorizations).as("no key, no Authorization header").containsOnly("null");
        }
    }

    @Test
    void aPageThatReconnectsGetsWhatItMissedAndNothingTwice() throws Exception {
        String conversation = page.newConversation();
        WebChatClient.Stream first = follow(conversation, 0);
        page.send(conversation, "one");
        first.awaitAnswers(1);
        first.close();
        page.send(conversation, "two"); // answered while no page listens

        WebChatClient.Stream again = follow(conversation, first.entries.get(1).path("seq").asLong());
        List<JsonNode> answers = again.awaitAnswers(1);

        assertThat(answers).extracting(a -> a.path("text").asText()).containsExactly("two (3 messages)");
        assertThat(again.entries).extracting(e -> e.path("text").asText())
                .containsExactly("two", "two (3 messages)");
    }

    @Test
    void badRequestsAreRefusedWithTheReason() throws Exception {
        String conversation = page.newConversation();
        String messages = "api/conversations/" + conversation + "/messages";

        HttpResponse<String> form = page.post(messages, "application/x-www-form-urlencoded", "text=hi", Map.of());
        assertThat(form.statusCode()).isEqualTo(403);
        assertThat(form.body()).contains("application/json");

        HttpResponse<String> foreign = page.post(messages, "application/json", "{\"text\":\"hi\"}",
                Map.of("Origin", "http://evil.example"));
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("another site");

        assertThat(page.post(messages, "application/json", "{\"text\":\"  \"}", Map.of()).statusCode()).isEqualTo(400);
        assertThat(page.post(messages, "application/json", "not json", Map.of()).body()).contains("a JSON object");
        HttpResponse<String> tooLong = page.post(messages, "application/json",
                "{\"text\":\"" + "x".repeat(101) + "\"}", Map.of());
        assertThat(tooLong.statusCode()).isEqualTo(413);
        assertThat(tooLong.body()).contains("at most 100 characters; this one has 101");

        HttpResponse<String> badId = page.post("api/conversations/short/messages", "application/json",
                "{\"text\":\"hi\"}", Map.of());
        assertThat(badId.statusCode()).isEqualTo(404);
        assertThat(page.get("api/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void hostileBodiesGetAClearRefusalAndTheConversationGoesOn() throws Exception {
        String conversation = page.newConversation();
        String messages = "api/conversations/" + conversation + "/messages";
        List<String> bodies = List.of("", "null", "[]", "{}", "\"text\"", "{\"text\":5}", "{\"text\":null}",
                "{\"text\":[\"a\"]}", "{\"text\":{\"a\":1}}", "{\"text\":\"hi", "{\"text\":\"hi\"}{\"text\":\"x\"}",
                "{'text':'hi'}", "{\"text\":\"\\ud800\"}", "[".repeat(50_000) + "]".repeat(50_000),
                "{\"a\":".repeat(20_000) + "1" + "}".repeat(20_000), "{\"text\":\"" + "x".repeat(2_000_000) + "\"}",
                "{\"text\":\"hi\",\"extra\":" + "[1,".repeat(10_000) + "1" + "]".repeat(10_000) + "}");
        for (String body : bodies) {
            HttpResponse<String> answer = page.post(messages, "application/json", body, Map.of());
            String shown = body.length() > 40 ? body.substring(0, 40) + "... (" + body.length() + " chars)" : body;
            assertThat(answer.statusCode()).as("the status for %s", shown).isIn(202, 400, 413);
            if (answer.statusCode() != 202) {
                assertThat(answer.body()).as("the reason for %s", shown).isNotBlank().doesNotContain("Exception");
            }
        }
        // a body far too large is refused with an answer the client gets to read, every time (the server used to
        // stop reading and close while the client was still sending: "header parser received no bytes")
        String huge = "{\"text\":\"" + "x".repeat(2_000_000) + "\"}";
        for (int i = 0; i < 20; i++) {
            assertThat(page.post(messages, "application/json", huge, Map.of()).statusCode()).as("post %d", i)
                    .isEqualTo(413);
        }
        HttpResponse<String> bytes = page.post(messages, "application/json", new String(new byte[] { (byte) 0xff,
                (byte) 0xfe, 0x7b, 0x00 }, java.nio.charset.StandardCharsets.ISO_8859_1), Map.of());
        assertThat(bytes.statusCode()).isIn(400, 413);

        // the conversation still works: its next message is answered
        WebChatClient.Stream events = follow(conversation, 0);
        page.send(conversation, "call loud after the garbage");
        Eventually.until("the message after the hostile ones is answered", () -> events.answers().stream()
                .anyMatch(a -> a.path("text").asText().equals("tool said: echo:after the garbage")));
    }

    @Test
    void manyConversationsAtOnceKeepTheirOrderAndTurnLatencyIsMeasured() throws Exception {
        // order: every conversation fires five messages at once; each turn must see the one before it
        int conversations = 20;
        List<String> ids = new ArrayList<>();
        List<WebChatClient.Stream> ordered = new ArrayList<>();
        for (int c = 0; c < conversations; c++) {
            ids.add(page.newConversation());
            ordered.add(follow(ids.get(c), 0));
        }
        ExecutorService senders = Executors.newFixedThreadPool(8);
        List<Future<?>> sending = new ArrayList<>();
        for (String id : ids) {
            sending.add(senders.submit(() -> {
                for (int n = 0; n < 5; n++) {
                    page.send(id, "msg " + n);
                }
                return null;
            }));
        }
        for (Future<?> f : sending) {
            f.get();
        }
        for (WebChatClient.Stream stream : ordered) {
            assertThat(stream.awaitAnswers(5)).extracting(a -> a.path("text").asText()).containsExactly(
                    "msg 0 (1 messages)", "msg 1 (3 messages)", "msg 2 (5 messages)", "msg 3 (7 messages)",
                    "msg 4 (9 messages)");
        }

        senders.shutdown();

        // latency: closed loops (each conversation sends its next message when the last is answered) at 1, 10 and
        // 100 conversations; every turn is a tool call round (model, tool, model) with a model that answers at once,
        // so the time is Grambot's own, plus the HTTP client sharing the same two cores
        for (int[] level : new int[][] { { 1, 100 }, { 10, 20 }, { 100, 10 } }) {
            measure(level[0], level[1]);
        }
    }

    private void measure(int concurrent, int turns) throws Exception {
        List<String> ids = new ArrayList<>();
        List<WebChatClient.Stream> load = new ArrayList<>();
        for (int c = 0; c < concurrent; c++) {
            ids.add(page.newConversation());
            load.add(follow(ids.get(c), 0));
        }
        long[] latencies = ClosedLoops.measure(
                "web chat turn (HTTP post -> bot -> model -> tool -> model -> SSE answer)", concurrent, turns,
                (c, n) -> {
                    WebChatClient.Stream stream = load.get(c);
                    long sentAt = System.nanoTime();
                    page.send(ids.get(c), "call loud " + n);
                    List<JsonNode> answers = stream.awaitAnswers(n + 1);
                    assertThat(answers.get(n).path("text").asText()).isEqualTo("tool said: echo:" + n);
                    return stream.answeredAt.get(n) - sentAt;
                });
        assertThat(latencies).hasSize(concurrent * turns);
        load.forEach(WebChatClient.Stream::close);
    }

    private WebChatClient.Stream follow(String conversation, long after) {
        WebChatClient.Stream stream = page.follow(conversation, after);
        streams.add(stream);
        return stream;
    }
}
