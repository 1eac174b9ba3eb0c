package io.grambot.api.action;

import java.util.Map;

/**
 * What an action returns.
 *
 * @param output JSON-like data for the next flow node or a programmatic caller
 * @param text a short human- and model-readable summary, or empty
 */
public record ActionResult(Map<String, Object> output, String text) {

    public ActionResult {
        output = output == null ? Map.of() : Map.copyOf(output);
        text = text == null ? "" : text;
    }

    public static ActionResult of(Map<String, Object> output) {
        return new ActionResult(output, "");
    }
}
