package io.grambot.plugin.openai.codex.internal;

import java.util.ArrayList;
import java.util.Iterator;
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
 * OpenAI's Responses API ({@code POST /responses}): the system prompt as {@code instructions}, the conversation as
 * {@code input} items ({@code message} items with {@code input_text} / {@code input_image} / {@code output_text}
 * parts, {@code function_call} items answered by {@code function_call_output} items), nothing stored on the server
 * ({@code store: false}), and the answer as {@code output} items, or streamed as typed server-sent events whose last
 * one, {@code response.completed}, carries the whole answer.
 *
 * <p>With a ChatGPT sign-in (the Codex endpoint) every call streams, since that endpoint answers only so; it also
 * needs instructions (a bot without a system prompt gets {@link #DEFAULT_INSTRUCTIONS}) and takes no
 * {@code max_output_tokens}, so a bot's token limit does not apply there.
 */
final class Responses implements Dialect {

    static final String PATH = "responses";
    /** The instructions of a turn with a ChatGPT sign-in whose bot has no system prompt (the endpoint needs some). */
    static final String DEFAULT_INSTRUCTIONS = "You are a helpful assistant.";

    private static final StreamListener IGNORE = delta -> {};

    private final OpenAiConnection connection;
    private final Wire wire;
    private final ObjectMapper mapper;

    Responses(OpenAiConnection connection, Wire wire) {
        this.connection = connection;
        this.wire = wire;
        this.mapper = wire.mapper();
    }

    @Override
    public ChatResponse chat(ChatRequest request, String model, StreamListener listener) throws PluginException {
        OpenAiConnection.Credential credential = connection.credential();
        boolean stream = listener != null || credential.signIn();
        ApiRequest call = connection.post(PATH, body(request, model, stream, credential.signIn()), credential);
        try {
            if (!stream) {
                return answer(connection.http().json(call), call);
            }
            Assembler assembler = new Assembler(call, listener == null ? IGNORE : listener);
            connection.http().stream(call, assembler);
            return assembler.result();
        } catch (HttpException e) {
            throw OpenAiConnection.explainSignIn(e, credential);
        }
    }

    /** The request body for {@code request}; {@code signIn} shapes it for the Codex endpoint. */
    ObjectNode body(ChatRequest request, String model, boolean stream, boolean signIn) throws PluginException {
        ObjectNode body = mapper.createObjectNode();
        body.put("model", model);
        String system = request.systemPrompt();
        if (system != null && !system.isBlank()) {
            body.put("instructions", system);
        } else if (signIn) {
            body.put("instructions", DEFAULT_INSTRUCTIONS);
        }
        ArrayNode input = body.putArray("input");
        for (ChatMessage message : request.messages()) {
            items(message, input);
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolDefinition tool : request.tools()) {
                // strict mode would refuse most tools' schemas (it wants every property required and no others)
                wire.function(tools.addObject().put("type", "function"), tool).put("strict", false);
            }
        }
        if (request.maxTokens() > 0 && !signIn) {
            body.put("max_output_tokens", request.maxTokens());
        }
        body.put("store", false);
        if (stream) {
            body.put("stream", true);
        }
        return body;
    }

    /**
     * The input items of one message. Items go without ids: with {@code store: false} the server keeps none, and an
     * id it does not know (or a function call's id without its reasoning item) is refused.
     */
    private void items(ChatMessage message, ArrayNode input) throws PluginException {
        switch (message.role()) {
            case USER -> {
                ArrayNode content = input.addObject().put("type", "message").put("role", "user").putArray("content");
                for (ContentPart part : message.content()) {
                    if (part instanceof ContentPart.Text text) {
                        content.addObject().put("type", "input_text").put("text", text.text());
                    } else if (part instanceof ContentPart.Image image) {
                        content.addObject().put("type", "input_image").put("image_url", Wire.dataUrl(image.image()));
                    }
                }
                if (content.isEmpty()) {
                    content.addObject().put("type", "input_text").put("text", "");
                }
            }
            case ASSISTANT -> {
                // the protocol takes no images from the assistant; a turn that only called tools has no message
                String text = message.text();
                if (!text.isEmpty() || message.toolCalls().isEmpty()) {
                    input.addObject().put("type", "message").put("role", "assistant").putArray("content").addObject()
                            .put("type", "output_text").put("text", text);
                }
                for (ToolCall call : message.toolCalls()) {
                    input.addObject().put("type", "function_call").put("call_id", call.id()).put("name", call.name())
                            .put("arguments", wire.arguments(call));
                }
            }
            // a tool result goes back as text, as in Chat Completions
            case TOOL -> input.addObject().put("type", "function_call_output").put("call_id", message.toolCallId())
                    .put("output", message.text());
        }
    }

    /** The model's answer in a Responses answer (the body of a non-streamed call, or of {@code response.completed}). */
    ChatResponse answer(JsonNode root, ApiRequest call) throws PluginException {
        Wire.failIfError(root, call);
        String status = Json.text(root.get("status"));
        if ("failed".equals(status)) {
            throw new PluginException(call + " answered with status 'failed' without saying why");
        }
        JsonNode output = root.get("output");
        if (output == null || !output.isArray()) {
            throw Wire.malformed("'output' to be a list of items", root, call);
        }
        boolean incomplete = "incomplete".equals(status);
        StringBuilder text = new StringBuilder();
        StringBuilder refusal = new StringBuilder();
        List<ToolCall> toolCalls = new ArrayList<>();
        for (JsonNode item : output) {
            switch (item.path("type").asText()) {
                case "message" -> {
                    for (JsonNode part : item.path("content")) {
                        switch (part.path("type").asText()) {
                            case "output_text" -> text.append(part.path("text").asText(""));
                            case "refusal" -> refusal.append(part.path("refusal").asText(""));
                            default -> {
                                // annotations and parts this plugin has no use for
                            }
                        }
                    }
                }
                case "function_call" -> {
                    if (incomplete && "incomplete".equals(Json.text(item.get("status")))) {
                        continue; // cut off by the token limit: its arguments are not whole
                    }
                    toolCalls.add(wire.toolCall(toolCalls.size(), Json.text(item.get("call_id")),
                            Json.text(item.get("name")), item.get("arguments"), call));
                }
                default -> {
                    // reasoning, and the items of built-in tools this plugin does not offer
                }
            }
        }
        String answer = text.length() == 0 ? refusal.toString() : text.toString();
        return new ChatResponse(answer, toolCalls,
                stopReason(status, Json.text(root.path("incomplete_details").get("reason")), !toolCalls.isEmpty()),
                usage(root.get("usage")));
    }

    /** Why the model stopped, from the answer's {@code status} and {@code incomplete_details.reason}. */
    static StopReason stopReason(String status, String incompleteReason, boolean toolCalls) {
        if ("incomplete".equals(status)) {
            if ("max_output_tokens".equals(incompleteReason)) {
                return StopReason.MAX_TOKENS;
            }
            return "content_filter".equals(incompleteReason) ? StopReason.CONTENT_FILTER : StopReason.OTHER;
        }
        if (toolCalls) {
            return StopReason.TOOL_USE;
        }
        return status == null || status.equals("completed") ? StopReason.END_TURN : StopReason.OTHER;
    }

    private static Usage usage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.NONE;
        }
        return new Usage(usage.path("input_tokens").asLong(0), usage.path("output_tokens").asLong(0));
    }

    /**
     * Reads a streamed answer: text deltas go on to the listener as they arrive, and the answer is the one
     * {@code response.completed} (or {@code response.incomplete}) carries. Output items are also put together from
     * the events before it, for servers whose final event leaves {@code output} empty (the Codex endpoint may).
     */
    private final class Assembler implements SseListener {

        private final ApiRequest call;
        private final StreamListener listener;
        private final StringBuilder text = new StringBuilder();
        private final Map<Integer, ObjectNode> items = new TreeMap<>();
        private JsonNode last;

        Assembler(ApiRequest call, StreamListener listener) {
            this.call = call;
            this.listener = listener;
        }

        @Override
        public void onEvent(SseEvent event) throws PluginException {
            String data = event.data().strip();
            if (data.isEmpty() || data.equals("[DONE]")) {
                return;
            }
            JsonNode node = wire.event(data, call);
            String type = Json.text(node.get("type"));
            switch (type == null ? event.type() : type) {
                case "response.output_text.delta" -> {
                    String delta = Json.text(node.get("delta"));
                    if (delta != null && !delta.isEmpty()) {
                        text.append(delta);
                        listener.onText(delta);
                    }
                }
                case "response.output_item.added", "response.output_item.done" -> {
                    JsonNode item = node.get("item");
                    if (item != null && item.isObject()) {
                        items.put(node.path("output_index").asInt(items.size()), ((ObjectNode) item).deepCopy());
                    }
                }
                case "response.function_call_arguments.delta" -> {
                    ObjectNode item = item(node);
                    if (item != null) {
                        item.put("arguments", item.path("arguments").asText("") + node.path("delta").asText(""));
                    }
                }
                case "response.function_call_arguments.done" -> {
                    ObjectNode item = item(node);
                    if (item != null && Json.text(node.get("arguments")) != null) {
                        item.put("arguments", node.get("arguments").asText());
                    }
                }
                case "response.completed", "response.incomplete" -> last = response(node);
                case "response.failed" -> {
                    JsonNode response = response(node);
                    Wire.failIfError(response, call);
                    throw new PluginException(call + " answered with status 'failed' without saying why");
                }
                case "error" -> throw Wire.error(node, node, call);
                default -> {
                    // response.created, .in_progress, content parts, reasoning summaries, ...: nothing to keep
                }
            }
        }

        /** The item an event is about: by its {@code output_index}, or by its {@code item_id}. */
        private ObjectNode item(JsonNode event) {
            if (event.path("output_index").isInt()) {
                return items.get(event.get("output_index").asInt());
            }
            String id = Json.text(event.get("item_id"));
            return items.values().stream().filter(item -> id != null && id.equals(Json.text(item.get("id"))))
                    .findFirst().orElse(null);
        }

        private JsonNode response(JsonNode event) throws PluginException {
            JsonNode response = event.get("response");
            if (response == null || !response.isObject()) {
                throw Wire.malformed("'response' to be an object in its " + event.path("type").asText() + " event",
                        event, call);
            }
            return response;
        }

        ChatResponse result() throws PluginException {
            if (last == null) {
                throw new HttpException("the event stream of " + call + " ended before the answer was complete "
                        + "(no response.completed)", 0, true, null, null, null);
            }
            JsonNode response = last;
            if (!response.path("output").isArray() || response.path("output").isEmpty()) {
                ObjectNode patched = ((ObjectNode) response).deepCopy();
                ArrayNode output = patched.putArray("output");
                items.values().forEach(output::add);
                response = patched;
            }
            ChatResponse answer = answer(response, call);
            if (answer.text().isEmpty() && text.length() > 0 && !hasMessage(response.get("output"))) {
                // a server that streamed text but sent no message item for it
                return new ChatResponse(text.toString(), answer.toolCalls(), answer.stopReason(), answer.usage());
            }
            return answer;
        }

        private boolean hasMessage(JsonNode output) {
            for (Iterator<JsonNode> it = output.elements(); it.hasNext();) {
                if ("message".equals(it.next().path("type").asText())) {
                    return true;
                }
            }
            return false;
        }
    }
}
