package io.grambot.plugin.brave.search.internal;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * The JDK client that reads Brave's rate limits off every answer, for the shared {@code JsonHttpClient}, which sees
 * only the standard headers: it keeps the last {@link RateLimit} reported, and gives a 429 answer the
 * {@code Retry-After} its {@code X-RateLimit-*} headers imply (Brave sends none). So the client waits for a
 * per-second window to reset and retries, but gives up at once on a used-up monthly quota, whose reset is days away:
 * far longer than the longest wait it honours.
 */
final class RateLimitClient extends HttpClient {

    private final HttpClient delegate;
    private final Clock clock;
    private final AtomicReference<RateLimit> latest = new AtomicReference<>();

    RateLimitClient(HttpClient delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    /** The rate limits of the last answer that reported them, of any call of this instance. */
    Optional<RateLimit> latest() {
        return Optional.ofNullable(latest.get());
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        return observe(delegate.send(request, handler));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
            HttpResponse.BodyHandler<T> handler) {
        return delegate.sendAsync(request, handler).thenApply(this::observe);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return delegate.sendAsync(request, handler, pushPromiseHandler).thenApply(this::observe);
    }

    private <T> HttpResponse<T> observe(HttpResponse<T> response) {
        Optional<RateLimit> limit = RateLimit.from(response.headers(), clock.instant());
        limit.ifPresent(latest::set);
        if (response.statusCode() != 429 || limit.isEmpty()
                || response.headers().firstValue("retry-after").isPresent()) {
            return response;
        }
        return new WithRetryAfter<>(response, limit.get().retryAfter());
    }

    /** An answer with a {@code Retry-After} header added. */
    private record WithRetryAfter<T>(HttpResponse<T> response, HttpHeaders headers) implements HttpResponse<T> {

        WithRetryAfter(HttpResponse<T> response, Duration wait) {
            this(response, plus(response.headers(), "Retry-After", Long.toString(wait.toSeconds())));
        }

        private static HttpHeaders plus(HttpHeaders headers, String name, String value) {
            Map<String, List<String>> map = new LinkedHashMap<>(headers.map());
            map.put(name, List.of(value));
            return HttpHeaders.of(map, (n, v) -> true);
        }

        @Override
        public int statusCode() {
            return response.statusCode();
        }

        @Override
        public HttpRequest request() {
            return response.request();
        }

        @Override
        public Optional<HttpResponse<T>> previousResponse() {
            return response.previousResponse();
        }

        @Override
        public T body() {
            return response.body();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return response.sslSession();
        }

        @Override
        public URI uri() {
            return response.uri();
        }

        @Override
        public HttpClient.Version version() {
            return response.version();
        }
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public HttpClient.Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }
}
