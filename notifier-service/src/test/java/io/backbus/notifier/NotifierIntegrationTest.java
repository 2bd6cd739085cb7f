package io.backbus.notifier;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Base of the notifier's ITs (see test-support's README): the service on a random port; an IT adds the harness's
 * servers and its webhook receiver.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class NotifierIntegrationTest {

    @LocalServerPort
    int port;
}
