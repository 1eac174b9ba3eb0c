package io.grambot.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(3),
            Duration.ofSeconds(60));

    @Test
    void ceilingDoublesUpToTheCap() {
        assertThat(policy.ceiling(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.ceiling(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.ceiling(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.ceiling(4)).isEqualTo(Duration.ofSeconds(3));
        assertThat(policy.ceiling(1000)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void fullJitterSpreadsBetweenZeroAndTheCeiling() {
        assertThat(policy.backoff(3, 0.0)).isEqualTo(Duration.ZERO);
        assertThat(policy.backoff(3, 0.25)).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.backoff(3, 0.999)).isLessThan(Duration.ofSeconds(2)).isGreaterThan(Duration.ofMillis(1990));
    }

    @Test
    void retriesCountsAttemptsAfterTheFirst() {
        assertThat(RetryPolicy.retries(0).maxAttempts()).isEqualTo(1);
        assertThat(RetryPolicy.retries(3).maxAttempts()).isEqualTo(4);
        assertThat(RetryPolicy.retries(3).baseDelay()).isEqualTo(RetryPolicy.DEFAULT.baseDelay());
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> RetryPolicy.retries(-1)).hasMessage("retries must be 0 or more, was -1");
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("maxAttempts must be at least 1");
        assertThatThrownBy(() -> new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO))
                .hasMessageContaining("baseDelay <= maxDelay");
    }

    @Test
    void retryableStatusesAre408And429And5xx() {
        assertThat(RetryPolicy.retryableStatus(408)).isTrue();
        assertThat(RetryPolicy.retryableStatus(429)).isTrue();
        assertThat(RetryPolicy.retryableStatus(500)).isTrue();
        assertThat(RetryPolicy.retryableStatus(529)).isTrue();
        assertThat(RetryPolicy.retryableStatus(400)).isFalse();
        assertThat(RetryPolicy.retryableStatus(401)).isFalse();
        assertThat(RetryPolicy.retryableStatus(404)).isFalse();
        assertThat(RetryPolicy.retryableStatus(409)).isFalse();
    }
}
