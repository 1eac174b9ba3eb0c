package io.grambot.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * Binary content with its media type: an image given to or made by a model, or a file sent through a connector.
 *
 * @param mediaType for example {@code image/png}
 * @param data the bytes; the record keeps its own copy
 * @param fileName a file name to show, or {@code null}
 */
public record Media(String mediaType, byte[] data, String fileName) {

    public Media {
        Objects.requireNonNull(mediaType, "mediaType");
        data = Objects.requireNonNull(data, "data").clone();
    }

    public Media(String mediaType, byte[] data) {
        this(mediaType, data, null);
    }

    /** A copy of the bytes. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    public int size() {
        return data.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Media m && mediaType.equals(m.mediaType) && Arrays.equals(data, m.data)
                && Objects.equals(fileName, m.fileName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mediaType, Arrays.hashCode(data), fileName);
    }

    @Override
    public String toString() {
        return "Media[" + mediaType + ", " + data.length + " bytes" + (fileName == null ? "" : ", " + fileName) + "]";
    }
}
