package io.grambot.api.inference;

import java.util.List;
import java.util.Objects;

/**
 * A model's answer.
 *
 * @param text the answer's text; empty when the model only asks for tool calls
 * @param toolCalls the tool calls the model asks for, to be answered with tool messages
 * @param stopReason why the model stopped
 * @param usage the tokens the call used
 */
public record ChatResponse(String text, List<ToolCall> toolCalls, StopReason stopReason, Usage usage) {

    public ChatResponse {
        text = text == null ? "" : text;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        Objects.requireNonNull(stopReason, "stopReason");
        usage = usage == null ? Usage.NONE : usage;
    }

    /** Why a model stopped producing output. */
    public enum StopReason {
        END_TURN, TOOL_USE, MAX_TOKENS, CONTENT_FILTER, OTHER
    }

    /** Token counts of one call. */
    public record Usage(long inputTokens, long outputTokens) {
        public static final Usage NONE = new Usage(0, 0);
    }
}
