package io.backbus.uploader.web;

import static io.backbus.web.security.ApiRole.ADMIN;

import io.backbus.web.security.ApiEndpointRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Who may call the uploader's API (ADR 0011): decrypted restore artifacts ({@code /restore-artifacts/<restore>})
 * are open to the network, their HMAC-signed, expiring URL being the credential ({@code SignedUrlGate}); key
 * listing and rotation ({@code /keys/**}) are for admins.
 */
@Configuration(proxyBeanMethods = false)
class UploaderApiRules {

    @Bean
    ApiEndpointRules uploaderApi() {
        return ApiEndpointRules.builder().open("/restore-artifacts/**").require(ADMIN, "/keys", "/keys/**").build();
    }
}
