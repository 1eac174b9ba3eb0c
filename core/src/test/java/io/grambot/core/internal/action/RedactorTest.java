package io.grambot.core.internal.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RedactorTest {

    private final Set<String> secrets = new HashSet<>();
    private final Redactor redactor = new Redactor(() -> secrets);

    @Test
    void keysThatLookSecretAreMaskedWhateverTheirCase() {
        for (String key : List.of("password", "Password", "db_passwd", "clientSecret", "token", "refresh_token",
                "apiKey", "api_key", "x-api-key", "APIKEY", "Authorization", "sshKey", "key", "KEY", "credentials",
                "private.key")) {
            assertThat(Redactor.secretKey(key)).as(key).isTrue();
        }
        for (String key : List.of("monkey", "hockey", "keyboard", "text", "keys", "author", "url")) {
            assertThat(Redactor.secretKey(key)).as(key).isFalse();
        }
    }

    @Test
    void anyStringEqualToOrContainingASecretValueIsMaskedWhole() {
        secrets.add("zq9-hidden-value-77");
        secrets.add("abc"); // too short to search for

        Map<String, Object> redacted = redactor.payload(Map.of("text", "Bearer zq9-hidden-value-77 please",
                "list", List.of("zq9-hidden-value-77", "fine", "abc"), "array", new String[] { "x", "zq9-hidden-value-77" },
                "zq9-hidden-value-77", "as a key", "flag", true, "none", Map.of()));

        assertThat(redacted).isEqualTo(Map.of("text", "********", "list", List.of("********", "fine", "abc"),
                "array", List.of("x", "********"), "********", "as a key", "flag", true, "none", Map.of()));
    }

    @Test
    void aNumericSecretIsMaskedInNumbersToo() {
        secrets.add("12345678");

        assertThat(redactor.payload(Map.of("pin", 12345678L, "other", 42))).isEqualTo(Map.of("pin", "********",
                "other", 42));
    }

    @Test
    void longStringsAndListsAreCut() {
        Map<String, Object> redacted = redactor.payload(Map.of("text", "y".repeat(2_000),
                "items", Arrays.asList(new Integer[250])));

        assertThat((String) redacted.get("text")).hasSize(Redactor.MAX_STRING + "…(2000 chars)".length())
                .endsWith("…(2000 chars)");
        assertThat((List<?>) redacted.get("items")).hasSize(Redactor.MAX_ENTRIES + 1).last()
                .isEqualTo("…(150 more items)");
    }

    @Test
    void textsHaveOnlyTheSecretMaskedAndAreCut() {
        secrets.add("sk-ant-0123");
        secrets.add("sk-ant-0123-longer");

        assertThat(redactor.text("401: key sk-ant-0123-longer refused; sk-ant-0123 too"))
                .isEqualTo("401: key ******** refused; ******** too");
        assertThat(redactor.text("z".repeat(5_000))).hasSize(Redactor.MAX_TEXT + "…(5000 chars)".length());
        assertThat(redactor.text(null)).isEmpty();
    }
}
