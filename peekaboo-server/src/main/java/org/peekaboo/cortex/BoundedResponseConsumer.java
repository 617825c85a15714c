package org.peekaboo.cortex;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Optional;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.entity.AbstractBinAsyncEntityConsumer;
import org.apache.hc.core5.http.nio.support.AbstractAsyncResponseConsumer;

/**
 * Reads a whole answer into memory, but at most {@code limit} bytes: a broken proxy or a
 * runaway report must not exhaust the heap of a daemon that holds many jobs.
 */
final class BoundedResponseConsumer extends AbstractAsyncResponseConsumer<HttpResult, byte[]> {

    BoundedResponseConsumer(long limit) {
        super(() -> new BodyConsumer(limit));
    }

    @Override
    protected HttpResult buildResult(HttpResponse response, byte[] body, ContentType contentType) {
        String type = contentType == null ? "" : contentType.getMimeType().toLowerCase(Locale.ROOT);
        Header retryAfter = response.getFirstHeader("Retry-After");
        return new HttpResult(response.getCode(), type, Optional.ofNullable(retryAfter).map(Header::getValue),
                body == null ? new byte[0] : body);
    }

    @Override
    public void informationResponse(HttpResponse response, org.apache.hc.core5.http.protocol.HttpContext context) {
        // 1xx answers carry nothing Cortex would tell us.
    }

    private static final class BodyConsumer extends AbstractBinAsyncEntityConsumer<byte[]> {
        private final long limit;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        BodyConsumer(long limit) {
            this.limit = limit;
        }

        @Override
        protected void streamStart(ContentType contentType) {
        }

        @Override
        protected int capacityIncrement() {
            return 64 * 1024;
        }

        @Override
        protected void data(ByteBuffer src, boolean endOfStream) throws IOException {
            if (buffer.size() + (long) src.remaining() > limit) {
                throw new IOException("the answer is longer than " + limit + " bytes");
            }
            byte[] chunk = new byte[src.remaining()];
            src.get(chunk);
            buffer.write(chunk);
        }

        @Override
        protected byte[] generateContent() {
            return buffer.toByteArray();
        }

        @Override
        public void releaseResources() {
        }
    }
}
