package dev.atmosd.daemon.provisioning;

import dev.atmosd.daemon.config.ProvisionedIdentity;
import dev.atmosd.daemon.provisioning.IdentityProvisioner.ProvisioningObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One discovery in flight for one provider, and everyone waiting on it. Events are kept, so a caller who joins
 * late first receives what was already found, then the rest, in order. Each observer is fed by whichever thread
 * publishes, one thread at a time per observer (a work-in-progress counter, no lock held while calling out), so a
 * slow observer delays only itself... and the worker that happens to be feeding it. An observer that throws (its
 * client went away) is dropped; the discovery goes on.
 */
final class SharedDiscovery {
  private static final Logger log = LoggerFactory.getLogger(SharedDiscovery.class);

  private sealed interface Event permits Found, Warned {}

  private record Found(ProvisionedIdentity identity, int accountsDone, int accountsTotal) implements Event {}

  private record Warned(String message) implements Event {}

  private final String provider;
  private final List<Event> events = new ArrayList<>();
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final CompletableFuture<ProvisioningResult> result = new CompletableFuture<>();
  private volatile boolean forgotten;

  SharedDiscovery(String provider) {
    this.provider = provider;
  }

  /** Adds a waiter; it is told everything published so far before anything new. */
  void join(ProvisioningObserver observer) {
    Subscriber subscriber = new Subscriber(observer);
    subscribers.add(subscriber);
    subscriber.drain();
  }

  void identityFound(ProvisionedIdentity identity, int accountsDone, int accountsTotal) {
    publish(new Found(identity, accountsDone, accountsTotal));
  }

  void warn(String message) {
    publish(new Warned(message));
  }

  void complete(ProvisioningResult outcome) {
    result.complete(outcome);
  }

  /** A copy per caller, so one caller cancelling its future cannot cancel the others' (or the discovery). */
  CompletableFuture<ProvisioningResult> resultForOneCaller() {
    return result.copy();
  }

  /** The provider logged out while this ran: its findings must not bring the file back. */
  void forget() {
    forgotten = true;
  }

  boolean isForgotten() {
    return forgotten;
  }

  boolean isDone() {
    return result.isDone();
  }

  private void publish(Event event) {
    synchronized (events) {
      events.add(event);
    }
    for (Subscriber subscriber : subscribers) {
      subscriber.drain();
    }
  }

  private Event eventAt(int index) {
    synchronized (events) {
      return index < events.size() ? events.get(index) : null;
    }
  }

  private final class Subscriber {
    private final ProvisioningObserver observer;
    private final AtomicInteger wip = new AtomicInteger();
    private int delivered; // only touched by the thread holding the wip "lock"
    private volatile boolean gone;

    Subscriber(ProvisioningObserver observer) {
      this.observer = observer;
    }

    void drain() {
      if (wip.getAndIncrement() != 0) {
        return; // another thread is feeding this observer and will see the new event
      }
      int missed = 1;
      do {
        Event event;
        while (!gone && (event = eventAt(delivered)) != null) {
          delivered++;
          deliver(event);
        }
        missed = wip.addAndGet(-missed);
      } while (missed != 0);
    }

    private void deliver(Event event) {
      try {
        if (event instanceof Found found) {
          observer.onIdentity(found.identity(), found.accountsDone(), found.accountsTotal());
        } else if (event instanceof Warned warned) {
          observer.onWarning(warned.message());
        }
      } catch (RuntimeException e) {
        gone = true;
        subscribers.remove(this);
        log.debug("a waiter on the discovery of {} went away ({}); the discovery goes on", provider, e.toString());
      }
    }
  }
}
