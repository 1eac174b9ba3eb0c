package io.grambot.itest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.grambot.api.GrambotPlugin;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.PluginException;
import io.grambot.api.inference.ChatMessage;
import io.grambot.api.inference.ChatRequest;
import io.grambot.api.inference.ChatResponse;
import io.grambot.api.inference.ChatResponse.StopReason;
import io.grambot.api.inference.InferenceProvider;

/**
 * Fixture of {@link EventJournalKillTest}, active only in the forked framework that configures it: a model that
 * appends every message it is asked about to its {@code asked} file, then answers "answer to: &lt;text&gt;" — except
 * that with {@code hold} set it never answers a message whose text is "hold", so a turn is in progress when the
 * framework is killed.
 */
@GrambotPlugin(id = "killmodel", name = "Kill-test model", description = "A model for the kill -9 bot test.")
@Component(configurationPid = "killmodel", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = InferenceProvider.class)
public final class KillTestModel implements InferenceProvider {

    @interface Config {
        String asked();

        boolean hold() default false;
    }

    private final PluginContext context;
    private final Path asked;
    private final boolean hold;
    private final CountDownLatch never = new CountDownLatch(1);

    @Activate
    public KillTestModel(Config config, @Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context) {
        this.context = context;
        this.asked = Path.of(config.asked());
        this.hold = config.hold();
    }

    private synchronized void append(String line) throws IOException {
        Files.write(asked, (line + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    @Override
    public String id() {
        return context.instanceId();
    }

    @Override
    public ChatResponse chat(ChatRequest request) throws PluginException {
        List<ChatMessage> messages = request.messages();
        String text = messages.get(messages.size() - 1).text();
        try {
            append(text);
            if (hold && text.equals("hold")) {
                never.await(); // until the kill
            }
        } catch (IOException e) {
            throw new PluginException("cannot write " + asked + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PluginException("interrupted while holding the turn", e);
        }
        return new ChatResponse("answer to: " + text, List.of(), StopReason.END_TURN, null);
    }
}
