package io.backbus.retention;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Base of the retention service's ITs (see test-support's README): the service on a random port. Each IT names
 * its own database and object store, so each has its own context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class RetentionIntegrationTest {

    @LocalServerPort
    int port;
}
