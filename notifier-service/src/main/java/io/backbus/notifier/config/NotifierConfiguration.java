package io.backbus.notifier.config;

import io.backbus.notifier.domain.DeliveryPolicy;
import java.net.http.HttpClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans built from the notifier's settings. */
@Configuration(proxyBeanMethods = false)
class NotifierConfiguration {

    @Bean
    DeliveryPolicy deliveryPolicy(NotifierProperties properties) {
        NotifierProperties.Delivery delivery = properties.delivery();
        return new DeliveryPolicy(delivery.maxAttempts(), delivery.initialBackoff(), delivery.maxBackoff());
    }

    @Bean
    HttpClient webhookHttpClient(NotifierProperties properties) {
        // redirects are not followed: a webhook that moved is a configuration error to surface, not to guess
        return HttpClient.newBuilder()
                .connectTimeout(properties.webhook().timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }
}
