package io.grambot.api.tool;

import java.util.List;
import java.util.Map;

import io.grambot.api.Media;

/**
 * What a tool returns.
 *
 * @param text the result as the model reads it
 * @param data the structured result for programmatic callers
 * @param media images or files produced, delivered to the person chatting
 * @param error whether {@code text} describes a failure
 */
public record ToolResult(String text, Map<String, Object> data, List<Media> media, boolean error) {

    public ToolResult {
        text = text == null ? "" : text;
        data = data == null ? Map.of() : data;
        media = media == null ? List.of() : List.copyOf(media);
    }

    public static ToolResult text(String text) {
        return new ToolResult(text, Map.of(), List.of(), false);
    }

    public static ToolResult error(String message) {
        return new ToolResult(message, Map.of(), List.of(), true);
    }
}
