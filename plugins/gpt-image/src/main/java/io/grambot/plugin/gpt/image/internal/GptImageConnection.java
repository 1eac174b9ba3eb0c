package io.grambot.plugin.gpt.image.internal;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.grambot.api.PluginException;
import io.grambot.api.Secret;
import io.grambot.http.ApiRequest;
import io.grambot.http.ApiResponse;
import io.grambot.http.HttpException;
import io.grambot.http.JsonHttpClient;
import io.grambot.http.ProviderError;

/** Calls below an instance's base URL with its API key, and OpenAI's errors explained. */
final class GptImageConnection {

    /** The secret of the API key, sent as a Bearer token. */
    static final String API_KEY = "apiKey";

    static final String MODELS = "models";

    /** The error codes of a prompt or image that OpenAI's safety system refused (GPT image models, DALL·E). */
    static final Set<String> SAFETY_CODES = Set.of("moderation_blocked", "content_policy_violation");

    /** The most time a connection test may take: it asks for a model, not an image. */
    private static final Duration TEST_TIMEOUT = Duration.ofSeconds(30);

    private final GptImageSettings settings;
    private final Function<String, Optional<Secret>> secrets;
    private final JsonHttpClient http;

    /**
     * @param secrets the instance's secrets by key, read for every call, so a key changed in the console applies at
     *        once
     */
    GptImageConnection(GptImageSettings settings, Function<String, Optional<Secret>> secrets, JsonHttpClient http) {
        this.settings = settings;
        this.secrets = secrets;
        this.http = http;
    }

    GptImageSettings settings() {
        return settings;
    }

    JsonHttpClient http() {
        return http;
    }

    /**
     * The API key the instance has now, or none (a compatible server that needs no key).
     *
     * @throws PluginException if it has none and the calls go to api.openai.com, which would refuse them
     */
    Optional<Secret> apiKey() throws PluginException {
        Optional<Secret> key = secrets.apply(API_KEY).filter(secret -> !secret.reveal().isBlank())
                .map(secret -> Secret.of(secret.reveal().strip()));
        if (key.isEmpty() && settings.openAiItself()) {
            throw new PluginException("the instance has no API key: put an OpenAI API key (from "
                    + "platform.openai.com/api-keys) into its secret '" + API_KEY + "'");
        }
        return key;
    }

    ApiRequest post(String path, Object body, Optional<Secret> key) {
        return authorized(ApiRequest.post(settings.endpoint(path), body), key);
    }

    /**
     * Makes the call and returns its answer as JSON; a failure comes with what to do about it.
     *
     * @see #explain(HttpException, ApiRequest)
     */
    JsonNode json(ApiRequest request) throws PluginException {
        try {
            return http.json(request);
        } catch (HttpException e) {
            throw explain(e, request);
        }
    }

    /**
     * The configured model as OpenAI describes it ({@code GET /models/{model}}: {@code {"id","object","owned_by"}}),
     * an authenticated call that bills nothing.
     *
     * @throws PluginException if the call fails or the answer names no model
     */
    JsonNode model(Optional<Secret> key) throws PluginException {
        String segment = URLEncoder.encode(settings.model(), StandardCharsets.UTF_8).replace("+", "%20");
        ApiRequest request = authorized(ApiRequest.get(settings.endpoint(MODELS + "/" + segment)), key).timeout(
                settings.timeout().compareTo(TEST_TIMEOUT) < 0 ? settings.timeout() : TEST_TIMEOUT);
        JsonNode answer = json(request);
        if (Json.text(answer.get("id")) == null) {
            throw new PluginException("expected {\"id\":...} from " + request + ", found "
                    + Json.describe(answer, request));
        }
        return answer;
    }

    /**
     * Downloads an image an answer links to instead of carrying it ({@code url} rather than {@code b64_json}). The
     * link points elsewhere (a storage service): the API key is not sent along, and its query (which signs it) is
     * masked in logs and errors. The answer is read up to the client's body limit.
     */
    ApiResponse download(URI url, String what) throws PluginException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || url.getHost() == null) {
            throw new PluginException(what + " links to '" + url.getScheme() + ":…', not to an http or https URL");
        }
        ApiRequest request = ApiRequest.get(url).timeout(settings.timeout()).header("Accept", "image/*");
        if (url.getRawQuery() != null) {
            request = request.secret(Secret.of(url.getRawQuery()));
        }
        return http.send(request);
    }

    /**
     * A failed call with what to do about it: a prompt OpenAI's safety system refused (with OpenAI's reason), a
     * refused API key, an unverified organization, an exhausted quota. Other failures are returned as they are.
     */
    static PluginException explain(HttpException e, ApiRequest request) {
        String code = e.providerCode().orElse("");
        String message = e.providerMessage().orElse("");
        if (SAFETY_CODES.contains(code) || message.contains("safety system")) {
            return new HttpException("OpenAI's safety system refused the request" + (code.isEmpty() ? "" : " (" + code
                    + ")") + ": " + (message.isEmpty() ? e.getMessage() : message) + " [" + request + " answered "
                    + (e.status() == 0 ? "with an error" : e.status()) + "]", e.status(), false, null, e.getCause(),
                    new ProviderError(message.isEmpty() ? code : message, code.isEmpty() ? null : code));
        }
        String hint = null;
        if (e.status() == 401) {
            hint = "check the instance's secret '" + API_KEY + "': an OpenAI API key from platform.openai.com/api-keys";
        } else if (e.status() == 403 && message.toLowerCase(Locale.ROOT).contains("verif")) {
            hint = "GPT image models need a verified organization: platform.openai.com/settings/organization/general";
        } else if (code.equals("insufficient_quota") || code.equals("billing_hard_limit_reached")) {
            hint = "the account's credit or spending limit is used up: platform.openai.com/settings/organization/billing";
        }
        if (hint == null) {
            return e;
        }
        return new HttpException(e.getMessage() + " (" + hint + ")", e.status(), e.retryable(),
                e.retryAfter().orElse(null), e.getCause(), e.providerMessage()
                        .map(text -> new ProviderError(text, e.providerCode().orElse(null))).orElse(null));
    }

    private ApiRequest authorized(ApiRequest request, Optional<Secret> key) {
        ApiRequest result = request.timeout(settings.timeout());
        if (key.isPresent()) { // a compatible server may need no key: then no Authorization header at all
            result = result.bearer(key.get());
        }
        if (!settings.organization().isEmpty()) {
            result = result.header("OpenAI-Organization", settings.organization());
        }
        return result;
    }
}
