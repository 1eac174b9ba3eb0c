package io.grambot.plugin.brave.search.internal;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.grambot.api.PluginException;
import io.grambot.api.Secret;
import io.grambot.http.ApiRequest;
import io.grambot.http.HttpException;
import io.grambot.http.HttpLog;
import io.grambot.http.JsonHttpClient;
import io.grambot.http.ProviderError;
import io.grambot.http.RetryPolicy;
import io.grambot.http.Sleeper;

/**
 * Calls Brave's web search endpoint with the instance's API key, and says in plain words why a call failed: a refused
 * key, a used-up monthly quota, the per-second rate limit, or arguments Brave did not accept.
 */
final class BraveConnection {

    /** The secret of the API key, sent as {@value #TOKEN_HEADER}. */
    static final String API_KEY = "apiKey";
    static final String TOKEN_HEADER = "X-Subscription-Token";
    /** Where keys are made and plans are upgraded. */
    static final String DASHBOARD = "https://api-dashboard.search.brave.com";

    /** Brave's code for a key it does not know. */
    static final String TOKEN_INVALID = "SUBSCRIPTION_TOKEN_INVALID";
    /** Brave's code for query parameters it does not accept. */
    static final String VALIDATION = "VALIDATION";

    /**
     * The longest wait for a rate limit to reset that a call sits out: enough for Brave's per-second window, short
     * enough for a model waiting on its tool.
     */
    static final Duration MAX_WAIT = Duration.ofSeconds(10);
    /** The wait a quota error asks for when Brave's headers do not say when the quota resets: past any wait. */
    private static final Duration QUOTA_UNKNOWN_RESET = Duration.ofDays(31);

    private final String instanceId;
    private final BraveSettings settings;
    private final Function<String, Optional<Secret>> secrets;
    private final Clock clock;
    private final RateLimitClient jdk;
    private final JsonHttpClient http;

    /**
     * @param secrets the instance's secrets by key, read for every call, so a key changed in the console applies at
     *        once
     */
    BraveConnection(String instanceId, BraveSettings settings, Function<String, Optional<Secret>> secrets, HttpLog log,
            Sleeper sleeper, Clock clock) {
        this.instanceId = instanceId;
        this.settings = settings;
        this.secrets = secrets;
        this.clock = clock;
        Duration connectTimeout = settings.timeout().compareTo(Duration.ofSeconds(10)) < 0 ? settings.timeout()
                : Duration.ofSeconds(10);
        // redirects are never followed: they would carry the key to wherever they point
        this.jdk = new RateLimitClient(HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build(), clock);
        RetryPolicy retries = RetryPolicy.retries(settings.maxRetries());
        this.http = JsonHttpClient.builder().httpClient(jdk).clock(clock)
                .retry(new RetryPolicy(retries.maxAttempts(), retries.baseDelay(), retries.maxDelay(), MAX_WAIT))
                .timeout(settings.timeout()).log(log).sleeper(sleeper).errorParser(BraveConnection::error)
                .retryAfterHook(this::quotaReset).userAgent("Grambot-BraveSearch").build();
    }

    /** The rate limits Brave reported last, with any answer. */
    Optional<RateLimit> rateLimit() {
        return jdk.latest();
    }

    /**
     * The key the instance has now.
     *
     * @throws PluginException if it has none: Brave refuses every call without one
     */
    Secret apiKey() throws PluginException {
        return secrets.apply(API_KEY).filter(secret -> !secret.reveal().isBlank())
                .map(secret -> Secret.of(secret.reveal().strip()))
                .orElseThrow(() -> new PluginException("the instance '" + instanceId + "' has no API key: put a "
                        + "Brave Search API key (from " + DASHBOARD + "/app/keys) into its secret '" + API_KEY + "'"));
    }

    /** {@code GET <baseUrl>/res/v1/web/search?q=...} with the key and the headers Brave documents. */
    private ApiRequest request(SearchArguments search, Secret key) {
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, String> parameter : search.parameters().entrySet()) {
            query.append(query.length() == 0 ? "?" : "&").append(parameter.getKey()).append('=')
                    .append(encode(parameter.getValue()));
        }
        return ApiRequest.get(URI.create(settings.searchEndpoint() + query.toString()))
                .header("Accept", "application/json").secretHeader(TOKEN_HEADER, key).timeout(settings.timeout());
    }

    /**
     * Runs the search.
     *
     * @throws HttpException a failure in words a user can act on; its provider code is Brave's ({@value #VALIDATION}
     *         for arguments it refused)
     * @throws PluginException if the instance has no key, or the answer is not a search answer
     */
    SearchResults search(SearchArguments search) throws PluginException {
        ApiRequest request = request(search, apiKey());
        JsonNode answer;
        try {
            answer = http.json(request);
        } catch (HttpException e) {
            throw explain(e, request);
        }
        return SearchResults.read(answer, search.query(), request.toString());
    }

    /** A refused key, a used-up quota or a lasting rate limit, with what to do about it; others as they are. */
    private HttpException explain(HttpException e, ApiRequest request) {
        String code = e.providerCode().orElse("");
        if (e.status() == 401 || code.equals(TOKEN_INVALID)) {
            return rewrite(e, withoutPeriod(e.getMessage()) + (code.isEmpty() ? "" : " (" + code + ")")
                    + ". Brave refused the API key in the secret '" + API_KEY + "' of instance '" + instanceId
                    + "': put a valid key from " + DASHBOARD + "/app/keys there", false, null);
        }
        if (e.status() != 429) {
            return e;
        }
        Optional<RateLimit> limit = rateLimit();
        if (quotaCode(code) || limit.map(RateLimit::quotaUsedUp).orElse(false)) {
            Optional<Duration> reset = limit.flatMap(l -> l.untilQuotaReset(clock.instant()));
            String plan = limit.flatMap(RateLimit::quota).map(w -> " (" + w.limit() + " requests a month)").orElse("");
            return rewrite(e, request + " answered 429 Too Many Requests"
                    + e.providerMessage().map(m -> ": " + withoutPeriod(m)).orElse("")
                    + (code.isEmpty() ? "" : " (" + code + ")")
                    + ". The monthly quota of the Brave Search plan" + plan + " is used up, "
                    + reset.map(r -> "it resets in " + RateLimit.describe(r))
                            .orElse("it resets when the plan's month ends")
                    + "; a bigger plan is at " + DASHBOARD, false, reset.orElse(null));
        }
        return rewrite(e, e.getMessage() + limit.map(l -> "; the plan allows " + l.describe()).orElse("")
                + ", try again in a moment", true, e.retryAfter().orElse(null));
    }

    /** Keeps Brave's error apart from the message, as the shared client does. */
    private static HttpException rewrite(HttpException e, String message, boolean retryable, Duration retryAfter) {
        return new HttpException(message, e.status(), retryable, retryAfter, e.getCause(), e.providerMessage()
                .map(text -> new ProviderError(text, e.providerCode().orElse(null))).orElse(null));
    }

    /**
     * The wait a 429 answer's body implies: a quota error waits until the quota resets (as the headers last said, or
     * longer than any wait when they did not), so it is not retried within the month; other answers leave it to the
     * headers.
     */
    private Optional<Duration> quotaReset(int status, JsonNode body) {
        if (status != 429 || error(body).map(e -> !quotaCode(e.code())).orElse(true)) {
            return Optional.empty();
        }
        return Optional.of(rateLimit().flatMap(l -> l.untilQuotaReset(clock.instant()))
                .filter(reset -> !reset.isZero()).orElse(QUOTA_UNKNOWN_RESET));
    }

    /** Whether a Brave error code says the quota (rather than the per-second rate) is exhausted. */
    static boolean quotaCode(String code) {
        return code != null && code.toUpperCase(Locale.ROOT).contains("QUOTA");
    }

    /**
     * Brave's error: {@code {"type":"ErrorResponse","error":{"id","status","code","detail","meta"}}}; for
     * {@value #VALIDATION} the parameters it refused, from {@code meta.errors}. Any other shape is read as the shared
     * client reads errors.
     */
    static Optional<ProviderError> error(JsonNode body) {
        JsonNode error = body == null ? null : body.get("error");
        if (error == null || !error.isObject() || !error.has("detail") && !error.has("code")) {
            return ProviderError.Parser.STANDARD.parse(body);
        }
        String code = text(error.get("code"));
        String detail = text(error.get("detail"));
        List<String> refused = new ArrayList<>();
        for (JsonNode item : error.path("meta").path("errors")) {
            String message = text(item.get("msg"));
            if (message != null) {
                String where = item.path("loc").isArray() && !item.path("loc").isEmpty()
                        ? item.path("loc").get(item.path("loc").size() - 1).asText() : null;
                refused.add((where == null ? "" : where + ": ") + message);
            }
        }
        String message = detail == null ? code : detail;
        if (!refused.isEmpty()) {
            message = (message == null ? "" : message + ": ") + String.join("; ", refused);
        }
        return message == null ? Optional.empty() : Optional.of(new ProviderError(message, code));
    }

    /** A query parameter value, percent-encoded (a space as {@code %20}). */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String withoutPeriod(String text) {
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    private static String text(JsonNode node) {
        return node != null && node.isValueNode() && !node.isNull() && !node.asText().isBlank() ? node.asText() : null;
    }
}
