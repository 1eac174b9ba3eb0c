package io.grambot.testkit;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.osgi.annotation.versioning.ProviderType;

import io.grambot.api.inference.ChatMessage;
import io.grambot.api.inference.ChatRequest;
import io.grambot.api.inference.ChatResponse;
import io.grambot.api.inference.Role;

/**
 * A model that answers from a script: each request the bot makes takes the next step, in order (an answer or a
 * tool call), and every request is recorded. A request with no step left fails, so the bot's answer says that the
 * model could not answer, and the test sees it. It is the {@code InferenceProvider} of a {@code testkit-model}
 * instance; {@link Grambot#model} and {@link Grambot#chat} make one.
 *
 * <pre>
 * chat.model().callTool("echo", Map.of("text", "hi")).answer(ScriptedModel::lastToolResult);
 * </pre>
 */
@ProviderType
public interface ScriptedModel {

    /** The plugin id of the scripted model's plugin. */
    String PLUGIN_ID = "testkit-model";

    /** The instance id of this model: what a bot's {@code provider} setting names. */
    String id();

    /** Adds a step: answer with this text. */
    ScriptedModel answer(String text);

    /** Adds a step: answer with a text made from the request, for example {@link #lastToolResult}. */
    ScriptedModel answer(Function<ChatRequest, String> text);

    /** Adds a step: ask for one tool call. */
    ScriptedModel callTool(String toolName, Map<String, Object> arguments);

    /** Adds a step that makes the whole response from the request. */
    ScriptedModel respond(Function<ChatRequest, ChatResponse> response);

    /** The requests received so far, oldest first. */
    List<ChatRequest> requests();

    /** How many steps are still waiting for a request. */
    int pendingSteps();

    /** The text of the last tool result in the request; fails if it has none. */
    static String lastToolResult(ChatRequest request) {
        return last(request, Role.TOOL);
    }

    /** The text of the last message of the person in the request; fails if it has none. */
    static String lastUserText(ChatRequest request) {
        return last(request, Role.USER);
    }

    private static String last(ChatRequest request, Role role) {
        List<ChatMessage> messages = request.messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == role) {
                return messages.get(i).text();
            }
        }
        throw new IllegalStateException("the request has no " + role + " message, only "
                + messages.stream().map(ChatMessage::role).toList());
    }
}
