package io.grambot.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class RetryAfterTest {

    private final Clock clock = Clock.fixed(Instant.parse("2015-10-21T07:28:00Z"), ZoneOffset.UTC);

    @Test
    void readsSeconds() {
        assertThat(RetryAfter.parse("120", clock)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", clock)).contains(Duration.ZERO);
    }

    @Test
    void readsHttpDatesInAllThreeFormsRelativeToTheClock() {
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:30 GMT", clock)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Wednesday, 21-Oct-15 07:29:00 GMT", clock)).contains(Duration.ofMinutes(1));
        assertThat(RetryAfter.parse("Wed Oct 21 07:28:05 2015", clock)).contains(Duration.ofSeconds(5));
    }

    @Test
    void aDateInThePastMeansNoWait() {
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", clock)).contains(Duration.ZERO);
    }

    @Test
    void ignoresWhatItCannotRead() {
        assertThat(RetryAfter.parse("soon", clock)).isEmpty();
        assertThat(RetryAfter.parse("-5", clock)).isEmpty();
        assertThat(RetryAfter.parse("", clock)).isEmpty();
        assertThat(RetryAfter.parse("99999999999999999999999", clock)).isEmpty();
    }

    @Test
    void millisecondHeaderWinsOverSeconds() {
        HttpHeaders headers = HttpHeaders.of(Map.of("Retry-After", List.of("3"), "retry-after-ms", List.of("1500.2")),
                (a, b) -> true);

        assertThat(RetryAfter.fromHeaders(headers, clock)).contains(Duration.ofMillis(1501));
        assertThat(RetryAfter.fromHeaders(HttpHeaders.of(Map.of("retry-after", List.of("3")), (a, b) -> true), clock))
                .contains(Duration.ofSeconds(3));
        assertThat(RetryAfter.fromHeaders(HttpHeaders.of(Map.of(), (a, b) -> true), clock)).isEmpty();
    }

    @Test
    void readsSecondsFromJson() throws Exception {
        ObjectMapper mapper = new ObjectMapper();

        assertThat(RetryAfter.seconds(mapper.readTree("{\"retry_after\":5}").get("retry_after")))
                .isEqualTo(Optional.of(Duration.ofSeconds(5)));
        assertThat(RetryAfter.seconds(mapper.readTree("0.25"))).contains(Duration.ofMillis(250));
        assertThat(RetryAfter.seconds(mapper.readTree("\"5\""))).isEmpty();
        assertThat(RetryAfter.seconds(null)).isEmpty();
    }
}
