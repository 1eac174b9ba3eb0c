package io.grambot.core.internal.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.grambot.api.runtime.PluginInfo;

/** The create forms from a settings schema, and reading the settings back from what a form posts. */
class NewInstanceFormTest {

    private static final PluginInfo HOOKS = new PluginInfo("webhooks", "Grambot <Webhooks>", "Triggers & actions",
            "webhooks", "io.grambot.plugin.webhooks", 7);

    private static Map<String, Object> schema() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("enabled", Map.of("title", "Enabled", "type", "boolean", "default", true));
        properties.put("path", Map.of("title", "Path", "description", "Where it is <served>", "type", "string",
                "default", "/hooks/${id}"));
        properties.put("secret", Map.of("title", "Secret", "type", "string", "format", "password", "writeOnly", true));
        properties.put("signature", Map.of("title", "Signature", "type", "string", "default", "hmac-sha256",
                "oneOf", List.of(Map.of("const", "header", "title", "Header"),
                        Map.of("const", "hmac-sha256", "title", "HMAC \"SHA-256\""))));
        properties.put("maxAttempts", Map.of("title", "Attempts", "type", "integer", "minimum", 1, "maximum", 10,
                "default", 3));
        properties.put("allowedHosts", Map.of("title", "Hosts", "type", "array", "items", Map.of("type", "string"),
                "default", List.of("a.example", "b.example")));
        properties.put("testUrl", Map.of("title", "Test URL", "type", "string", "format", "uri"));
        properties.put("token", Map.of("title", "Token", "type", "string", "format", "password", "writeOnly", true));
        return Map.of("type", "object", "properties", properties, "required", List.of("token"));
    }

    @Test
    void eachSettingBecomesAnInputWithItsTitleDescriptionAndDefaultAndSecretsAreEmptyPasswordInputs() {
        StringWriter out = new StringWriter();
        NewInstanceForm.render(new PrintWriter(out, true), List.of(HOOKS), id -> schema(), "/system/console/grambot",
                "tok-1");
        String form = out.toString();

        assertThat(form).contains("<summary>Grambot &lt;Webhooks&gt; (<code>webhooks</code>) — Triggers &amp; actions",
                "name=\"action\" value=\"create\"", "name=\"token\" value=\"tok-1\"", "name=\"plugin\" value=\"webhooks\"",
                "name=\"instance\" required=\"required\"");
        assertThat(form).contains("<input type=\"checkbox\" id=\"grambot-new-webhooks-enabled\" name=\"s.enabled\" "
                + "value=\"true\" checked=\"checked\"/>");
        assertThat(form).contains(">Path</label>", "name=\"s.path\" size=\"40\" value=\"/hooks/&#36;{id}\"",
                "Where it is &lt;served&gt;");
        assertThat(form).contains("<input type=\"password\" id=\"grambot-new-webhooks-secret\" name=\"s.secret\" "
                + "autocomplete=\"new-password\" size=\"40\"/>", "never shown again");
        assertThat(form).contains("<input type=\"password\" id=\"grambot-new-webhooks-token\" name=\"s.token\" "
                + "autocomplete=\"new-password\" size=\"40\" required=\"required\"/>", ">Token</label> *");
        assertThat(form).contains("<option value=\"header\">Header</option>",
                "<option value=\"hmac-sha256\" selected=\"selected\">HMAC &#34;SHA-256&#34;</option>");
        assertThat(form).contains("type=\"number\" id=\"grambot-new-webhooks-maxAttempts\" name=\"s.maxAttempts\" "
                + "step=\"1\" min=\"1\" max=\"10\" value=\"3\"");
        assertThat(form).contains("<textarea id=\"grambot-new-webhooks-allowedHosts\" name=\"s.allowedHosts\" rows=\"3\" "
                + "cols=\"40\">a.example\nb.example</textarea>", "One value per line.");
    }

    @Test
    void thePostedSettingsAreReadBackAsTheValidationTakesThem() {
        Map<String, String> posted = Map.of("s.path", "/hooks/orders ", "s.secret", "", "s.signature", "header",
                "s.maxAttempts", "", "s.allowedHosts", " x.example\n\n y.example \n", "s.token", "t0k3n",
                "s.unknown", "ignored", "s.testUrl", "");

        Map<String, Object> values = NewInstanceForm.values(schema(), posted::get);

        // the checkbox was not sent (unchecked); an empty number, an empty secret and an empty text without a
        // default are left to their defaults
        assertThat(values).containsExactly(Map.entry("enabled", "false"), Map.entry("path", "/hooks/orders "),
                Map.entry("signature", "header"), Map.entry("allowedHosts", List.of("x.example", "y.example")),
                Map.entry("token", "t0k3n"));
        assertThat(NewInstanceForm.values(null, posted::get)).isEmpty();
        // a text cleared of its default is kept, empty
        assertThat(NewInstanceForm.values(schema(), Map.of("s.path", "")::get)).containsEntry("path", "");
    }
}
