package io.grambot.plugin.openai.codex.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import io.grambot.api.PluginException;
import io.grambot.api.Secret;
import io.grambot.http.ApiRequest;
import io.grambot.http.JsonHttpClient;

/** Calls below an instance's base URL with its credentials: the part every OpenAI dialect shares. */
final class OpenAiConnection {

    private final OpenAiSettings settings;
    private final Supplier<Optional<Secret>> apiKey;
    private final JsonHttpClient http;

    /** @param apiKey read for every call, so a key changed in the console applies at once */
    OpenAiConnection(OpenAiSettings settings, Supplier<Optional<Secret>> apiKey, JsonHttpClient http) {
        this.settings = settings;
        this.apiKey = apiKey;
        this.http = http;
    }

    OpenAiSettings settings() {
        return settings;
    }

    JsonHttpClient http() {
        return http;
    }

    ApiRequest get(String path) {
        return authorized(ApiRequest.get(settings.endpoint(path)));
    }

    ApiRequest post(String path, Object body) {
        return authorized(ApiRequest.post(settings.endpoint(path), body));
    }

    /** The ids of the models the server lists ({@code GET /models}), in its order. */
    List<String> modelIds() throws PluginException {
        ApiRequest request = get("models");
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

    private ApiRequest authorized(ApiRequest request) {
        ApiRequest result = request.timeout(settings.timeout());
        Optional<Secret> key = apiKey.get().filter(secret -> !secret.reveal().isBlank());
        if (key.isPresent()) { // local servers need no key: then no Authorization header at all
            result = result.bearer(Secret.of(key.get().reveal().strip()));
        }
        if (!settings.organization().isEmpty()) {
            result = result.header("OpenAI-Organization", settings.organization());
        }
        return result;
    }
}
