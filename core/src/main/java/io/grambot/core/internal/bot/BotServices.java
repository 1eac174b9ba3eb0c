package io.grambot.core.internal.bot;

import java.util.Collection;

import io.grambot.api.image.ImageGenerator;
import io.grambot.api.inference.InferenceProvider;
import io.grambot.api.tool.Tool;

/** The services a bot turn looks up when it runs: the core's registries, or fakes in tests. */
public interface BotServices {

    /** The inference provider of an instance, or {@code null} if it is not running. */
    InferenceProvider provider(String instanceId);

    /** The tool of that name, or {@code null}. */
    Tool tool(String name);

    /**
     * The state of an inference provider instance that is configured but not running (for example
     * {@code "failed"} or {@code "disabled"}), or {@code null} if no such instance is configured.
     */
    String providerState(String instanceId);

    /** Every tool there is. */
    Collection<Tool> tools();

    /** The image generator of an instance, or {@code null} if it is not running. */
    ImageGenerator imageGenerator(String instanceId);
}
