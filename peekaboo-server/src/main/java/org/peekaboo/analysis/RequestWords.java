package org.peekaboo.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.peekaboo.config.ExpansionSettings;
import org.peekaboo.expansion.Passwords;
import org.peekaboo.sample.CheckedFile;
import org.peekaboo.sample.SampleContent;
import org.peekaboo.sample.SampleDeclaration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The words of the text files of a request, the passwords an encrypted archive in the same request
 * may open with. A mail filter that unpacked the mail (amavis) names its text body as a file of its
 * own, declared {@code text/plain} or {@code text/html}; that is where droppers write the password.
 * Read only when an encrypted member asks, from the request's own snapshots.
 */
final class RequestWords {
    private static final Logger LOG = LoggerFactory.getLogger(RequestWords.class);
    /** Text read per file: a body that states a password does so near its start. */
    static final int TEXT_LIMIT = 256 * 1024;
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Charset FALLBACK = Charset.forName("windows-1252");

    private RequestWords() {
    }

    /**
     * What encrypted archives of the request are tried with: the configured passwords, then the words
     * of the request's text files. Those files are kept until the whole request is judged, so that
     * their words can be read when an archive asks for them.
     */
    static Passwords passwords(ScanJob job, List<SampleDeclaration> files, List<CheckedFile> checked,
                               RequestFiles contents, ExpansionSettings settings) {
        if (!settings.passwordsFromText()) {
            return new Passwords(settings.passwords(), List.of());
        }
        Texts texts = Texts.among(files, checked);
        if (texts.files().isEmpty()) {
            return new Passwords(settings.passwords(), List.of());
        }
        texts.files().forEach(contents::retain);
        job.done().whenComplete((judged, failure) -> texts.files().forEach(contents::release));
        return Passwords.lazy(settings.passwords(),
                () -> of(texts.files(), texts.declarations(), contents, settings.maxPasswordWords()));
    }

    /** Whether a file declared so is a text part whose words are worth trying. */
    static boolean isText(SampleDeclaration declaration) {
        String type = declaration.typeDeclared();
        if (type == null) {
            return false;
        }
        String bare = type.toLowerCase(Locale.ROOT).strip();
        return bare.startsWith("text/plain") || bare.startsWith("text/html");
    }

    /** The words of the given text files, at most {@code max}, in request order. */
    static List<String> of(List<CheckedFile> texts, List<SampleDeclaration> declarations, RequestFiles contents,
                           int max) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < texts.size(); i++) {
            try {
                SampleContent content = contents.content(texts.get(i));
                String body = decode(content);
                String type = declarations.get(i).typeDeclared().toLowerCase(Locale.ROOT);
                text.append(type.startsWith("text/html") ? TAG.matcher(body).replaceAll(" ") : body).append('\n');
            } catch (IOException | RuntimeException e) {
                LOG.debug("Words of {} not read: {}", texts.get(i).realPath(), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Passwords.wordsOf(text.toString(), max);
    }

    private static String decode(SampleContent content) throws IOException {
        byte[] bytes;
        try (InputStream in = content.openStream()) {
            bytes = in.readNBytes(TEXT_LIMIT);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException notUtf8) {
            return new String(bytes, FALLBACK);
        }
    }

    /** The files among {@code files} that are text, with their declarations, in request order. */
    record Texts(List<CheckedFile> files, List<SampleDeclaration> declarations) {
        static Texts among(List<SampleDeclaration> declarations, List<CheckedFile> checked) {
            List<CheckedFile> files = new ArrayList<>();
            List<SampleDeclaration> texts = new ArrayList<>();
            for (int i = 0; i < declarations.size(); i++) {
                if (isText(declarations.get(i))) {
                    files.add(checked.get(i));
                    texts.add(declarations.get(i));
                }
            }
            return new Texts(List.copyOf(files), List.copyOf(texts));
        }
    }
}
