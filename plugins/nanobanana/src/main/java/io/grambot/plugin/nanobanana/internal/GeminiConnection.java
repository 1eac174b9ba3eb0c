package io.grambot.plugin.nanobanana.internal;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.grambot.api.PluginException;
import io.grambot.api.Secret;
import io.grambot.http.ApiRequest;
import io.grambot.http.HttpException;
import io.grambot.http.JsonHttpClient;
import io.grambot.http.ProviderError;

/**
 * Calls below an instance's base URL with its API key, and what Google's errors mean: the part generating images and
 * listing models share.
 */
final class GeminiConnection {

    /** The secret of the API key, sent as {@value #API_KEY_HEADER}. */
    static final String API_KEY = "apiKey";
    /** The header Google reads the API key from (it also takes {@code ?key=}, which would put it in URLs and logs). */
    static final String API_KEY_HEADER = "x-goog-api-key";
    static final String MODELS = "v1beta/models";

    /** The largest answer read: a few 4K images, base64-encoded. */
    static final long MAX_ANSWER_BYTES = 256L * 1024 * 1024;
    /** The most models asked for per page of {@code GET /v1beta/models} (the API's maximum). */
    static final int MODELS_PAGE = 1000;
    /** The most pages followed: far more models than Google has. */
    private static final int MODELS_PAGES = 20;
    private static final String KEY_HELP = "https://aistudio.google.com/apikey";

    private final NanoBananaSettings settings;
    private final Function<String, Optional<Secret>> secrets;
    private final JsonHttpClient http;

    /**
     * @param secrets the instance's secrets by key, read for every call, so a key changed in the console applies at
     *        once
     */
    GeminiConnection(NanoBananaSettings settings, Function<String, Optional<Secret>> secrets, JsonHttpClient http) {
        this.settings = settings;
        this.secrets = secrets;
        this.http = http;
    }

    /**
     * A mapper for Gemini's answers: an image arrives as one base64 string, which may be longer than the 20 million
     * characters Jackson reads by default (a 4K PNG is).
     */
    static ObjectMapper mapper() {
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxStringLength((int) Math.min(Integer.MAX_VALUE, MAX_ANSWER_BYTES)).build();
        return JsonMapper.builder(JsonFactory.builder().streamReadConstraints(constraints).build()).build();
    }

    NanoBananaSettings settings() {
        return settings;
    }

    JsonHttpClient http() {
        return http;
    }

    /**
     * The API key the instance has now, or empty when it has none and the calls go to a proxy that may add its own.
     *
     * @throws PluginException if it has none and the calls go to Google, which would refuse them
     */
    Optional<Secret> apiKey() throws PluginException {
        Optional<Secret> key = secrets.apply(API_KEY).filter(secret -> !secret.reveal().isBlank())
                .map(secret -> Secret.of(secret.reveal().strip()));
        if (key.isEmpty() && settings.googleItself()) {
            throw new PluginException("the instance has no API key: put a Gemini API key (from " + KEY_HELP
                    + ") into its secret '" + API_KEY + "'");
        }
        return key;
    }

    ApiRequest get(String path, Optional<Secret> key) {
        return authorized(ApiRequest.get(settings.endpoint(path)), key);
    }

    ApiRequest post(String path, Object body, Optional<Secret> key) {
        return authorized(ApiRequest.post(settings.endpoint(path), body), key);
    }

    /** Makes the call and returns its JSON answer; a failure says what it means for this instance's settings. */
    JsonNode call(ApiRequest request) throws PluginException {
        try {
            return http.json(request);
        } catch (HttpException e) {
            throw explain(e, !request.secrets().isEmpty(), settings.model());
        }
    }

    /**
     * The names of the models the API lists ({@code GET /v1beta/models}, every page), such as
     * {@code models/gemini-2.5-flash-image}.
     */
    List<String> modelNames(Optional<Secret> key) throws PluginException {
        List<String> names = new ArrayList<>();
        String pageToken = null;
        for (int page = 0; page < MODELS_PAGES; page++) {
            ApiRequest request = get(MODELS + "?pageSize=" + MODELS_PAGE + (pageToken == null ? ""
                    : "&pageToken=" + URLEncoder.encode(pageToken, StandardCharsets.UTF_8)), key);
            JsonNode answer = call(request);
            JsonNode models = answer.get("models");
            if (models == null && answer.isObject() && answer.get("nextPageToken") == null) {
                break; // an empty list: the API leaves the field out
            }
            if (models == null || !models.isArray()) {
                throw new PluginException("expected {\"models\":[{\"name\":...}]} from " + request + ", found "
                        + Json.describe(answer, request));
            }
            for (JsonNode model : models) {
                String name = Json.text(model.get("name"));
                if (name != null) {
                    names.add(name);
                }
            }
            pageToken = Json.text(answer.get("nextPageToken"));
            if (pageToken == null || pageToken.isEmpty() || models.isEmpty()) {
                break;
            }
        }
        return names;
    }

    /**
     * A failed call with what to do about it, for the failures Google explains with a reason or status: a refused
     * or missing key, a key without access, an unknown model, a used-up quota. Other failures are returned as they
     * are.
     *
     * @param keySent whether the call carried an API key
     */
    static HttpException explain(HttpException e, boolean keySent, String model) {
        String code = e.providerCode().orElse("");
        String message = e.providerMessage().orElse("");
        String hint;
        if (code.startsWith("API_KEY_") && !code.equals("API_KEY_SERVICE_BLOCKED") || e.status() == 401
                || e.status() == 400 && message.contains("API key")) {
            hint = keySent ? "the API key in the instance's secret '" + API_KEY + "' was refused: put a valid Gemini "
                    + "API key (from " + KEY_HELP + ") into it"
                    : "no API key was sent: put a Gemini API key (from " + KEY_HELP + ") into the secret '" + API_KEY
                            + "'";
        } else if (code.equals("API_KEY_SERVICE_BLOCKED")) {
            hint = "the API key may not call the Gemini API: allow the Generative Language API in the key's API "
                    + "restrictions, or use another key";
        } else if (code.equals("SERVICE_DISABLED")) {
            hint = "the Generative Language API is not enabled in the key's Google Cloud project: enable it, or use a "
                    + "key from " + KEY_HELP;
        } else if (e.status() == 403) {
            hint = keySent ? "the API key in the secret '" + API_KEY + "' may not use model '" + model + "' or this "
                    + "project: check the key and the project's access to the Gemini API"
                    : "no API key was sent: put a Gemini API key (from " + KEY_HELP + ") into the secret '" + API_KEY
                            + "'";
        } else if (e.status() == 404) {
            hint = "check the setting 'model' ('" + model + "'): the connection test lists the models the key can use";
        } else if (e.status() == 429) {
            hint = "the requests or quota of the API key's project are used up for now: wait, or raise the limits "
                    + "(https://ai.google.dev/gemini-api/docs/rate-limits)";
        } else {
            return e;
        }
        return new HttpException(e.getMessage() + " (" + (code.isEmpty() ? "" : code + ": ") + hint + ")",
                e.status(), e.retryable(), e.retryAfter().orElse(null), e.getCause(),
                e.providerMessage().map(text -> new ProviderError(text, e.providerCode().orElse(null)))
                        .orElse(null));
    }

    /**
     * The error in a Google answer ({@code {"error":{"code":400,"message","status","details":[...]}}}): its message,
     * and as code the reason of its {@code google.rpc.ErrorInfo} detail (for example {@code API_KEY_INVALID}) or else
     * its status (for example {@code RESOURCE_EXHAUSTED}). Other shapes are read as
     * {@link ProviderError.Parser#STANDARD} reads them.
     */
    static Optional<ProviderError> error(JsonNode body) {
        JsonNode root = body != null && body.isArray() && body.size() == 1 ? body.get(0) : body; // [{"error":...}]
        JsonNode error = root == null ? null : root.get("error");
        if (error == null || !error.isObject()) {
            return ProviderError.Parser.STANDARD.parse(root);
        }
        String message = Json.text(error.get("message"));
        String code = null;
        for (JsonNode detail : error.path("details")) {
            if (isDetail(detail, "google.rpc.ErrorInfo")) {
                code = Json.text(detail.get("reason"));
            }
        }
        if (code == null || code.isBlank()) {
            code = Json.text(error.get("status"));
        }
        if (message == null || message.isBlank()) {
            return code == null ? ProviderError.Parser.STANDARD.parse(root)
                    : Optional.of(new ProviderError(code, code));
        }
        return Optional.of(new ProviderError(message, code));
    }

    /**
     * The wait a Google error asks for in a {@code google.rpc.RetryInfo} detail ({@code "retryDelay":"17s"}); it wins
     * over a {@code Retry-After} header.
     */
    static Optional<Duration> retryDelay(int status, JsonNode body) {
        JsonNode root = body != null && body.isArray() && body.size() == 1 ? body.get(0) : body;
        if (root == null) {
            return Optional.empty();
        }
        for (JsonNode detail : root.path("error").path("details")) {
            if (isDetail(detail, "google.rpc.RetryInfo")) {
                Optional<Duration> delay = protobufDuration(detail.get("retryDelay"));
                if (delay.isPresent()) {
                    return delay;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A {@code google.protobuf.Duration} in its JSON form, {@code "17s"} or {@code "0.250s"}, or as an object
     * {@code {"seconds":17,"nanos":0}}; empty when it is neither.
     */
    static Optional<Duration> protobufDuration(JsonNode node) {
        try {
            if (node != null && node.isTextual() && node.asText().strip().matches("\\d+(\\.\\d+)?s")) {
                String text = node.asText().strip();
                BigDecimal seconds = new BigDecimal(text.substring(0, text.length() - 1));
                return Optional.of(Duration.ofNanos(seconds.movePointRight(9).longValueExact()));
            }
            if (node != null && node.isObject() && (node.has("seconds") || node.has("nanos"))) {
                return Optional.of(Duration.ofSeconds(node.path("seconds").asLong(0), node.path("nanos").asLong(0)));
            }
        } catch (ArithmeticException tooLong) {
            // not a wait anyone honours
        }
        return Optional.empty();
    }

    /** Whether an error detail has this type ({@code "@type":"type.googleapis.com/google.rpc.RetryInfo"}). */
    private static boolean isDetail(JsonNode detail, String type) {
        String name = Json.text(detail.get("@type"));
        return name != null && (name.equals(type) || name.endsWith("/" + type));
    }

    private ApiRequest authorized(ApiRequest request, Optional<Secret> key) {
        ApiRequest result = request.timeout(settings.timeout());
        return key.isPresent() ? result.secretHeader(API_KEY_HEADER, key.get()) : result;
    }
}
