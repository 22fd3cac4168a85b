package dev.atmosd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrowserLauncherTest {
  private static final String URL = "https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH";

  @TempDir
  Path bin;

  private Path program(String name) throws Exception {
    Path path = bin.resolve(name);
    Files.writeString(path, "#!/bin/sh\n");
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    return path;
  }

  @Test
  void splitsLikeAShell() {
    assertThat(CommandLineSplitter.split("  firefox  --new-tab %s ")).containsExactly("firefox", "--new-tab", "%s");
    assertThat(CommandLineSplitter.split("'/Apps/My Browser' \"a \\\"b\\\" c\" d\\ e ''"))
        .containsExactly("/Apps/My Browser", "a \"b\" c", "d e", "");
    assertThatThrownBy(() -> CommandLineSplitter.split("open 'x")).isInstanceOf(UserError.class);
  }

  @Test
  void browserVariableReplacesPlaceholderOrAppendsTheUrl() throws Exception {
    Path firefox = program("firefox");
    Map<String, String> env = Map.of("PATH", bin.toString(), "BROWSER", "firefox --new-tab %s");
    assertThat(new BrowserLauncher(env, "Linux").commandFor(URL))
        .contains(List.of("firefox", "--new-tab", URL));
    assertThat(new BrowserLauncher(Map.of("PATH", bin.toString(), "BROWSER", firefox + " -P 100%%"), "Linux")
        .commandFor(URL)).contains(List.of(firefox.toString(), "-P", "100%", URL));
  }

  @Test
  void browserVariableIsAColonSeparatedListTriedInOrder() throws Exception {
    program("w3m");
    Map<String, String> env = Map.of("PATH", bin.toString(), "BROWSER", "missing-browser %s:w3m");
    assertThat(new BrowserLauncher(env, "Linux").commandFor(URL)).contains(List.of("w3m", URL));
    assertThat(new BrowserLauncher(Map.of("PATH", bin.toString(), "BROWSER", "nothing-here"), "Linux")
        .commandFor(URL)).isEmpty();
  }

  @Test
  void xdgOpenNeedsADisplayAndMacUsesOpen() throws Exception {
    Path xdgOpen = program("xdg-open");
    Path open = program("open");
    assertThat(new BrowserLauncher(Map.of("PATH", bin.toString()), "Linux").commandFor(URL)).isEmpty();
    assertThat(new BrowserLauncher(Map.of("PATH", bin.toString(), "DISPLAY", ":0"), "Linux").commandFor(URL))
        .contains(List.of(xdgOpen.toString(), URL));
    assertThat(new BrowserLauncher(Map.of("PATH", bin.toString()), "Mac OS X").commandFor(URL))
        .isEqualTo(Optional.of(List.of(open.toString(), URL)));
  }
}
