package io.grambot.plugin.telegram.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for the Telegram Bot API, in its documented shapes: {@code <base>/bot<token>/<method>} and
 * {@code <base>/file/bot<token>/<path>}. {@code getUpdates} behaves as Telegram's does: an update is confirmed (and
 * gone) once getUpdates is called with a higher offset; without an offset the oldest unconfirmed ones come; the call
 * waits up to its {@code timeout} for one. A wrong token gets Telegram's 401. Answers for a method can be scripted;
 * every request is recorded.
 */
final class FakeTelegram implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final long BOT_ID = 4242;
    static final String BOT_USERNAME = "grambot_test_bot";

    /** A request as the fake received it. */
    record Received(String method, String path, Headers headers, byte[] body) {

        String header(String name) {
            return headers.getFirst(name);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The text fields and files of a multipart body, by name (files as "filename|type|content"). */
        Map<String, String> form() {
            String type = header("Content-Type");
            String boundary = type.substring(type.indexOf("boundary=") + "boundary=".length());
            String body = new String(this.body, StandardCharsets.ISO_8859_1);
            Map<String, String> fields = new LinkedHashMap<>();
            for (String part : body.split("--" + java.util.regex.Pattern.quote(boundary))) {
                if (part.isEmpty() || part.startsWith("--")) {
                    continue;
                }
                int split = part.indexOf("\r\n\r\n");
                String head = part.substring(2, split);
                String content = part.substring(split + 4, part.length() - 2);
                java.util.regex.Matcher name = java.util.regex.Pattern.compile("name=\"([^\"]*)\"").matcher(head);
                name.find();
                java.util.regex.Matcher file = java.util.regex.Pattern.compile("filename=\"([^\"]*)\"").matcher(head);
                if (file.find()) {
                    String mediaType = head.substring(head.indexOf("Content-Type: ") + 14);
                    fields.put(name.group(1), file.group(1) + "|" + mediaType + "|" + content);
                } else {
                    fields.put(name.group(1), new String(content.getBytes(StandardCharsets.ISO_8859_1),
                            StandardCharsets.UTF_8));
                }
            }
            return fields;
        }
    }

    @FunctionalInterface
    interface Answer {
        void answer(HttpExchange exchange, Received request) throws IOException;
    }

    /** A scripted answer that lets the usual one through (to script a later call of the same method). */
    static final Answer PASS = (exchange, request) -> {};

    private final String token;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Queue<Answer>> scripted = new ConcurrentHashMap<>();
    private final List<ObjectNode> updates = new ArrayList<>(); // guarded by this; unconfirmed updates
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private int nextUpdateId = 1000; // guarded by this
    private int nextMessageId = 9000; // guarded by this
    private volatile String webhookUrl = "";
    private volatile boolean closed;

    FakeTelegram(String token) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::exchange);
        server.start();
    }

    /** The base URL, as the setting names it. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/tg";
    }

    /** The next call of {@code method} gets this answer instead of the usual one. */
    FakeTelegram then(String method, Answer answer) {
        scripted.computeIfAbsent(method, m -> new ConcurrentLinkedQueue<>()).add(answer);
        return this;
    }

    /** A file getFile names and the file URL serves. */
    void file(String fileId, String path, byte[] data) {
        files.put(fileId, data);
        files.put("path:" + path, data);
        files.put("name:" + fileId, path.getBytes(StandardCharsets.UTF_8));
    }

    /** Queues an update with a fresh id around {@code message}; returns the id. */
    synchronized long update(String kind, ObjectNode message) {
        long id = nextUpdateId++;
        ObjectNode update = JSON.createObjectNode().put("update_id", id);
        update.set(kind, message);
        updates.add(update);
        notifyAll();
        return id;
    }

    /** Puts updates back as if their confirmation never reached Telegram (the connector stopped before). */
    synchronized void unconfirm(List<ObjectNode> again) {
        updates.addAll(0, again);
        notifyAll();
    }

    synchronized List<ObjectNode> pending() {
        return List.copyOf(updates);
    }

    /** A text message in a private chat. */
    static ObjectNode privateText(long chatId, int messageId, String text) {
        ObjectNode message = JSON.createObjectNode().put("message_id", messageId).put("date", 1_700_000_000)
                .put("text", text);
        message.putObject("from").put("id", chatId).put("is_bot", false).put("first_name", "Ada")
                .put("last_name", "Lovelace").put("username", "ada");
        message.putObject("chat").put("id", chatId).put("type", "private").put("first_name", "Ada");
        return message;
    }

    /** A text message in a supergroup. */
    static ObjectNode groupText(long chatId, long fromId, int messageId, String text) {
        ObjectNode message = JSON.createObjectNode().put("message_id", messageId).put("date", 1_700_000_000)
                .put("text", text);
        message.putObject("from").put("id", fromId).put("is_bot", false).put("first_name", "Grace");
        message.putObject("chat").put("id", chatId).put("type", "supergroup").put("title", "Engine room");
        return message;
    }

    List<Received> received() {
        return received;
    }

    List<Received> calls(String method) {
        return received.stream().filter(r -> r.method().equals(method)).toList();
    }

    List<String> methods() {
        return received.stream().map(Received::method).toList();
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getRawPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            String prefix = "/tg/file/bot" + token + "/";
            if (path.startsWith("/tg/file/bot")) {
                Received request = new Received("file", path, exchange.getRequestHeaders(), body);
                received.add(request);
                Answer scriptedAnswer = next("file");
                if (scriptedAnswer != null) {
                    scriptedAnswer.answer(exchange, request);
                    return;
                }
                byte[] data = path.startsWith(prefix) ? files.get("path:" + path.substring(prefix.length())) : null;
                if (data == null) {
                    send(exchange, 404, error(404, "Not Found"));
                } else {
                    exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
                    exchange.sendResponseHeaders(200, data.length);
                    exchange.getResponseBody().write(data);
                }
                return;
            }
            int slash = path.indexOf('/', "/tg/".length());
            String method = slash < 0 ? "" : path.substring(slash + 1);
            Received request = new Received(method, path, exchange.getRequestHeaders(), body);
            received.add(request);
            if (!path.startsWith("/tg/bot") || slash < 0 || !path.substring("/tg/bot".length(), slash).equals(token)) {
                send(exchange, 401, error(401, "Unauthorized"));
                return;
            }
            Answer scriptedAnswer = next(method);
            if (scriptedAnswer != null && scriptedAnswer != PASS) {
                scriptedAnswer.answer(exchange, request);
                return;
            }
            JsonNode parameters = request.header("Content-Type") != null
                    && request.header("Content-Type").startsWith("application/json") ? request.json()
                            : JSON.createObjectNode();
            switch (method) {
                case "getMe" -> send(exchange, 200, ok(JSON.createObjectNode().put("id", BOT_ID).put("is_bot", true)
                        .put("first_name", "Grambot Test").put("username", BOT_USERNAME)));
                case "deleteWebhook" -> {
                    webhookUrl = "";
                    send(exchange, 200, ok(JSON.getNodeFactory().booleanNode(true)));
                }
                case "setWebhook" -> {
                    webhookUrl = parameters.path("url").asText();
                    send(exchange, 200, ok(JSON.getNodeFactory().booleanNode(true)));
                }
                case "getWebhookInfo" -> send(exchange, 200, ok(JSON.createObjectNode().put("url", webhookUrl)
                        .put("has_custom_certificate", false).put("pending_update_count", 0)));
                case "sendChatAction", "setMessageReaction" -> send(exchange, 200,
                        ok(JSON.getNodeFactory().booleanNode(true)));
                case "getUpdates" -> send(exchange, 200, ok(updates(parameters)));
                case "sendMessage", "sendPhoto", "sendDocument" -> send(exchange, 200, ok(sentMessage()));
                case "getFile" -> {
                    String id = parameters.path("file_id").asText();
                    byte[] data = files.get(id);
                    if (data == null) {
                        send(exchange, 400, error(400, "Bad Request: invalid file_id"));
                    } else {
                        send(exchange, 200, ok(JSON.createObjectNode().put("file_id", id)
                                .put("file_unique_id", "u" + id).put("file_size", data.length)
                                .put("file_path", new String(files.get("name:" + id), StandardCharsets.UTF_8))));
                    }
                }
                default -> send(exchange, 404, error(404, "Not Found: method not found"));
            }
        } finally {
            exchange.close();
        }
    }

    private Answer next(String method) {
        Queue<Answer> queue = scripted.get(method);
        return queue == null ? null : queue.poll();
    }

    private synchronized ObjectNode sentMessage() {
        return JSON.createObjectNode().put("message_id", nextMessageId++).put("date", 1_700_000_000);
    }

    private ArrayNode updates(JsonNode parameters) {
        boolean hasOffset = parameters.has("offset");
        long offset = parameters.path("offset").asLong(0);
        int limit = parameters.path("limit").asInt(100);
        long deadline = System.nanoTime() + parameters.path("timeout").asLong(0) * 1_000_000_000L;
        synchronized (this) {
            if (hasOffset) {
                updates.removeIf(u -> u.path("update_id").asLong() < offset); // confirmed
            }
            while (true) {
                ArrayNode result = JSON.createArrayNode();
                updates.stream().limit(limit).forEach(result::add);
                long left = deadline - System.nanoTime();
                if (!result.isEmpty() || left <= 0 || closed) {
                    return result;
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return result;
                }
            }
        }
    }

    static ObjectNode ok(JsonNode result) {
        ObjectNode answer = JSON.createObjectNode().put("ok", true);
        answer.set("result", result);
        return answer;
    }

    static ObjectNode error(int code, String description) {
        return JSON.createObjectNode().put("ok", false).put("error_code", code).put("description", description);
    }

    static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** An answer with this status and body. */
    static Answer answer(int status, String body) {
        return (exchange, request) -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        };
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            notifyAll();
        }
        server.stop(0);
        executor.shutdownNow();
    }
}
