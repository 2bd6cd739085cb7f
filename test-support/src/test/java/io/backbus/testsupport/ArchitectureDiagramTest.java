package io.backbus.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The module picture in {@code docs/architecture.md} is generated from the POMs: this test builds it from each
 * module's dependencies on our own modules (test scope left out) and fails, printing the block to paste, when the
 * page and the build disagree.
 */
class ArchitectureDiagramTest {

    private static final String BEGIN = "<!-- modules:begin -->";
    private static final String END = "<!-- modules:end -->";
    private static final Set<String> SERVICES = Set.of("scheduler-service", "dump-agent", "uploader-service",
            "retention-service", "notifier-service");

    private final Path root = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theArchitecturePageShowsTheModulesAsThePomsWireThem() throws Exception {
        String expected = diagram();
        String page = Files.readString(root.resolve("docs/architecture.md"));
        int begin = page.indexOf(BEGIN);
        int end = page.indexOf(END);
        assertThat(begin).as("docs/architecture.md has the %s and %s markers", BEGIN, END).isNotNegative();
        assertThat(end).isGreaterThan(begin);
        String actual = page.substring(begin + BEGIN.length(), end).strip();
        assertThat(actual).as("docs/architecture.md between the markers should read:%n%s%n", expected)
                .isEqualTo(expected);
    }

    @Test
    void noModuleDependsOnAService() throws Exception {
        for (String module : modules()) {
            assertThat(ownDependencies(module)).as("%s depends on a service", module).doesNotContainAnyElementsOf(
                    SERVICES);
        }
    }

    private String diagram() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("```mermaid");
        lines.add("flowchart TD");
        List<String> services = new ArrayList<>();
        for (String module : modules()) {
            if (SERVICES.contains(module)) {
                services.add(module);
            }
        }
        lines.add("    subgraph services");
        services.forEach(s -> lines.add("        " + s));
        lines.add("    end");
        Set<String> edges = new TreeSet<>();
        for (String module : modules()) {
            for (String dependency : ownDependencies(module)) {
                edges.add("    " + module + " --> " + dependency);
            }
        }
        lines.addAll(edges);
        lines.add("```");
        return String.join("\n", lines);
    }

    private List<String> modules() throws Exception {
        List<String> modules = new ArrayList<>();
        NodeList nodes = pom(root.resolve("pom.xml")).getElementsByTagName("module");
        for (int i = 0; i < nodes.getLength(); i++) {
            modules.add(nodes.item(i).getTextContent().strip());
        }
        return modules;
    }

    /** Our own modules that {@code module} needs to compile or run (not its test-only dependencies). */
    private Set<String> ownDependencies(String module) throws Exception {
        Set<String> own = new TreeSet<>();
        Set<String> modules = new TreeSet<>(modules());
        NodeList dependencies = pom(root.resolve(module).resolve("pom.xml")).getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            if (dependency.getParentNode().getParentNode().getNodeName().equals("dependencyManagement")) {
                continue;
            }
            String artifact = text(dependency, "artifactId");
            if ("io.backbus".equals(text(dependency, "groupId")) && modules.contains(artifact)
                    && !"test".equals(text(dependency, "scope"))) {
                own.add(artifact);
            }
        }
        return own;
    }

    private static String text(Element element, String child) {
        NodeList nodes = element.getElementsByTagName(child);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().strip();
    }

    private static Document pom(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }
}
