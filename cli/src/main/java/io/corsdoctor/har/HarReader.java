package io.corsdoctor.har;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.corsdoctor.cors.Header;
import io.corsdoctor.har.HarEntry.HarRequest;
import io.corsdoctor.har.HarEntry.HarResponse;
import io.corsdoctor.har.HarFormatException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams a HAR 1.1/1.2 file (Chromium, Edge, Firefox, Safari, Playwright) entry by entry with
 * Jackson's streaming parser. Only what {@link HarEntry} holds is kept; everything else (bodies,
 * timings, initiator stacks) is skipped as it streams by, so memory does not grow with the file.
 * Bodies do not even reach the parser: a {@link BodySkipper} drops them on a thread of its own.
 * Lenient where exporters differ (numbers as strings, missing fields, unknown fields), strict where
 * the shape is wrong.
 */
public final class HarReader {

  /** Receives what the reader finds, in file order. */
  public interface Listener {
    /** A page of {@code log.pages}: Chromium's title is the page URL. */
    default void page(String id, String title) {}

    void entry(HarEntry entry) throws HarFormatException;
  }

  /** Input scanned at once by the {@link BodySkipper}: few system calls and cuts per megabyte. */
  static final int CHUNK = 256 * 1024;

  private final HarLimits limits;
  private final int chunk;
  private final boolean threaded;

  public HarReader(HarLimits limits) {
    this(limits, CHUNK, true);
  }

  /**
   * @param chunk the {@link BodySkipper}'s chunk size, or 0 to let the parser see the bodies (the
   *     results are the same, only slower)
   * @param threaded whether the skipper reads and scans on a thread of its own
   */
  HarReader(HarLimits limits, int chunk, boolean threaded) {
    this.limits = limits;
    this.chunk = chunk;
    this.threaded = threaded;
  }

  /**
   * Reads {@code in} to the end and returns the number of entries.
   *
   * @throws HarFormatException the input is not a readable HAR (says what and where)
   * @throws IOException reading failed
   */
  public int read(InputStream in, Listener listener) throws HarFormatException, IOException {
    BodySkipper skipper = chunk > 0 ? new BodySkipper(in, chunk, threaded) : null;
    try (skipper;
        JsonParser p = limits.factory().createParser(skipper == null ? in : skipper)) {
      Run run = new Run(p, skipper, listener);
      try {
        run.document();
      } catch (StreamConstraintsException e) {
        throw run.tooBig(e);
      } catch (JsonEOFException e) {
        long at = run.at(p.currentLocation());
        throw new HarFormatException(
            Kind.TRUNCATED,
            "the file ends in the middle of the JSON at byte offset "
                + at
                + run.inEntry()
                + ": it is truncated",
            at,
            run.entry,
            e);
      } catch (InputCoercionException e) {
        throw run.wrongType("a number", "a number out of range");
      } catch (JsonParseException e) {
        long at = run.offset(e.getLocation());
        throw new HarFormatException(
            Kind.NOT_JSON,
            "the file is not valid JSON at byte offset "
                + at
                + run.inEntry()
                + " ("
                + firstLine(e.getOriginalMessage())
                + ")",
            at,
            run.entry,
            e);
      } catch (JsonProcessingException e) {
        long at = run.offset(e.getLocation());
        throw new HarFormatException(
            Kind.NOT_JSON,
            "the file could not be read as JSON at byte offset "
                + at
                + run.inEntry()
                + " ("
                + firstLine(e.getOriginalMessage())
                + ")",
            at,
            run.entry,
            e);
      }
      return run.entries;
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** One pass over one file. */
  private final class Run {
    private final JsonParser p;
    private final BodySkipper skipper;
    private final Listener listener;
    private int entry = -1;
    private int entries;
    private String field = "";

    Run(JsonParser p, BodySkipper skipper, Listener listener) {
      this.p = p;
      this.skipper = skipper;
      this.listener = listener;
    }

    /** The byte offset in the file of a location the parser reports. */
    long at(JsonLocation loc) {
      long at = loc.getByteOffset();
      return skipper == null ? at : skipper.original(at);
    }

    long offset(JsonLocation loc) {
      return loc != null && loc.getByteOffset() >= 0 ? at(loc) : at(p.currentLocation());
    }

    String inEntry() {
      return entry < 0 ? "" : " (entry " + entry + ")";
    }

    void document() throws IOException, HarFormatException {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw notAHar("the file is empty");
      }
      if (t != JsonToken.START_OBJECT) {
        throw notAHar("it starts with " + describe(t) + " where a HAR starts with {");
      }
      boolean sawLog = false;
      boolean sawEntries = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        t = p.nextToken();
        if ("log".equals(name)) {
          field = "log";
          expect(t, JsonToken.START_OBJECT, "an object");
          sawLog = true;
          sawEntries = log();
        } else {
          p.skipChildren();
        }
      }
      if (!sawLog) {
        throw notAHar("it has no \"log\" object");
      }
      if (!sawEntries) {
        throw notAHar("its \"log\" has no \"entries\" array");
      }
    }

    private boolean log() throws IOException, HarFormatException {
      boolean sawEntries = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (name) {
          case "pages" -> {
            field = "log.pages";
            if (t == JsonToken.START_ARRAY) {
              pages();
            } else {
              expectNullOr(t, "an array");
            }
          }
          case "entries" -> {
            field = "log.entries";
            expect(t, JsonToken.START_ARRAY, "an array");
            sawEntries = true;
            entries();
          }
          default -> p.skipChildren();
        }
      }
      return sawEntries;
    }

    private void pages() throws IOException, HarFormatException {
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        expect(t, JsonToken.START_OBJECT, "an object");
        String id = null;
        String title = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          t = p.nextToken();
          switch (name) {
            case "id" -> id = text(t, "log.pages[].id");
            case "title" -> title = text(t, "log.pages[].title");
            default -> p.skipChildren();
          }
        }
        listener.page(id, title);
      }
    }

    private void entries() throws IOException, HarFormatException {
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        entry = entries;
        if (t != JsonToken.START_OBJECT) {
          throw wrongType("an object", describe(t), "log.entries[" + entry + "]");
        }
        long parsed = p.currentTokenLocation().getByteOffset();
        if (skipper != null) {
          skipper.forget(parsed); // from here on the parser reports offsets after this one
        }
        HarEntry e = entry(entries, at(p.currentTokenLocation()));
        entries++;
        listener.entry(e);
      }
      entry = -1;
    }

    private HarEntry entry(int index, long offset) throws IOException, HarFormatException {
      String started = null;
      String pageref = null;
      HarRequest request = null;
      HarResponse response = null;
      String resourceType = null;
      String[] initiator = new String[3];
      String requestId = null;
      String ip = null;
      String connection = null;
      String connectionId = null;
      String fromCache = null;
      String entryError = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (name) {
          case "startedDateTime" -> started = text(t, "startedDateTime");
          case "pageref" -> pageref = text(t, "pageref");
          case "request" -> request = request(t);
          case "response" -> response = response(t, request != null && !corsRelevant(request));
          case "serverIPAddress" -> ip = unbracket(text(t, "serverIPAddress"));
          case "connection" -> connection = text(t, "connection");
          case "_connectionId" -> connectionId = text(t, "_connectionId");
          case "_resourceType" -> resourceType = text(t, "_resourceType");
          case "_requestId" -> requestId = text(t, "_requestId");
          case "_initiator" -> initiator(t, initiator);
          case "_fromCache" -> fromCache = flag(t, "_fromCache");
          case "_fetchType" -> {
            String s = text(t, "_fetchType");
            if (s != null && s.contains("Cache")) {
              fromCache = s;
            }
          }
          case "_error" -> entryError = text(t, "_error");
          default -> p.skipChildren();
        }
      }
      if (request == null) {
        throw new HarFormatException(
            Kind.NOT_A_HAR,
            "entry " + index + " at byte offset " + offset + " has no \"request\" object",
            offset,
            index,
            null);
      }
      if (response == null) {
        response = new HarResponse(0, "", "", List.of(), null, entryError);
      } else if (response.error() == null && entryError != null) {
        response =
            new HarResponse(
                response.status(),
                response.statusText(),
                response.httpVersion(),
                response.headers(),
                response.redirectUrl(),
                entryError);
      }
      return new HarEntry(
          index,
          offset,
          started,
          pageref,
          request,
          response,
          resourceType,
          initiator[0],
          initiator[1],
          initiator[2],
          requestId,
          ip,
          connection,
          connectionId,
          fromCache);
    }

    private void initiator(JsonToken t, String[] out) throws IOException, HarFormatException {
      if (t != JsonToken.START_OBJECT) {
        if (t == JsonToken.VALUE_STRING) {
          out[0] = p.getText();
        } else {
          p.skipChildren();
        }
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "type" -> out[0] = text(v, "_initiator.type");
          case "url" -> out[1] = text(v, "_initiator.url");
          case "requestId" -> out[2] = text(v, "_initiator.requestId");
          default -> p.skipChildren();
        }
      }
    }

    private HarRequest request(JsonToken t) throws IOException, HarFormatException {
      field = "request";
      expect(t, JsonToken.START_OBJECT, "an object");
      String method = "GET";
      String url = null;
      List<Header> headers = List.of();
      boolean body = false;
      int cookies = 0;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "method" -> method = orElse(text(v, "request.method"), "GET");
          case "url" -> url = text(v, "request.url");
          case "headers" -> headers = headers(v, "request.headers");
          case "cookies" -> cookies = count(v, "request.cookies");
          case "postData" -> {
            body = v == JsonToken.START_OBJECT;
            p.skipChildren();
          }
          default -> p.skipChildren();
        }
      }
      if (url == null) {
        throw wrongType("a string", "missing", "request.url");
      }
      return new HarRequest(method, url, headers, body, cookies);
    }

    /**
     * Whether a request takes part in CORS (an Origin header, a preflight, CORS mode): only then
     * are all its response headers kept; for the rest only {@code Server} is (who answered).
     */
    private boolean corsRelevant(HarRequest r) {
      if (r.header("Origin") != null || "OPTIONS".equalsIgnoreCase(r.method())) {
        return true;
      }
      String mode = r.header("Sec-Fetch-Mode");
      return mode != null && mode.trim().equalsIgnoreCase("cors");
    }

    private HarResponse response(JsonToken t, boolean serverOnly)
        throws IOException, HarFormatException {
      field = "response";
      if (t == JsonToken.VALUE_NULL) {
        return null;
      }
      expect(t, JsonToken.START_OBJECT, "an object");
      int status = 0;
      String statusText = "";
      String version = "";
      List<Header> headers = List.of();
      String redirect = null;
      String error = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "status" -> status = status(v);
          case "statusText" -> statusText = orElse(text(v, "response.statusText"), "");
          case "httpVersion" -> version = orElse(text(v, "response.httpVersion"), "");
          case "headers" ->
              headers =
                  serverOnly ? serverHeader(v, "response.headers") : headers(v, "response.headers");
          case "redirectURL" -> redirect = text(v, "response.redirectURL");
          case "_error" -> error = text(v, "response._error");
          default -> p.skipChildren();
        }
      }
      return new HarResponse(status, statusText, version, headers, redirect, error);
    }

    private int status(JsonToken v) throws IOException, HarFormatException {
      field = "response.status";
      switch (v) {
        case VALUE_NUMBER_INT:
          return p.getIntValue();
        case VALUE_NUMBER_FLOAT:
          return (int) p.getDoubleValue();
        case VALUE_NULL:
          return 0;
        case VALUE_STRING:
          try {
            return Integer.parseInt(p.getText().trim());
          } catch (NumberFormatException e) {
            throw wrongType("a number", "the string \"" + clip(p.getText()) + "\"");
          }
        default:
          throw wrongType("a number", describe(v));
      }
    }

    private List<Header> headers(JsonToken t, String where) throws IOException, HarFormatException {
      field = where;
      if (t == JsonToken.VALUE_NULL) {
        return List.of();
      }
      expect(t, JsonToken.START_ARRAY, "an array");
      List<Header> out = new ArrayList<>();
      JsonToken v;
      while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
        if (v != JsonToken.START_OBJECT) {
          throw wrongType(
              "an object with name and value", describe(v), where + "[" + out.size() + "]");
        }
        String name = null;
        String value = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String f = p.currentName();
          JsonToken x = p.nextToken();
          switch (f) {
            case "name" -> name = text(x, where + "[].name");
            case "value" -> value = orElse(text(x, where + "[].value"), "");
            default -> p.skipChildren();
          }
        }
        if (name != null) {
          out.add(new Header(name, value));
        }
      }
      return out;
    }

    /** Like {@link #headers} but keeps only {@code Server}, without decoding the other lines. */
    private List<Header> serverHeader(JsonToken t, String where)
        throws IOException, HarFormatException {
      field = where;
      if (t == JsonToken.VALUE_NULL) {
        return List.of();
      }
      expect(t, JsonToken.START_ARRAY, "an array");
      List<Header> out = List.of();
      JsonToken v;
      int i = 0;
      while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
        if (v != JsonToken.START_OBJECT) {
          throw wrongType("an object with name and value", describe(v), where + "[" + i + "]");
        }
        i++;
        boolean server = false;
        String value = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String f = p.currentName();
          JsonToken x = p.nextToken();
          if (f.equals("name") && x == JsonToken.VALUE_STRING) {
            server = isServer();
          } else if (f.equals("value") && x != JsonToken.VALUE_NULL) {
            value = text(x, where + "[].value"); // names usually come first; values are short
          } else {
            p.skipChildren();
          }
        }
        if (server && value != null && out.isEmpty()) {
          out = List.of(new Header("Server", value));
        }
      }
      return out;
    }

    /** The current string token is "server", any case, compared without making a String. */
    private boolean isServer() throws IOException {
      if (p.getTextLength() != 6) {
        return false;
      }
      char[] c = p.getTextCharacters();
      int o = p.getTextOffset();
      return (c[o] | 0x20) == 's'
          && (c[o + 1] | 0x20) == 'e'
          && (c[o + 2] | 0x20) == 'r'
          && (c[o + 3] | 0x20) == 'v'
          && (c[o + 4] | 0x20) == 'e'
          && (c[o + 5] | 0x20) == 'r';
    }

    private int count(JsonToken t, String where) throws IOException, HarFormatException {
      field = where;
      if (t == JsonToken.VALUE_NULL) {
        return 0;
      }
      expect(t, JsonToken.START_ARRAY, "an array");
      int n = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        p.skipChildren();
        n++;
      }
      return n;
    }

    private String flag(JsonToken t, String where) throws IOException, HarFormatException {
      if (t == JsonToken.VALUE_TRUE) {
        return "true";
      }
      if (t == JsonToken.VALUE_FALSE) {
        return null;
      }
      String s = text(t, where);
      return s == null || s.isEmpty() ? null : s;
    }

    /** A scalar as text (numbers and booleans too: exporters disagree); null for JSON null. */
    private String text(JsonToken t, String where) throws IOException, HarFormatException {
      switch (t) {
        case VALUE_STRING:
        case VALUE_NUMBER_INT:
        case VALUE_NUMBER_FLOAT:
        case VALUE_TRUE:
        case VALUE_FALSE:
          field = where;
          return p.getText();
        case VALUE_NULL:
          return null;
        default:
          throw wrongType("a string", describe(t), where);
      }
    }

    private void expect(JsonToken t, JsonToken wanted, String what)
        throws IOException, HarFormatException {
      if (t != wanted) {
        throw wrongType(what, describe(t));
      }
    }

    private void expectNullOr(JsonToken t, String what) throws IOException, HarFormatException {
      if (t != JsonToken.VALUE_NULL) {
        throw wrongType(what, describe(t));
      }
    }

    HarFormatException wrongType(String expected, String found) {
      return wrongType(expected, found, field);
    }

    HarFormatException wrongType(String expected, String found, String where) {
      long at = at(p.currentTokenLocation());
      return new HarFormatException(
          Kind.WRONG_TYPE,
          (entry < 0 ? "" : "entry " + entry + ": ")
              + where
              + " is "
              + found
              + " where a HAR has "
              + expected
              + " (byte offset "
              + at
              + ")",
          at,
          entry,
          null);
    }

    HarFormatException notAHar(String why) {
      long at = Math.max(0, at(p.currentTokenLocation()));
      return new HarFormatException(
          Kind.NOT_A_HAR, "this is not a HAR file: " + why, at, entry, null);
    }

    HarFormatException tooBig(StreamConstraintsException e) {
      boolean depth = String.valueOf(e.getOriginalMessage()).contains("nesting");
      long at = at(p.currentTokenLocation());
      String where = " at byte offset " + at + inEntry() + (field.isEmpty() ? "" : ", in " + field);
      return depth
          ? new HarFormatException(
              Kind.TOO_DEEP,
              "the JSON nests deeper than " + limits.maxDepth() + " levels" + where,
              at,
              entry,
              e)
          : new HarFormatException(
              Kind.TOO_LONG,
              "a value is longer than "
                  + HarSizes.human(limits.maxStringChars())
                  + " characters"
                  + where,
              at,
              entry,
              e);
    }
  }

  static String describe(JsonToken t) {
    if (t == null) {
      return "the end of the file";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : t.asString();
    };
  }

  private static String orElse(String s, String fallback) {
    return s == null ? fallback : s;
  }

  private static String clip(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  static String unbracket(String ip) {
    if (ip != null && ip.length() > 1 && ip.charAt(0) == '[' && ip.endsWith("]")) {
      return ip.substring(1, ip.length() - 1);
    }
    return ip;
  }
}
