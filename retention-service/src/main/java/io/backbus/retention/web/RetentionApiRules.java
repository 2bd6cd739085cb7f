package io.backbus.retention.web;

import static io.backbus.web.security.ApiRole.ADMIN;
import static io.backbus.web.security.ApiRole.OPERATOR;
import static io.backbus.web.security.ApiRole.VIEWER;
import static org.springframework.http.HttpMethod.GET;

import io.backbus.web.security.ApiEndpointRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Who may call the catalog's API (ADR 0011): viewers (and the scheduler's catalog token) read backups and reports;
 * operators rebuild the catalog from the bucket's manifests (it only adds what the bucket proves); admins change
 * retention policies.
 */
@Configuration(proxyBeanMethods = false)
class RetentionApiRules {

    @Bean
    ApiEndpointRules retentionApi() {
        return ApiEndpointRules.builder()
                .require(VIEWER, GET, "/backups", "/backups/**", "/reports", "/reports/**", "/policies",
                        "/policies/**")
                .require(OPERATOR, org.springframework.http.HttpMethod.POST, "/catalog/rebuild")
                .require(ADMIN, "/policies", "/policies/**")
                .build();
    }
}
