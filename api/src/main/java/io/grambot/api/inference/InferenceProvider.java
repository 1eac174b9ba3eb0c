package io.grambot.api.inference;

import java.util.List;

import io.grambot.api.PluginException;
import org.osgi.annotation.versioning.ConsumerType;

/** A chat-completion model service such as OpenAI or Anthropic. */
@ConsumerType
public interface InferenceProvider {

    /** The id of this provider: the publishing instance's id. */
    String id();

    /** Runs one completion: the whole answer, with any tool calls the model wants made. */
    ChatResponse chat(ChatRequest request) throws PluginException;

    /**
     * Runs one completion and reports text as it is produced. Providers that cannot stream keep this default,
     * which reports the whole text once.
     */
    default ChatResponse chat(ChatRequest request, StreamListener listener) throws PluginException {
        ChatResponse response = chat(request);
        if (!response.text().isEmpty()) {
            listener.onText(response.text());
        }
        return response;
    }

    /** The models this provider offers, if it knows; the first one is its default. */
    default List<String> models() {
        return List.of();
    }
}
