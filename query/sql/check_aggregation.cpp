// The AGGREGATION rule (SPEC.md 17.2): one SELECT whose output is aggregates of aggregate
// columns and dimension expressions, grouped by dimensions, with output constraints enforced
// by hidden COUNT(DISTINCT ...) columns the engine suppresses rows with.
//
// Decisions where the brief and the guide are silent:
// * WHERE may use dimension columns only (like the output and GROUP BY): filtering on an
//   aggregate or join column would let a querier probe values the rule does not expose.
// * COUNT(*) and aggregates over constants (COUNT(1)) are refused: count a column, e.g.
//   COUNT(DISTINCT user_id), which the policy lists as an aggregate column.
// * Arithmetic (+ - * / %), ||, comparisons, boolean operators, CASE, IN, BETWEEN, LIKE and
//   IS [NOT] NULL may combine allowed expressions; other functions are refused.
// * A scalar function over no column (CURRENT_DATE, GETDATE()) must be allowed by every table
//   of the query; over columns, by the table of each column it wraps.
// * A table owned by the querier satisfies its own joinRequired.
#include <algorithm>
#include <map>

#include "query/sql/rules.hpp"

namespace crs::query::sql {

namespace {

constexpr analysis_rule_type aggregation = analysis_rule_type::aggregation;

enum class clause { output, where, group_by, having, order_by };

std::string in_clause(clause c) {
  switch (c) {
    case clause::output:
      return "in the output";
    case clause::where:
      return "in WHERE";
    case clause::group_by:
      return "in GROUP BY";
    case clause::having:
      return "in HAVING";
    case clause::order_by:
      return "in ORDER BY";
  }
  return {};
}

// SQL function names (lower case) of the policy's scalar functions.
std::optional<scalar_function> scalar_of(std::string_view name) {
  static const std::map<std::string_view, scalar_function> names = {
      {"abs", scalar_function::abs},
      {"ceiling", scalar_function::ceiling},
      {"ceil", scalar_function::ceiling},
      {"coalesce", scalar_function::coalesce},
      {"convert", scalar_function::convert},
      {"current_date", scalar_function::current_date},
      {"dateadd", scalar_function::dateadd},
      {"extract", scalar_function::extract},
      {"date_part", scalar_function::extract},
      {"floor", scalar_function::floor},
      {"getdate", scalar_function::getdate},
      {"ln", scalar_function::ln},
      {"log", scalar_function::log},
      {"lower", scalar_function::lower},
      {"round", scalar_function::round},
      {"rtrim", scalar_function::rtrim},
      {"sqrt", scalar_function::sqrt},
      {"substring", scalar_function::substring},
      {"substr", scalar_function::substring},
      {"to_char", scalar_function::to_char},
      {"to_date", scalar_function::to_date},
      {"to_number", scalar_function::to_number},
      {"to_timestamp", scalar_function::to_timestamp},
      {"trim", scalar_function::trim},
      {"btrim", scalar_function::trim},  // TRIM(BOTH ...)
      {"ltrim", scalar_function::trim},  // TRIM(LEADING ...)
      {"trunc", scalar_function::trunc},
      {"upper", scalar_function::upper},
  };
  const auto it = names.find(name);
  if (it == names.end()) return std::nullopt;
  return it->second;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

class aggregation_checker {
 public:
  aggregation_checker(const bound_query& q, const query_facts& facts) : q_(q), facts_(facts) {}

  std::optional<violation> error;

  // What a walk found in an expression.
  struct found {
    bool aggregate = false;
    std::size_t columns = 0;
  };

  result<std::vector<hidden_column>, violation> run() {
    if (auto shape = check_single_select(q_, facts_, aggregation); !shape) return shape.error();
    auto joins = check_joins(q_, facts_, aggregation);
    if (!joins) return joins.error();
    const json::object& stmt = *q_.top->stmt;

    std::vector<const json::value*> targets;
    std::vector<found> target_found;
    if (const json::array* list = list_member(stmt, "targetList"))
      for (const json::value& t : *list) {
        const json::value* val = member(*as_node(t)->body, "val");
        targets.push_back(val);
        if (is_star(*val))
          return rule_violation(all_label() +
                                " does not allow '*' in the output: name dimension columns "
                                "and aggregates of aggregate columns");
        found f;
        if (!walk(*val, clause::output, std::nullopt, f)) return *error;
        target_found.push_back(f);
      }
    if (std::none_of(target_found.begin(), target_found.end(),
                     [](const found& f) { return f.aggregate; }))
      return rule_violation(all_label() +
                            " requires at least one aggregate (COUNT, SUM, AVG) in the output");

    if (const json::value* where = member(stmt, "whereClause")) {
      found f;
      if (!walk(*where, clause::where, std::nullopt, f)) return *error;
    }

    // GROUP BY keys: positions and output names stand for their select-list expressions.
    std::vector<const json::value*> keys;
    if (const json::array* group = list_member(stmt, "groupClause"))
      for (const json::value& g : *group) {
        const auto target = target_index(g, targets.size());
        if (target) {
          if (target_found[*target].aggregate)
            return rule_violation(all_label() + " does not allow GROUP BY of an aggregate (" +
                                  "select-list item " + std::to_string(*target + 1) + ")");
          keys.push_back(targets[*target]);
          continue;
        }
        found f;
        if (!walk(g, clause::group_by, std::nullopt, f)) return *error;
        keys.push_back(&g);
      }

    if (const json::value* having = member(stmt, "havingClause")) {
      found f;
      if (!walk(*having, clause::having, std::nullopt, f)) return *error;
      if (!grouped(*having, keys)) return *error;
    }
    if (const json::array* sort = list_member(stmt, "sortClause"))
      for (const json::value& s : *sort) {
        const json::value& node = *member(*as_node(s)->body, "node");
        if (target_index(node, targets.size())) continue;
        found f;
        if (!walk(node, clause::order_by, std::nullopt, f)) return *error;
        if (!grouped(node, keys)) return *error;
      }
    for (const json::value* t : targets)
      if (!grouped(*t, keys)) return *error;

    if (auto required = join_required(*joins); !required) return required.error();
    return hidden_columns();
  }

 private:
  bool fail(violation v) {
    if (!error) error = std::move(v);
    return false;
  }

  const schema_fact& schema(const range_entry* e) const { return facts_.schemas[*e->schema]; }
  const aggregation_rule& rule(const range_entry* e) const {
    return std::get<aggregation_rule>(*schema(e).policy);
  }
  std::string label(const range_entry* e) const { return rule_label(aggregation, schema(e).name); }
  std::string all_label() const { return query_rule_label(aggregation, q_, facts_); }

  static bool is_star(const json::value& v) {
    const auto n = as_node(v);
    if (!n || n->type != "ColumnRef") return false;
    const json::array* fields = list_member(*n->body, "fields");
    return fields && !fields->empty() && as_node(fields->back()) &&
           as_node(fields->back())->type == "A_Star";
  }

  // The select-list item a GROUP BY / ORDER BY item names by position or output name.
  std::optional<std::size_t> target_index(const json::value& v, std::size_t targets) const {
    const auto n = as_node(v);
    if (!n) return std::nullopt;
    if (n->type == "A_Const") {
      const auto p = integer_constant(*n->body);
      if (p && *p >= 1 && static_cast<std::size_t>(*p) <= targets)
        return static_cast<std::size_t>(*p - 1);
      return std::nullopt;
    }
    if (n->type != "ColumnRef") return std::nullopt;
    const auto it = q_.columns.find(n->body);
    if (it == q_.columns.end() || it->second.entry) return std::nullopt;
    return it->second.output;
  }

  const column_binding* binding(const json::object& column_ref) const {
    const auto it = q_.columns.find(&column_ref);
    return it == q_.columns.end() ? nullptr : &it->second;
  }

  static bool has_aggregate(const aggregation_rule& r, std::string_view column,
                            aggregate_function f) {
    return std::any_of(r.aggregate_columns.begin(), r.aggregate_columns.end(),
                       [&](const aggregate_column& a) {
                         return a.function == f && contains(a.column_names, column);
                       });
  }

  // "SUM, AVG": the functions the policy allows over `column`.
  static std::string aggregates_of(const aggregation_rule& r, std::string_view column) {
    std::string out;
    for (const aggregate_column& a : r.aggregate_columns)
      if (contains(a.column_names, column))
        out += (out.empty() ? "" : ", ") + std::string(to_string(a.function));
    return out;
  }

  bool column(const json::object& column_ref, clause c, std::optional<aggregate_function> inside,
              found& f) {
    const column_binding* b = binding(column_ref);
    if (!b) return fail(rule_violation(all_label() + " cannot resolve a column"));
    if (!b->entry) return true;  // an output name in ORDER BY / GROUP BY: its item is checked
    ++f.columns;
    const range_entry* e = b->entry;
    const std::string& name = e->columns[b->column];
    const aggregation_rule& r = rule(e);
    if (inside) {
      if (has_aggregate(r, name, *inside)) return true;
      const std::string allowed = aggregates_of(r, name);
      return fail(rule_violation(label(e) + " does not allow " + std::string(to_string(*inside)) +
                                 " of column '" + name + "': " +
                                 (allowed.empty() ? "it is not an aggregate column"
                                                  : "its aggregateColumns allow only " + allowed)));
    }
    if (contains(r.dimension_columns, name) && !contains(r.join_columns, name)) return true;
    std::string why = "it is not a dimension column";
    if (contains(r.join_columns, name))
      why += " (it is a join column, usable only in JOIN ... ON)";
    else if (const std::string allowed = aggregates_of(r, name); !allowed.empty())
      why += " (it is an aggregate column, usable only inside " + allowed + ")";
    return fail(rule_violation(label(e) + " does not allow column '" + name + "' " + in_clause(c) +
                               ": " + why));
  }

  // The entries whose columns `v` references (for the scalar functions wrapping them).
  void entries_in(const json::value& v, std::vector<const range_entry*>& out) const {
    if (const json::object* o = v.if_object()) {
      if (const auto n = as_node(v); n && n->type == "ColumnRef") {
        const column_binding* b = binding(*n->body);
        if (b && b->entry && std::find(out.begin(), out.end(), b->entry) == out.end())
          out.push_back(b->entry);
        return;
      }
      for (const auto& m : *o) entries_in(m.value(), out);
    } else if (const json::array* a = v.if_array()) {
      for (const json::value& item : *a) entries_in(item, out);
    }
  }

  // Scalar function `sf` applied to `args` must be allowed by the table of each column it
  // wraps, or by every table when it wraps none.
  bool scalar(scalar_function sf, const json::value* args, const char* written) {
    std::vector<const range_entry*> tables;
    if (args) entries_in(*args, tables);
    if (tables.empty())
      for (const auto& e : q_.top->entries) tables.push_back(e.get());
    for (const range_entry* e : tables) {
      const auto& allowed = rule(e).scalar_functions;
      if (std::find(allowed.begin(), allowed.end(), sf) == allowed.end())
        return fail(rule_violation(label(e) + " does not allow the scalar function " +
                                   std::string(to_string(sf)) + " (" + written + ")"));
    }
    return true;
  }

  bool aggregate_call(const json::object& call, const std::string& name, clause c,
                      std::optional<aggregate_function> inside, found& f) {
    const std::string written = upper(name) + "(...)";
    if (c == clause::where || c == clause::group_by)
      return fail(rule_violation(all_label() + " does not allow aggregates " + in_clause(c)));
    if (inside)
      return fail(rule_violation(all_label() + " does not allow an aggregate inside another (" +
                                 written + ")"));
    if (member(call, "agg_filter") || member(call, "agg_order") ||
        bool_member(call, "agg_within_group"))
      return fail(rule_violation(all_label() +
                                 " does not allow FILTER, ORDER BY or WITHIN "
                                 "GROUP in an aggregate (" +
                                 written + ")"));
    if (bool_member(call, "agg_star"))
      return fail(rule_violation(all_label() + " does not allow COUNT(*): count an aggregate "
                                               "column, e.g. COUNT(DISTINCT column)"));
    const bool distinct = bool_member(call, "agg_distinct");
    std::optional<aggregate_function> fn;
    if (name == "count")
      fn = distinct ? aggregate_function::count_distinct : aggregate_function::count;
    if (name == "sum") fn = distinct ? aggregate_function::sum_distinct : aggregate_function::sum;
    if (name == "avg" && !distinct) fn = aggregate_function::avg;
    if (!fn)
      return fail(rule_violation(all_label() + " does not allow the aggregate " + upper(name) +
                                 (distinct ? "(DISTINCT ...)" : "(...)") +
                                 " (allowed: COUNT, COUNT(DISTINCT), SUM, SUM(DISTINCT), AVG)"));
    const json::array* args = list_member(call, "args");
    if (!args || args->size() != 1)
      return fail(rule_violation(all_label() + " requires exactly one argument in " + written));
    found inner;
    if (!walk((*args)[0], c, fn, inner)) return false;
    if (inner.columns == 0)
      return fail(rule_violation(all_label() + " does not allow " + written +
                                 " over constants: aggregate an aggregate column"));
    f.aggregate = true;
    f.columns += inner.columns;
    return true;
  }

  bool walk(const json::value& v, clause c, std::optional<aggregate_function> inside, found& f) {
    const auto n = as_node(v);
    if (!n) return fail(rule_violation(all_label() + " cannot read an expression"));
    const json::object& body = *n->body;
    const std::string_view type = n->type;
    auto children = [&](std::initializer_list<const char*> keys) {
      for (const char* key : keys) {
        const json::value* m = member(body, key);
        if (!m) continue;
        if (const json::array* items = m->if_array()) {
          for (const json::value& item : *items)
            if (!walk(item, c, inside, f)) return false;
        } else if (!walk(*m, c, inside, f)) {
          return false;
        }
      }
      return true;
    };
    if (type == "ColumnRef") {
      if (is_star(v))
        return fail(rule_violation(all_label() + " does not allow '*' " + in_clause(c)));
      return column(body, c, inside, f);
    }
    if (type == "A_Const") return true;
    if (type == "FuncCall") {
      const std::string name = function_name(body).value_or("?");
      if (member(body, "over"))
        return fail(rule_violation(all_label() + " does not allow window functions"));
      if (is_aggregate_name(name) || bool_member(body, "agg_star") ||
          bool_member(body, "agg_distinct"))
        return aggregate_call(body, name, c, inside, f);
      const auto sf = scalar_of(name);
      if (!sf)
        return fail(rule_violation(all_label() + " does not allow the function " + upper(name) +
                                   " (only the scalar functions its policy lists)"));
      return scalar(*sf, member(body, "args"), upper(name).c_str()) && children({"args"});
    }
    if (type == "TypeCast")
      return scalar(scalar_function::cast, member(body, "arg"), "CAST") && children({"arg"});
    if (type == "CoalesceExpr")
      return scalar(scalar_function::coalesce, member(body, "args"), "COALESCE") &&
             children({"args"});
    if (type == "SQLValueFunction") {
      if (string_member(body, "op") == "SVFOP_CURRENT_DATE")
        return scalar(scalar_function::current_date, nullptr, "CURRENT_DATE");
      return fail(rule_violation(all_label() + " does not allow this SQL value function (only "
                                               "CURRENT_DATE)"));
    }
    if (type == "A_Expr") {
      if (string_member(body, "kind") == "AEXPR_NULLIF")
        return fail(rule_violation(all_label() + " does not allow NULLIF"));
      return children({"lexpr", "rexpr"});
    }
    if (type == "List") return children({"items"});
    if (type == "BoolExpr") return children({"args"});
    if (type == "NullTest" || type == "BooleanTest") return children({"arg"});
    if (type == "CaseExpr") return children({"arg", "args", "defresult"});
    if (type == "CaseWhen") return children({"expr", "result"});
    if (type == "MinMaxExpr")
      return fail(rule_violation(all_label() + " does not allow GREATEST or LEAST"));
    return fail(rule_violation(all_label() + " does not allow '" + std::string(type) + "' " +
                               in_clause(c)));
  }

  // Same expression, column references compared by what they bind to.
  bool same_expr(const json::value& a, const json::value& b) const {
    const auto na = as_node(a);
    const auto nb = as_node(b);
    if (na && nb && na->type == "ColumnRef" && nb->type == "ColumnRef") {
      const column_binding* ba = binding(*na->body);
      const column_binding* bb = binding(*nb->body);
      return ba && bb && ba->entry && ba->entry == bb->entry && ba->column == bb->column;
    }
    if (a.kind() != b.kind()) return false;
    if (const json::object* oa = a.if_object()) {
      const json::object& ob = b.get_object();
      std::size_t compared = 0, others = 0;
      for (const auto& m : *oa) {
        if (m.key() == "location") continue;
        const json::value* other = ob.if_contains(m.key());
        if (!other || !same_expr(m.value(), *other)) return false;
        ++compared;
      }
      for (const auto& m : ob)
        if (m.key() != "location") ++others;
      return compared == others;
    }
    if (const json::array* aa = a.if_array()) {
      const json::array& ab = b.get_array();
      if (aa->size() != ab.size()) return false;
      for (std::size_t i = 0; i < aa->size(); ++i)
        if (!same_expr((*aa)[i], ab[i])) return false;
      return true;
    }
    return a == b;
  }

  // PostgreSQL's rule, which SQLite does not enforce (it would output an arbitrary row's
  // value): a column outside aggregates must be a GROUP BY key or inside one.
  bool grouped(const json::value& v, const std::vector<const json::value*>& keys) {
    for (const json::value* k : keys)
      if (same_expr(v, *k)) return true;
    const auto n = as_node(v);
    if (n && n->type == "ColumnRef") {
      const column_binding* b = binding(*n->body);
      if (!b || !b->entry) return true;
      return fail(violation{code_unsupported,
                            "Column '" + b->entry->name + "." + b->entry->columns[b->column] +
                                "' must appear in GROUP BY or be used in an aggregate"});
    }
    if (n && n->type == "FuncCall") {
      const std::string name = function_name(*n->body).value_or("");
      if (is_aggregate_name(name) || bool_member(*n->body, "agg_star")) return true;
    }
    if (const json::object* o = v.if_object()) {
      for (const auto& m : *o)
        if (!grouped(m.value(), keys)) return false;
    } else if (const json::array* a = v.if_array()) {
      for (const json::value& item : *a)
        if (!grouped(item, keys)) return false;
    }
    return true;
  }

  // joinRequired: QUERY_RUNNER -- the table must be joined, directly or through other tables'
  // join conditions, with a table of the querier.
  result<ok_t, violation> join_required(const join_graph& joins) const {
    for (const auto& e : q_.top->entries) {
      if (!rule(e.get()).join_required || schema(e.get()).owner == facts_.caller) continue;
      const bool joined =
          std::any_of(q_.top->entries.begin(), q_.top->entries.end(), [&](const auto& other) {
            return schema(other.get()).owner == facts_.caller &&
                   joins.connected(e.get(), other.get());
          });
      if (!joined)
        return rule_violation(label(e.get()) +
                              " requires the query to join it with a table of the querier "
                              "(joinRequired: QUERY_RUNNER)");
    }
    return ok_v;
  }

  // One hidden column per output constraint of each range entry; the same entry and column
  // listed twice keeps the largest minimum.
  std::vector<hidden_column> hidden_columns() const {
    std::vector<hidden_column> out;
    for (const auto& e : q_.top->entries)
      for (const aggregation_constraint& oc : rule(e.get()).output_constraints) {
        const auto same = std::find_if(out.begin(), out.end(), [&](const hidden_column& h) {
          return h.table == e->name && iequals(h.column, oc.column_name);
        });
        if (same != out.end())
          same->minimum = std::max<std::int64_t>(same->minimum, oc.minimum);
        else
          out.push_back({e->name, oc.column_name, oc.minimum});
      }
    return out;
  }

  const bound_query& q_;
  const query_facts& facts_;
};

}  // namespace

result<std::vector<hidden_column>, violation> check_aggregation(const bound_query& q,
                                                                const query_facts& facts) {
  return aggregation_checker(q, facts).run();
}

}  // namespace crs::query::sql
