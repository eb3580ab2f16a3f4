package io.corsdoctor.cors;

/**
 * What came back for one {@link OutgoingRequest}: an HTTP response head, or a failure below HTTP. A
 * failed probe is a value, not an exception.
 */
public sealed interface Reply permits HttpReply, NetworkFailure {}
