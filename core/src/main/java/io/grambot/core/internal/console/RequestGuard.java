package io.grambot.core.internal.console;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/**
 * Guards the console's state-changing requests against cross-site request forgery: they must be POSTs from this
 * origin (checked when the browser sends {@code Origin} or {@code Referer}) carrying the token of the person's
 * session, which only the console's own pages show. The console's login (HTTP basic authentication) is checked
 * before any of this by the web console.
 */
public final class RequestGuard {

    /** The form field that carries the token. */
    public static final String TOKEN_PARAMETER = "token";

    static final String TOKEN_ATTRIBUTE = "io.grambot.console.token";

    private final SecureRandom random = new SecureRandom();

    /** The session's token, made on first use. */
    public String token(HttpSession session) {
        synchronized (session) {
            Object token = session.getAttribute(TOKEN_ATTRIBUTE);
            if (token instanceof String existing) {
                return existing;
            }
            byte[] bytes = new byte[24];
            random.nextBytes(bytes);
            String made = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            session.setAttribute(TOKEN_ATTRIBUTE, made);
            return made;
        }
    }

    /** Why a state-changing request is refused, or {@code null} if it may proceed. */
    public String refusal(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod())) {
            return "changes must be POSTed, not sent with " + request.getMethod();
        }
        String crossSite = crossSiteRefusal(request);
        if (crossSite != null) {
            return crossSite;
        }
        HttpSession session = request.getSession(false);
        Object expected = session == null ? null : session.getAttribute(TOKEN_ATTRIBUTE);
        String given = request.getParameter(TOKEN_PARAMETER);
        if (!(expected instanceof String token) || given == null || !MessageDigest.isEqual(
                token.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
            return "the form's token is missing or out of date (it belongs to the browser session): reload the page "
                    + "and try again";
        }
        return null;
    }

    /**
     * Why a request is refused as coming from another site's page ({@code Origin}, or {@code Referer} where the
     * browser sends no Origin), or {@code null} if it does not say so.
     */
    static String crossSiteRefusal(HttpServletRequest request) {
        String host = request.getHeader("Host");
        String origin = request.getHeader("Origin");
        if (origin != null) {
            return sameOrigin(origin, host) ? null
                    : "requests from another site's page are refused (Origin " + origin + ", this is " + host + ")";
        }
        String referer = request.getHeader("Referer");
        return referer == null || sameOrigin(referer, host) ? null
                : "requests from another site's page are refused (Referer " + referer + ", this is " + host + ")";
    }

    /**
     * Whether a URL ({@code Origin} or {@code Referer}) names the host and port the request was sent to (its
     * {@code Host} header). An opaque {@code null} origin is never the same.
     */
    static boolean sameOrigin(String url, String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            return false;
        }
        if (uri.getHost() == null) {
            return false;
        }
        // compare host:port, filling in the scheme's default port where the Origin or the Host header leaves it out
        int defaultPort = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        String from = uri.getHost() + ":" + (uri.getPort() < 0 ? defaultPort : uri.getPort());
        String to = host.strip();
        if (to.lastIndexOf(':') <= to.lastIndexOf(']')) { // no port (an IPv6 address has colons inside [...])
            to = to + ":" + defaultPort;
        }
        return from.equalsIgnoreCase(to);
    }
}
