package io.grambot.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.grambot.api.PluginException;
import io.grambot.api.inference.ChatMessage;
import io.grambot.api.inference.ChatRequest;
import io.grambot.api.inference.ChatResponse;
import io.grambot.api.inference.InferenceProvider;
import io.grambot.api.tool.Tool;
import io.grambot.api.tool.ToolContext;
import io.grambot.api.tool.ToolResult;
import io.grambot.core.internal.BenchRegistries;
import io.grambot.core.internal.Registries;

/**
 * A tool call and an inference call through the core's registries (lookup by tool name or instance id, then the
 * call), against the same call on the object directly. The services answer with a prepared result, so the figure is
 * the dispatch itself; run with {@code -prof gc} to see the allocation per call ({@code gc.alloc.rate.norm}).
 * Twenty other tools and providers are registered so that the lookup is not a lucky single entry. The services'
 * methods are kept out of line ({@code DONT_INLINE}), as a call from the core into a plugin's class through the
 * interface is in a running system (many implementations, one call site); inlined, the direct call would be free
 * and any lookup "infinitely" slower.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DispatchBench {

    private static final Map<String, Object> ARGUMENTS = Map.of("text", "hello");
    private static final ToolResult RESULT = ToolResult.text("hello");
    private static final ChatRequest REQUEST = new ChatRequest(null, "", List.of(ChatMessage.user("hello")), List.of(), 0);
    private static final ChatResponse RESPONSE = new ChatResponse("hi", List.of(), ChatResponse.StopReason.END_TURN, null);

    private Registries registries;
    private Tool tool;
    private InferenceProvider provider;
    private ToolContext context;
    /** Read through a field, so the JIT cannot fold the name into a constant lookup. */
    public String toolName = "loud";
    public String providerId = "model";

    @Setup
    public void register() {
        registries = new Registries(Quiet.logger());
        for (int i = 0; i < 20; i++) {
            BenchRegistries.addTool(registries, tool("tool" + i), "tools-" + i);
            BenchRegistries.addProvider(registries, provider("model" + i), "model" + i);
        }
        tool = tool(toolName);
        provider = provider(providerId);
        BenchRegistries.addTool(registries, tool, "echo");
        BenchRegistries.addProvider(registries, provider, providerId);
        context = new ToolContext("bot", "conversation", "call-1");
    }

    private static Tool tool(String name) {
        return new FixedTool(name);
    }

    private static InferenceProvider provider(String id) {
        return new FixedProvider(id);
    }

    /** A tool that answers with a prepared result. */
    public static final class FixedTool implements Tool {
        private final String name;

        FixedTool(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return "";
        }

        @Override
        public Map<String, Object> parametersSchema() {
            return Map.of();
        }

        @Override
        @CompilerControl(CompilerControl.Mode.DONT_INLINE)
        public ToolResult execute(Map<String, Object> arguments, ToolContext context) {
            return RESULT;
        }
    }

    /** A model that answers with a prepared response. */
    public static final class FixedProvider implements InferenceProvider {
        private final String id;

        FixedProvider(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        @CompilerControl(CompilerControl.Mode.DONT_INLINE)
        public ChatResponse chat(ChatRequest request) {
            return RESPONSE;
        }
    }

    @Benchmark
    public ToolResult toolDirect() throws PluginException {
        return tool.execute(ARGUMENTS, context);
    }

    @Benchmark
    public ToolResult toolThroughRegistry() throws PluginException {
        return registries.tool(toolName).execute(ARGUMENTS, context);
    }

    @Benchmark
    public ChatResponse inferenceDirect() throws PluginException {
        return provider.chat(REQUEST);
    }

    @Benchmark
    public ChatResponse inferenceThroughRegistry() throws PluginException {
        return registries.provider(providerId).chat(REQUEST);
    }
}
