package io.grambot.core.internal.console;

import java.io.IOException;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.Preprocessor;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Refuses requests that could change something in the web console (any method but GET, HEAD, OPTIONS) when the
 * browser says they come from another site's page ({@code Origin}, else {@code Referer}). The console logs in with
 * HTTP basic authentication, which a browser sends along with a form another site makes it post: without this,
 * such a page could install a bundle or edit a configuration through the console's own pages (bundles, configMgr),
 * which have no token of their own. The Grambot page additionally checks its session token ({@link RequestGuard}).
 * A request without either header (curl, scripts) is not a browser's cross-site request and passes.
 *
 * <p>A whiteboard preprocessor, so it runs before the console's servlet context and its login, for every page of
 * the console, whoever registered it.
 */
@Component(service = Preprocessor.class)
public final class ConsoleCrossSiteGuard implements Preprocessor {

    /** The web console's property for where it is served, and its default. */
    static final String ROOT_PROPERTY = "felix.webconsole.manager.root";
    static final String DEFAULT_ROOT = "/system/console";

    private final String root;

    @Activate
    public ConsoleCrossSiteGuard(BundleContext context) {
        this(context.getProperty(ROOT_PROPERTY));
    }

    ConsoleCrossSiteGuard(String root) {
        String given = root == null || root.isBlank() ? DEFAULT_ROOT : root.strip();
        this.root = given.endsWith("/") ? given.substring(0, given.length() - 1) : given;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse answer
                && mayChange(http.getMethod()) && isConsole(http.getRequestURI())) {
            String refusal = RequestGuard.crossSiteRefusal(http);
            if (refusal != null) {
                answer.sendError(HttpServletResponse.SC_FORBIDDEN, refusal);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static boolean mayChange(String method) {
        return !("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method));
    }

    boolean isConsole(String path) {
        return path != null && (path.equals(root) || path.startsWith(root + "/"));
    }
}
