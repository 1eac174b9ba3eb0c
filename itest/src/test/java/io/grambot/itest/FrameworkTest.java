package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.service.ServiceAware;

@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class FrameworkTest {

    @InjectBundleContext
    BundleContext context;

    @Test
    void runtimeServicesBundlesAreActive() {
        for (String bsn : new String[] { "org.apache.felix.scr", "org.apache.felix.configadmin",
                "org.apache.felix.fileinstall", "org.apache.felix.metatype", "io.grambot.api", "io.grambot.core" }) {
            Bundle bundle = Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName()))
                    .findFirst().orElseThrow(() -> new AssertionError(bsn + " is not installed"));
            assertThat(bundle.getState()).as(bsn + " state").isEqualTo(Bundle.ACTIVE);
        }
    }

    @Test
    void coreRegistersTheInstanceWiringThatConfigAdminWaitsFor(
            @InjectService(filter = "(config.plugin.id=grambot.instance.wiring)") ServiceAware<ConfigurationPlugin> wiring,
            @InjectService ConfigurationAdmin configAdmin) {
        assertThat(wiring.getServiceReference().getBundle().getSymbolicName()).isEqualTo("io.grambot.core");
        assertThat(context.getProperty("felix.cm.config.plugins")).isEqualTo("grambot.instance.wiring");
        assertThat(configAdmin).isNotNull();
    }
}
