package io.grambot.plugin.nanobanana.internal;

import java.time.Duration;
import java.util.Optional;

import io.grambot.api.Secret;
import io.grambot.api.image.ImageRequest;
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

/** Hostile generateContent answers: each ends in images or a PluginException. */
class NanoBananaFuzzTest {

    static final String CONTENT = "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"here\"},"
            + "{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==\"}}]},"
            + "\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"totalTokenCount\":3},\"promptFeedback\":{}}";

    static FakeServer server;
    static NanoBananaGenerator generator;

    @BeforeContainer
    static void start() throws Exception {
        server = new FakeServer();
        generator = new NanoBananaGenerator("fuzz", new NanoBananaSettings(server.baseUrl() + "/", "gemini-2.5-flash-image",
                ImageShape.DEFAULT, Duration.ofSeconds(5), 1), key -> Optional.of(Secret.of("AIza-fuzz-key-0123456789")),
                HttpLog.NONE, wait -> {});
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    @Provide
    Arbitrary<FakeServer.Answer> answers() {
        return Answers.of(Hostile.json(CONTENT), "application/json");
    }

    @Property
    void aHostileGenerateContentAnswerEndsClearly(@ForAll("answers") FakeServer.Answer answer) {
        server.answer(answer);
        Outcome.endsClearly(() -> generator.generate(new ImageRequest("a plum", null, null, 1, null)));
    }
}
