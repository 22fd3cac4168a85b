#!/bin/sh
# The Maven-Central route of build-native.sh (see there); fails on the first error, the caller keeps the log.
#   maven-central-route.sh OUT_DIR IMAGE_CLASSPATH BUILDER_MODULEPATH JDK_HOME MAIN_CLASS "COMMON_BUILDER_ARGS"
set -eu
out=$1 image_cp=$2 builder_mp=$3 jdk=$4 main=$5 common=$6
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$out/work
arch=$(uname -m)
case $arch in x86_64) jarch=amd64 ;; aarch64) jarch=aarch64 ;; *) echo "unsupported platform $arch"; exit 1 ;; esac

# 1. A JDK whose java.home the builder may extend: hard links into JDK_HOME (a copy on another file system).
jcopy=$work/jdk
rm -rf "$jcopy"
cp -al "$jdk" "$jcopy" 2>/dev/null || { rm -rf "$jcopy"; cp -a "$jdk" "$jcopy"; }
# The builder links the JDK's static libraries (libjava.a, ...), which no Temurin or Debian package has. GNU ld reads
# a file holding INPUT(...) as a linker script: each "static library" is the JDK's shared one, so the image links
# dynamically against JDK_HOME/lib (hence the rpath below, and the run-time dependency on that JDK).
static=$jcopy/lib/static/linux-$jarch/glibc
mkdir -p "$static"
for l in java nio net zip extnet jvm fdlibm; do
  if [ -e "$jdk/lib/lib$l.so" ]; then echo "INPUT($jdk/lib/lib$l.so)" > "$static/lib$l.a"; fi
done
echo "INPUT($jdk/lib/server/libjvm.so)" > "$static/libjvm.a"
: > "$static/empty.c"; gcc -c -o "$static/empty.o" "$static/empty.c"
for l in fdlibm; do [ -e "$static/lib$l.a" ] || ar rcs "$static/lib$l.a" "$static/empty.o"; done

# 2. The builder's progress-reporter JNI helper (two functions; without it the builder dies on its first report).
mkdir -p "$jcopy/lib/svm/builder/lib"
gcc -O2 -shared -fPIC -I"$jdk/include" -I"$jdk/include/linux" -o "$jcopy/lib/svm/builder/lib/libreporterchelper.so" \
  "$here/src/c/reporterchelper.c"

# 3. Headers the builder's C contexts name (include/<arch>cpufeatures.h from the fields of the *LibCHelper$CPUFeatures
#    interfaces, as the builder reads them; include/svm_locale.h) and the library with the C symbols it links.
clib=$work/clibraries
mkdir -p "$clib/include"
sh "$here/src/build/cpufeatures-header.sh" "$jdk" "$builder_mp" "$clib/include"
cp "$here/src/c/svm_locale.h" "$clib/include/"
gcc -O2 -fPIC -Wall -Werror -I"$clib/include" -I"$here/src/c" -I"$jdk/include" -I"$jdk/include/linux" -c -o "$clib/atmos_svm_glue.o" "$here/src/c/svm_glue.c"
rm -f "$clib/libatmos_svm_glue.a"; ar rcs "$clib/libatmos_svm_glue.a" "$clib/atmos_svm_glue.o"
gcc -O0 -Wall -Werror -I"$clib/include" -I"$here/src/c" -o "$work/glue_test" "$here/src/test/glue_test.c" "$clib/atmos_svm_glue.o" -ldl
"$work/glue_test"
# The builder asks for these by name; all their symbols live in libatmos_svm_glue.a.
for l in libchelper jvm svm_container; do cp "$clib/libatmos_svm_glue.a" "$clib/$l.a"; done
mkdir -p "$clib/linux-$jarch/glibc"; cp "$clib"/*.a "$clib/linux-$jarch/glibc/"; cp -r "$clib/include" "$clib/linux-$jarch/"

# 4. The builder, run as the native-image driver would: on the module path, with the Maven compiler jar in place of
#    the JDK's own jdk.graal.compiler, and the JDK internals it needs exported to its modules.
compiler=$(echo "$builder_mp" | tr ':' '\n' | grep '/compiler-[0-9.]*\.jar$')
mods=org.graalvm.nativeimage.builder,org.graalvm.nativeimage.pointsto,org.graalvm.nativeimage.objectfile,org.graalvm.nativeimage.base,jdk.graal.compiler,org.graalvm.nativeimage,org.graalvm.word,org.graalvm.collections,org.graalvm.truffle.compiler,org.graalvm.nativeimage.configure,org.graalvm.nativeimage.libgraal,ALL-UNNAMED
args=$work/builder.args
{
  echo "-XX:+UseParallelGC"; echo "-XX:+UnlockExperimentalVMOptions"; echo "-XX:+EnableJVMCI"; echo "-XX:-UseJVMCICompiler"
  echo "-Xss10m"; echo "-Xmx3g"
  echo "-Djava.system.class.loader=com.oracle.svm.hosted.NativeImageSystemClassLoader"
  echo "-Dorg.graalvm.nativeimage.imagecode=buildtime"
  echo "-Djdk.internal.lambda.disableEagerInitialization=true"
  echo "-Dcom.oracle.graalvm.isaot=true"
  echo "-Djava.awt.headless=true"
  echo "-Dorg.graalvm.version=25.0.2"
  echo "--enable-native-access=org.graalvm.nativeimage.builder,ALL-UNNAMED"
  for m in java.base jdk.internal.vm.ci jdk.jfr jdk.management java.management jdk.internal.jvmstat jdk.unsupported; do
    "$jcopy/bin/java" --describe-module $m | awk -v m=$m -v t=$mods '$1=="contains"{p=$2} $1=="qualified"{p=$3} p!=""{print "--add-exports=" m "/" p "=" t; p=""}'
  done | sort -u
  echo "--add-opens=java.base/java.lang=$mods"
  echo "--module-path"; echo "$builder_mp"
  echo "--upgrade-module-path"; echo "$compiler"
  echo "--add-modules=org.graalvm.nativeimage.builder"
  echo "-m"; echo "org.graalvm.nativeimage.builder/com.oracle.svm.hosted.NativeImageGeneratorRunner"
  echo "-imagecp"; echo "$image_cp"
  echo "-H:ImageBuildID=$(cat /proc/sys/kernel/random/uuid)"
  echo "-H:CLibraryPath=$clib"
  echo "-H:Class=$main"
  echo "-H:Path=$out/bin"
  echo "-H:Name=atmos"
  echo "-H:+UnlockExperimentalVMOptions"
  echo "-H:-UseContainerSupport"
  # The client's own reachability metadata, for what its jars' META-INF/native-image does not cover.
  echo "-H:ConfigurationFileDirectories=$here/src/native-image"
  # Our glue, and the JDK libraries whose JNI functions the image names but the builder does not ask to link.
  echo "-H:NativeLinkerOption=$clib/libatmos_svm_glue.a"
  for l in jaas management_ext; do echo "-H:NativeLinkerOption=$jdk/lib/lib$l.so"; done
  echo "-H:NativeLinkerOption=-Wl,--disable-new-dtags,-rpath,$jdk/lib:$jdk/lib/server"
  echo "-H:FallbackThreshold=0"
  echo "-H:+ReportExceptionStackTraces"
  echo "-H:MicroArchitecture=compatibility"
} > "$args"
cd "$work"
"$jcopy/bin/java" @"$args"
test -x "$out/bin/atmos"
echo "maven-central|$jdk|$arch" > "$out/bin/atmos.route"
