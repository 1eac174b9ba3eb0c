package io.grambot.api.inference;

import java.util.List;
import java.util.Objects;

/**
 * One message of a conversation as a model sees it.
 *
 * @param role who said it
 * @param content text and image parts
 * @param toolCalls for an assistant message, the tool calls it asked for
 * @param toolCallId for a tool message, the id of the call it answers
 */
public record ChatMessage(Role role, List<ContentPart> content, List<ToolCall> toolCalls, String toolCallId) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        content = content == null ? List.of() : List.copyOf(content);
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        if (role == Role.TOOL && toolCallId == null) {
            throw new IllegalArgumentException("a tool message needs the id of the tool call it answers");
        }
    }

    public static ChatMessage user(String text) {
        return new ChatMessage(Role.USER, List.of(new ContentPart.Text(text)), List.of(), null);
    }

    public static ChatMessage assistant(String text, List<ToolCall> toolCalls) {
        List<ContentPart> parts = text == null || text.isEmpty() ? List.of() : List.of(new ContentPart.Text(text));
        return new ChatMessage(Role.ASSISTANT, parts, toolCalls, null);
    }

    public static ChatMessage toolResult(String toolCallId, String text) {
        return new ChatMessage(Role.TOOL, List.of(new ContentPart.Text(text)), List.of(), toolCallId);
    }

    /** The text parts joined, without images. */
    public String text() {
        StringBuilder text = new StringBuilder();
        for (ContentPart part : content) {
            if (part instanceof ContentPart.Text t) {
                text.append(t.text());
            }
        }
        return text.toString();
    }
}
