package io.grambot.http;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A successful (2xx) answer, read whole.
 *
 * @param status the HTTP status
 * @param headers the answer's headers
 * @param body the bytes of the body; the record keeps its own copy
 */
public record ApiResponse(int status, HttpHeaders headers, byte[] body) {

    public ApiResponse {
        Objects.requireNonNull(headers, "headers");
        body = Objects.requireNonNull(body, "body").clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body as UTF-8 text. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The {@code Content-Type} header, or empty. */
    public String contentType() {
        return headers.firstValue("content-type").orElse("");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ApiResponse r && status == r.status && headers.equals(r.headers)
                && Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, headers, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "ApiResponse[" + status + ", " + contentType() + ", " + body.length + " bytes]";
    }
}
