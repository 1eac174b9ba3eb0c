package io.grambot.plugin.openai.codex.internal;

import java.io.IOException;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.grambot.api.Media;
import io.grambot.api.PluginException;
import io.grambot.api.inference.ToolCall;
import io.grambot.api.inference.ToolDefinition;
import io.grambot.http.ApiRequest;
import io.grambot.http.HttpException;
import io.grambot.http.ProviderError;
import io.grambot.http.Redactor;

/**
 * What OpenAI's wire protocols write and read alike: images as data URLs, function definitions, tool-call arguments
 * as JSON text, errors inside a successful answer, and the JSON of one streamed event.
 */
final class Wire {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final int EXCERPT = 200;

    private final ObjectMapper mapper;

    Wire(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** An image as a {@code data:} URL, the form both protocols take images in. */
    static String dataUrl(Media image) {
        return "data:" + image.mediaType() + ";base64," + Base64.getEncoder().encodeToString(image.data());
    }

    /** Puts a tool's {@code name}, {@code description} (when it has one) and {@code parameters} into {@code node}. */
    ObjectNode function(ObjectNode node, ToolDefinition tool) {
        node.put("name", tool.name());
        if (!tool.description().isEmpty()) {
            node.put("description", tool.description());
        }
        node.set("parameters", mapper.valueToTree(tool.parametersSchema()));
        return node;
    }

    /** A tool call's arguments as the JSON text both protocols send them back as. */
    String arguments(ToolCall call) throws PluginException {
        try {
            return mapper.writeValueAsString(call.arguments());
        } catch (JsonProcessingException e) {
            throw new PluginException("cannot write the arguments of tool call '" + call.name() + "' (" + call.id()
                    + ") as JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * A tool call the model asked for.
     *
     * @param position the call's place among the answer's calls, from 0
     * @param id the call's id; some compatible servers leave it out, then {@code call_<position>} stands in
     * @param arguments JSON text, or (from some compatible servers) an object
     * @throws PluginException if there is no name or the arguments are not a JSON object
     */
    ToolCall toolCall(int position, String id, String name, JsonNode arguments, ApiRequest call)
            throws PluginException {
        if (name == null || name.isEmpty()) {
            throw new PluginException("expected a function name in tool call #" + (position + 1) + " of the answer of "
                    + call + ", found none");
        }
        // the tool result must still name the call it answers
        return new ToolCall(id == null || id.isEmpty() ? "call_" + position : id, name, argumentsMap(name, arguments));
    }

    private Map<String, Object> argumentsMap(String tool, JsonNode arguments) throws PluginException {
        if (arguments == null || arguments.isNull()) {
            return Map.of();
        }
        JsonNode parsed = arguments;
        if (arguments.isTextual()) {
            String text = arguments.asText();
            if (text.isBlank()) {
                return Map.of();
            }
            try {
                parsed = mapper.readTree(text);
            } catch (IOException e) {
                parsed = null;
            }
        }
        if (parsed == null || !parsed.isObject()) {
            String found = arguments.isTextual() ? arguments.asText() : arguments.toString();
            throw new PluginException("the model called tool '" + tool + "' with arguments that are not a JSON object: "
                    + excerpt(found));
        }
        return mapper.convertValue(parsed, MAP);
    }

    /**
     * The JSON object of one streamed event.
     *
     * @throws PluginException if the event's data is not a JSON object
     */
    JsonNode event(String data, ApiRequest call) throws PluginException {
        JsonNode node;
        try {
            node = mapper.readTree(data);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw new PluginException("expected a JSON object in every event of the stream of " + call + ", found: "
                    + Redactor.of(call.secrets()).redact(excerpt(data)));
        }
        return node;
    }

    /**
     * Fails if {@code root} carries an {@code error} that is not {@code null}: some servers answer an error with
     * status 200 or put one in a stream, and a failed Responses answer carries its reason there. It must not pass as
     * an answer.
     */
    static void failIfError(JsonNode root, ApiRequest call) throws HttpException {
        if (root.has("error") && !root.path("error").isNull()) {
            throw error(root, root.get("error"), call);
        }
    }

    /**
     * The failure a service reported: {@code container} holds its message in one of the usual shapes
     * ({@code {"error":{"message","code"}}}, {@code {"message","code"}}, ...), {@code described} is shown when it has none.
     */
    static HttpException error(JsonNode container, JsonNode described, ApiRequest call) {
        Redactor redactor = Redactor.of(call.secrets());
        ProviderError error = ProviderError.Parser.STANDARD.parse(container)
                .map(e -> new ProviderError(redactor.redact(e.message()), redactor.redact(e.code())))
                .orElse(new ProviderError(Json.describe(described, call), null));
        return new HttpException(call + " answered with an error: " + error.message(), 0, isTransient(error.code()),
                null, null, error);
    }

    private static boolean isTransient(String code) {
        return code != null && (code.contains("server_error") || code.contains("overloaded")
                || code.contains("rate_limit") || code.equals("timeout"));
    }

    static PluginException malformed(String expected, JsonNode found, ApiRequest call) {
        return new PluginException("expected " + expected + " in the answer of " + call + ", found "
                + Json.describe(found, call));
    }

    private static String excerpt(String text) {
        return text.length() > EXCERPT ? text.substring(0, EXCERPT) + "…" : text;
    }
}
