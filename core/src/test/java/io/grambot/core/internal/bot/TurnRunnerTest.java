package io.grambot.core.internal.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

import io.grambot.api.Media;
import io.grambot.api.PluginException;
import io.grambot.api.connector.IncomingMessage;
import io.grambot.api.image.ImageGenerator;
import io.grambot.api.image.ImageResult;
import io.grambot.api.inference.ChatMessage;
import io.grambot.api.inference.ChatRequest;
import io.grambot.api.inference.ChatResponse;
import io.grambot.api.inference.ChatResponse.StopReason;
import io.grambot.api.inference.InferenceProvider;
import io.grambot.api.inference.Role;
import io.grambot.api.inference.ToolCall;
import io.grambot.api.tool.Tool;
import io.grambot.api.tool.ToolContext;
import io.grambot.api.tool.ToolResult;

class TurnRunnerTest {

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final Logger log = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
            new Class<?>[] { Logger.class }, (proxy, method, args) -> method.getReturnType() == boolean.class ? false : null);
    private final Scripted provider = new Scripted();
    private final List<Tool> tools = new ArrayList<>();
    private ImageGenerator images;
    private final IncomingMessage hello = new IncomingMessage("c1", "m1", "u1", "Ann", "hello", List.of());

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void aToolCallRunsAndItsResultGoesBackToTheModelBeforeTheAnswer() {
        tools.add(tool("shout", (args, ctx) -> ToolResult.text(String.valueOf(args.get("text")).toUpperCase()
                + " for " + ctx.botId() + "/" + ctx.conversationId() + "/" + ctx.callId())));
        provider.answers.add(calls(new ToolCall("t1", "shout", Map.of("text", "hi"))));
        provider.answers.add(text("done"));

        TurnRunner.Turn turn = runner(settings("*", 3)).run(List.of(ChatMessage.user("earlier")), hello);

        assertThat(turn.reply().text()).isEqualTo("done");
        assertThat(turn.reply().replyToMessageId()).isEqualTo("m1");
        ChatRequest second = provider.requests.get(1);
        assertThat(second.messages()).extracting(ChatMessage::role)
                .containsExactly(Role.USER, Role.USER, Role.ASSISTANT, Role.TOOL);
        assertThat(second.messages().get(3).text()).isEqualTo("HI for bot/c1/t1");
        assertThat(provider.requests.get(0).tools()).extracting(t -> t.name()).containsExactly("shout");
        assertThat(turn.added()).hasSize(4); // user, assistant with call, tool result, answer
    }

    @Test
    void aThrowingAndAHangingToolBecomeErrorResultsAndTheTurnGoesOn() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        tools.add(tool("boom", (args, ctx) -> {
            throw new IllegalStateException("kaput");
        }));
        tools.add(tool("hang", (args, ctx) -> {
            never.await();
            return ToolResult.text("late");
        }));
        provider.answers.add(calls(new ToolCall("a", "boom", Map.of()), new ToolCall("b", "hang", Map.of()),
                new ToolCall("c", "missing", Map.of())));
        provider.answers.add(text("sorry"));

        TurnRunner.Turn turn = runner(new BotSettings("bot", List.of("chat"), "llm", null, null, List.of("*"), null, 3,
                0, Duration.ofMillis(200), 50)).run(List.of(), hello);

        assertThat(turn.reply().text()).isEqualTo("sorry");
        List<ChatMessage> results = provider.requests.get(1).messages().subList(2, 5);
        assertThat(results).extracting(ChatMessage::text).containsExactly("error: the tool 'boom' failed: kaput",
                "error: the tool 'hang' did not answer within 200 ms", "error: no tool named 'missing' is available");
    }

    @Test
    void theRoundLimitEndsTheTurnWithAnAnswerWithoutTools() {
        tools.add(tool("again", (args, ctx) -> ToolResult.text("more")));
        for (int i = 0; i < 3; i++) {
            provider.answers.add(calls(new ToolCall("t" + i, "again", Map.of())));
        }

        TurnRunner.Turn turn = runner(settings("*", 2)).run(List.of(), hello);

        assertThat(provider.requests).hasSize(3);
        assertThat(provider.requests.get(2).tools()).as("the last call offers no tools").isEmpty();
        assertThat(turn.reply().text()).isEqualTo("I could not finish this within 2 rounds of tool calls.");
    }

    @Test
    void withoutAProviderThePersonIsToldHowToConfigureOne() {
        TurnRunner.Turn turn = runner(new BotSettings("bot", List.of("chat"), "", null, null, List.of(), null, 3, 0,
                Duration.ofSeconds(1), 50)).run(List.of(), hello);

        assertThat(turn.reply().text()).startsWith("This bot has no model yet.")
                .contains("web console").contains("\"provider\" setting");
        assertThat(turn.added()).isEmpty();
    }

    @Test
    void aProviderNamedButNotSetUpIsExplainedWithThePluginTheURLAndTheSecret() {
        TurnRunner.Turn turn = runner(new BotSettings("bot", List.of("chat"), "openai", null, null, List.of(), null,
                3, 0, Duration.ofSeconds(1), 50)).run(List.of(), hello);

        assertThat(turn.reply().text()).contains("\"openai\", which is not set up yet", "openai-codex",
                "/system/console/configMgr", "base URL", "\"apiKey\" secret", "etc/openai.codex-openai.cfg");
        assertThat(turn.added()).isEmpty();
    }

    @Test
    void aProviderSetUpButNotRunningSaysItsState() {
        TurnRunner.Turn turn = runner(new BotSettings("bot", List.of("chat"), "broken", null, null, List.of(), null,
                3, 0, Duration.ofSeconds(1), 50)).run(List.of(), hello);

        assertThat(turn.reply().text()).isEqualTo("This bot's model provider \"broken\" is set up but not running "
                + "(failed). The reason is shown in the web console.");
    }

    @Test
    void anUnreachableProviderGivesAShortAnswerAndNoHistory() {
        provider.failure = new PluginException("connect timed out to https://api.example", 0, true, null, null);

        TurnRunner.Turn turn = runner(settings("*", 3)).run(List.of(), hello);

        assertThat(turn.reply().text())
                .isEqualTo("The model provider is not reachable right now; please try again in a moment.");
        assertThat(turn.added()).isEmpty();
    }

    @Test
    void anImageGeneratorIsOfferedAsAToolAndItsImagesGoWithTheAnswer() {
        Media png = new Media("image/png", new byte[] { 1, 2, 3 });
        images = new ImageGenerator() {
            @Override
            public String id() {
                return "painter";
            }

            @Override
            public ImageResult generate(io.grambot.api.image.ImageRequest request) {
                return new ImageResult(List.of(png), "a cat");
            }
        };
        provider.answers.add(calls(new ToolCall("i", TurnRunner.IMAGE_TOOL, Map.of("prompt", "a cat"))));
        provider.answers.add(text("here it is"));

        TurnRunner.Turn turn = runner(new BotSettings("bot", List.of("chat"), "llm", null, null, List.of(), "painter",
                3, 0, Duration.ofSeconds(1), 50)).run(List.of(), hello);

        assertThat(provider.requests.get(0).tools()).extracting(t -> t.name()).containsExactly(TurnRunner.IMAGE_TOOL);
        assertThat(turn.reply().attachments()).containsExactly(png);
        assertThat(turn.reply().text()).isEqualTo("here it is");
    }

    private BotSettings settings(String tool, int rounds) {
        return new BotSettings("bot", List.of("chat"), "llm", "m", "be brief", List.of(tool), null, rounds, 0,
                Duration.ofSeconds(2), 50);
    }

    private TurnRunner runner(BotSettings settings) {
        return new TurnRunner(settings, new BotServices() {
            @Override
            public InferenceProvider provider(String instanceId) {
                return "llm".equals(instanceId) ? provider : null;
            }

            @Override
            public String providerState(String instanceId) {
                return "broken".equals(instanceId) ? "failed" : null;
            }

            @Override
            public Tool tool(String name) {
                return tools.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
            }

            @Override
            public Collection<Tool> tools() {
                return tools;
            }

            @Override
            public ImageGenerator imageGenerator(String instanceId) {
                return images;
            }
        }, pool, log);
    }

    private static ChatResponse text(String text) {
        return new ChatResponse(text, List.of(), StopReason.END_TURN, null);
    }

    private static ChatResponse calls(ToolCall... calls) {
        return new ChatResponse("", List.of(calls), StopReason.TOOL_USE, null);
    }

    interface Body {
        ToolResult run(Map<String, Object> arguments, ToolContext context) throws Exception;
    }

    private static Tool tool(String name, Body body) {
        return new Tool() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return name;
            }

            @Override
            public Map<String, Object> parametersSchema() {
                return Map.of("type", "object");
            }

            @Override
            public ToolResult execute(Map<String, Object> arguments, ToolContext context) throws PluginException {
                try {
                    return body.run(arguments, context);
                } catch (PluginException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new PluginException(e.toString());
                }
            }
        };
    }

    /** Answers with the responses given, in order, and keeps the requests. */
    static final class Scripted implements InferenceProvider {
        final Deque<ChatResponse> answers = new ArrayDeque<>();
        final List<ChatRequest> requests = new ArrayList<>();
        PluginException failure;

        @Override
        public String id() {
            return "llm";
        }

        @Override
        public ChatResponse chat(ChatRequest request) throws PluginException {
            requests.add(request);
            if (failure != null) {
                throw failure;
            }
            return answers.removeFirst();
        }
    }
}
