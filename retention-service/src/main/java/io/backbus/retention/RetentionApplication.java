package io.backbus.retention;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import io.backbus.repository.S3Properties;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The catalog of stored backups; later also GFS expiry, tiering and Object Lock. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableConfigurationProperties(S3Properties.class)
public class RetentionApplication {

    public static void main(String[] args) {
        SpringApplication.run(RetentionApplication.class, args);
    }
}
