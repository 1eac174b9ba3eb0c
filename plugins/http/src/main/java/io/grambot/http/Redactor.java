package io.grambot.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Masks known secret values in text: every log line and error message of this package passes through one. It knows
 * the values themselves (not patterns), so a key is masked wherever it shows up: a header, a URL path or query, an
 * echoed error body. A value is also masked in its URL-encoded form.
 */
public final class Redactor {

    /** What a secret is replaced with, as {@code Secret.toString()} shows it. */
    public static final String MASK = "******";

    /** A redactor that knows no secrets. */
    public static final Redactor NONE = new Redactor(List.of());

    private final List<String> secrets; // longest first, so a secret containing another is masked whole

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    /** A redactor for these secret values; {@code null} and empty values are ignored. */
    public static Redactor of(Collection<String> secrets) {
        return NONE.with(secrets);
    }

    /** A redactor that also masks these values. */
    public Redactor with(Collection<String> more) {
        Set<String> all = new LinkedHashSet<>(secrets);
        for (String secret : more) {
            if (secret != null && !secret.isEmpty()) {
                all.add(secret);
                all.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
            }
        }
        if (all.size() == secrets.size()) {
            return this;
        }
        List<String> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return new Redactor(List.copyOf(sorted));
    }

    /** The text with every known secret replaced by {@link #MASK}; {@code null} stays {@code null}. */
    public String redact(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : secrets) {
            if (result.contains(secret)) {
                result = result.replace(secret, MASK);
            }
        }
        return result;
    }

    /**
     * A copy of a failure whose message (and whose causes' messages) are redacted, keeping the stack traces: safe
     * to attach as the cause of an exception that may be logged.
     */
    public Throwable redact(Throwable failure) {
        if (failure == null) {
            return null;
        }
        Throwable cause = failure.getCause() == failure ? null : redact(failure.getCause());
        String message = redact(failure.getMessage());
        Throwable copy = new RedactedFailure(failure.getClass().getName(), message, cause);
        copy.setStackTrace(failure.getStackTrace());
        return copy;
    }

    /** Stands in for a failure whose message was redacted; prints as the original class would. */
    private static final class RedactedFailure extends Exception {

        private static final long serialVersionUID = 1L;

        private final String type;

        RedactedFailure(String type, String message, Throwable cause) {
            super(message, cause);
            this.type = type;
        }

        @Override
        public String toString() {
            String message = getLocalizedMessage();
            return message == null ? type : type + ": " + message;
        }
    }
}
