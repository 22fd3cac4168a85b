/*
 * libreporterchelper: the JNI helper the native-image builder's progress reporter loads from
 * <java.home>/lib/svm/builder/lib (com.oracle.svm.hosted.ProgressReporterCHelper). A GraalVM distribution ships it;
 * the Maven Central jars do not. Written for atmos from what the two native methods must return.
 */
#include <jni.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

/* Peak resident set size of the builder process in bytes, or -1 when unknown (Linux reports kilobytes). */
JNIEXPORT jlong JNICALL Java_com_oracle_svm_hosted_ProgressReporterCHelper_getPeakRSS0(JNIEnv *env, jclass cls) {
  struct rusage usage;
  if (getrusage(RUSAGE_SELF, &usage) != 0) return -1;
  return (jlong) usage.ru_maxrss * 1024;
}

/* Width of the terminal on stdout in columns, or 0 when stdout is no terminal (the reporter then uses its default). */
JNIEXPORT jint JNICALL Java_com_oracle_svm_hosted_ProgressReporterCHelper_getTerminalWindowColumns0(JNIEnv *env, jclass cls) {
  struct winsize ws;
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0) return 0;
  return ws.ws_col;
}
