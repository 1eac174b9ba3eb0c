package io.grambot.plugin.anthropic.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.grambot.api.PluginException;
import io.grambot.api.Secret;
import io.grambot.http.ApiRequest;
import io.grambot.http.HttpException;
import io.grambot.http.JsonHttpClient;
import io.grambot.http.ProviderError;

/** Calls below an instance's base URL with its credential and the headers every Anthropic call carries. */
final class AnthropicConnection {

    /** The secret of an API key, sent as {@code x-api-key}. */
    static final String API_KEY = "apiKey";
    /** The secret of an OAuth access token, sent as a Bearer token with the OAuth beta. */
    static final String AUTH_TOKEN = "authToken";
    /** The {@code anthropic-beta} value an OAuth access token needs. */
    static final String OAUTH_BETA = "oauth-2025-04-20";

    static final String MESSAGES = "v1/messages";
    static final String MODELS = "v1/models";

    /** The most models asked for per page of {@code GET /v1/models} (the API's own maximum). */
    private static final int MODELS_PAGE = 1000;
    /** The most pages followed: far more models than Anthropic has. */
    private static final int MODELS_PAGES = 20;

    /** How one call authenticates, read from the secrets store when the call is made. */
    record Credential(Kind kind, Optional<Secret> token) {

        enum Kind {
            /** No secret: a proxy that adds its own; nothing is sent. */
            NONE("no credential"),
            /** An API key sent as {@code x-api-key}. */
            API_KEY("the API key"),
            /** An OAuth access token sent as {@code Authorization: Bearer}, with the OAuth beta. */
            AUTH_TOKEN("the OAuth token");

            final String description;

            Kind(String description) {
                this.description = description;
            }
        }
    }

    private final AnthropicSettings settings;
    private final Function<String, Optional<Secret>> secrets;
    private final JsonHttpClient http;

    /**
     * @param secrets the instance's secrets by key, read for every call, so a secret changed in the console applies
     *        at once
     */
    AnthropicConnection(AnthropicSettings settings, Function<String, Optional<Secret>> secrets, JsonHttpClient http) {
        this.settings = settings;
        this.secrets = secrets;
        this.http = http;
    }

    AnthropicSettings settings() {
        return settings;
    }

    JsonHttpClient http() {
        return http;
    }

    /**
     * The credential the instance has now: its OAuth token if it has one (it wins over an API key), else its API
     * key, else none.
     *
     * @throws PluginException if it has none and the calls go to api.anthropic.com, which would refuse them
     */
    Credential credential() throws PluginException {
        Optional<Secret> token = secret(AUTH_TOKEN);
        if (token.isPresent()) {
            return new Credential(Credential.Kind.AUTH_TOKEN, token);
        }
        Optional<Secret> key = secret(API_KEY);
        if (key.isPresent()) {
            return new Credential(Credential.Kind.API_KEY, key);
        }
        if (settings.anthropicItself()) {
            throw new PluginException("the instance has no API key: put an Anthropic API key (from "
                    + "console.anthropic.com) into its secret 'apiKey', or an OAuth access token into 'authToken'");
        }
        return new Credential(Credential.Kind.NONE, Optional.empty());
    }

    ApiRequest get(String path, Credential credential) {
        return authorized(ApiRequest.get(settings.endpoint(path)), credential);
    }

    ApiRequest post(String path, Object body, Credential credential) {
        return authorized(ApiRequest.post(settings.endpoint(path), body), credential);
    }

    /** The ids of the models Anthropic lists ({@code GET /v1/models}, every page), in its order (newest first). */
    List<String> modelIds(Credential credential) throws PluginException {
        List<String> ids = new ArrayList<>();
        String after = null;
        for (int page = 0; page < MODELS_PAGES; page++) {
            ApiRequest request = get(MODELS + "?limit=" + MODELS_PAGE + (after == null ? "" : "&after_id=" + after),
                    credential);
            JsonNode answer;
            try {
                answer = http.json(request);
            } catch (HttpException e) {
                throw explain(e, credential);
            }
            JsonNode data = answer.get("data");
            if (data == null || !data.isArray()) {
                throw new PluginException("expected {\"data\":[{\"id\":...}]} from " + request + ", found "
                        + Json.describe(answer, request));
            }
            for (JsonNode model : data) {
                String id = Json.text(model.get("id"));
                if (id != null) {
                    ids.add(id);
                }
            }
            after = Json.text(answer.get("last_id"));
            if (!answer.path("has_more").asBoolean(false) || after == null || data.isEmpty()) {
                break;
            }
        }
        return ids;
    }

    /**
     * A refused call (401), with what to do about it: an OAuth token expires, and a proxy without a credential may
     * need one. Other failures are returned as they are.
     */
    static PluginException explain(HttpException e, Credential credential) {
        if (e.status() != 401 || credential.kind() == Credential.Kind.API_KEY) {
            return e;
        }
        String hint = credential.kind() == Credential.Kind.AUTH_TOKEN
                ? " (an OAuth access token expires and is not refreshed here: put a new one into 'authToken', or "
                        + "use an API key in 'apiKey' and remove 'authToken')"
                : " (the instance has no credential: put an API key into its secret 'apiKey')";
        return new HttpException(e.getMessage() + hint, e.status(), e.retryable(), e.retryAfter().orElse(null),
                e.getCause(), e.providerMessage()
                        .map(message -> new ProviderError(message, e.providerCode().orElse(null))).orElse(null));
    }

    private Optional<Secret> secret(String key) {
        return secrets.apply(key).filter(secret -> !secret.reveal().isBlank())
                .map(secret -> Secret.of(secret.reveal().strip()));
    }

    private ApiRequest authorized(ApiRequest request, Credential credential) {
        ApiRequest result = request.timeout(settings.timeout()).header("anthropic-version",
                settings.anthropicVersion());
        List<String> betas = new ArrayList<>();
        switch (credential.kind()) {
            case API_KEY -> result = result.secretHeader("x-api-key", credential.token().orElseThrow());
            case AUTH_TOKEN -> {
                result = result.bearer(credential.token().orElseThrow());
                betas.add(OAUTH_BETA);
            }
            case NONE -> {
                // a proxy that adds the credential itself
            }
        }
        settings.betas().stream().filter(beta -> !betas.contains(beta)).forEach(betas::add);
        if (!betas.isEmpty()) {
            result = result.header("anthropic-beta", String.join(",", betas));
        }
        return result;
    }
}
