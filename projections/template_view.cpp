#include "projections/template_view.hpp"

#include <boost/json.hpp>

#include "actors/collaboration/templates.hpp"
#include "projections/json_writer.hpp"

namespace crs::projections {
namespace {

namespace json = boost::json;
namespace sql = collaboration::sql;
using sql::token;

// The guide's quota for query text on differential-privacy tables.
constexpr std::size_t dp_text_bytes = 8 * 1024;

bool is_aggregate(const std::vector<token>& t, std::size_t i) {
  if (t[i].kind != sql::token_kind::word || i + 1 >= t.size() || !sql::is_symbol(t[i + 1], '('))
    return false;
  for (std::string_view f : {"COUNT", "SUM", "AVG", "STDDEV"})
    if (sql::iequals(t[i].text, f)) return true;
  return false;
}

// Words after which a SELECT list has ended (at the SELECT's own depth).
bool ends_select_list(const token& k) {
  if (sql::is_symbol(k, ';')) return true;
  if (k.kind != sql::token_kind::word) return false;
  for (std::string_view w : {"FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "UNION",
                             "INTERSECT", "EXCEPT", "MINUS", "WINDOW", "QUALIFY", "OFFSET"})
    if (sql::iequals(k.text, w)) return true;
  return false;
}

// [begin, end) of the SELECT list that starts after t[select].
std::size_t select_list_end(const std::vector<token>& t, std::size_t select) {
  const int depth = t[select].depth;
  std::size_t j = select + 1;
  while (j < t.size() && t[j].depth >= depth && !(t[j].depth == depth && ends_select_list(t[j])))
    ++j;
  return j;
}

// (a) Every SELECT at depth 0 (the main query and each branch of a set operation; common table
// expressions sit inside parentheses) must aggregate: DP answers are noisy aggregates.
bool outermost_aggregates(const std::vector<token>& t) {
  bool any = false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i].depth != 0 || !sql::is_word(t[i], "SELECT")) continue;
    any = true;
    const auto end = select_list_end(t, i);
    bool found = false;
    for (std::size_t j = i + 1; j < end && !found; ++j) found = is_aggregate(t, j);
    if (!found) return false;
  }
  return any;
}

// (b) `*` or `alias.*` as an item of any SELECT list; COUNT(*) and products are not.
bool selects_star(const std::vector<token>& t) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!sql::is_word(t[i], "SELECT")) continue;
    const auto end = select_list_end(t, i);
    for (std::size_t j = i + 1; j < end; ++j) {
      if (!sql::is_symbol(t[j], '*') || t[j].depth != t[i].depth) continue;
      const auto& prev = t[j - 1];
      if (sql::is_word(prev, "SELECT") || sql::is_word(prev, "DISTINCT") ||
          sql::is_word(prev, "ALL") || sql::is_symbol(prev, ',') || sql::is_symbol(prev, '.'))
        return true;
    }
  }
  return false;
}

// (c) `OVER (`: a window function.
bool uses_window(const std::vector<token>& t) {
  for (std::size_t i = 0; i + 1 < t.size(); ++i)
    if (sql::is_word(t[i], "OVER") && sql::is_symbol(t[i + 1], '(')) return true;
  return false;
}

}  // namespace

std::optional<dp_validation> validate_differential_privacy(
    std::string_view text, const std::vector<referenced_table>& tables) {
  bool any_dp = false;
  for (const auto& table : tables)
    any_dp = any_dp || (table.facts && table.facts->differential_privacy);
  if (!any_dp) return std::nullopt;

  dp_validation out;
  for (const auto& table : tables) {
    if (!table.facts)
      out.reasons.push_back("Table " + table.name +
                            " is not associated with the collaboration, so its analysis rule "
                            "is unknown");
    else if (!table.facts->type)
      out.reasons.push_back("Table " + table.name + " has no analysis rule");
  }
  if (!out.reasons.empty()) {
    out.status = dp_status::unable_to_validate;
    return out;
  }

  const auto tokens = sql::tokenize(text);
  if (!outermost_aggregates(tokens))
    out.reasons.push_back(
        "The outermost SELECT must compute an aggregate (COUNT, SUM, AVG or STDDEV): "
        "differential privacy answers only with noisy aggregates");
  if (selects_star(tokens))
    out.reasons.push_back(
        "SELECT * is not supported with differential privacy; name the output columns");
  if (uses_window(tokens))
    out.reasons.push_back("Window functions (OVER) are not supported with differential privacy");
  if (text.size() > dp_text_bytes)
    out.reasons.push_back("The query text is " + std::to_string(text.size()) +
                          " bytes; queries on differential privacy tables are limited to 8 KB");
  const referenced_table* first_dp = nullptr;
  for (const auto& table : tables) {
    if (!table.facts->differential_privacy) continue;
    if (!first_dp) {
      first_dp = &table;
    } else if (table.facts->identifier_column != first_dp->facts->identifier_column) {
      out.reasons.push_back("Differential privacy tables must share one user identifier column: " +
                            first_dp->name + " uses " + first_dp->facts->identifier_column + ", " +
                            table.name + " uses " + table.facts->identifier_column);
      break;
    }
  }
  out.status = out.reasons.empty() ? dp_status::valid : dp_status::invalid;
  return out;
}

std::string validations_json(const dp_validation& v) {
  json_writer w;
  w.begin_array().begin_object();
  w.key("type").string("DIFFERENTIAL_PRIVACY");
  w.key("status").string(v.status == dp_status::valid     ? "VALID"
                         : v.status == dp_status::invalid ? "INVALID"
                                                          : "UNABLE_TO_VALIDATE");
  if (!v.reasons.empty()) {
    w.key("reasons").begin_array();
    for (const auto& r : v.reasons) w.begin_object().key("message").string(r).end_object();
    w.end_array();
  }
  w.end_object().end_array();
  return w.take();
}

std::string template_view::with_validations(std::string_view template_json) const {
  boost::system::error_code ec;
  auto parsed = json::parse(template_json, ec);
  if (ec || !parsed.is_object() || template_json.empty() || template_json.back() != '}')
    return std::string(template_json);
  const auto& o = parsed.as_object();
  const auto* format = o.if_contains("format");
  const auto* cid = o.if_contains("collaborationId");
  const auto* source = o.if_contains("source");
  const auto* schema = o.if_contains("schema");
  if (!format || !format->is_string() || format->as_string() != "SQL" || !cid ||
      !cid->is_string() || !source || !source->is_object() || !schema || !schema->is_object())
    return std::string(template_json);
  const auto* text = source->as_object().if_contains("text");
  const auto* names = schema->as_object().if_contains("referencedTables");
  if (!text || !text->is_string() || !names || !names->is_array())
    return std::string(template_json);
  std::vector<referenced_table> tables;
  for (const auto& n : names->as_array()) {
    if (!n.is_string()) continue;
    referenced_table t;
    t.name = std::string(n.as_string());
    t.facts = schemas_.facts(cid->as_string(), t.name);
    tables.push_back(std::move(t));
  }
  auto v = validate_differential_privacy(text->as_string(), tables);
  if (!v) return std::string(template_json);
  std::string out(template_json.substr(0, template_json.size() - 1));
  out += ",\"validations\":";
  out += validations_json(*v);
  out += '}';
  return out;
}

}  // namespace crs::projections
