package io.corsdoctor.net;

/**
 * What a reply says about the software that sent it.
 *
 * @param key stable id ({@code airplay}, {@code flask}, {@code express}, ...), also used to pick
 *     framework-specific fixes
 * @param product what people call it, e.g. {@code AirPlay Receiver (AirTunes)}
 * @param evidence the text that matched, e.g. {@code Server: AirTunes/620.8.2}
 */
public record Fingerprint(String key, String product, String evidence) {}
