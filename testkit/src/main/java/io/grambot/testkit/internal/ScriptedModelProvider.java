package io.grambot.testkit.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.grambot.api.GrambotPlugin;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.PluginException;
import io.grambot.api.inference.ChatMessage;
import io.grambot.api.inference.ChatRequest;
import io.grambot.api.inference.ChatResponse;
import io.grambot.api.inference.ChatResponse.StopReason;
import io.grambot.api.inference.InferenceProvider;
import io.grambot.api.inference.ToolCall;
import io.grambot.testkit.ScriptedModel;

/** The scripted model of a {@code testkit-model} instance: one component object, and one script, per instance. */
@GrambotPlugin(id = ScriptedModel.PLUGIN_ID, name = "Test kit scripted model",
        description = "A model for tests that answers from a script and records the requests.")
@Component(configurationPid = "testkit.model", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { InferenceProvider.class, ScriptedModel.class })
public final class ScriptedModelProvider implements InferenceProvider, ScriptedModel {

    private final String id;
    private final Deque<Function<ChatRequest, ChatResponse>> steps = new ArrayDeque<>();
    private final List<ChatRequest> requests = new ArrayList<>();
    private int calls;

    @Activate
    public ScriptedModelProvider(@Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context) {
        this(context.instanceId());
    }

    ScriptedModelProvider(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ScriptedModel answer(String text) {
        Objects.requireNonNull(text, "text");
        return answer(request -> text);
    }

    @Override
    public ScriptedModel answer(Function<ChatRequest, String> text) {
        Objects.requireNonNull(text, "text");
        return respond(request -> new ChatResponse(text.apply(request), List.of(), StopReason.END_TURN, null));
    }

    @Override
    public ScriptedModel callTool(String toolName, Map<String, Object> arguments) {
        Objects.requireNonNull(toolName, "toolName");
        Map<String, Object> copy = Map.copyOf(arguments);
        return respond(request -> new ChatResponse("", List.of(new ToolCall("call-" + calls, toolName, copy)),
                StopReason.TOOL_USE, null));
    }

    @Override
    public synchronized ScriptedModel respond(Function<ChatRequest, ChatResponse> response) {
        steps.add(Objects.requireNonNull(response, "response"));
        return this;
    }

    @Override
    public synchronized List<ChatRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public synchronized int pendingSteps() {
        return steps.size();
    }

    @Override
    public synchronized ChatResponse chat(ChatRequest request) throws PluginException {
        requests.add(request);
        calls++;
        Function<ChatRequest, ChatResponse> step = steps.poll();
        if (step == null) {
            List<ChatMessage> messages = request.messages();
            throw new PluginException("the scripted model '" + id + "' has no step left for request " + calls
                    + " (its last message: " + (messages.isEmpty() ? "none"
                            : messages.get(messages.size() - 1).role() + " \"" + messages.get(messages.size() - 1).text()
                                    + "\"") + ")");
        }
        try {
            return step.apply(request);
        } catch (RuntimeException e) {
            throw new PluginException("step " + calls + " of the scripted model '" + id + "' failed: " + e.getMessage(),
                    e);
        }
    }

    @Override
    public List<String> models() {
        return List.of("scripted");
    }
}
