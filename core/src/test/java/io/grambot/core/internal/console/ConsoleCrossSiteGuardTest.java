package io.grambot.core.internal.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

class ConsoleCrossSiteGuardTest {

    private static final Map<String, String> CROSS_SITE = Map.of("Host", "127.0.0.1:8080", "Origin",
            "http://evil.example");

    private final ConsoleCrossSiteGuard guard = new ConsoleCrossSiteGuard((String) null);
    private final List<String> passed = new ArrayList<>();
    private final List<String> refused = new ArrayList<>();
    private final FilterChain chain = (request, response) -> passed.add(((HttpServletRequest) request).getRequestURI());
    private final HttpServletResponse response = RequestGuardTest.proxy(HttpServletResponse.class, (method, args) -> {
        if (method.equals("sendError")) {
            refused.add(args[0] + " " + args[1]);
        }
        return null;
    });

    @Test
    void aChangeToAnyConsolePageFromAnotherSitesPageIsRefused() throws Exception {
        send("POST", "/system/console/bundles/42", CROSS_SITE);
        send("POST", "/system/console/configMgr/brave.search~web", CROSS_SITE);
        send("DELETE", "/system/console", CROSS_SITE);
        send("POST", "/system/console/configMgr", Map.of("Host", "127.0.0.1:8080", "Referer",
                "http://evil.example/page"));

        assertThat(passed).isEmpty();
        assertThat(refused).hasSize(4).allSatisfy(r -> assertThat(r).startsWith("403 ").contains("another site"));
    }

    @Test
    void readsSameSiteChangesScriptsAndOtherPathsPass() throws Exception {
        send("GET", "/system/console/bundles", CROSS_SITE); // a link from elsewhere may open a page
        send("POST", "/system/console/bundles/42", Map.of("Host", "127.0.0.1:8080", "Origin", "http://127.0.0.1:8080"));
        send("POST", "/system/console/bundles/42", Map.of("Host", "127.0.0.1:8080")); // curl: no Origin, no Referer
        send("POST", "/telegram/hook", CROSS_SITE); // not the console: webhooks and the chat check their own way
        send("POST", "/system/consoleX", CROSS_SITE);

        assertThat(refused).isEmpty();
        assertThat(passed).hasSize(5);
    }

    @Test
    void aConsoleServedElsewhereIsGuardedThere() {
        ConsoleCrossSiteGuard moved = new ConsoleCrossSiteGuard("/admin/");
        assertThat(moved.isConsole("/admin")).isTrue();
        assertThat(moved.isConsole("/admin/configMgr")).isTrue();
        assertThat(moved.isConsole("/system/console")).isFalse();
    }

    private void send(String method, String path, Map<String, String> headers) throws Exception {
        guard.doFilter(RequestGuardTest.proxy(HttpServletRequest.class, (name, args) -> switch (name) {
        case "getMethod" -> method;
        case "getRequestURI" -> path;
        case "getHeader" -> headers.get((String) args[0]);
        default -> null;
        }), response, chain);
    }
}
