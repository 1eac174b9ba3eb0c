package io.grambot.http;

import static io.grambot.http.FakeServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class MultipartTest {

    private static final byte[] PNG = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0x0d, (byte) 0xff };

    @Test
    void fieldsAndFilesAreEncodedAsRfc7578Says() {
        Multipart form = Multipart.builder("XyZ").field("chat_id", "-100123").field("caption", "Grüße 👋")
                .file("photo", "cat.png", "image/png", PNG).build();

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(("--XyZ\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n-100123\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nGrüße 👋\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"cat.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        expected.writeBytes(PNG);
        expected.writeBytes("\r\n--XyZ--\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(form.body()).isEqualTo(expected.toByteArray());
        assertThat(form.contentType()).isEqualTo("multipart/form-data; boundary=XyZ");
        assertThat(form.parts()).extracting(Multipart.Part::name).containsExactly("chat_id", "caption", "photo");
        assertThat(form.parts().get(2).isFile()).isTrue();
        assertThat(form).hasToString("Multipart[3 parts, " + expected.size() + " bytes]");
    }

    @Test
    void quotesAndLineBreaksInNamesArePercentEncoded() {
        Multipart form = Multipart.builder("b").file("doc", "a\"b\r\nc.txt", "text/plain; charset=utf-8",
                "x".getBytes(StandardCharsets.US_ASCII)).build();

        assertThat(new String(form.body(), StandardCharsets.UTF_8)).contains(
                "Content-Disposition: form-data; name=\"doc\"; filename=\"a%22b%0D%0Ac.txt\"\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\n\r\nx\r\n");
    }

    @Test
    void aRandomBoundaryDiffersPerFormAndNeverOccursInTheContent() {
        Multipart one = Multipart.builder().field("a", "1").build();
        Multipart two = Multipart.builder().field("a", "1").build();

        assertThat(one.boundary()).startsWith("GrambotFormBoundary").hasSize("GrambotFormBoundary".length() + 24)
                .isNotEqualTo(two.boundary());
        assertThat(new String(one.body(), StandardCharsets.US_ASCII))
                .startsWith("--" + one.boundary() + "\r\n").endsWith("--" + one.boundary() + "--\r\n");
        assertThatThrownBy(() -> Multipart.builder("abc").field("text", "say --abc here").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the boundary 'abc' occurs in the form's content");
    }

    @Test
    void badPartsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Multipart.builder("with space ")).hasMessageStartingWith(
                "a multipart boundary must be 1 to 70 characters");
        assertThatThrownBy(() -> Multipart.builder().file("photo", "", "image/png", PNG))
                .hasMessage("the file of part 'photo' needs a file name");
        assertThatThrownBy(() -> Multipart.builder().file("photo", "a.png", "image/png\r\nX-Evil: 1", PNG))
                .hasMessage("the file of part 'photo' needs a media type such as 'image/png', was "
                        + "'image/png\r\nX-Evil: 1'");
        assertThatThrownBy(() -> Multipart.builder().field("", "x")).hasMessage("a form part needs a name");
    }

    @Test
    void theClientSendsAFormWithItsContentType() throws Exception {
        try (FakeServer server = new FakeServer()) {
            server.then(json(200, "{\"ok\":true}")).then(json(200, "{\"ok\":true}"));
            JsonHttpClient client = JsonHttpClient.builder().timeout(Duration.ofSeconds(10)).build();
            Multipart form = Multipart.builder("B0undary").field("chat_id", "7").file("document", "r.txt",
                    "text/plain", "hello".getBytes(StandardCharsets.US_ASCII)).build();

            client.json(ApiRequest.of("POST", server.uri("/upload")).multipart(form));
            client.json(ApiRequest.post(server.uri("/upload"), form)); // not written as JSON

            for (FakeServer.Received received : server.received()) {
                assertThat(received.header("Content-Type")).isEqualTo("multipart/form-data; boundary=B0undary");
                assertThat(received.body()).isEqualTo(new String(form.body(), StandardCharsets.UTF_8));
            }
        }
    }
}
