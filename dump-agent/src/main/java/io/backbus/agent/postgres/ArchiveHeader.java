package io.backbus.agent.postgres;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the header of a {@code pg_dump -Fc} archive, which records the dumped server's version — so the manifest
 * gets it from the artifact itself, without a second connection to the database.
 *
 * <p>Layout (pg_backup_archiver.c, WriteHead): "PGDMP", version major/minor/rev bytes, int size, offset size,
 * format byte, compression (an int up to archive 1.14, a byte from 1.15), seven ints of creation time, then the
 * strings database name, server version, pg_dump version. An int is a sign byte plus {@code intSize}
 * little-endian bytes; a string is an int length (-1 for null) plus bytes.
 */
public final class ArchiveHeader {

    private final DataInputStream in;
    private int intSize;

    private ArchiveHeader(InputStream in) {
        this.in = new DataInputStream(in);
    }

    /** The {@code remoteVersionStr} recorded in the archive, e.g. {@code 15.18}. */
    public static String serverVersion(Path archive) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive), 4096)) {
            return new ArchiveHeader(in).readServerVersion();
        }
    }

    /** The {@code remoteVersionStr} recorded in an archive that starts with {@code head[0..length)}. */
    public static String serverVersion(byte[] head, int length) throws IOException {
        return new ArchiveHeader(new java.io.ByteArrayInputStream(head, 0, length)).readServerVersion();
    }

    private String readServerVersion() throws IOException {
        byte[] magic = new byte[5];
        in.readFully(magic);
        if (!"PGDMP".equals(new String(magic, StandardCharsets.US_ASCII))) {
            throw new IOException("not a pg_dump custom-format archive");
        }
        int major = in.readUnsignedByte();
        int minor = in.readUnsignedByte();
        in.readUnsignedByte(); // revision
        intSize = in.readUnsignedByte();
        in.readUnsignedByte(); // offset size
        in.readUnsignedByte(); // format
        if (major != 1 || intSize < 1 || intSize > 8) {
            throw new IOException("unsupported archive version " + major + "." + minor + " / int size " + intSize);
        }
        if (minor >= 15) {
            in.readUnsignedByte(); // compression algorithm
        } else {
            readInt(); // compression level
        }
        for (int i = 0; i < 7; i++) {
            readInt(); // creation time: sec, min, hour, mday, mon, year, isdst
        }
        readString(); // database name
        String serverVersion = readString();
        if (serverVersion == null || serverVersion.isBlank()) {
            throw new IOException("archive header carries no server version");
        }
        return serverVersion;
    }

    private long readInt() throws IOException {
        int sign = in.readUnsignedByte();
        long value = 0;
        for (int i = 0; i < intSize; i++) {
            value |= ((long) in.readUnsignedByte()) << (8 * i);
        }
        return sign == 0 ? value : -value;
    }

    private String readString() throws IOException {
        long length = readInt();
        if (length < 0) {
            return null;
        }
        if (length > 10_000) {
            throw new EOFException("implausible string length " + length + " in archive header");
        }
        byte[] bytes = new byte[(int) length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
