package dev.atmosd.cli;

import dev.atmosd.v1.AuthEvent;
import dev.atmosd.v1.DeviceAuthorization;
import dev.atmosd.v1.IdentityInfo;
import dev.atmosd.v1.PortalSession;
import dev.atmosd.v1.ProvisioningFinished;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * Turns a stream of AuthEvents into what the user sees on stderr (stdout stays clean for credential_process and
 * env output): the sign-in code and URL, the browser for the one client the daemon picks, a spinner while waiting
 * (on a terminal only), provisioning progress and warnings. Returns the event that ends the call.
 */
public final class SignInPrompter {
  private final PrintStream err;
  private final Terminal terminal;
  private final BrowserLauncher browser;
  private final boolean mayOpenBrowser;
  private final Clock clock;

  private final Spinner spinner;
  private final Set<String> accountsSeen = new HashSet<>();
  private int identitiesSeen;
  private Instant provisioningStarted;

  public SignInPrompter(PrintStream err, Terminal terminal, BrowserLauncher browser, boolean mayOpenBrowser,
      Clock clock) {
    this.err = err;
    this.terminal = terminal;
    this.browser = browser;
    this.mayOpenBrowser = mayOpenBrowser;
    this.clock = clock;
    this.spinner = new Spinner(err, terminal.isTerminal(), clock);
  }

  /** Shows every event; returns the last event that is not a prompt (credentials, a grant, ...), or null. */
  public AuthEvent follow(Iterator<AuthEvent> events) {
    AuthEvent result = null;
    try {
      while (events.hasNext()) {
        AuthEvent event = events.next();
        if (!show(event)) {
          result = event;
        }
      }
    } finally {
      spinner.stop();
      endCounterLine();
    }
    return result;
  }

  /** Prints one event; false when it is a result for the caller rather than something to show. */
  boolean show(AuthEvent event) {
    switch (event.getEventCase()) {
      case DEVICE_AUTHORIZATION:
        deviceAuthorization(event.getDeviceAuthorization());
        return true;
      case SIGNED_IN:
        signedIn(event.getSignedIn());
        return true;
      case IDENTITY_PROVISIONED:
        identityProvisioned(event.getIdentityProvisioned());
        return true;
      case PROVISIONING_FINISHED:
        provisioningFinished(event.getProvisioningFinished());
        return true;
      case WARNING:
        line(terminal.yellow("!") + " " + event.getWarning());
        return true;
      case PROGRESS:
        line(terminal.dim(event.getProgress()));
        return true;
      default:
        return false;
    }
  }

  private void deviceAuthorization(DeviceAuthorization auth) {
    spinner.stop();
    String url = auth.getVerificationUriComplete().isEmpty() ? auth.getVerificationUri()
        : auth.getVerificationUriComplete();
    String code = terminal.bold(auth.getUserCode());
    String who = auth.getProvider().isEmpty() ? "AWS IAM Identity Center" : auth.getProvider();
    // A client that may not open a browser is never picked to open one; when it waits alone, the sign-in is its own.
    boolean ours = auth.getOpenBrowser() || !mayOpenBrowser && auth.getWaiters() <= 1;
    if (ours) {
      err.println("Sign in to " + who + ": code " + code);
      err.println("  " + url);
      if (mayOpenBrowser && auth.getOpenBrowser() && browser.open(url)) {
        err.println("Opening browser… (check that it shows the code above)");
      } else if (mayOpenBrowser) {
        err.println("Could not open a browser: open the URL above and confirm the code.");
      } else {
        err.println("Open the URL above in a browser and confirm the code.");
      }
    } else {
      err.println("sign-in already in progress (code " + code + "); waiting…");
      err.println("  " + url);
    }
    spinner.start("Waiting for sign-in to " + who);
  }

  private void signedIn(PortalSession session) {
    spinner.stop();
    String who = session.getProvidersCount() > 0 ? String.join(", ", session.getProvidersList())
        : session.getStartUrl();
    StringBuilder line = new StringBuilder(terminal.green("✓") + " Signed in to " + who);
    if (Timestamps.isSet(session.getAccessTokenExpiresAt())) {
      Duration left = Duration.between(clock.instant(), Timestamps.toInstant(session.getAccessTokenExpiresAt()));
      line.append(" (session expires ").append(Timestamps.human(session.getAccessTokenExpiresAt()))
          .append(", in ").append(HumanDuration.format(left)).append(')');
    }
    err.println(line);
  }

  private void identityProvisioned(IdentityInfo identity) {
    spinner.stop();
    if (provisioningStarted == null) {
      provisioningStarted = clock.instant();
    }
    identitiesSeen++;
    if (!identity.getAccountId().isEmpty()) {
      accountsSeen.add(identity.getAccountId());
    }
    if (terminal.isTerminal()) {
      err.print("\r\u001b[K" + "Discovering identities… " + identitiesSeen + " found (" + accountsSeen.size()
          + (accountsSeen.size() == 1 ? " account)" : " accounts)"));
      err.flush();
    } else {
      err.println("  + " + identity.getName()
          + (identity.getAccountId().isEmpty() ? "" : " (account " + identity.getAccountId() + ")"));
    }
  }

  private void provisioningFinished(ProvisioningFinished finished) {
    spinner.stop();
    endCounterLine();
    String took = HumanDuration.elapsed(Duration.ofMillis(finished.getDurationMillis()));
    StringBuilder line = new StringBuilder(terminal.green("✓") + " Provisioned " + finished.getIdentities()
        + (finished.getIdentities() == 1 ? " identity" : " identities") + " across " + finished.getAccounts()
        + (finished.getAccounts() == 1 ? " account" : " accounts") + " (" + took + ")");
    if (finished.getAdded() > 0 || finished.getRemoved() > 0) {
      line.append(": ").append(finished.getAdded()).append(" added, ").append(finished.getRemoved())
          .append(" removed");
    }
    err.println(line);
    if (finished.getAccountsKept() > 0) {
      err.println(terminal.yellow("!") + " " + finished.getAccountsKept()
          + " account(s) could not be listed this time; kept their previous identities");
    }
  }

  private void line(String text) {
    spinner.pause();
    endCounterLine();
    err.println(text);
    spinner.resume();
  }

  /** The live counter rewrites one line; anything printed after it needs a line of its own. */
  private void endCounterLine() {
    if (terminal.isTerminal() && identitiesSeen > 0 && provisioningStarted != null) {
      err.print("\r\u001b[K");
      err.flush();
      provisioningStarted = null;
    }
  }
}
