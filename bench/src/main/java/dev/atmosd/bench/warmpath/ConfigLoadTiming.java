package dev.atmosd.bench.warmpath;

import dev.atmosd.daemon.config.ConfigLoader;
import dev.atmosd.daemon.files.DaemonPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The daemon's per-request config load with 1,002 provisioned identities, in a sandbox it makes itself: what every
 * GetCredentials and container-endpoint GET pays before any credential work.
 *
 * <p>Usage: {@code BENCH_JAVA_OPTS="-Xmx96m -XX:+UseSerialGC" bench/run-java.sh dev.atmosd.bench.warmpath.ConfigLoadTiming}.
 */
public final class ConfigLoadTiming {
  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("cfgprobe");
    DaemonPaths paths = new DaemonPaths(dir.resolve("cache"), dir.resolve("state"));
    StringBuilder yaml = new StringBuilder("auth:\n  _metadata: {provider: p}\n  identities:\n");
    for (int a = 0; a < 334; a++) for (int r = 0; r < 3; r++) {
      String acct = String.format("account-%04d", a), id = String.format("1%011d", a), role = "Role" + r;
      yaml.append("    \"").append(acct).append('/').append(role).append("\":\n      kind: aws/permission-set\n      provider: p\n")
          .append("      via: {provider: p}\n      principal: {name: ").append(role).append(", account: {name: ").append(acct)
          .append(", id: \"").append(id).append("\"}}\n");
    }
    Path prov = paths.provisionedIdentitiesFile("p");
    Files.createDirectories(prov.getParent());
    Files.writeString(prov, yaml);
    Path cfg = Files.writeString(dir.resolve("atmos.yaml"), "auth:\n  providers:\n    p:\n      kind: aws/iam-identity-center\n"
        + "      start_url: https://d-1.awsapps.com/start\n      region: us-east-1\n      auto_provision_identities: true\n");
    ConfigLoader loader = new ConfigLoader(paths, Map.of());
    int ids = loader.load(cfg, Map.of()).identities().size();
    for (int i = 0; i < 30; i++) loader.load(cfg, Map.of());
    long[] t = new long[100];
    for (int i = 0; i < t.length; i++) { long s = System.nanoTime(); loader.load(cfg, Map.of()); t[i] = System.nanoTime() - s; }
    Arrays.sort(t);
    System.out.printf("%d identities: load p50 %.2f ms, p90 %.2f ms, min %.2f ms%n", ids, t[50] / 1e6, t[90] / 1e6, t[0] / 1e6);
  }
}
