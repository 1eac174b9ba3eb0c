package io.grambot.plugin.brave.search.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for the Brave Search API: answers each request with the next scripted answer (Brave's documented
 * responses are written out in the tests) and records the requests.
 */
final class FakeBrave implements AutoCloseable {

    /** A request as the server received it. */
    record Received(String method, String path, String rawQuery, Headers headers) {

        String header(String name) {
            return headers.getFirst(name);
        }

        /** The query parameters, decoded, in the order they were sent. */
        Map<String, String> parameters() {
            Map<String, String> parameters = new LinkedHashMap<>();
            if (rawQuery != null) {
                for (String pair : rawQuery.split("&")) {
                    int equals = pair.indexOf('=');
                    parameters.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
            return parameters;
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

    FakeBrave() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders()));
            Answer answer = answers.poll();
            (answer == null ? json(500, "{\"type\":\"ErrorResponse\",\"error\":{\"status\":500,\"code\":\"TEST\","
                    + "\"detail\":\"the test scripted no answer\"}}") : answer).answer(exchange);
        });
        server.start();
    }

    /** The base URL of the fake, as the setting names it. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    FakeBrave then(Answer answer) {
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
        return answer(status, Map.of(), body);
    }

    /** A JSON answer with these headers besides {@code Content-Type}. */
    static Answer answer(int status, Map<String, String> headers, String body) {
        return exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            headers.forEach(exchange.getResponseHeaders()::add);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        };
    }

    /** Closes the connection without answering. */
    static Answer drop() {
        return exchange -> {
            throw new IOException("dropping the connection on purpose");
        };
    }

    /** Sends the status line, the headers and part of the body, then closes the connection. */
    static Answer cutOff(String body) {
        return exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            OutputStream out = exchange.getResponseBody();
            out.write(bytes, 0, bytes.length / 2);
            out.flush();
            throw new IOException("dropping the connection on purpose");
        };
    }
}
