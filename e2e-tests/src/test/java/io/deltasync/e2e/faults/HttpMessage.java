package io.deltasync.e2e.faults;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 message as it crossed the wire, read whole (head and body, by {@code Content-Length}
 * or chunks), so that the proxy can hold it back, drop it or send it again.
 *
 * @param startLine the request line or the status line
 * @param bytes every byte of the message, {@code Expect} headers removed from requests
 */
record HttpMessage(String startLine, java.util.Map<String, String> headers, byte[] bytes) {

  /** A header's value (name in lower case), or null. */
  String header(String lowerCaseName) {
    return headers.get(lowerCaseName);
  }

  /** How many deltas the message carries, by its {@code DeltaSyncDeltaCount} header (0 without). */
  int deltaCount() {
    String count = header("deltasyncdeltacount");
    return count == null ? 0 : Integer.parseInt(count.trim());
  }

  /** The request path, without the query; empty for a response. */
  String path() {
    String[] parts = startLine.split(" ");
    if (parts.length < 2 || startLine.startsWith("HTTP/")) {
      return "";
    }
    int query = parts[1].indexOf('?');
    return query < 0 ? parts[1] : parts[1].substring(0, query);
  }

  /** The status of a response, or 0 for a request. */
  int status() {
    return startLine.startsWith("HTTP/") ? Integer.parseInt(startLine.split(" ")[1]) : 0;
  }

  /** Reads one request; null when the peer closed the connection before its first byte. */
  static HttpMessage readRequest(InputStream in) throws IOException {
    return read(in, false);
  }

  /** Reads one response. */
  static HttpMessage readResponse(InputStream in) throws IOException {
    HttpMessage response = read(in, true);
    if (response == null) {
      throw new EOFException("the connection closed before a response");
    }
    return response;
  }

  private static HttpMessage read(InputStream in, boolean response) throws IOException {
    String first = line(in, true);
    if (first == null) {
      return null;
    }
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    put(raw, first);
    java.util.Map<String, String> headers = new java.util.HashMap<>();
    long length = -1;
    boolean chunked = false;
    for (String header = line(in, false); !header.isEmpty(); header = line(in, false)) {
      String name = header.substring(0, Math.max(0, header.indexOf(':'))).trim();
      String value = header.substring(header.indexOf(':') + 1).trim();
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("expect")) {
        continue; // the proxy reads whole requests: no interim 100 Continue
      }
      if (lower.equals("content-length")) {
        length = Long.parseLong(value);
      } else if (lower.equals("transfer-encoding")
          && value.toLowerCase(Locale.ROOT).contains("chunked")) {
        chunked = true;
      }
      headers.put(lower, value);
      put(raw, header);
    }
    put(raw, "");
    if (chunked) {
      while (true) {
        String size = line(in, false);
        put(raw, size);
        int semicolon = size.indexOf(';');
        long chunk =
            Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
        if (chunk == 0) {
          for (String trailer = line(in, false); ; trailer = line(in, false)) {
            put(raw, trailer);
            if (trailer.isEmpty()) {
              break;
            }
          }
          break;
        }
        raw.write(in.readNBytes((int) chunk));
        put(raw, line(in, false));
      }
    } else if (length >= 0) {
      byte[] body = in.readNBytes((int) length);
      if (body.length < length) {
        throw new EOFException("the body ended after " + body.length + " of " + length + " bytes");
      }
      raw.write(body);
    } else if (response) {
      int status = Integer.parseInt(first.split(" ")[1]);
      if (status >= 200 && status != 204 && status != 304) {
        raw.write(in.readAllBytes()); // no length: the body ends with the connection
      }
    }
    return new HttpMessage(first, java.util.Map.copyOf(headers), raw.toByteArray());
  }

  private static void put(ByteArrayOutputStream raw, String line) {
    raw.writeBytes((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
  }

  /** One line without its CRLF; null at the end of the stream when allowed. */
  private static String line(InputStream in, boolean endAllowed) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r'
            ? line.substring(0, end - 1)
            : line.toString();
      }
      line.append((char) c);
    }
    if (endAllowed && line.length() == 0) {
      return null;
    }
    throw new EOFException("the connection closed inside a message");
  }
}
