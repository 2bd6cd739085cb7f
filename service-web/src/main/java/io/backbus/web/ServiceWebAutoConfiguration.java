package io.backbus.web;

import org.apache.catalina.Host;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Gives a servlet service the shared {@link ProblemResponses} unless it declares its own (a subclass), as Spring
 * Boot's {@code ProblemDetailsExceptionHandler} would; refuses control characters in parameters
 * ({@link ParameterCharacterFilter}) and bodies over 1 MiB ({@link RequestBodyLimitFilter}); reads JSON bodies
 * strictly; and makes Tomcat's own refusals problem+json ({@link ProblemErrorReportValve}).
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ServiceWebAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(ResponseEntityExceptionHandler.class)
    ProblemResponses problemResponses() {
        return new ProblemResponses();
    }

    @Bean
    FilterRegistrationBean<ParameterCharacterFilter> parameterCharacterFilter() {
        var registration = new FilterRegistrationBean<>(new ParameterCharacterFilter());
        // before anything reads or logs a parameter (security's filters come later)
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(
            @Value("${backbus.web.max-request-body:1MB}") String limit) {
        var registration = new FilterRegistrationBean<>(new RequestBodyLimitFilter(DataSize.parse(limit).toBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 11);
        return registration;
    }

    /**
     * Request bodies are read strictly: a field the endpoint does not know, or a value of another JSON type (a
     * number for a string, a string for a number), is a 400 naming the field instead of being dropped or coerced.
     * Runs after Spring Boot's own customizer, which turns unknown fields off.
     */
    @Bean
    StrictRequestBodies strictRequestBodies() {
        return new StrictRequestBodies();
    }

    static final class StrictRequestBodies implements JsonMapperBuilderCustomizer, Ordered {
        @Override
        public void customize(JsonMapper.Builder builder) {
            builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                    // a number or boolean where a string belongs (ALLOW_COERCION_OF_SCALARS leaves strings alone)
                    .withCoercionConfig(LogicalType.Textual, config -> config
                            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
        }

        @Override
        public int getOrder() {
            return 100;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ConfigurableTomcatWebServerFactory.class, Host.class})
    static class TomcatErrorReports {

        @Bean
        WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> problemErrorReports() {
            return factory -> factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof org.apache.catalina.core.StandardHost host) {
                    host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                }
            });
        }
    }
}
