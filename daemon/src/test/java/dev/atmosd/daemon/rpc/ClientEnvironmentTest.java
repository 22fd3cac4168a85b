package dev.atmosd.daemon.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import dev.atmosd.v1.ClientContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ClientEnvironmentTest {
  @Test
  void readsTheWireFormOfAMapSoClientsThatSentOneStillWork() throws IOException {
    // What a client built with `map<string, string> environment = 2` sends: one length-delimited entry per pair.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    for (String[] pair : new String[][] {{"AWS_REGION", "eu-west-1"}, {"ATMOS_X", "1"}, {"AWS_REGION", "us-east-2"}}) {
      ByteArrayOutputStream entry = new ByteArrayOutputStream();
      CodedOutputStream entryOut = CodedOutputStream.newInstance(entry);
      entryOut.writeString(1, pair[0]);
      entryOut.writeString(2, pair[1]);
      entryOut.flush();
      out.writeByteArray(2, entry.toByteArray());
    }
    out.flush();

    ClientContext context = ClientContext.parseFrom(bytes.toByteArray());

    // As a map would: the last value of a repeated name counts, and the first position is kept.
    assertThat(ClientEnvironment.of(context)).containsExactly(
        java.util.Map.entry("AWS_REGION", "us-east-2"), java.util.Map.entry("ATMOS_X", "1"));
  }

  @Test
  void noVariablesIsAnEmptyMap() {
    assertThat(ClientEnvironment.of(ClientContext.getDefaultInstance())).isEmpty();
  }
}
