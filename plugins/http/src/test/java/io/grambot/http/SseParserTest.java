package io.grambot.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.grambot.api.PluginException;

class SseParserTest {

    private final List<SseEvent> events = new ArrayList<>();
    private final List<String> comments = new ArrayList<>();
    private final SseParser parser = new SseParser(new SseListener() {
        @Override
        public void onEvent(SseEvent event) {
            events.add(event);
        }

        @Override
        public void onComment(String comment) {
            comments.add(comment);
        }
    });

    @Test
    void joinsDataLinesAndReadsTypeAndId() throws PluginException {
        parser.feed("event: delta\nid: 7\ndata: first\ndata:second\ndata:  third\n\n");

        assertThat(events).containsExactly(new SseEvent("delta", "first\nsecond\n third", "7"));
    }

    @Test
    void typeIsMessageWhenNotGivenAndDoesNotCarryOver() throws PluginException {
        parser.feed("event: ping\ndata: a\n\ndata: b\n\n");

        assertThat(events).extracting(SseEvent::type).containsExactly("ping", "message");
    }

    @Test
    void lastEventIdCarriesOverAndIdWithNulIsIgnored() throws PluginException {
        parser.feed("id: 1\ndata: a\n\ndata: b\n\nid: x\0y\ndata: c\n\nid\ndata: d\n\n");

        assertThat(events).extracting(SseEvent::id).containsExactly("1", "1", "1", "");
        assertThat(parser.lastEventId()).isEmpty();
    }

    @Test
    void commentsAreReportedAndNotEvents() throws PluginException {
        parser.feed(": keep-alive\n:OPENROUTER PROCESSING\ndata: x\n\n");

        assertThat(comments).containsExactly("keep-alive", "OPENROUTER PROCESSING");
        assertThat(events).extracting(SseEvent::data).containsExactly("x");
    }

    @Test
    void fieldWithoutColonAndEmptyDataCountAsData() throws PluginException {
        parser.feed("data\n\ndata:\ndata:\n\n");

        assertThat(events).extracting(SseEvent::data).containsExactly("", "\n");
    }

    @Test
    void eventWithoutDataIsNotDispatchedAndUnknownFieldsAndRetryAreIgnored() throws PluginException {
        parser.feed("event: lonely\nretry: 1000\nfoo: bar\n\ndata: after\n\n");

        assertThat(events).containsExactly(new SseEvent("message", "after", ""));
    }

    @Test
    void acceptsCrLfAndCrAndLfLineEndsMixed() throws PluginException {
        parser.feed("data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r");

        assertThat(events).extracting(SseEvent::data).containsExactly("a\nb\nc", "d");
    }

    @Test
    void leadingByteOrderMarkIsSkippedOnceOnly() throws PluginException {
        parser.feed("\uFEFFdata: a\n\n");
        parser.feed("\uFEFFdata: b\n\n"); // not at the start of the stream: part of the field name, so ignored

        assertThat(events).extracting(SseEvent::data).containsExactly("a");
    }

    @Test
    void incompleteEventAtTheEndIsDiscarded() throws PluginException {
        parser.feed("data: complete\n\ndata: incomplete\n");
        parser.finish();

        assertThat(events).extracting(SseEvent::data).containsExactly("complete");
    }

    @Test
    void givesTheSameEventsHoweverTheTextIsSplit() throws PluginException {
        String stream = ": hello\r\nevent: a\r\nid: 1\r\ndata: {\"x\": \"é€😀\"}\r\ndata: second line\r\n\r\n"
                + "data: two\rdata: parts\r\rdata: [DONE]\n\n";
        List<SseEvent> expected = parseWhole(stream);
        assertThat(expected).hasSize(3);

        for (int i = 0; i <= stream.length(); i++) {
            for (int j = i; j <= stream.length(); j += 7) {
                List<SseEvent> got = new ArrayList<>();
                SseParser split = new SseParser(got::add);
                split.feed(stream.substring(0, i));
                split.feed(stream.substring(i, j));
                split.feed(stream.substring(j));
                assertThat(got).as("split at %d and %d", i, j).isEqualTo(expected);
            }
        }
        List<SseEvent> oneByOne = new ArrayList<>();
        SseParser single = new SseParser(oneByOne::add);
        for (char c : stream.toCharArray()) {
            single.feed(String.valueOf(c));
        }
        assertThat(oneByOne).isEqualTo(expected);
    }

    @Test
    void aListenerFailureStopsTheParser() {
        SseParser failing = new SseParser(event -> {
            throw new PluginException("stop at " + event.data());
        });

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> failing.feed("data: 1\n\ndata: 2\n\n"))
                .hasMessage("stop at 1");
    }

    private static List<SseEvent> parseWhole(String stream) throws PluginException {
        List<SseEvent> got = new ArrayList<>();
        new SseParser(got::add).feed(stream);
        return got;
    }
}
