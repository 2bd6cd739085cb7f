package io.backbus.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.contracts.ServiceTopics;
import io.backbus.contracts.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.springframework.asm.AnnotationVisitor;
import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassVisitor;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.Opcodes;

/**
 * The contract topics a service's compiled classes actually consume ({@code @KafkaListener(topics = ...)}) and
 * produce to (the topic constant passed to {@code Outbox.publish} / {@code TelemetryPublisher.publish}), read from
 * the bytecode so it does not depend on the service's package layout. Each service's test compares it with its row
 * of {@link ServiceTopics}, the table its Kafka ACLs are derived from.
 *
 * @param produces   topics passed to a publish call
 * @param consumes   topics of listener annotations
 * @param unresolved publish or send calls whose topic is not a contract constant (e.g. a variable), as
 *                   {@code class#method}: the declaration cannot be checked for them
 */
public record BusTopicUsage(Set<String> produces, Set<String> consumes, List<String> unresolved) {

    private static final String KAFKA_LISTENER = "Lorg/springframework/kafka/annotation/KafkaListener;";
    private static final Set<String> PUBLISHERS = Set.of("io/backbus/delivery/Outbox",
            "io/backbus/delivery/TelemetryPublisher");
    private static final Set<String> RAW_SENDERS = Set.of("org/springframework/kafka/core/KafkaTemplate",
            "org/springframework/kafka/core/KafkaOperations", "org/apache/kafka/clients/producer/KafkaProducer",
            "org/apache/kafka/clients/producer/Producer");

    /** The usage of every class below {@code classesDir} (a module's {@code target/classes}). */
    public static BusTopicUsage scan(Path classesDir) {
        var usage = new BusTopicUsage(new TreeSet<>(), new TreeSet<>(), new ArrayList<>());
        try (Stream<Path> files = Files.walk(classesDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    new ClassReader(in).accept(usage.new Scanner(), ClassReader.SKIP_FRAMES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scan " + classesDir, e);
        }
        return usage;
    }

    /** Asserts that the classes below {@code classesDir} produce and consume exactly what {@code declared} says. */
    public static void assertDeclared(ServiceTopics declared, Path classesDir) {
        BusTopicUsage usage = scan(classesDir);
        assertThat(usage.unresolved()).as("publish calls without a contract topic constant in " + classesDir)
                .isEmpty();
        assertThat(usage.consumes()).as("topics consumed by " + declared.service()
                + " (@KafkaListener) vs ServiceTopics." + declared.service()).containsExactlyInAnyOrderElementsOf(
                        declared.consumes());
        assertThat(usage.produces()).as("topics produced by " + declared.service()
                + " (Outbox/TelemetryPublisher.publish) vs ServiceTopics").containsExactlyInAnyOrderElementsOf(
                        declared.produces());
    }

    private final class Scanner extends ClassVisitor {

        private String className;

        Scanner() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                String[] interfaces) {
            className = name;
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            return KAFKA_LISTENER.equals(descriptor) ? new ListenerTopics() : null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                String[] exceptions) {
            return new MethodVisitor(Opcodes.ASM9) {
                // the topic is a publish call's first argument: the first contract topic loaded since the last call
                private String pendingTopic;

                @Override
                public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                    return KAFKA_LISTENER.equals(annotation) ? new ListenerTopics() : null;
                }

                @Override
                public void visitLdcInsn(Object value) {
                    if (pendingTopic == null && value instanceof String s && Topics.ALL.contains(s)) {
                        pendingTopic = s;
                    }
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                    boolean publish = PUBLISHERS.contains(owner) && method.equals("publish");
                    boolean rawSend = RAW_SENDERS.contains(owner) && method.equals("send");
                    if (publish && pendingTopic != null) {
                        produces.add(pendingTopic);
                    } else if (publish || rawSend) {
                        unresolved.add(className + "#" + name);
                    }
                    if (publish || rawSend) {
                        pendingTopic = null;
                    }
                }
            };
        }
    }

    private final class ListenerTopics extends AnnotationVisitor {

        ListenerTopics() {
            super(Opcodes.ASM9);
        }

        @Override
        public AnnotationVisitor visitArray(String name) {
            if (!name.equals("topics") && !name.equals("topicPattern")) {
                return null;
            }
            return new AnnotationVisitor(Opcodes.ASM9) {
                @Override
                public void visit(String ignored, Object value) {
                    consumes.add(String.valueOf(value));
                }
            };
        }

        @Override
        public void visit(String name, Object value) {
            if (name.equals("topicPattern")) {
                consumes.add(String.valueOf(value));
            }
        }
    }
}
