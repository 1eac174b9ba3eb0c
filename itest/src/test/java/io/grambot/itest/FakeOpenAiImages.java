package io.grambot.itest;

import java.io.IOException;
import java.util.Base64;
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
 * A local stand-in for OpenAI's Images API on the framework's HTTP server ({@code POST <path>/v1/images/generations},
 * {@code GET <path>/v1/models/<model>}), in OpenAI's documented shape: every prompt gets {@link #PNG} as
 * {@code b64_json}. A request without the expected Bearer key gets OpenAI's 401 error body.
 */
final class FakeOpenAiImages extends HttpServlet implements AutoCloseable {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A 1×1 PNG. */
    static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    private final String apiKey;
    private final transient ServiceRegistration<Servlet> registration;
    /** The body of every generation request, in order. */
    final transient List<JsonNode> requests = new CopyOnWriteArrayList<>();

    FakeOpenAiImages(BundleContext context, String path, String apiKey) {
        this.apiKey = apiKey;
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("osgi.http.whiteboard.servlet.pattern", path + "/*");
        this.registration = context.registerService(Servlet.class, this, properties);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (authorized(request, response)) {
            String model = request.getPathInfo().substring(request.getPathInfo().lastIndexOf('/') + 1);
            answer(response, 200, Map.of("id", model, "object", "model", "created", 1_700_000_000, "owned_by",
                    "system"));
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!authorized(request, response)) {
            return;
        }
        if (!"/v1/images/generations".equals(request.getPathInfo())) {
            answer(response, 404, Map.of("error", Map.of("message", "Invalid URL", "type", "invalid_request_error")));
            return;
        }
        requests.add(JSON.readTree(request.getInputStream()));
        answer(response, 200, Map.of("created", 1_700_000_000, "data", List.of(Map.of("b64_json",
                Base64.getEncoder().encodeToString(PNG))), "output_format", "png", "usage", Map.of("total_tokens", 100,
                "input_tokens", 50, "output_tokens", 50)));
    }

    private boolean authorized(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (("Bearer " + apiKey).equals(request.getHeader("Authorization"))) {
            return true;
        }
        answer(response, 401, Map.of("error", Map.of("message", "Incorrect API key provided.", "type",
                "invalid_request_error", "code", "invalid_api_key")));
        return false;
    }

    private static void answer(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        JSON.writeValue(response.getOutputStream(), body);
    }

    @Override
    public void close() {
        registration.unregister();
    }
}
