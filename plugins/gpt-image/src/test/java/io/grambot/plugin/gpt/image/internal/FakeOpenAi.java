package io.grambot.plugin.gpt.image.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for OpenAI's Images API: answers each request with the next scripted answer (OpenAI's documented
 * wire format is written out in the tests) and records the requests with their bodies as bytes, since an edit
 * uploads binary images.
 */
final class FakeOpenAi implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A request as the server received it. */
    record Received(String method, String path, Headers headers, byte[] body) {

        String header(String name) {
            return headers.getFirst(name);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @FunctionalInterface
    interface Answer {
        void answer(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    FakeOpenAi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders(), exchange.getRequestBody().readAllBytes()));
            Answer answer = answers.poll();
            (answer == null ? json(500, "{\"error\":{\"message\":\"the test scripted no answer\"}}") : answer)
                    .answer(exchange);
        });
        server.start();
    }

    /** The origin of the fake, for links in answers. */
    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The base URL of the fake, as a setting would name it. */
    String baseUrl() {
        return origin() + "/v1";
    }

    FakeOpenAi then(Answer answer) {
        answers.add(answer);
        return this;
    }

    List<Received> received() {
        return received;
    }

    Received last() {
        return received.get(received.size() - 1);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    static Answer json(int status, String body) {
        return answer(status, Map.of("Content-Type", "application/json"), body);
    }

    static Answer answer(int status, Map<String, String> headers, String body) {
        return bytes(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    static Answer bytes(int status, Map<String, String> headers, byte[] body) {
        return exchange -> {
            headers.forEach(exchange.getResponseHeaders()::add);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        };
    }

    /** Closes the connection without answering. */
    static Answer drop() {
        return exchange -> {
            throw new IOException("dropping the connection on purpose");
        };
    }
}
