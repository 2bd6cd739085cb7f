package io.backbus.scheduler.web;

import static io.backbus.web.security.ApiRole.ADMIN;
import static io.backbus.web.security.ApiRole.OPERATOR;
import static io.backbus.web.security.ApiRole.VIEWER;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import io.backbus.web.security.ApiEndpointRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Who may call the scheduler's API (ADR 0011): viewers read plans, runs and restores; operators run a plan now and
 * request restores (one with {@code clean} or into an existing database needs admin, checked by
 * {@link RestoreController} once it has read the body); admins create, change and delete plans and policies.
 */
@Configuration(proxyBeanMethods = false)
class SchedulerApiRules {

    @Bean
    ApiEndpointRules schedulerApi() {
        return ApiEndpointRules.builder()
                .require(VIEWER, GET, "/plans", "/plans/**", "/runs", "/runs/**", "/restores/**", "/policies",
                        "/policies/**")
                .require(OPERATOR, POST, "/plans/*/runs", "/restores")
                .require(ADMIN, POST, "/plans", "/policies")
                .require(ADMIN, PUT, "/plans/**", "/policies/**")
                .require(ADMIN, PATCH, "/plans/**", "/policies/**")
                .require(ADMIN, DELETE, "/plans/**", "/policies/**")
                .build();
    }
}
