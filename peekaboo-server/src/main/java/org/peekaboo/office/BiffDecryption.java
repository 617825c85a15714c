package org.peekaboo.office;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.Set;
import org.apache.poi.hssf.record.FilePassRecord;
import org.apache.poi.hssf.record.RecordInputStream;
import org.apache.poi.poifs.crypt.Decryptor;

/**
 * Decrypts an encrypted BIFF8 workbook stream (RC4, RC4 CryptoAPI or XOR obfuscation) with
 * Excel's default passwords, record by record as [MS-XLS] 2.2.10 lays it out: the key stream
 * runs over every byte of the stream, but record headers, a few records and a sheet's stream
 * position stay in the clear. POI supplies the ciphers; which bytes are plain is decided here
 * because POI's record reader cannot return the raw records the scanner reads.
 */
final class BiffDecryption {
    private static final int FILEPASS = 0x002F;
    private static final int BOUNDSHEET = 0x0085;
    /** BOF, FILEPASS, UsrExcl, FileLock, InterfaceHdr, RRDInfo, RRDHead: never encrypted. */
    private static final Set<Integer> PLAIN_RECORDS = Set.of(0x0809, FILEPASS, 0x0194, 0x0195, 0x00E1, 0x0196, 0x0138);
    /** The cipher is keyed afresh every 1024 bytes of the stream. */
    private static final int REKEY_INTERVAL = 1024;

    private BiffDecryption() {
    }

    /**
     * The plain text of {@code stream}, whose FILEPASS record holds {@code filePass}.
     *
     * @throws OfficeDocumentException encrypted, if no default password opens it; unreadable, for an
     *                                 unsupported or damaged encryption header
     */
    static byte[] decrypt(byte[] stream, byte[] filePass, String container) throws IOException {
        Decryptor decryptor;
        try {
            decryptor = filePassRecord(filePass).getEncryptionInfo().getDecryptor();
            if (DefaultPasswords.unlock(decryptor).isEmpty()) {
                throw OfficeDocumentException.encrypted(container
                        + ": the workbook is encrypted with a password other than Excel's default ones");
            }
            decryptor.setChunkSize(REKEY_INTERVAL);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new OfficeDocumentException(container + ": unsupported workbook encryption: " + e, e);
        }
        byte[] decrypted;
        try (InputStream in = decryptor.getDataStream(new ByteArrayInputStream(stream), stream.length, 0)) {
            decrypted = in.readNBytes(stream.length);
        } catch (GeneralSecurityException e) {
            throw new OfficeDocumentException(container + ": cannot decrypt the workbook: " + e, e);
        }
        byte[] plain = stream.clone();
        for (int at = 0; at + 4 <= stream.length; ) {
            int type = u16(stream, at);
            int length = Math.min(u16(stream, at + 2), stream.length - at - 4);
            int from = type == BOUNDSHEET ? Math.min(4, length) : 0;
            if (!PLAIN_RECORDS.contains(type)) {
                System.arraycopy(decrypted, at + 4 + from, plain, at + 4 + from, length - from);
            }
            at += 4 + length;
        }
        return plain;
    }

    private static FilePassRecord filePassRecord(byte[] data) {
        byte[] record = new byte[4 + data.length];
        record[0] = (byte) FILEPASS;
        record[2] = (byte) data.length;
        record[3] = (byte) (data.length >> 8);
        System.arraycopy(data, 0, record, 4, data.length);
        RecordInputStream in = new RecordInputStream(new ByteArrayInputStream(record));
        in.nextRecord();
        return new FilePassRecord(in);
    }

    private static int u16(byte[] data, int offset) {
        return (data[offset] & 0xFF) | (data[offset + 1] & 0xFF) << 8;
    }
}
