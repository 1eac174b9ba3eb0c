package io.grambot.api.image;

import java.util.List;

import io.grambot.api.Media;

/**
 * Generated images.
 *
 * @param images the images, each with its media type
 * @param text any text the generator returned with them, or empty
 */
public record ImageResult(List<Media> images, String text) {

    public ImageResult {
        images = List.copyOf(images);
        text = text == null ? "" : text;
    }
}
