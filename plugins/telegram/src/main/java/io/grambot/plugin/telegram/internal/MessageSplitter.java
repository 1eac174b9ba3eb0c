package io.grambot.plugin.telegram.internal;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;

import io.grambot.plugin.telegram.internal.FormattedText.Span;

/**
 * Splits formatted text into messages of at most {@code limit} visible characters, counted in UTF-16 code units as
 * Telegram counts them (after entity parsing: markup and escapes do not count). It breaks, by preference, between
 * paragraphs, between lines, between words; inside a link or inline code only if nothing else fits; inside a word
 * only when one word is longer than a message (never inside a character or a surrogate pair). Each part is written on
 * its own, so an entity cut by a break is closed in one part and opened again in the next.
 */
final class MessageSplitter {

    /** {@code sendMessage}: 1 to 4096 characters after entity parsing. */
    static final int MESSAGE_LIMIT = 4096;
    /** {@code caption} of a photo or document: 0 to 1024 characters after entity parsing. */
    static final int CAPTION_LIMIT = 1024;

    private MessageSplitter() {}

    static List<List<Span>> split(List<Span> spans, int limit) {
        if (limit < 2) {
            throw new IllegalArgumentException("limit must be at least 2, was " + limit);
        }
        String text = FormattedText.visible(spans);
        int length = text.length();
        // where each position lies: in a code block (keep its indentation) or an atom (link, inline code)
        boolean[] pre = new boolean[length];
        boolean[] atom = new boolean[length];
        int position = 0;
        for (Span span : spans) {
            boolean isPre = (span.styles() & FormattedText.PRE) != 0;
            boolean isAtom = span.url() != null || (span.styles() & FormattedText.CODE) != 0;
            for (int i = 0; i < span.text().length(); i++) {
                pre[position + i] = isPre;
                atom[position + i] = isAtom && i > 0;
            }
            position += span.text().length();
        }
        BreakIterator characters = BreakIterator.getCharacterInstance();
        characters.setText(text);

        List<List<Span>> parts = new ArrayList<>();
        int start = skipSpace(text, 0, pre);
        while (start < length) {
            int end;
            int next;
            if (length - start <= limit) {
                end = length;
                next = length;
            } else {
                end = breakBefore(text, start, start + limit, atom, characters);
                next = Character.isWhitespace(text.charAt(end)) && !pre[end] ? skipSpace(text, end, pre)
                        : end < length && text.charAt(end) == '\n' ? end + 1 : end;
            }
            int trimmed = end;
            while (trimmed > start && Character.isWhitespace(text.charAt(trimmed - 1))) {
                trimmed--;
            }
            if (trimmed > start) {
                parts.add(slice(spans, start, trimmed));
            }
            start = next > start ? next : end;
        }
        return List.copyOf(parts);
    }

    /** The end of a part that starts at {@code start} and may not reach past {@code max}. */
    private static int breakBefore(String text, int start, int max, boolean[] atom, BreakIterator characters) {
        int half = start + (max - start) / 2;
        int paragraph = text.lastIndexOf("\n\n", max - 1);
        if (paragraph > half) {
            return paragraph;
        }
        int line = text.lastIndexOf('\n', max);
        if (line > half) {
            return line;
        }
        for (int i = max; i > start; i--) {
            if (Character.isWhitespace(text.charAt(i)) && !atom[i]) {
                return i;
            }
        }
        for (int i = max; i > start; i--) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        // one word longer than a message: cut it, at a character boundary
        int cut = characters.isBoundary(max) ? max : characters.preceding(max);
        if (cut <= start) {
            cut = Character.isLowSurrogate(text.charAt(max)) && Character.isHighSurrogate(text.charAt(max - 1))
                    ? max - 1 : max;
        }
        return cut;
    }

    /** Past whitespace, but not into a code block's indentation (there only the line break is skipped). */
    private static int skipSpace(String text, int from, boolean[] pre) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            if (pre[i]) {
                return text.charAt(i) == '\n' ? i + 1 : i;
            }
            i++;
        }
        return i;
    }

    /** The spans of the visible range [from, to). */
    static List<Span> slice(List<Span> spans, int from, int to) {
        List<Span> part = new ArrayList<>();
        int position = 0;
        for (Span span : spans) {
            int end = position + span.text().length();
            int a = Math.max(from, position);
            int b = Math.min(to, end);
            if (a < b) {
                part.add(span.withText(span.text().substring(a - position, b - position)));
            }
            position = end;
        }
        return List.copyOf(part);
    }
}
