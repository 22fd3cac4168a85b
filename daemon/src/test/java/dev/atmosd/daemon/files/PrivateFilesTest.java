package dev.atmosd.daemon.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
  @TempDir Path dir;

  @Test
  void writesOwnerOnlyFilesInOwnerOnlyDirectoriesAndReplacesWholeContent() throws Exception {
    Path target = dir.resolve("a/b/session.json");

    PrivateFiles.writeAtomically(target, "first, and longer".getBytes(StandardCharsets.UTF_8));
    PrivateFiles.writeAtomically(target, "second".getBytes(StandardCharsets.UTF_8));

    assertThat(Files.readString(target)).isEqualTo("second");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b")))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a")))).isEqualTo("rwx------");
  }

  @Test
  void theNextWriteRemovesTempFilesThatKilledWritersLeftBehind() throws Exception {
    Path target = dir.resolve("0123abcd.json");
    Path leftover = Files.writeString(dir.resolve(".0123abcd.json.8312093741.tmp"), "{\"accessToken\":\"old\"}");
    Path otherFilesLeftover = Files.writeString(dir.resolve(".other.json.55.tmp"), "{}");
    Path lookalike = Files.writeString(dir.resolve("0123abcd.json.tmp"), "not ours");

    PrivateFiles.writeAtomically(target, "{}".getBytes(StandardCharsets.UTF_8));

    assertThat(leftover).doesNotExist();
    assertThat(otherFilesLeftover).as("another file's writer may be alive: not ours to remove").exists();
    assertThat(lookalike).exists();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".0123abcd.json.")))
          .containsExactly(".0123abcd.json.lock");
    }
  }

  @Test
  void namesWithGlobCharactersOnlyMatchTheirOwnTempFiles() throws Exception {
    Path target = dir.resolve("odd[1]{x}*.yaml");
    Path leftover = Files.writeString(dir.resolve(".odd[1]{x}*.yaml.77.tmp"), "old");
    Path notOurs = Files.writeString(dir.resolve(".odd1x-.yaml.77.tmp"), "other");

    PrivateFiles.writeAtomically(target, "new".getBytes(StandardCharsets.UTF_8));

    assertThat(leftover).doesNotExist();
    assertThat(notOurs).exists();
    assertThat(Files.readString(target)).isEqualTo("new");
  }
}
