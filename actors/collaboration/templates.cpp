#include "actors/collaboration/templates.hpp"
#include "actors/collaboration/membership_access.hpp"

#include <cerrno>
#include <cstdlib>
#include <limits>
#include <set>

namespace crs::collaboration {
namespace {

using events::event_payload;
using event_list = std::vector<event_payload>;

// SPEC.md 18 "Query text length, Clean Rooms SQL": a collaboration that chose the Clean Rooms SQL
// engine runs nothing longer, so a template it could never run is refused at creation. (Spark
// allows the model's 500,000 characters, checked with the shape.)
constexpr std::size_t clean_rooms_sql_text_bytes = 90 * 1024;
constexpr std::size_t max_parameters = 50;  // AnalysisParameterList, also checked with the shape

domain_error invalid_query(std::string message) {
  return {error_kind::validation, std::move(message), "INVALID_QUERY", {}, {}, {}, 0};
}

// The template `id` of the caller's membership `membership_id`: membership first, then the
// template, both 404 (SPEC.md 3.3; templates have no resourceType of their own, SPEC.md 2.4).
struct lookup {
  const membership_record* membership = nullptr;
  const template_record* templ = nullptr;
  std::optional<domain_error> error;
};

lookup find_template(const state& s, const std::string& membership_id,
                     const std::string& template_id, const decide_context& ctx) {
  lookup out;
  out.membership = owned_membership(s, membership_id, ctx);
  if (!out.membership) {
    out.error = membership_not_found(membership_id);
    return out;
  }
  auto it = s.templates.find(template_id);
  if (it == s.templates.end() || it->second.membership_id != membership_id) {
    out.error = not_found("Analysis template " + template_id + " does not exist", template_id,
                          "MEMBERSHIP");
    return out;
  }
  out.templ = &it->second;
  return out;
}

// ---- defaultValue parsing (SPEC.md 13 check 4, [decision]) ------------------------------------
// A default must be a literal of its declared type, as the engines would read it. Binary types
// take any text: their literals have no portable spelling.

bool digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!sql::is_digit(c)) return false;
  return true;
}

bool integer_in(std::string_view s, long long min, long long max) {
  std::string_view body = s;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) body.remove_prefix(1);
  if (!digits(body) || body.size() > 19) return false;
  errno = 0;
  char* end = nullptr;
  const std::string copy(s);
  const long long v = std::strtoll(copy.c_str(), &end, 10);
  return errno == 0 && *end == '\0' && v >= min && v <= max;
}

// [+-]? (d+ [. d*] | . d+) [e [+-]? d+] ; exponent only when `exponent`.
bool decimal(std::string_view s, bool exponent) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && sql::is_digit(s[i])) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && sql::is_digit(s[i])) ++i, ++frac_digits;
  }
  if (int_digits + frac_digits == 0) return false;
  if (exponent && i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && sql::is_digit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

bool floating(std::string_view s) {
  std::string_view body = s;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) body.remove_prefix(1);
  if (sql::iequals(body, "NAN") || sql::iequals(body, "INFINITY") || sql::iequals(body, "INF"))
    return true;
  return decimal(s, true);
}

bool boolean(std::string_view s) {
  for (std::string_view b :
       {"TRUE", "FALSE", "T", "F", "YES", "NO", "Y", "N", "ON", "OFF", "1", "0"})
    if (sql::iequals(s, b)) return true;
  return false;
}

// Consumes exactly `n` digits and returns their value, or -1.
int fixed(std::string_view& s, std::size_t n) {
  if (s.size() < n) return -1;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!sql::is_digit(s[i])) return -1;
    v = v * 10 + (s[i] - '0');
  }
  s.remove_prefix(n);
  return v;
}

bool take(std::string_view& s, char c) {
  if (s.empty() || s[0] != c) return false;
  s.remove_prefix(1);
  return true;
}

// YYYY-MM-DD, a real calendar day.
bool take_date(std::string_view& s) {
  const int y = fixed(s, 4);
  if (y < 0 || !take(s, '-')) return false;
  const int m = fixed(s, 2);
  if (m < 1 || m > 12 || !take(s, '-')) return false;
  const int d = fixed(s, 2);
  static constexpr int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d < 1 || d > days[m - 1]) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return !(m == 2 && d == 29 && !leap);
}

// HH:MM[:SS[.fraction]]
bool take_time(std::string_view& s) {
  const int h = fixed(s, 2);
  if (h < 0 || h > 23 || !take(s, ':')) return false;
  const int mi = fixed(s, 2);
  if (mi < 0 || mi > 59) return false;
  if (!take(s, ':')) return true;
  const int sec = fixed(s, 2);
  if (sec < 0 || sec > 60) return false;  // 60: a leap second
  if (take(s, '.')) {
    std::size_t n = 0;
    while (!s.empty() && sql::is_digit(s[0])) s.remove_prefix(1), ++n;
    if (n == 0) return false;
  }
  return true;
}

// Z | [+-]HH[[:]MM], optionally after one space.
bool take_zone(std::string_view& s) {
  if (!s.empty() && s[0] == ' ') s.remove_prefix(1);
  if (take(s, 'Z') || take(s, 'z')) return true;
  if (!take(s, '+') && !take(s, '-')) return false;
  const int h = fixed(s, 2);
  if (h < 0 || h > 14) return false;
  take(s, ':');
  if (s.empty()) return true;
  const int m = fixed(s, 2);
  return m >= 0 && m <= 59;
}

bool date(std::string_view s) {
  return take_date(s) && s.empty();
}

bool time_of_day(std::string_view s, bool zone) {
  if (!take_time(s)) return false;
  if (s.empty()) return true;
  return zone && take_zone(s) && s.empty();
}

// A date, or a date and a time joined by 'T' or a space; a zone only when `zone`.
bool timestamp(std::string_view s, bool zone) {
  if (!take_date(s)) return false;
  if (s.empty()) return true;
  if (!take(s, 'T') && !take(s, ' ')) return false;
  if (!take_time(s)) return false;
  if (s.empty()) return true;
  return zone && take_zone(s) && s.empty();
}

bool parses_as(parameter_type type, std::string_view v) {
  using p = parameter_type;
  switch (type) {
    case p::tinyint:
    case p::byte:  // Spark's BYTE is a one-byte integer
      return integer_in(v, -128, 127);
    case p::smallint:
    case p::short_type:
      return integer_in(v, -32768, 32767);
    case p::integer:
    case p::int_type:
      return integer_in(v, std::numeric_limits<std::int32_t>::min(),
                        std::numeric_limits<std::int32_t>::max());
    case p::bigint:
    case p::long_type:
      return integer_in(v, std::numeric_limits<long long>::min(),
                        std::numeric_limits<long long>::max());
    case p::decimal:
    case p::numeric:
      return decimal(v, false);
    case p::real:
    case p::float_type:
    case p::double_type:
    case p::double_precision:
      return floating(v);
    case p::boolean:
      return boolean(v);
    case p::date:
      return date(v);
    case p::timestamp:
    case p::timestamp_ntz:
      return timestamp(v, false);
    case p::timestamptz:
    case p::timestamp_ltz:
      return timestamp(v, true);
    case p::time:
      return time_of_day(v, false);
    case p::timetz:
      return time_of_day(v, true);
    case p::char_type:
    case p::varchar:
    case p::character:
    case p::string:
    case p::varbyte:
    case p::binary:
      return true;
  }
  return false;
}

// SPEC.md 13 check 4: every declared parameter is used as `:name` in the text and every `:name`
// is declared, once; each default reads as its type.
std::optional<domain_error> check_parameters(const std::vector<analysis_parameter>& params,
                                             const std::vector<sql::token>& tokens) {
  if (params.size() > max_parameters)
    return domain_error{
        error_kind::validation,
        "A template declares at most " + std::to_string(max_parameters) + " analysis parameters",
        "FIELD_VALIDATION_FAILED",
        {},
        {},
        {},
        0};
  std::set<std::string> declared;
  for (const auto& p : params)
    if (!declared.insert(p.name).second)
      return invalid_query("Analysis parameter " + p.name + " is declared more than once");
  const auto used = sql::parameter_references(tokens);
  const std::set<std::string> referenced(used.begin(), used.end());
  for (const auto& p : params)
    if (!referenced.count(p.name))
      return invalid_query("Analysis parameter " + p.name +
                           " is declared but the query text never references :" + p.name);
  for (const auto& name : used)
    if (!declared.count(name))
      return invalid_query("The query text references :" + name +
                           ", which is not a declared analysis parameter");
  for (const auto& p : params)
    if (p.default_value && !parses_as(p.type, *p.default_value))
      return invalid_query("The defaultValue of analysis parameter " + p.name + " is not a " +
                           std::string(to_string(p.type)) + " value");
  return std::nullopt;
}

// «ALIAS»: [a-zA-Z0-9_](([a-zA-Z0-9_ ]+-)*([a-zA-Z0-9_ ]+))? within 1..128 characters, the shape
// schema.referencedTables must have in every response.
bool is_alias(std::string_view s) {
  auto first = [](char c) { return sql::is_parameter_char(c); };
  auto run = [](char c) { return sql::is_parameter_char(c) || c == ' '; };
  if (s.empty() || s.size() > 128 || !first(s[0])) return false;
  const auto rest = s.substr(1);
  if (rest.empty()) return true;
  if (!run(rest.front()) || !run(rest.back())) return false;
  char prev = 0;
  for (char c : rest) {
    if (c == '-' ? prev == '-' : !run(c)) return false;
    prev = c;
  }
  return true;
}

// SPEC.md 13 check 3: the source must be the format's, and the members that only mean something
// for one format must not come with the other.
std::optional<domain_error> check_format(const state& s, const create_analysis_template& c) {
  const bool text = std::holds_alternative<std::string>(c.source);
  if (c.format == analysis_format::sql) {
    if (!text)
      return invalid_configuration(
          "Format SQL needs source.text; source.artifacts is for PYSPARK_1_0");
    if (c.detailed_errors)
      return invalid_configuration(
          "errorMessageConfiguration applies to PYSPARK_1_0 templates only");
    const auto& sql_text = std::get<std::string>(c.source);
    if (s.info.engine == analytics_engine::clean_rooms_sql &&
        sql_text.size() > clean_rooms_sql_text_bytes)
      return invalid_query("The query text is " + std::to_string(sql_text.size()) +
                           " bytes; the CLEAN_ROOMS_SQL engine of this collaboration runs at "
                           "most 90 KB");
    return std::nullopt;
  }
  if (text)
    return invalid_configuration(
        "Format PYSPARK_1_0 needs source.artifacts; source.text is for SQL");
  if (c.parameters && !c.parameters->empty())
    return invalid_configuration("analysisParameters apply to SQL templates only");
  return std::nullopt;
}

}  // namespace

decision decide_template(const state& s, const create_analysis_template& c,
                         const decide_context& ctx) {
  const auto* ms = owned_membership(s, c.membership_id, ctx);
  if (!ms) return membership_not_found(c.membership_id);
  if (auto e = must_be_active(*ms, "its analysis templates")) return *e;
  if (auto e = check_format(s, c)) return *e;

  std::vector<std::string> tables;
  if (const auto* text = std::get_if<std::string>(&c.source)) {
    const auto tokens = sql::tokenize(*text);
    if (auto e = check_parameters(c.parameters.value_or(std::vector<analysis_parameter>{}), tokens))
      return *e;
    if (!c.referenced_tables)
      for (auto& name : sql::referenced_tables(tokens))
        if (is_alias(name)) tables.push_back(std::move(name));
  }
  if (c.referenced_tables) tables = *c.referenced_tables;

  std::size_t mine = 0;
  for (const auto& [id, t] : s.templates) {
    if (t.membership_id != ms->id) continue;
    ++mine;
    if (t.name == c.name)
      return conflict("Membership " + ms->id + " already has an analysis template named " + c.name,
                      id, "MEMBERSHIP", "ALREADY_EXISTS");
  }
  if (mine >= ctx.quotas.templates_per_membership)
    return quota_exceeded("Analysis templates per membership",
                          static_cast<double>(ctx.quotas.templates_per_membership));

  events::analysis_template_created e;
  e.template_id = ctx.fresh_id;
  e.membership_id = ms->id;
  e.account = ctx.caller;
  e.region = ms->region;
  e.name = c.name;
  e.description = c.description;
  e.format = c.format;
  e.source = c.source;
  e.referenced_tables = std::move(tables);
  e.parameters = c.parameters;
  e.detailed_errors = c.detailed_errors;
  template_record shape;  // only for its ARN
  shape.id = e.template_id;
  shape.membership_id = e.membership_id;
  shape.account = e.account;
  shape.region = e.region;
  event_list out;
  out.emplace_back(std::move(e));
  if (!c.tags.empty()) out.emplace_back(events::tags_changed{template_arn(shape), c.tags, {}});
  return out;
}

// Only the description can change (SPEC.md 13); sending none, or the same one, changes nothing.
decision decide_template(const state& s, const update_analysis_template& c,
                         const decide_context& ctx) {
  auto found = find_template(s, c.membership_id, c.template_id, ctx);
  if (found.error) return *found.error;
  if (auto e = must_be_active(*found.membership, "its analysis templates")) return *e;
  if (!c.description || c.description == found.templ->description) return event_list{};
  return event_list{events::analysis_template_updated{c.template_id, c.description}};
}

// Allowed through inactive memberships too: owners empty a membership before deleting it. Not
// blocked by custom rules that still list the ARN (SPEC.md 13: the reference then dangles).
decision decide_template(const state& s, const delete_analysis_template& c,
                         const decide_context& ctx) {
  auto found = find_template(s, c.membership_id, c.template_id, ctx);
  if (found.error) return *found.error;
  return event_list{events::analysis_template_deleted{c.template_id}};
}

}  // namespace crs::collaboration
