// Shape validation of request members (SPEC.md 2.2): every check records one field error with
// the member path as the client named it and an AWS-style message, so one ValidationException
// can list them all. Patterns are hand-written matchers over the whole value (no std::regex:
// bounded, linear work on hostile input). Lengths count Unicode code points.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "api/errors.hpp"
#include "events/values.hpp"

namespace crs::api {

enum class pattern {
  none,
  uuid,               // «UUID»: lower-case hex 8-4-4-4-12
  digits,             // \d+  (account ids, with length 12..12)
  nonblank_line,      // «NONBLANK_LINE»: no CR/LF, chars >= U+0020 or TAB, not all whitespace
  nonblank_text,      // «NONBLANK_TEXT»: as above, CR and LF allowed
  s3_bucket,          // lower-case DNS labels separated by '.', not an IPv4 address
  key_prefix,         // [\w!.=*/-]*
  role_arn,           // arn:aws:iam::[\w]+:role/[\w+=./@-]+
  cleanrooms_arn,     // arn:aws:cleanrooms:[\w]{2}-[\w]{4,9}-[\d]:[\d]{12}:[\d\w/-]+
  column,             // «COLUMN»: [a-z0-9_](([a-z0-9_ ]+-)*([a-z0-9_ ]+))?
  alias,              // «ALIAS»: [a-zA-Z0-9_](([a-zA-Z0-9_ ]+-)*([a-zA-Z0-9_ ]+))?
  line,               // «LINE»: the «NONBLANK_LINE» characters, blank and empty allowed
  text,               // «TEXT»: the «NONBLANK_TEXT» characters, blank and empty allowed
  glue_database,      // [a-zA-Z0-9_](([a-zA-Z0-9_]+-)*([a-zA-Z0-9_]+))?
  athena_table,       // [a-zA-Z0-9_](([a-zA-Z0-9_]+)*([a-zA-Z0-9_]+))?  (= [a-zA-Z0-9_]+)
  athena_work_group,  // ([a-zA-Z0-9._-])*
  athena_catalog,     // [a-zA-Z0-9_-]+
  s3_uri,             // s3://[a-z0-9.-]{3,63}(.*)
  snowflake_name,     // [\p{L}\p{M}\p{N}\p{Pc}\p{Pd}\p{Zs}]+ (approximated, see .cpp)
  snowflake_account,  // [\p{L}\p{M}\p{N}\p{Pc}\p{Pd}\p{Zs}.]+ (approximated, see .cpp)
  secret_arn,         // arn:aws:secretsmanager:[a-z]{2}-[a-z]+-[0-9]:\d{12}:secret:.*
  analysis_ref,       // ANY_QUERY|ANY_JOB|<analysis template ARN> (AnalysisRuleCustom)
  additional_analysis_arn,  // audience-model or ML-algorithm association ARN (SPEC Appendix A)
  analysis_template_arn,    // AnalysisTemplateArn: arn:aws[-a-z]*:cleanrooms:...analysistemplate/..
};

bool matches(pattern p, std::string_view value);
std::size_t code_points(std::string_view utf8);

struct string_rule {
  std::size_t min = 0;
  std::size_t max = SIZE_MAX;
  pattern pat = pattern::none;
};

// Common rules of the model.
inline constexpr string_rule uuid_rule{36, 36, pattern::uuid};
inline constexpr string_rule account_rule{12, 12, pattern::digits};
inline constexpr string_rule name_rule{1, 100, pattern::nonblank_line};  // names, display names
inline constexpr string_rule description_rule{1, 255, pattern::nonblank_text};

class validator {
 public:
  void add(std::string path, std::string message);
  bool ok() const { return errors_.empty(); }
  const std::vector<field_error>& errors() const { return errors_; }
  aws_error to_error() const { return validation_error(errors_); }

  // Member `member` of `obj`; `path` is the full member path used in messages (e.g.
  // "members.0.displayName"). A JSON null counts as absent. On a missing required member, a
  // wrong JSON type or a violated constraint: records an error and returns nullopt/nullptr.
  std::optional<std::string> str(const boost::json::object& obj, std::string_view member,
                                 const std::string& path, string_rule rule, bool required);
  std::optional<bool> boolean(const boost::json::object& obj, std::string_view member,
                              const std::string& path, bool required);
  const boost::json::object* object(const boost::json::object& obj, std::string_view member,
                                    const std::string& path, bool required);
  const boost::json::array* array(const boost::json::object& obj, std::string_view member,
                                  const std::string& path, std::size_t min_items,
                                  std::size_t max_items, bool required);
  // A string member that must be one of the model's enum values; `parse` is e.g.
  // crs::parse_log_status, `allowed` the values for the message ("ENABLED, DISABLED").
  template <class E>
  std::optional<E> enumeration(const boost::json::object& obj, std::string_view member,
                               const std::string& path, std::optional<E> (*parse)(std::string_view),
                               std::string_view allowed, bool required) {
    auto s = str(obj, member, path, string_rule{}, required);
    if (!s) return std::nullopt;
    auto v = parse(*s);
    if (!v) add(path, enum_message(*s, path, allowed));
    return v;
  }
  // An array item that must be an enum value (path like "creatorMemberAbilities.0").
  template <class E>
  std::optional<E> enum_item(const boost::json::value& item, const std::string& path,
                             std::optional<E> (*parse)(std::string_view),
                             std::string_view allowed) {
    if (!item.is_string()) {
      add(path, "Member must be a string");
      return std::nullopt;
    }
    auto v = parse(std::string_view(item.as_string()));
    if (!v) add(path, enum_message(std::string(item.as_string()), path, allowed));
    return v;
  }
  // An array item that must be a string satisfying `rule` (path like "joinColumns.0").
  std::optional<std::string> str_item(const boost::json::value& item, const std::string& path,
                                      string_rule rule);
  // An array item that must be a structure.
  const boost::json::object* object_item(const boost::json::value& item, const std::string& path);
  // An integer member within [min, max]. A JSON number with a fractional part, or beyond the
  // int64 range, is not an integer.
  std::optional<std::int64_t> integer(const boost::json::object& obj, std::string_view member,
                                      const std::string& path, std::int64_t min, std::int64_t max,
                                      bool required);
  // A string value already extracted (path labels, query parameters).
  bool check(std::string_view value, const std::string& path, string_rule rule);
  // A `tags` map: 0..200 entries, keys 1..128 chars not starting with "aws:", values 0..256.
  std::optional<tag_map> tags(const boost::json::object& obj, std::string_view member,
                              const std::string& path, bool required);
  // A query-string integer (e.g. maxResults) within [min, max]; digits only.
  std::optional<std::int64_t> query_int(std::string_view raw, const std::string& path,
                                        std::int64_t min, std::int64_t max);

  static std::string enum_message(const std::string& value, const std::string& path,
                                  std::string_view allowed);

 private:
  std::vector<field_error> errors_;
};

// Parses a request body as a JSON object. An empty body counts as {}. Depth is capped (64) and
// so is size (by the server). nullopt + message on anything that is not a JSON object.
std::optional<boost::json::object> parse_body(std::string_view body, std::string& error_message);

}  // namespace crs::api
