package dev.atmosd.daemon.rpc;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.util.Optional;

/**
 * A listening Unix-domain socket handed over by a service manager on standard input: systemd's
 * {@code atmosd.socket} with {@code StandardInput=socket} in {@code atmosd.service}, or launchd/inetd alike.
 * ({@code LISTEN_FDS} passing on fd 3 cannot be picked up without native code: the JDK only adopts fd 0.)
 */
public final class InheritedSocket {
  private InheritedSocket() {}

  public static Optional<ServerSocketChannel> fromServiceManager() {
    try {
      Channel inherited = System.inheritedChannel();
      if (inherited instanceof ServerSocketChannel server
          && server.getLocalAddress() instanceof UnixDomainSocketAddress) {
        return Optional.of(server);
      }
      return Optional.empty();
    } catch (IOException | SecurityException | UnsupportedOperationException notAvailable) {
      return Optional.empty();
    }
  }
}
