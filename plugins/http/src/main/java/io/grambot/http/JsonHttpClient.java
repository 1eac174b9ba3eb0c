package io.grambot.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.IntPredicate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import io.grambot.api.PluginException;

/**
 * Calls a remote JSON API: one {@code java.net.http.HttpClient}, Jackson for bodies, a timeout per request, retries
 * with exponential backoff and full jitter for 408/429/5xx answers, refused or dropped connections (honouring
 * {@code Retry-After}), server-sent event streams, and failures as {@link HttpException}s that name the request, carry
 * the HTTP status and the service's own error message, and never contain a secret the request carries. Thread-safe;
 * one per plugin instance.
 */
public final class JsonHttpClient {

    /** How much of an error answer is read to find the service's message. */
    private static final int ERROR_BODY_LIMIT = 64 * 1024;
    private static final int EXCERPT_LENGTH = 200;

    private static final Map<Integer, String> REASONS = Map.ofEntries(Map.entry(400, "Bad Request"),
            Map.entry(401, "Unauthorized"), Map.entry(402, "Payment Required"), Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"), Map.entry(408, "Request Timeout"),
            Map.entry(409, "Conflict"), Map.entry(413, "Content Too Large"), Map.entry(415, "Unsupported Media Type"),
            Map.entry(422, "Unprocessable Content"), Map.entry(429, "Too Many Requests"),
            Map.entry(500, "Internal Server Error"), Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"), Map.entry(529, "Overloaded"));

    private final HttpClient http;
    private final ObjectMapper mapper;
    private final RetryPolicy retry;
    private final Duration timeout;
    private final HttpLog log;
    private final Sleeper sleeper;
    private final Clock clock;
    private final DoubleSupplier random;
    private final ProviderError.Parser errorParser;
    private final RetryAfter.Hook retryAfterHook;
    private final IntPredicate retryableStatus;
    private final long maxBodyBytes;
    private final String userAgent;

    private JsonHttpClient(Builder b) {
        this.http = b.http != null ? b.http
                : HttpClient.newBuilder().connectTimeout(b.connectTimeout)
                        // never follow: a redirect would carry the credentials to wherever it points
                        .followRedirects(HttpClient.Redirect.NEVER).build();
        this.mapper = b.mapper != null ? b.mapper : defaultMapper(b.maxBodyBytes);
        this.retry = b.retry;
        this.timeout = b.timeout;
        this.log = b.log;
        this.sleeper = b.sleeper;
        this.clock = b.clock;
        this.random = b.random;
        this.errorParser = b.errorParser;
        this.retryAfterHook = b.retryAfterHook;
        this.retryableStatus = b.retryableStatus;
        this.maxBodyBytes = b.maxBodyBytes;
        this.userAgent = b.userAgent;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The mapper that writes request bodies and reads answers. */
    public ObjectMapper mapper() {
        return mapper;
    }

    public RetryPolicy retryPolicy() {
        return retry;
    }

    /** Makes the call (retrying as the policy allows) and returns its successful answer, read whole. */
    public ApiResponse send(ApiRequest request) throws PluginException {
        return call(request, "application/json", (what, response, body, deadline, redactor) -> new ApiResponse(
                response.statusCode(), response.headers(), body.readAll(maxBodyBytes, deadline)));
    }

    /**
     * Makes the call and returns its answer as JSON.
     *
     * @throws HttpException also when the answer is not JSON, saying what was found instead
     */
    public JsonNode json(ApiRequest request) throws PluginException {
        Redactor redactor = Redactor.of(request.secrets());
        ApiResponse response = send(request);
        byte[] body = response.body();
        try {
            JsonNode json = body.length == 0 ? null : mapper.readTree(body);
            if (json != null && !json.isMissingNode()) {
                return json;
            }
        } catch (IOException notJson) {
            // Jackson's reason matters when the text looks like JSON (cut off, or a string over a read limit)
            throw new HttpException("expected a JSON answer from " + redactor.redact(request.method() + " "
                    + request.uri()) + ", found " + found(response.contentType(), body, redactor) + " ("
                    + redactor.redact(firstLine(notJson instanceof JsonProcessingException j
                            ? j.getOriginalMessage() : notJson.getMessage())) + ")", response.status(), false,
                    null, null, null);
        }
        throw new HttpException("expected a JSON answer from " + redactor.redact(request.method() + " "
                + request.uri()) + ", found " + found(response.contentType(), body, redactor), response.status(),
                false, null, null, null);
    }

    /**
     * The mapper used unless the builder names one: Jackson's defaults, except that one string may be as long as an
     * answer may be (an image arrives as a single base64 string, which can exceed Jackson's 20 million characters).
     */
    static ObjectMapper defaultMapper(long maxBodyBytes) {
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxStringLength((int) Math.min(Integer.MAX_VALUE, Math.max(maxBodyBytes, 20_000_000L))).build();
        return JsonMapper.builder(JsonFactory.builder().streamReadConstraints(constraints).build()).build();
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unreadable";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    /**
     * Makes the call and hands the answer's server-sent events to {@code listener} as they arrive. Failures before
     * the first event are retried like any call; once an event was delivered the call is not repeated (the listener
     * has seen part of an answer) and a broken stream ends in a retryable {@link HttpException}.
     */
    public void stream(ApiRequest request, SseListener listener) throws PluginException {
        call(request, "text/event-stream", (what, response, body, deadline, redactor) -> {
            String type = response.headers().firstValue("content-type").orElse("");
            if (type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                byte[] bytes = body.readAll(ERROR_BODY_LIMIT, deadline);
                Optional<ProviderError> error = providerError(bytes, redactor);
                throw new HttpException("expected a stream of server-sent events (text/event-stream) from " + what
                        + ", found " + error.map(e -> "an error: " + e.message())
                                .orElseGet(() -> found(type, bytes, redactor)),
                        response.statusCode(), false, null, null, error.orElse(null));
            }
            readEvents(what, response.statusCode(), body, request.timeout().orElse(timeout), listener, redactor);
            return null;
        });
    }

    private void readEvents(String what, int status, BodyChannel body, Duration idle, SseListener listener,
            Redactor redactor) throws IOException, InterruptedException, PluginException {
        int[] delivered = {0};
        SseParser parser = new SseParser(new SseListener() {
            @Override
            public void onEvent(SseEvent event) throws PluginException {
                delivered[0]++;
                listener.onEvent(event);
            }

            @Override
            public void onComment(String comment) throws PluginException {
                listener.onComment(comment);
            }
        });
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer carry = ByteBuffer.allocate(0); // the start of a character split between two pieces
        try {
            ByteBuffer piece;
            while ((piece = body.next(idle)) != null) {
                ByteBuffer in = ByteBuffer.allocate(carry.remaining() + piece.remaining()).put(carry).put(piece).flip();
                CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
                decoder.decode(in, out, false);
                carry = in.slice();
                parser.feed(out.flip());
            }
            CharBuffer out = CharBuffer.allocate(carry.remaining() + 2);
            decoder.decode(carry, out, true);
            decoder.flush(out);
            parser.feed(out.flip());
            parser.finish();
        } catch (IOException e) {
            if (delivered[0] == 0) {
                throw e; // nothing seen yet: the call may be repeated
            }
            String reason = e instanceof HttpTimeoutException ? e.getMessage() : "the connection broke (" + e + ")";
            throw new HttpException("the event stream of " + what + " ended early after " + delivered[0]
                    + " events: " + redactor.redact(reason), status, true, null, redactor.redact(e), null);
        }
    }

    /** What to do with a successful answer. */
    @FunctionalInterface
    private interface Success<T> {
        T handle(String what, HttpResponse<?> response, BodyChannel body, long deadline, Redactor redactor)
                throws IOException, InterruptedException, PluginException;
    }

    /** A failed attempt: what an exception would say, and whether another attempt may help. */
    private record Failure(String message, int status, boolean retryable, Duration retryAfter, Throwable cause,
            ProviderError error) {

        HttpException exception(String suffix) {
            return new HttpException(message + suffix, status, retryable, retryAfter, cause, error);
        }
    }

    private <T> T call(ApiRequest request, String accept, Success<T> success) throws PluginException {
        Redactor redactor = Redactor.of(request.secrets());
        String what = redactor.redact(request.method() + " " + request.uri());
        HttpRequest httpRequest = httpRequest(request, accept, what);
        Duration limit = request.timeout().orElse(timeout);
        for (int attempt = 1;; attempt++) {
            long started = System.nanoTime();
            long deadline = started + limit.toNanos();
            Failure failure;
            try {
                HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = http.send(httpRequest,
                        HttpResponse.BodyHandlers.ofPublisher());
                BodyChannel body = BodyChannel.open(response.body());
                int status = response.statusCode();
                try {
                    if (status >= 200 && status < 300) {
                        T result = success.handle(what, response, body, deadline, redactor);
                        log.debug(what + " answered " + status + " in " + millis(started) + " ms"
                                + (attempt > 1 ? " (attempt " + attempt + ")" : ""));
                        return result;
                    }
                    failure = statusFailure(what, response, readError(body, deadline), redactor);
                } finally {
                    body.close();
                }
            } catch (BodyChannel.TooLarge e) {
                throw new HttpException(what + ": " + e.getMessage(), 0, false, null, null, null);
            } catch (HttpConnectTimeoutException | ConnectException e) {
                failure = new Failure("cannot connect to " + redactor.redact(origin(request.uri())) + " for " + what
                        + " (" + (e instanceof HttpConnectTimeoutException ? "timed out" : "connection refused")
                        + ")", 0, true, null, redactor.redact(e), null);
            } catch (HttpTimeoutException e) {
                throw new HttpException(what + " got no complete answer within " + describe(limit), 0, true, null,
                        redactor.redact(e), null);
            } catch (IOException e) {
                failure = new Failure(what + " failed: the connection broke before a complete answer ("
                        + redactor.redact(e.toString()) + ")", 0, true, null, redactor.redact(e), null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HttpException(what + " was interrupted", 0, false, null, null, null);
            }
            if (!failure.retryable()) {
                throw failure.exception("");
            }
            if (attempt >= retry.maxAttempts()) {
                throw failure.exception(attempt > 1 ? " (gave up after " + attempt + " attempts)" : "");
            }
            Duration wait = failure.retryAfter() != null ? failure.retryAfter()
                    : retry.backoff(attempt, random.getAsDouble());
            if (failure.retryAfter() != null && wait.compareTo(retry.maxRetryAfter()) > 0) {
                throw failure.exception(" (it asked to wait " + describe(wait) + ", longer than the "
                        + describe(retry.maxRetryAfter()) + " this client waits)");
            }
            log.warn(failure.message() + "; retrying in " + describe(wait) + " (attempt " + (attempt + 1) + " of "
                    + retry.maxAttempts() + ")");
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HttpException(what + " was interrupted while waiting to retry", 0, false, null, null, null);
            }
        }
    }

    private HttpRequest httpRequest(ApiRequest request, String accept, String what) throws PluginException {
        URI uri = request.uri();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new HttpException("expected an http or https URL with a host, found " + what, 0, false, null, null,
                    null);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(request.timeout().orElse(timeout));
        if (scheme.equals("http")) {
            builder.version(HttpClient.Version.HTTP_1_1); // plain-HTTP local servers: no h2c upgrade attempt
        }
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        try {
            if (request.json().isPresent()) {
                body = HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(request.json().get()));
                builder.header("Content-Type", "application/json");
            } else if (request.body().isPresent()) {
                body = HttpRequest.BodyPublishers.ofByteArray(request.body().get());
                builder.header("Content-Type", request.contentType().orElseThrow());
            }
            if (request.header("accept").isEmpty()) {
                builder.header("Accept", accept);
            }
            if (request.header("user-agent").isEmpty()) {
                builder.header("User-Agent", userAgent);
            }
            for (ApiRequest.Header header : request.headers()) {
                builder.header(header.name(), header.value());
            }
        } catch (JsonProcessingException e) {
            throw new HttpException("cannot write the JSON body of " + what + ": " + e.getOriginalMessage(), 0, false,
                    null, null, null);
        } catch (IllegalArgumentException e) { // a header the JDK client refuses (Host, Content-Length, ...)
            throw new HttpException("cannot send " + what + ": " + Redactor.of(request.secrets()).redact(
                    e.getMessage()), 0, false, null, null, null);
        }
        return builder.method(request.method(), body).build();
    }

    private static byte[] readError(BodyChannel body, long deadline) throws InterruptedException {
        try {
            return body.readAll(ERROR_BODY_LIMIT, deadline);
        } catch (IOException e) { // the status says enough; a broken or huge error body does not matter
            return new byte[0];
        }
    }

    private Failure statusFailure(String what, HttpResponse<?> response, byte[] body, Redactor redactor) {
        int status = response.statusCode();
        JsonNode json = parse(body);
        Optional<ProviderError> error = errorParser.parse(json).map(
                e -> new ProviderError(redactor.redact(e.message()), redactor.redact(e.code())));
        HttpHeaders headers = response.headers();
        Duration retryAfter = retryAfterHook.retryAfter(status, json)
                .or(() -> RetryAfter.fromHeaders(headers, clock)).orElse(null);
        String detail = error.map(ProviderError::message).orElseGet(() -> body.length == 0 ? "no details"
                : found(headers.firstValue("content-type").orElse(""), body, redactor));
        String reason = REASONS.get(status);
        return new Failure(what + " answered " + status + (reason == null ? "" : " " + reason) + ": " + detail,
                status, retryableStatus.test(status), retryAfter, null, error.orElse(null));
    }

    private Optional<ProviderError> providerError(byte[] body, Redactor redactor) {
        return errorParser.parse(parse(body)).map(
                e -> new ProviderError(redactor.redact(e.message()), redactor.redact(e.code())));
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode json = body.length == 0 ? null : mapper.readTree(body);
            return json == null ? MissingNode.getInstance() : json;
        } catch (IOException notJson) {
            return MissingNode.getInstance();
        }
    }

    /** A short, printable, redacted description of an unexpected body. */
    static String found(String contentType, byte[] body, Redactor redactor) {
        if (body.length == 0) {
            return "an empty body";
        }
        String text = new String(body, 0, Math.min(body.length, EXCERPT_LENGTH * 4), StandardCharsets.UTF_8)
                .replaceAll("\\s+", " ").replaceAll("\\p{Cntrl}", "?").strip();
        String excerpt = text.length() > EXCERPT_LENGTH ? text.substring(0, EXCERPT_LENGTH) + "…" : text;
        return (contentType.isEmpty() ? "no content type" : contentType) + " (" + body.length + " bytes): "
                + redactor.redact(excerpt);
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static long millis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** A duration as people read it: {@code 250 ms}, {@code 1.5 s}, {@code 120 s}. */
    static String describe(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + " s";
        }
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** Settings of a {@link JsonHttpClient}; every one has a default. */
    public static final class Builder {

        private HttpClient http;
        private Duration connectTimeout = Duration.ofSeconds(10);
        /** {@code null}: {@link #defaultMapper}. */
        private ObjectMapper mapper;
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private Duration timeout = Duration.ofSeconds(60);
        private HttpLog log = HttpLog.NONE;
        private Sleeper sleeper = Sleeper.REAL;
        private Clock clock = Clock.systemUTC();
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private ProviderError.Parser errorParser = ProviderError.Parser.STANDARD;
        private RetryAfter.Hook retryAfterHook = RetryAfter.Hook.NONE;
        private IntPredicate retryableStatus = RetryPolicy::retryableStatus;
        private long maxBodyBytes = 64L * 1024 * 1024;
        private String userAgent = "Grambot";

        private Builder() {}

        /** The JDK client to use; by default one with {@link #connectTimeout} that follows no redirects. */
        public Builder httpClient(HttpClient value) {
            this.http = Objects.requireNonNull(value);
            return this;
        }

        /** How long connecting may take (10 s); used when this builder creates the JDK client. */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = positive(value, "connectTimeout");
            return this;
        }

        public Builder mapper(ObjectMapper value) {
            this.mapper = Objects.requireNonNull(value);
            return this;
        }

        /** When to retry ({@link RetryPolicy#DEFAULT}). */
        public Builder retry(RetryPolicy value) {
            this.retry = Objects.requireNonNull(value);
            return this;
        }

        /** The timeout of requests that set none (60 s); see {@link ApiRequest#timeout(Duration)}. */
        public Builder timeout(Duration value) {
            this.timeout = positive(value, "timeout");
            return this;
        }

        public Builder log(HttpLog value) {
            this.log = Objects.requireNonNull(value);
            return this;
        }

        /** How to wait between attempts ({@link Sleeper#REAL}). */
        public Builder sleeper(Sleeper value) {
            this.sleeper = Objects.requireNonNull(value);
            return this;
        }

        /** The clock an HTTP-date {@code Retry-After} is measured against. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value);
            return this;
        }

        /** The source of backoff jitter: values uniformly distributed in {@code [0, 1)}. */
        public Builder random(DoubleSupplier value) {
            this.random = Objects.requireNonNull(value);
            return this;
        }

        /** How the service's own error is found in an error answer ({@link ProviderError.Parser#STANDARD}). */
        public Builder errorParser(ProviderError.Parser value) {
            this.errorParser = Objects.requireNonNull(value);
            return this;
        }

        /** Where else than the headers a service says how long to wait (Telegram: its body). */
        public Builder retryAfterHook(RetryAfter.Hook value) {
            this.retryAfterHook = Objects.requireNonNull(value);
            return this;
        }

        /** Which error statuses are retried ({@link RetryPolicy#retryableStatus}). */
        public Builder retryableStatus(IntPredicate value) {
            this.retryableStatus = Objects.requireNonNull(value);
            return this;
        }

        /** The largest answer {@link #send} reads (64 MiB). */
        public Builder maxBodyBytes(long value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxBodyBytes must be positive, was " + value);
            }
            this.maxBodyBytes = value;
            return this;
        }

        public Builder userAgent(String value) {
            this.userAgent = Objects.requireNonNull(value);
            return this;
        }

        public JsonHttpClient build() {
            return new JsonHttpClient(this);
        }

        private static Duration positive(Duration value, String name) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
