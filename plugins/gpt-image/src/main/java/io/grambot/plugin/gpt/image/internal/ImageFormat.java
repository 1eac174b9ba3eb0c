package io.grambot.plugin.gpt.image.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The image file formats OpenAI's image models write and read: their API names, media types and magic bytes. */
enum ImageFormat {

    PNG("png", "image/png", "png"),
    JPEG("jpeg", "image/jpeg", "jpg"),
    WEBP("webp", "image/webp", "webp");

    /** The name in the API ({@code output_format}) and in the settings. */
    final String setting;
    final String mediaType;
    final String extension;

    ImageFormat(String setting, String mediaType, String extension) {
        this.setting = setting;
        this.mediaType = mediaType;
        this.extension = extension;
    }

    /**
     * The format an {@code output_format} value names; {@code jpg} is taken for {@code jpeg}.
     *
     * @param what the setting or option, for the message: {@code setting 'outputFormat'}
     * @throws IllegalArgumentException if it names none of them
     */
    static ImageFormat of(String value, String what) {
        String name = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (name.equals("jpg")) {
            return JPEG;
        }
        return Arrays.stream(values()).filter(format -> format.setting.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(what + " must be one of " + names() + ", was '"
                        + value + "'"));
    }

    /** The format a media type names, such as {@code image/png} (parameters and case ignored). */
    static Optional<ImageFormat> ofMediaType(String mediaType) {
        if (mediaType == null) {
            return Optional.empty();
        }
        String type = mediaType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (type.equals("image/jpg")) {
            return Optional.of(JPEG);
        }
        return Arrays.stream(values()).filter(format -> format.mediaType.equals(type)).findFirst();
    }

    /** The format the bytes are in, by their magic numbers, if it is one of these. */
    static Optional<ImageFormat> sniff(byte[] data) {
        if (startsWith(data, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (startsWith(data, 0, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(data, 0, 'R', 'I', 'F', 'F') && startsWith(data, 8, 'W', 'E', 'B', 'P')) {
            return Optional.of(WEBP);
        }
        return Optional.empty();
    }

    /** {@code 'png', 'jpeg', 'webp'}. */
    static String names() {
        return Arrays.stream(values()).map(format -> "'" + format.setting + "'").collect(Collectors.joining(", "));
    }

    private static boolean startsWith(byte[] data, int offset, int... magic) {
        if (data.length < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((data[offset + i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
