package io.grambot.plugin.brave.search.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    void highlightsAndOtherTagsGo() {
        assertThat(Html.text("The <strong>Declarative Services</strong> spec<br/>and <a href=\"https://x\">a "
                + "link</a><!-- note -->.")).isEqualTo("The Declarative Services specand a link.");
    }

    @Test
    void entitiesAreDecodedAfterTheTagsAreGone() {
        assertThat(Html.text("Tom &amp; Jerry &quot;live&quot; &#39;now&#39; &#8212; &#x2014; &hellip;"))
                .isEqualTo("Tom & Jerry \"live\" 'now' — — …");
        // an escaped tag is text the page shows, so it stays
        assertThat(Html.text("use &lt;strong&gt; for bold")).isEqualTo("use <strong> for bold");
        assertThat(Html.text("a < b and c > d")).isEqualTo("a < b and c > d");
        assertThat(Html.text("&unknown; &amp &#0; &#xD800;")).isEqualTo("&unknown; &amp \uFFFD \uFFFD");
    }

    @Test
    void spaceIsCollapsedAndInvisibleCharactersGo() {
        assertThat(Html.text("  one\n\ttwo&nbsp;&nbsp;three\u00A0four \u202Eevil\u200B zero\u00ADsoft ")).isEqualTo(
                "one two three four evil zerosoft");
        assertThat(Html.text("family \uD83D\uDC68\u200D\uD83D\uDC69")).isEqualTo("family \uD83D\uDC68\u200D\uD83D\uDC69");
        assertThat(Html.text(null)).isEmpty();
    }

    @Test
    void capCutsAtAWordBreakWithAnEllipsis() {
        assertThat(Html.cap("short", 10)).isEqualTo("short");
        assertThat(Html.cap("one two three four", 12)).isEqualTo("one two…");
        assertThat(Html.cap("abcdefghijklmnop", 8)).isEqualTo("abcdefg…");
        String emoji = "abcdef\uD83D\uDE00xyz"; // the cut falls between the halves of 😀
        assertThat(Html.cap(emoji, 8)).isEqualTo("abcdef…");
        assertThat(Html.cap("word ".repeat(100).strip(), 300)).hasSizeLessThanOrEqualTo(300).endsWith("word…");
    }
}
