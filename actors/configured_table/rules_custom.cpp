// SPEC.md 17.4: the CUSTOM rule. Checked in the order of rules.cpp (columns, duplicates, method),
// then the 17.4 table row by row: allowedAnalyses entries, template mode versus provider mode,
// provider account ids, differential privacy.
#include <algorithm>
#include <cctype>

#include "actors/configured_table/rules_detail.hpp"

namespace crs::configured_table::detail {
namespace {

constexpr std::string_view any_query = "ANY_QUERY";
constexpr std::string_view any_job = "ANY_JOB";

bool is_word(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}
bool is_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
bool all_word(std::string_view s, bool dash_ok) {
  return std::all_of(s.begin(), s.end(),
                     [&](char c) { return is_word(c) || (dash_ok && c == '-'); });
}

// Cuts `s` at the first `sep`; false when `sep` is missing.
bool take_until(std::string_view& s, std::string_view sep, std::string_view& head) {
  const auto at = s.find(sep);
  if (at == std::string_view::npos) return false;
  head = s.substr(0, at);
  s.remove_prefix(at + sep.size());
  return true;
}

// The model's pattern, whole-string: arn:aws:cleanrooms:\w{2}-\w{4,9}-\d:\d{12}:membership/
// [\w-]+/analysistemplate/[\w-]+ (hand-matched: the domain stays free of <regex>).
bool is_template_arn(std::string_view s) {
  constexpr std::string_view prefix = "arn:aws:cleanrooms:";
  if (s.substr(0, prefix.size()) != prefix) return false;
  s.remove_prefix(prefix.size());
  std::string_view region, account, membership;
  if (!take_until(s, ":", region) || !take_until(s, ":membership/", account) ||
      !take_until(s, "/analysistemplate/", membership))
    return false;
  std::string_view area, place;
  if (!take_until(region, "-", area) || !take_until(region, "-", place)) return false;
  const bool region_ok = area.size() == 2 && all_word(area, false) && place.size() >= 4 &&
                         place.size() <= 9 && all_word(place, false) && region.size() == 1 &&
                         is_digits(region);
  return region_ok && account.size() == 12 && is_digits(account) && !membership.empty() &&
         all_word(membership, true) && !s.empty() && all_word(s, true);
}

bool is_keyword(std::string_view s) {
  return s == any_query || s == any_job;
}

std::optional<domain_error> allowed_analyses_well_formed(const std::string& at,
                                                         const custom_rule& r) {
  for (const auto& a : r.allowed_analyses)
    if (!is_keyword(a) && !is_template_arn(a))
      return invalid_configuration(at + ".allowedAnalyses: " + quoted(a) +
                                   " is neither ANY_QUERY, ANY_JOB nor an analysis template ARN");
  return std::nullopt;
}

// Either templates (approved SQL only) or provider accounts (free-form analyses by named
// accounts), never both: mixing them would let a provider bypass template approval.
std::optional<domain_error> one_mode(const std::string& at, const custom_rule& r) {
  const auto& analyses = r.allowed_analyses;
  const auto keyword = std::find_if(analyses.begin(), analyses.end(),
                                    [](const std::string& a) { return is_keyword(a); });
  const auto arn = std::find_if(analyses.begin(), analyses.end(),
                                [](const std::string& a) { return !is_keyword(a); });
  const bool has_providers = r.allowed_analysis_providers && !r.allowed_analysis_providers->empty();
  if (keyword != analyses.end() && arn != analyses.end())
    return invalid_configuration(at + ".allowedAnalyses: analysis template " + quoted(*arn) +
                                 " cannot be combined with " + quoted(*keyword));
  if (arn != analyses.end() && has_providers)
    return invalid_configuration(at + ".allowedAnalysisProviders: account " +
                                 quoted(r.allowed_analysis_providers->front()) +
                                 " cannot be listed when allowedAnalyses names analysis "
                                 "templates; providers and templates are exclusive");
  if (keyword != analyses.end() && !has_providers)
    return invalid_configuration(at +
                                 ".allowedAnalysisProviders: at least one account is "
                                 "required when allowedAnalyses contains " +
                                 quoted(*keyword));
  return std::nullopt;
}

std::optional<domain_error> providers_are_accounts(const std::string& at, const custom_rule& r) {
  if (!r.allowed_analysis_providers) return std::nullopt;
  for (const auto& p : *r.allowed_analysis_providers)
    if (p.size() != 12 || !is_digits(p))
      return invalid_configuration(at + ".allowedAnalysisProviders: " + quoted(p) +
                                   " is not a 12-digit AWS account id");
  return std::nullopt;
}

std::optional<domain_error> differential_privacy(const std::string& at, const custom_rule& r,
                                                 const table_facts& table) {
  if (!r.differential_privacy_columns) return std::nullopt;
  const auto count = r.differential_privacy_columns->size();
  if (count != 1)
    return invalid_configuration(at +
                                 ".differentialPrivacy.columns: exactly one column is "
                                 "required, got " +
                                 std::to_string(count));
  // The service offers differential privacy on S3 data through Glue only (SPEC.md 17.4).
  if (table.reference_kind != "glue")
    return invalid_configuration(at +
                                 ".differentialPrivacy: differential privacy is available "
                                 "only for AWS Glue tables, not for a " +
                                 std::string(table.reference_kind) + " table reference");
  return std::nullopt;
}

}  // namespace

std::optional<domain_error> check_custom(const analysis_rule_policy& policy, const custom_rule& r,
                                         const table_facts& table) {
  const auto at = path_of(policy);
  if (auto e = columns_are_allowed(policy, table.allowed_columns)) return e;
  if (auto e = duplicate_in(at + ".allowedAnalyses", r.allowed_analyses, "analysis")) return e;
  if (r.allowed_analysis_providers)
    if (auto e = duplicate_in(at + ".allowedAnalysisProviders", *r.allowed_analysis_providers,
                              "account"))
      return e;
  if (r.disallowed_output_columns)
    if (auto e =
            duplicate_in(at + ".disallowedOutputColumns", *r.disallowed_output_columns, "column"))
      return e;
  if (r.differential_privacy_columns)
    if (auto e = duplicate_in(at + ".differentialPrivacy.columns", *r.differential_privacy_columns,
                              "column"))
      return e;
  if (auto why = method_violation(policy, table.method)) return invalid_configuration(*why);
  if (auto e = allowed_analyses_well_formed(at, r)) return e;
  if (auto e = one_mode(at, r)) return e;
  if (auto e = providers_are_accounts(at, r)) return e;
  return differential_privacy(at, r, table);
}

}  // namespace crs::configured_table::detail
