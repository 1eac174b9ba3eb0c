package io.grambot.plugin.telegram.internal;

import static io.grambot.plugin.telegram.internal.FormattedText.parseMarkdown;
import static io.grambot.plugin.telegram.internal.FormattedText.render;
import static io.grambot.plugin.telegram.internal.FormattedText.visible;
import static io.grambot.plugin.telegram.internal.MessageSplitter.MESSAGE_LIMIT;
import static io.grambot.plugin.telegram.internal.MessageSplitter.split;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.grambot.plugin.telegram.internal.FormattedText.Span;
import io.grambot.plugin.telegram.internal.TelegramSettings.ParseMode;

class MessageSplitterTest {

    private static String words(int count) {
        return IntStream.range(0, count).mapToObj(i -> "word" + i).collect(Collectors.joining(" "));
    }

    private static List<String> texts(List<List<Span>> parts) {
        return parts.stream().map(FormattedText::visible).toList();
    }

    @Test
    void aShortTextIsOnePart() {
        assertThat(texts(split(FormattedText.plain("  Hello there \n"), MESSAGE_LIMIT))).containsExactly("Hello there");
        assertThat(split(FormattedText.plain(" \n "), MESSAGE_LIMIT)).isEmpty();
    }

    @Test
    void aLongTextIsSplitBetweenWordsAndNothingIsLost() {
        String text = words(1500); // about 13,000 characters

        List<String> parts = texts(split(FormattedText.plain(text), MESSAGE_LIMIT));

        assertThat(parts).hasSize(4).allSatisfy(part -> {
            assertThat(part.length()).isLessThanOrEqualTo(MESSAGE_LIMIT);
            assertThat(part).doesNotStartWith(" ").doesNotEndWith(" ").matches("word[0-9]+( word[0-9]+)*");
        });
        assertThat(String.join(" ", parts)).isEqualTo(text);
        assertThat(parts.get(0).length()).isGreaterThan(MESSAGE_LIMIT - 10); // filled, not cut early
    }

    @Test
    void paragraphsAndLinesAreThePreferredBreaks() {
        String first = "a".repeat(10) + " " + words(300); // ~2,900 characters
        String text = first + "\n\n" + words(200) + "\n" + words(200);

        List<String> parts = texts(split(FormattedText.plain(text), MESSAGE_LIMIT));

        assertThat(parts.get(0)).isEqualTo(first);
        assertThat(parts.get(1)).isEqualTo(words(200) + "\n" + words(200).substring(0, parts.get(1).length()
                - words(200).length() - 1));
        assertThat(String.join("", parts).replaceAll("\\s", "")).isEqualTo(text.replaceAll("\\s", ""));
    }

    @Test
    void aWordLongerThanAMessageIsCut() {
        assertThat(texts(split(FormattedText.plain("x".repeat(5000)), MESSAGE_LIMIT)))
                .containsExactly("x".repeat(4096), "x".repeat(904));
        assertThat(texts(split(FormattedText.plain("see " + "y".repeat(4100)), MESSAGE_LIMIT)))
                .containsExactly("see", "y".repeat(4096), "yyyy");
    }

    @Test
    void lengthsAreUtf16UnitsAndASurrogatePairIsNeverCut() {
        String emoji = "\uD83D\uDE00"; // 😀: two UTF-16 units, as Telegram counts it
        String text = "a" + emoji.repeat(3000);

        List<String> parts = texts(split(FormattedText.plain(text), MESSAGE_LIMIT));

        assertThat(parts).hasSize(2);
        assertThat(parts.get(0)).hasSize(4095).endsWith(emoji);
        assertThat(parts.get(1)).hasSize(6001 - 4095).startsWith(emoji);
        assertThat(String.join("", parts)).isEqualTo(text);
    }

    @Test
    void anEntityCutByABreakIsClosedAndOpenedAgain() {
        String text = "**" + words(700) + "** and `done`";

        List<List<Span>> parts = split(parseMarkdown(text), MESSAGE_LIMIT);

        assertThat(parts).hasSize(2);
        List<String> markdown = parts.stream().map(p -> render(p, ParseMode.MARKDOWN_V2)).toList();
        assertThat(markdown.get(0)).startsWith("*word0 ").endsWith("*").doesNotContain("\\*");
        assertThat(markdown.get(1)).startsWith("*word").endsWith("* and `done`");
        List<String> html = parts.stream().map(p -> render(p, ParseMode.HTML)).toList();
        assertThat(html.get(0)).startsWith("<b>word0 ").endsWith("</b>");
        assertThat(html.get(1)).startsWith("<b>word").endsWith("</b> and <code>done</code>");
        assertThat(parts).allSatisfy(part -> assertThat(visible(part).length()).isLessThanOrEqualTo(MESSAGE_LIMIT));
    }

    @Test
    void aLinkIsKeptWholeWhenABreakBeforeItFits() {
        String before = words(600).substring(0, 4080).strip();
        String text = before + " [click here please](https://example.org/x) end";

        List<List<Span>> parts = split(parseMarkdown(text), MESSAGE_LIMIT);

        assertThat(texts(parts)).containsExactly(before, "click here please end");
        assertThat(render(parts.get(1), ParseMode.MARKDOWN_V2)).isEqualTo("[click here please](https://example.org/x) end");
    }

    @Test
    void aCodeBlockIsSplitBetweenLinesAndKeepsItsIndentation() {
        String code = IntStream.range(0, 400).mapToObj(i -> "    line(" + i + ");").collect(Collectors.joining("\n"));
        List<Span> spans = parseMarkdown("```java\n" + code + "\n```");

        List<List<Span>> parts = split(spans, MESSAGE_LIMIT);

        assertThat(parts).hasSizeGreaterThan(1);
        assertThat(visible(parts.get(1))).startsWith("    line(");
        assertThat(parts.stream().map(p -> render(p, ParseMode.MARKDOWN_V2)))
                .allSatisfy(part -> assertThat(part).startsWith("```java\n    line(").endsWith(");\n```"));
        assertThat(parts.stream().map(FormattedText::visible).collect(Collectors.joining("\n"))).isEqualTo(code);
    }
}
