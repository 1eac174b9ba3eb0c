package io.grambot.itest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A local stand-in for the Telegram Bot API on the framework's HTTP server ({@code <path>/bot<token>/<method>}), in
 * Telegram's documented shapes: {@code getUpdates} long-polls the updates the test queued (from {@code offset} on,
 * for up to the {@code timeout} asked for), {@code sendMessage} and {@code sendChatAction} are recorded, a wrong
 * token gets Telegram's 401 answer.
 */
final class FakeTelegram extends HttpServlet implements AutoCloseable {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String token;
    private final transient ServiceRegistration<Servlet> registration;
    private final transient List<ObjectNode> updates = new ArrayList<>(); // guarded by this
    /** The {@code offset} of every getUpdates call, in order. */
    final transient List<Long> offsets = new CopyOnWriteArrayList<>();
    /** Every sendMessage call's parameters. */
    final transient List<JsonNode> sent = new CopyOnWriteArrayList<>();
    /** Every sendPhoto and sendDocument upload. */
    final transient List<Upload> uploads = new CopyOnWriteArrayList<>();
    final transient List<String> methods = new CopyOnWriteArrayList<>();
    private int nextUpdateId = 500;

    FakeTelegram(BundleContext context, String path, String token) {
        this.token = token;
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("osgi.http.whiteboard.servlet.pattern", path + "/*");
        properties.put("osgi.http.whiteboard.servlet.multipart.enabled", true); // sendPhoto and sendDocument uploads
        this.registration = context.registerService(Servlet.class, this, properties);
    }

    /**
     * A file sent with sendPhoto or sendDocument.
     *
     * @param field the form field that carried the file: {@code photo} or {@code document}
     */
    record Upload(String method, String chatId, String field, String fileName, String mediaType, byte[] data,
            String caption) {}

    /** A person writes {@code text} in the private chat {@code chatId}; returns the update id. */
    synchronized long receive(long chatId, String text) {
        long updateId = nextUpdateId++;
        ObjectNode update = JSON.createObjectNode().put("update_id", updateId);
        ObjectNode message = update.putObject("message").put("message_id", updateId * 10).put("date", 1_700_000_000)
                .put("text", text);
        message.putObject("from").put("id", chatId).put("is_bot", false).put("first_name", "Ada");
        message.putObject("chat").put("id", chatId).put("type", "private").put("first_name", "Ada");
        updates.add(update);
        notifyAll();
        return updateId;
    }

    /** The texts sent to a chat, in order. */
    List<String> textsTo(long chatId) {
        return sent.stream().filter(m -> m.path("chat_id").asText().equals(Long.toString(chatId)))
                .map(m -> m.path("text").asText()).toList();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        doPost(request, response);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        int slash = path.indexOf('/', 1);
        if (!path.startsWith("/bot") || slash < 0) {
            answer(response, 404, error(404, "Not Found"));
            return;
        }
        if (!path.substring(4, slash).equals(token)) {
            answer(response, 401, error(401, "Unauthorized"));
            return;
        }
        String method = path.substring(slash + 1);
        methods.add(method);
        JsonNode parameters = parameters(request);
        switch (method) {
            case "getMe" -> answer(response, 200, ok(Map.of("id", 42, "is_bot", true, "first_name", "Fake",
                    "username", "fake_bot")));
            case "deleteWebhook", "setWebhook", "sendChatAction", "setMessageReaction" -> answer(response, 200, ok(true));
            case "getWebhookInfo" -> answer(response, 200, ok(Map.of("url", "", "pending_update_count", 0)));
            case "getUpdates" -> answer(response, 200, ok(updates(parameters)));
            case "sendPhoto", "sendDocument" -> {
                String field = method.equals("sendPhoto") ? "photo" : "document";
                jakarta.servlet.http.Part file;
                try {
                    file = request.getPart(field);
                } catch (jakarta.servlet.ServletException e) {
                    file = null;
                }
                if (file == null) {
                    answer(response, 400, error(400, "Bad Request: there is no " + field + " in the request"));
                    return;
                }
                uploads.add(new Upload(method, request.getParameter("chat_id"), field, file.getSubmittedFileName(),
                        file.getContentType(), file.getInputStream().readAllBytes(), request.getParameter("caption")));
                Map<String, Object> message = new LinkedHashMap<>();
                message.put("message_id", 9500 + uploads.size());
                message.put("date", 1_700_000_000);
                message.put("chat", Map.of("id", Long.parseLong(request.getParameter("chat_id")), "type", "private"));
                answer(response, 200, ok(message));
            }
            case "sendMessage" -> {
                sent.add(parameters);
                Map<String, Object> message = new LinkedHashMap<>();
                message.put("message_id", 9000 + sent.size());
                message.put("date", 1_700_000_000);
                message.put("chat", Map.of("id", parameters.path("chat_id").asLong(), "type", "private"));
                message.put("text", parameters.path("text").asText());
                answer(response, 200, ok(message));
            }
            default -> answer(response, 404, error(404, "Not Found: method not found"));
        }
    }

    private List<ObjectNode> updates(JsonNode parameters) {
        long offset = parameters.path("offset").asLong(0);
        offsets.add(offset);
        long timeoutMillis = Math.min(parameters.path("timeout").asLong(0), 5) * 1000;
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (this) {
            while (true) {
                List<ObjectNode> pending = updates.stream()
                        .filter(u -> u.path("update_id").asLong() >= offset).toList();
                long left = deadline - System.currentTimeMillis();
                if (!pending.isEmpty() || left <= 0) {
                    return pending;
                }
                try {
                    wait(left); // the long poll: Telegram holds the request until an update comes or time is up
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return List.of();
                }
            }
        }
    }

    /** Parameters as Telegram takes them: a JSON body, or query / form parameters. */
    private static JsonNode parameters(HttpServletRequest request) throws IOException {
        String type = request.getContentType() == null ? "" : request.getContentType();
        if (type.startsWith("application/json")) {
            return JSON.readTree(request.getInputStream());
        }
        ObjectNode parameters = JSON.createObjectNode();
        request.getParameterMap().forEach((name, values) -> parameters.put(name, values[0]));
        return parameters;
    }

    private static Map<String, Object> ok(Object result) {
        return Map.of("ok", true, "result", result);
    }

    private static Map<String, Object> error(int code, String description) {
        return Map.of("ok", false, "error_code", code, "description", description);
    }

    private static void answer(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        JSON.writeValue(response.getOutputStream(), body);
    }

    @Override
    public void close() {
        synchronized (this) {
            notifyAll();
        }
        registration.unregister();
    }
}
