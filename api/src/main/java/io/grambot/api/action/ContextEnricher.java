package io.grambot.api.action;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

import io.grambot.api.PluginException;

/**
 * Adds context to a bot's prompt (Bacon's {@code enrichContext}): before inference the bot asks the enrichers its
 * {@code enrichers} setting names, each within a time budget, and hands the snippets to the model within a total
 * size budget. Published as a service with the instance's {@code grambot.instance.id}.
 */
@ConsumerType
public interface ContextEnricher {

    /** The name bots select it by, unique among enrichers. */
    String name();

    /** Snippets relevant to the request, most relevant first; an empty list when there is nothing to add. */
    List<ContextSnippet> enrich(EnrichmentRequest request) throws PluginException;

    /**
     * What the bot is about to ask the model.
     *
     * @param botId the bot
     * @param connectorId the connector the message came from
     * @param conversationId the conversation
     * @param text the person's latest message
     */
    record EnrichmentRequest(String botId, String connectorId, String conversationId, String text) {}

    /**
     * A piece of context.
     *
     * @param source where it comes from, shown to the model (a URL, a record id, a name)
     * @param text the context itself
     */
    record ContextSnippet(String source, String text) {
        public ContextSnippet {
            source = source == null ? "" : source;
            text = text == null ? "" : text;
        }
    }
}
