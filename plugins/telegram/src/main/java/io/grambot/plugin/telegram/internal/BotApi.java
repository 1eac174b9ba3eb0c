package io.grambot.plugin.telegram.internal;

import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.grambot.api.PluginException;
import io.grambot.api.Secret;
import io.grambot.http.ApiRequest;
import io.grambot.http.HttpException;
import io.grambot.http.JsonHttpClient;
import io.grambot.http.Multipart;
import io.grambot.http.ProviderError;
import io.grambot.http.Redactor;
import io.grambot.http.RetryAfter;
import io.grambot.http.RetryPolicy;
import io.grambot.http.Sleeper;

/**
 * The Telegram Bot API: {@code POST <baseUrl>/bot<token>/<method>} with a JSON (or, for uploads, multipart) body,
 * answered with {@code {"ok":true,"result":...}} or {@code {"ok":false,"error_code","description","parameters"}}.
 * The token is read for every call and declared a secret of it, so it is masked wherever a URL shows up.
 */
final class BotApi implements AutoCloseable {

    /** Telegram's wait in the body of a 429 ({@code parameters.retry_after}, seconds). */
    static final RetryAfter.Hook RETRY_AFTER = (status, body) -> RetryAfter.seconds(body.at("/parameters/retry_after"));
    private static final Duration QUICK_TIMEOUT = Duration.ofSeconds(10);
    private static final int EXCERPT = 200;

    /** The bot itself, as {@code getMe} describes it. */
    record Identity(long id, String username) {

        /** {@code @username}. */
        String handle() {
            return "@" + username;
        }
    }

    private final String instanceId;
    private final TelegramSettings settings;
    private final Supplier<Optional<Secret>> token;
    private final HttpClient jdk;
    private final JsonHttpClient http;
    private final JsonHttpClient quick;
    private final JsonHttpClient downloads;
    private final Duration quickTimeout;

    /** @param token read for every call, so a token changed in the console applies at once */
    BotApi(String instanceId, TelegramSettings settings, Supplier<Optional<Secret>> token, Log log, Sleeper sleeper) {
        this.instanceId = instanceId;
        this.settings = settings;
        this.token = token;
        // one JDK client (one selector thread) for all three; redirects are never followed, they would carry the token
        this.jdk = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        ObjectMapper mapper = new ObjectMapper();
        this.http = client(mapper, settings.maxRetries(), settings.timeout(), log, sleeper).build();
        this.quickTimeout = settings.timeout().compareTo(QUICK_TIMEOUT) < 0 ? settings.timeout() : QUICK_TIMEOUT;
        this.quick = client(mapper, 0, quickTimeout, log, sleeper).build();
        this.downloads = client(mapper, settings.maxRetries(), settings.timeout(), log, sleeper)
                .maxBodyBytes(Math.max(1, settings.maxDownloadBytes())).build();
    }

    private JsonHttpClient.Builder client(ObjectMapper mapper, int retries, Duration timeout, Log log,
            Sleeper sleeper) {
        return JsonHttpClient.builder().httpClient(jdk).mapper(mapper).retry(RetryPolicy.retries(retries))
                .timeout(timeout).log(log.http()).sleeper(sleeper).retryAfterHook(RETRY_AFTER)
                .errorParser(ProviderError.Parser.STANDARD).userAgent("Grambot-Telegram");
    }

    ObjectNode object() {
        return http.mapper().createObjectNode();
    }

    ObjectMapper mapper() {
        return http.mapper();
    }

    /** Calls a method with these parameters and returns its {@code result}. */
    JsonNode call(String method, ObjectNode parameters) throws PluginException {
        ApiRequest request = request(method, parameters);
        return result(http.json(request), request);
    }

    /** As {@link #call}, once and with a short timeout: for what is not worth waiting for (a chat action). */
    JsonNode quickCall(String method, ObjectNode parameters) throws PluginException {
        ApiRequest request = request(method, parameters);
        return result(quick.json(request), request);
    }

    /** Uploads a form ({@code sendPhoto}, {@code sendDocument}) and returns the {@code result}. */
    JsonNode upload(String method, Multipart form) throws PluginException {
        ApiRequest request = ApiRequest.of("POST", uri(method)).secret(secret()).multipart(form);
        return result(http.json(request), request);
    }

    /** {@code getMe}: who the token belongs to. */
    Identity getMe() throws PluginException {
        ApiRequest request = request("getMe", object());
        JsonNode me = result(http.json(request), request);
        if (!me.path("id").canConvertToLong() || !me.path("username").isTextual()) {
            throw malformed("a user with 'id' and 'username'", me, request);
        }
        return new Identity(me.get("id").asLong(), me.get("username").asText());
    }

    /** {@code getMe} at start, with the quick client: a start does not wait out a long outage. */
    Identity getMeQuickly() throws PluginException {
        ApiRequest request = request("getMe", object());
        JsonNode me = result(quick.json(request), request);
        if (!me.path("id").canConvertToLong() || !me.path("username").isTextual()) {
            throw malformed("a user with 'id' and 'username'", me, request);
        }
        return new Identity(me.get("id").asLong(), me.get("username").asText());
    }

    /** {@code deleteWebhook}, keeping the updates Telegram holds (they are fetched by polling next). */
    void deleteWebhook(boolean quickly) throws PluginException {
        ApiRequest request = request("deleteWebhook", object().put("drop_pending_updates", false));
        result((quickly ? quick : http).json(request), request);
    }

    /** {@code setWebhook}: Telegram posts updates to {@code url} with {@code secretToken} in a header. */
    void setWebhook(URI url, Secret secretToken, List<String> allowedUpdates) throws PluginException {
        ObjectNode parameters = object().put("url", url.toString()).put("secret_token", secretToken.reveal())
                .put("drop_pending_updates", false);
        allowedUpdates.forEach(parameters.putArray("allowed_updates")::add);
        ApiRequest request = request("setWebhook", parameters).secret(secretToken);
        result(quick.json(request), request);
    }

    /** {@code getWebhookInfo}. */
    JsonNode getWebhookInfo() throws PluginException {
        return call("getWebhookInfo", object());
    }

    /**
     * {@code getUpdates}: the updates from {@code offset} on, waiting up to {@code timeout} for the first.
     *
     * @param offset the first update wanted; empty for the oldest Telegram still holds
     * @param limit 1 to 100
     * @param quickly with the quick client (no retries), for the check at start
     */
    List<JsonNode> getUpdates(OptionalLong offset, Duration timeout, int limit, List<String> allowedUpdates,
            boolean quickly) throws PluginException {
        ObjectNode parameters = object();
        offset.ifPresent(o -> parameters.put("offset", o));
        parameters.put("limit", limit).put("timeout", timeout.toSeconds());
        allowedUpdates.forEach(parameters.putArray("allowed_updates")::add);
        // the long poll itself, plus the usual time for the answer
        ApiRequest request = request("getUpdates", parameters).timeout(timeout.plus(quickly ? quickTimeout
                : settings.timeout()));
        JsonNode result = result((quickly ? quick : http).json(request), request);
        if (!result.isArray()) {
            throw malformed("a list of updates", result, request);
        }
        return List.copyOf(iterable(result.elements()));
    }

    /** A file's {@code file_path} and {@code file_size} ({@code getFile}). */
    JsonNode getFile(String fileId) throws PluginException {
        ApiRequest request = request("getFile", object().put("file_id", fileId));
        JsonNode file = result(http.json(request), request);
        if (!file.path("file_path").isTextual()) {
            throw malformed("a file with 'file_path'", file, request);
        }
        return file;
    }

    /** The bytes of a file {@code getFile} named, at most {@code maxDownloadBytes}. */
    byte[] download(String filePath) throws PluginException {
        Secret secret = secret();
        URI uri;
        try {
            uri = URI.create(settings.fileUrl(secret.reveal(), filePath));
        } catch (IllegalArgumentException e) {
            throw new PluginException("Telegram named a file path that is not part of a URL: "
                    + Redactor.of(List.of(secret.reveal())).redact(excerpt(filePath)));
        }
        return downloads.send(ApiRequest.get(uri).secret(secret).header("Accept", "*/*")).body();
    }

    private ApiRequest request(String method, ObjectNode parameters) throws PluginException {
        return ApiRequest.post(uri(method), parameters).secret(secret());
    }

    private URI uri(String method) throws PluginException {
        Secret secret = secret();
        try {
            return URI.create(settings.methodUrl(secret.reveal(), method));
        } catch (IllegalArgumentException e) { // its message would show the token
            throw new PluginException("the bot token of instance '" + instanceId + "' has characters that cannot be "
                    + "part of a URL; a token from @BotFather looks like 123456789:AAE...");
        }
    }

    /** Fails if there is no token, before anything is sent. */
    void checkToken() throws PluginException {
        secret();
    }

    private Secret secret() throws PluginException {
        Optional<Secret> value = token.get().filter(s -> !s.reveal().isBlank());
        if (value.isEmpty()) {
            throw new PluginException("instance '" + instanceId + "' has no bot token: set 'botToken' to the token "
                    + "@BotFather gave for the bot");
        }
        return Secret.of(value.get().reveal().strip());
    }

    /** The {@code result} of a Telegram answer, or the error it reports. */
    private JsonNode result(JsonNode root, ApiRequest request) throws PluginException {
        if (root.path("ok").asBoolean(false) && root.has("result")) {
            return root.get("result");
        }
        Optional<ProviderError> error = root.path("ok").isBoolean() ? ProviderError.Parser.STANDARD.parse(root)
                : Optional.empty();
        if (error.isPresent()) { // Telegram answers errors with their status; this is a 2xx that says ok=false
            Redactor redactor = Redactor.of(request.secrets());
            ProviderError e = new ProviderError(redactor.redact(error.get().message()), error.get().code());
            int code = root.path("error_code").asInt(0);
            throw new HttpException(request + " answered with an error: " + e.message(), code,
                    RetryPolicy.retryableStatus(code), RETRY_AFTER.retryAfter(code, root).orElse(null), null, e);
        }
        throw malformed("{\"ok\":true,\"result\":...}", root, request);
    }

    static PluginException malformed(String expected, JsonNode found, ApiRequest request) {
        String text = found == null ? "nothing" : found.toString();
        return new PluginException("expected " + expected + " in the answer of " + request + ", found "
                + Redactor.of(request.secrets()).redact(excerpt(text)));
    }

    private static String excerpt(String text) {
        return text.length() > EXCERPT ? text.substring(0, EXCERPT) + "…" : text;
    }

    private static <T> List<T> iterable(Iterator<T> items) {
        List<T> list = new java.util.ArrayList<>();
        items.forEachRemaining(list::add);
        return list;
    }

    /**
     * Ends the JDK client's threads now (Java 21 and later; on 17 they end once the client is unreferenced). A long
     * poll in flight is abandoned.
     */
    @Override
    public void close() {
        try {
            Method shutdownNow = HttpClient.class.getMethod("shutdownNow");
            shutdownNow.invoke(jdk);
        } catch (NoSuchMethodException java17) {
            // nothing to close on Java 17
        } catch (ReflectiveOperationException | RuntimeException e) {
            // closing is best effort
        }
    }
}
