package io.grambot.plugin.webhooks.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.grambot.api.PluginException;
import io.grambot.api.action.Action;
import io.grambot.api.action.ActionContext;
import io.grambot.api.action.ActionResult;
import io.grambot.api.action.ActionRetry;
import io.grambot.http.ApiRequest;
import io.grambot.http.ApiResponse;
import io.grambot.http.JsonHttpClient;

/**
 * The {@code http_request} action: one HTTP request to a host the instance allows, with an optional JSON body; its
 * output is {@code {"status", "headers", "body"}} (the body parsed when the answer is JSON, else its text). A 4xx answer
 * (but 408 and 429) fails for good with the server's message; 408, 429, 5xx, a refused or dropped connection and a
 * timeout fail retryably (with the server's {@code Retry-After}), and the core's invoker repeats the attempt as
 * {@link #retry()} says. Redirects are not followed.
 */
final class HttpRequestAction implements Action {

    static final String NAME = "http_request";
    static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
    /** The largest answer read; a larger one fails the attempt. */
    static final long MAX_RESPONSE_BYTES = 10L << 20;

    static final String URL = "url";
    static final String METHOD = "method";
    static final String HEADERS = "headers";
    static final String BODY = "body";
    static final String TIMEOUT_SECONDS = "timeoutSeconds";
    private static final Set<String> FIELDS = Set.of(URL, METHOD, HEADERS, BODY, TIMEOUT_SECONDS);

    private final String instanceId;
    private final WebhookSettings settings;
    private final JsonHttpClient http;
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private final Map<String, Object> inputSchema;

    /** @param http a client that makes one attempt per call: the invoker does the retrying */
    HttpRequestAction(String instanceId, WebhookSettings settings, JsonHttpClient http) {
        this.instanceId = instanceId;
        this.settings = settings;
        this.http = http;
        this.inputSchema = inputSchema(settings);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Sends an HTTP request (GET, POST, PUT, PATCH or DELETE, with an optional JSON body) to "
                + (settings.allowedHosts().isEmpty() ? "no host yet (the instance's allowedHosts setting is empty)"
                        : settings.allowedHosts().any() ? "any host" : "these hosts: " + settings.allowedHosts())
                + ", and returns the answer's status, headers and body (parsed when it is JSON, else text).";
    }

    @Override
    public Map<String, Object> inputSchema() {
        return inputSchema;
    }

    @Override
    public Map<String, Object> outputSchema() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("status", Map.of("type", "integer", "description", "The answer's HTTP status (2xx)."));
        properties.put("headers", Map.of("type", "object", "additionalProperties", Map.of("type", "string"),
                "description", "The answer's headers, names in lower case, repeated values joined with ', '."));
        properties.put("body", Map.of("description", "The answer's body: parsed when it is JSON (a JSON null as "
                + "the text 'null'), else its text (base64 when it is not UTF-8 text, with bodyEncoding 'base64'); "
                + "an empty text when the answer has no body."));
        properties.put("bodyEncoding", Map.of("type", "string", "enum", List.of("base64"),
                "description", "Present only when the body is base64."));
        return Map.of("type", "object", "properties", Collections.unmodifiableMap(properties),
                "required", List.of("status", "headers", "body"));
    }

    @Override
    public ActionRetry retry() {
        return ActionRetry.exponential(settings.maxAttempts());
    }

    @Override
    public Duration timeout() {
        return settings.timeout();
    }

    @Override
    public ActionResult execute(Map<String, Object> payload, ActionContext context) throws PluginException {
        Call call = call(payload == null ? Map.of() : payload);
        ApiResponse response = http.send(call.request());
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("status", response.status());
        output.put("headers", headers(response));
        byte[] bytes = response.body();
        Object body = null;
        if (bytes.length > 0) {
            body = parse(response.contentType(), bytes);
            if (body == null) {
                try {
                    body = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
                } catch (CharacterCodingException binary) {
                    body = Base64.getEncoder().encodeToString(bytes);
                    output.put("bodyEncoding", "base64");
                }
            }
        }
        output.put("body", body == null ? "" : body); // an output holds no null (ActionResult copies it)
        return new ActionResult(output, call.request().method() + " " + call.request().uri() + " answered "
                + response.status() + " (" + bytes.length + (bytes.length == 1 ? " byte)" : " bytes)"));
    }

    /** A checked payload as the request to send. */
    private record Call(ApiRequest request) {}

    /**
     * Checks the payload as the schema does (the invoker has, but the action does not rely on it) and that the URL's
     * host is allowed.
     *
     * @throws PluginException (not retryable) saying what is wrong
     */
    private Call call(Map<String, Object> payload) throws PluginException {
        for (String key : payload.keySet()) {
            if (!FIELDS.contains(key)) {
                throw refused("the payload has an unknown field '" + key + "' (fields: url, method, headers, body, "
                        + "timeoutSeconds)");
            }
        }
        URI uri = uri(payload.get(URL));
        String host = uri.getHost();
        if (settings.allowedHosts().isEmpty()) {
            throw refused("instance '" + instanceId + "' may call no host yet: set its setting 'allowedHosts' to "
                    + "the hosts http_request may call, separated by commas (such as 'api.example.org, "
                    + "*.example.com'; '*' allows every host)");
        }
        if (!settings.allowedHosts().allows(host)) {
            throw refused("the host '" + host + "' is not among the hosts instance '" + instanceId + "' may call ("
                    + settings.allowedHosts() + "): add it to the setting 'allowedHosts'");
        }
        Object methodValue = payload.getOrDefault(METHOD, "POST");
        String method = methodValue instanceof String m ? m.strip().toUpperCase(Locale.ROOT) : "";
        if (!METHODS.contains(method)) {
            throw refused("'method' must be one of " + String.join(", ", METHODS) + ", was '" + methodValue + "'");
        }
        ApiRequest request = ApiRequest.of(method, uri);
        String contentType = null;
        Object headers = payload.get(HEADERS);
        if (headers != null && !(headers instanceof Map<?, ?>)) {
            throw refused("'headers' must be an object of header names and texts, was " + describe(headers));
        }
        if (headers instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> header : map.entrySet()) {
                String name = String.valueOf(header.getKey());
                if (!WebhookSettings.HEADER_NAME.matcher(name).matches()) {
                    throw refused("'" + name + "' in 'headers' is not a header name");
                }
                if (!(header.getValue() instanceof String value) || value.indexOf('\r') >= 0
                        || value.indexOf('\n') >= 0) {
                    throw refused("the header '" + name + "' must be a text on one line, was "
                            + describe(header.getValue()));
                }
                if (name.equalsIgnoreCase("content-type")) {
                    contentType = value;
                } else {
                    request = request.header(name, value);
                }
            }
        }
        if (request.header("Accept").isEmpty()) { // JSON preferred, anything taken
            request = request.header("Accept", "application/json, */*;q=0.8");
        }
        Object body = payload.get(BODY);
        if (body != null) {
            if (method.equals("GET")) {
                throw refused("a GET request has no body: leave 'body' out or use another method");
            }
            request = request.body(bodyBytes(body, contentType), contentType == null ? "application/json"
                    : contentType);
        } else if (contentType != null) {
            request = request.header("Content-Type", contentType);
        }
        return new Call(request.timeout(timeout(payload.get(TIMEOUT_SECONDS))));
    }

    /** A text body as it is when the content type is not JSON; anything else as JSON. */
    private byte[] bodyBytes(Object body, String contentType) throws PluginException {
        if (body instanceof String text && contentType != null && !WebhookServlet.json(contentType)) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw refused("'body' cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    private URI uri(Object value) throws PluginException {
        if (!(value instanceof String text) || text.isBlank()) {
            throw refused("'url' must be an http or https URL, such as 'https://api.example.org/orders', was "
                    + describe(value));
        }
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw refused("'url' is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw refused("'url' must be an http or https URL with a host, such as 'https://api.example.org/orders', "
                    + "was '" + text + "'");
        }
        if (uri.getRawUserInfo() != null) {
            throw refused("'url' must not carry a user name or password: send credentials in a header");
        }
        return uri;
    }

    /** The payload's timeout, at most the action's; the action's when it names none. */
    private Duration timeout(Object value) throws PluginException {
        if (value == null) {
            return settings.timeout();
        }
        if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
                || number.longValue() < 1) {
            throw refused("'timeoutSeconds' must be a whole number of seconds from 1, was " + describe(value));
        }
        Duration asked = Duration.ofSeconds(number.longValue());
        return asked.compareTo(settings.timeout()) < 0 ? asked : settings.timeout();
    }

    /** Headers, names in lower case, repeated values joined. */
    private static Map<String, Object> headers(ApiResponse response) {
        Map<String, Object> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")) { // HTTP/2 pseudo-headers
                headers.put(name.toLowerCase(Locale.ROOT), String.join(", ", values));
            }
        });
        return headers;
    }

    /**
     * The body as JSON when the answer says it is JSON (or says nothing); {@code null} when it is not JSON, or is JSON
     * {@code null} (which the output then carries as the text {@code null}).
     */
    private Object parse(String contentType, byte[] bytes) {
        if (!contentType.isBlank() && !WebhookServlet.json(contentType)) {
            return null;
        }
        try {
            return mapper.readValue(bytes, Object.class);
        } catch (IOException notJson) {
            return null;
        }
    }

    private static PluginException refused(String message) {
        return new PluginException(NAME + ": " + message);
    }

    /** A payload value as an error message shows it: texts quoted (line breaks escaped), others by their kind. */
    private static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof String text) {
            return "'" + text.replace("\r", "\\r").replace("\n", "\\n") + "'";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return value instanceof Map<?, ?> ? "an object" : value instanceof List<?> ? "a list" : "a "
                + value.getClass().getSimpleName();
    }

    private static Map<String, Object> inputSchema(WebhookSettings settings) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(URL, Map.of("type", "string", "format", "uri", "pattern", "^[Hh][Tt][Tt][Pp][Ss]?://",
                "description", "The URL to call, http or https, on a host the instance allows."));
        properties.put(METHOD, Map.of("type", "string", "enum", METHODS, "default", "POST",
                "description", "The HTTP method (default POST)."));
        properties.put(HEADERS, Map.of("type", "object", "additionalProperties", Map.of("type", "string"),
                "description", "Request headers by name. A Content-Type that is not JSON sends a text body as it is."));
        properties.put(BODY, Map.of("description", "The body, any JSON value, sent as JSON (not with GET)."));
        properties.put(TIMEOUT_SECONDS, Map.of("type", "integer", "minimum", 1,
                "maximum", settings.timeout().toSeconds(), "description", "The most this request may take, in "
                        + "seconds (default and at most " + settings.timeout().toSeconds() + ")."));
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", Collections.unmodifiableMap(properties));
        schema.put("required", List.of(URL));
        schema.put("additionalProperties", false);
        return Collections.unmodifiableMap(schema);
    }
}
