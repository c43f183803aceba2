#include "api/validate.hpp"

#include <cmath>
#include <cstdint>
#include <exception>
#include <utility>

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/serialize.hpp>

namespace crs::api {

namespace {

constexpr std::size_t echo_code_points = 64;  // longest value echoed back in a message
constexpr std::size_t max_body_depth = 64;

// ---- UTF-8 ---------------------------------------------------------------------------------

// Decodes one scalar value at s[i] and advances i; -1 (and i past one byte) on invalid UTF-8
// (truncated, overlong, surrogate, or beyond U+10FFFF).
long next_code_point(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i++]);
  if (b0 < 0x80) return b0;
  int extra;
  long cp;
  long min;
  if ((b0 & 0xe0) == 0xc0) {
    extra = 1, cp = b0 & 0x1f, min = 0x80;
  } else if ((b0 & 0xf0) == 0xe0) {
    extra = 2, cp = b0 & 0x0f, min = 0x800;
  } else if ((b0 & 0xf8) == 0xf0) {
    extra = 3, cp = b0 & 0x07, min = 0x10000;
  } else {
    return -1;
  }
  if (s.size() - i < static_cast<std::size_t>(extra)) return -1;
  for (int k = 0; k < extra; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xc0) != 0x80) return -1;
    cp = (cp << 6) | (b & 0x3f);
  }
  i += extra;
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
  return cp;
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();)
    if (next_code_point(s, i) < 0) return false;
  return true;
}

void append_utf8(std::string& out, long cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

// The value as it may appear inside a message: at most 64 code points, invalid bytes replaced
// by U+FFFD so the JSON error body stays valid UTF-8 whatever arrived in a path or query.
std::string echo(std::string_view value) {
  std::string out;
  std::size_t n = 0, i = 0;
  while (i < value.size() && n < echo_code_points) {
    long cp = next_code_point(value, i);
    append_utf8(out, cp < 0 ? 0xfffd : cp);
    ++n;
  }
  if (i < value.size()) out += "...";
  return out;
}

std::string echo_json(const boost::json::value& v) {
  try {
    return echo(boost::json::serialize(v));
  } catch (const std::exception&) {
    return "?";
  }
}

// ---- pattern matchers (whole value, linear, no backtracking) ----------------------------------

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_lower_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f');
}
bool is_word(char c) {  // Java's \w without UNICODE_CHARACTER_CLASS
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

template <class Pred>
bool all_of(std::string_view s, Pred pred) {
  for (char c : s)
    if (!pred(c)) return false;
  return true;
}

bool match_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !is_lower_hex(s[i])) return false;
  }
  return true;
}

bool match_digits(std::string_view s) {
  return !s.empty() && all_of(s, is_digit);
}

// Java's \s (no UNICODE_CHARACTER_CLASS): [ \t\n\x0B\f\r].
bool is_java_space(long cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == 0x0b || cp == '\f' || cp == '\r';
}

// The character class of «NONBLANK_LINE» / «LINE»: [\u0020-\uD7FF\uE000-\uFFFD<supplementary>\t],
// plus CR and LF for the «TEXT» forms.
bool line_code_point(long cp, bool allow_newlines) {
  return cp == '\t' || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) ||
         cp >= 0x10000 || (allow_newlines && (cp == '\r' || cp == '\n'));
}

// «LINE» / «TEXT»: the class repeated, empty allowed.
bool match_line(std::string_view s, bool allow_newlines) {
  for (std::size_t i = 0; i < s.size();) {
    const long cp = next_code_point(s, i);
    if (cp < 0 || !line_code_point(cp, allow_newlines)) return false;
  }
  return true;
}

// (?!\s*$)[\u0020-\uD7FF\uE000-\uFFFD<supplementary>\t(\r\n)]* as Java evaluates it. Java's `$`
// also matches before a final line terminator, so whitespace followed by one lone U+0085,
// U+2028 or U+2029 still counts as blank there; we follow that.
bool match_nonblank(std::string_view s, bool allow_newlines) {
  std::size_t i = 0;
  std::size_t non_space = 0;  // code points outside Java's \s
  long last = -1;             // the final code point
  while (i < s.size()) {
    const long cp = next_code_point(s, i);
    if (cp < 0) return false;
    if (!line_code_point(cp, allow_newlines)) return false;
    if (!is_java_space(cp)) ++non_space;
    last = cp;
  }
  if (non_space == 0) return false;
  // Blank per Java's `$`: the only non-space is a final U+0085, U+2028 or U+2029.
  const bool final_terminator = last == 0x85 || last == 0x2028 || last == 0x2029;
  return !(non_space == 1 && final_terminator);
}

// The model's bucket pattern: dot-separated labels of [a-z0-9-] that neither start nor end with
// '-', and not only digit groups joined by dots ("(\d+\.)+\d+", e.g. an IPv4 address).
bool match_s3_bucket(std::string_view s) {
  if (s.empty()) return false;
  bool all_digit_groups = true;
  bool has_dot = false;
  std::size_t start = 0;
  for (;;) {
    auto dot = s.find('.', start);
    auto label =
        s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.front() == '-' || label.back() == '-') return false;
    for (char c : label)
      if (!(is_digit(c) || (c >= 'a' && c <= 'z') || c == '-')) return false;
    if (!all_of(label, is_digit)) all_digit_groups = false;
    if (dot == std::string_view::npos) break;
    has_dot = true;
    start = dot + 1;
  }
  return !(has_dot && all_digit_groups);
}

bool match_key_prefix(std::string_view s) {
  return all_of(s, [](char c) {
    return is_word(c) || c == '!' || c == '.' || c == '=' || c == '*' || c == '/' || c == '-';
  });
}

bool consume(std::string_view& s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix) return false;
  s.remove_prefix(prefix.size());
  return true;
}

// Consumes between min and max characters satisfying pred (greedy; callers only use it where the
// next expected character cannot satisfy pred, so greedy equals the regex's answer).
template <class Pred>
bool consume_run(std::string_view& s, std::size_t min, std::size_t max, Pred pred) {
  std::size_t n = 0;
  while (n < s.size() && n < max && pred(s[n])) ++n;
  if (n < min) return false;
  s.remove_prefix(n);
  return true;
}

bool match_role_arn(std::string_view s) {
  if (!consume(s, "arn:aws:iam::")) return false;
  if (!consume_run(s, 1, SIZE_MAX, is_word)) return false;
  if (!consume(s, ":role/")) return false;
  return !s.empty() && all_of(s, [](char c) {
    return is_word(c) || c == '+' || c == '=' || c == '.' || c == '/' || c == '@' || c == '-';
  });
}

bool match_cleanrooms_arn(std::string_view s) {
  // [\w]{2}-[\w]{4,9}-[\d]:[\d]{12}: each run is followed by a character it cannot contain.
  return consume(s, "arn:aws:cleanrooms:") && consume_run(s, 2, 2, is_word) && consume(s, "-") &&
         consume_run(s, 4, 9, is_word) && consume(s, "-") && consume_run(s, 1, 1, is_digit) &&
         consume(s, ":") && consume_run(s, 12, 12, is_digit) && consume(s, ":") && !s.empty() &&
         all_of(s, [](char c) { return is_word(c) || c == '/' || c == '-'; });
}

// One first character, then optionally runs of `run` characters joined by single hyphens:
// first(( run+ -)*( run+))?. So the rest, when present, starts and ends with a run character
// and never holds "--". The shape of «COLUMN», «ALIAS» and the Glue/Athena database names.
template <class First, class Run>
bool match_hyphenated(std::string_view s, First first, Run run) {
  if (s.empty() || !first(s[0])) return false;
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

bool is_column_char(char c) {  // [a-z0-9_]
  return is_digit(c) || (c >= 'a' && c <= 'z') || c == '_';
}

bool match_column(std::string_view s) {
  return match_hyphenated(s, is_column_char, [](char c) { return is_column_char(c) || c == ' '; });
}

bool match_alias(std::string_view s) {
  return match_hyphenated(s, is_word, [](char c) { return is_word(c) || c == ' '; });
}

// Java's `.` (no DOTALL) refuses the line terminators \n, \r, U+0085, U+2028 and U+2029. In
// valid UTF-8 a byte scan finds them exactly.
bool no_line_terminator(std::string_view s) {
  if (!valid_utf8(s)) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b == '\n' || b == '\r') return false;
    if (b == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x85) return false;
    if (b == 0xe2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0xa8 ||
         static_cast<unsigned char>(s[i + 2]) == 0xa9))
      return false;
  }
  return true;
}

bool match_s3_uri(std::string_view s) {
  // [a-z0-9.-]{3,63}(.*): past the first three characters, (.*) accepts whatever the bounded
  // run would have, so only those three and the line-terminator rule matter.
  return consume(s, "s3://") &&
         consume_run(s, 3, 3,
                     [](char c) {
                       return is_digit(c) || (c >= 'a' && c <= 'z') || c == '.' || c == '-';
                     }) &&
         no_line_terminator(s);
}

bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}

bool match_secret_arn(std::string_view s) {
  // Each run is followed by a character it cannot contain, so greedy equals the regex.
  return consume(s, "arn:aws:secretsmanager:") && consume_run(s, 2, 2, is_lower) &&
         consume(s, "-") && consume_run(s, 1, SIZE_MAX, is_lower) && consume(s, "-") &&
         consume_run(s, 1, 1, is_digit) && consume(s, ":") && consume_run(s, 12, 12, is_digit) &&
         consume(s, ":secret:") && no_line_terminator(s);
}

// arn:aws:cleanrooms:[\w]{2}-[\w]{4,9}-[\d]: — the region part shared by the Clean Rooms ARNs.
bool consume_cleanrooms_region(std::string_view& s) {
  return consume(s, "arn:aws:cleanrooms:") && consume_run(s, 2, 2, is_word) && consume(s, "-") &&
         consume_run(s, 4, 9, is_word) && consume(s, "-") && consume_run(s, 1, 1, is_digit) &&
         consume(s, ":");
}

bool is_word_or_dash(char c) {  // [\d\w-]
  return is_word(c) || c == '-';
}

bool match_analysis_ref(std::string_view s) {
  if (s == "ANY_QUERY" || s == "ANY_JOB") return true;
  return consume_cleanrooms_region(s) && consume_run(s, 12, 12, is_digit) &&
         consume(s, ":membership/") && consume_run(s, 1, SIZE_MAX, is_word_or_dash) &&
         consume(s, "/analysistemplate/") && !s.empty() && all_of(s, is_word_or_dash);
}

// ([\d]{12}|\*)
bool consume_account_or_star(std::string_view& s) {
  return consume(s, "*") || consume_run(s, 12, 12, is_digit);
}

bool is_star_word_or_dash(char c) {  // [\*\d\w-]
  return is_word_or_dash(c) || c == '*';
}

// The model's AdditionalAnalysesResourceArn, two alternatives (its inner `$|^` splits them):
//   arn:aws:cleanrooms:<region>:(\d{12}|\*):membership/[*\w-]+/configuredaudiencemodelassociation/
//     [*\w-]+
//   arn:aws[-a-z]*:cleanrooms-ml:[-a-z0-9]+:([0-9]{12}|\*):membership/[*\w-]+/
//     configured-model-algorithm-association/([-a-zA-Z0-9_/.]+|\*)
bool match_additional_analysis_arn(std::string_view s) {
  std::string_view a = s;
  if (consume_cleanrooms_region(a) && consume_account_or_star(a) && consume(a, ":membership/") &&
      consume_run(a, 1, SIZE_MAX, is_star_word_or_dash) &&
      consume(a, "/configuredaudiencemodelassociation/") && !a.empty() &&
      all_of(a, is_star_word_or_dash))
    return true;
  std::string_view b = s;
  return consume(b, "arn:aws") &&
         consume_run(b, 0, SIZE_MAX, [](char c) { return is_lower(c) || c == '-'; }) &&
         consume(b, ":cleanrooms-ml:") &&
         consume_run(b, 1, SIZE_MAX,
                     [](char c) { return is_lower(c) || is_digit(c) || c == '-'; }) &&
         consume(b, ":") && consume_account_or_star(b) && consume(b, ":membership/") &&
         consume_run(b, 1, SIZE_MAX, is_star_word_or_dash) &&
         consume(b, "/configured-model-algorithm-association/") && !b.empty() &&
         (b == "*" || all_of(b, [](char c) { return is_word_or_dash(c) || c == '/' || c == '.'; }));
}

// AnalysisTemplateArn: arn:aws[-a-z]*:cleanrooms:[\w]{2}-[\w]{4,9}-[\d]:[\d]{12}:membership/
// [\d\w-]+/analysistemplate/[\d\w-]+ (unlike AnalysisRuleCustom's, any aws-* partition).
bool match_analysis_template_arn(std::string_view s) {
  return consume(s, "arn:aws") &&
         consume_run(s, 0, SIZE_MAX, [](char c) { return is_lower(c) || c == '-'; }) &&
         consume(s, ":cleanrooms:") && consume_run(s, 2, 2, is_word) && consume(s, "-") &&
         consume_run(s, 4, 9, is_word) && consume(s, "-") && consume_run(s, 1, 1, is_digit) &&
         consume(s, ":") && consume_run(s, 12, 12, is_digit) && consume(s, ":membership/") &&
         consume_run(s, 1, SIZE_MAX, is_word_or_dash) && consume(s, "/analysistemplate/") &&
         !s.empty() && all_of(s, is_word_or_dash);
}

// ---- Snowflake identifiers: [\p{L}\p{M}\p{N}\p{Pc}\p{Pd}\p{Zs}]+ ------------------------------
//
// An approximation, so the binary carries no Unicode database: exact for U+0000..U+00FF; above
// that, a code point is accepted unless it falls in one of the ranges below. They were derived
// from Unicode 14 as the maximal runs of code points outside L, M, N, Pc, Pd and Zs holding at
// least 16 assigned ones (punctuation, symbol, control, private-use and special blocks), trimmed
// to assigned code points at both ends. So no letter, mark, number, connector, dash or space
// separator is ever refused (as of Unicode 14); about 800 scattered symbols and format
// characters between them (e.g. the zero-width U+200B..U+200F) are let through.
struct cp_range {
  long lo, hi;
};
constexpr cp_range non_name_ranges[] = {
    {0x2EF, 0x2FF},      {0x5F3, 0x60F},     {0xF01, 0xF17},     {0xFC7, 0xFDA},
    {0x19DE, 0x19FF},    {0x1B5A, 0x1B6A},   {0x2016, 0x202E},   {0x2041, 0x2053},
    {0x20A0, 0x20C0},    {0x218A, 0x244A},   {0x249C, 0x24E9},   {0x2500, 0x2775},
    {0x2794, 0x2BFF},    {0x2E00, 0x2E16},   {0x2E1B, 0x2E2E},   {0x2E41, 0x2E5C},
    {0x2E80, 0x2FFB},    {0x3008, 0x301B},   {0x31C0, 0x31E3},   {0x3200, 0x321E},
    {0x322A, 0x3247},    {0x3260, 0x327F},   {0x328A, 0x32B0},   {0x32C0, 0x33FF},
    {0x4DC0, 0x4DFF},    {0xA490, 0xA4C6},   {0xA6F2, 0xA716},   {0xD800, 0xF8FF},
    {0xFBB2, 0xFBC2},    {0xFD3E, 0xFD4F},   {0xFE35, 0xFE4C},   {0xFFE0, 0xFFFD},
    {0x10179, 0x10189},  {0x1018C, 0x101FC}, {0x115C1, 0x115D7}, {0x11FD5, 0x11FFF},
    {0x1CF50, 0x1D164},  {0x1D18C, 0x1D1A9}, {0x1D1AE, 0x1D241}, {0x1D300, 0x1D356},
    {0x1D800, 0x1D9FF},  {0x1EEF0, 0x1F0F5}, {0x1F10D, 0x1FBCA}, {0xE0001, 0xE007F},
    {0xF0000, 0x10FFFD},
};

bool snowflake_code_point(long cp) {
  if (cp < 0x80) {
    const char c = static_cast<char>(cp);
    return is_word(c) || c == '-' || c == ' ';  // L, N, Pc '_', Pd '-', Zs ' '
  }
  if (cp < 0x100) {
    // Latin-1: NBSP (Zs), ª º (Lo), ² ³ ¹ ¼ ½ ¾ (No), µ (Ll), and the letters but × and ÷.
    return cp == 0xa0 || cp == 0xaa || cp == 0xba || cp == 0xb2 || cp == 0xb3 || cp == 0xb9 ||
           (cp >= 0xbc && cp <= 0xbe) || cp == 0xb5 || (cp >= 0xc0 && cp != 0xd7 && cp != 0xf7);
  }
  for (const auto& r : non_name_ranges)
    if (cp >= r.lo && cp <= r.hi) return false;
  return true;
}

bool match_snowflake(std::string_view s, bool allow_dot) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size();) {
    const long cp = next_code_point(s, i);
    if (cp < 0) return false;
    if (!(snowflake_code_point(cp) || (allow_dot && cp == '.'))) return false;
  }
  return true;
}

const char* pattern_text(pattern p) {
  switch (p) {
    case pattern::none:
      return ".*";
    case pattern::uuid:
      return "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    case pattern::digits:
      return "\\d+";
    case pattern::nonblank_line:
      return "(?!\\s*$)[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDBFF-\\uDC00\\uDFFF\\t]*";
    case pattern::nonblank_text:
      return "(?!\\s*$)[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDBFF-\\uDC00\\uDFFF\\t\\r\\n]*";
    case pattern::s3_bucket:
      return ".*(?!^(\\d+\\.)+\\d+$)(^(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*"
             "([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])$).*";
    case pattern::key_prefix:
      return "[\\w!.=*/-]*";
    case pattern::role_arn:
      return "arn:aws:iam::[\\w]+:role/[\\w+=./@-]+";
    case pattern::cleanrooms_arn:
      return "arn:aws:cleanrooms:[\\w]{2}-[\\w]{4,9}-[\\d]:[\\d]{12}:[\\d\\w/-]+";
    case pattern::column:
      return "[a-z0-9_](([a-z0-9_ ]+-)*([a-z0-9_ ]+))?";
    case pattern::alias:
      return "[a-zA-Z0-9_](([a-zA-Z0-9_ ]+-)*([a-zA-Z0-9_ ]+))?";
    case pattern::line:
      return "[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDBFF-\\uDC00\\uDFFF\\t]*";
    case pattern::text:
      return "[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDBFF-\\uDC00\\uDFFF\\t\\r\\n]*";
    case pattern::glue_database:
      return "[a-zA-Z0-9_](([a-zA-Z0-9_]+-)*([a-zA-Z0-9_]+))?";
    case pattern::athena_table:
      return "[a-zA-Z0-9_](([a-zA-Z0-9_]+)*([a-zA-Z0-9_]+))?";
    case pattern::athena_work_group:
      return "([a-zA-Z0-9._-])*";
    case pattern::athena_catalog:
      return "[a-zA-Z0-9_-]+";
    case pattern::s3_uri:
      return "s3://[a-z0-9.-]{3,63}(.*)";
    case pattern::snowflake_name:
      return "[\\p{L}\\p{M}\\p{N}\\p{Pc}\\p{Pd}\\p{Zs}]+";
    case pattern::snowflake_account:
      return "[\\p{L}\\p{M}\\p{N}\\p{Pc}\\p{Pd}\\p{Zs}.]+";
    case pattern::secret_arn:
      return "arn:aws:secretsmanager:[a-z]{2}-[a-z]+-[0-9]:\\d{12}:secret:.*";
    case pattern::analysis_ref:
      return "(ANY_QUERY|ANY_JOB|arn:aws:cleanrooms:[\\w]{2}-[\\w]{4,9}-[\\d]:[\\d]{12}:"
             "membership/[\\d\\w-]+/analysistemplate/[\\d\\w-]+)";
    case pattern::additional_analysis_arn:
      return "arn:aws:cleanrooms:[\\w]{2}-[\\w]{4,9}-[\\d]:([\\d]{12}|\\*):membership\\/"
             "[\\*\\d\\w-]+\\/configuredaudiencemodelassociation\\/[\\*\\d\\w-]+$|^arn:aws[-a-z]*:"
             "cleanrooms-ml:[-a-z0-9]+:([0-9]{12}|\\*):membership\\/[\\*\\d\\w-]+\\/"
             "configured-model-algorithm-association\\/([-a-zA-Z0-9_\\/.]+|\\*)";
    case pattern::analysis_template_arn:
      return "arn:aws[-a-z]*:cleanrooms:[\\w]{2}-[\\w]{4,9}-[\\d]:[\\d]{12}:membership/"
             "[\\d\\w-]+/analysistemplate/[\\d\\w-]+";
  }
  return "";
}

// ---- messages ------------------------------------------------------------------------------

std::string constraint(std::string_view value, const std::string& path, std::string_view what) {
  std::string m = "Value '";
  m += echo(value);
  m += "' at '";
  m += path;
  m += "' failed to satisfy constraint: ";
  m += what;
  return m;
}

std::string null_message(const std::string& path) {
  return "Value null at '" + path + "' failed to satisfy constraint: Member must not be null";
}

std::string type_message(const boost::json::value& v, const std::string& path,
                         std::string_view type) {
  return constraint(echo_json(v), path, std::string("Member must be ") + std::string(type));
}

std::string length_message(std::string_view value, const std::string& path, bool too_short,
                           std::size_t bound) {
  return constraint(value, path,
                    std::string("Member must have length ") +
                        (too_short ? "greater than or equal to " : "less than or equal to ") +
                        std::to_string(bound));
}

// Looks up `member`; JSON null counts as absent. Records the missing-required error.
const boost::json::value* lookup(validator& v, const boost::json::object& obj,
                                 std::string_view member, const std::string& path, bool required) {
  auto it = obj.find(member);
  if (it == obj.end() || it->value().is_null()) {
    if (required) v.add(path, null_message(path));
    return nullptr;
  }
  return &it->value();
}

}  // namespace

bool matches(pattern p, std::string_view value) {
  switch (p) {
    case pattern::none:
      return true;
    case pattern::uuid:
      return match_uuid(value);
    case pattern::digits:
      return match_digits(value);
    case pattern::nonblank_line:
      return match_nonblank(value, false);
    case pattern::nonblank_text:
      return match_nonblank(value, true);
    case pattern::s3_bucket:
      return match_s3_bucket(value);
    case pattern::key_prefix:
      return match_key_prefix(value);
    case pattern::role_arn:
      return match_role_arn(value);
    case pattern::cleanrooms_arn:
      return match_cleanrooms_arn(value);
    case pattern::column:
      return match_column(value);
    case pattern::alias:
      return match_alias(value);
    case pattern::line:
      return match_line(value, false);
    case pattern::text:
      return match_line(value, true);
    case pattern::glue_database:
      return match_hyphenated(value, is_word, is_word);
    case pattern::athena_table:
      // \w(\w*\w)? over ASCII word characters: one or more of them.
      return !value.empty() && all_of(value, is_word);
    case pattern::athena_work_group:
      return all_of(value, [](char c) { return is_word(c) || c == '.' || c == '-'; });
    case pattern::athena_catalog:
      return !value.empty() && all_of(value, is_word_or_dash);
    case pattern::s3_uri:
      return match_s3_uri(value);
    case pattern::snowflake_name:
      return match_snowflake(value, false);
    case pattern::snowflake_account:
      return match_snowflake(value, true);
    case pattern::secret_arn:
      return match_secret_arn(value);
    case pattern::analysis_ref:
      return match_analysis_ref(value);
    case pattern::additional_analysis_arn:
      return match_additional_analysis_arn(value);
    case pattern::analysis_template_arn:
      return match_analysis_template_arn(value);
  }
  return false;
}

std::size_t code_points(std::string_view utf8) {
  std::size_t n = 0;
  for (char c : utf8)
    if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) ++n;
  return n;
}

void validator::add(std::string path, std::string message) {
  errors_.push_back(field_error{std::move(path), std::move(message)});
}

bool validator::check(std::string_view value, const std::string& path, string_rule rule) {
  // One entry per field (SPEC 2.2): the first violated constraint, in the model's order.
  if (!valid_utf8(value)) {
    add(path, constraint(value, path, "Member must be valid UTF-8"));
    return false;
  }
  const std::size_t n = code_points(value);
  if (n < rule.min) {
    add(path, length_message(value, path, true, rule.min));
    return false;
  }
  if (n > rule.max) {
    add(path, length_message(value, path, false, rule.max));
    return false;
  }
  if (!matches(rule.pat, value)) {
    add(path, constraint(value, path,
                         std::string("Member must satisfy regular expression pattern: ") +
                             pattern_text(rule.pat)));
    return false;
  }
  return true;
}

std::optional<std::string> validator::str(const boost::json::object& obj, std::string_view member,
                                          const std::string& path, string_rule rule,
                                          bool required) {
  const auto* v = lookup(*this, obj, member, path, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    add(path, type_message(*v, path, "a string"));
    return std::nullopt;
  }
  std::string_view s(v->get_string());
  if (!check(s, path, rule)) return std::nullopt;
  return std::string(s);
}

std::optional<bool> validator::boolean(const boost::json::object& obj, std::string_view member,
                                       const std::string& path, bool required) {
  const auto* v = lookup(*this, obj, member, path, required);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    add(path, type_message(*v, path, "a boolean"));
    return std::nullopt;
  }
  return v->get_bool();
}

const boost::json::object* validator::object(const boost::json::object& obj,
                                             std::string_view member, const std::string& path,
                                             bool required) {
  const auto* v = lookup(*this, obj, member, path, required);
  if (!v) return nullptr;
  if (!v->is_object()) {
    add(path, type_message(*v, path, "an object"));
    return nullptr;
  }
  return &v->get_object();
}

const boost::json::array* validator::array(const boost::json::object& obj, std::string_view member,
                                           const std::string& path, std::size_t min_items,
                                           std::size_t max_items, bool required) {
  const auto* v = lookup(*this, obj, member, path, required);
  if (!v) return nullptr;
  if (!v->is_array()) {
    add(path, type_message(*v, path, "a list"));
    return nullptr;
  }
  const auto& a = v->get_array();
  if (a.size() < min_items || a.size() > max_items) {
    const bool too_short = a.size() < min_items;
    add(path, length_message(echo_json(*v), path, too_short, too_short ? min_items : max_items));
    return nullptr;
  }
  return &a;
}

std::optional<std::string> validator::str_item(const boost::json::value& item,
                                               const std::string& path, string_rule rule) {
  if (item.is_null()) {
    add(path, null_message(path));
    return std::nullopt;
  }
  if (!item.is_string()) {
    add(path, type_message(item, path, "a string"));
    return std::nullopt;
  }
  std::string_view s(item.get_string());
  if (!check(s, path, rule)) return std::nullopt;
  return std::string(s);
}

const boost::json::object* validator::object_item(const boost::json::value& item,
                                                  const std::string& path) {
  if (item.is_null()) {
    add(path, null_message(path));
    return nullptr;
  }
  if (!item.is_object()) {
    add(path, type_message(item, path, "a structure"));
    return nullptr;
  }
  return &item.get_object();
}

std::optional<std::int64_t> validator::integer(const boost::json::object& obj,
                                               std::string_view member, const std::string& path,
                                               std::int64_t min, std::int64_t max, bool required) {
  const auto* v = lookup(*this, obj, member, path, required);
  if (!v) return std::nullopt;
  std::int64_t n = 0;
  bool ok = true;
  if (v->is_int64()) {
    n = v->get_int64();
  } else if (v->is_uint64()) {
    // Only values above INT64_MAX arrive as uint64: beyond any model range.
    n = INT64_MAX;
  } else if (v->is_double()) {
    // 1e3 and 5.0 are integers written as doubles; 2.5 is not. Integral values beyond the int64
    // range (1e300) are clamped, so they fail the range check rather than the type check.
    const double d = v->get_double();
    ok = std::isfinite(d) && std::floor(d) == d;
    if (ok) n = d >= 9.2e18 ? INT64_MAX : d <= -9.2e18 ? INT64_MIN : static_cast<std::int64_t>(d);
  } else {
    ok = false;
  }
  if (!ok) {
    add(path, type_message(*v, path, "an integer"));
    return std::nullopt;
  }
  const std::string shown = echo_json(*v);
  if (n < min) {
    add(path, constraint(shown, path,
                         "Member must have value greater than or equal to " + std::to_string(min)));
    return std::nullopt;
  }
  if (n > max) {
    add(path, constraint(shown, path,
                         "Member must have value less than or equal to " + std::to_string(max)));
    return std::nullopt;
  }
  return n;
}

std::optional<tag_map> validator::tags(const boost::json::object& obj, std::string_view member,
                                       const std::string& path, bool required) {
  constexpr std::size_t max_tags = 200, max_key = 128, max_value = 256;
  const auto* v = lookup(*this, obj, member, path, required);
  if (!v) return std::nullopt;
  if (!v->is_object()) {
    add(path, type_message(*v, path, "a map"));
    return std::nullopt;
  }
  const auto& m = v->get_object();
  if (m.size() > max_tags) {
    // Checked first so a hostile map costs one error, not one per entry.
    add(path, constraint("{...}", path, "Member must have length less than or equal to 200"));
    return std::nullopt;
  }
  const std::size_t before = errors_.size();
  tag_map out;
  for (const auto& kv : m) {
    const std::string_view key = kv.key();
    const std::string entry_path = path + "." + echo(key);
    const std::size_t key_len = code_points(key);
    if (key_len < 1 || key_len > max_key) {
      add(path, constraint(key, path,
                           "Map keys must satisfy constraint: [Member must have length less than "
                           "or equal to 128, Member must have length greater than or equal to 1]"));
      continue;
    }
    // The aws: prefix is reserved in any letter case (AWS tagging rules).
    if (key.size() >= 4 && (key[0] == 'a' || key[0] == 'A') && (key[1] == 'w' || key[1] == 'W') &&
        (key[2] == 's' || key[2] == 'S') && key[3] == ':') {
      add(path, constraint(key, path, "Map keys must not begin with the reserved prefix 'aws:'"));
      continue;
    }
    if (!kv.value().is_string()) {
      add(entry_path, type_message(kv.value(), entry_path, "a string"));
      continue;
    }
    std::string_view value(kv.value().get_string());
    if (code_points(value) > max_value) {
      add(entry_path, constraint(value, entry_path,
                                 "Map values must satisfy constraint: [Member must have length "
                                 "less than or equal to 256]"));
      continue;
    }
    out.emplace(std::string(key), std::string(value));
  }
  if (errors_.size() != before) return std::nullopt;
  return out;
}

std::optional<std::int64_t> validator::query_int(std::string_view raw, const std::string& path,
                                                 std::int64_t min, std::int64_t max) {
  if (raw.empty() || !all_of(raw, is_digit)) {
    add(path, constraint(raw, path, "Member must be an integer"));
    return std::nullopt;
  }
  std::int64_t v = 0;
  bool overflow = false;
  for (char c : raw) {
    const int d = c - '0';
    if (v > (INT64_MAX - d) / 10) {
      overflow = true;
      break;
    }
    v = v * 10 + d;
  }
  if (overflow || v > max) {
    add(path, constraint(raw, path,
                         "Member must have value less than or equal to " + std::to_string(max)));
    return std::nullopt;
  }
  if (v < min) {
    add(path, constraint(raw, path,
                         "Member must have value greater than or equal to " + std::to_string(min)));
    return std::nullopt;
  }
  return v;
}

std::string validator::enum_message(const std::string& value, const std::string& path,
                                    std::string_view allowed) {
  return constraint(value, path,
                    "Member must satisfy enum value set: [" + std::string(allowed) + "]");
}

std::optional<boost::json::object> parse_body(std::string_view body, std::string& error_message) {
  std::size_t b = 0, e = body.size();
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (b < e && ws(body[b])) ++b;
  while (e > b && ws(body[e - 1])) --e;
  if (b == e) return boost::json::object();  // restJson1: an empty body means no members
  try {
    boost::json::parse_options opts;
    opts.max_depth = max_body_depth;  // the parser is iterative; this bounds its stack and ours
    boost::json::error_code ec;
    boost::json::value v = boost::json::parse(body.substr(b, e - b), ec, {}, opts);
    if (ec) {
      error_message = "Request body is not valid JSON: " + ec.message();
      return std::nullopt;
    }
    if (!v.is_object()) {
      error_message = "Request body must be a JSON object";
      return std::nullopt;
    }
    return std::move(v.get_object());
  } catch (const std::exception& ex) {
    error_message = std::string("Request body could not be parsed: ") + ex.what();
    return std::nullopt;
  }
}

}  // namespace crs::api
