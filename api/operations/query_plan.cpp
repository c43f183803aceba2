#include "api/operations/query_plan.hpp"

#include <algorithm>

#include <boost/json/parse.hpp>

#include "api/operations/access.hpp"
#include "api/operations/table_shapes.hpp"
#include "projections/keys.hpp"
#include "projections/schema_view.hpp"
#include "query/sql/check.hpp"

namespace crs::api {
namespace {

namespace json = boost::json;
namespace keys = projections::keys;

query::violation broken(std::string what) {
  return {query::code_execution_error, "Stored " + what + " could not be read"};
}

std::optional<json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

std::string str_or(const json::object& o, std::string_view k) {
  const auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// The configured table behind one schema, as the rule check and the engine need it.
struct schema_source {
  query::schema_fact fact;
  std::optional<table_reference> reference;
};

schema_source read_schema(const projections::schema_rows& rows) {
  const auto& assoc = rows.association;
  const auto& table = rows.table;
  schema_source out;
  out.fact.name = str_or(assoc, "name");
  out.fact.owner = str_or(assoc, "account");
  if (const auto* cols = table.if_contains("allowedColumns"); cols && cols->is_array())
    for (const auto& c : cols->as_array())
      if (c.is_string()) out.fact.columns.emplace_back(c.as_string());
  out.fact.method = parse_analysis_method(str_or(table, "analysisMethod"))
                        .value_or(analysis_method::direct_query);
  // The stored shapes are the API's, so the API's own parsers read them back.
  validator v;
  out.reference = shapes::table_ref(v, table, "tableReference", "tableReference", true);
  if (const auto* rule = table.if_contains("rule"); rule && rule->is_object()) {
    const auto type = parse_analysis_rule_type(str_or(rule->as_object(), "type"));
    const auto* body = rule->as_object().if_contains("policy");
    if (type && body) {
      static constexpr const char* members[] = {"aggregation", "list", "custom"};
      json::object wrapped;
      wrapped["policy"] =
          json::object{{"v1", json::object{{members[static_cast<int>(*type)], *body}}}};
      out.fact.policy = shapes::analysis_policy(v, wrapped, "policy", "policy", true);
    }
  }
  return out;
}

// A collaboration holds at most 25 associations per membership; this bounds a corrupt store.
constexpr std::size_t max_schemas = 10000;

std::vector<schema_source> read_schemas(const events::event_store& store, const std::string& cid) {
  std::vector<schema_source> out;
  for (const auto& rows : projections::schema_sources(store, cid, max_schemas))
    out.push_back(read_schema(rows));
  return out;
}

query::query_facts facts_of(const std::vector<schema_source>& sources, const account_id& caller,
                            const query_sql_parameters& sql) {
  query::query_facts facts;
  facts.caller = caller;
  facts.template_arn = sql.analysis_template_arn;
  for (const auto& s : sources) facts.schemas.push_back(s.fact);
  return facts;
}

std::vector<analysis_parameter> declared_parameters(const json::object& templ) {
  std::vector<analysis_parameter> out;
  const auto* arr = templ.if_contains("analysisParameters");
  if (!arr || !arr->is_array()) return out;
  for (const auto& item : arr->as_array()) {
    if (!item.is_object()) continue;
    const auto& o = item.as_object();
    analysis_parameter p;
    p.name = str_or(o, "name");
    p.type = parse_parameter_type(str_or(o, "type")).value_or(parameter_type::varchar);
    if (const auto* d = o.if_contains("defaultValue"); d && d->is_string())
      p.default_value = std::string(d->as_string());
    out.push_back(std::move(p));
  }
  return out;
}

// catalog type names → the engine's: the catalog reports bigint/double/string or a sidecar's.
std::optional<catalog::column> find_column(const catalog::table& t, const std::string& name) {
  for (const auto& c : t.columns)
    if (c.name == name) return c;
  for (const auto& c : t.partition_keys)
    if (c.name == name) return c;
  return std::nullopt;
}

}  // namespace

result<std::string, query::violation> query_text(const events::event_store& store,
                                                 const std::string& cid,
                                                 const query_sql_parameters& sql) {
  if (sql.query_string) return *sql.query_string;
  if (!sql.analysis_template_arn)
    return query::violation{query::code_parse_error, "The query has no SQL"};
  auto row = collaboration_template_row(store, cid, *sql.analysis_template_arn);
  if (!row)
    return query::violation{
        query::code_unknown_table,
        "Analysis template " + *sql.analysis_template_arn + " is not in this collaboration"};
  auto templ = parse_object(*row);
  if (!templ) return broken("analysis template");
  const auto* source = templ->if_contains("source");
  if (!source || !source->is_object() || !source->as_object().contains("text"))
    return query::violation{query::code_unsupported,
                            "Analysis template " + *sql.analysis_template_arn +
                                " has no SQL text (PySpark templates run as jobs)"};
  const auto text = str_or(source->as_object(), "text");
  static const std::map<std::string, std::string> none;
  return query::substitute_parameters(text, declared_parameters(*templ),
                                      sql.parameters ? *sql.parameters : none);
}

result<query::checked_query, query::violation> check_sql(const events::event_store& store,
                                                         const std::string& cid,
                                                         const account_id& caller,
                                                         const query_sql_parameters& sql) {
  auto text = query_text(store, cid, sql);
  if (!text) return text.error();
  return query::check_query(text.value(), facts_of(read_schemas(store, cid), caller, sql));
}

result<prepared_query, query::violation> prepare_query(const events::event_store& store,
                                                       const catalog::local_catalog& catalog,
                                                       const std::string& cid,
                                                       const account_id& caller,
                                                       const query_sql_parameters& sql) {
  auto text = query_text(store, cid, sql);
  if (!text) return text.error();
  // One read of the schemas serves the check and the data files.
  const auto sources = read_schemas(store, cid);
  auto checked = query::check_query(text.value(), facts_of(sources, caller, sql));
  if (!checked) return checked.error();
  prepared_query out;
  out.checked = std::move(checked.value());
  for (const auto& name : out.checked.tables) {
    auto it = std::find_if(sources.begin(), sources.end(), [&](const schema_source& s) {
      return keys::lower(s.fact.name) == keys::lower(name);
    });
    if (it == sources.end() || !it->reference)
      return query::violation{query::code_unknown_table,
                              "Table '" + name + "' is no longer a schema of this collaboration"};
    auto found = catalog.lookup(*it->reference);
    if (found.what != catalog::lookup_result::status::found)
      return query::violation{query::code_data_unavailable,
                              "The data of table '" + name + "' is not in the local catalog" +
                                  (found.problem.empty() ? std::string() : ": " + found.problem)};
    query::table_data t;
    t.name = name;
    t.csv = found.found.data_file;
    for (const auto& col : it->fact.columns) {
      auto c = find_column(found.found, col);
      if (!c)
        return query::violation{
            query::code_data_unavailable,
            "Column '" + col + "' of table '" + name + "' is missing from its data file"};
      t.columns.push_back(std::move(*c));
    }
    out.tables.push_back(std::move(t));
  }
  return out;
}

namespace {

// The S3 location among a recorded resultConfiguration's outputs, if any.
void s3_of(const json::object& query, query::job_plan& out) {
  const auto* rc = query.if_contains("resultConfiguration");
  if (!rc || !rc->is_object()) return;
  const auto* oc = rc->as_object().if_contains("outputConfiguration");
  if (!oc || !oc->is_object()) return;
  std::vector<const json::value*> locations{oc};
  if (const auto* d = oc->as_object().if_contains("distribute"); d && d->is_object())
    if (const auto* ls = d->as_object().if_contains("locations"); ls && ls->is_array()) {
      locations.clear();
      for (const auto& l : ls->as_array()) locations.push_back(&l);
    }
  for (const auto* l : locations) {
    if (!l->is_object()) continue;
    const auto* s3 = l->as_object().if_contains("s3");
    if (!s3 || !s3->is_object()) continue;
    out.bucket = str_or(s3->as_object(), "bucket");
    if (s3->as_object().contains("keyPrefix"))
      out.key_prefix = str_or(s3->as_object(), "keyPrefix");
    return;
  }
}

}  // namespace

result<query::job_plan, query::violation> plan_job(const events::event_store& store,
                                                   const catalog::local_catalog& catalog,
                                                   const query::job& j) {
  auto row = store.get_view(keys::protected_query(j.membership_id, j.query_id));
  if (!row) return broken("protected query");
  auto q = parse_object(*row);
  if (!q) return broken("protected query");
  query_sql_parameters sql;
  if (const auto* p = q->if_contains("sqlParameters"); p && p->is_object()) {
    const auto& o = p->as_object();
    if (o.contains("queryString")) sql.query_string = str_or(o, "queryString");
    if (o.contains("analysisTemplateArn"))
      sql.analysis_template_arn = str_or(o, "analysisTemplateArn");
    if (const auto* params = o.if_contains("parameters"); params && params->is_object()) {
      sql.parameters.emplace();
      for (const auto& [k, v] : params->as_object())
        if (v.is_string()) (*sql.parameters)[std::string(k)] = std::string(v.as_string());
    }
  }
  auto prepared = prepare_query(store, catalog, j.collaboration_id, j.account, sql);
  if (!prepared) return prepared.error();
  query::job_plan out;
  out.checked = std::move(prepared.value().checked);
  out.tables = std::move(prepared.value().tables);
  s3_of(*q, out);
  return out;
}

}  // namespace crs::api
