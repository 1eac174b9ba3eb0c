package io.grambot.api.inference;

import java.util.Objects;

import io.grambot.api.Media;

/** A part of a message's content: text or an image. */
public sealed interface ContentPart {

    /** Text content. */
    record Text(String text) implements ContentPart {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** An image the model should see. */
    record Image(Media image) implements ContentPart {
        public Image {
            Objects.requireNonNull(image, "image");
        }
    }
}
