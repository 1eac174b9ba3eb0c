package io.grambot.plugin.telegram.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text with formatting, as a list of {@link Span}s: what a model writes in Markdown, read once, then written in
 * Telegram's MarkdownV2 or HTML with everything else escaped, so Telegram never refuses it for a stray {@code .} or
 * {@code <}. Understood: {@code **bold**}, {@code __bold__}, {@code *italic*}, {@code _italic_}, {@code ~~strike~~},
 * {@code `code`}, fenced code blocks with a language, {@code [text](https://...)} links, {@code # headings} (as bold
 * lines) and backslash escapes. Emphasis does not span lines, and {@code _} inside a word ({@code snake_case}) is
 * text. Everything else stays text as written.
 */
final class FormattedText {

    static final int BOLD = 1;
    static final int ITALIC = 2;
    static final int STRIKE = 4;
    static final int CODE = 8;
    static final int PRE = 16;

    /** MarkdownV2's characters that must be escaped outside code (and {@code \} itself). */
    private static final String MARKDOWN_V2_SPECIAL = "_*[]()~`>#+-=|{}.!\\";
    private static final Pattern FENCE = Pattern.compile(" {0,3}(`{3,}|~{3,})\\s*([^`\\s]*)[^`]*");
    private static final Pattern HEADING = Pattern.compile(" {0,3}#{1,6}\\s+(.*?)(\\s+#+)?\\s*");
    private static final Pattern LINK_URL = Pattern.compile("(?i)(https?://|tg://|mailto:)\\S+");
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z0-9_+#.-]{1,32}");

    /**
     * A piece of text with one formatting.
     *
     * @param text the visible text
     * @param styles {@link #BOLD}, {@link #ITALIC}, {@link #STRIKE}, or {@link #CODE} or {@link #PRE} alone
     * @param url the link's target, or {@code null}
     * @param language a code block's language, or {@code null}
     */
    record Span(String text, int styles, String url, String language) {

        Span {
            Objects.requireNonNull(text, "text");
        }

        static Span plain(String text) {
            return new Span(text, 0, null, null);
        }

        boolean code() {
            return (styles & (CODE | PRE)) != 0;
        }

        boolean sameFormat(Span other) {
            return styles == other.styles && Objects.equals(url, other.url) && Objects.equals(language, other.language);
        }

        Span withText(String value) {
            return new Span(value, styles, url, language);
        }
    }

    private FormattedText() {}

    /** The text as one unformatted span. */
    static List<Span> plain(String text) {
        return text.isEmpty() ? List.of() : List.of(Span.plain(text));
    }

    /** The visible text of spans: what Telegram counts. */
    static String visible(List<Span> spans) {
        StringBuilder text = new StringBuilder();
        spans.forEach(span -> text.append(span.text()));
        return text.toString();
    }

    // ---------------------------------------------------------------- reading Markdown

    /** Reads a model's Markdown. */
    static List<Span> parseMarkdown(String markdown) {
        String[] lines = markdown.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                spans.add(Span.plain("\n"));
            }
            Matcher fence = FENCE.matcher(lines[i]);
            if (fence.matches()) {
                String marker = fence.group(1);
                Pattern closing = Pattern.compile(" {0,3}\\" + marker.charAt(0) + "{"
                        + marker.length() + ",}\\s*");
                int end = i + 1;
                while (end < lines.length && !closing.matcher(lines[end]).matches()) {
                    end++;
                }
                // an unclosed block (an answer cut off at its token limit) runs to the end
                String code = String.join("\n", java.util.Arrays.asList(lines).subList(i + 1,
                        Math.min(end, lines.length)));
                if (!code.isEmpty()) {
                    String language = LANGUAGE.matcher(fence.group(2)).matches() ? fence.group(2) : null;
                    spans.add(new Span(code, PRE, null, language));
                }
                i = Math.min(end, lines.length - 1);
                continue;
            }
            Matcher heading = HEADING.matcher(lines[i]);
            if (heading.matches()) {
                inline(heading.group(1), BOLD, spans);
            } else {
                inline(lines[i], 0, spans);
            }
        }
        return merge(spans);
    }

    private static void inline(String s, int styles, List<Span> out) {
        StringBuilder text = new StringBuilder();
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < n && isAsciiPunctuation(s.charAt(i + 1))) {
                text.append(s.charAt(i + 1));
                i += 2;
                continue;
            }
            if (c == '`') {
                int run = run(s, i, '`');
                int close = closingBackticks(s, i + run, run);
                if (close >= 0) {
                    String code = s.substring(i + run, close);
                    if (code.length() > 1 && code.startsWith(" ") && code.endsWith(" ") && !code.isBlank()) {
                        code = code.substring(1, code.length() - 1);
                    }
                    flush(text, styles, out);
                    out.add(new Span(code, CODE, null, null)); // code is never part of another entity
                    i = close + run;
                } else {
                    text.append(s, i, i + run);
                    i += run;
                }
                continue;
            }
            if (c == '[') {
                int[] link = link(s, i);
                if (link != null) {
                    flush(text, styles, out);
                    String label = unescape(s.substring(i + 1, link[0]));
                    String url = s.substring(link[0] + 2, link[1]).strip();
                    out.add(new Span(label, styles, url, null));
                    i = link[1] + 1;
                    continue;
                }
            }
            if (c == '*' || c == '_' || c == '~') {
                int run = run(s, i, c);
                int style = c == '~' ? (run == 2 ? STRIKE : 0)
                        : run == 1 ? ITALIC : run == 2 ? BOLD : run == 3 ? BOLD | ITALIC : 0;
                boolean opens = style != 0 && i + run < n && !Character.isWhitespace(s.charAt(i + run))
                        && (i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1)));
                int close = opens ? closingDelimiter(s, i + run, c, run) : -1;
                if (close >= 0) {
                    flush(text, styles, out);
                    inline(s.substring(i + run, close), styles | style, out);
                    i = close + run;
                } else {
                    text.append(s, i, i + run);
                    i += run;
                }
                continue;
            }
            text.append(c);
            i++;
        }
        flush(text, styles, out);
    }

    private static void flush(StringBuilder text, int styles, List<Span> out) {
        if (text.length() > 0) {
            out.add(new Span(text.toString(), styles, null, null));
            text.setLength(0);
        }
    }

    private static int run(String s, int from, char c) {
        int end = from;
        while (end < s.length() && s.charAt(end) == c) {
            end++;
        }
        return end - from;
    }

    /** Where a run of exactly {@code run} backticks starts, from {@code from} on, or -1. */
    private static int closingBackticks(String s, int from, int run) {
        int i = from;
        while (i < s.length()) {
            if (s.charAt(i) == '`') {
                int length = run(s, i, '`');
                if (length == run) {
                    return i;
                }
                i += length;
            } else {
                i++;
            }
        }
        return -1;
    }

    /** Where the delimiter run closing an emphasis starts, or -1. */
    private static int closingDelimiter(String s, int from, char c, int run) {
        int i = from;
        while (i < s.length()) {
            char at = s.charAt(i);
            if (at == '\\') {
                i += 2;
                continue;
            }
            if (at == '`') { // a delimiter inside code does not close
                int length = run(s, i, '`');
                int close = closingBackticks(s, i + length, length);
                i = close >= 0 ? close + length : i + length;
                continue;
            }
            if (at == c) {
                int length = run(s, i, c);
                int after = i + length;
                if (length == run && i > from && !Character.isWhitespace(s.charAt(i - 1))
                        && (after == s.length() || !Character.isLetterOrDigit(s.charAt(after)))) {
                    return i;
                }
                i += length;
                continue;
            }
            i++;
        }
        return -1;
    }

    /** {@code [label](url)} at {@code open}: the indexes of {@code ]} and of the closing {@code )}, or null. */
    private static int[] link(String s, int open) {
        int close = -1;
        for (int i = open + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                return null;
            } else if (c == ']') {
                close = i;
                break;
            }
        }
        if (close <= open + 1 || close + 1 >= s.length() || s.charAt(close + 1) != '(') {
            return null;
        }
        int depth = 0;
        for (int i = close + 2; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                if (depth == 0) {
                    String url = s.substring(close + 2, i).strip();
                    return LINK_URL.matcher(url).matches() ? new int[] { close, i } : null;
                }
                depth--;
            } else if (Character.isWhitespace(c)) {
                return null; // no titles: "[a](url "title")" stays text
            }
        }
        return null;
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && isAsciiPunctuation(text.charAt(i + 1))) {
                c = text.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    private static boolean isAsciiPunctuation(char c) {
        return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~';
    }

    /** Joins neighbours with the same format (code blocks stay apart). */
    static List<Span> merge(List<Span> spans) {
        List<Span> merged = new ArrayList<>();
        for (Span span : spans) {
            if (span.text().isEmpty()) {
                continue;
            }
            int last = merged.size() - 1;
            if (last >= 0 && (span.styles() & PRE) == 0 && merged.get(last).sameFormat(span)) {
                merged.set(last, span.withText(merged.get(last).text() + span.text()));
            } else {
                merged.add(span);
            }
        }
        return List.copyOf(merged);
    }

    // ---------------------------------------------------------------- writing for Telegram

    /** Spans in the given parse mode: as plain text, MarkdownV2 or HTML. */
    static String render(List<Span> spans, TelegramSettings.ParseMode mode) {
        return switch (mode) {
            case NONE -> visible(spans);
            case MARKDOWN_V2 -> new Writer(true).write(spans);
            case HTML -> new Writer(false).write(spans);
        };
    }

    /** Writes spans with entities properly nested: a stack of open styles, closed as far as the next span needs. */
    private static final class Writer {

        private static final int LINK = 32;
        private static final int[] ORDER = { LINK, BOLD, ITALIC, STRIKE };

        private final boolean markdown;
        private final StringBuilder out = new StringBuilder();
        private final List<Integer> open = new ArrayList<>();
        private String openUrl;
        private boolean italicMarkerLast;

        Writer(boolean markdown) {
            this.markdown = markdown;
        }

        String write(List<Span> spans) {
            for (Span span : spans) {
                if (span.code()) {
                    closeFrom(0);
                    code(span);
                    continue;
                }
                int want = span.styles() | (span.url() != null ? LINK : 0);
                int keep = 0;
                while (keep < open.size() && (want & open.get(keep)) != 0
                        && (open.get(keep) != LINK || span.url().equals(openUrl))) {
                    keep++;
                }
                closeFrom(keep);
                int have = 0;
                for (int style : open) {
                    have |= style;
                }
                for (int style : ORDER) {
                    if ((want & style) != 0 && (have & style) == 0) {
                        if (style == LINK) {
                            openUrl = span.url();
                        }
                        marker(style, true);
                        open.add(style);
                    }
                }
                text(span.text());
            }
            closeFrom(0);
            return out.toString();
        }

        private void closeFrom(int index) {
            while (open.size() > index) {
                marker(open.remove(open.size() - 1), false);
            }
        }

        private void marker(int style, boolean opening) {
            if (markdown) {
                if (style == ITALIC && italicMarkerLast) {
                    out.append('\r'); // "__" would be underline; Telegram ignores \r between them
                }
                switch (style) {
                    case BOLD -> out.append('*');
                    case ITALIC -> out.append('_');
                    case STRIKE -> out.append('~');
                    default -> out.append(opening ? "[" : "](" + escapeUrl(openUrl) + ")");
                }
                italicMarkerLast = style == ITALIC;
            } else {
                String tag = switch (style) {
                    case BOLD -> "b";
                    case ITALIC -> "i";
                    case STRIKE -> "s";
                    default -> "a";
                };
                if (opening && style == LINK) {
                    out.append("<a href=\"").append(escapeHtml(openUrl, true)).append("\">");
                } else {
                    out.append(opening ? "<" : "</").append(tag).append('>');
                }
            }
        }

        private void text(String text) {
            italicMarkerLast = false;
            out.append(markdown ? escapeMarkdownV2(text) : escapeHtml(text, false));
        }

        private void code(Span span) {
            italicMarkerLast = false;
            boolean pre = (span.styles() & PRE) != 0;
            String language = span.language() == null ? "" : span.language();
            if (markdown) {
                String code = escapeCode(span.text());
                out.append(pre ? "```" + language + "\n" + code + "\n```" : "`" + code + "`");
            } else if (pre) {
                String code = escapeHtml(span.text(), false);
                out.append(language.isEmpty() ? "<pre>" + code + "</pre>"
                        : "<pre><code class=\"language-" + language + "\">" + code + "</code></pre>");
            } else {
                out.append("<code>").append(escapeHtml(span.text(), false)).append("</code>");
            }
        }
    }

    /** Text outside entities in MarkdownV2: each of {@code _*[]()~`>#+-=|{}.!\} escaped with {@code \}. */
    static String escapeMarkdownV2(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (MARKDOWN_V2_SPECIAL.indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Inside MarkdownV2 code: {@code `} and {@code \} escaped. */
    static String escapeCode(String text) {
        return text.replace("\\", "\\\\").replace("`", "\\`");
    }

    /** Inside a MarkdownV2 link's (...): {@code )} and {@code \} escaped. */
    static String escapeUrl(String url) {
        return url.replace("\\", "\\\\").replace(")", "\\)");
    }

    /** Telegram's HTML knows only &lt; &gt; &amp; &quot;. */
    static String escapeHtml(String text, boolean attribute) {
        String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return attribute ? escaped.replace("\"", "&quot;") : escaped;
    }
}
