package io.grambot.core.internal.console;

import org.owasp.encoder.Encode;

/**
 * Escaping for console pages. Besides HTML, a {@code $} is escaped: the web console replaces {@code ${...}} in a
 * page's HTML with its own variables and translations, so a conversation id like {@code ${head.cssLinks}} would
 * otherwise come out as the console's markup.
 */
public final class Html {

    private Html() {}

    /** Text between tags. */
    public static String text(String value) {
        return Encode.forHtml(value == null ? "" : value).replace("$", "&#36;");
    }

    /** A hidden form field. */
    public static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + attribute(name) + "\" value=\"" + attribute(value) + "\"/>";
    }

    /** The value of a double-quoted attribute. */
    public static String attribute(String value) {
        return Encode.forHtmlAttribute(value == null ? "" : value).replace("$", "&#36;");
    }
}
