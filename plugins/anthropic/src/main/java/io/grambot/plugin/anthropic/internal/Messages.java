package io.grambot.plugin.anthropic.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.grambot.api.Media;
import io.grambot.api.PluginException;
import io.grambot.api.inference.ChatMessage;
import io.grambot.api.inference.ChatRequest;
import io.grambot.api.inference.ChatResponse;
import io.grambot.api.inference.ChatResponse.StopReason;
import io.grambot.api.inference.ChatResponse.Usage;
import io.grambot.api.inference.ContentPart;
import io.grambot.api.inference.Role;
import io.grambot.api.inference.StreamListener;
import io.grambot.api.inference.ToolCall;
import io.grambot.api.inference.ToolDefinition;
import io.grambot.http.ApiRequest;
import io.grambot.http.HttpException;
import io.grambot.http.ProviderError;
import io.grambot.http.Redactor;
import io.grambot.http.SseEvent;
import io.grambot.http.SseListener;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}): the system prompt as top-level {@code system}, the
 * conversation as alternating {@code user} and {@code assistant} messages of content blocks ({@code text},
 * base64 {@code image}, {@code tool_use}, and {@code tool_result} blocks in the user message after the calls), tools
 * with their {@code input_schema}, and the answer as content blocks, or streamed as typed server-sent events whose
 * {@code input_json_delta} pieces are joined per block.
 */
final class Messages {

    /** How the core marks the result of a tool that failed (the API has no flag for it): becomes {@code is_error}. */
    static final String TOOL_ERROR_PREFIX = "error: ";
    /** What stands in for a person's message without any content: the API refuses empty messages. */
    static final String EMPTY_MESSAGE = "[empty message]";
    /** The image types the API reads. */
    static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final int EXCERPT = 200;

    private final AnthropicConnection connection;
    private final ObjectMapper mapper;

    Messages(AnthropicConnection connection) {
        this.connection = connection;
        this.mapper = connection.http().mapper();
    }

    /**
     * Runs one completion.
     *
     * @param model the model to use
     * @param listener receives text as it streams, or {@code null} to ask for the whole answer at once
     */
    ChatResponse chat(ChatRequest request, String model, StreamListener listener) throws PluginException {
        AnthropicConnection.Credential credential = connection.credential();
        ApiRequest call = connection.post(AnthropicConnection.MESSAGES, body(request, model, listener != null),
                credential);
        try {
            if (listener == null) {
                return answer(connection.http().json(call), call);
            }
            Assembler assembler = new Assembler(call, listener);
            connection.http().stream(call, assembler);
            return assembler.result();
        } catch (HttpException e) {
            throw AnthropicConnection.explain(e, credential);
        }
    }

    /** The request body for {@code request}. */
    ObjectNode body(ChatRequest request, String model, boolean stream) {
        ObjectNode body = mapper.createObjectNode();
        body.put("model", model);
        body.put("max_tokens", request.maxTokens() > 0 ? request.maxTokens() : connection.settings().maxTokens());
        String system = request.systemPrompt();
        if (system != null && !system.isBlank()) {
            body.put("system", system);
        }
        body.set("messages", messages(request.messages()));
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolDefinition tool : request.tools()) {
                ObjectNode node = tools.addObject().put("name", tool.name());
                if (!tool.description().isEmpty()) {
                    node.put("description", tool.description());
                }
                node.set("input_schema", mapper.valueToTree(tool.parametersSchema()));
            }
        }
        if (stream) {
            body.put("stream", true);
        }
        return body;
    }

    /**
     * The conversation as the API takes it: roles alternate, so adjacent messages of one role are merged (tool
     * results are user messages, so the results of one round become one message); an assistant message with nothing
     * in it is left out; in a user message the {@code tool_result} blocks come first, as the API requires.
     */
    private ArrayNode messages(List<ChatMessage> conversation) {
        List<ObjectNode> merged = new ArrayList<>();
        for (ChatMessage message : conversation) {
            String role = message.role() == Role.ASSISTANT ? "assistant" : "user";
            List<ObjectNode> blocks = blocks(message);
            if (blocks.isEmpty()) {
                continue;
            }
            ObjectNode last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            ArrayNode content;
            if (last != null && last.path("role").asText().equals(role)) {
                content = (ArrayNode) last.get("content");
            } else {
                ObjectNode node = mapper.createObjectNode().put("role", role);
                content = node.putArray("content");
                merged.add(node);
            }
            blocks.forEach(content::add);
        }
        ArrayNode messages = mapper.createArrayNode();
        for (ObjectNode message : merged) {
            if (message.path("role").asText().equals("user")) {
                message.set("content", toolResultsFirst((ArrayNode) message.get("content")));
            }
            messages.add(message);
        }
        return messages;
    }

    private List<ObjectNode> blocks(ChatMessage message) {
        List<ObjectNode> blocks = new ArrayList<>();
        switch (message.role()) {
            case USER -> {
                for (ContentPart part : message.content()) {
                    if (part instanceof ContentPart.Text text) {
                        if (!text.text().isBlank()) { // the API refuses text blocks without visible text
                            blocks.add(text(text.text()));
                        }
                    } else if (part instanceof ContentPart.Image image) {
                        blocks.add(image(image.image()));
                    }
                }
                if (blocks.isEmpty()) {
                    blocks.add(text(EMPTY_MESSAGE));
                }
            }
            case ASSISTANT -> {
                // the API takes no images from the assistant
                String text = message.text();
                if (!text.isBlank()) {
                    blocks.add(text(text));
                }
                for (ToolCall call : message.toolCalls()) {
                    ObjectNode block = mapper.createObjectNode().put("type", "tool_use").put("id", call.id())
                            .put("name", call.name());
                    block.set("input", mapper.valueToTree(call.arguments()));
                    blocks.add(block);
                }
            }
            case TOOL -> blocks.add(toolResult(message));
        }
        return blocks;
    }

    private ObjectNode toolResult(ChatMessage message) {
        ObjectNode block = mapper.createObjectNode().put("type", "tool_result").put("tool_use_id",
                message.toolCallId());
        String text = message.text();
        boolean images = message.content().stream().anyMatch(ContentPart.Image.class::isInstance);
        if (images) {
            ArrayNode content = block.putArray("content");
            for (ContentPart part : message.content()) {
                if (part instanceof ContentPart.Text t && !t.text().isBlank()) {
                    content.add(text(t.text()));
                } else if (part instanceof ContentPart.Image image) {
                    content.add(image(image.image()));
                }
            }
        } else if (!text.isEmpty()) {
            block.put("content", text);
        }
        if (text.startsWith(TOOL_ERROR_PREFIX)) {
            block.put("is_error", true);
        }
        return block;
    }

    private ObjectNode text(String text) {
        return mapper.createObjectNode().put("type", "text").put("text", text);
    }

    /** A base64 image block; an image of a type the API cannot read becomes a note instead of failing the turn. */
    private ObjectNode image(Media image) {
        String type = image.mediaType().strip().toLowerCase(Locale.ROOT);
        if (type.equals("image/jpg")) {
            type = "image/jpeg";
        }
        if (!IMAGE_TYPES.contains(type)) {
            return text("[an image of type " + image.mediaType() + ", which the model cannot read]");
        }
        ObjectNode block = mapper.createObjectNode().put("type", "image");
        block.putObject("source").put("type", "base64").put("media_type", type)
                .put("data", Base64.getEncoder().encodeToString(image.data()));
        return block;
    }

    private ArrayNode toolResultsFirst(ArrayNode content) {
        ArrayNode sorted = mapper.createArrayNode();
        content.forEach(block -> {
            if (block.path("type").asText().equals("tool_result")) {
                sorted.add(block);
            }
        });
        content.forEach(block -> {
            if (!block.path("type").asText().equals("tool_result")) {
                sorted.add(block);
            }
        });
        return sorted;
    }

    /** The model's answer in a (non-streamed) Messages answer. */
    ChatResponse answer(JsonNode root, ApiRequest call) throws PluginException {
        if ("error".equals(Json.text(root.get("type"))) || root.path("error").isObject()) {
            throw error(root, call, call + " answered with an error");
        }
        JsonNode content = root.get("content");
        if (content == null || !content.isArray()) {
            throw malformed("'content' to be a list of blocks", root, call);
        }
        StringBuilder text = new StringBuilder();
        List<ToolCall> toolCalls = new ArrayList<>();
        for (JsonNode block : content) {
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText(""));
                case "tool_use" -> toolCalls.add(toolCall(toolCalls.size(), Json.text(block.get("id")),
                        Json.text(block.get("name")), block.get("input"), call));
                default -> {
                    // thinking, redacted_thinking and the blocks of server tools this plugin does not offer
                }
            }
        }
        return new ChatResponse(text.toString(), toolCalls,
                stopReason(Json.text(root.get("stop_reason")), !toolCalls.isEmpty()), usage(root.get("usage")));
    }

    /** Why the model stopped, from the answer's {@code stop_reason}. */
    static StopReason stopReason(String stopReason, boolean toolCalls) {
        if (stopReason == null) {
            return toolCalls ? StopReason.TOOL_USE : StopReason.END_TURN;
        }
        return switch (stopReason) {
            case "tool_use" -> StopReason.TOOL_USE;
            case "end_turn", "stop_sequence" -> toolCalls ? StopReason.TOOL_USE : StopReason.END_TURN;
            case "max_tokens", "model_context_window_exceeded" -> StopReason.MAX_TOKENS;
            case "refusal" -> StopReason.CONTENT_FILTER;
            default -> StopReason.OTHER; // pause_turn (server tools), and reasons newer than this plugin
        };
    }

    /** Token counts; the input counts what was read from and written to the prompt cache too. */
    private static Usage usage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.NONE;
        }
        return new Usage(usage.path("input_tokens").asLong(0) + usage.path("cache_creation_input_tokens").asLong(0)
                + usage.path("cache_read_input_tokens").asLong(0), usage.path("output_tokens").asLong(0));
    }

    /**
     * A tool call the model asked for.
     *
     * @param position the call's place among the answer's calls, from 0
     * @throws PluginException if there is no id or name, or the input is not a JSON object
     */
    private ToolCall toolCall(int position, String id, String name, JsonNode input, ApiRequest call)
            throws PluginException {
        if (name == null || name.isEmpty() || id == null || id.isEmpty()) {
            throw new PluginException("expected an id and a name in tool call #" + (position + 1) + " of the answer of "
                    + call + ", found " + (id == null || id.isEmpty() ? "no id" : "id '" + id + "'") + " and "
                    + (name == null || name.isEmpty() ? "no name" : "name '" + name + "'"));
        }
        if (input == null || input.isNull()) {
            return new ToolCall(id, name, Map.of());
        }
        if (!input.isObject()) {
            throw new PluginException("the model called tool '" + name + "' with input that is not a JSON object: "
                    + Json.describe(input, call));
        }
        return new ToolCall(id, name, mapper.convertValue(input, MAP));
    }

    /**
     * The failure Anthropic reported in a body ({@code {"type":"error","error":{"type","message"}}}): retryable when
     * its type says the service was overloaded or failed, not the request.
     */
    static HttpException error(JsonNode body, ApiRequest call, String what) {
        Redactor redactor = Redactor.of(call.secrets());
        ProviderError error = ProviderError.Parser.STANDARD.parse(body)
                .map(e -> new ProviderError(redactor.redact(e.message()), redactor.redact(e.code())))
                .orElse(new ProviderError(Json.describe(body, call), null));
        String type = error.code();
        boolean retryable = type != null && (type.equals("overloaded_error") || type.equals("api_error")
                || type.equals("rate_limit_error") || type.equals("timeout_error"));
        return new HttpException(what + ": " + error.message() + (type == null || type.equals(error.message()) ? ""
                : " (" + type + ")"), 0, retryable, null, null, error);
    }

    static PluginException malformed(String expected, JsonNode found, ApiRequest call) {
        return new PluginException("expected " + expected + " in the answer of " + call + ", found "
                + Json.describe(found, call));
    }

    private static String excerpt(String text) {
        return text.length() > EXCERPT ? text.substring(0, EXCERPT) + "…" : text;
    }

    /** Joins a streamed answer's events into one answer, passing text on as it arrives. */
    private final class Assembler implements SseListener {

        private final ApiRequest call;
        private final StreamListener listener;
        private final Map<Integer, Block> blocks = new TreeMap<>();
        private final ObjectNode usage = mapper.createObjectNode();
        private String stopReason;
        private boolean stopped;

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
            JsonNode node = parse(data);
            String type = Json.text(node.get("type"));
            switch (type == null ? event.type() : type) {
                case "message_start" -> addUsage(node.path("message").get("usage"));
                case "content_block_start" -> {
                    JsonNode start = node.path("content_block");
                    Block block = block(node, start.path("type").asText(""));
                    block.id = Json.text(start.get("id"));
                    block.name = Json.text(start.get("name"));
                    block.input = start.get("input");
                    text(block, Json.text(start.get("text")));
                }
                case "content_block_delta" -> {
                    JsonNode delta = node.path("delta");
                    switch (delta.path("type").asText("")) {
                        case "text_delta" -> text(block(node, "text"), Json.text(delta.get("text")));
                        case "input_json_delta" -> block(node, "tool_use").json
                                .append(delta.path("partial_json").asText(""));
                        default -> {
                            // thinking_delta, signature_delta, citations_delta: nothing this plugin keeps
                        }
                    }
                }
                case "content_block_stop" -> block(node, "").stop();
                case "message_delta" -> {
                    String reason = Json.text(node.path("delta").get("stop_reason"));
                    if (reason != null) {
                        stopReason = reason;
                    }
                    addUsage(node.get("usage"));
                }
                case "message_stop" -> stopped = true;
                case "error" -> throw error(node, call, call + " reported an error in its event stream");
                default -> {
                    // ping, and event types newer than this plugin (the API may add some)
                }
            }
        }

        private JsonNode parse(String data) throws PluginException {
            JsonNode node;
            try {
                node = mapper.readTree(data);
            } catch (IOException e) {
                node = null;
            }
            if (node == null || !node.isObject()) {
                throw new PluginException("expected a JSON object in every event of the stream of " + call
                        + ", found: " + Redactor.of(call.secrets()).redact(excerpt(data)));
            }
            return node;
        }

        /** The block an event is about, by its {@code index}; one that was not started is started now. */
        private Block block(JsonNode event, String type) throws PluginException {
            JsonNode index = event.get("index");
            if (index == null || !index.canConvertToInt()) {
                throw malformed("an 'index' in every " + event.path("type").asText() + " event", event, call);
            }
            Block block = blocks.computeIfAbsent(index.asInt(), i -> new Block());
            if (block.type == null || block.type.isEmpty()) {
                block.type = type;
            }
            return block;
        }

        private void text(Block block, String delta) {
            if (delta != null && !delta.isEmpty()) {
                block.text.append(delta);
                listener.onText(delta);
            }
        }

        /** Usage comes in message_start and message_delta; the counts of a later event replace earlier ones. */
        private void addUsage(JsonNode more) {
            if (more != null && more.isObject()) {
                more.fields().forEachRemaining(field -> {
                    if (field.getValue().isNumber()) {
                        usage.set(field.getKey(), field.getValue());
                    }
                });
            }
        }

        ChatResponse result() throws PluginException {
            if (!stopped && stopReason == null) {
                throw new HttpException("the event stream of " + call + " ended before the answer was complete "
                        + "(no message_stop)", 0, true, null, null, null);
            }
            boolean cutOff = "max_tokens".equals(stopReason) || "model_context_window_exceeded".equals(stopReason);
            StringBuilder text = new StringBuilder();
            List<ToolCall> toolCalls = new ArrayList<>();
            for (Block block : blocks.values()) {
                switch (block.type) {
                    case "text" -> text.append(block.text);
                    case "tool_use" -> {
                        block.stop();
                        if (block.broken != null) {
                            if (cutOff) {
                                continue; // cut off by the token limit: its input is not whole
                            }
                            throw new PluginException("the model called tool '" + block.name + "' with input that "
                                    + "is not a JSON object in the stream of " + call + ": "
                                    + Redactor.of(call.secrets()).redact(excerpt(block.broken)));
                        }
                        toolCalls.add(toolCall(toolCalls.size(), block.id, block.name, block.input, call));
                    }
                    default -> {
                        // thinking and the blocks of server tools
                    }
                }
            }
            return new ChatResponse(text.toString(), toolCalls, stopReason(stopReason, !toolCalls.isEmpty()),
                    usage(usage));
        }

        /** A content block being put together. */
        private final class Block {
            String type;
            String id;
            String name;
            /** The input of a tool_use block: from its start, replaced by the joined pieces when it stops. */
            JsonNode input;
            final StringBuilder text = new StringBuilder();
            final StringBuilder json = new StringBuilder();
            boolean done;
            /** The joined input of a tool_use block that is not a JSON object, or {@code null}. */
            String broken;

            /** Ends the block: a tool_use block's input pieces are parsed now. */
            void stop() {
                if (done || !"tool_use".equals(type)) {
                    done = true;
                    return;
                }
                done = true;
                String joined = json.toString();
                if (joined.isBlank()) {
                    return; // no pieces: the input of the start event (usually {}) stands
                }
                try {
                    JsonNode parsed = mapper.readTree(joined);
                    if (parsed != null && parsed.isObject()) {
                        input = parsed;
                        return;
                    }
                } catch (IOException e) {
                    // reported with the answer, unless the token limit explains it
                }
                broken = joined;
            }
        }
    }
}
