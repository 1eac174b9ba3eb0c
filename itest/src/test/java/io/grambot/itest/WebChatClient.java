package io.grambot.itest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A web chat page as a program: posts messages as the page does and follows the conversation's event stream. */
final class WebChatClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    final URI base;
    private final HttpClient http;

    WebChatClient(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The page of a web chat at {@code path} on the framework's HTTP server. */
    static WebChatClient at(BundleContext context, String path) throws Exception {
        return new WebChatClient(endpoint(context).resolve(path.replaceFirst("^/", "") + "/"));
    }

    /** The root of the framework's HTTP server, ending in a slash. */
    static URI endpoint(BundleContext context) throws Exception {
        ServiceReference<?> runtime = Eventually.reference(context,
                "(objectClass=org.osgi.service.servlet.runtime.HttpServiceRuntime)");
        Object endpoint = runtime.getProperty("osgi.http.endpoint");
        String url = endpoint instanceof String[] all ? all[0] : String.valueOf(endpoint);
        return URI.create(url.replaceAll("/$", "") + "/");
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String contentType, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    String newConversation() throws Exception {
        HttpResponse<String> created = post("api/conversations", "application/json", "{}", Map.of());
        if (created.statusCode() != 201) {
            throw new AssertionError("creating a conversation answered " + created.statusCode() + " " + created.body());
        }
        return JSON.readTree(created.body()).path("conversationId").asText();
    }

    /** Posts a message as the page does; returns its transcript number. */
    long send(String conversation, String text) throws Exception {
        HttpResponse<String> accepted = post("api/conversations/" + conversation + "/messages", "application/json",
                JSON.writeValueAsString(Map.of("text", text)), Map.of());
        if (accepted.statusCode() != 202) {
            throw new AssertionError("posting a message answered " + accepted.statusCode() + " " + accepted.body());
        }
        return JSON.readTree(accepted.body()).path("seq").asLong();
    }

    /** What a conversation's event stream delivers, entry by entry, on the stream's own reader thread. */
    interface Listener {
        /** @param arrivedAt when it arrived, {@link System#nanoTime} */
        void entry(JsonNode entry, long arrivedAt);

        /** A {@code data:} line that is not JSON; by default the stream stops reading. */
        default void malformed(String line) {
            throw new IllegalStateException("an event is not JSON: " + line);
        }
    }

    /**
     * Follows a conversation's events from after entry {@code after}, handing each to {@code listener}; the future
     * completes once the stream is open. Close the response's body when done.
     */
    CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> listen(String conversation, long after,
            Listener listener) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("api/conversations/" + conversation
                + "/events")).GET();
        if (after > 0) {
            request.header("Last-Event-ID", Long.toString(after));
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines()).thenApply(response -> {
            Thread reader = new Thread(() -> read(response.body(), listener), "webchat-client-" + conversation);
            reader.setDaemon(true);
            reader.start();
            return response;
        });
    }

    private static void read(java.util.stream.Stream<String> lines, Listener listener) {
        try {
            lines.forEach(line -> {
                if (line.startsWith("data: ")) {
                    long now = System.nanoTime();
                    JsonNode entry;
                    try {
                        entry = JSON.readTree(line.substring(6));
                    } catch (IOException e) {
                        listener.malformed(line);
                        return;
                    }
                    listener.entry(entry, now);
                }
            });
        } catch (RuntimeException closed) {
            // the stream was closed by the test
        }
    }

    /** Follows a conversation's events from after entry {@code after}, keeping them; close it when done. */
    Stream follow(String conversation, long after) {
        Stream stream = new Stream();
        stream.response = listen(conversation, after, stream::add);
        return stream;
    }

    /** The entries a conversation's event stream delivered, as JSON, in order. */
    static final class Stream implements AutoCloseable {
        final List<JsonNode> entries = new CopyOnWriteArrayList<>();
        /** When each answer arrived (System.nanoTime), in the order of {@link #answers()}. */
        final List<Long> answeredAt = new CopyOnWriteArrayList<>();
        CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> response;

        private synchronized void add(JsonNode entry, long arrivedAt) {
            entries.add(entry);
            if (!entry.path("from").asText().equals("user")) {
                answeredAt.add(arrivedAt);
            }
            notifyAll();
        }

        /** The entries written by someone other than the person (the bot, the system). */
        List<JsonNode> answers() {
            return entries.stream().filter(e -> !e.path("from").asText().equals("user")).toList();
        }

        /** Waits (bounded) until {@code count} answers arrived; returns them. */
        synchronized List<JsonNode> awaitAnswers(int count) throws InterruptedException {
            long deadline = System.nanoTime() + Eventually.TIMEOUT.toNanos();
            while (answeredAt.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out waiting for " + count + " answers in the web chat; had "
                            + entries);
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return answers();
        }

        @Override
        public void close() {
            // not open yet: no longer wanted; open: its body is what keeps the connection
            if (!response.cancel(true) && !response.isCompletedExceptionally()) {
                response.join().body().close();
            }
        }
    }
}
