package io.grambot.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A {@code multipart/form-data} body (RFC 7578): text fields and files, for uploads such as Telegram's
 * {@code sendPhoto} or an image edit. Immutable; send it with {@link ApiRequest#multipart(Multipart)}.
 *
 * <pre>
 * Multipart form = Multipart.builder().field("chat_id", "42").file("photo", "cat.png", "image/png", bytes).build();
 * ApiRequest.of("POST", uri).multipart(form)
 * </pre>
 *
 * Names and file names are written as browsers write them: UTF-8 in a quoted string, with {@code "}, CR and LF
 * percent-encoded.
 */
public final class Multipart {

    private static final String BOUNDARY_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    /** RFC 2046: 1 to 70 characters of this set, not ending with a space. */
    private static final Pattern BOUNDARY = Pattern.compile("[0-9A-Za-z'()+_,./:=?-]{1,70}");
    private static final Pattern MEDIA_TYPE = Pattern.compile("[!#$&^_.+0-9A-Za-z-]+/[!#$&^_.+0-9A-Za-z-]+"
            + "(\\s*;\\s*[!#$&^_.+0-9A-Za-z-]+=(\"[^\"\\r\\n]*\"|[!#$&^_.+0-9A-Za-z-]+))*");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One part: a text field ({@code fileName} and {@code mediaType} are {@code null}) or a file. */
    public record Part(String name, String fileName, String mediaType, byte[] data) {

        public Part {
            Objects.requireNonNull(name, "name");
            data = Objects.requireNonNull(data, "data").clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        public boolean isFile() {
            return fileName != null;
        }
    }

    private final String boundary;
    private final List<Part> parts;
    private final byte[] body;

    private Multipart(String boundary, List<Part> parts, byte[] body) {
        this.boundary = boundary;
        this.parts = parts;
        this.body = body;
    }

    /** A form with a random boundary. */
    public static Builder builder() {
        return new Builder(null);
    }

    /**
     * A form with this boundary (tests compare bytes with it).
     *
     * @throws IllegalArgumentException if it is not a valid boundary (RFC 2046: 1 to 70 characters of
     *         {@code 0-9A-Za-z'()+_,-./:=?})
     */
    public static Builder builder(String boundary) {
        if (boundary == null || !BOUNDARY.matcher(boundary).matches()) {
            throw new IllegalArgumentException("a multipart boundary must be 1 to 70 characters of 0-9A-Za-z'()+_,-./:=?"
                    + ", was '" + boundary + "'");
        }
        return new Builder(boundary);
    }

    /** {@code multipart/form-data; boundary=...}: the request's {@code Content-Type}. */
    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    public String boundary() {
        return boundary;
    }

    public List<Part> parts() {
        return parts;
    }

    /** The encoded body; a copy. */
    public byte[] body() {
        return body.clone();
    }

    @Override
    public String toString() {
        return "Multipart[" + parts.size() + " parts, " + body.length + " bytes]";
    }

    /** Collects the parts of a form in order. */
    public static final class Builder {

        private final String boundary;
        private final List<Part> parts = new ArrayList<>();

        private Builder(String boundary) {
            this.boundary = boundary;
        }

        /** A text field, sent as UTF-8. */
        public Builder field(String name, String value) {
            Objects.requireNonNull(value, "value");
            parts.add(new Part(checkName(name), null, null, value.getBytes(StandardCharsets.UTF_8)));
            return this;
        }

        /**
         * A file.
         *
         * @param fileName the name the receiver sees; must not be empty
         * @param mediaType its {@code Content-Type}, for example {@code image/png}
         */
        public Builder file(String name, String fileName, String mediaType, byte[] data) {
            if (fileName == null || fileName.isEmpty()) {
                throw new IllegalArgumentException("the file of part '" + name + "' needs a file name");
            }
            if (mediaType == null || !MEDIA_TYPE.matcher(mediaType).matches()) {
                throw new IllegalArgumentException("the file of part '" + name + "' needs a media type such as "
                        + "'image/png', was '" + mediaType + "'");
            }
            parts.add(new Part(checkName(name), fileName, mediaType, data));
            return this;
        }

        /**
         * The form.
         *
         * @throws IllegalArgumentException if a fixed boundary occurs in a part's content
         */
        public Multipart build() {
            List<Part> all = List.copyOf(parts);
            if (boundary != null) {
                if (occurs(boundary, all)) {
                    throw new IllegalArgumentException("the boundary '" + boundary + "' occurs in the form's content");
                }
                return new Multipart(boundary, all, encode(boundary, all));
            }
            String chosen;
            do { // 24 random characters make a collision practically impossible; checked anyway
                chosen = "GrambotFormBoundary" + random(24);
            } while (occurs(chosen, all));
            return new Multipart(chosen, all, encode(chosen, all));
        }

        private static String checkName(String name) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("a form part needs a name");
            }
            return name;
        }
    }

    private static byte[] encode(String boundary, List<Part> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part part : parts) {
            StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(escape(part.name())).append('"');
            if (part.isFile()) {
                head.append("; filename=\"").append(escape(part.fileName())).append("\"\r\n")
                        .append("Content-Type: ").append(part.mediaType());
            }
            head.append("\r\n\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(part.data);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** As the WHATWG form encoding escapes a name in a quoted string. */
    static String escape(String text) {
        return text.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static boolean occurs(String boundary, List<Part> parts) {
        byte[] needle = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        for (Part part : parts) {
            // headers cannot hold it: names are written without line breaks, and a delimiter starts a line
            if (indexOf(part.data, needle) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String random(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(BOUNDARY_CHARS.charAt(RANDOM.nextInt(BOUNDARY_CHARS.length())));
        }
        return text.toString();
    }
}
