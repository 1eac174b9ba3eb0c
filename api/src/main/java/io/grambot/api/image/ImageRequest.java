package io.grambot.api.image;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.grambot.api.Media;

/**
 * What to draw.
 *
 * @param prompt the description of the image
 * @param inputImages images to edit or take as reference; empty to generate from the prompt alone
 * @param size a size such as {@code 1024x1024}, or {@code null} for the generator's default
 * @param count how many images, at least 1
 * @param options generator-specific options (quality, background, output format)
 */
public record ImageRequest(String prompt, List<Media> inputImages, String size, int count, Map<String, Object> options) {

    public ImageRequest {
        Objects.requireNonNull(prompt, "prompt");
        inputImages = inputImages == null ? List.of() : List.copyOf(inputImages);
        options = options == null ? Map.of() : Map.copyOf(options);
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
    }

    public static ImageRequest of(String prompt) {
        return new ImageRequest(prompt, List.of(), null, 1, Map.of());
    }
}
