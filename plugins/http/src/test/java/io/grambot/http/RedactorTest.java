package io.grambot.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void masksEveryOccurrenceAndTheUrlEncodedForm() {
        Redactor redactor = Redactor.of(List.of("sk-a+b/c"));

        assertThat(redactor.redact("key sk-a+b/c in ?token=sk-a%2Bb%2Fc and sk-a+b/c"))
                .isEqualTo("key ****** in ?token=****** and ******");
    }

    @Test
    void masksTheLongerSecretWhole() {
        Redactor redactor = Redactor.of(List.of("abc", "abcdef"));

        assertThat(redactor.redact("x abcdef y abc")).isEqualTo("x ****** y ******");
    }

    @Test
    void ignoresEmptyAndNullSecretsAndNullText() {
        Redactor redactor = Redactor.of(java.util.Arrays.asList("", null));

        assertThat(redactor.redact("plain")).isEqualTo("plain");
        assertThat(redactor.redact((String) null)).isNull();
        assertThat(Redactor.NONE.with(List.of("s"))).isNotSameAs(Redactor.NONE);
    }

    @Test
    void redactsFailureMessagesAndCausesKeepingStackTraces() {
        IOException cause = new IOException("token T0K3N refused");
        RuntimeException failure = new RuntimeException("calling /botT0K3N/getMe", cause);

        Throwable copy = Redactor.of(List.of("T0K3N")).redact(failure);

        assertThat(copy.toString()).isEqualTo("java.lang.RuntimeException: calling /bot******/getMe");
        assertThat(copy.getCause().toString()).isEqualTo("java.io.IOException: token ****** refused");
        assertThat(copy.getStackTrace()).isEqualTo(failure.getStackTrace());
    }
}
