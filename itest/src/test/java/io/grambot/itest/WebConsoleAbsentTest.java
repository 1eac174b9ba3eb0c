package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Collection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The web console is optional: this framework does not have it (nor the encoder it brings), and the core still
 * resolves and runs, its console page registered but never instantiated (its class, which extends the console's
 * {@code AbstractServlet}, is not loaded). Whether the servlet API is there does not matter (the web chat brings it).
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class WebConsoleAbsentTest {

    private static final String PAGE = "io.grambot.core.internal.GrambotConsolePlugin";

    @InjectBundleContext
    BundleContext context;

    @Test
    void withoutTheWebConsoleTheCoreRunsAndItsPageStaysDormant(
            @InjectService ServiceComponentRuntime scr) {
        assertThat(context.getBundles()).extracting(Bundle::getSymbolicName)
                .doesNotContain("org.apache.felix.webconsole", "org.owasp.encoder");
        Bundle core = Arrays.stream(context.getBundles()).filter(b -> "io.grambot.core".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        assertThat(core.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(core.adapt(BundleWiring.class).getRequiredWires("osgi.wiring.package"))
                .extracting(wire -> wire.getCapability().getAttributes().get("osgi.wiring.package"))
                .doesNotContain("org.apache.felix.webconsole.servlet", "org.owasp.encoder")
                .contains("io.grambot.api");

        ComponentDescriptionDTO page = scr.getComponentDescriptionDTO(core, PAGE);
        assertThat(page).as(PAGE).isNotNull();
        assertThat(scr.getComponentConfigurationDTOs(page)).extracting(c -> c.state)
                .containsExactly(ComponentConfigurationDTO.SATISFIED);
        for (ComponentDescriptionDTO component : scr.getComponentDescriptionDTOs(core)) {
            Collection<ComponentConfigurationDTO> configurations = scr.getComponentConfigurationDTOs(component);
            assertThat(configurations).as(component.name).extracting(c -> c.state)
                    .doesNotContain(ComponentConfigurationDTO.FAILED_ACTIVATION);
        }
    }
}
