package io.grambot.api.image;

import io.grambot.api.PluginException;
import org.osgi.annotation.versioning.ConsumerType;

/** An image generation service such as OpenAI's image models or Gemini's. */
@ConsumerType
public interface ImageGenerator {

    /** The id of this generator: the publishing instance's id. */
    String id();

    /** Generates images; a refusal (for example a safety block) is an exception with the provider's reason. */
    ImageResult generate(ImageRequest request) throws PluginException;
}
