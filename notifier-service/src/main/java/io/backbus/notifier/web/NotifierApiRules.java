package io.backbus.notifier.web;

import static io.backbus.web.security.ApiRole.VIEWER;
import static org.springframework.http.HttpMethod.GET;

import io.backbus.web.security.ApiEndpointRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Who may call the notifier's API (ADR 0011): viewers read alerts. */
@Configuration(proxyBeanMethods = false)
class NotifierApiRules {

    @Bean
    ApiEndpointRules notifierApi() {
        return ApiEndpointRules.builder().require(VIEWER, GET, "/alerts", "/alerts/**").build();
    }
}
