package io.grambot.plugin.telegram.internal;

import static io.grambot.plugin.telegram.internal.FormattedText.BOLD;
import static io.grambot.plugin.telegram.internal.FormattedText.CODE;
import static io.grambot.plugin.telegram.internal.FormattedText.ITALIC;
import static io.grambot.plugin.telegram.internal.FormattedText.PRE;
import static io.grambot.plugin.telegram.internal.FormattedText.STRIKE;
import static io.grambot.plugin.telegram.internal.FormattedText.parseMarkdown;
import static io.grambot.plugin.telegram.internal.FormattedText.render;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.grambot.plugin.telegram.internal.FormattedText.Span;
import io.grambot.plugin.telegram.internal.TelegramSettings.ParseMode;

class FormattedTextTest {

    private static final String ANSWER = "**Hello**, world. 2+2=4 (yes!) snake_case_name, *it* and _it_ `x_y*z` "
            + "[docs](https://e.org/a_(b)) ~~old~~ \\*not italic\\*";

    @Test
    void aModelsMarkdownIsReadIntoSpans() {
        assertThat(parseMarkdown(ANSWER)).containsExactly(
                new Span("Hello", BOLD, null, null),
                Span.plain(", world. 2+2=4 (yes!) snake_case_name, "),
                new Span("it", ITALIC, null, null),
                Span.plain(" and "),
                new Span("it", ITALIC, null, null),
                Span.plain(" "),
                new Span("x_y*z", CODE, null, null),
                Span.plain(" "),
                new Span("docs", 0, "https://e.org/a_(b)", null),
                Span.plain(" "),
                new Span("old", STRIKE, null, null),
                Span.plain(" *not italic*"));
    }

    @Test
    void markdownV2EscapesEverythingButTheEntities() {
        assertThat(render(parseMarkdown(ANSWER), ParseMode.MARKDOWN_V2)).isEqualTo(
                "*Hello*, world\\. 2\\+2\\=4 \\(yes\\!\\) snake\\_case\\_name, _it_ and _it_ `x_y*z` "
                        + "[docs](https://e.org/a_(b\\)) ~old~ \\*not italic\\*");
    }

    @Test
    void everyCharacterTelegramReservesIsEscapedInMarkdownV2() {
        String reserved = "_*[]()~`>#+-=|{}.!\\";

        assertThat(render(FormattedText.plain(reserved), ParseMode.NONE)).isEqualTo(reserved);
        assertThat(FormattedText.escapeMarkdownV2(reserved))
                .isEqualTo("\\_\\*\\[\\]\\(\\)\\~\\`\\>\\#\\+\\-\\=\\|\\{\\}\\.\\!\\\\");
        assertThat(render(List.of(new Span("a`b\\c", CODE, null, null)), ParseMode.MARKDOWN_V2))
                .isEqualTo("`a\\`b\\\\c`");
        assertThat(render(List.of(new Span("x", 0, "https://e.org/p)q\\r", null)), ParseMode.MARKDOWN_V2))
                .isEqualTo("[x](https://e.org/p\\)q\\\\r)");
    }

    @Test
    void htmlEscapesTextAndAttributes() {
        assertThat(render(parseMarkdown(ANSWER), ParseMode.HTML)).isEqualTo("<b>Hello</b>, world. 2+2=4 (yes!) "
                + "snake_case_name, <i>it</i> and <i>it</i> <code>x_y*z</code> <a href=\"https://e.org/a_(b)\">docs</a> "
                + "<s>old</s> *not italic*");
        assertThat(render(parseMarkdown("if a < b && c > \"d\": **<b>**"), ParseMode.HTML))
                .isEqualTo("if a &lt; b &amp;&amp; c &gt; \"d\": <b>&lt;b&gt;</b>");
        assertThat(render(List.of(new Span("x", 0, "https://e.org/?a=1&b=\"2\"", null)), ParseMode.HTML))
                .isEqualTo("<a href=\"https://e.org/?a=1&amp;b=&quot;2&quot;\">x</a>");
    }

    @Test
    void nestedEmphasisIsWrittenProperlyNested() {
        String text = "***both*** and **bold _inner_ bold**";

        assertThat(render(parseMarkdown(text), ParseMode.MARKDOWN_V2)).isEqualTo("*_both_* and *bold _inner_ bold*");
        assertThat(render(parseMarkdown(text), ParseMode.HTML))
                .isEqualTo("<b><i>both</i></b> and <b>bold <i>inner</i> bold</b>");
    }

    @Test
    void codeBlocksKeepTheirLanguageAndOnlyEscapeWhatTheyMust() {
        String text = "Run:\n```python\nprint(\"a_b\")  # `x` <y>\n    indented\n```\nDone.";

        assertThat(parseMarkdown(text)).containsExactly(Span.plain("Run:\n"),
                new Span("print(\"a_b\")  # `x` <y>\n    indented", PRE, null, "python"), Span.plain("\nDone."));
        assertThat(render(parseMarkdown(text), ParseMode.MARKDOWN_V2))
                .isEqualTo("Run:\n```python\nprint(\"a_b\")  # \\`x\\` <y>\n    indented\n```\nDone\\.");
        assertThat(render(parseMarkdown(text), ParseMode.HTML)).isEqualTo("Run:\n<pre><code class=\"language-python\">"
                + "print(\"a_b\")  # `x` &lt;y&gt;\n    indented</code></pre>\nDone.");
        // cut off at the model's token limit: the block runs to the end
        assertThat(parseMarkdown("```\nopen")).containsExactly(new Span("open", PRE, null, null));
        assertThat(render(parseMarkdown("```\nno language\n```"), ParseMode.HTML)).isEqualTo("<pre>no language</pre>");
    }

    @Test
    void headingsBecomeBoldLines() {
        assertThat(render(parseMarkdown("## Plan #\n- step 1\n- step 2"), ParseMode.MARKDOWN_V2))
                .isEqualTo("*Plan*\n\\- step 1\n\\- step 2");
    }

    @Test
    void whatIsNotMarkdownStaysTextAsWritten() {
        String text = "2 * 3 = 6, a*b*c, **not closed, _x, [no](link here), [x](javascript:alert(1)), ~single~, "
                + "`unclosed, 1_000_000";

        assertThat(FormattedText.visible(parseMarkdown(text))).isEqualTo(text);
        assertThat(render(parseMarkdown(text), ParseMode.MARKDOWN_V2)).isEqualTo(FormattedText.escapeMarkdownV2(text));
        assertThat(render(parseMarkdown(text), ParseMode.HTML)).isEqualTo(text);
    }

    @Test
    void emphasisDoesNotCloseInsideCodeOrAcrossLines() {
        assertThat(parseMarkdown("*a `*` b*")).containsExactly(new Span("a ", ITALIC, null, null),
                new Span("*", CODE, null, null), new Span(" b", ITALIC, null, null));
        assertThat(FormattedText.visible(parseMarkdown("**one\ntwo**"))).isEqualTo("**one\ntwo**");
    }
}
