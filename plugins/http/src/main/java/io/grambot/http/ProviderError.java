package io.grambot.http;

import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The error a service reported in its answer's body, in its own words.
 *
 * @param message the service's message, for example {@code Incorrect API key provided}
 * @param code the service's error type or code, for example {@code authentication_error}, or {@code null}
 */
public record ProviderError(String message, String code) {

    public ProviderError {
        Objects.requireNonNull(message, "message");
    }

    /** Reads a service's error from a JSON answer body. */
    @FunctionalInterface
    public interface Parser {

        /**
         * Understands the usual shapes: {@code {"error":{"message","type","code"}}} (OpenAI, Anthropic and most
         * compatible servers), {@code {"error":"text"}}, {@code {"ok":false,"description","error_code"}} (Telegram),
         * {@code {"message"}} and {@code {"detail"}} (text, or a list of {@code {"msg"}}).
         */
        Parser STANDARD = ProviderError::standard;

        /** The error in {@code body}, or empty if the body does not carry one this parser understands. */
        Optional<ProviderError> parse(JsonNode body);
    }

    private static Optional<ProviderError> standard(JsonNode body) {
        if (body == null || !body.isObject()) {
            return Optional.empty();
        }
        JsonNode error = body.get("error");
        if (error != null && error.isObject()) {
            String message = text(error.get("message"));
            String code = text(error.get("code"));
            if (code == null) {
                code = text(error.get("type"));
            }
            if (message != null) {
                return Optional.of(new ProviderError(message, code));
            }
            if (code != null) {
                return Optional.of(new ProviderError(code, code));
            }
        }
        String text = text(error);
        if (text != null) {
            return Optional.of(new ProviderError(text, null));
        }
        String description = text(body.get("description"));
        if (description != null) {
            return Optional.of(new ProviderError(description, text(body.get("error_code"))));
        }
        String message = text(body.get("message"));
        if (message != null) {
            return Optional.of(new ProviderError(message, text(body.get("code"))));
        }
        JsonNode detail = body.get("detail");
        if (detail != null && detail.isArray() && !detail.isEmpty()) {
            StringBuilder joined = new StringBuilder();
            for (JsonNode item : detail) {
                String msg = item.isObject() ? text(item.get("msg")) : text(item);
                if (msg != null) {
                    joined.append(joined.length() == 0 ? "" : "; ").append(msg);
                }
            }
            return joined.length() == 0 ? Optional.empty() : Optional.of(new ProviderError(joined.toString(), null));
        }
        return Optional.ofNullable(text(detail)).map(d -> new ProviderError(d, null));
    }

    /** A scalar node's text, or {@code null} for a missing, null, empty or structured node. */
    private static String text(JsonNode node) {
        if (node == null || !node.isValueNode() || node.isNull()) {
            return null;
        }
        String text = node.asText();
        return text.isBlank() ? null : text;
    }
}
