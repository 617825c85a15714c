package org.peekaboo.office;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.HashSet;
import java.util.Set;
import org.apache.poi.poifs.crypt.ChunkedCipherInputStream;
import org.apache.poi.poifs.crypt.Decryptor;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.util.LittleEndianInputStream;

/**
 * Decrypts the records of an encrypted PowerPoint 97-2003 presentation ([MS-PPT] 2.3.7) with
 * one of Office's default passwords ({@link DefaultPasswords}; PowerPoint's own is
 * {@code /01Hannes Ruescher/01}), which PowerPoint opens without asking. The key is RC4
 * CryptoAPI from the CryptSession10Container; every persist object (header included) is
 * encrypted on its own, with its persist id as the block number; the UserEditAtoms and
 * PersistDirectoryAtoms that lead to them are in the clear. POI's CryptoAPI decryptor does the
 * cryptography, as for .xls.
 */
final class PowerPointDecryption {
    static final int RT_CRYPT_SESSION = 0x2F14;

    private PowerPointDecryption() {
    }

    /**
     * A copy of {@code stream} with every persist object decrypted.
     *
     * @throws OfficeDocumentException encrypted if no default password opens it; unreadable if
     *                                 its encryption header or records are corrupt
     */
    static byte[] decrypt(byte[] stream, PowerPointStorages.PersistChain chain, String container)
            throws OfficeDocumentException {
        int sessionOffset = PowerPointStorages.persistOffset(stream, chain.directories(),
                chain.cryptSessionPersistId());
        PowerPointStorages.Header session = sessionOffset < 0 || chain.cryptSessionPersistId() <= 0 ? null
                : PowerPointStorages.header(stream, sessionOffset, container);
        if (session == null || session.type() != RT_CRYPT_SESSION) {
            throw new OfficeDocumentException(container + ": encrypted PowerPoint presentation without its"
                    + " encryption header");
        }
        Decryptor decryptor;
        try {
            EncryptionInfo info = new EncryptionInfo(new LittleEndianInputStream(new ByteArrayInputStream(stream,
                    session.data(), (int) session.length())), EncryptionMode.cryptoAPI);
            decryptor = info.getDecryptor();
            if (DefaultPasswords.unlock(decryptor).isEmpty()) {
                throw OfficeDocumentException.encrypted(container + ": the PowerPoint presentation is encrypted"
                        + " with a password other than Office's default ones");
            }
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            if (e instanceof OfficeDocumentException ode) {
                throw ode;
            }
            throw new OfficeDocumentException(container + ": unsupported or corrupt PowerPoint encryption: " + e, e);
        }
        decryptor.setChunkSize(-1);
        byte[] plain = stream.clone();
        Set<Integer> done = new HashSet<>();
        done.add(sessionOffset);
        long decrypted = 0;
        for (PowerPointStorages.Header directory : chain.directories()) {
            for (int at = directory.data(); at + 4 <= directory.end(); ) {
                long entry = PowerPointStorages.u32(stream, at);
                long first = entry & 0xFFFFF;
                long count = entry >>> 20;
                at += 4;
                for (long i = 0; i < count && at + 4 <= directory.end(); i++, at += 4) {
                    long offset = PowerPointStorages.u32(stream, at);
                    if (offset >= stream.length || !done.add((int) offset)) {
                        continue;
                    }
                    decrypted += decryptRecord(decryptor, stream, plain, (int) offset, (int) (first + i), container);
                    // Persist objects do not overlap; offsets that make them would decrypt the stream over and over.
                    if (decrypted > stream.length) {
                        throw new OfficeDocumentException(container + ": encrypted persist objects overlap");
                    }
                }
            }
        }
        return plain;
    }

    /** Decrypts the record at {@code offset} of {@code stream} into {@code plain}; its size. */
    private static int decryptRecord(Decryptor decryptor, byte[] stream, byte[] plain, int offset, int persistId,
                                     String container) throws OfficeDocumentException {
        if (stream.length - offset < 8) {
            throw new OfficeDocumentException(container + ": encrypted record at offset " + offset
                    + " runs past the end of the stream");
        }
        try (InputStream in = decryptor.getDataStream(new ByteArrayInputStream(stream, offset, stream.length - offset),
                stream.length - offset, 0)) {
            ChunkedCipherInputStream cipher = (ChunkedCipherInputStream) in;
            cipher.initCipherForBlock(persistId);
            cipher.readNBytes(plain, offset, 8);
            long length = PowerPointStorages.u32(plain, offset + 4);
            if (length > stream.length - offset - 8L) {
                throw new OfficeDocumentException(container + ": encrypted record at offset " + offset + " of "
                        + length + " bytes runs past the end of the stream (wrong key or corrupt)");
            }
            cipher.readNBytes(plain, offset + 8, (int) length);
            return 8 + (int) length;
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            if (e instanceof OfficeDocumentException ode) {
                throw ode;
            }
            throw new OfficeDocumentException(container + ": cannot decrypt the record at offset " + offset + ": " + e,
                    e);
        }
    }
}
