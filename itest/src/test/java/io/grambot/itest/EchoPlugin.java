package io.grambot.itest;

import java.io.InputStream;
import java.nio.file.Files;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

/** Installs and starts the echo plugin bundle for the test class it extends, and uninstalls it afterwards. */
final class EchoPlugin implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EchoPlugin.class);

    @Override
    public void beforeAll(ExtensionContext extension) throws Exception {
        BundleContext context = FrameworkUtil.getBundle(EchoPlugin.class).getBundleContext();
        Bundle echo;
        try (InputStream in = Files.newInputStream(Fixtures.echoJar(context))) {
            echo = context.installBundle("itest:echo:" + extension.getRequiredTestClass().getSimpleName(), in);
        }
        echo.start();
        extension.getStore(NAMESPACE).put(Bundle.class, echo);
    }

    @Override
    public void afterAll(ExtensionContext extension) throws Exception {
        extension.getStore(NAMESPACE).get(Bundle.class, Bundle.class).uninstall();
    }

    /** The echo bundle installed for the current test class. */
    static Bundle bundle(BundleContext context, Class<?> testClass) {
        return context.getBundle("itest:echo:" + testClass.getSimpleName());
    }
}
