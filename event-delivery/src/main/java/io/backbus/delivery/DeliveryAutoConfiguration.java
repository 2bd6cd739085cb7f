package io.backbus.delivery;

import io.backbus.contracts.CloudEventHeaders;
import io.backbus.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.api.Location;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.kafka.autoconfigure.SslBundleSslEngineFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StringUtils;

/**
 * Wires reliable event delivery into a service: byte-array Kafka clients, the outbox and its relay, the idempotent
 * consumer, bounded retries with dead-letter topics {@code <topic>.<group>.dlq}, the contract topics, and the
 * delivery tables' Flyway migrations ({@code classpath:db/delivery}).
 */
@AutoConfiguration(before = KafkaAutoConfiguration.class)
@EnableKafka
@EnableConfigurationProperties(DeliveryProperties.class)
public class DeliveryAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DeliveryAutoConfiguration.class);

    private final DeliveryProperties properties;

    public DeliveryAutoConfiguration(DeliveryProperties properties,
            @Value("${spring.application.name:backbus}") String applicationName) {
        this.properties = properties.withDefaultsFor(applicationName);
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    EventCodec eventCodec() {
        return new EventCodec();
    }

    @Bean
    ProducerFactory<String, byte[]> kafkaProducerFactory(KafkaProperties kafka,
            ObjectProvider<KafkaConnectionDetails> connectionDetails) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        connectionDetails.ifAvailable(details -> connect(config, details.getProducer()));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    @Bean
    KafkaTemplate<String, byte[]> kafkaTemplate(ProducerFactory<String, byte[]> producerFactory) {
        return new KafkaTemplate<>(producerFactory);
    }

    @Bean
    ConsumerFactory<String, byte[]> kafkaConsumerFactory(KafkaProperties kafka,
            ObjectProvider<KafkaConnectionDetails> connectionDetails) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        connectionDetails.ifAvailable(details -> connect(config, details.getConsumer()));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, properties.consumerGroup());
        // a new consumer group must not miss events published before it first joined
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * What Spring Boot's own client factories add to {@code KafkaProperties}: bootstrap servers, security protocol
     * and the SSL bundle ({@code spring.kafka.ssl.bundle}) of the connection details. SASL settings
     * ({@code spring.kafka.properties.sasl.*}) are in the properties already; without this a TLS bundle reached the
     * auto-configured KafkaAdmin but not these producers and consumers.
     */
    static void connect(Map<String, Object> config, KafkaConnectionDetails.Configuration connection) {
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, connection.getBootstrapServers());
        if (StringUtils.hasLength(connection.getSecurityProtocol())) {
            config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, connection.getSecurityProtocol());
        }
        SslBundle bundle = connection.getSslBundle();
        if (bundle != null) {
            config.put(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, SslBundleSslEngineFactory.class);
            config.put(SslBundle.class.getName(), bundle);
        }
    }

    @Bean
    DefaultErrorHandler deadLetteringErrorHandler(KafkaTemplate<String, byte[]> kafkaTemplate) {
        String group = properties.consumerGroup();
        var recoverer = new DeadLetterPublishingRecoverer(kafkaTemplate, (record, failure) -> {
            String reason = DeadLetterReason.of(failure);
            log.error("Dead-lettering {}-{}@{} to {}: {}", record.topic(), record.partition(), record.offset(),
                    Topics.deadLetter(record.topic(), group), reason);
            return new TopicPartition(Topics.deadLetter(record.topic(), group), -1);
        });
        recoverer.setHeadersFunction((record, failure) -> new RecordHeaders(List.of(new RecordHeader(
                CloudEventHeaders.DLQ_REASON, DeadLetterReason.of(failure).getBytes(StandardCharsets.UTF_8)))));
        DeliveryProperties.Retry retry = properties.retry();
        var backOff = new ExponentialBackOffWithMaxRetries(retry.attempts());
        backOff.setInitialInterval(retry.initialInterval().toMillis());
        backOff.setMultiplier(retry.multiplier());
        backOff.setMaxInterval(retry.maxInterval().toMillis());
        var handler = new DefaultErrorHandler(recoverer, backOff);
        handler.addNotRetryableExceptions(MalformedEventException.class);
        return handler;
    }

    @Bean
    @SuppressWarnings({"unchecked", "rawtypes"})
    ConcurrentKafkaListenerContainerFactory<String, byte[]> kafkaListenerContainerFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer,
            ConsumerFactory<String, byte[]> consumerFactory, DefaultErrorHandler errorHandler) {
        var factory = new ConcurrentKafkaListenerContainerFactory<String, byte[]>();
        configurer.configure((ConcurrentKafkaListenerContainerFactory) factory, (ConsumerFactory) consumerFactory);
        factory.setCommonErrorHandler(errorHandler);
        return factory;
    }

    @Bean
    KafkaAdmin.NewTopics contractTopics() {
        List<org.apache.kafka.clients.admin.NewTopic> topics = new ArrayList<>();
        for (String topic : Topics.ALL) {
            TopicBuilder builder = replicated(TopicBuilder.name(topic).partitions(properties.partitions()));
            if (topic.equals(Topics.AGENT_ANNOUNCED)) {
                builder.config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            }
            topics.add(builder.build());
            topics.add(replicated(TopicBuilder.name(Topics.deadLetter(topic, properties.consumerGroup()))
                    .partitions(1)).build());
        }
        return new KafkaAdmin.NewTopics(topics.toArray(org.apache.kafka.clients.admin.NewTopic[]::new));
    }

    private TopicBuilder replicated(TopicBuilder builder) {
        return builder.replicas(properties.replicationFactor())
                .config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(properties.minInsyncReplicas()));
    }

    @Bean
    TransactionTemplate deliveryTransactionTemplate(PlatformTransactionManager transactionManager) {
        return new TransactionTemplate(transactionManager);
    }

    @Bean
    OutboxRelay outboxRelay(JdbcClient jdbc, TransactionTemplate deliveryTransactionTemplate,
            KafkaTemplate<String, byte[]> kafkaTemplate) {
        return new OutboxRelay(jdbc, deliveryTransactionTemplate, kafkaTemplate, properties);
    }

    /** Used by the services that keep a {@code requested_run} table (uploader, retention); inert in the others. */
    @Bean
    @ConditionalOnMissingBean
    RequestedRuns requestedRuns(JdbcClient jdbc) {
        return new RequestedRuns(jdbc);
    }

    @Bean
    Outbox outbox(JdbcClient jdbc, EventCodec codec, Clock clock, OutboxRelay relay) {
        return new Outbox(jdbc, codec, clock, relay::wakeUp);
    }

    @Bean
    TelemetryPublisher telemetryPublisher(KafkaTemplate<String, byte[]> kafkaTemplate, EventCodec codec, Clock clock) {
        return new TelemetryPublisher(kafkaTemplate, codec, clock, properties.source());
    }

    @Bean
    IdempotentConsumer idempotentConsumer(JdbcClient jdbc, TransactionTemplate deliveryTransactionTemplate,
            EventCodec codec) {
        return new IdempotentConsumer(jdbc, deliveryTransactionTemplate, codec, properties.consumerGroup());
    }

    @Bean
    FlywayConfigurationCustomizer deliveryMigrations() {
        return configuration -> {
            List<Location> locations = new ArrayList<>(Arrays.asList(configuration.getLocations()));
            locations.add(new Location("classpath:db/delivery"));
            configuration.locations(locations.toArray(Location[]::new));
        };
    }
}
