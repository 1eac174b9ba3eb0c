package io.grambot.itest;

import java.util.List;
import java.util.Map;

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
import io.grambot.api.inference.Role;
import io.grambot.api.inference.ToolCall;

/**
 * A model for bot tests that answers from the conversation alone: "call &lt;tool&gt; &lt;text&gt;" asks for that
 * tool with the text; a tool result is answered with "tool said: &lt;result&gt;"; anything else is echoed with the
 * number of messages it was sent, so a test can see the history; "what context" is answered with the system prompt
 * it was given, so a test can see what the bot's context enrichers added.
 */
@GrambotPlugin(id = "scripted", name = "Scripted model", description = "A deterministic model for tests.")
@Component(configurationPid = "scripted", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = InferenceProvider.class)
public final class ScriptedProvider implements InferenceProvider {

    private final PluginContext context;

    @Activate
    public ScriptedProvider(@Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context) {
        this.context = context;
    }

    @Override
    public String id() {
        return context.instanceId();
    }

    @Override
    public ChatResponse chat(ChatRequest request) throws PluginException {
        ChatMessage last = request.messages().get(request.messages().size() - 1);
        if (last.role() == Role.TOOL) {
            return new ChatResponse("tool said: " + last.text(), List.of(), StopReason.END_TURN, null);
        }
        String text = last.text();
        if (text.equals("unavailable")) {
            throw new PluginException("connect to http://model.invalid/v1 refused", 0, true, null, null);
        }
        if (text.equals("what context")) {
            return new ChatResponse(String.valueOf(request.systemPrompt()), List.of(), StopReason.END_TURN, null);
        }
        if (text.startsWith("call ")) {
            String[] words = text.split(" ", 3);
            return new ChatResponse("", List.of(new ToolCall("call-1", words[1], Map.of("text", words[2]))),
                    StopReason.TOOL_USE, null);
        }
        return new ChatResponse(text + " (" + request.messages().size() + " messages)", List.of(),
                StopReason.END_TURN, null);
    }
}
