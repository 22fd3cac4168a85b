package dev.atmosd.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atmosd.daemon.config.IdentityNameTemplate.Values;
import org.junit.jupiter.api.Test;

/** The Go-template subset of identity_name_template (atmos docs/prd/sso-role-auto-discovery.md §6). */
class IdentityNameTemplateTest {
  private static final Values PROD_ADMIN = new Values("Prod EU", "123456789012", "AdministratorAccess");

  @Test
  void theDefaultIsAccountSlashRole() {
    assertThat(IdentityNameTemplate.DEFAULT.render(PROD_ADMIN)).isEqualTo("Prod EU/AdministratorAccess");
    assertThat(IdentityNameTemplate.parse("{{.AccountName}}/{{.RoleName}}")).isEqualTo(IdentityNameTemplate.DEFAULT);
  }

  @Test
  void fieldsLiteralsAndPipelines() {
    assertThat(render("{{ .AccountID }}-{{ .RoleName }}")).isEqualTo("123456789012-AdministratorAccess");
    assertThat(render("{{ .AccountName | lower | replace \" \" \"-\" }}/{{ .RoleName | trimSuffix \"Access\" }}"))
        .isEqualTo("prod-eu/Administrator");
    assertThat(render("aws:{{ .AccountName | upper }}")).isEqualTo("aws:PROD EU");
    assertThat(render("{{ .RoleName | trimPrefix `Admin` }}")).isEqualTo("istratorAccess");
    // Go's {{- and -}} trim the whitespace beside the action.
    assertThat(render("{{ .AccountID }}  \n {{- .RoleName }}")).isEqualTo("123456789012AdministratorAccess");
  }

  @Test
  void anythingElseIsRefusedWithWhereAndWhatIsAllowed() {
    assertThatThrownBy(() -> IdentityNameTemplate.parse("{{ .Acount }}/{{ .RoleName }}"))
        .hasMessage("\".Acount\" at column 1 is not a field: use .AccountName, .AccountID or .RoleName");
    assertThatThrownBy(() -> IdentityNameTemplate.parse("x/{{ .RoleName | exec \"id\" }}"))
        .hasMessageContaining("function \"exec\" at column 3 is not one a name may use");
    assertThatThrownBy(() -> IdentityNameTemplate.parse("{{ env \"HOME\" }}"))
        .hasMessageContaining("\"env \"HOME\"\" at column 1 is not a field");
    assertThatThrownBy(() -> IdentityNameTemplate.parse("{{ .RoleName "))
        .hasMessage("unclosed action at column 1: end it with }}");
    assertThatThrownBy(() -> IdentityNameTemplate.parse("admin"))
        .hasMessageContaining("uses no field, so every identity would get the same name");
    assertThatThrownBy(() -> IdentityNameTemplate.parse("{{ .RoleName | replace \"a\" }}"))
        .hasMessage("replace at column 1 takes 2 quoted arguments, not 1");
  }

  private static String render(String template) {
    return IdentityNameTemplate.parse(template).render(PROD_ADMIN);
  }
}
