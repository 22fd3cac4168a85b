package dev.atmosd.cli;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.atmosd.v1.IdentityInfo;
import dev.atmosd.v1.ListIdentitiesReply;
import dev.atmosd.v1.ProviderInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Go atmos's {@code auth list} filters (cmd/auth/list.go parseFilterFlags/applyFilters): {@code --providers[=a,b]}
 * shows providers only, {@code --identities[=x,y]} identities only (the two exclude each other, a name that is not
 * there is an error), and {@code --tags=a,b} keeps the entries carrying any of those tags on top of either.
 */
final class ListSelection {
  private final String providers;
  private final String identities;
  private final List<String> tags;

  /** A null flag was not given; an empty one was given without a value (all of that section). */
  ListSelection(String providers, String identities, String tags) {
    if (providers != null && identities != null) {
      throw new UserError("mutually exclusive flags provided: --providers and --identities; give one of them");
    }
    this.providers = providers;
    this.identities = identities;
    this.tags = names(tags);
  }

  ListIdentitiesReply apply(ListIdentitiesReply reply) {
    ListIdentitiesReply.Builder out = reply.toBuilder().clearProviders().clearIdentities();
    if (identities == null) {
      List<String> wanted = names(providers);
      for (String name : wanted) {
        if (reply.getProvidersList().stream().noneMatch(p -> p.getName().equals(name))) {
          throw new UserError("provider not found: \"" + name + "\"; run atmos auth list --providers to see them");
        }
      }
      for (ProviderInfo provider : reply.getProvidersList()) {
        if ((wanted.isEmpty() || wanted.contains(provider.getName())) && tagged(tagsOf(provider))) {
          out.addProviders(provider);
        }
      }
    }
    if (providers == null) {
      List<String> wanted = names(identities);
      for (String name : wanted) {
        if (reply.getIdentitiesList().stream().noneMatch(i -> i.getName().equals(name))) {
          throw new UserError("identity not found: \"" + name + "\"; run atmos auth list --identities to see them");
        }
      }
      for (IdentityInfo identity : reply.getIdentitiesList()) {
        if ((wanted.isEmpty() || wanted.contains(identity.getName())) && tagged(tagsOf(identity))) {
          out.addIdentities(identity);
        }
      }
    }
    return out.build();
  }

  private boolean tagged(Set<String> entryTags) {
    return tags.isEmpty() || tags.stream().anyMatch(entryTags::contains);
  }

  static Set<String> tagsOf(IdentityInfo identity) {
    Set<String> tags = new LinkedHashSet<>(identity.getTagsList());
    tags.addAll(definitionTags(identity.getDefinition()));
    return tags;
  }

  static Set<String> tagsOf(ProviderInfo provider) {
    return definitionTags(provider.getDefinition());
  }

  private static Set<String> definitionTags(Struct definition) {
    Set<String> tags = new LinkedHashSet<>();
    Value value = definition.getFieldsOrDefault("tags", Value.getDefaultInstance());
    if (value.hasListValue()) {
      value.getListValue().getValuesList().forEach(v -> tags.add(v.getStringValue()));
    }
    return tags;
  }

  private static List<String> names(String flag) {
    List<String> names = new ArrayList<>();
    if (flag != null) {
      Arrays.stream(flag.split(",")).map(String::strip).filter(n -> !n.isEmpty()).forEach(names::add);
    }
    return names;
  }
}
