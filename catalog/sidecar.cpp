#include "catalog/sidecar.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "catalog/csv_scan.hpp"

namespace crs::catalog {

namespace {

namespace json = boost::json;

constexpr std::size_t max_quoted_chars = 64;  // of a name or key repeated in a problem

std::string in_quotes(std::string_view s) {
  if (s.size() <= max_quoted_chars) return "\"" + std::string(s) + "\"";
  return "\"" + std::string(s.substr(0, max_quoted_chars)) + "...\"";
}

struct checker {
  const std::vector<std::string>& csv_names;
  const std::string& csv_name;
  std::map<std::string, std::string> listed;  // lower-case name -> where ("columns[0]")
  std::string problem;

  // Appends list `key` of the document to out; false (with problem set) when it is wrong.
  bool read_list(const json::object& doc, std::string_view key, std::vector<column>& out) {
    const json::value* v = doc.if_contains(key);
    if (!v) return true;
    const json::array* items = v->if_array();
    if (!items) return fail(in_quotes(key) + " must be an array");
    for (std::size_t i = 0; i < items->size(); ++i) {
      const std::string where = std::string(key) + "[" + std::to_string(i) + "]";
      const json::object* item = (*items)[i].if_object();
      if (!item) return fail(where + R"( must be an object {"name": ..., "type": ...})");
      for (const auto& member : *item)
        if (member.key() != "name" && member.key() != "type")
          return fail(where + " has an unknown member " + in_quotes(member.key()) +
                      R"( (only "name" and "type"))");
      const json::value* name = item->if_contains("name");
      if (!name || !name->is_string() || name->get_string().empty())
        return fail(where + ".name must be a non-empty string");
      const json::value* type = item->if_contains("type");
      if (!type || !type->is_string() || type->get_string().empty() ||
          type->get_string().size() > max_type_chars)
        return fail(where + ".type must be a non-empty string of at most " +
                    std::to_string(max_type_chars) + " characters");
      std::string lower = to_lower(name->get_string());
      if (std::find(csv_names.begin(), csv_names.end(), lower) == csv_names.end())
        return fail(where + ".name " + in_quotes(lower) + " is not a column of " + csv_name);
      const auto [it, inserted] = listed.emplace(lower, where);
      if (!inserted)
        return fail(where + ".name " + in_quotes(lower) + " is already listed at " + it->second);
      out.push_back({std::move(lower), std::string(type->get_string())});
    }
    return true;
  }

  bool fail(std::string why) {
    problem = std::move(why);
    return false;
  }
};

}  // namespace

sidecar_result parse_sidecar(std::string_view json_text, const std::vector<std::string>& csv_names,
                             const std::string& sidecar_name, const std::string& csv_name) {
  const auto broken = [&](const std::string& why) {
    return sidecar_result{std::nullopt, sidecar_name + ": " + why};
  };
  json::error_code ec;
  const json::value doc = json::parse(json::string_view(json_text.data(), json_text.size()), ec);
  if (ec) return broken("not valid JSON (" + ec.message() + ")");
  const json::object* root = doc.if_object();
  if (!root) return broken(R"(must be a JSON object {"columns": [...], "partitionKeys": [...]})");
  for (const auto& member : *root)
    if (member.key() != "columns" && member.key() != "partitionKeys")
      return broken("unknown member " + in_quotes(member.key()) +
                    R"( (only "columns" and "partitionKeys"))");
  if (!root->contains("columns")) return broken(R"("columns" is missing)");

  checker check{csv_names, csv_name, {}, {}};
  sidecar_columns out;
  if (!check.read_list(*root, "columns", out.columns) ||
      !check.read_list(*root, "partitionKeys", out.partition_keys))
    return broken(check.problem);
  for (const auto& name : csv_names)
    if (!check.listed.count(name))
      return broken("column " + in_quotes(name) + " of " + csv_name +
                    R"( is in neither "columns" nor "partitionKeys")");
  return {std::move(out), {}};
}

}  // namespace crs::catalog
