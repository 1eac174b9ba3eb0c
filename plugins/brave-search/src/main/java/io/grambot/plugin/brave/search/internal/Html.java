package io.grambot.plugin.brave.search.internal;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Brave's snippets as plain text: tags (its {@code <strong>} highlights) removed, entities decoded, space collapsed. */
final class Html {

    /** Something that looks like a tag: {@code <strong>}, {@code </b>}, {@code <br/>}, {@code <a href="...">}. */
    private static final Pattern TAG = Pattern.compile("<!--.*?-->|</?[A-Za-z][A-Za-z0-9]*(\\s[^<>]*)?/?>",
            Pattern.DOTALL);
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});");
    private static final Pattern SPACE = Pattern.compile("[\\s\\u00A0\\u2028\\u2029]+");
    /**
     * Control and format characters (bidi overrides, soft hyphens, zero-width spaces) a model should not be handed;
     * not the spaces {@link #SPACE} collapses, nor the zero-width joiner inside emoji.
     */
    private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cc}\\p{Cf}&&[^\\s\\u200D]]");

    /** The named entities that show up in snippets; an unknown one is left as it is. */
    private static final Map<String, String> NAMED = Map.ofEntries(Map.entry("amp", "&"), Map.entry("lt", "<"),
            Map.entry("gt", ">"), Map.entry("quot", "\""), Map.entry("apos", "'"), Map.entry("nbsp", " "),
            Map.entry("ndash", "–"), Map.entry("mdash", "—"), Map.entry("hellip", "…"), Map.entry("lsquo", "‘"),
            Map.entry("rsquo", "’"), Map.entry("ldquo", "“"), Map.entry("rdquo", "”"), Map.entry("laquo", "«"),
            Map.entry("raquo", "»"), Map.entry("middot", "·"), Map.entry("bull", "•"), Map.entry("copy", "©"),
            Map.entry("reg", "®"), Map.entry("trade", "™"), Map.entry("deg", "°"), Map.entry("euro", "€"),
            Map.entry("pound", "£"), Map.entry("yen", "¥"), Map.entry("cent", "¢"), Map.entry("sect", "§"),
            Map.entry("para", "¶"), Map.entry("times", "×"), Map.entry("divide", "÷"), Map.entry("shy", ""));

    private Html() {}

    /** The text of an HTML snippet on one line; {@code null} becomes empty. */
    static String text(String html) {
        if (html == null || html.isEmpty()) {
            return "";
        }
        // tags first, so an escaped "&lt;b&gt;" stays visible as the text "<b>"
        String text = decode(TAG.matcher(html).replaceAll(""));
        text = INVISIBLE.matcher(text).replaceAll("");
        return SPACE.matcher(text).replaceAll(" ").strip();
    }

    /** The text with character references ({@code &amp;}, {@code &#39;}, {@code &#x2014;}) decoded. */
    static String decode(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        Matcher entity = ENTITY.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (entity.find()) {
            entity.appendReplacement(out, Matcher.quoteReplacement(character(entity.group(1), entity.group())));
        }
        entity.appendTail(out);
        return out.toString();
    }

    /**
     * A text cut to at most {@code max} characters, at a word break where there is one in its second half, ending in
     * an ellipsis; never between the two halves of a surrogate pair.
     */
    static String cap(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int cut = max - 1;
        int space = text.lastIndexOf(' ', cut);
        if (space > max / 2) {
            cut = space;
        }
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut).stripTrailing() + "…";
    }

    private static String character(String reference, String whole) {
        if (reference.charAt(0) != '#') {
            return NAMED.getOrDefault(reference, whole);
        }
        boolean hex = reference.length() > 1 && (reference.charAt(1) == 'x' || reference.charAt(1) == 'X');
        int codePoint = Integer.parseInt(reference.substring(hex ? 2 : 1), hex ? 16 : 10);
        if (codePoint == 0 || codePoint > Character.MAX_CODE_POINT
                || codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE) {
            return "\uFFFD";
        }
        return new String(Character.toChars(codePoint));
    }
}
