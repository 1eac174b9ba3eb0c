package io.grambot.core.internal.bot;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a bot is set up with.
 *
 * @param botId the bot's id (its configuration's name)
 * @param connectors the connector instances it listens to and answers through
 * @param provider the inference provider instance that answers
 * @param model the model, or {@code null} for the provider's default
 * @param systemPrompt instructions for the model, or {@code null}
 * @param tools the tool names the model may call; {@code *} for every tool
 * @param imageGenerator the image generator instance offered to the model as a tool, or {@code null}
 * @param maxToolRounds how many rounds of tool calls a turn may take before the model must answer
 * @param maxTokens the most output tokens per model call, 0 for the provider's default
 * @param toolTimeout how long one tool call may take
 * @param historyMessages how many messages of a conversation are kept and sent to the model
 */
public record BotSettings(String botId, List<String> connectors, String provider, String model, String systemPrompt,
        List<String> tools, String imageGenerator, int maxToolRounds, int maxTokens, Duration toolTimeout,
        int historyMessages) {

    public BotSettings {
        Objects.requireNonNull(botId, "botId");
        connectors = List.copyOf(connectors);
        tools = List.copyOf(tools);
        model = blankToNull(model);
        systemPrompt = blankToNull(systemPrompt);
        imageGenerator = blankToNull(imageGenerator);
        provider = blankToNull(provider);
    }

    boolean allowsTool(String name) {
        return tools.contains("*") || tools.contains(name);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
