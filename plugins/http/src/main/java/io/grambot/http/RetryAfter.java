package io.grambot.http;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/** How long a service asked its client to wait before trying again. */
public final class RetryAfter {

    /** IMF-fixdate, and the obsolete RFC 850 and asctime forms a recipient must still accept (RFC 9110, 5.6.7). */
    private static final List<DateTimeFormatter> HTTP_DATES = List.of(
            DateTimeFormatter.RFC_1123_DATE_TIME,
            new DateTimeFormatterBuilder().appendPattern("EEEE, dd-MMM-").appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
                    .appendPattern(" HH:mm:ss zzz").toFormatter(Locale.US),
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC));

    private RetryAfter() {}

    /**
     * Finds a wait a service put in its answer's body, which the standard headers do not cover; for example
     * Telegram's {@code {"parameters":{"retry_after":5}}}: {@code body -> RetryAfter.seconds(body.at("/parameters/retry_after"))}.
     * Its result wins over the headers.
     */
    @FunctionalInterface
    public interface Hook {

        /** Reads nothing from the body. */
        Hook NONE = (status, body) -> Optional.empty();

        /**
         * @param status the answer's HTTP status
         * @param body the answer's body as JSON, or a missing node when it is not JSON
         */
        Optional<Duration> retryAfter(int status, JsonNode body);
    }

    /**
     * The wait asked for in the headers: {@code retry-after-ms} (milliseconds, sent by OpenAI) or {@code Retry-After}
     * (seconds, or an HTTP-date relative to {@code clock}); a date in the past is a zero wait.
     */
    public static Optional<Duration> fromHeaders(HttpHeaders headers, Clock clock) {
        Optional<Duration> millis = headers.firstValue("retry-after-ms").flatMap(RetryAfter::milliseconds);
        return millis.isPresent() ? millis : headers.firstValue("retry-after").flatMap(v -> parse(v, clock));
    }

    /** A {@code Retry-After} value: delay-seconds or an HTTP-date (RFC 9110), relative to {@code clock}. */
    public static Optional<Duration> parse(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        if (trimmed.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(trimmed)));
            } catch (NumberFormatException tooLarge) {
                return Optional.empty();
            }
        }
        for (DateTimeFormatter format : HTTP_DATES) {
            try {
                Instant at = ZonedDateTime.parse(trimmed, format).toInstant();
                Duration wait = Duration.between(clock.instant(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notThisFormat) {
                // try the next one
            }
        }
        return Optional.empty();
    }

    /** A JSON number of seconds (integer or fractional) as a wait, or empty when the node is not a number. */
    public static Optional<Duration> seconds(JsonNode node) {
        if (node == null || !node.isNumber() || node.asDouble() < 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis((long) Math.ceil(node.asDouble() * 1000)));
    }

    private static Optional<Duration> milliseconds(String value) {
        try {
            double millis = Double.parseDouble(value.trim());
            return millis >= 0 && Double.isFinite(millis) ? Optional.of(Duration.ofMillis((long) Math.ceil(millis)))
                    : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
