package org.peekaboo.office;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.zip.ZipFile;
import org.apache.poi.poifs.crypt.Decryptor;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

/**
 * Opens an encrypted OOXML document (an OLE2 file with {@code EncryptionInfo} and
 * {@code EncryptedPackage}, agile or standard encryption) with Office's default passwords and
 * inspects the decrypted package like any OOXML document.
 */
final class EncryptedPackages {
    private static final int MAX_SPIN_COUNT = 10_000_000;

    private final MacroLimits limits;
    private final Findings findings;

    EncryptedPackages(MacroLimits limits, Findings findings) {
        this.limits = limits;
        this.findings = findings;
    }

    void inspect(POIFSFileSystem fs, String container) throws IOException {
        Decryptor decryptor;
        try {
            EncryptionInfo info = new EncryptionInfo(fs);
            // Each password tried hashes spinCount times; Office writes 100,000, [MS-OFFCRYPTO] allows
            // at most 10,000,000, and a forged count would keep a worker busy for hours.
            if (info.getVerifier().getSpinCount() > MAX_SPIN_COUNT) {
                throw new OfficeDocumentException(container + ": encryption spin count "
                        + info.getVerifier().getSpinCount() + " exceeds the specification's " + MAX_SPIN_COUNT);
            }
            decryptor = Decryptor.getInstance(info);
            if (DefaultPasswords.unlock(decryptor).isEmpty()) {
                throw OfficeDocumentException.encrypted(container
                        + ": encrypted with a password other than Office's default ones");
            }
        } catch (GeneralSecurityException e) {
            throw new OfficeDocumentException(container + ": unsupported encryption: " + e, e);
        }
        // On disk, not in memory: a package may be as large as the document itself and is read as a zip.
        Path decrypted = Files.createTempFile("peekaboo-decrypted-", ".zip");
        try {
            try (InputStream in = decryptor.getDataStream(fs); OutputStream out = Files.newOutputStream(decrypted)) {
                copyBounded(in, out, container);
            } catch (GeneralSecurityException e) {
                throw new OfficeDocumentException(container + ": cannot decrypt: " + e, e);
            }
            try (ZipFile zip = new ZipFile(decrypted.toFile())) {
                new OoxmlInspector(limits, findings).inspect(zip);
            }
        } finally {
            Files.deleteIfExists(decrypted);
        }
    }

    private void copyBounded(InputStream in, OutputStream out, String container) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            total += n;
            // The declared package size is the attacker's; the OLE2 limit bounds what is written.
            if (total > limits.maxOle2Bytes()) {
                throw new OfficeDocumentException(container + ": the decrypted package exceeds "
                        + limits.maxOle2Bytes() + " bytes; the macros cannot be judged");
            }
            out.write(buffer, 0, n);
        }
    }
}
