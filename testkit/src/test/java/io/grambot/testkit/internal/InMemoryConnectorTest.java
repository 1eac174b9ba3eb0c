package io.grambot.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.grambot.api.connector.IncomingMessage;
import io.grambot.api.connector.OutgoingMessage;

class InMemoryConnectorTest {

    private final List<Map<String, Object>> emitted = new ArrayList<>();
    private final InMemoryConnector connector = new InMemoryConnector("chat-1", (type, payload) -> {
        assertThat(type).isEqualTo(IncomingMessage.EVENT_TYPE);
        emitted.add(payload);
    });

    @Test
    void aReceivedMessageIsEmittedAsAMessageEvent() throws Exception {
        IncomingMessage message = new IncomingMessage("room", "m1", "ada", "Ada", "hello", List.of());

        connector.receive(message);

        assertThat(emitted).singleElement().satisfies(p -> assertThat(IncomingMessage.fromPayload(p))
                .isEqualTo(message));
    }

    @Test
    void awaitingAnswersReturnsOnceEnoughWereSentToThatConversation() throws Exception {
        CompletableFuture<List<OutgoingMessage>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return connector.awaitSent("room", 2, Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        connector.send(OutgoingMessage.text("room", "one"));
        connector.send(OutgoingMessage.text("elsewhere", "not this one"));
        connector.send(OutgoingMessage.text("room", "two"));

        assertThat(waiting.get(10, TimeUnit.SECONDS)).extracting(OutgoingMessage::text).containsExactly("one", "two");
        assertThat(connector.sent("elsewhere")).extracting(OutgoingMessage::text).containsExactly("not this one");
    }

    @Test
    void tooFewAnswersFailWithWhatWasSent() {
        connector.send(OutgoingMessage.text("room", "only one"));

        assertThatThrownBy(() -> connector.awaitSent("room", 2, Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class)
                .hasMessage("connector 'chat-1': expected 2 message(s) sent to conversation 'room' within 50 ms, "
                        + "found 1: [only one]");
    }
}
