package io.grambot.core.internal.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void secretLookingKeysAreMaskedAtAnyDepth() {
        Map<String, Object> redacted = Redaction.apply(Map.of("apiKey", "k-1", "headers",
                Map.of("Authorization", "Bearer x", "X-Session-Token", "t", "Accept", "json"),
                "users", List.of(Map.of("name", "ann", "password", "hunter2")), "client_secret", "s",
                "tokens_used", 12, "none", new LinkedHashMap<>(Map.of())));

        assertThat(redacted).containsEntry("apiKey", "********").containsEntry("client_secret", "********")
                .containsEntry("headers", Map.of("Authorization", "********", "X-Session-Token", "********",
                        "Accept", "json"))
                .containsEntry("users", List.of(Map.of("name", "ann", "password", "********")))
                .containsEntry("tokens_used", 12); // a count of model tokens, not a token
    }

    @Test
    void longValuesAreCutAndOthersBecomeText() {
        List<Integer> many = IntStream.range(0, 150).boxed().toList();
        Map<String, Object> deep = new LinkedHashMap<>();
        Map<String, Object> at = deep;
        for (int i = 0; i < 12; i++) {
            Map<String, Object> next = new LinkedHashMap<>();
            at.put("d", next);
            at = next;
        }

        Map<String, Object> redacted = Redaction.apply(Map.of("many", many, "deep", deep,
                "when", java.time.Duration.ofSeconds(3)));

        @SuppressWarnings("unchecked")
        List<Object> cut = (List<Object>) redacted.get("many");
        assertThat(cut).hasSize(101).endsWith((Object) "… (cut, 50 more)");
        assertThat(redacted.get("when")).isEqualTo("PT3S");
        Object level = redacted.get("deep");
        List<Object> chain = new ArrayList<>();
        while (level instanceof Map<?, ?> map) {
            chain.add(map);
            level = map.get("d");
        }
        assertThat(level).isEqualTo("… (cut, nested deeper than 10)");
    }
}
