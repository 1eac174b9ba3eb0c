package io.grambot.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

import org.junit.jupiter.api.Test;

class RequestBodiesTest {

    @Test
    void aBodyWithinTheLimitIsReadWhole() throws Exception {
        RequestBodies.Body body = RequestBodies.read(new ByteArrayInputStream("{\"a\":1}".getBytes()), 7);
        assertThat(body.tooLarge()).isFalse();
        assertThat(new String(body.bytes())).isEqualTo("{\"a\":1}");
        assertThat(body.closeAfterAnswer()).isFalse();
    }

    @Test
    void aLargerBodyIsReadToItsEndAndDropped() throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream(new byte[3_000_000]);
        RequestBodies.Body body = RequestBodies.read(in, 1000);
        assertThat(body.tooLarge()).isTrue();
        assertThat(body.closeAfterAnswer()).isFalse();
        assertThat(in.available()).as("left unread").isZero();
    }

    @Test
    void dropStopsAtItsBoundAndSaysTheConnectionMustClose() throws Exception {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                return len;
            }
        };
        assertThat(RequestBodies.drop(endless, 1_000_000)).isFalse();
        assertThat(RequestBodies.drop(new ByteArrayInputStream(new byte[10]), 1_000_000)).isTrue();
    }
}
