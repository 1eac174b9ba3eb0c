package io.grambot.plugin.openai.codex.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.grambot.api.PluginException;
import io.grambot.api.inference.ChatMessage;
import io.grambot.api.inference.ChatRequest;
import io.grambot.api.inference.ChatResponse;
import io.grambot.api.inference.ChatResponse.StopReason;
import io.grambot.api.inference.ChatResponse.Usage;
import io.grambot.api.inference.ContentPart;
import io.grambot.api.inference.StreamListener;
import io.grambot.api.inference.ToolCall;
import io.grambot.api.inference.ToolDefinition;
import io.grambot.http.ApiRequest;
import io.grambot.http.HttpException;
import io.grambot.http.SseEvent;
import io.grambot.http.SseListener;

/**
 * The Chat Completions protocol ({@code POST /chat/completions}), which OpenAI and every OpenAI-compatible server
 * speak: messages with text and {@code image_url} parts, function tools, assistant {@code tool_calls} answered by
 * {@code tool} messages, and streaming as server-sent chunks whose tool-call pieces are joined by their index.
 */
final class ChatCompletions implements Dialect {

    static final String PATH = "chat/completions";

    private final OpenAiConnection connection;
    private final Wire wire;
    private final ObjectMapper mapper;

    ChatCompletions(OpenAiConnection connection, Wire wire) {
        this.connection = connection;
        this.wire = wire;
        this.mapper = wire.mapper();
    }

    @Override
    public ChatResponse chat(ChatRequest request, String model, StreamListener listener) throws PluginException {
        ApiRequest call = connection.post(PATH, body(request, model, listener != null), connection.credential());
        if (listener == null) {
            return answer(connection.http().json(call), call);
        }
        Assembler assembler = new Assembler(call, listener);
        connection.http().stream(call, assembler);
        return assembler.result();
    }

    /** The request body for {@code request}. */
    ObjectNode body(ChatRequest request, String model, boolean stream) throws PluginException {
        ObjectNode body = mapper.createObjectNode();
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        if (request.systemPrompt() != null && !request.systemPrompt().isBlank()) {
            messages.addObject().put("role", "system").put("content", request.systemPrompt());
        }
        for (ChatMessage message : request.messages()) {
            messages.add(message(message));
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolDefinition tool : request.tools()) {
                wire.function(tools.addObject().put("type", "function").putObject("function"), tool);
            }
        }
        if (request.maxTokens() > 0) {
            body.put(connection.settings().maxTokensParameter(), request.maxTokens());
        }
        if (stream) {
            body.put("stream", true);
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    private ObjectNode message(ChatMessage message) throws PluginException {
        ObjectNode node = mapper.createObjectNode();
        switch (message.role()) {
            case USER -> node.put("role", "user").set("content", userContent(message.content()));
            case ASSISTANT -> {
                node.put("role", "assistant");
                // the protocol takes no images from the assistant; with tool calls and no text, content is null
                String text = message.text();
                if (text.isEmpty() && !message.toolCalls().isEmpty()) {
                    node.putNull("content");
                } else {
                    node.put("content", text);
                }
                if (!message.toolCalls().isEmpty()) {
                    ArrayNode calls = node.putArray("tool_calls");
                    for (ToolCall call : message.toolCalls()) {
                        ObjectNode function = calls.addObject().put("id", call.id()).put("type", "function")
                                .putObject("function");
                        function.put("name", call.name());
                        function.put("arguments", wire.arguments(call));
                    }
                }
            }
            // a tool result is text only in this protocol
            case TOOL -> node.put("role", "tool").put("tool_call_id", message.toolCallId())
                    .put("content", message.text());
        }
        return node;
    }

    /** Plain text as a string (which every compatible server understands), anything with images as parts. */
    private JsonNode userContent(List<ContentPart> parts) {
        boolean images = parts.stream().anyMatch(ContentPart.Image.class::isInstance);
        if (!images && parts.size() <= 1) {
            return mapper.getNodeFactory().textNode(parts.isEmpty() ? "" : ((ContentPart.Text) parts.get(0)).text());
        }
        ArrayNode array = mapper.createArrayNode();
        for (ContentPart part : parts) {
            if (part instanceof ContentPart.Text text) {
                array.addObject().put("type", "text").put("text", text.text());
            } else if (part instanceof ContentPart.Image image) {
                array.addObject().put("type", "image_url").putObject("image_url").put("url", Wire.dataUrl(image.image()));
            }
        }
        return array;
    }

    /** The model's answer in a (non-streamed) Chat Completions answer. */
    ChatResponse answer(JsonNode root, ApiRequest call) throws PluginException {
        Wire.failIfError(root, call);
        JsonNode choices = root.get("choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            throw Wire.malformed("'choices' with at least one choice", root, call);
        }
        JsonNode message = choices.get(0).get("message");
        if (message == null || !message.isObject()) {
            throw Wire.malformed("'choices[0].message' to be an object", choices.get(0), call);
        }
        String text = content(message.get("content"));
        if (text.isEmpty() && Json.text(message.get("refusal")) != null) {
            text = message.get("refusal").asText();
        }
        List<ToolCall> toolCalls = new ArrayList<>();
        JsonNode calls = message.get("tool_calls");
        if (calls != null && calls.isArray()) {
            int position = 0;
            for (JsonNode node : calls) {
                JsonNode function = node.path("function");
                toolCalls.add(wire.toolCall(position++, Json.text(node.get("id")), Json.text(function.get("name")),
                        function.get("arguments"), call));
            }
        }
        return new ChatResponse(text, toolCalls, stopReason(Json.text(choices.get(0).get("finish_reason")),
                !toolCalls.isEmpty()), usage(root.get("usage")));
    }

    /** Message content: a string, {@code null}, or (from some servers) a list of text parts. */
    private static String content(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                String piece = Json.text(part.get("text"));
                text.append(piece == null ? "" : piece);
            }
            return text.toString();
        }
        return content.asText();
    }

    static StopReason stopReason(String finishReason, boolean toolCalls) {
        if (toolCalls) { // some servers say "stop" although the message calls tools
            return StopReason.TOOL_USE;
        }
        if (finishReason == null) {
            return StopReason.END_TURN;
        }
        return switch (finishReason) {
            case "stop" -> StopReason.END_TURN;
            case "tool_calls", "function_call" -> StopReason.TOOL_USE;
            case "length" -> StopReason.MAX_TOKENS;
            case "content_filter" -> StopReason.CONTENT_FILTER;
            default -> StopReason.OTHER;
        };
    }

    private static Usage usage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.NONE;
        }
        return new Usage(usage.path("prompt_tokens").asLong(0), usage.path("completion_tokens").asLong(0));
    }

    /** Joins streamed chunks into one answer, passing text on as it arrives. */
    private final class Assembler implements SseListener {

        private final ApiRequest call;
        private final StreamListener listener;
        private final StringBuilder text = new StringBuilder();
        private final StringBuilder refusal = new StringBuilder();
        private final Map<Integer, PartialCall> calls = new TreeMap<>();
        private Usage usage = Usage.NONE;
        private String finishReason;
        private boolean done;
        private int lastIndex = -1;

        Assembler(ApiRequest call, StreamListener listener) {
            this.call = call;
            this.listener = listener;
        }

        @Override
        public void onEvent(SseEvent event) throws PluginException {
            String data = event.data().strip();
            if (data.isEmpty()) {
                return;
            }
            if (data.equals("[DONE]")) {
                done = true;
                return;
            }
            JsonNode chunk = wire.event(data, call);
            Wire.failIfError(chunk, call);
            if (chunk.path("usage").isObject()) {
                usage = usage(chunk.get("usage"));
            }
            for (JsonNode choice : chunk.path("choices")) {
                if (choice.path("index").asInt(0) != 0) {
                    continue; // only one choice is asked for
                }
                JsonNode delta = choice.has("delta") ? choice.get("delta") : choice.path("message");
                String content = content(delta.get("content"));
                if (!content.isEmpty()) {
                    text.append(content);
                    listener.onText(content);
                }
                String refused = Json.text(delta.get("refusal"));
                if (refused != null) {
                    refusal.append(refused);
                }
                for (JsonNode piece : delta.path("tool_calls")) {
                    toolCallPiece(piece);
                }
                String finish = Json.text(choice.get("finish_reason"));
                if (finish != null) {
                    finishReason = finish;
                }
            }
        }

        private void toolCallPiece(JsonNode piece) {
            String id = Json.text(piece.get("id"));
            int index;
            if (piece.path("index").isInt()) {
                index = piece.get("index").asInt();
            } else { // servers that leave out the index send each call whole, or pieces of the last one
                boolean newCall = lastIndex < 0 || id != null && !id.equals(calls.get(lastIndex).id);
                index = newCall ? lastIndex + 1 : lastIndex;
            }
            lastIndex = index;
            PartialCall partial = calls.computeIfAbsent(index, i -> new PartialCall());
            if (id != null && partial.id == null) {
                partial.id = id;
            }
            JsonNode function = piece.path("function");
            String name = Json.text(function.get("name"));
            if (name != null && partial.name.length() == 0) {
                partial.name.append(name);
            }
            JsonNode arguments = function.get("arguments");
            if (arguments != null && arguments.isTextual()) {
                partial.arguments.append(arguments.asText());
            } else if (arguments != null && arguments.isObject()) {
                partial.arguments.append(arguments);
            }
        }

        ChatResponse result() throws PluginException {
            if (!done && finishReason == null) {
                throw new HttpException("the event stream of " + call + " ended before the answer was complete "
                        + "(no finish_reason and no [DONE])", 0, true, null, null, null);
            }
            List<ToolCall> toolCalls = new ArrayList<>();
            int position = 0;
            for (PartialCall partial : calls.values()) {
                toolCalls.add(wire.toolCall(position++, partial.id, partial.name.toString(),
                        mapper.getNodeFactory().textNode(partial.arguments.toString()), call));
            }
            String answer = text.length() == 0 ? refusal.toString() : text.toString();
            return new ChatResponse(answer, toolCalls, stopReason(finishReason, !toolCalls.isEmpty()), usage);
        }
    }

    /** A streamed tool call being put together. */
    private static final class PartialCall {
        String id;
        final StringBuilder name = new StringBuilder();
        final StringBuilder arguments = new StringBuilder();
    }
}
