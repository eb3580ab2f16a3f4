package io.corsdoctor.cors;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Firefox's console texts, from the build's own templates ({@code
 * firefox-cors-templates.properties} next to this class, copied from Firefox ESR 153.7.0): the
 * single source of the words.
 *
 * <p>Firefox fills {@code %1$S} with the channel's URL and {@code %2$S} with the extra parameter; a
 * missing parameter prints as {@code (null)}, which is why a failed request reads "Status code:
 * (null).".
 */
final class FirefoxMessages {
  private static final Properties TEMPLATES = load();

  private FirefoxMessages() {}

  /** One line Firefox logs: its property key and its text. */
  record Line(String key, String text) {
    /**
     * The MDN reason code of the key: the key without the version digits Firefox appends when it
     * rewords a message ({@code CORSMissingAllowOrigin2} is MDN's {@code CORSMissingAllowOrigin}).
     */
    String reasonCode() {
      int end = key.length();
      while (end > 0 && Character.isDigit(key.charAt(end - 1))) {
        end--;
      }
      return key.substring(0, end);
    }
  }

  /** The line for {@code key}, its parameters filled in ({@code null} prints as "(null)"). */
  static Line line(String key, String... params) {
    String template = TEMPLATES.getProperty(key);
    if (template == null) {
      throw new IllegalArgumentException("no Firefox template named " + key);
    }
    String text = template;
    for (int i = 0; i < params.length; i++) {
      String value = params[i] == null ? "(null)" : params[i];
      text = text.replace("%" + (i + 1) + "$S", value);
    }
    return new Line(key, text);
  }

  private static Properties load() {
    InputStream in = FirefoxMessages.class.getResourceAsStream("firefox-cors-templates.properties");
    if (in == null) {
      throw new IllegalStateException("firefox-cors-templates.properties is missing");
    }
    Properties p = new Properties();
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      p.load(reader);
    } catch (IOException e) {
      throw new IllegalStateException("firefox-cors-templates.properties is unreadable", e);
    }
    return p;
  }
}
