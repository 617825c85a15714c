package org.peekaboo.amavis.soak;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import org.peekaboo.amavis.testing.Attachment;
import org.peekaboo.amavis.testing.Attachment.NameEncoding;
import org.peekaboo.amavis.testing.TestMails;

/**
 * Makes the soak's mails from a seeded random: the kind by {@link MailKind}'s shares, 1 to 20
 * attachments (the text-only kind has none), the bad part at a random place among clean ones.
 * Most parts are unique, so that Peekaboo analyses them; some are the same bytes under the same
 * name in many mails, as a common disclaimer or a campaign's attachment is, so that the stored
 * verdicts ({@code known}) are exercised too.
 */
public final class SoakMails {
    public static final String ID_HEADER = "X-Soak-Id";
    public static final String EXPECT_HEADER = "X-Soak-Expect";
    public static final String MARKER = "X5O!P%@AP-/_(:)_/-X22x8cz2$PeekabooAV-STD-ANTIVIRUS-TEST-FILE!$H+H*";
    private static final int MAX_PARTS = 20;

    private final TestMails mails = new TestMails();
    private final byte[] macroDocument;
    private final Attachment logo = Attachment.resource("logo.png", "image/png");
    private final Attachment pdf = Attachment.resource("minutes.pdf", "application/pdf");

    private SoakMails(byte[] macroDocument) {
        this.macroDocument = macroDocument;
    }

    /** @param macroDocument a Word document with a VBA macro, e.g. the compose demo's invoice.doc */
    public static SoakMails withMacroDocument(Path macroDocument) {
        try {
            return new SoakMails(Files.readAllBytes(macroDocument));
        } catch (IOException e) {
            throw new UncheckedIOException("the soak's macro document " + macroDocument + " cannot be read", e);
        }
    }

    /** @param run tells this run's mails from those of another run at the same sink */
    public List<SoakMail> generate(int count, Random random, String run) {
        int total = IntStream.range(0, MailKind.values().length).map(i -> MailKind.values()[i].weight()).sum();
        List<SoakMail> result = new ArrayList<>(count);
        for (int id = 1; id <= count; id++) {
            int pick = random.nextInt(total);
            MailKind kind = null;
            for (MailKind candidate : MailKind.values()) {
                pick -= candidate.weight();
                if (pick < 0) {
                    kind = candidate;
                    break;
                }
            }
            result.add(mail(id, kind, random, run));
        }
        return result;
    }

    private SoakMail mail(int id, MailKind kind, Random random, String run) {
        List<Attachment> parts = new ArrayList<>();
        if (kind != MailKind.CLEAN_TEXT) {
            int count = 1 + random.nextInt(MAX_PARTS);
            for (int i = 0; i < count; i++) {
                parts.add(filler(id, i, random));
            }
            int special = random.nextInt(count);
            special(id, special, kind, random).ifPresent(part -> parts.set(special, part));
        }
        MimeMessage message = mails.mail("Soak " + run + " #" + id + " " + kind.label(),
                "Soak mail " + id + " of run " + run + ".\nRegards\n", parts);
        try {
            message.setHeader(ID_HEADER, run + "-" + id);
            message.setHeader(EXPECT_HEADER, kind.bad() ? "bad" : "clean");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            message.writeTo(bytes);
            return new SoakMail(id, kind, parts.size(), bytes.toByteArray());
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("soak mail " + id + " cannot be written: " + e.getMessage(), e);
        }
    }

    private Attachment filler(int id, int index, Random random) {
        int pick = random.nextInt(100);
        String prefix = "m" + id + "-p" + index + "-";
        if (pick < 60) {
            return Attachment.text(prefix + "notes.txt", "Notes " + id + "/" + index + ": " + random.nextLong() + "\n");
        } else if (pick < 75) {
            return Attachment.text("disclaimer.txt", "This mail and its attachments are confidential.\n");
        } else if (pick < 85) {
            return logo.withName(prefix + "logo.png");
        } else if (pick < 95) {
            return pdf.withName(prefix + "minutes.pdf");
        }
        return Attachment.zip(prefix + "bundle.zip", prefix + "readme.txt", "Read me " + random.nextLong() + "\n");
    }

    private Optional<Attachment> special(int id, int index, MailKind kind, Random random) {
        String prefix = "m" + id + "-p" + index + "-";
        boolean campaign = random.nextInt(4) == 0;
        return Optional.ofNullable(switch (kind) {
            case CLEAN_TEXT, CLEAN_PARTS -> null;
            case CLEAN_ZIP -> Attachment.zip(prefix + "report.zip", prefix + "report.txt",
                    "Quarterly report " + random.nextLong() + "\n");
            case MARKER -> campaign
                    ? Attachment.text("invoice.txt", "Amount due.\n" + MARKER + "\n")
                    : Attachment.text(prefix + "invoice.txt", "Amount due " + id + ".\n" + MARKER + "\n");
            case MACRO -> new Attachment(campaign ? "invoice.doc" : prefix + "invoice.doc", NameEncoding.QUOTED,
                    "application/msword", macroDocument);
            case ZIP_MARKER -> Attachment.zip(prefix + "archive.zip", prefix + "payload.txt",
                    "inside " + id + "\n" + MARKER + "\n");
            case ZIP_MACRO -> Attachment.zip(prefix + "documents.zip", prefix + "invoice.doc", macroDocument);
        });
    }
}
