package io.grambot.plugin.webchat.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.http.RequestBodies;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The chat page and its API, below the instance's path:
 * <ul>
 * <li>{@code GET /} the page ({@code chat.js}, {@code chat.css} beside it);</li>
 * <li>{@code POST /api/conversations} → {@code {"conversationId"}}, a new random conversation;</li>
 * <li>{@code POST /api/conversations/{id}/messages} with {@code {"text"}} → 202 {@code {"seq"}};</li>
 * <li>{@code GET /api/conversations/{id}/events} server-sent events, one {@code message} event per transcript entry
 * ({@code {"seq","from":"user"|"bot"|"system","text","attachments":[{"mediaType","fileName","base64"}]}}), replaying
 * what came after {@code Last-Event-ID} (or {@code ?after=}).</li>
 * </ul>
 * Errors are JSON {@code {"error"}}. State-changing requests must be JSON and, when the browser says where it comes
 * from, come from this origin: another site's page cannot post into a conversation.
 */
final class WebChatServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Pattern CONVERSATION_PATH =
            Pattern.compile("/api/conversations/(" + WebChat.CONVERSATION_ID + ")/(messages|events)");
    private static final Map<String, String> STATIC_TYPES = Map.of("/chat.js", "text/javascript; charset=utf-8",
            "/chat.css", "text/css; charset=utf-8");

    private final transient WebChat chat;
    private final transient ObjectMapper json;
    private final transient Set<EventStream> streams = ConcurrentHashMap.newKeySet();
    private final byte[] page;
    private final Map<String, byte[]> statics = new java.util.HashMap<>();

    WebChatServlet(WebChat chat, ObjectMapper json, String title) throws IOException {
        this.chat = chat;
        this.json = json;
        this.page = resource("/index.html").replace("{{title}}", html(title)).getBytes(StandardCharsets.UTF_8);
        for (String path : STATIC_TYPES.keySet()) {
            statics.put(path, resource(path).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null) {
            response.sendRedirect(request.getRequestURI() + "/"); // so the page's relative links resolve below it
            return;
        }
        if (path.equals("/") || path.equals("/index.html")) {
            response.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                    + "object-src 'none'; frame-ancestors 'none'; base-uri 'none'");
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setContentType("text/html; charset=utf-8");
            response.getOutputStream().write(page);
            return;
        }
        byte[] file = statics.get(path);
        if (file != null) {
            response.setContentType(STATIC_TYPES.get(path));
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.getOutputStream().write(file);
            return;
        }
        Matcher m = CONVERSATION_PATH.matcher(path);
        if (m.matches() && m.group(2).equals("events")) {
            events(m.group(1), request, response);
            return;
        }
        error(response, HttpServletResponse.SC_NOT_FOUND, "no such page: " + path);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        // read the body first, whatever the answer: a connection with unread request content is closed by the
        // server, and a client that reuses it for its next request gets no answer at all
        byte[] content;
        try (InputStream in = request.getInputStream()) {
            RequestBodies.Body body = RequestBodies.read(in, chat.maxMessageChars() * 6 + 1024);
            if (body.tooLarge()) {
                if (body.closeAfterAnswer()) {
                    response.setHeader("Connection", "close");
                }
                error(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "a message can have at most "
                        + chat.maxMessageChars() + " characters");
                return;
            }
            content = body.bytes();
        }
        String refusal = refusal(request);
        if (refusal != null) {
            error(response, HttpServletResponse.SC_FORBIDDEN, refusal);
            return;
        }
        if (path.equals("/api/conversations")) {
            answer(response, HttpServletResponse.SC_CREATED, Map.of("conversationId", chat.newConversationId()));
            return;
        }
        Matcher m = CONVERSATION_PATH.matcher(path);
        if (!m.matches() || !m.group(2).equals("messages")) {
            error(response, HttpServletResponse.SC_NOT_FOUND, "nothing to post to at " + path);
            return;
        }
        JsonNode body;
        try {
            body = json.readTree(content);
        } catch (IOException notJson) {
            body = null;
        }
        if (body == null || !body.path("text").isTextual() || body.path("text").asText().isBlank()) {
            error(response, HttpServletResponse.SC_BAD_REQUEST,
                    "the body must be a JSON object with a non-empty text field \"text\"");
            return;
        }
        String text = body.path("text").asText();
        if (text.length() > chat.maxMessageChars()) {
            error(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "a message can have at most "
                    + chat.maxMessageChars() + " characters; this one has " + text.length());
            return;
        }
        WebChat.Accepted accepted = chat.receive(m.group(1), text);
        if (accepted.refusal() != null) {
            error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, accepted.refusal());
            return;
        }
        answer(response, HttpServletResponse.SC_ACCEPTED, Map.of("seq", accepted.seq()));
    }

    private void events(String conversationId, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        long after;
        try {
            String last = request.getHeader("Last-Event-ID");
            String param = request.getParameter("after");
            after = last != null ? Long.parseLong(last.strip()) : param != null ? Long.parseLong(param) : 0;
        } catch (NumberFormatException e) {
            error(response, HttpServletResponse.SC_BAD_REQUEST, "Last-Event-ID and 'after' must be entry numbers");
            return;
        }
        response.setContentType("text/event-stream; charset=utf-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = request.startAsync();
        async.setTimeout(0); // open until the page goes; pings find dead connections
        EventStream stream = new EventStream(async);
        streams.add(stream);
        stream.write("retry: 2000\n\n".getBytes(StandardCharsets.US_ASCII));
        AutoCloseable listening = chat.conversations().listen(conversationId, after, stream);
        async.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                gone();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                gone();
            }

            @Override
            public void onError(AsyncEvent event) {
                gone();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {}

            private void gone() {
                streams.remove(stream);
                stream.close();
                try {
                    listening.close();
                } catch (Exception e) {
                    // removing a listener does not fail
                }
            }
        });
    }

    /** Closes every open event stream: the instance is going away. */
    void closeStreams() {
        streams.forEach(EventStream::close);
        streams.clear();
    }

    /** Why a state-changing request is refused, or null: it must be JSON from this page's own origin. */
    private static String refusal(HttpServletRequest request) {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            return "requests must be sent as application/json";
        }
        String origin = request.getHeader("Origin");
        if (origin != null) {
            String host = request.getHeader("Host");
            try {
                URI uri = URI.create(origin);
                String originHost = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
                if (host == null || !host.equalsIgnoreCase(originHost)) {
                    return "requests from another site's page are refused (Origin " + origin + ")";
                }
            } catch (IllegalArgumentException e) {
                return "the Origin header is not a URL";
            }
        }
        return null;
    }

    private void answer(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        json.writeValue(response.getOutputStream(), body);
    }

    private void error(HttpServletResponse response, int status, String message) throws IOException {
        answer(response, status, Map.of("error", message));
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = WebChatServlet.class.getResourceAsStream("/webchat" + path)) {
            if (in == null) {
                throw new IOException("the web chat bundle lacks its resource webchat" + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
