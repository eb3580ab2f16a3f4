package io.corsdoctor.har;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import io.corsdoctor.har.HarFormatException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;

/**
 * Writes a copy of a HAR that is safe to share, streaming: cookies, {@code Set-Cookie}, {@code
 * Authorization}, secret-looking headers, query values, form and JSON request bodies are replaced
 * by {@value #REDACTED} (names and structure kept, so the copy still shows the CORS story), and
 * response bodies are emptied. Headers CORS needs ({@code Origin}, {@code Access-Control-*}, {@code
 * Server}) stay as they were.
 */
public final class HarRedactor {
  /** What replaces a secret: URL-safe, so query strings and forms stay well formed. */
  public static final String REDACTED = "REDACTED";

  /** Header name words that mark a secret ({@code X-Auth-Token}, {@code X-Api-Key}, ...). */
  private static final Set<String> SECRET_WORDS =
      Set.of(
          "token",
          "secret",
          "auth",
          "authorization",
          "authentication",
          "session",
          "sessionid",
          "sid",
          "csrf",
          "xsrf",
          "csrftoken",
          "xsrftoken",
          "signature",
          "sig",
          "password",
          "passwd",
          "pwd",
          "credential",
          "credentials",
          "apikey",
          "key",
          "jwt",
          "otp",
          "bearer",
          "cookie");

  private static final Pattern SECRET_VALUE =
      Pattern.compile(
          "(?i)(\\bbearer\\s+\\S+|\\bbasic\\s+\\S+|eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]+)");

  /**
   * What was removed, for the user to check.
   *
   * @param entries entries copied
   * @param removed how many values of each kind were replaced
   * @param headerNames the header names whose values were replaced
   */
  public record Report(int entries, Map<String, Integer> removed, Set<String> headerNames) {
    public Report {
      removed = java.util.Collections.unmodifiableMap(new TreeMap<>(removed));
      headerNames = java.util.Collections.unmodifiableSet(new TreeSet<>(headerNames));
    }
  }

  private final HarLimits limits;

  public HarRedactor(HarLimits limits) {
    this.limits = limits;
  }

  /**
   * Copies {@code in} to {@code out} with secrets replaced. {@code progress} receives byte offsets.
   */
  public Report redact(InputStream in, OutputStream out, LongConsumer progress)
      throws HarFormatException, IOException {
    JsonFactory f = limits.factory();
    try (JsonParser p = f.createParser(in);
        JsonGenerator g = f.createGenerator(out, JsonEncoding.UTF8)) {
      g.setPrettyPrinter(new DefaultPrettyPrinter());
      Copy c = new Copy(p, g, progress);
      try {
        c.document();
      } catch (StreamConstraintsException e) {
        long at = p.currentTokenLocation().getByteOffset();
        boolean depth = String.valueOf(e.getOriginalMessage()).contains("nesting");
        throw new HarFormatException(
            depth ? Kind.TOO_DEEP : Kind.TOO_LONG,
            (depth
                    ? "the JSON nests deeper than " + limits.maxDepth() + " levels"
                    : "a value is longer than "
                        + HarSizes.human(limits.maxStringChars())
                        + " characters")
                + " at byte offset "
                + at
                + c.inEntry(),
            at,
            c.entry,
            e);
      } catch (JsonEOFException e) {
        long at = p.currentLocation().getByteOffset();
        throw new HarFormatException(
            Kind.TRUNCATED,
            "the file ends in the middle of the JSON at byte offset "
                + at
                + c.inEntry()
                + ": it is truncated",
            at,
            c.entry,
            e);
      } catch (JsonParseException e) {
        long at = p.currentLocation().getByteOffset();
        throw new HarFormatException(
            Kind.NOT_JSON,
            "the file is not valid JSON at byte offset " + at + c.inEntry(),
            at,
            c.entry,
            e);
      }
      g.flush();
      return new Report(c.entries, c.removed, c.headerNames);
    }
  }

  /** One streaming copy. */
  private final class Copy {
    final JsonParser p;
    final JsonGenerator g;
    final LongConsumer progress;
    final Map<String, Integer> removed = new TreeMap<>();
    final Set<String> headerNames = new TreeSet<>();
    int entry = -1;
    int entries;

    Copy(JsonParser p, JsonGenerator g, LongConsumer progress) {
      this.p = p;
      this.g = g;
      this.progress = progress;
    }

    String inEntry() {
      return entry < 0 ? "" : " (entry " + entry + ")";
    }

    void count(String what) {
      removed.merge(what, 1, Integer::sum);
    }

    void document() throws IOException, HarFormatException {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_OBJECT) {
        throw new HarFormatException(
            Kind.NOT_A_HAR,
            "this is not a HAR file: it starts with " + HarReader.describe(t),
            0,
            -1,
            null);
      }
      object(this::rootField);
      if (p.nextToken() != null) {
        // trailing content after the document: copied as-is would not be JSON; ignore it
        return;
      }
    }

    /** Copies an object whose START_OBJECT is current, handing each field to {@code field}. */
    void object(FieldHandler field) throws IOException, HarFormatException {
      g.writeStartObject();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        g.writeFieldName(name);
        field.handle(name, p.nextToken());
      }
      g.writeEndObject();
    }

    /** Copies an array whose START_ARRAY is current, handing each element to {@code element}. */
    void array(ElementHandler element) throws IOException, HarFormatException {
      g.writeStartArray();
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        element.handle(t);
      }
      g.writeEndArray();
    }

    void rootField(String name, JsonToken t) throws IOException, HarFormatException {
      if (name.equals("log") && t == JsonToken.START_OBJECT) {
        object(this::logField);
      } else {
        generic(t);
      }
    }

    void logField(String name, JsonToken t) throws IOException, HarFormatException {
      if (name.equals("entries") && t == JsonToken.START_ARRAY) {
        array(
            et -> {
              entry = entries;
              progress.accept(p.currentTokenLocation().getByteOffset());
              if (et == JsonToken.START_OBJECT) {
                object(this::entryField);
              } else {
                generic(et);
              }
              entries++;
            });
        entry = -1;
      } else {
        generic(t);
      }
    }

    void entryField(String name, JsonToken t) throws IOException, HarFormatException {
      boolean obj = t == JsonToken.START_OBJECT;
      switch (name) {
        case "request" -> {
          if (obj) {
            object(this::requestField);
          } else {
            generic(t);
          }
        }
        case "response" -> {
          if (obj) {
            object(this::responseField);
          } else {
            generic(t);
          }
        }
        case "_webSocketMessages" -> {
          if (t == JsonToken.START_ARRAY) {
            array(
                mt -> {
                  if (mt == JsonToken.START_OBJECT) {
                    object(
                        (n, v) -> {
                          if (n.equals("data") && v == JsonToken.VALUE_STRING) {
                            g.writeString("");
                            count("websocket messages");
                          } else {
                            generic(v);
                          }
                        });
                  } else {
                    generic(mt);
                  }
                });
          } else {
            generic(t);
          }
        }
        default -> generic(t);
      }
    }

    void requestField(String name, JsonToken t) throws IOException, HarFormatException {
      switch (name) {
        case "url" -> urlValue(t);
        case "headers" -> headers(t);
        case "cookies" -> cookies(t, "request cookies");
        case "queryString" -> nameValues(t, "query values", Set.of("value"));
        case "postData" -> {
          if (t == JsonToken.START_OBJECT) {
            postData();
          } else {
            generic(t);
          }
        }
        default -> generic(t);
      }
    }

    void responseField(String name, JsonToken t) throws IOException, HarFormatException {
      switch (name) {
        case "headers" -> headers(t);
        case "cookies" -> cookies(t, "response cookies");
        case "redirectURL" -> urlValue(t);
        case "content" -> {
          if (t == JsonToken.START_OBJECT) {
            object(
                (n, v) -> {
                  if (n.equals("text") && v == JsonToken.VALUE_STRING) {
                    g.writeString(""); // not read: a body of any size streams by
                    count("response bodies");
                  } else {
                    generic(v);
                  }
                });
          } else {
            generic(t);
          }
        }
        default -> generic(t);
      }
    }

    void postData() throws IOException, HarFormatException {
      String[] mime = {null};
      object(
          (n, v) -> {
            switch (n) {
              case "mimeType" -> {
                if (v == JsonToken.VALUE_STRING) {
                  mime[0] = p.getText();
                }
                generic(v);
              }
              case "text" -> {
                if (v == JsonToken.VALUE_STRING) {
                  g.writeString(body(p.getText(), mime[0]));
                  count("request bodies");
                } else {
                  generic(v);
                }
              }
              case "params" -> nameValues(v, "form values", Set.of("value", "fileName"));
              default -> generic(v);
            }
          });
    }

    /** Arrays of {name, value} pairs whose named fields are replaced. */
    void nameValues(JsonToken t, String what, Set<String> secretFields)
        throws IOException, HarFormatException {
      if (t != JsonToken.START_ARRAY) {
        generic(t);
        return;
      }
      array(
          et -> {
            if (et != JsonToken.START_OBJECT) {
              generic(et);
              return;
            }
            object(
                (n, v) -> {
                  if (secretFields.contains(n) && v == JsonToken.VALUE_STRING) {
                    g.writeString(REDACTED);
                    count(what);
                  } else {
                    generic(v);
                  }
                });
          });
    }

    void cookies(JsonToken t, String what) throws IOException, HarFormatException {
      nameValues(t, what, Set.of("value"));
    }

    /** Header objects are small: read each whole, decide by its name, write it. */
    void headers(JsonToken t) throws IOException, HarFormatException {
      if (t != JsonToken.START_ARRAY) {
        generic(t);
        return;
      }
      array(
          et -> {
            if (et != JsonToken.START_OBJECT) {
              generic(et);
              return;
            }
            List<String[]> fields = new ArrayList<>(3);
            String name = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String f = p.currentName();
              JsonToken v = p.nextToken();
              if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                p.skipChildren(); // not HAR: dropped rather than copied unchecked
                continue;
              }
              String text = v == JsonToken.VALUE_NULL ? null : p.getText();
              if (f.equals("name")) {
                name = text;
              }
              fields.add(new String[] {f, text, v.isNumeric() || v.isBoolean() ? "raw" : null});
            }
            g.writeStartObject();
            for (String[] field : fields) {
              g.writeFieldName(field[0]);
              if (field[1] == null) {
                g.writeNull();
              } else if (field[0].equals("value")) {
                g.writeString(headerValue(name, field[1]));
              } else if (field[2] != null) {
                g.writeRawValue(field[1]);
              } else {
                g.writeString(field[1]);
              }
            }
            g.writeEndObject();
          });
    }

    String headerValue(String name, String value) {
      if (name == null) {
        return value;
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith("access-control-") || lower.startsWith(":")) {
        return lower.equals(":path") ? redactQuery(value) : value;
      }
      switch (lower) {
        case "cookie" -> {
          note(name, "cookie headers");
          return cookiePairs(value, "; ");
        }
        case "set-cookie" -> {
          note(name, "set-cookie headers");
          int semi = value.indexOf(';');
          String first = semi < 0 ? value : value.substring(0, semi);
          return cookiePairs(first, "; ") + (semi < 0 ? "" : value.substring(semi));
        }
        case "authorization", "proxy-authorization" -> {
          note(name, "authorization headers");
          int space = value.indexOf(' ');
          return space > 0 ? value.substring(0, space) + " " + REDACTED : REDACTED;
        }
        case "referer", "location", "content-location", "link" -> {
          String r = redactQuery(value);
          return r;
        }
        default -> {
          if (secretName(lower) || SECRET_VALUE.matcher(value).find()) {
            note(name, "secret headers");
            return REDACTED;
          }
          return value;
        }
      }
    }

    void note(String name, String what) {
      headerNames.add(name.toLowerCase(Locale.ROOT));
      count(what);
    }

    void urlValue(JsonToken t) throws IOException, HarFormatException {
      if (t == JsonToken.VALUE_STRING) {
        g.writeString(redactQuery(p.getText()));
      } else {
        generic(t);
      }
    }

    /** Replaces the query values and the fragment's values of a URL; names stay. */
    String redactQuery(String url) {
      int q = url.indexOf('?');
      int h = url.indexOf('#');
      if (q < 0 && h < 0) {
        return url;
      }
      StringBuilder sb = new StringBuilder(url.length());
      int cut = q >= 0 && (h < 0 || q < h) ? q : h;
      sb.append(url, 0, cut);
      if (q >= 0 && (h < 0 || q < h)) {
        String query = url.substring(q + 1, h < 0 ? url.length() : h);
        sb.append('?').append(pairs(query, "&", "query values"));
      }
      if (h >= 0) {
        String fragment = url.substring(h + 1);
        sb.append('#')
            .append(fragment.contains("=") ? pairs(fragment, "&", "fragment values") : fragment);
      }
      return sb.toString();
    }

    /** {@code a=1&b=2} becomes {@code a=REDACTED&b=REDACTED}. */
    String pairs(String text, String sep, String what) {
      if (text.isEmpty()) {
        return text;
      }
      String[] parts = text.split(Pattern.quote(sep), -1);
      StringBuilder sb = new StringBuilder(text.length());
      for (int i = 0; i < parts.length; i++) {
        if (i > 0) {
          sb.append(sep);
        }
        String part = parts[i];
        int eq = part.indexOf('=');
        if (eq >= 0) {
          sb.append(part, 0, eq + 1).append(REDACTED);
          count(what);
        } else {
          sb.append(part);
        }
      }
      return sb.toString();
    }

    String cookiePairs(String header, String sep) {
      String[] parts = header.split(";", -1);
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < parts.length; i++) {
        if (i > 0) {
          sb.append(sep);
        }
        String part = parts[i].trim();
        int eq = part.indexOf('=');
        sb.append(eq >= 0 ? part.substring(0, eq + 1) + REDACTED : REDACTED);
      }
      return sb.toString();
    }

    /** A request body: JSON keeps its keys, a form its names; anything else is emptied. */
    String body(String text, String mime) {
      String m = mime == null ? "" : mime.toLowerCase(Locale.ROOT);
      String trimmed = text.stripLeading();
      boolean json =
          m.contains("json")
              || (m.isEmpty() && (trimmed.startsWith("{") || trimmed.startsWith("[")));
      if (json) {
        String redacted = jsonBody(text);
        if (redacted != null) {
          return redacted;
        }
      }
      if (m.contains("x-www-form-urlencoded")) {
        return pairs(text, "&", "form values");
      }
      return "";
    }

    /** Keys and structure kept; strings and numbers replaced. Null when it is not JSON. */
    String jsonBody(String text) {
      JsonFactory f = limits.factory();
      StringWriter w = new StringWriter();
      try (JsonParser jp = f.createParser(text);
          JsonGenerator jg = f.createGenerator(w)) {
        JsonToken t;
        while ((t = jp.nextToken()) != null) {
          switch (t) {
            case VALUE_STRING -> {
              jg.writeString(REDACTED);
              count("json values");
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
              jg.writeNumber(0);
              count("json values");
            }
            default -> jg.copyCurrentEvent(jp);
          }
        }
        jg.flush();
        return w.toString();
      } catch (JsonProcessingException e) {
        return null;
      } catch (IOException e) {
        return null;
      }
    }

    /**
     * Copies any value (scalar or subtree) with the current token, iteratively; URL-valued fields
     * ({@code url}, {@code redirectURL}, page titles) have their query values replaced on the way.
     */
    void generic(JsonToken t) throws IOException {
      if (t == null) {
        return;
      }
      if (!t.isStructStart()) {
        scalar(t, null);
        return;
      }
      int depth = 0;
      do {
        switch (t) {
          case START_OBJECT -> {
            g.writeStartObject();
            depth++;
          }
          case START_ARRAY -> {
            g.writeStartArray();
            depth++;
          }
          case END_OBJECT -> {
            g.writeEndObject();
            depth--;
          }
          case END_ARRAY -> {
            g.writeEndArray();
            depth--;
          }
          case FIELD_NAME -> g.writeFieldName(p.currentName());
          default -> scalar(t, p.currentName());
        }
        if (depth == 0) {
          return;
        }
        t = p.nextToken();
      } while (t != null);
    }

    void scalar(JsonToken t, String field) throws IOException {
      if (t == JsonToken.VALUE_STRING) {
        String name = field != null ? field : p.currentName();
        String text = p.getText();
        if (name != null && urlField(name)) {
          g.writeString(redactQuery(text));
        } else {
          g.writeString(text);
        }
      } else {
        g.copyCurrentEvent(p);
      }
    }

    boolean urlField(String name) {
      return name.equals("url")
          || name.equals("redirectURL")
          || name.equals("title")
          || name.equals("documentURL");
    }
  }

  static boolean secretName(String lower) {
    for (String word : lower.split("[-_:.]")) {
      if (SECRET_WORDS.contains(word)) {
        return true;
      }
    }
    return false;
  }

  @FunctionalInterface
  private interface FieldHandler {
    void handle(String name, JsonToken value) throws IOException, HarFormatException;
  }

  @FunctionalInterface
  private interface ElementHandler {
    void handle(JsonToken value) throws IOException, HarFormatException;
  }
}
