package io.grambot.itest;

import java.io.IOException;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A local stand-in for Brave's Web Search API on the framework's HTTP server ({@code GET <path>/res/v1/web/search}),
 * in Brave's documented shape: two results for any query, descriptions with {@code <strong>} marks; a request without
 * the expected {@code X-Subscription-Token} gets Brave's 422 error body.
 */
final class FakeBrave extends HttpServlet implements AutoCloseable {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String token;
    private final transient ServiceRegistration<Servlet> registration;
    /** The query string of every search, in order. */
    final transient List<String> queries = new CopyOnWriteArrayList<>();

    FakeBrave(BundleContext context, String path, String token) {
        this.token = token;
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("osgi.http.whiteboard.servlet.pattern", path + "/*");
        this.registration = context.registerService(Servlet.class, this, properties);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        if (!token.equals(request.getHeader("X-Subscription-Token"))) {
            response.setStatus(422);
            JSON.writeValue(response.getOutputStream(), Map.of("type", "ErrorResponse", "error", Map.of("id",
                    "e1", "status", 422, "code", "SUBSCRIPTION_TOKEN_INVALID", "detail",
                    "The provided subscription token is invalid.", "meta", Map.of()), "time", 1_700_000_000));
            return;
        }
        if (!"/res/v1/web/search".equals(request.getPathInfo())) {
            response.setStatus(404);
            return;
        }
        queries.add(request.getQueryString());
        String q = String.valueOf(request.getParameter("q"));
        JSON.writeValue(response.getOutputStream(), Map.of("type", "search", "query", Map.of("original", q),
                "web", Map.of("type", "search", "results", List.of(
                        result("Lighthouses of Brittany", "https://example.org/lighthouses",
                                "The <strong>lighthouses</strong> of Brittany guard a rocky coast.", "2 days ago"),
                        result("Phare d'Eckmühl", "https://example.org/eckmuhl",
                                "One of the tallest <strong>lighthouses</strong> in France.", "1 week ago")))));
    }

    private static Map<String, Object> result(String title, String url, String description, String age) {
        return Map.of("type", "search_result", "title", title, "url", url, "description", description, "age", age,
                "meta_url", Map.of("hostname", "example.org"));
    }

    @Override
    public void close() {
        registration.unregister();
    }
}
