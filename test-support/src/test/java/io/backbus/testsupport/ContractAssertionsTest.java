package io.backbus.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class ContractAssertionsTest {

    @Test
    void sampleIsValidAgainstItsSchemaIncludingCrossSchemaRef() {
        String json = ContractAssertions.sample("widget-created");
        ContractAssertions.assertValid("schemas/widget-created.schema.json", json);
        ContractAssertions.assertValid("widget-created", json); // bare name form
    }

    @Test
    void violationsAreReported() {
        String bad = """
                {"widgetId": "not-a-uuid", "size": 0, "extra": true}
                """;
        List<String> errors = ContractAssertions.assertInvalid("widget-created", bad);
        assertThat(String.join("\n", errors))
                .contains("widgetId")
                .contains("size")
                .contains("createdAt")
                .contains("extra");
        assertThatThrownBy(() -> ContractAssertions.assertValid("widget-created", bad))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("does not match schemas/widget-created.schema.json");
    }

    @Test
    void missingResourcesFailClearly() {
        assertThatThrownBy(() -> ContractAssertions.sample("nope"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("samples/nope.json");
        assertThatThrownBy(() -> ContractAssertions.assertValid("nope", "{}"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("schemas/nope.schema.json");
        assertThatThrownBy(() -> ContractAssertions.assertValid("widget-created", "{oops"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("not JSON");
    }
}
