package io.grambot.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A format or pattern a text setting must follow, which the Metatype annotations cannot say. Put it on a method of
 * the plugin's configuration {@code @interface} (the one its {@code @ObjectClassDefinition} describes), beside
 * {@code @AttributeDefinition}:
 *
 * <pre>
 * &#64;AttributeDefinition(name = "Base URL")
 * &#64;SettingFormat(format = "uri")
 * String baseUrl();
 *
 * &#64;AttributeDefinition(name = "Chat id")
 * &#64;SettingFormat(pattern = "^-?[0-9]+$")
 * String chatId();
 * </pre>
 *
 * The core checks it before an instance starts and publishes it in the plugin's JSON Schema ({@code format},
 * {@code pattern}). For a multi-valued setting it applies to every value.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface SettingFormat {

    /**
     * A JSON Schema format every value must have, or empty for none: {@code uri}, {@code uri-reference},
     * {@code iri}, {@code email}, {@code hostname}, {@code ipv4}, {@code ipv6}, {@code date}, {@code time},
     * {@code date-time}, {@code duration} (ISO 8601, e.g. {@code PT30S}), {@code uuid} or {@code regex}.
     */
    String format() default "";

    /**
     * A regular expression every value must match, or empty for none. As in JSON Schema it is not anchored: write
     * {@code ^...$} to match the whole value.
     */
    String pattern() default "";
}
