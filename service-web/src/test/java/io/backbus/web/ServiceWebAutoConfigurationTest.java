package io.backbus.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

class ServiceWebAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ServiceWebAutoConfiguration.class));

    @Configuration(proxyBeanMethods = false)
    static class OwnProblems {
        static final class ServiceProblemResponses extends ProblemResponses {
        }

        @Bean
        ServiceProblemResponses serviceProblemResponses() {
            return new ServiceProblemResponses();
        }
    }

    @Test
    void givesAServiceWithoutProblemResponsesTheSharedOnes() {
        runner.run(context -> assertThat(context).hasSingleBean(ResponseEntityExceptionHandler.class)
                .getBean(ResponseEntityExceptionHandler.class).isExactlyInstanceOf(ProblemResponses.class));
    }

    @Test
    void backsOffForAServicesOwnSubclass() {
        runner.withUserConfiguration(OwnProblems.class).run(context -> assertThat(context)
                .hasSingleBean(ResponseEntityExceptionHandler.class)
                .getBean(ResponseEntityExceptionHandler.class)
                .isExactlyInstanceOf(OwnProblems.ServiceProblemResponses.class));
    }
}
