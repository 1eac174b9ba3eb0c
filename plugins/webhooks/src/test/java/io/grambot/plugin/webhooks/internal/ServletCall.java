package io.grambot.plugin.webhooks.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** A request to a servlet, made without a server: the servlet API's request and response as small stand-ins. */
final class ServletCall {

    /** What the servlet answered. */
    record Result(int status, Map<String, String> headers, String body, int bytesRead) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private String method = "POST";
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String query;
    private byte[] body = new byte[0];
    private boolean sendLength = true;

    static ServletCall post(String json) {
        return new ServletCall().contentType("application/json").body(json.getBytes(StandardCharsets.UTF_8));
    }

    ServletCall method(String value) {
        method = value;
        return this;
    }

    ServletCall header(String name, String value) {
        headers.put(name.toLowerCase(Locale.ROOT), value);
        return this;
    }

    ServletCall contentType(String value) {
        return value == null ? without("content-type") : header("Content-Type", value);
    }

    ServletCall without(String name) {
        headers.remove(name.toLowerCase(Locale.ROOT));
        return this;
    }

    ServletCall query(String raw) {
        query = raw;
        return this;
    }

    ServletCall body(byte[] bytes) {
        body = bytes.clone();
        return this;
    }

    /** Sends the body without a Content-Length, as a chunked request does. */
    ServletCall chunked() {
        sendLength = false;
        return this;
    }

    /** Runs the request through the servlet. */
    Result to(HttpServlet servlet) throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        AtomicInteger read = new AtomicInteger();
        ServletInputStream input = new ServletInputStream() {
            @Override
            public int read() {
                int b = in.read();
                if (b >= 0) {
                    read.incrementAndGet();
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = in.read(b, off, len);
                if (n > 0) {
                    read.addAndGet(n);
                }
                return n;
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {}
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ServletOutputStream output = new ServletOutputStream() {
            @Override
            public void write(int b) {
                out.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {}
        };
        int[] status = { 200 };
        Map<String, String> answerHeaders = new LinkedHashMap<>();
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(ServletCall.class.getClassLoader(),
                new Class<?>[] { HttpServletRequest.class }, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getHeader" -> headers.get(((String) args[0]).toLowerCase(Locale.ROOT));
                    case "getHeaderNames" -> Collections.enumeration(headers.keySet());
                    case "getContentType" -> headers.get("content-type");
                    case "getContentLengthLong" -> sendLength ? (long) body.length : -1L;
                    case "getContentLength" -> sendLength ? body.length : -1;
                    case "getQueryString" -> query;
                    case "getInputStream" -> input;
                    case "getRemoteAddr" -> "192.0.2.7";
                    case "getProtocol" -> "HTTP/1.1";
                    case "getParameterMap", "getParameter", "getParameterNames", "getReader" ->
                        throw new AssertionError("the servlet must not read the body as parameters or text");
                    default -> null;
                });
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(
                ServletCall.class.getClassLoader(), new Class<?>[] { HttpServletResponse.class },
                (proxy, m, args) -> switch (m.getName()) {
                    case "setStatus" -> {
                        status[0] = (Integer) args[0];
                        yield null;
                    }
                    case "setHeader", "addHeader" -> {
                        answerHeaders.put(((String) args[0]).toLowerCase(Locale.ROOT), (String) args[1]);
                        yield null;
                    }
                    case "setContentType" -> {
                        answerHeaders.put("content-type", (String) args[0]);
                        yield null;
                    }
                    case "getOutputStream" -> output;
                    default -> null;
                });
        servlet.service(request, response);
        return new Result(status[0], answerHeaders, out.toString(StandardCharsets.UTF_8), read.get());
    }
}
