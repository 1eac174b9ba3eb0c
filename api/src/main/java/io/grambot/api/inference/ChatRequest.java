package io.grambot.api.inference;

import java.util.List;
import java.util.Objects;

/**
 * One completion request.
 *
 * @param model the model to use, or {@code null} for the provider's configured default
 * @param systemPrompt instructions for the model, or {@code null}
 * @param messages the conversation so far, oldest first
 * @param tools the tools the model may call
 * @param maxTokens the most output tokens, or 0 for the provider's default
 */
public record ChatRequest(String model, String systemPrompt, List<ChatMessage> messages, List<ToolDefinition> tools,
        int maxTokens) {

    public ChatRequest {
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        tools = tools == null ? List.of() : List.copyOf(tools);
        if (maxTokens < 0) {
            throw new IllegalArgumentException("maxTokens must be 0 (provider default) or positive, was " + maxTokens);
        }
    }
}
