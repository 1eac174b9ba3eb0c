package io.grambot.bench;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.osgi.framework.BundleContext;

import io.grambot.api.PluginConstants;
import io.grambot.api.PluginException;
import io.grambot.api.action.ActionInvoker;
import io.grambot.api.connector.Connector;
import io.grambot.api.connector.IncomingMessage;
import io.grambot.api.connector.OutgoingMessage;
import io.grambot.api.inference.ChatMessage;
import io.grambot.api.inference.ChatRequest;
import io.grambot.api.inference.ChatResponse;
import io.grambot.api.inference.InferenceProvider;
import io.grambot.api.inference.Role;
import io.grambot.api.inference.ToolCall;
import io.grambot.api.runtime.PluginRuntime;
import io.grambot.api.tool.Tool;
import io.grambot.api.tool.ToolContext;
import io.grambot.api.tool.ToolResult;
import io.grambot.core.internal.BenchRegistries;
import io.grambot.core.internal.BotComponent;
import io.grambot.core.internal.Registries;
import io.grambot.core.internal.events.EventQueue;
import io.grambot.core.internal.events.EventQueueSettings;

/**
 * A whole bot turn through the core's own code: a connector's {@code message.received} event into the event queue →
 * the bot component (conversation lane, history load) → model → tool → model → history save → connector send. The
 * model answers at once with one tool call, then with the tool's result, so the time is Grambot's own. Each JMH
 * thread is one conversation in a closed loop (it sends its next message when the last is answered): 1, 10 and 100
 * at once. {@link #directTurn} makes the same calls on the same objects with nothing in between: the floor.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class BotTurnBench {

    private static final Map<String, Object> DEFAULTS = Map.of("connectors", new String[] { "chat" }, "provider",
            "model", "tools", new String[] { "loud" }, "parallelConversations", 100, "service.pid",
            "grambot.bot~bench");

    private Path dir;
    private EventQueue queue;
    private BotComponent bot;
    private final Map<String, CompletableFuture<OutgoingMessage>> waiting = new ConcurrentHashMap<>();
    private final Connector connector = new Connector() {
        @Override
        public String id() {
            return "chat";
        }

        @Override
        public void send(OutgoingMessage message) {
            CompletableFuture<OutgoingMessage> reply = waiting.remove(message.conversationId());
            if (reply != null) {
                reply.complete(message);
            }
        }
    };
    private final InferenceProvider model = new InferenceProvider() {
        @Override
        public String id() {
            return "model";
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            ChatMessage last = request.messages().get(request.messages().size() - 1);
            if (last.role() == Role.TOOL) {
                return new ChatResponse("tool said: " + last.text(), List.of(), ChatResponse.StopReason.END_TURN, null);
            }
            return new ChatResponse("", List.of(new ToolCall("call-1", "loud", Map.of("text", last.text()))),
                    ChatResponse.StopReason.TOOL_USE, null);
        }
    };
    private final Tool tool = new Tool() {
        @Override
        public String name() {
            return "loud";
        }

        @Override
        public String description() {
            return "Repeats the text.";
        }

        @Override
        public Map<String, Object> parametersSchema() {
            return Map.of("type", "object", "properties", Map.of("text", Map.of("type", "string")));
        }

        @Override
        public ToolResult execute(Map<String, Object> arguments, ToolContext context) {
            return ToolResult.text("echo:" + arguments.get("text"));
        }
    };

    @Setup(Level.Trial)
    public void start() throws IOException {
        dir = Files.createTempDirectory("grambot-bench-bot");
        Registries registries = new Registries(Quiet.logger());
        BenchRegistries.addConnector(registries, connector, "chat");
        BenchRegistries.addProvider(registries, model, "model");
        BenchRegistries.addTool(registries, tool, "echo");
        bot = new BotComponent(config(), DEFAULTS, context(dir), registries, absent(PluginRuntime.class),
                absent(ActionInvoker.class), Quiet.logger());
        queue = new EventQueue(new EventQueueSettings(EventQueueSettings.Mode.MEMORY, 10_000,
                EventQueueSettings.Overflow.BLOCK, Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ZERO, 2,
                Duration.ofSeconds(1), EventQueueSettings.DEFAULT_SEGMENT_BYTES), dir.resolve("journal"),
                Quiet.logger(), Clock.systemUTC());
        queue.addHandler(bot, Map.of("service.id", 1L, PluginConstants.EVENT_TYPE, IncomingMessage.EVENT_TYPE));
    }

    /** One conversation per thread, each with messages numbered from 1. */
    @State(Scope.Thread)
    public static class Conversation {
        private static final AtomicInteger NEXT = new AtomicInteger();
        final String id = "conversation-" + NEXT.incrementAndGet();
        int message;
    }

    @Benchmark
    @Threads(1)
    public OutgoingMessage turn1(Conversation conversation) throws Exception {
        return turn(conversation);
    }

    @Benchmark
    @Threads(10)
    public OutgoingMessage turn10(Conversation conversation) throws Exception {
        return turn(conversation);
    }

    @Benchmark
    @Threads(100)
    public OutgoingMessage turn100(Conversation conversation) throws Exception {
        return turn(conversation);
    }

    /** The same model, tool and connector calls made directly, one after another: what the turn cannot go below. */
    @Benchmark
    @Threads(1)
    public OutgoingMessage directTurn(Conversation conversation) throws PluginException {
        String text = "hello " + (++conversation.message);
        ChatResponse call = model.chat(new ChatRequest(null, "", List.of(ChatMessage.user(text)), List.of(), 0));
        ToolResult result = tool.execute(call.toolCalls().get(0).arguments(), new ToolContext("bench",
                conversation.id, "call-1"));
        ChatResponse answer = model.chat(new ChatRequest(null, "", List.of(ChatMessage.user(text),
                ChatMessage.toolResult("call-1", result.text())), List.of(), 0));
        OutgoingMessage reply = OutgoingMessage.text(conversation.id, answer.text());
        CompletableFuture<OutgoingMessage> sent = new CompletableFuture<>();
        waiting.put(conversation.id, sent);
        connector.send(reply);
        return sent.join();
    }

    private OutgoingMessage turn(Conversation conversation) throws Exception {
        String text = "hello " + (++conversation.message);
        CompletableFuture<OutgoingMessage> reply = new CompletableFuture<>();
        waiting.put(conversation.id, reply);
        IncomingMessage message = new IncomingMessage(conversation.id, "m" + conversation.message, "u1", "Ann",
                text, List.of());
        queue.emit("bench-chat", "chat", IncomingMessage.EVENT_TYPE, message.toPayload());
        OutgoingMessage answer = reply.get(30, TimeUnit.SECONDS);
        if (!answer.text().equals("tool said: echo:" + text)) {
            throw new IllegalStateException("conversation " + conversation.id + " got '" + answer.text()
                    + "' for '" + text + "'");
        }
        return answer;
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        queue.close();
        BenchRegistries.deactivate(bot);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static BotComponent.Config config() {
        return (BotComponent.Config) Proxy.newProxyInstance(BotComponent.Config.class.getClassLoader(),
                new Class<?>[] { BotComponent.Config.class }, (proxy, method, args) -> {
                    Object value = DEFAULTS.get(method.getName());
                    return value != null ? value : method.getDefaultValue();
                });
    }

    private static BundleContext context(Path dir) {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] { BundleContext.class }, (proxy, method, args) -> method.getName().equals("getProperty")
                        && "grambot.data".equals(args[0]) ? dir.toString() : null);
    }

    /** A service the turn does not use (no actions, no instance states): every call answers nothing. */
    private static <T> T absent(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
                (proxy, method, args) -> method.getReturnType() == Optional.class ? Optional.empty()
                        : method.getReturnType() == List.class ? List.of() : null));
    }
}
