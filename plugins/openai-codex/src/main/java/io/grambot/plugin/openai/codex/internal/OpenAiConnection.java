package io.grambot.plugin.openai.codex.internal;

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

/** Calls below an instance's base URL with its credentials: the part every OpenAI dialect shares. */
final class OpenAiConnection {

    /** The secret of an API key (api.openai.com or a compatible server). */
    static final String API_KEY = "apiKey";
    /** The secret of a ChatGPT sign-in's access token (the Codex endpoint). */
    static final String ACCESS_TOKEN = "accessToken";

    /** How one call authenticates, read from the secrets store when the call is made. */
    record Credential(Kind kind, Optional<Secret> token) {

        enum Kind {
            /** No secret: a local server that needs no key; no {@code Authorization} header at all. */
            NONE,
            /** An API key sent as a Bearer token. */
            API_KEY,
            /** A ChatGPT access token sent as a Bearer token, with the account id beside it. */
            SIGN_IN
        }

        boolean signIn() {
            return kind == Kind.SIGN_IN;
        }
    }

    private final OpenAiSettings settings;
    private final Function<String, Optional<Secret>> secrets;
    private final JsonHttpClient http;

    /**
     * @param secrets the instance's secrets by key, read for every call, so a secret changed in the console applies
     *        at once
     */
    OpenAiConnection(OpenAiSettings settings, Function<String, Optional<Secret>> secrets, JsonHttpClient http) {
        this.settings = settings;
        this.secrets = secrets;
        this.http = http;
    }

    OpenAiSettings settings() {
        return settings;
    }

    JsonHttpClient http() {
        return http;
    }

    /**
     * The credential the instance has now: its API key, its ChatGPT access token, or none.
     *
     * @throws PluginException if both are set, or an access token is set without what a sign-in needs beside it
     */
    Credential credential() throws PluginException {
        Optional<Secret> key = secret(API_KEY);
        Optional<Secret> token = secret(ACCESS_TOKEN);
        if (key.isPresent() && token.isPresent()) {
            throw new PluginException("the instance has both an API key (apiKey) and a ChatGPT access token "
                    + "(accessToken): keep the API key for api.openai.com or a compatible server, or the access token "
                    + "for a ChatGPT sign-in, and remove the other");
        }
        if (token.isPresent()) {
            if (settings.api() != Api.RESPONSES) {
                throw new PluginException("a ChatGPT sign-in (accessToken) works with the Responses API only: set "
                        + "api=" + Api.RESPONSES.setting + " and baseUrl=" + OpenAiSettings.CODEX_BASE_URL
                        + ", or use an API key (apiKey) instead");
            }
            if (settings.accountId().isEmpty()) {
                throw new PluginException("a ChatGPT sign-in (accessToken) needs the account id too: set accountId "
                        + "(tokens.account_id in ~/.codex/auth.json)");
            }
            return new Credential(Credential.Kind.SIGN_IN, token);
        }
        return key.isPresent() ? new Credential(Credential.Kind.API_KEY, key)
                : new Credential(Credential.Kind.NONE, Optional.empty());
    }

    ApiRequest get(String path, Credential credential) {
        return authorized(ApiRequest.get(settings.endpoint(path)), credential);
    }

    ApiRequest post(String path, Object body, Credential credential) {
        return authorized(ApiRequest.post(settings.endpoint(path), body), credential);
    }

    /** The ids of the models the server lists ({@code GET /models}), in its order. */
    List<String> modelIds() throws PluginException {
        ApiRequest request = get("models", credential());
        JsonNode answer = http.json(request);
        JsonNode data = answer.get("data");
        if (data == null || !data.isArray()) {
            throw new PluginException("expected {\"data\":[{\"id\":...}]} from " + request + ", found "
                    + Json.describe(answer, request));
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode model : data) {
            JsonNode id = model.get("id");
            if (id != null && id.isTextual()) {
                ids.add(id.asText());
            }
        }
        return ids;
    }

    /**
     * A refused sign-in (401), with what to do about it: an access token expires, and this plugin does not refresh
     * it. Other failures are returned as they are.
     */
    static PluginException explainSignIn(HttpException e, Credential credential) {
        if (!credential.signIn() || e.status() != 401) {
            return e;
        }
        return new HttpException(e.getMessage() + " (a ChatGPT access token expires: sign in again, for example with "
                + "'codex login', and put the new tokens.access_token of ~/.codex/auth.json into accessToken)",
                e.status(), e.retryable(), e.retryAfter().orElse(null), e.getCause(),
                e.providerMessage().map(message -> new ProviderError(message,
                        e.providerCode().orElse(null))).orElse(null));
    }

    private Optional<Secret> secret(String key) {
        return secrets.apply(key).filter(secret -> !secret.reveal().isBlank())
                .map(secret -> Secret.of(secret.reveal().strip()));
    }

    private ApiRequest authorized(ApiRequest request, Credential credential) {
        ApiRequest result = request.timeout(settings.timeout());
        if (credential.token().isPresent()) { // local servers need no key: then no Authorization header at all
            result = result.bearer(credential.token().get());
        }
        if (credential.signIn()) {
            result = result.header("ChatGPT-Account-Id", settings.accountId())
                    .header("OpenAI-Beta", "responses=experimental");
        }
        if (!settings.organization().isEmpty()) {
            result = result.header("OpenAI-Organization", settings.organization());
        }
        return result;
    }
}
