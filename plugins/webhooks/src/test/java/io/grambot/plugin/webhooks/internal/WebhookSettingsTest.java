package io.grambot.plugin.webhooks.internal;

import static io.grambot.plugin.webhooks.internal.Configs.config;
import static io.grambot.plugin.webhooks.internal.Configs.settings;
import static io.grambot.plugin.webhooks.internal.Configs.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.grambot.plugin.webhooks.internal.WebhookSettings.Signature;

class WebhookSettingsTest {

    private static String problem(Object... values) {
        return catchThrowableOfType(IllegalArgumentException.class, () -> settings(values(values))).getMessage();
    }

    @Test
    void theDefaultsServeAtHooksInstanceIdAndAllowNoHost() {
        WebhookSettings settings = settings(Map.of());

        assertThat(settings).isEqualTo(new WebhookSettings("/hooks/hooks", Signature.HEADER, 1 << 20,
                List.of("content-type", "user-agent", "x-request-id", "x-github-event", "x-github-delivery"),
                settings.allowedHosts(), 3, Duration.ofSeconds(30), Optional.empty()));
        assertThat(settings.allowedHosts().isEmpty()).isTrue();
    }

    @Test
    void everySettingIsRead() {
        WebhookSettings settings = settings(values("path", "/in/github/", "signature", "hmac-sha256",
                "maxBodyBytes", 4096, "forwardHeaders", "X-GitHub-Event,X-GitHub-Delivery", "allowedHosts",
                "api.github.com", "maxAttempts", 1, "timeoutSeconds", 5, "testUrl", "https://api.github.com/zen"));

        assertThat(settings.path()).isEqualTo("/in/github");
        assertThat(settings.signature()).isEqualTo(Signature.HMAC_SHA256);
        assertThat(settings.maxBodyBytes()).isEqualTo(4096);
        assertThat(settings.forwardHeaders()).containsExactly("x-github-event", "x-github-delivery");
        assertThat(settings.allowedHosts().allows("api.github.com")).isTrue();
        assertThat(settings.maxAttempts()).isEqualTo(1);
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.testUrl()).contains(URI.create("https://api.github.com/zen"));
    }

    @Test
    void headersThatCarryCredentialsAreNeverForwarded() {
        assertThat(settings(values("forwardHeaders", "X-Webhook-Secret, Authorization, Cookie, "
                + "X-Hub-Signature-256, X-Hub-Signature, Proxy-Authorization, X-Api-Key, X-Request-Id"))
                .forwardHeaders()).containsExactly("x-request-id");
    }

    @Test
    void wrongSettingsSayWhatIsExpected() {
        assertThat(problem("path", "hooks")).isEqualTo("setting 'path' must be a path such as '/hooks/orders' "
                + "(segments of letters, digits, '.', '_', '~' and '-'), was 'hooks'");
        assertThat(problem("path", "/a b")).startsWith("setting 'path' must be a path");
        assertThat(problem("path", "/")).startsWith("setting 'path' must be a path");
        assertThat(problem("signature", "md5")).isEqualTo("setting 'signature' must be 'header' (the secret in "
                + "X-Webhook-Secret) or 'hmac-sha256' (X-Hub-Signature-256, as GitHub signs), was 'md5'");
        assertThat(problem("maxBodyBytes", 0)).isEqualTo("setting 'maxBodyBytes' must be from 1 to 67108864, was 0");
        assertThat(problem("forwardHeaders", "X-Ok, Bad Header:")).isEqualTo("setting 'forwardHeaders' takes header "
                + "names separated by commas, such as 'Content-Type, X-GitHub-Event', found 'Header:'");
        assertThat(problem("maxAttempts", 0)).isEqualTo("setting 'maxAttempts' must be from 1 to 10, was 0");
        assertThat(problem("timeoutSeconds", 601)).isEqualTo("setting 'timeoutSeconds' must be from 1 to 600, "
                + "was 601");
        assertThat(problem("testUrl", "ftp://example.org")).isEqualTo("setting 'testUrl' must be empty or an http "
                + "or https URL, such as 'https://api.example.org/health', was 'ftp://example.org'");
        assertThat(problem("allowedHosts", "https://api.example.org")).isEqualTo("setting 'allowedHosts' takes host "
                + "names, IP addresses, '*.example.org' or '*', separated by commas (no scheme, port or path), found "
                + "'https://api.example.org'");
        assertThat(problem("allowedHosts", "api.example.org:8443")).contains("found 'api.example.org:8443'");
    }

    @Test
    void anInstanceIdThatIsNoPathSegmentNeedsAPath() {
        IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class,
                () -> WebhookSettings.of(config(Map.of()), "my hooks"));

        assertThat(e).hasMessage("the instance id 'my hooks' cannot be a path segment: set the setting 'path', such "
                + "as '/hooks/orders'");
        assertThat(WebhookSettings.of(config(Map.of("path", "/h")), "my hooks").path()).isEqualTo("/h");
    }

    @Test
    void allowedHostsMatchNamesWildcardsAndAddresses() {
        AllowedHosts hosts = AllowedHosts.parse(" API.example.org,*.example.com  10.0.0.7, [::1], 2001:db8::1 ,");

        assertThat(hosts.toString()).isEqualTo("api.example.org, *.example.com, 10.0.0.7, [::1], [2001:db8::1]");
        assertThat(hosts.allows("api.example.org")).isTrue();
        assertThat(hosts.allows("API.Example.ORG.")).isTrue();
        assertThat(hosts.allows("example.org")).isFalse();
        assertThat(hosts.allows("www.api.example.org")).isFalse();
        assertThat(hosts.allows("a.example.com")).isTrue();
        assertThat(hosts.allows("a.b.example.com")).isTrue();
        assertThat(hosts.allows("example.com")).as("*.example.com is below example.com only").isFalse();
        assertThat(hosts.allows("badexample.com")).isFalse();
        assertThat(hosts.allows("10.0.0.7")).isTrue();
        assertThat(hosts.allows("10.0.0.70")).isFalse();
        assertThat(hosts.allows("[::1]")).isTrue();
        assertThat(hosts.allows("[2001:db8::1]")).isTrue();
        assertThat(hosts.allows(null)).isFalse();
        assertThat(hosts.any()).isFalse();
    }

    @Test
    void onlyAStarAllowsEveryHostAndNothingIsAllowedByDefault() {
        assertThat(AllowedHosts.parse("*").allows("169.254.169.254")).isTrue();
        assertThat(AllowedHosts.parse("*").any()).isTrue();
        assertThat(AllowedHosts.parse("").allows("example.org")).isFalse();
        assertThat(AllowedHosts.parse(null).isEmpty()).isTrue();
        assertThat(AllowedHosts.parse(" , ").isEmpty()).isTrue();
    }
}
