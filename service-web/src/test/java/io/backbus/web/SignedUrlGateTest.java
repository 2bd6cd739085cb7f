package io.backbus.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.backbus.crypto.UrlSigner;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The gate and its problems through Spring MVC, as a service's artifact controller uses them. */
class SignedUrlGateTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final UrlSigner SIGNER = new UrlSigner(KEY, Clock.fixed(NOW, ZoneOffset.UTC));

    private final ThingController controller = new ThingController(new SignedUrlGate(SIGNER, "thing"));
    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(controller)
            .setControllerAdvice(new ProblemResponses()).build();
    private final String id = UUID.randomUUID().toString();

    @RestController
    static final class ThingController {
        final AtomicInteger served = new AtomicInteger();
        private final SignedUrlGate gate;

        ThingController(SignedUrlGate gate) {
            this.gate = gate;
        }

        @GetMapping("/things/{id}")
        String thing(@PathVariable String id, @RequestParam(required = false) String expires,
                @RequestParam(required = false) String sig) {
            gate.admit(id, expires, sig);
            served.incrementAndGet();
            return "thing " + id;
        }

        @GetMapping("/typed/{id}")
        String typed(@PathVariable UUID id) {
            return id.toString();
        }
    }

    private String url(String resource, long expires) {
        return "/things/" + id + "?expires=" + expires + "&sig=" + SIGNER.sign(resource, expires);
    }

    @Test
    void admitsItsOwnResourceBeforeExpiry() throws Exception {
        mvc.perform(get(url(id, NOW.plusSeconds(60).getEpochSecond())))
                .andExpect(status().isOk())
                .andExpect(content().string("thing " + id));
        assertThat(controller.served).hasValue(1);
    }

    @Test
    void refusesAMissingSignatureWith403ProblemAndServesNothing() throws Exception {
        mvc.perform(get("/things/" + id).accept(MediaType.APPLICATION_OCTET_STREAM))
                .andExpect(status().isForbidden())
                .andExpect(header().string("Content-Type", "application/problem+json"))
                .andExpect(jsonPath("$.title").value("Forbidden"))
                .andExpect(jsonPath("$.status").value(403))
                .andExpect(jsonPath("$.detail").value("missing or invalid signature for this URL"))
                .andExpect(jsonPath("$.instance").value("/things/" + id))
                .andExpect(jsonPath("$.parameter").value("sig"));
        assertThat(controller.served).hasValue(0);
    }

    @Test
    void refusesAnotherResourcesSignatureAndAChangedExpiryWith403() throws Exception {
        long expires = NOW.plusSeconds(60).getEpochSecond();
        mvc.perform(get(url(UUID.randomUUID().toString(), expires))).andExpect(status().isForbidden());
        mvc.perform(get(url(id, expires).replace("expires=" + expires, "expires=" + (expires + 60))))
                .andExpect(status().isForbidden());
        assertThat(controller.served).hasValue(0);
    }

    @Test
    void refusesAnExpiredUrlWith403NamingWhatItServes() throws Exception {
        mvc.perform(get(url(id, NOW.minusSeconds(1).getEpochSecond())))
                .andExpect(status().isForbidden())
                .andExpect(header().string("Content-Type", "application/problem+json"))
                .andExpect(jsonPath("$.title").value("Forbidden"))
                .andExpect(jsonPath("$.status").value(403))
                .andExpect(jsonPath("$.detail").value("this thing URL has expired"))
                .andExpect(jsonPath("$.parameter").value("expires"));
        assertThat(controller.served).hasValue(0);
    }

    @Test
    void namesAParameterThatDoesNotConvert() throws Exception {
        mvc.perform(get("/typed/not-a-uuid"))
                .andExpect(status().isBadRequest())
                .andExpect(header().string("Content-Type", "application/problem+json"))
                .andExpect(jsonPath("$.title").value("Invalid parameter"))
                .andExpect(jsonPath("$.detail").value("Parameter 'id' must be a UUID"))
                .andExpect(jsonPath("$.parameter").value("id"));
    }
}
