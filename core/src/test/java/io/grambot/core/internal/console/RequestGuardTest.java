package io.grambot.core.internal.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

class RequestGuardTest {

    private final RequestGuard guard = new RequestGuard();
    private final Map<String, Object> sessionAttributes = new HashMap<>();
    private final HttpSession session = proxy(HttpSession.class, (method, args) -> switch (method) {
    case "getAttribute" -> sessionAttributes.get((String) args[0]);
    case "setAttribute" -> sessionAttributes.put((String) args[0], args[1]);
    default -> null;
    });

    @Test
    void sameOriginComparesHostAndPortWithDefaultPortsFilledIn() {
        assertThat(RequestGuard.sameOrigin("http://127.0.0.1:8080", "127.0.0.1:8080")).isTrue();
        assertThat(RequestGuard.sameOrigin("http://LOCALHOST:8080/system/console/grambot", "localhost:8080")).isTrue();
        assertThat(RequestGuard.sameOrigin("http://example.org", "example.org:80")).isTrue();
        assertThat(RequestGuard.sameOrigin("https://example.org", "example.org")).isTrue();
        assertThat(RequestGuard.sameOrigin("http://[::1]:8080", "[::1]:8080")).isTrue();
        assertThat(RequestGuard.sameOrigin("http://[::1]", "[::1]")).isTrue();

        assertThat(RequestGuard.sameOrigin("http://evil.example:8080", "127.0.0.1:8080")).isFalse();
        assertThat(RequestGuard.sameOrigin("http://127.0.0.1:9090", "127.0.0.1:8080")).isFalse();
        assertThat(RequestGuard.sameOrigin("https://example.org", "example.org:80")).isFalse();
        assertThat(RequestGuard.sameOrigin("null", "127.0.0.1:8080")).isFalse();
        assertThat(RequestGuard.sameOrigin("http://127.0.0.1:8080", null)).isFalse();
        assertThat(RequestGuard.sameOrigin("http://a b", "a")).isFalse();
    }

    @Test
    void aPostWithTheSessionsTokenFromThisOriginPasses() {
        String token = guard.token(session);
        assertThat(guard.token(session)).isEqualTo(token).hasSizeGreaterThanOrEqualTo(32);

        assertThat(guard.refusal(request("POST", Map.of("Host", "127.0.0.1:8080", "Origin", "http://127.0.0.1:8080"),
                token, session))).isNull();
        // no Origin or Referer (not a browser): the token alone decides
        assertThat(guard.refusal(request("POST", Map.of("Host", "127.0.0.1:8080"), token, session))).isNull();
    }

    @Test
    void aPostWithoutTheTokenOrFromAnotherSiteOrWithoutSessionIsRefused() {
        String token = guard.token(session);
        Map<String, String> here = Map.of("Host", "127.0.0.1:8080", "Origin", "http://127.0.0.1:8080");

        assertThat(guard.refusal(request("POST", here, null, session))).contains("token is missing");
        assertThat(guard.refusal(request("POST", here, token + "x", session))).contains("token");
        assertThat(guard.refusal(request("POST", here, token, null))).contains("token");
        assertThat(guard.refusal(request("POST", Map.of("Host", "127.0.0.1:8080", "Origin", "http://evil.example"),
                token, session))).contains("another site", "evil.example");
        assertThat(guard.refusal(request("POST", Map.of("Host", "127.0.0.1:8080", "Referer",
                "http://evil.example/page"), token, session))).contains("another site");
        assertThat(guard.refusal(request("GET", here, token, session))).contains("POSTed");
        assertThat(new RequestGuard().token(proxy(HttpSession.class, (m, a) -> null))).isNotEqualTo(token);
    }

    private HttpServletRequest request(String method, Map<String, String> headers, String token, HttpSession session) {
        return proxy(HttpServletRequest.class, (name, args) -> switch (name) {
        case "getMethod" -> method;
        case "getHeader" -> headers.get((String) args[0]);
        case "getParameter" -> RequestGuard.TOKEN_PARAMETER.equals(args[0]) ? token : null;
        case "getSession" -> session;
        default -> null;
        });
    }

    interface Answer {
        Object answer(String method, Object[] args);
    }

    @SuppressWarnings("unchecked")
    static <T> T proxy(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
                (p, method, args) -> method.getName().equals("hashCode") ? System.identityHashCode(p)
                        : method.getName().equals("equals") ? p == args[0] : answer.answer(method.getName(), args));
    }
}
