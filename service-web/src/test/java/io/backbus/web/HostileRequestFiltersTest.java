package io.backbus.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class HostileRequestFiltersTest {

    @Test
    void aControlCharacterInAParameterIs400NamingIt() throws Exception {
        var request = new MockHttpServletRequest("GET", "/backups");
        request.addParameter("target", "x\u0000y");
        var response = new MockHttpServletResponse();
        var chain = new MockFilterChain();

        new ParameterCharacterFilter().doFilter(request, response, chain);

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).contains("\"parameter\":\"target\"")
                .contains("Parameter 'target' must not contain control characters");
        assertThat(chain.getRequest()).as("the handler never ran").isNull();
    }

    @Test
    void ordinaryParametersPass() throws Exception {
        var request = new MockHttpServletRequest("GET", "/backups");
        request.addParameter("target", "orders' OR 1=1 -- ünïcode");
        var chain = new MockFilterChain();
        new ParameterCharacterFilter().doFilter(request, new MockHttpServletResponse(), chain);
        assertThat(chain.getRequest()).isSameAs(request);
    }

    @Test
    void aDeclaredBodyOverTheLimitIs413BeforeItIsRead() throws Exception {
        var request = new MockHttpServletRequest("POST", "/plans");
        request.setContent(new byte[2048]);
        var response = new MockHttpServletResponse();
        var chain = new MockFilterChain();

        new RequestBodyLimitFilter(1024).doFilter(request, response, chain);

        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).contains("2048 bytes; the limit is 1024");
        assertThat(chain.getRequest()).isNull();
    }
}
