package io.grambot.plugin.brave.search.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.grambot.api.Secret;
import io.grambot.api.tool.ToolContext;
import io.grambot.fuzz.Answers;
import io.grambot.fuzz.FakeServer;
import io.grambot.fuzz.Hostile;
import io.grambot.fuzz.Outcome;
import io.grambot.http.HttpLog;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Hostile web search answers: the tool gives a result (an error result included) or a PluginException. */
class BraveFuzzTest {

    static final String RESULTS = "{\"type\":\"search\",\"query\":{\"original\":\"x\"},\"web\":{\"type\":\"search\","
            + "\"results\":[{\"title\":\"<b>T</b>\",\"url\":\"https://example.com/a\",\"description\":\"D &amp; d\","
            + "\"age\":\"1 day\",\"extra_snippets\":[\"s\"]}]}}";

    static FakeServer server;
    static BraveSearchTool tool;

    @BeforeContainer
    static void start() throws Exception {
        server = new FakeServer();
        tool = new BraveSearchTool("fuzz", new BraveSettings("web_search", server.baseUrl() + "/", 5, "", "", "moderate",
                Duration.ofSeconds(5), 1), key -> Optional.of(Secret.of("BSA-fuzz-key-0123456789")), HttpLog.NONE,
                wait -> {});
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    @Provide
    Arbitrary<FakeServer.Answer> answers() {
        return Answers.of(Hostile.json(RESULTS), "application/json");
    }

    @Property
    void aHostileSearchAnswerEndsClearly(@ForAll("answers") FakeServer.Answer answer) {
        server.answer(answer);
        Outcome.endsClearly(() -> tool.execute(Map.of("query", "plums"), ToolContext.NONE));
    }
}
