package io.grambot.core.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;

/**
 * Private copies of an {@link PluginDescriptor#isolated() isolated} plugin's bundle, one per instance: each copy
 * has its own class loader, hence its own static state, like the reference's VM context per instance. A copy is
 * the plugin's bundle with the symbolic name {@code <bsn>.instance.<instanceId>}, installed from memory at a
 * location the core recognises ({@value #LOCATION_PREFIX}{@code <pluginId>/<instanceId>}); the instance's
 * configuration is bound to that location, so only the copy receives it.
 */
final class IsolatedCopies {

    static final String LOCATION_PREFIX = "grambot:isolated:";

    private final BundleContext context;

    IsolatedCopies(BundleContext context) {
        this.context = context;
    }

    static boolean isCopy(Bundle bundle) {
        return bundle.getLocation().startsWith(LOCATION_PREFIX);
    }

    static String location(PluginDescriptor plugin, String instanceId) {
        return LOCATION_PREFIX + plugin.id() + "/" + instanceId;
    }

    /** The instance's copy, installed and started if it does not exist yet. */
    Bundle ensure(PluginDescriptor plugin, String instanceId) throws BundleException, IOException {
        String location = location(plugin, instanceId);
        Bundle copy = context.getBundle(location);
        if (copy == null) {
            copy = context.installBundle(location, new ByteArrayInputStream(copyOf(plugin.bundle(), instanceId)));
        }
        if (copy.getState() != Bundle.ACTIVE && copy.getState() != Bundle.STARTING) {
            copy.start();
        }
        return copy;
    }

    /** Uninstalls the instance's copy, if there is one. */
    void remove(PluginDescriptor plugin, String instanceId) throws BundleException {
        Bundle copy = context.getBundle(location(plugin, instanceId));
        if (copy != null && copy.getState() != Bundle.UNINSTALLED) {
            copy.uninstall();
        }
    }

    /** The bytes of a copy of {@code bundle} for one instance: every entry, with a renamed symbolic name. */
    static byte[] copyOf(Bundle bundle, String instanceId) throws IOException {
        Manifest manifest;
        try (InputStream in = bundle.getEntry(JarFile.MANIFEST_NAME).openStream()) {
            manifest = new Manifest(in);
        }
        Attributes main = manifest.getMainAttributes();
        String symbolicName = main.getValue(Constants.BUNDLE_SYMBOLICNAME);
        int directives = symbolicName.indexOf(';');
        String name = directives < 0 ? symbolicName : symbolicName.substring(0, directives);
        main.putValue(Constants.BUNDLE_SYMBOLICNAME, name.trim() + ".instance." + instanceId
                + (directives < 0 ? "" : symbolicName.substring(directives)));
        main.putValue(Constants.BUNDLE_NAME, String.valueOf(main.getValue(Constants.BUNDLE_NAME))
                + " (instance " + instanceId + ")");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            Enumeration<URL> entries = bundle.findEntries("/", "*", true);
            while (entries != null && entries.hasMoreElements()) {
                URL url = entries.nextElement();
                String path = url.getPath().startsWith("/") ? url.getPath().substring(1) : url.getPath();
                if (path.isEmpty() || path.equalsIgnoreCase(JarFile.MANIFEST_NAME) || path.equals("META-INF/")) {
                    continue;
                }
                jar.putNextEntry(new JarEntry(path));
                if (!path.endsWith("/")) {
                    try (InputStream in = url.openStream()) {
                        in.transferTo(jar);
                    }
                }
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
