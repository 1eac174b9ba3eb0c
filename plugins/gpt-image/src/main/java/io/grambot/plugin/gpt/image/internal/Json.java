package io.grambot.plugin.gpt.image.internal;

import java.util.Iterator;

import com.fasterxml.jackson.databind.JsonNode;

import io.grambot.http.ApiRequest;
import io.grambot.http.Redactor;

/** Small helpers for reading answers that may not have the expected shape. */
final class Json {

    private static final int EXCERPT = 200;

    private Json() {}

    /** {@link #describe(JsonNode)} with the secrets the request carries masked. */
    static String describe(JsonNode node, ApiRequest request) {
        return Redactor.of(request.secrets()).redact(describe(node));
    }

    /** A short description of a node for an error message: its fields, or an excerpt of its text. */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isObject()) {
            StringBuilder fields = new StringBuilder("an object with fields [");
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                fields.append(names.next()).append(names.hasNext() ? ", " : "");
            }
            return fields.append(']').toString();
        }
        String text = node.toString();
        return (node.isArray() ? "an array: " : "") + (text.length() > EXCERPT ? text.substring(0, EXCERPT) + "…" : text);
    }

    /** The text of a string node, or {@code null} for anything else. */
    static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }
}
