package io.backbus.agent.web;

import io.backbus.web.security.ApiEndpointRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Who may call the agent's API (ADR 0011): its staged artifacts ({@code /artifacts/<run>} and
 * {@code /artifacts/<run>/live}) are open to the network, their HMAC-signed, expiring URL being the credential
 * ({@code SignedUrlGate}); everything else is the shared actuator rules (health open, metrics for viewers).
 */
@Configuration(proxyBeanMethods = false)
class AgentApiRules {

    @Bean
    ApiEndpointRules agentApi() {
        return ApiEndpointRules.builder().open("/artifacts/**").build();
    }
}
