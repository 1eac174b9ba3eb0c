package io.grambot.api.tool;

/**
 * Where a tool call comes from.
 *
 * @param botId the bot whose model called the tool, or {@code null} outside a bot turn
 * @param conversationId the conversation, or {@code null}
 * @param callId the model's id of the call, or {@code null}
 */
public record ToolContext(String botId, String conversationId, String callId) {

    public static final ToolContext NONE = new ToolContext(null, null, null);
}
