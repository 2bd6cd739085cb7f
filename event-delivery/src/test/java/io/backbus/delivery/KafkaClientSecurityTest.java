package io.backbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.kafka.autoconfigure.SslBundleSslEngineFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;

/** SASL and TLS settings given as Spring Boot properties reach the delivery library's producers and consumers. */
class KafkaClientSecurityTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"backbus-scheduler-service\" password=\"secret\";";

    private final DeliveryAutoConfiguration delivery = new DeliveryAutoConfiguration(
            new DeliveryProperties(null, null, null, null, null, null, null, null), "scheduler-service");

    @Test
    void saslPropertiesAndTheConnectionDetailsSslBundleReachProducerAndConsumer() {
        KafkaProperties kafka = new KafkaProperties();
        kafka.getSecurity().setProtocol("SASL_SSL");
        kafka.getProperties().put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
        kafka.getProperties().put(SaslConfigs.SASL_JAAS_CONFIG, JAAS);
        SslBundle bundle = SslBundle.of(SslStoreBundle.NONE);
        KafkaConnectionDetails details = new KafkaConnectionDetails() {
            @Override
            public List<String> getBootstrapServers() {
                return List.of("kafka-1:9093");
            }

            @Override
            public SslBundle getSslBundle() {
                return bundle;
            }

            @Override
            public String getSecurityProtocol() {
                return "SASL_SSL";
            }
        };
        ObjectProvider<KafkaConnectionDetails> provider = new StaticListableBeanFactory(Map.of("details", details))
                .getBeanProvider(KafkaConnectionDetails.class);

        var producer = (DefaultKafkaProducerFactory<String, byte[]>) delivery.kafkaProducerFactory(kafka, provider);
        var consumer = (DefaultKafkaConsumerFactory<String, byte[]>) delivery.kafkaConsumerFactory(kafka, provider);

        for (Map<String, Object> config : List.of(producer.getConfigurationProperties(),
                consumer.getConfigurationProperties())) {
            assertThat(config).containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL")
                    .containsEntry(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512")
                    .containsEntry(SaslConfigs.SASL_JAAS_CONFIG, JAAS)
                    .containsEntry(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, List.of("kafka-1:9093"))
                    .containsEntry(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, SslBundleSslEngineFactory.class)
                    .containsEntry(SslBundle.class.getName(), bundle);
        }
        // the dead-letter publisher sends through the template of this same producer factory
        assertThat(delivery.kafkaTemplate(producer).getProducerFactory()).isSameAs(producer);
    }

    @Test
    void withoutConnectionDetailsThePropertiesAloneConfigureTheClients() {
        KafkaProperties kafka = new KafkaProperties();
        kafka.getSecurity().setProtocol("SASL_PLAINTEXT");
        kafka.getProperties().put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
        ObjectProvider<KafkaConnectionDetails> none = new StaticListableBeanFactory()
                .getBeanProvider(KafkaConnectionDetails.class);

        var producer = (DefaultKafkaProducerFactory<String, byte[]>) delivery.kafkaProducerFactory(kafka, none);

        assertThat(producer.getConfigurationProperties())
                .containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT")
                .containsEntry(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512")
                .doesNotContainKey(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG);
    }
}
