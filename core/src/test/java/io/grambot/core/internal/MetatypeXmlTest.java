package io.grambot.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class MetatypeXmlTest {

    /** What bnd writes for an {@code @ObjectClassDefinition} with {@code min}/{@code max} on two attributes. */
    private static final String BND_METATYPE = """
            <?xml version="1.0" encoding="UTF-8"?>
            <metatype:MetaData xmlns:metatype="http://www.osgi.org/xmlns/metatype/v1.4.0" localization="OSGI-INF/l10n/x">
              <OCD id="io.example.Telegram$Config" name="Telegram">
                <AD id="pollTimeout" type="Integer" default="30" min="0" max="50" name="Poll timeout"/>
                <AD id="botToken" type="Password" min="10" name="Bot token"/>
                <AD id="baseUrl" type="String" name="Base URL"/>
              </OCD>
              <OCD id="io.example.Other$Config" name="Other">
                <AD id="pollTimeout" type="Integer" max="5"/>
              </OCD>
              <Designate factoryPid="telegram"><Object ocdref="io.example.Telegram$Config"/></Designate>
            </metatype:MetaData>
            """;

    @Test
    void readsTheBoundsOfTheRequestedDefinitionOnly() throws IOException {
        Optional<Map<String, MetatypeXml.Bounds>> bounds = MetatypeXml.bounds(stream(BND_METATYPE),
                "io.example.Telegram$Config");

        assertThat(bounds).contains(Map.of("pollTimeout", new MetatypeXml.Bounds("0", "50"),
                "botToken", new MetatypeXml.Bounds("10", null)));
        assertThat(MetatypeXml.bounds(stream(BND_METATYPE), "io.example.Other$Config"))
                .contains(Map.of("pollTimeout", new MetatypeXml.Bounds(null, "5")));
    }

    @Test
    void aDocumentWithoutTheDefinitionGivesNothing() throws IOException {
        assertThat(MetatypeXml.bounds(stream(BND_METATYPE), "io.example.Missing")).isEmpty();
    }

    @Test
    void doctypesAreRefused() {
        String withEntity = """
                <?xml version="1.0"?>
                <!DOCTYPE MetaData [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
                <MetaData><OCD id="x"><AD id="a" min="&secret;"/></OCD></MetaData>
                """;

        assertThatThrownBy(() -> MetatypeXml.bounds(stream(withEntity), "x")).isInstanceOf(IOException.class)
                .hasMessageStartingWith("not a metatype document: ");
    }

    private static InputStream stream(String xml) {
        return new ByteArrayInputStream(xml.strip().getBytes(StandardCharsets.UTF_8));
    }
}
