package io.grambot.plugin.openai.codex.internal;

import io.grambot.api.PluginException;
import io.grambot.api.inference.ChatRequest;
import io.grambot.api.inference.ChatResponse;
import io.grambot.api.inference.StreamListener;

/** One of OpenAI's wire protocols for a completion: Chat Completions or the Responses API. */
interface Dialect {

    /**
     * Runs one completion.
     *
     * @param model the model to use
     * @param listener receives text as it streams, or {@code null} to ask for the whole answer at once
     */
    ChatResponse chat(ChatRequest request, String model, StreamListener listener) throws PluginException;
}
