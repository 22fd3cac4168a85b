package dev.atmosd.daemon.provisioning;

import dev.atmosd.daemon.config.ProvisionedIdentity;
import dev.atmosd.daemon.config.ProvisionedIdentitiesFile;
import dev.atmosd.daemon.config.PrintableText;
import dev.atmosd.daemon.config.DiscoveryFilter;
import dev.atmosd.daemon.config.IdentityNameTemplate;
import dev.atmosd.daemon.config.ProviderConfig;
import dev.atmosd.daemon.files.PrivateFiles;
import dev.atmosd.daemon.provisioning.PortalListings.Account;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One discovery for one provider, start to file: read the previous file, list the accounts, list every account's
 * permission sets on a bounded number of workers, merge, write atomically. Nothing here is fatal: a failed
 * ListAccounts leaves the previous file as it was; an account whose roles could not be listed keeps what the
 * previous file had for it; an account ListAccounts no longer returns is dropped.
 */
final class DiscoveryRun {
  private static final Logger log = LoggerFactory.getLogger(DiscoveryRun.class);
  /** Per-account warnings streamed before they are summed up, so 1,000 failing accounts make 6 lines, not 1,000. */
  private static final int ACCOUNT_WARNINGS_SHOWN = 5;

  private final ProviderConfig provider;
  private final String accessToken;
  private final PortalListings listings;
  private final Path file;
  private final Clock clock;
  private final Executor workers;
  private final int parallelism;
  private final SharedDiscovery sink;
  private final List<String> warnings = new ArrayList<>();
  private volatile boolean sessionRejected;

  DiscoveryRun(ProviderConfig provider, String accessToken, PortalListings listings, Path file, Clock clock,
      Executor workers, int parallelism, SharedDiscovery sink) {
    this.provider = provider;
    this.accessToken = accessToken;
    this.listings = listings;
    this.file = file;
    this.clock = clock;
    this.workers = workers;
    this.parallelism = Math.max(1, parallelism);
    this.sink = sink;
  }

  ProvisioningResult run() throws InterruptedException {
    Instant started = clock.instant();
    ProvisionedIdentitiesFile.Contents before = readPrevious();
    List<ProvisionedIdentity> previous = before.identities();

    List<Account> accounts;
    try {
      accounts = admitted(listings.accounts(accessToken));
    } catch (PortalCallFailedException e) {
      warn("could not list the accounts of provider " + provider.name() + " (" + e.getMessage() + "); "
          + file + " was left as it was");
      sessionRejected = e.unauthorized();
      return new ProvisioningResult(provider.name(), 0, 0, 0, 0, 0, Duration.between(started, clock.instant()), null,
          List.copyOf(warnings));
    }

    Map<String, String> labels = IdentityNames.accountLabels(accounts, IdentityNames.remembered(before));
    Map<String, List<ProvisionedIdentity>> previousByAccount = previous.stream()
        .collect(Collectors.groupingBy(ProvisionedIdentity::accountId));
    Map<String, List<ProvisionedIdentity>> found = new ConcurrentHashMap<>();
    Set<String> kept = ConcurrentHashMap.newKeySet();
    AtomicInteger done = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    int total = accounts.size();

    ConcurrentLinkedQueue<Account> queue = new ConcurrentLinkedQueue<>(accounts);
    List<CompletableFuture<Void>> running = new ArrayList<>();
    for (int i = 0; i < Math.min(parallelism, total); i++) {
      running.add(CompletableFuture.runAsync(() -> {
        Account account;
        while ((account = queue.poll()) != null) {
          if (Thread.currentThread().isInterrupted()) {
            // Stopping (daemon shutdown): an account skipped must not look like an account that vanished.
            throw new CompletionException(new InterruptedException("discovery stopped"));
          }
          List<ProvisionedIdentity> identities;
          String label = labels.get(account.id());
          try {
            identities = named(account, label, listings.roles(accessToken, account.id()));
          } catch (PortalCallFailedException e) {
            List<ProvisionedIdentity> earlier = previousByAccount.getOrDefault(account.id(), List.of());
            identities = named(account, label, earlier.stream().map(ProvisionedIdentity::permissionSet).toList());
            if (!earlier.isEmpty()) {
              kept.add(account.id());
            }
            if (failures.incrementAndGet() <= ACCOUNT_WARNINGS_SHOWN) {
              warn("could not list the permission sets of account " + label + " (" + e.getMessage() + "); "
                  + (earlier.isEmpty() ? "it has no identities this time" : "kept its " + earlier.size() + " previous identities"));
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
          }
          found.put(account.id(), identities);
          int accountsDone = done.incrementAndGet();
          for (ProvisionedIdentity identity : identities) {
            sink.identityFound(identity, accountsDone, total);
          }
        }
      }, workers));
    }
    try {
      CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      throw interrupted(e);
    }
    if (failures.get() > ACCOUNT_WARNINGS_SHOWN) {
      warn("… and " + (failures.get() - ACCOUNT_WARNINGS_SHOWN) + " more accounts whose permission sets could not be listed");
    }

    List<ProvisionedIdentity> identities = unique(IdentityNames.separated(found.values(), previous));
    Set<String> namesBefore = previous.stream().map(ProvisionedIdentity::name).collect(Collectors.toSet());
    Set<String> after = identities.stream().map(ProvisionedIdentity::name).collect(Collectors.toSet());
    int added = (int) after.stream().filter(n -> !namesBefore.contains(n)).count();
    int removed = (int) namesBefore.stream().filter(n -> !after.contains(n)).count();
    int roles = found.values().stream().mapToInt(List::size).sum();

    Path written = write(identities, total, roles, labels);
    Duration took = Duration.between(started, clock.instant());
    log.info("provider {}: {} identities in {} accounts ({} kept from before, +{} -{}) in {} ms", provider.name(),
        identities.size(), total, kept.size(), added, removed, took.toMillis());
    return new ProvisioningResult(provider.name(), identities.size(), total, kept.size(), added, removed, took, written,
        List.copyOf(warnings));
  }

  /** Whether the portal refused the token itself (401) when listing accounts: the session engine must hear of it. */
  boolean sessionRejected() {
    return sessionRejected;
  }

  /** Replaces the file atomically; null (and a warning) when it was not written. */
  private Path write(List<ProvisionedIdentity> identities, int accounts, int roles, Map<String, String> labels) {
    if (sink.isForgotten()) {
      warn("provider " + provider.name() + " was logged out during discovery; " + file + " was not written");
      return null;
    }
    try {
      PrivateFiles.writeAtomically(file, ProvisionedIdentitiesFile.render(new ProvisionedIdentitiesFile.Metadata(
          provider.name(), provider.startUrl(), provider.region(), clock.instant(), accounts, roles, labels), identities));
      return file;
    } catch (IOException e) {
      warn("could not write " + file + " (" + e.getMessage() + "); the identities of provider " + provider.name()
          + " were not updated");
      return null;
    }
  }

  /** The accounts spec.discovery.filters keeps; the others' roles are never listed. */
  private List<Account> admitted(List<Account> accounts) {
    DiscoveryFilter filter = provider.provisioning().filter();
    if (!filter.filtersAccounts()) {
      return accounts;
    }
    List<Account> kept = accounts.stream()
        .filter(a -> filter.admitsAccount(PrintableText.clean(a.name()), a.id()))
        .toList();
    log.info("provider {}: spec.discovery.filters kept {} of {} accounts", provider.name(), kept.size(),
        accounts.size());
    return kept;
  }

  /** The account's identities: the permission sets the filters keep, named by the template. */
  private List<ProvisionedIdentity> named(Account account, String label, List<String> permissionSets) {
    DiscoveryFilter filter = provider.provisioning().filter();
    IdentityNameTemplate template = provider.provisioning().nameTemplate();
    List<ProvisionedIdentity> out = new ArrayList<>();
    for (String permissionSet : permissionSets) {
      String cleanSet = PrintableText.clean(permissionSet);
      if (!filter.admitsRole(cleanSet)) {
        continue;
      }
      String name = PrintableText.clean(template.render(new IdentityNameTemplate.Values(label, account.id(), cleanSet)));
      if (name.isEmpty()) {
        warn("identity_name_template \"" + template.text() + "\" gave an empty name for account " + label
            + " and permission set " + cleanSet + "; it was skipped");
        continue;
      }
      out.add(new ProvisionedIdentity(name, provider.name(), account.id(),
          account.name() == null ? "" : account.name(), cleanSet));
    }
    return out;
  }

  /**
   * Sorted by name, each name once. Names are unique by construction (labels are, and permission-set names cannot
   * contain {@code /}); should the portal ever break that, the first in sort order wins and a warning says so.
   */
  private List<ProvisionedIdentity> unique(List<ProvisionedIdentity> named) {
    List<ProvisionedIdentity> all = named.stream()
        .sorted(Comparator.comparing(ProvisionedIdentity::name).thenComparing(ProvisionedIdentity::accountId))
        .toList();
    List<ProvisionedIdentity> out = new ArrayList<>(all.size());
    Set<String> seen = new HashSet<>();
    for (ProvisionedIdentity identity : all) {
      if (seen.add(identity.name())) {
        out.add(identity);
      } else {
        warn("two identities would be named \"" + identity.name() + "\"; kept the one of account "
            + out.get(out.size() - 1).accountId() + ", skipped account " + identity.accountId());
      }
    }
    return out;
  }

  private ProvisionedIdentitiesFile.Contents readPrevious() {
    ProvisionedIdentitiesFile.Contents none = new ProvisionedIdentitiesFile.Contents(provider.startUrl(), List.of(),
        Map.of());
    try {
      Optional<ProvisionedIdentitiesFile.Contents> contents = ProvisionedIdentitiesFile.readBack(file);
      if (contents.isEmpty()) {
        return none;
      }
      if (contents.get().startUrl() != null && !contents.get().startUrl().equals(provider.startUrl())) {
        // A provider pointed at another portal: that portal's accounts are no one's to keep.
        log.info("provider {}: {} was written for another portal; starting afresh", provider.name(), file);
        return none;
      }
      return contents.get();
    } catch (IOException e) {
      warn("ignored the unreadable " + file + " (" + oneLine(e.getMessage()) + "); it will be written afresh");
      return none;
    }
  }

  private void warn(String message) {
    synchronized (warnings) {
      warnings.add(message);
    }
    log.warn(message);
    sink.warn(message);
  }

  private static InterruptedException interrupted(CompletionException e) {
    Throwable cause = e.getCause();
    if (cause instanceof InterruptedException interrupted) {
      return interrupted;
    }
    if (cause instanceof RuntimeException runtime) {
      throw runtime;
    }
    throw e;
  }

  private static String oneLine(String s) {
    return s == null ? "unknown error" : s.replaceAll("\\s+", " ").strip();
  }
}
