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
 * @param actions the actions offered to the model as tools, {@code <instanceId>/<actionName>}; {@code *} for every
 *        action that may be offered as a tool
 * @param enrichers the context enrichers asked before the model answers, by name and in this order; {@code *} for
 *        all, by name
 * @param enricherTimeout how long one enricher may take; a late one is left out
 * @param enrichmentMaxChars the most characters of context snippets added to the system prompt
 */
public record BotSettings(String botId, List<String> connectors, String provider, String model, String systemPrompt,
        List<String> tools, String imageGenerator, int maxToolRounds, int maxTokens, Duration toolTimeout,
        int historyMessages, List<String> actions, List<String> enrichers, Duration enricherTimeout,
        int enrichmentMaxChars) {

    /** The defaults of {@code enricherTimeoutMillis} and {@code enrichmentMaxChars}. */
    public static final Duration DEFAULT_ENRICHER_TIMEOUT = Duration.ofSeconds(1);
    public static final int DEFAULT_ENRICHMENT_MAX_CHARS = 4_000;

    public BotSettings {
        Objects.requireNonNull(botId, "botId");
        connectors = List.copyOf(connectors);
        tools = List.copyOf(tools);
        actions = List.copyOf(actions);
        enrichers = List.copyOf(enrichers);
        Objects.requireNonNull(enricherTimeout, "enricherTimeout");
        model = blankToNull(model);
        systemPrompt = blankToNull(systemPrompt);
        imageGenerator = blankToNull(imageGenerator);
        provider = blankToNull(provider);
    }

    /** Settings without actions and context enrichers. */
    public BotSettings(String botId, List<String> connectors, String provider, String model, String systemPrompt,
            List<String> tools, String imageGenerator, int maxToolRounds, int maxTokens, Duration toolTimeout,
            int historyMessages) {
        this(botId, connectors, provider, model, systemPrompt, tools, imageGenerator, maxToolRounds, maxTokens,
                toolTimeout, historyMessages, List.of(), List.of(), DEFAULT_ENRICHER_TIMEOUT,
                DEFAULT_ENRICHMENT_MAX_CHARS);
    }

    boolean allowsTool(String name) {
        return tools.contains("*") || tools.contains(name);
    }

    /** Whether the model may call the action: it may be offered as a tool, and the bot names it (or {@code *}). */
    boolean allowsAction(String instanceId, String name, boolean offeredAsTool) {
        return offeredAsTool && (actions.contains("*") || actions.contains(instanceId + "/" + name));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
