/**
 * Who listens on a port and whom a connection reaches. Platform backends sit behind {@link
 * PortOwners}; parsers of command output are pure and tested on recorded output.
 */
package io.corsdoctor.ports;
