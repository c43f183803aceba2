// What AGGREGATION and LIST share: the JOIN rules, the single-SELECT shape, message labels.
#include <algorithm>

#include "query/sql/rules.hpp"

namespace crs::query::sql {

std::string rule_label(analysis_rule_type type, const std::string& table) {
  return std::string(to_string(type)) + " rule of table '" + table + "'";
}

std::string query_rule_label(analysis_rule_type type, const bound_query& q,
                             const query_facts& facts) {
  return rule_label(type, q.schemas.empty() ? std::string("?") : facts.schemas[q.schemas[0]].name);
}

join_policy join_policy_of(const schema_fact& schema) {
  join_policy p;
  if (!schema.policy) return p;
  if (const auto* a = std::get_if<aggregation_rule>(&*schema.policy)) {
    p.join_columns = &a->join_columns;
    p.operators = &a->allowed_join_operators;
  } else if (const auto* l = std::get_if<list_rule>(&*schema.policy)) {
    p.join_columns = &l->join_columns;
    p.operators = &l->allowed_join_operators;
  }
  return p;
}

bool contains(const std::vector<std::string>& names, std::string_view name) {
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& n) { return iequals(n, name); });
}

bool join_graph::connected(const range_entry* a, const range_entry* b) const {
  std::vector<const range_entry*> reached{a};
  for (std::size_t i = 0; i < reached.size(); ++i) {
    if (reached[i] == b) return true;
    for (const auto& [x, y] : edges) {
      const range_entry* next = x == reached[i] ? y : (y == reached[i] ? x : nullptr);
      if (next && std::find(reached.begin(), reached.end(), next) == reached.end())
        reached.push_back(next);
    }
  }
  return false;
}

result<ok_t, violation> check_single_select(const bound_query& q, const query_facts& facts,
                                            analysis_rule_type type) {
  const std::string label = query_rule_label(type, q, facts);
  if (q.ctes) return rule_violation(label + " does not allow WITH queries (CTEs)");
  if (q.set_operations) return rule_violation(label + " does not allow UNION, INTERSECT or EXCEPT");
  if (q.subqueries) return rule_violation(label + " does not allow subqueries");
  if (q.window_functions) return rule_violation(label + " does not allow window functions");
  if (q.values_lists || !q.top) return rule_violation(label + " does not allow VALUES lists");
  const json::object& stmt = *q.top->stmt;
  if (const json::array* distinct = list_member(stmt, "distinctClause"))
    if (!distinct->empty() && as_node((*distinct)[0]))
      return rule_violation(label + " does not allow DISTINCT ON");
  if (list_member(stmt, "windowClause")) return rule_violation(label + " does not allow WINDOW");
  return ok_v;
}

namespace {

class join_checker {
 public:
  join_checker(const bound_query& q, const query_facts& facts, analysis_rule_type type)
      : q_(q), facts_(facts), type_(type) {}

  std::optional<violation> error;
  join_graph graph;

  // The entries of FROM item `v`, its joins checked.
  std::vector<const range_entry*> item(const json::value& v) {
    if (error) return {};
    const auto n = as_node(v);
    if (n && n->type == "RangeVar") {
      const auto it = q_.ranges.find(n->body);
      if (it == q_.ranges.end() || !it->second->schema) return fail_rule("a table reference");
      return {it->second};
    }
    if (!n || n->type != "JoinExpr") return fail_rule("subqueries");
    const json::object& j = *n->body;
    auto left = item(*member(j, "larg"));
    const auto right = item(*member(j, "rarg"));
    if (error) return {};
    const std::string joined = label(right.front());
    const std::string_view type = string_member(j, "jointype");
    if (type != "JOIN_INNER") {
      std::string kind(type.substr(5));
      return fail(joined + " allows only INNER JOIN, not " + kind + " JOIN");
    }
    if (bool_member(j, "isNatural"))
      return fail(joined + " does not allow NATURAL JOIN: name the join columns with ON");
    if (const json::array* names = list_member(j, "usingClause")) {
      for (const json::value& n : *names)
        if (const auto name = string_node(n)) using_column(*name, left, right);
    } else if (const json::value* quals = member(j, "quals")) {
      if (!on(*quals, left, right) && !error)
        fail(joined +
             " requires JOIN ... ON to compare a join column of the joined table with "
             "a join column of a table joined before it");
    } else {
      return fail(joined + " does not allow CROSS JOIN: join on join columns with JOIN ... ON");
    }
    left.insert(left.end(), right.begin(), right.end());
    return left;
  }

 private:
  std::vector<const range_entry*> fail(std::string message) {
    if (!error) error = rule_violation(std::move(message));
    return {};
  }

  std::vector<const range_entry*> fail_rule(const char* what) {
    return fail(query_rule_label(type_, q_, facts_) + " does not allow " + what + " in FROM");
  }

  const schema_fact& schema(const range_entry* e) const { return facts_.schemas[*e->schema]; }
  std::string label(const range_entry* e) const { return rule_label(type_, schema(e).name); }

  bool is_join_column(const range_entry* e, std::string_view column) const {
    const join_policy p = join_policy_of(schema(e));
    return p.join_columns && contains(*p.join_columns, column);
  }

  void require_join_column(const range_entry* e, std::string_view column) {
    if (!is_join_column(e, column))
      fail(label(e) + " does not allow column '" + std::string(column) +
           "' in JOIN ... ON: it is not a join column");
  }

  void using_column(std::string_view name, const std::vector<const range_entry*>& left,
                    const std::vector<const range_entry*>& right) {
    const range_entry* l = nullptr;
    const range_entry* r = nullptr;
    for (const range_entry* e : left)
      if (contains(e->columns, name)) {
        require_join_column(e, name);
        if (!l) l = e;
      }
    for (const range_entry* e : right)
      if (contains(e->columns, name)) {
        require_join_column(e, name);
        if (!r) r = e;
      }
    if (l && r) graph.edges.emplace_back(l, r);
  }

  // The entries whose columns `v` references.
  void entries_in(const json::value& v, std::vector<const range_entry*>& out) const {
    if (const json::object* o = v.if_object()) {
      if (const auto n = as_node(v); n && n->type == "ColumnRef") {
        const auto it = q_.columns.find(n->body);
        if (it != q_.columns.end() && it->second.entry &&
            std::find(out.begin(), out.end(), it->second.entry) == out.end())
          out.push_back(it->second.entry);
        return;
      }
      for (const auto& m : *o) entries_in(m.value(), out);
    } else if (const json::array* a = v.if_array()) {
      for (const json::value& item : *a) entries_in(item, out);
    }
  }

  // Every table of `v` must allow boolean operator `op` (absent allowedJoinOperators: AND only).
  bool allow_operator(const json::value& v, join_operator op) {
    std::vector<const range_entry*> tables;
    entries_in(v, tables);
    for (const range_entry* e : tables) {
      const join_policy p = join_policy_of(schema(e));
      const bool allowed = (p.operators && *p.operators)
                               ? std::find((*p.operators)->begin(), (*p.operators)->end(), op) !=
                                     (*p.operators)->end()
                               : op == join_operator::and_op;
      if (!allowed) {
        fail(label(e) + " does not allow " + std::string(to_string(op)) +
             " in JOIN ... ON (its allowedJoinOperators do not list it)");
        return false;
      }
    }
    return true;
  }

  // Checks condition `v`; true when it links `left` and `right` (an AND needs one linking
  // part, an OR needs every part to link, or rows of one branch would join with everything).
  bool on(const json::value& v, const std::vector<const range_entry*>& left,
          const std::vector<const range_entry*>& right) {
    if (error) return false;
    const auto n = as_node(v);
    if (n && n->type == "BoolExpr") {
      const std::string_view op = string_member(*n->body, "boolop");
      const json::array* args = list_member(*n->body, "args");
      if (!args || op == "NOT_EXPR") return bad_condition(right);
      const bool is_and = op == "AND_EXPR";
      if (!allow_operator(v, is_and ? join_operator::and_op : join_operator::or_op)) return false;
      bool any = false, all = true;
      for (const json::value& a : *args) {
        const bool links = on(a, left, right);
        if (error) return false;
        any = any || links;
        all = all && links;
      }
      return is_and ? any : all;
    }
    if (!n || n->type != "A_Expr" || string_member(*n->body, "kind") != "AEXPR_OP")
      return bad_condition(right);
    const json::array* names = list_member(*n->body, "name");
    const auto op = names && names->size() == 1 ? string_node((*names)[0]) : std::nullopt;
    if (!op || *op != "=") return bad_condition(right);
    const auto side = [&](const char* key) -> std::pair<const range_entry*, std::string> {
      const auto c = as_node(member(*n->body, key));
      if (!c || c->type != "ColumnRef") return {nullptr, {}};
      const auto it = q_.columns.find(c->body);
      if (it == q_.columns.end() || !it->second.entry) return {nullptr, {}};
      return {it->second.entry, it->second.entry->columns[it->second.column]};
    };
    const auto [a, a_column] = side("lexpr");
    const auto [b, b_column] = side("rexpr");
    if (!a || !b) return bad_condition(right);
    require_join_column(a, a_column);
    require_join_column(b, b_column);
    if (error) return false;
    if (a == b) {
      fail(label(a) + " does not allow JOIN ... ON to compare two columns of '" + a->name + "'");
      return false;
    }
    graph.edges.emplace_back(a, b);
    const auto in = [](const std::vector<const range_entry*>& s, const range_entry* e) {
      return std::find(s.begin(), s.end(), e) != s.end();
    };
    return (in(left, a) && in(right, b)) || (in(left, b) && in(right, a));
  }

  bool bad_condition(const std::vector<const range_entry*>& right) {
    fail(label(right.front()) +
         " allows in JOIN ... ON only equalities of join columns (a.c = b.c) combined with "
         "AND/OR");
    return false;
  }

  const bound_query& q_;
  const query_facts& facts_;
  analysis_rule_type type_;
};

}  // namespace

result<join_graph, violation> check_joins(const bound_query& q, const query_facts& facts,
                                          analysis_rule_type type) {
  const json::array* from = list_member(*q.top->stmt, "fromClause");
  if (!from || from->empty()) return join_graph{};
  if (from->size() > 1)
    return rule_violation(query_rule_label(type, q, facts) +
                          " does not allow comma joins (FROM a, b): use JOIN ... ON");
  join_checker checker(q, facts, type);
  checker.item((*from)[0]);
  if (checker.error) return *checker.error;
  return std::move(checker.graph);
}

}  // namespace crs::query::sql
