package io.grambot.itest;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A local stand-in for Anthropic's Messages API on the framework's HTTP server ({@code POST <path>/v1/messages},
 * {@code GET <path>/v1/models}), in Anthropic's documented shapes: a person's message is answered with a
 * {@code tool_use} of the first tool named in the constructor, each {@code tool_result} with a call of the next one,
 * the last with a final text quoting the results. A tool is named {@code name} (its input is {@code {"text": what
 * the person said}}) or {@code name:field} (the input field is {@code field}). A request without the expected
 * {@code x-api-key} gets Anthropic's 401 error body. Streams when asked to.
 */
final class FakeAnthropic extends HttpServlet implements AutoCloseable {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String apiKey;
    private final List<String> tools;
    private final transient ServiceRegistration<Servlet> registration;
    final transient List<JsonNode> requests = new CopyOnWriteArrayList<>();
    final transient List<String> versions = new CopyOnWriteArrayList<>();

    FakeAnthropic(BundleContext context, String path, String apiKey, String... tools) {
        this.apiKey = apiKey;
        this.tools = List.of(tools);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("osgi.http.whiteboard.servlet.pattern", path + "/*");
        this.registration = context.registerService(Servlet.class, this, properties);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!authorized(request, response)) {
            return;
        }
        if (!"/v1/models".equals(request.getPathInfo())) {
            error(response, 404, "not_found_error", "Not found");
            return;
        }
        answer(response, Map.of("data", List.of(Map.of("type", "model", "id", "claude-fake-1",
                "display_name", "Claude Fake", "created_at", "2025-01-01T00:00:00Z")), "has_more", false,
                "first_id", "claude-fake-1", "last_id", "claude-fake-1"));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonNode body = JSON.readTree(request.getInputStream());
        if (!authorized(request, response)) {
            return;
        }
        if (!"/v1/messages".equals(request.getPathInfo())) {
            error(response, 404, "not_found_error", "Not found");
            return;
        }
        requests.add(body);
        versions.add(String.valueOf(request.getHeader("anthropic-version")));
        JsonNode messages = body.path("messages");
        // what the person said last, and the tool results that came after it (in this turn)
        String said = "";
        List<String> results = new java.util.ArrayList<>();
        for (JsonNode message : messages) {
            JsonNode content = message.path("content");
            if (!message.path("role").asText().equals("user")) {
                continue;
            }
            if (content.isTextual()) {
                said = content.asText();
                results.clear();
                continue;
            }
            for (JsonNode block : content) {
                if (block.path("type").asText().equals("tool_result")) {
                    JsonNode result = block.path("content");
                    results.add(result.isTextual() ? result.asText() : result.path(0).path("text").asText());
                } else if (block.path("type").asText().equals("text")) {
                    said = block.path("text").asText();
                    results.clear();
                }
            }
        }
        Map<String, Object> content;
        String stopReason;
        if (results.size() >= tools.size()) {
            content = Map.of("type", "text", "text", "the tool said: " + String.join(" | ", results));
            stopReason = "end_turn";
        } else {
            String[] tool = tools.get(results.size()).split(":", 2);
            content = Map.of("type", "tool_use", "id", "toolu_0" + (results.size() + 1), "name", tool[0], "input",
                    Map.of(tool.length > 1 ? tool[1] : "text", said));
            stopReason = "tool_use";
        }
        if (body.path("stream").asBoolean()) {
            stream(response, body, content, stopReason);
            return;
        }
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", "msg_01");
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", body.path("model").asText());
        message.put("content", List.of(content));
        message.put("stop_reason", stopReason);
        message.put("stop_sequence", null);
        message.put("usage", Map.of("input_tokens", 12, "output_tokens", 6));
        answer(response, message);
    }

    private void stream(HttpServletResponse response, JsonNode body, Map<String, Object> content, String stopReason)
            throws IOException {
        response.setContentType("text/event-stream");
        PrintWriter out = response.getWriter();
        event(out, "message_start", Map.of("type", "message_start", "message", Map.of("id", "msg_01", "type",
                "message", "role", "assistant", "model", body.path("model").asText(), "content", List.of(),
                "usage", Map.of("input_tokens", 12, "output_tokens", 1))));
        boolean text = "text".equals(content.get("type"));
        event(out, "content_block_start", Map.of("type", "content_block_start", "index", 0, "content_block", text
                ? Map.of("type", "text", "text", "")
                : Map.of("type", "tool_use", "id", content.get("id"), "name", content.get("name"), "input", Map.of())));
        event(out, "content_block_delta", Map.of("type", "content_block_delta", "index", 0, "delta", text
                ? Map.of("type", "text_delta", "text", content.get("text"))
                : Map.of("type", "input_json_delta", "partial_json", JSON.writeValueAsString(content.get("input")))));
        event(out, "content_block_stop", Map.of("type", "content_block_stop", "index", 0));
        event(out, "message_delta", Map.of("type", "message_delta", "delta", Map.of("stop_reason", stopReason),
                "usage", Map.of("output_tokens", 6)));
        event(out, "message_stop", Map.of("type", "message_stop"));
        out.flush();
    }

    private static void event(PrintWriter out, String name, Object data) throws IOException {
        out.write("event: " + name + "\ndata: " + JSON.writeValueAsString(data) + "\n\n");
    }

    private boolean authorized(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (apiKey.equals(request.getHeader("x-api-key"))) {
            return true;
        }
        error(response, 401, "authentication_error", "invalid x-api-key");
        return false;
    }

    private static void error(HttpServletResponse response, int status, String type, String message)
            throws IOException {
        response.setStatus(status);
        answer(response, Map.of("type", "error", "error", Map.of("type", type, "message", message)));
    }

    private static void answer(HttpServletResponse response, Object body) throws IOException {
        response.setContentType("application/json");
        JSON.writeValue(response.getOutputStream(), body);
    }

    @Override
    public void close() {
        registration.unregister();
    }
}
