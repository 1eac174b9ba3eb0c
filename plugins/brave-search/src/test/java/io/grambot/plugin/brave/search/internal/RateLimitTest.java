package io.grambot.plugin.brave.search.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RateLimitTest {

    private static final Instant NOW = Instant.parse("2024-07-01T12:00:00Z");

    private static Optional<RateLimit> parse(String... namesAndValues) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
        }
        return RateLimit.from(HttpHeaders.of(map, (name, value) -> true), NOW);
    }

    @Test
    void readsBravesDocumentedHeaders() {
        RateLimit limit = parse("X-RateLimit-Limit", "1, 15000", "X-RateLimit-Policy", "1;w=1, 15000;w=2592000",
                "X-RateLimit-Remaining", "1, 1000", "X-RateLimit-Reset", "1, 1419704").orElseThrow();

        assertThat(limit.windows()).containsExactly(
                new RateLimit.Window(1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                new RateLimit.Window(15000, 1000, Duration.ofSeconds(1419704), Duration.ofSeconds(2592000)));
        assertThat(limit.quota()).contains(limit.windows().get(1));
        assertThat(limit.quotaUsedUp()).isFalse();
        assertThat(limit.untilQuotaReset(NOW.plusSeconds(4))).contains(Duration.ofSeconds(1419700));
        assertThat(limit.describe()).isEqualTo("1 request per second and 15000 per month");
    }

    @Test
    void withoutAPolicyTheLastWindowIsTheMonth() {
        RateLimit limit = parse("x-ratelimit-limit", "20,20000", "x-ratelimit-remaining", "0,5",
                "x-ratelimit-reset", "1,100").orElseThrow();

        assertThat(limit.quota()).contains(new RateLimit.Window(20000, 5, Duration.ofSeconds(100), Duration.ZERO));
        assertThat(limit.describe()).isEqualTo("20 requests and 20000 per month");
        assertThat(limit.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theWaitIsTheExhaustedWindowsResetOrTheQuotasWhenThatIsUsedUp() {
        assertThat(parse("X-RateLimit-Limit", "1, 15000", "X-RateLimit-Remaining", "0, 10", "X-RateLimit-Reset",
                "3, 9000").orElseThrow().retryAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(parse("X-RateLimit-Limit", "1, 15000", "X-RateLimit-Remaining", "0, 10", "X-RateLimit-Reset",
                "0, 9000").orElseThrow().retryAfter()).isEqualTo(Duration.ofSeconds(1));
        RateLimit usedUp = parse("X-RateLimit-Limit", "1, 15000", "X-RateLimit-Remaining", "1, 0",
                "X-RateLimit-Reset", "1, 9000").orElseThrow();
        assertThat(usedUp.quotaUsedUp()).isTrue();
        assertThat(usedUp.retryAfter()).isEqualTo(Duration.ofSeconds(9000));
        // a single window is a rate, not a quota
        RateLimit single = parse("X-RateLimit-Limit", "1", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "2")
                .orElseThrow();
        assertThat(single.quota()).isEmpty();
        assertThat(single.quotaUsedUp()).isFalse();
        assertThat(single.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void headersThatDoNotFitTogetherAreIgnored() {
        assertThat(parse()).isEmpty();
        assertThat(parse("X-RateLimit-Limit", "1, 15000", "X-RateLimit-Remaining", "1", "X-RateLimit-Reset",
                "1, 2")).isEmpty();
        assertThat(parse("X-RateLimit-Limit", "1, lots", "X-RateLimit-Remaining", "1, 2", "X-RateLimit-Reset",
                "1, 2")).isEmpty();
        assertThat(parse("X-RateLimit-Limit", "1, 15000", "X-RateLimit-Remaining", "1, 2")).isEmpty();
        // a policy that does not fit is dropped, not half used
        assertThat(parse("X-RateLimit-Limit", "1, 15000", "X-RateLimit-Policy", "1;w=1", "X-RateLimit-Remaining",
                "1, 2", "X-RateLimit-Reset", "1, 2").orElseThrow().windows())
                .allMatch(window -> window.length().isZero());
    }

    @Test
    void longWaitsReadAsPeopleSayThem() {
        assertThat(RateLimit.describe(Duration.ofSeconds(1419704))).isEqualTo("17 days");
        assertThat(RateLimit.describe(Duration.ofMillis(86_399_900))).isEqualTo("1 day");
        assertThat(RateLimit.describe(Duration.ofHours(5).plusSeconds(1))).isEqualTo("6 hours");
        assertThat(RateLimit.describe(Duration.ofSeconds(61))).isEqualTo("2 minutes");
        assertThat(RateLimit.describe(Duration.ZERO)).isEqualTo("1 minute");
    }
}
