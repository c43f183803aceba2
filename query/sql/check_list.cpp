// The LIST rule (SPEC.md 17.3): one SELECT [DISTINCT] of bare list columns over tables joined
// on join columns, at least one of them the querier's.
//
// Decisions where the brief and the guide are silent:
// * WHERE may use list columns only, with comparisons, boolean operators, IN, BETWEEN, LIKE,
//   IS [NOT] NULL, arithmetic and constants (casts of constants included); no functions, as the
//   guide says list queries take no scalar functions.
// * ORDER BY may name output columns (by name or position) or list columns.
// * "Joined with a table of the querier": the query reads at least two tables, one of them
//   the querier's, and every other table is linked to it through join conditions.
#include <algorithm>

#include "query/sql/rules.hpp"

namespace crs::query::sql {

namespace {

constexpr analysis_rule_type list_type = analysis_rule_type::list;

class list_checker {
 public:
  list_checker(const bound_query& q, const query_facts& facts) : q_(q), facts_(facts) {}

  result<ok_t, violation> run() {
    if (auto shape = check_single_select(q_, facts_, list_type); !shape) return shape.error();
    const json::object& stmt = *q_.top->stmt;
    if (member(stmt, "groupClause") || member(stmt, "havingClause"))
      return rule_violation(all_label() + " does not allow GROUP BY or HAVING");
    if (const auto agg = find_aggregate(stmt))
      return rule_violation(all_label() + " does not allow aggregate functions (" + *agg + ")");
    auto joins = check_joins(q_, facts_, list_type);
    if (!joins) return joins.error();

    if (const json::array* targets = list_member(stmt, "targetList"))
      for (const json::value& t : *targets)
        if (!output(*member(*as_node(t)->body, "val"))) return *error_;
    if (const json::value* where = member(stmt, "whereClause"))
      if (!filter(*where)) return *error_;
    if (const json::array* sort = list_member(stmt, "sortClause"))
      for (const json::value& s : *sort)
        if (!order(*member(*as_node(s)->body, "node"))) return *error_;
    return joined_with_caller(*joins);
  }

 private:
  bool fail(violation v) {
    if (!error_) error_ = std::move(v);
    return false;
  }

  const schema_fact& schema(const range_entry* e) const { return facts_.schemas[*e->schema]; }
  const list_rule& rule(const range_entry* e) const {
    return std::get<list_rule>(*schema(e).policy);
  }
  std::string label(const range_entry* e) const { return rule_label(list_type, schema(e).name); }
  std::string all_label() const { return query_rule_label(list_type, q_, facts_); }

  const column_binding* binding(const json::value& v) const {
    const auto n = as_node(v);
    if (!n || n->type != "ColumnRef") return nullptr;
    const auto it = q_.columns.find(n->body);
    return it == q_.columns.end() ? nullptr : &it->second;
  }

  // The first aggregate call anywhere in the statement, written for a message.
  std::optional<std::string> find_aggregate(const json::value& v) const {
    if (const auto n = as_node(v); n && n->type == "FuncCall") {
      const std::string name = function_name(*n->body).value_or("");
      if (is_aggregate_name(name) || bool_member(*n->body, "agg_star") ||
          bool_member(*n->body, "agg_distinct"))
        return name + "(...)";
    }
    if (const json::object* o = v.if_object()) {
      for (const auto& m : *o)
        if (auto found = find_aggregate(m.value())) return found;
    } else if (const json::array* a = v.if_array()) {
      for (const json::value& item : *a)
        if (auto found = find_aggregate(item)) return found;
    }
    return std::nullopt;
  }
  std::optional<std::string> find_aggregate(const json::object& stmt) const {
    for (const auto& m : stmt)
      if (auto found = find_aggregate(m.value())) return found;
    return std::nullopt;
  }

  bool list_column(const column_binding& b, const char* where) {
    const range_entry* e = b.entry;
    const std::string& name = e->columns[b.column];
    if (contains(rule(e).list_columns, name)) return true;
    return fail(rule_violation(label(e) + " does not allow column '" + name + "' " + where +
                               ": it is not a list column"));
  }

  bool output(const json::value& v) {
    const column_binding* b = binding(v);
    if (b && b->entry) return list_column(*b, "in the output");
    const auto n = as_node(v);
    if (n && n->type == "ColumnRef")
      return fail(rule_violation(all_label() + " does not allow '*' in the output: name the "
                                               "list columns"));
    // Name the first column the expression uses, if any.
    return fail(rule_violation(all_label() + " allows only bare list columns in the output, not "
                                             "expressions or functions"));
  }

  bool filter(const json::value& v) {
    const auto n = as_node(v);
    if (!n) return fail(rule_violation(all_label() + " cannot read an expression in WHERE"));
    const std::string_view type = n->type;
    const json::object& body = *n->body;
    auto children = [&](std::initializer_list<const char*> keys) {
      for (const char* key : keys) {
        const json::value* m = member(body, key);
        if (!m) continue;
        if (const json::array* items = m->if_array()) {
          for (const json::value& item : *items)
            if (!filter(item)) return false;
        } else if (!filter(*m)) {
          return false;
        }
      }
      return true;
    };
    if (type == "ColumnRef") {
      const column_binding* b = binding(v);
      if (!b || !b->entry)
        return fail(rule_violation(all_label() + " cannot resolve a column in WHERE"));
      return list_column(*b, "in WHERE");
    }
    if (type == "A_Const") return true;
    if (type == "A_Expr") {
      if (string_member(body, "kind") == "AEXPR_NULLIF")
        return fail(rule_violation(all_label() + " does not allow NULLIF in WHERE"));
      return children({"lexpr", "rexpr"});
    }
    if (type == "List") return children({"items"});
    if (type == "BoolExpr") return children({"args"});
    if (type == "NullTest" || type == "BooleanTest") return children({"arg"});
    if (type == "TypeCast") {
      const auto arg = as_node(member(body, "arg"));
      if (arg && arg->type == "A_Const") return true;
    }
    return fail(rule_violation(all_label() +
                               " does not allow functions, casts of columns or other "
                               "expressions in WHERE (only comparisons of list columns)"));
  }

  bool order(const json::value& v) {
    const auto n = as_node(v);
    if (n && n->type == "A_Const" && integer_constant(*n->body)) return true;
    const column_binding* b = binding(v);
    if (b && !b->entry) return true;  // an output name
    if (b) return list_column(*b, "in ORDER BY");
    return fail(rule_violation(all_label() + " allows in ORDER BY only output columns and list "
                                             "columns"));
  }

  result<ok_t, violation> joined_with_caller(const join_graph& joins) const {
    const auto& entries = q_.top->entries;
    const auto is_callers = [&](const auto& e) { return schema(e.get()).owner == facts_.caller; };
    for (const auto& e : entries) {
      if (is_callers(e)) continue;
      const bool joined = std::any_of(entries.begin(), entries.end(), [&](const auto& other) {
        return is_callers(other) && joins.connected(e.get(), other.get());
      });
      if (!joined)
        return rule_violation(label(e.get()) +
                              " requires the query to join it with a table of the querier "
                              "(account " +
                              facts_.caller + ")");
    }
    if (entries.size() < 2)
      return rule_violation(label(entries.front().get()) +
                            " requires the query to join it with a table of another member");
    return ok_v;
  }

  const bound_query& q_;
  const query_facts& facts_;
  std::optional<violation> error_;
};

}  // namespace

result<ok_t, violation> check_list(const bound_query& q, const query_facts& facts) {
  return list_checker(q, facts).run();
}

}  // namespace crs::query::sql
