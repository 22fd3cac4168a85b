package dev.atmosd.cli;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether anything accepts connections on the socket, asked with a bare connect: far cheaper than a gRPC call, and it
 * tells "nobody there" (start one) apart from "it went away during my call" (say so).
 */
public final class SocketProbe {
  private SocketProbe() {}

  /** Refuses (UserError) a socket that is not the user's own before even a bare connect. */
  public static boolean answers(Path socket) {
    SocketTrust.checkBeforeConnecting(socket);
    if (!Files.exists(socket)) {
      return false;
    }
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      return true;
    } catch (IOException refused) {
      return false;
    }
  }
}
