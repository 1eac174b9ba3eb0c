package io.grambot.itest;

import java.io.IOException;
import java.util.Hashtable;
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
 * A local stand-in for an OpenAI-compatible server, served on the framework's own HTTP server: Chat Completions
 * ({@code POST <path>/v1/chat/completions}) answering a person's message with a call of the tool named in the
 * constructor, and a tool result with a final answer quoting it, in OpenAI's documented JSON shapes.
 */
final class FakeOpenAi extends HttpServlet implements AutoCloseable {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    final transient List<JsonNode> requests = new CopyOnWriteArrayList<>();
    final transient List<String> authorizations = new CopyOnWriteArrayList<>();
    private final String tool;
    private final boolean recording;
    private final transient ServiceRegistration<Servlet> registration;

    FakeOpenAi(BundleContext context, String path, String tool) {
        this(context, path, tool, true);
    }

    /** @param recording whether to keep every request in {@link #requests} (a load test must not) */
    FakeOpenAi(BundleContext context, String path, String tool, boolean recording) {
        this.tool = tool;
        this.recording = recording;
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("osgi.http.whiteboard.servlet.pattern", path + "/*");
        this.registration = context.registerService(Servlet.class, this, properties);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonNode body = JSON.readTree(request.getInputStream());
        if (!"/v1/chat/completions".equals(request.getPathInfo())) {
            response.setStatus(404);
            response.setContentType("application/json");
            JSON.writeValue(response.getOutputStream(), Map.of("error", Map.of("message",
                    "Unknown request URL: POST " + request.getPathInfo(), "type", "invalid_request_error")));
            return;
        }
        if (recording) {
            requests.add(body);
            authorizations.add(String.valueOf(request.getHeader("Authorization")));
        }
        JsonNode messages = body.path("messages");
        JsonNode last = messages.get(messages.size() - 1);
        Map<String, Object> message;
        String finish;
        if (last.path("role").asText().equals("tool")) {
            message = Map.of("role", "assistant", "content", "the tool said: " + last.path("content").asText());
            finish = "stop";
        } else {
            String arguments = JSON.writeValueAsString(Map.of("text", last.path("content").asText()));
            message = Map.of("role", "assistant", "content", "", "tool_calls", List.of(Map.of("id", "call_1",
                    "type", "function", "function", Map.of("name", tool, "arguments", arguments))));
            finish = "tool_calls";
        }
        response.setContentType("application/json");
        JSON.writeValue(response.getOutputStream(), Map.of("id", "chatcmpl-1", "object", "chat.completion",
                "created", 1_700_000_000, "model", body.path("model").asText(), "choices",
                List.of(Map.of("index", 0, "message", message, "finish_reason", finish)), "usage",
                Map.of("prompt_tokens", 10, "completion_tokens", 5, "total_tokens", 15)));
    }

    @Override
    public void close() {
        registration.unregister();
    }
}
