package io.backbus.uploader;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import io.backbus.repository.S3Properties;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The uploader: pulls staged artifacts from agents, encrypts them in-stream and stores them in S3 with a manifest.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableConfigurationProperties(S3Properties.class)
public class UploaderApplication {

    public static void main(String[] args) {
        SpringApplication.run(UploaderApplication.class, args);
    }
}
