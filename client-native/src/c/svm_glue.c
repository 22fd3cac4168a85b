/*
 * The C symbols a SubstrateVM image links that GraalVM distributions ship as prebuilt libraries (libchelper,
 * libsvm_container, the static JDK libraries' JNI_OnLoad_<lib> entry points) and the Maven Central jars do not.
 * Written for atmos from what the Java side (the @CFunction declarations of svm 25.0.2) expects of each symbol;
 * client-native/src/test/glue_test.c checks them. Linux only (x86-64, AArch64).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <jni.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "svm_locale.h"

/* ---- LibCHelper ----------------------------------------------------------------------------------------------- */
extern char **environ;
char **getEnviron(void) { return environ; }

/*
 * The platform's time-zone ID (e.g. "Europe/Berlin") in a malloc'd string the caller frees, or NULL for "GMT".
 * Looked up the way the JDK does on Linux: $TZ, then /etc/timezone, then the target of the /etc/localtime link.
 * The JDK's tzmappings argument only matters on Windows.
 */
static char *zone_from_path(const char *path) {
  const char *marker = strstr(path, "zoneinfo/");
  if (marker == NULL) return NULL;
  marker += strlen("zoneinfo/");
  if (strncmp(marker, "posix/", 6) == 0) marker += 6;
  else if (strncmp(marker, "right/", 6) == 0) marker += 6;
  return *marker ? strdup(marker) : NULL;
}

char *SVM_FindJavaTZmd(const char *tzmappings, int length) {
  (void) tzmappings; (void) length;
  const char *tz = getenv("TZ");
  if (tz != NULL && *tz) {
    if (*tz == ':') tz++;
    if (*tz == '/') return zone_from_path(tz);
    return strdup(tz);
  }
  FILE *f = fopen("/etc/timezone", "r");
  if (f != NULL) {
    char line[256];
    char *got = fgets(line, sizeof line, f);
    fclose(f);
    if (got != NULL) {
      line[strcspn(line, " \t\r\n")] = '\0';
      if (*line) return strdup(line);
    }
  }
  char target[PATH_MAX];
  ssize_t n = readlink("/etc/localtime", target, sizeof target - 1);
  if (n > 0) {
    target[n] = '\0';
    return zone_from_path(target);
  }
  return NULL;
}

/* ---- LinuxLibCHelper ------------------------------------------------------------------------------------------ */
int getThreadId(void) { return (int) syscall(SYS_gettid); }

/* CPU time the thread has spent in user mode, in nanoseconds, from /proc (utime, field 14); -1 when unreadable. */
long getThreadUserTimeSlow(int tid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/self/task/%d/stat", tid);
  FILE *f = fopen(path, "r");
  if (f == NULL) return -1;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  char *p = strrchr(buf, ')'); /* the command name may hold spaces and parentheses */
  if (p == NULL) return -1;
  unsigned long utime;
  /* after ")": state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14) */
  if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu", &utime) != 1) return -1;
  long ticks = sysconf(_SC_CLK_TCK);
  return ticks > 0 ? (long) (utime * (1000000000L / ticks)) : -1;
}

/* ---- CPU features (AMD64LibCHelper / AArch64LibCHelper) ------------------------------------------------------- */
#if defined(__x86_64__)
#include <cpuid.h>
#include "amd64cpufeatures.h"

/* The features the image may use at run time beyond those it was built for. Only what cpuid says for certain is set;
 * a feature left at 0 only costs a faster code path, never correctness. */
void determineCPUFeatures(CPUFeatures *f) {
  unsigned a, b, c, d;
  memset(f, 0, sizeof *f);
  if (!__get_cpuid(1, &a, &b, &c, &d)) return;
  f->fCX8 = (d >> 8) & 1; f->fCMOV = (d >> 15) & 1; f->fFXSR = (d >> 24) & 1; f->fMMX = (d >> 23) & 1;
  f->fSSE = (d >> 25) & 1; f->fSSE2 = (d >> 26) & 1; f->fTSC = (d >> 4) & 1; f->fFLUSH = (d >> 19) & 1;
  f->fSSE3 = c & 1; f->fCLMUL = (c >> 1) & 1; f->fSSSE3 = (c >> 9) & 1; f->fFMA = (c >> 12) & 1;
  f->fSSE4_1 = (c >> 19) & 1; f->fSSE4_2 = (c >> 20) & 1; f->fPOPCNT = (c >> 23) & 1; f->fAES = (c >> 25) & 1;
  f->fF16C = (c >> 29) & 1; f->fHV = (c >> 31) & 1;
  /* AVX needs the OS to save the YMM state (OSXSAVE and XCR0 bits 1-2). */
  int os_avx = 0;
  if ((c >> 27) & 1) {
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    os_avx = (lo & 6) == 6;
  }
  f->fAVX = os_avx && ((c >> 28) & 1);
  if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
    f->fBMI1 = (b >> 3) & 1; f->fAVX2 = f->fAVX && ((b >> 5) & 1); f->fBMI2 = (b >> 8) & 1; f->fERMS = (b >> 9) & 1;
    f->fADX = (b >> 19) & 1; f->fSHA = (b >> 29) & 1; f->fCLWB = (b >> 24) & 1; f->fFLUSHOPT = (b >> 23) & 1;
    f->fFSRM = (d >> 4) & 1;
  }
  if (__get_cpuid(0x80000001, &a, &b, &c, &d)) {
    f->fLZCNT = (c >> 5) & 1; f->fSSE4A = (c >> 6) & 1; f->fAMD_3DNOW_PREFETCH = (c >> 8) & 1; f->fRDTSCP = (d >> 27) & 1;
  }
}
#elif defined(__aarch64__)
#include "aarch64cpufeatures.h"
/* Conservative: none beyond the base the image was built for (a missing feature only costs a faster path). */
void determineCPUFeatures(CPUFeatures *f) { memset(f, 0, sizeof *f); }
#else
#error "atmos native client: unsupported architecture"
#endif

/* 0 when this CPU has every feature the image was built for, 1 when not. The builder stores the mask inverted: per
 * CPUFeatures byte, the complement of the feature's required value (0xFE where the image needs the feature, 0xFF
 * where it does not), so OR-ing the host's 0/1 bytes into it must give all ones. Reading it as "non-zero means
 * required" refuses every CPU that lacks any optional feature (e.g. AVX-512), which is how a first version failed. */
int checkCPUFeatures(const char *buildtime_mask) {
  CPUFeatures have;
  determineCPUFeatures(&have);
  const unsigned char *host = (const unsigned char *) &have;
  const unsigned char *mask = (const unsigned char *) buildtime_mask;
  for (size_t i = 0; i < sizeof have; i++) {
    if ((unsigned char) (mask[i] | host[i]) != 0xFF) return 1;
  }
  return 0;
}

int checkCPUFeaturesOrExit(const char *buildtime_mask, const char *error_message) {
  int result = checkCPUFeatures(buildtime_mask);
  if (result != 0) {
    fputs(error_message, stderr);
    fputc('\n', stderr);
    exit(1);
  }
  return result;
}

/* ---- Locale (LocaleCHelper) ----------------------------------------------------------------------------------- */
static svm_locale_props_t locale_props;

/* Splits a POSIX locale name "ll_CC.codeset@modifier" into language, country and variant (malloc'd; NULL if absent). */
static void split_locale(const char *name, char **language, char **country, char **variant) {
  *language = *country = *variant = NULL;
  if (name == NULL || !*name || strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0) {
    *language = strdup("en");
    return;
  }
  char buf[256];
  snprintf(buf, sizeof buf, "%s", name);
  char *at = strchr(buf, '@');
  if (at != NULL) { *at = '\0'; *variant = strdup(at + 1); }
  char *dot = strchr(buf, '.');
  if (dot != NULL) *dot = '\0';
  char *underscore = strchr(buf, '_');
  if (underscore != NULL) { *underscore = '\0'; *country = strdup(underscore + 1); }
  /* "C.UTF-8" and "POSIX" are the C locale with a code set: English, as the JDK has it. */
  *language = strdup(strcmp(buf, "C") == 0 || strcmp(buf, "POSIX") == 0 ? "en" : buf);
}

int svm_initialize_locale(void) {
  setlocale(LC_ALL, "");
  split_locale(setlocale(LC_MESSAGES, NULL), &locale_props.display_language, &locale_props.display_country,
               &locale_props.display_variant);
  split_locale(setlocale(LC_CTYPE, NULL), &locale_props.format_language, &locale_props.format_country,
               &locale_props.format_variant);
  if (locale_props.display_language == NULL || locale_props.format_language == NULL)
    return SVM_LOCALE_INITIALIZATION_OUT_OF_MEMORY;
  return SVM_LOCALE_INITIALIZATION_SUCCEEDED;
}

svm_locale_props_t *svm_get_locale(void) { return &locale_props; }

/* ---- JNI_OnLoad_<lib> ----------------------------------------------------------------------------------------- */
/*
 * A statically linked JDK library is initialised through JNI_OnLoad_<name>. Here the JDK libraries are the shared
 * ones (the "static" libraries are linker scripts naming them), each with its own plain JNI_OnLoad: look that up in
 * the very library and run it. The image wants JNI 1.8 or later back.
 */
static jint run_library_onload(const char *soname, JavaVM *vm, void *reserved) {
  void *handle = dlopen(soname, RTLD_LAZY | RTLD_NOLOAD);
  if (handle == NULL) return JNI_VERSION_1_8; /* not linked: nothing to initialise */
  jint (*onload)(JavaVM *, void *) = (jint (*)(JavaVM *, void *)) dlsym(handle, "JNI_OnLoad");
  jint version = JNI_VERSION_1_8;
  if (onload != NULL) {
    /* dlsym also finds a JNI_OnLoad of a library loaded earlier; only call the one defined in this library. */
    Dl_info info;
    if (dladdr((void *) onload, &info) && info.dli_fname != NULL && strstr(info.dli_fname, soname) != NULL) {
      version = onload(vm, reserved);
    }
  }
  dlclose(handle);
  return version < JNI_VERSION_1_8 ? JNI_VERSION_1_8 : version;
}

JNIEXPORT jint JNICALL JNI_OnLoad_java(JavaVM *vm, void *reserved) { return run_library_onload("libjava.so", vm, reserved); }
JNIEXPORT jint JNICALL JNI_OnLoad_nio(JavaVM *vm, void *reserved) { return run_library_onload("libnio.so", vm, reserved); }
JNIEXPORT jint JNICALL JNI_OnLoad_net(JavaVM *vm, void *reserved) { return run_library_onload("libnet.so", vm, reserved); }
JNIEXPORT jint JNICALL JNI_OnLoad_zip(JavaVM *vm, void *reserved) { return run_library_onload("libzip.so", vm, reserved); }
JNIEXPORT jint JNICALL JNI_OnLoad_extnet(JavaVM *vm, void *reserved) { return run_library_onload("libextnet.so", vm, reserved); }

/* ---- Non-variadic wrappers (SubstrateVM calls C functions with fixed signatures only) -------------------------- */
#include <fcntl.h>
#include <sys/mman.h>

int openSII(const char *path, int flags, int mode) { return open(path, flags, mode); }
int fprintfSD(FILE *stream, const char *format, const char *s, int d) { return fprintf(stream, format, s, d); }
void *mremapP(void *old_address, size_t old_size, size_t new_size, int flags, void *new_address) {
  return mremap(old_address, old_size, new_size, flags, new_address);
}

/* ---- The libjvm shim's own entry (com.oracle.svm.core.jdk.Jvm.initialize) -------------------------------------- */
/* GraalVM's stand-in libjvm sets up its own state here; the JVM_* functions the JDK libraries call come from the real
 * libjvm.so here, which needs no set-up for the few the client reaches (JVM_FindLibraryEntry, jio_*). */
void initialize(void) {}

/* ---- Signal dispatch (com.oracle.svm.core.posix.headers.CSunMiscSignal) ---------------------------------------- */
/*
 * sun.misc.Signal / jdk.internal.misc.Signal handlers in a native image: the C handler only counts the signal and
 * posts a semaphore (async-signal-safe); a Java dispatcher thread waits on it, takes one pending signal at a time
 * (checkPendingSignal) and runs the Java handlers.
 */
#include <errno.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>

static sem_t signal_semaphore;
static atomic_int pending_signals[NSIG];
static bool signal_semaphore_open;

int cSunMiscSignal_open(void) {
  if (signal_semaphore_open) return 0;
  for (int i = 0; i < NSIG; i++) atomic_store(&pending_signals[i], 0);
  if (sem_init(&signal_semaphore, 0, 0) != 0) return -1;
  signal_semaphore_open = true;
  return 0;
}

int cSunMiscSignal_close(void) {
  if (!signal_semaphore_open) return 0;
  signal_semaphore_open = false;
  return sem_destroy(&signal_semaphore);
}

int cSunMiscSignal_awaitSemaphore(void) {
  while (sem_wait(&signal_semaphore) != 0) {
    if (errno != EINTR) return -1;
  }
  return 0;
}

int cSunMiscSignal_signalSemaphore(void) { return sem_post(&signal_semaphore); }

bool cSunMiscSignal_signalRangeCheck(int sig) { return sig > 0 && sig < NSIG; }

/* The number of a signal that arrived and was not yet dispatched (taking it), or -1 when there is none. */
int cSunMiscSignal_checkPendingSignal(void) {
  for (int sig = 1; sig < NSIG; sig++) {
    int count = atomic_load(&pending_signals[sig]);
    while (count > 0) {
      if (atomic_compare_exchange_weak(&pending_signals[sig], &count, count - 1)) return sig;
    }
  }
  return -1;
}

static void count_signal(int sig) {
  if (!cSunMiscSignal_signalRangeCheck(sig)) return;
  int saved_errno = errno;
  atomic_fetch_add(&pending_signals[sig], 1);
  sem_post(&signal_semaphore);
  errno = saved_errno;
}

void (*cSunMiscSignal_signalHandlerFunctionPointer(void))(int) { return count_signal; }

/* ---- Container limits (com.oracle.svm.core.container.ContainerLibrary) ----------------------------------------- */
/* The client is built with -H:-UseContainerSupport: it reports "not containerised" and the host's own figures. */
int svm_container_initialize(int version) { (void) version; return 0; /* SUCCESS_IS_NOT_CONTAINERIZED */ }
unsigned long svm_container_physical_memory(void) {
  long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
  return pages > 0 && size > 0 ? (unsigned long) pages * (unsigned long) size : 0;
}
long svm_container_memory_limit_in_bytes(void) { return -1; }
long svm_container_memory_and_swap_limit_in_bytes(void) { return -1; }
long svm_container_memory_soft_limit_in_bytes(void) { return -1; }
long svm_container_memory_usage_in_bytes(void) { return -1; }
long svm_container_memory_max_usage_in_bytes(void) { return -1; }
long svm_container_rss_usage_in_bytes(void) { return -1; }
long svm_container_cache_usage_in_bytes(void) { return -1; }
int svm_container_active_processor_count(void) { return (int) sysconf(_SC_NPROCESSORS_ONLN); }

JNIEXPORT jint JNICALL JNI_OnLoad_jaas(JavaVM *vm, void *reserved) { return run_library_onload("libjaas.so", vm, reserved); }
JNIEXPORT jint JNICALL JNI_OnLoad_management_ext(JavaVM *vm, void *reserved) {
  return run_library_onload("libmanagement_ext.so", vm, reserved);
}
