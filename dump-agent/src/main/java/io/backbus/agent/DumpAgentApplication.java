package io.backbus.agent;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The dump agent: runs on a database host, dumps its configured targets and serves the artifacts. */
@SpringBootApplication
public class DumpAgentApplication {

    public static void main(String[] args) {
        SpringApplication.run(DumpAgentApplication.class, args);
    }
}
