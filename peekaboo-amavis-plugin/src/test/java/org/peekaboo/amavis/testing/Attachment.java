package org.peekaboo.amavis.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import net.lingala.zip4j.model.ZipParameters;
import net.lingala.zip4j.model.enums.EncryptionMethod;

/**
 * One attachment of a test mail: its declared file name, how the name is written into the
 * MIME headers, its declared type and its content.
 */
public record Attachment(String name, NameEncoding encoding, String contentType, byte[] content) {

    /** How a file name is put into {@code Content-Disposition} and {@code Content-Type}. */
    public enum NameEncoding {
        /** {@code filename="name"}, for ASCII names. */
        QUOTED,
        /** RFC 2231: {@code filename*=UTF-8''percent-encoded}, as current mail clients write it. */
        RFC2231,
        /** RFC 2047 encoded word inside the quotes, as Outlook and older clients write it. */
        RFC2047
    }

    public Attachment {
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    public static Attachment text(String name, String text) {
        return new Attachment(name, NameEncoding.QUOTED, "text/plain; charset=UTF-8",
                text.getBytes(StandardCharsets.UTF_8));
    }

    public static Attachment resource(String name, String contentType) {
        try (InputStream in = Attachment.class.getResourceAsStream("/org/peekaboo/amavis/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("test resource /org/peekaboo/amavis/" + name + " is missing");
            }
            return new Attachment(name, NameEncoding.QUOTED, contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A zip archive holding one text member. */
    public static Attachment zip(String name, String memberName, String memberText) {
        return zip(name, memberName, memberText.getBytes(StandardCharsets.UTF_8));
    }

    /** A zip archive holding one member of any content. */
    public static Attachment zip(String name, String memberName, byte[] member) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(memberName));
            zip.write(member);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Attachment(name, NameEncoding.QUOTED, "application/zip", bytes.toByteArray());
    }

    /** A zip archive holding one text member encrypted with ZipCrypto, as most archivers still write it. */
    public static Attachment encryptedZip(String name, String password, String memberName, String memberText) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ZipParameters parameters = new ZipParameters();
        parameters.setEncryptFiles(true);
        parameters.setEncryptionMethod(EncryptionMethod.ZIP_STANDARD);
        parameters.setFileNameInZip(memberName);
        try (net.lingala.zip4j.io.outputstream.ZipOutputStream zip =
                     new net.lingala.zip4j.io.outputstream.ZipOutputStream(bytes, password.toCharArray())) {
            zip.putNextEntry(parameters);
            zip.write(memberText.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Attachment(name, NameEncoding.QUOTED, "application/zip", bytes.toByteArray());
    }

    public Attachment withName(String newName) {
        return new Attachment(newName, encoding, contentType, content);
    }

    public Attachment withEncoding(NameEncoding nameEncoding) {
        return new Attachment(name, nameEncoding, contentType, content);
    }
}
