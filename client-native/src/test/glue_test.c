/*
 * Checks the C glue (src/c/svm_glue.c) against what SubstrateVM expects of each symbol; the Maven-Central route
 * (src/build/maven-central-route.sh) builds and runs it before the image, and a failure stops the native build.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <signal.h>
#include "svm_locale.h"
#if defined(__x86_64__)
#include "amd64cpufeatures.h"
#else
#include "aarch64cpufeatures.h"
#endif

char **getEnviron(void);
char *SVM_FindJavaTZmd(const char *tzmappings, int length);
int getThreadId(void);
long getThreadUserTimeSlow(int tid);
void determineCPUFeatures(CPUFeatures *f);
int checkCPUFeatures(const char *buildtime_mask);
int cSunMiscSignal_open(void);
int cSunMiscSignal_close(void);
int cSunMiscSignal_awaitSemaphore(void);
int cSunMiscSignal_checkPendingSignal(void);
void (*cSunMiscSignal_signalHandlerFunctionPointer(void))(int);
int openSII(const char *path, int flags, int mode);

static int failures;
#define CHECK(cond, what) do { if (!(cond)) { fprintf(stderr, "FAIL: %s\n", what); failures++; } } while (0)

static void check_zone(const char *tz, const char *expected) {
  setenv("TZ", tz, 1);
  char *zone = SVM_FindJavaTZmd(NULL, 0);
  char what[160];
  snprintf(what, sizeof what, "TZ=%s gives zone %s (got %s)", tz, expected ? expected : "NULL", zone ? zone : "NULL");
  CHECK(expected == NULL ? zone == NULL : zone != NULL && strcmp(zone, expected) == 0, what);
  free(zone);
}

int main(void) {
  extern char **environ;
  CHECK(getEnviron() == environ, "getEnviron is the process environment");

  check_zone("Europe/Berlin", "Europe/Berlin");
  check_zone(":America/New_York", "America/New_York");
  check_zone("/usr/share/zoneinfo/Asia/Tokyo", "Asia/Tokyo");
  check_zone("/usr/share/zoneinfo/posix/Asia/Tokyo", "Asia/Tokyo");
  check_zone("/nowhere/else", NULL);

  CHECK(getThreadId() == getpid(), "the main thread's id is the process id");
  volatile unsigned long spin = 0;
  for (unsigned long i = 0; i < 50000000UL; i++) spin += i;
  CHECK(getThreadUserTimeSlow(getThreadId()) >= 0, "user time of this thread is known");
  CHECK(getThreadUserTimeSlow(-5) == -1, "user time of no thread is -1");

  CPUFeatures have;
  determineCPUFeatures(&have);
  /* The builder's mask is inverted: 0xFF where a feature is not needed, 0xFE (~1) where it is. */
  unsigned char none[sizeof have], exact[sizeof have], all[sizeof have], optional_missing[sizeof have];
  memset(none, 0xFF, sizeof none);
  memset(all, 0xFE, sizeof all);
  for (size_t i = 0; i < sizeof have; i++) exact[i] = (unsigned char) ~((const unsigned char *) &have)[i];
  CHECK(checkCPUFeatures((const char *) none) == 0, "an image that needs no features runs");
  CHECK(checkCPUFeatures((const char *) exact) == 0, "an image built for exactly this CPU runs");
#if defined(__x86_64__)
  CHECK(have.fSSE2, "every x86-64 CPU has SSE2");
  CHECK(checkCPUFeatures((const char *) all) != 0, "an image needing every feature (APX, AVX10.2, ...) is refused");
  /* The baseline x86-64 image: needs SSE2, not AVX-512 — runs on this CPU whatever optional features it lacks. */
  memset(optional_missing, 0xFF, sizeof optional_missing);
  optional_missing[offsetof(CPUFeatures, fSSE2)] = 0xFE;
  optional_missing[offsetof(CPUFeatures, fCX8)] = 0xFE;
  CHECK(checkCPUFeatures((const char *) optional_missing) == 0, "a baseline image runs on a CPU without AVX-512");
#endif

  setenv("LC_ALL", "C", 1);
  CHECK(svm_initialize_locale() == SVM_LOCALE_INITIALIZATION_SUCCEEDED, "locale initialises");
  svm_locale_props_t *props = svm_get_locale();
  CHECK(props->display_language && strcmp(props->display_language, "en") == 0, "the C locale is English");
  CHECK(props->format_country == NULL, "the C locale names no country");

  /* A signal is counted by the C handler and handed out once to the dispatcher. */
  CHECK(cSunMiscSignal_open() == 0, "signal dispatch opens");
  signal(SIGUSR1, cSunMiscSignal_signalHandlerFunctionPointer());
  raise(SIGUSR1);
  CHECK(cSunMiscSignal_awaitSemaphore() == 0, "the dispatcher wakes up for the signal");
  CHECK(cSunMiscSignal_checkPendingSignal() == SIGUSR1, "the pending signal is SIGUSR1");
  CHECK(cSunMiscSignal_checkPendingSignal() == -1, "and only once");
  CHECK(cSunMiscSignal_close() == 0, "signal dispatch closes");

  int fd = openSII("/dev/null", O_RDONLY, 0);
  CHECK(fd >= 0, "openSII opens a file");
  if (fd >= 0) close(fd);

  setenv("LC_ALL", "C.UTF-8", 1);
  CHECK(svm_initialize_locale() == SVM_LOCALE_INITIALIZATION_SUCCEEDED, "locale initialises again");
  CHECK(strcmp(svm_get_locale()->display_language, "en") == 0, "C.UTF-8 is English too");

  if (failures) return 1;
  puts("glue_test: all checks passed");
  return 0;
}
