package io.grambot.plugin.gpt.image.internal;

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

/** Hostile Images API answers: each ends in images or a PluginException. */
class GptImageFuzzTest {

    static final String IMAGES = "{\"created\":1,\"data\":[{\"b64_json\":\"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==\","
            + "\"revised_prompt\":\"a plum\"}],\"usage\":{\"total_tokens\":3}}";

    static FakeServer server;
    static GptImageGenerator generator;

    @BeforeContainer
    static void start() throws Exception {
        server = new FakeServer();
        generator = new GptImageGenerator("fuzz", new GptImageSettings(server.baseUrl() + "/v1", "", "gpt-image-1",
                "auto", "auto", ImageFormat.PNG, "auto", "auto", 4, Duration.ofSeconds(5), 1),
                key -> Optional.of(Secret.of("sk-fuzz-key-0123456789")), HttpLog.NONE, wait -> {});
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    @Provide
    Arbitrary<FakeServer.Answer> answers() {
        return Answers.of(Hostile.json(IMAGES), "application/json");
    }

    @Property
    void aHostileImagesAnswerEndsClearly(@ForAll("answers") FakeServer.Answer answer) {
        server.answer(answer);
        Outcome.endsClearly(() -> generator.generate(new ImageRequest("a plum", null, null, 1, null)));
    }
}
