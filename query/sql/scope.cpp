#include "query/sql/scope.hpp"

#include <algorithm>
#include <array>
#include <deque>

namespace crs::query::sql {

namespace {

violation unsupported(std::string message) {
  return {code_unsupported, std::move(message)};
}

// A WITH query visible to the rest of its statement (and to nested subqueries).
struct cte_def {
  std::string name;
  std::vector<output_column> outputs;
  const cte_def* next = nullptr;
};

lineage union_of(lineage a, const lineage& b) {
  a.insert(b.begin(), b.end());
  return a;
}

bool is_integer_const(const json::value& v) {
  const auto n = as_node(v);
  return n && n->type == "A_Const" && integer_constant(*n->body).has_value();
}

// The name PostgreSQL gives an unnamed select-list expression.
std::string derived_name(const json::value& v) {
  const auto n = as_node(v);
  if (!n) return "?column?";
  if (n->type == "ColumnRef") {
    const json::array* fields = list_member(*n->body, "fields");
    if (fields && !fields->empty())
      if (const auto s = string_node(fields->back())) return std::string(*s);
  }
  if (n->type == "FuncCall")
    if (const auto name = function_name(*n->body)) return *name;
  if (n->type == "TypeCast")
    if (const json::value* arg = member(*n->body, "arg")) return derived_name(*arg);
  if (n->type == "CaseExpr") return "case";
  if (n->type == "CoalesceExpr") return "coalesce";
  return "?column?";
}

// The members of a SelectStmt the walk knows; any other member is a construct it would miss.
constexpr std::array<std::string_view, 20> select_members = {
    "distinctClause", "intoClause",   "targetList",    "fromClause",  "whereClause", "groupClause",
    "groupDistinct",  "havingClause", "windowClause",  "valuesLists", "sortClause",  "limitOffset",
    "limitCount",     "limitOption",  "lockingClause", "withClause",  "op",          "all",
    "larg",           "rarg"};

bool allowed_operator(std::string_view kind, std::string_view op) {
  static constexpr std::array<std::string_view, 12> arithmetic_and_comparison = {
      "=", "<>", "<", ">", "<=", ">=", "+", "-", "*", "/", "%", "||"};
  if (kind == "AEXPR_OP")
    return std::find(arithmetic_and_comparison.begin(), arithmetic_and_comparison.end(), op) !=
           arithmetic_and_comparison.end();
  if (kind == "AEXPR_IN") return op == "=" || op == "<>";
  if (kind == "AEXPR_LIKE") return op == "~~" || op == "!~~";
  if (kind == "AEXPR_ILIKE") return op == "~~*" || op == "!~~*";
  if (kind == "AEXPR_BETWEEN" || kind == "AEXPR_NOT_BETWEEN")
    return op == "BETWEEN" || op == "NOT BETWEEN";
  if (kind == "AEXPR_DISTINCT" || kind == "AEXPR_NOT_DISTINCT" || kind == "AEXPR_NULLIF")
    return op == "=";
  return false;
}

// Names of node types for messages about constructs the check does not support.
std::string describe(std::string_view type) {
  if (type == "A_ArrayExpr") return "ARRAY[...] constructors";
  if (type == "A_Indirection") return "subscripts and field selection";
  if (type == "CollateClause") return "COLLATE";
  if (type == "RowExpr") return "row constructors";
  if (type == "GroupingFunc") return "GROUPING()";
  if (type == "ParamRef") return "positional parameters ($1)";
  if (type == "NamedArgExpr") return "named function arguments";
  if (type == "XmlExpr" || type == "XmlSerialize") return "XML functions";
  return "'" + std::string(type) + "' expressions";
}

// Functions whose result does not carry its arguments' values: COUNT(...) and
// COUNT(DISTINCT ...) only. Every other aggregate passes them on: a SUM, AVG, MIN, ... over a
// group of one row is the row's value (SUM(unicode(substr(email, 1, 1))) spells it out).
bool cuts_lineage(std::string_view name) {
  return name == "count";
}

class binder {
 public:
  binder(const query_facts& facts, bound_query& q) : facts_(facts), q_(q) {}

  std::optional<violation> fatal;

  // `named`: the block's output columns are referenced by name (a subquery in FROM, a WITH
  // query without a column list, and the first arm of a set operation there), so every name
  // must be one PostgreSQL and SQLite agree on, and each must be distinct.
  std::vector<output_column> select(const json::object& s, const bound_block* parent,
                                    const cte_def* ctes, int depth, bool top, bool named) {
    if (!enter(depth)) return {};
    for (const auto& m : s)
      if (std::find(select_members.begin(), select_members.end(), m.key()) == select_members.end())
        return fail(unsupported("SELECT with '" + std::string(m.key()) + "' is not supported"));
    if (member(s, "intoClause"))
      return fail(unsupported("SELECT INTO is not supported: a protected query only reads"));
    if (member(s, "lockingClause"))
      return fail(
          unsupported("FOR UPDATE/FOR SHARE is not supported: a protected query only "
                      "reads"));
    if (bool_member(s, "groupDistinct"))
      return fail(unsupported("GROUP BY DISTINCT is not supported"));
    if (string_member(s, "limitOption") == "LIMIT_OPTION_WITH_TIES")
      return fail(unsupported("FETCH ... WITH TIES is not supported"));

    const cte_def* env = ctes;
    if (const json::object* with = object_member(s, "withClause")) {
      if (bool_member(*with, "recursive"))
        return fail(unsupported("WITH RECURSIVE is not supported"));
      if (const json::array* list = list_member(*with, "ctes")) {
        env = with_clause(*list, parent, env, depth);
        if (fatal) return {};
      }
    }

    const std::string_view op = string_member(s, "op");
    if (!op.empty() && op != "SETOP_NONE") return set_operation(s, parent, env, depth, named);
    if (const json::array* values = list_member(s, "valuesLists"))
      return values_list(*values, parent, env, depth);

    bound_block& b = new_block(parent);
    b.stmt = &s;
    if (top) q_.top = &b;

    if (const json::array* from = list_member(s, "fromClause"))
      for (const json::value& item : *from) from_item(item, b, env, depth + 1);
    if (const json::value* where = member(s, "whereClause")) expr(*where, b, env, depth + 1);
    if (const json::array* targets = list_member(s, "targetList"))
      for (const json::value& t : *targets) target(t, b, env, depth + 1, named);
    if (named && !distinct_names(b.outputs, "the select list of a subquery or WITH query"))
      return {};
    if (const json::array* group = list_member(s, "groupClause"))
      for (const json::value& g : *group) group_item(g, b, env, depth + 1);
    if (const json::value* having = member(s, "havingClause")) expr(*having, b, env, depth + 1);
    if (const json::array* windows = list_member(s, "windowClause"))
      for (const json::value& w : *windows) window(w, b, env, depth + 1);
    if (const json::array* distinct = list_member(s, "distinctClause"))
      for (const json::value& d : *distinct)
        if (as_node(d)) expr(d, b, env, depth + 1);  // DISTINCT ON (...); plain DISTINCT is {}
    if (const json::array* sort = list_member(s, "sortClause"))
      for (const json::value& item : *sort) sort_item(item, b, b.outputs, env, depth + 1);
    limits(s, b, env, depth);
    if (fatal) return {};
    return b.outputs;
  }

 private:
  bool enter(int depth) {
    if (fatal) return false;
    if (depth > max_tree_depth) {
      fatal = unsupported("The query is nested too deeply (more than " +
                          std::to_string(max_tree_depth) + " levels)");
      return false;
    }
    if (++nodes_ > max_tree_nodes) {
      fatal = violation{code_query_too_large, "The query has more than " +
                                                  std::to_string(max_tree_nodes) + " syntax nodes"};
      return false;
    }
    return true;
  }

  std::vector<output_column> fail(violation v) {
    if (!fatal) fatal = std::move(v);
    return {};
  }

  lineage fail_expr(violation v) {
    fail(std::move(v));
    return {};
  }

  // Blocks live as long as the bound query: nested blocks keep pointers to their parents.
  bound_block& new_block(const bound_block* parent) {
    q_.blocks.push_back(std::make_unique<bound_block>());
    q_.blocks.back()->parent = parent;
    return *q_.blocks.back();
  }

  static violation unexpected() { return unsupported("unexpected SQL parse tree"); }

  void column_problem(const char* code, std::string message) {
    if (!q_.column_error) q_.column_error = violation{code, std::move(message)};
  }

  // The WITH queries of one WITH clause, bound in order onto `env`; returns the new scope.
  // SQLite reads a WITH query's own name in its body as a recursive reference (RECURSIVE or
  // not) and lets a body read the WITH queries defined after it, where PostgreSQL sees an outer
  // table or WITH query of that name. So neither is allowed, nor is a name that shadows a table
  // or a WITH query in scope: each name then means one thing to both.
  const cte_def* with_clause(const json::array& list, const bound_block* parent, const cte_def* env,
                             int depth) {
    std::vector<std::pair<const json::object*, std::string>> ctes;
    for (const json::value& item : list) {
      const auto cte = as_node(item);
      if (!cte || cte->type != "CommonTableExpr") return fail_scope(unexpected());
      ctes.emplace_back(cte->body, std::string(string_member(*cte->body, "ctename")));
    }
    for (std::size_t i = 0; i < ctes.size(); ++i) {
      const auto& [body, name] = ctes[i];
      for (const schema_fact& table : facts_.schemas)
        if (iequals(table.name, name))
          return fail_scope(unsupported("WITH query '" + name + "' has the name of a table of " +
                                        "the collaboration: give it another name"));
      bool taken = false;
      for (const cte_def* c = env; c && !taken; c = c->next) taken = iequals(c->name, name);
      for (const pending_cte& p : pending_) taken = taken || iequals(p.name, name);
      for (std::size_t k = i + 1; k < ctes.size(); ++k)
        taken = taken || iequals(ctes[k].second, name);
      if (taken)
        return fail_scope(unsupported("WITH query '" + name +
                                      "' has the name of another WITH query in scope: give it "
                                      "another name"));
      const auto query = as_node(member(*body, "ctequery"));
      if (!query || query->type != "SelectStmt")
        return fail_scope(unsupported("a WITH query must be a SELECT"));
      ++q_.ctes;
      const json::array* names = list_member(*body, "aliascolnames");
      // While the body is bound, its own name and the later ones are off limits.
      const std::size_t mark = pending_.size();
      for (std::size_t k = i; k < ctes.size(); ++k) pending_.push_back({ctes[k].second, name});
      auto outputs = select(*query->body, parent, env, depth + 1, false, names == nullptr);
      pending_.resize(mark);
      if (fatal) return env;
      // SQLite needs exactly one name per column; PostgreSQL names the rest from the body.
      if (names && names->size() != outputs.size())
        return fail_scope(unsupported(
            "WITH query '" + name + "' has " + std::to_string(outputs.size()) + " columns but " +
            std::to_string(names->size()) + " names: name every column or none"));
      if (!rename(outputs, names, name)) return env;
      if (!distinct_names(outputs, "WITH query '" + name + "'")) return env;
      ctes_.push_back({name, std::move(outputs), env});
      env = &ctes_.back();
    }
    return env;
  }

  const cte_def* fail_scope(violation v) {
    fail(std::move(v));
    return nullptr;
  }

  // Refuses outputs of which two share a name (case-insensitively, as SQLite matches them):
  // SQLite binds such a name to the first column, and renames the second `x:1`.
  bool distinct_names(const std::vector<output_column>& outputs, const std::string& where) {
    for (std::size_t i = 0; i < outputs.size(); ++i)
      for (std::size_t k = 0; k < i; ++k)
        if (iequals(outputs[i].name, outputs[k].name)) {
          fail(unsupported("Column name '" + outputs[i].name + "' appears twice in " + where +
                           ": give each column a distinct name"));
          return false;
        }
    return true;
  }

  // Applies a column alias list `name(a, b)` to outputs.
  bool rename(std::vector<output_column>& outputs, const json::array* names,
              std::string_view owner) {
    if (!names) return true;
    if (names->size() > outputs.size()) {
      fail(unsupported("'" + std::string(owner) + "' has " + std::to_string(outputs.size()) +
                       " columns but " + std::to_string(names->size()) + " names"));
      return false;
    }
    for (std::size_t i = 0; i < names->size(); ++i)
      if (const auto s = string_node((*names)[i])) outputs[i].name = std::string(*s);
    return true;
  }

  std::vector<output_column> set_operation(const json::object& s, const bound_block* parent,
                                           const cte_def* env, int depth, bool named) {
    ++q_.set_operations;
    // larg and rarg are typed SelectStmt members: libpg_query writes them without the wrapper.
    const json::object* left = object_member(s, "larg");
    const json::object* right = object_member(s, "rarg");
    if (!left || !right) return fail(unexpected());
    // Its columns are named after its first arm's, in PostgreSQL and SQLite alike: the other
    // arms' names are never used.
    auto outputs = select(*left, parent, env, depth + 1, false, named);
    const auto rights = select(*right, parent, env, depth + 1, false, false);
    if (fatal) return {};
    if (outputs.size() != rights.size())
      return fail(unsupported(
          "Each side of " + set_keyword(s) + " must have the same number of columns (" +
          std::to_string(outputs.size()) + " and " + std::to_string(rights.size()) + ")"));
    for (std::size_t i = 0; i < outputs.size(); ++i)
      outputs[i].carried = union_of(std::move(outputs[i].carried), rights[i].carried);
    // ORDER BY and LIMIT of a set operation see its output columns only.
    bound_block& scope = new_block(parent);
    if (const json::array* sort = list_member(s, "sortClause"))
      for (const json::value& item : *sort) sort_item(item, scope, outputs, env, depth + 1);
    limits(s, scope, env, depth);
    if (fatal) return {};
    return outputs;
  }

  static std::string set_keyword(const json::object& s) {
    const std::string_view op = string_member(s, "op");
    if (op == "SETOP_INTERSECT") return "INTERSECT";
    if (op == "SETOP_EXCEPT") return "EXCEPT";
    return "UNION";
  }

  std::vector<output_column> values_list(const json::array& rows, const bound_block* parent,
                                         const cte_def* env, int depth) {
    ++q_.values_lists;
    bound_block& scope = new_block(parent);
    std::vector<output_column> outputs;
    for (const json::value& row : rows) {
      const auto list = as_node(row);
      const json::array* items = list ? list_member(*list->body, "items") : nullptr;
      if (!items) return fail(unexpected());
      if (outputs.empty())
        for (std::size_t i = 0; i < items->size(); ++i)
          outputs.push_back({"column" + std::to_string(i + 1), {}});
      if (items->size() != outputs.size())
        return fail(unsupported("VALUES lists must all have the same length"));
      for (std::size_t i = 0; i < items->size(); ++i)
        outputs[i].carried =
            union_of(std::move(outputs[i].carried), expr((*items)[i], scope, env, depth + 1));
    }
    if (fatal) return {};
    return outputs;
  }

  void limits(const json::object& s, bound_block& b, const cte_def* env, int depth) {
    if (const json::value* v = member(s, "limitCount")) expr(*v, b, env, depth + 1);
    if (const json::value* v = member(s, "limitOffset")) expr(*v, b, env, depth + 1);
  }

  void note_schema(std::size_t i) {
    if (std::find(q_.schemas.begin(), q_.schemas.end(), i) == q_.schemas.end())
      q_.schemas.push_back(i);
  }

  bool add_entry(bound_block& b, std::unique_ptr<range_entry> e) {
    if (!e->name.empty())
      for (const auto& other : b.entries)
        if (iequals(other->name, e->name)) {
          fail(unsupported("Table name '" + e->name +
                           "' appears twice in one FROM clause: give each an alias"));
          return false;
        }
    b.entries.push_back(std::move(e));
    return true;
  }

  void from_item(const json::value& v, bound_block& b, const cte_def* env, int depth) {
    if (!enter(depth)) return;
    const auto n = as_node(v);
    if (!n) return void(fail(unexpected()));
    if (n->type == "RangeVar") return range_var(*n->body, b, env);
    if (n->type == "RangeSubselect") return range_subselect(*n->body, b, env, depth);
    if (n->type == "JoinExpr") return join(*n->body, b, env, depth);
    if (n->type == "RangeFunction")
      return void(fail(unsupported("Table functions in FROM are not supported")));
    if (n->type == "RangeTableSample")
      return void(fail(unsupported("TABLESAMPLE is not supported")));
    fail(unsupported("'" + std::string(n->type) + "' in FROM is not supported"));
  }

  void range_var(const json::object& rv, bound_block& b, const cte_def* env) {
    const std::string_view rel = string_member(rv, "relname");
    const std::string_view schema = string_member(rv, "schemaname");
    const std::string_view catalog = string_member(rv, "catalogname");
    if (!schema.empty() || !catalog.empty()) {
      std::string full;
      for (const std::string_view part : {catalog, schema, rel})
        if (!part.empty()) full += (full.empty() ? "" : ".") + std::string(part);
      return void(
          fail({code_unknown_table, "Table '" + full + "' is not a schema of this collaboration"}));
    }
    if (!bool_member(rv, "inh")) return void(fail(unsupported("ONLY in FROM is not supported")));
    const json::object* alias = object_member(rv, "alias");
    auto e = std::make_unique<range_entry>();
    e->node = &rv;
    e->name = alias ? std::string(string_member(*alias, "aliasname")) : std::string(rel);
    const json::array* colnames = alias ? list_member(*alias, "colnames") : nullptr;

    for (const pending_cte& p : pending_)
      if (iequals(p.name, rel)) {
        if (iequals(p.name, p.reader))
          return void(fail(unsupported("WITH query '" + p.reader +
                                       "' refers to itself: recursive queries are not "
                                       "supported")));
        return void(fail(unsupported("WITH query '" + p.reader + "' refers to '" + p.name +
                                     "', which the same WITH defines after it: define '" + p.name +
                                     "' first")));
      }
    for (const cte_def* c = env; c; c = c->next)
      if (iequals(c->name, rel)) {
        std::vector<output_column> outputs = c->outputs;
        if (!rename(outputs, colnames, e->name)) return;
        for (auto& o : outputs) {
          e->columns.push_back(std::move(o.name));
          e->lineages.push_back(std::move(o.carried));
        }
        q_.ranges[&rv] = e.get();
        add_entry(b, std::move(e));
        return;
      }

    for (std::size_t i = 0; i < facts_.schemas.size(); ++i) {
      if (!iequals(facts_.schemas[i].name, rel)) continue;
      // Column aliases rename by position, and the engine's column order is not the check's.
      if (colnames)
        return void(fail(unsupported("Column aliases on table '" + facts_.schemas[i].name +
                                     "' are not supported: alias the columns in the select "
                                     "list")));
      e->schema = i;
      for (const std::string& c : facts_.schemas[i].columns) {
        e->columns.push_back(c);
        e->lineages.push_back({base_column{i, c}});
      }
      note_schema(i);
      q_.ranges[&rv] = e.get();
      add_entry(b, std::move(e));
      return;
    }
    fail({code_unknown_table,
          "Table '" + std::string(rel) + "' is not a schema of this collaboration"});
  }

  void range_subselect(const json::object& rs, bound_block& b, const cte_def* env, int depth) {
    if (bool_member(rs, "lateral")) return void(fail(unsupported("LATERAL is not supported")));
    const auto sub = as_node(member(rs, "subquery"));
    if (!sub || sub->type != "SelectStmt") return void(fail(unexpected()));
    ++q_.subqueries;
    // Not LATERAL: the subquery sees the enclosing query's scope, not its FROM siblings.
    auto outputs = select(*sub->body, b.parent, env, depth + 1, false, true);
    if (fatal) return;
    const json::object* alias = object_member(rs, "alias");
    auto e = std::make_unique<range_entry>();
    e->node = &rs;
    if (alias) e->name = std::string(string_member(*alias, "aliasname"));
    if (!rename(outputs, alias ? list_member(*alias, "colnames") : nullptr, e->name)) return;
    if (!distinct_names(outputs, "subquery '" + e->name + "'")) return;
    for (auto& o : outputs) {
      e->columns.push_back(std::move(o.name));
      e->lineages.push_back(std::move(o.carried));
    }
    add_entry(b, std::move(e));
  }

  void join(const json::object& j, bound_block& b, const cte_def* env, int depth) {
    const std::string_view type = string_member(j, "jointype");
    if (type != "JOIN_INNER" && type != "JOIN_LEFT" && type != "JOIN_RIGHT" && type != "JOIN_FULL")
      return void(fail(unsupported("'" + std::string(type) + "' joins are not supported")));
    if (member(j, "alias") || member(j, "join_using_alias"))
      return void(fail(unsupported("An alias on a JOIN is not supported")));
    const std::size_t first = b.entries.size();
    const json::value* larg = member(j, "larg");
    const json::value* rarg = member(j, "rarg");
    if (!larg || !rarg) return void(fail(unexpected()));
    from_item(*larg, b, env, depth + 1);
    const std::size_t mid = b.entries.size();
    from_item(*rarg, b, env, depth + 1);
    if (fatal) return;
    const std::size_t last = b.entries.size();

    std::vector<std::string> using_names;
    if (const json::array* names = list_member(j, "usingClause"))
      for (const json::value& n : *names)
        if (const auto s = string_node(n)) using_names.emplace_back(*s);
    if (bool_member(j, "isNatural")) using_names = common_names(b, first, mid, last);
    for (const std::string& name : using_names) merge(b, name, first, mid, last);
    if (const json::value* quals = member(j, "quals")) expr(*quals, b, env, depth + 1);
  }

  // The column names both sides of a NATURAL JOIN offer.
  static std::vector<std::string> common_names(const bound_block& b, std::size_t first,
                                               std::size_t mid, std::size_t last) {
    std::vector<std::string> out;
    for (std::size_t l = first; l < mid; ++l)
      for (const std::string& c : b.entries[l]->columns)
        for (std::size_t r = mid; r < last; ++r)
          for (const std::string& d : b.entries[r]->columns)
            if (iequals(c, d) &&
                std::none_of(out.begin(), out.end(), [&](const auto& o) { return iequals(o, c); }))
              out.push_back(c);
    return out;
  }

  // The sources of column `name` among entries [from, to): a merged column there, else the one
  // entry that has it.
  std::vector<std::pair<const range_entry*, std::size_t>> sources_of(const bound_block& b,
                                                                     std::string_view name,
                                                                     std::size_t from,
                                                                     std::size_t to) {
    auto in_range = [&](const range_entry* e) {
      for (std::size_t i = from; i < to; ++i)
        if (b.entries[i].get() == e) return true;
      return false;
    };
    for (const merged_column& m : b.merged)
      if (iequals(m.name, name) && !m.sources.empty() && in_range(m.sources.front().first))
        return m.sources;
    std::vector<std::pair<const range_entry*, std::size_t>> found;
    for (std::size_t i = from; i < to; ++i)
      for (std::size_t c = 0; c < b.entries[i]->columns.size(); ++c)
        if (iequals(b.entries[i]->columns[c], name)) found.emplace_back(b.entries[i].get(), c);
    return found;
  }

  void merge(bound_block& b, const std::string& name, std::size_t first, std::size_t mid,
             std::size_t last) {
    auto left = sources_of(b, name, first, mid);
    const auto right = sources_of(b, name, mid, last);
    if (left.empty() || right.empty())
      return column_problem(code_unknown_column, "Column '" + name +
                                                     "' of JOIN ... USING is "
                                                     "not a column of both sides of the join");
    if ((left.size() > 1 && !is_merged(b, left)) || (right.size() > 1 && !is_merged(b, right)))
      return column_problem(code_unknown_column, "Column '" + name +
                                                     "' of JOIN ... USING is "
                                                     "ambiguous on one side of the join");
    left.insert(left.end(), right.begin(), right.end());
    b.merged.erase(std::remove_if(b.merged.begin(), b.merged.end(),
                                  [&](const merged_column& m) {
                                    return iequals(m.name, name) &&
                                           std::any_of(left.begin(), left.end(), [&](auto& s) {
                                             return s == m.sources.front();
                                           });
                                  }),
                   b.merged.end());
    b.merged.push_back({name, std::move(left)});
  }

  static bool is_merged(const bound_block& b,
                        const std::vector<std::pair<const range_entry*, std::size_t>>& s) {
    return std::any_of(b.merged.begin(), b.merged.end(),
                       [&](const merged_column& m) { return m.sources == s; });
  }

  void target(const json::value& v, bound_block& b, const cte_def* env, int depth, bool named) {
    if (!enter(depth)) return;
    const auto rt = as_node(v);
    if (!rt || rt->type != "ResTarget") return void(fail(unexpected()));
    const json::value* val = member(*rt->body, "val");
    if (!val) return void(fail(unexpected()));
    if (const auto n = as_node(*val); n && n->type == "ColumnRef") {
      const json::array* fields = list_member(*n->body, "fields");
      if (fields && !fields->empty() && as_node(fields->back()) &&
          as_node(fields->back())->type == "A_Star")
        return star(*fields, b);
    }
    const std::string_view name = string_member(*rt->body, "name");
    // PostgreSQL names an expression `?column?` or after its function, SQLite after its text:
    // where the name is used, it must be given. A column reference is named after the column
    // by both.
    if (named && name.empty() && (!as_node(*val) || as_node(*val)->type != "ColumnRef"))
      return void(fail(unsupported(
          "Select-list expression " + std::to_string(b.outputs.size() + 1) +
          " of a subquery or WITH query needs an alias (AS name): PostgreSQL and SQLite name an "
          "unnamed expression differently")));
    lineage carried = expr(*val, b, env, depth + 1);
    b.outputs.push_back(
        {name.empty() ? derived_name(*val) : std::string(name), std::move(carried)});
  }

  // `*` or `t.*` in a select list: the columns the engine will produce for it.
  void star(const json::array& fields, bound_block& b) {
    if (fields.size() == 1) {
      if (b.entries.empty()) return void(fail(unsupported("SELECT * needs a FROM clause")));
      std::vector<const merged_column*> emitted;
      for (const auto& e : b.entries)
        for (std::size_t c = 0; c < e->columns.size(); ++c) {
          const merged_column* m = merged_source(b, e.get(), c);
          if (!m) {
            b.outputs.push_back({e->columns[c], e->lineages[c]});
          } else if (std::find(emitted.begin(), emitted.end(), m) == emitted.end()) {
            emitted.push_back(m);
            b.outputs.push_back({m->name, merged_lineage(*m)});
          }
        }
      return;
    }
    const auto qualifier = fields.size() == 2 ? string_node(fields[0]) : std::nullopt;
    if (!qualifier) return void(fail(unsupported("'*' must be written as * or table.*")));
    for (const auto& e : b.entries)
      if (iequals(e->name, *qualifier)) {
        for (std::size_t c = 0; c < e->columns.size(); ++c)
          b.outputs.push_back({e->columns[c], e->lineages[c]});
        return;
      }
    column_problem(code_unknown_table,
                   "'" + std::string(*qualifier) + "' is not a table or alias of the FROM clause");
  }

  static const merged_column* merged_source(const bound_block& b, const range_entry* e,
                                            std::size_t c) {
    for (const merged_column& m : b.merged)
      for (const auto& s : m.sources)
        if (s.first == e && s.second == c) return &m;
    return nullptr;
  }

  static lineage merged_lineage(const merged_column& m) {
    lineage out;
    for (const auto& [e, c] : m.sources) out = union_of(std::move(out), e->lineages[c]);
    return out;
  }

  void group_item(const json::value& v, bound_block& b, const cte_def* env, int depth) {
    if (!enter(depth)) return;
    const auto n = as_node(v);
    if (!n) return void(fail(unexpected()));
    if (n->type == "GroupingSet")
      return void(fail(unsupported("ROLLUP, CUBE and GROUPING SETS are not supported")));
    if (is_integer_const(v)) return position(*n->body, b.outputs, "GROUP BY");
    // GROUP BY prefers an input column, then an output name (PostgreSQL's order).
    if (const auto name = single_name(*n->body, n->type)) {
      if (resolve_quietly(*n->body, b)) return;
      if (bind_output(*n->body, *name, b.outputs)) return;
    }
    expr(v, b, env, depth + 1);
  }

  void sort_item(const json::value& v, bound_block& b, const std::vector<output_column>& outputs,
                 const cte_def* env, int depth) {
    if (!enter(depth)) return;
    const auto sb = as_node(v);
    if (!sb || sb->type != "SortBy") return void(fail(unexpected()));
    if (member(*sb->body, "useOp"))
      return void(fail(unsupported("ORDER BY ... USING is not supported")));
    const json::value* node = member(*sb->body, "node");
    if (!node) return void(fail(unexpected()));
    const auto n = as_node(*node);
    if (!n) return void(fail(unexpected()));
    if (is_integer_const(*node)) return position(*n->body, outputs, "ORDER BY");
    // ORDER BY prefers an output name (PostgreSQL's order).
    if (const auto name = single_name(*n->body, n->type))
      if (bind_output(*n->body, *name, outputs)) return;
    expr(*node, b, env, depth + 1);
  }

  void position(const json::object& a_const, const std::vector<output_column>& outputs,
                const char* clause) {
    const std::int64_t p = *integer_constant(a_const);
    if (p < 1 || static_cast<std::size_t>(p) > outputs.size())
      fail(unsupported(std::string(clause) + " position " + std::to_string(p) +
                       " is not in the select list"));
  }

  static std::optional<std::string_view> single_name(const json::object& body,
                                                     std::string_view type) {
    if (type != "ColumnRef") return std::nullopt;
    const json::array* fields = list_member(body, "fields");
    if (!fields || fields->size() != 1) return std::nullopt;
    return string_node((*fields)[0]);
  }

  bool bind_output(const json::object& column_ref, std::string_view name,
                   const std::vector<output_column>& outputs) {
    for (std::size_t i = 0; i < outputs.size(); ++i)
      if (iequals(outputs[i].name, name)) {
        column_binding binding;
        binding.output = i;
        q_.columns[&column_ref] = binding;
        return true;
      }
    return false;
  }

  // A WindowDef node (WINDOW clause) or body (a function's typed `over` member).
  void window(const json::value& v, bound_block& b, const cte_def* env, int depth) {
    if (!enter(depth)) return;
    const auto w = as_node(v);
    const json::object* body = w && w->type == "WindowDef" ? w->body : v.if_object();
    if (!body) return void(fail(unexpected()));
    if (const json::array* parts = list_member(*body, "partitionClause"))
      for (const json::value& p : *parts) expr(p, b, env, depth + 1);
    if (const json::array* order = list_member(*body, "orderClause"))
      for (const json::value& o : *order) sort_item(o, b, {}, env, depth + 1);
    for (const char* offset : {"startOffset", "endOffset"})
      if (const json::value* o = member(*body, offset)) expr(*o, b, env, depth + 1);
  }

  lineage expr(const json::value& v, bound_block& b, const cte_def* env, int depth) {
    if (!enter(depth)) return {};
    const auto n = as_node(v);
    if (!n) return fail_expr(unexpected());
    const json::object& body = *n->body;
    const std::string_view type = n->type;
    auto sub = [&](const char* key) -> lineage {
      const json::value* m = member(body, key);
      return m ? expr(*m, b, env, depth + 1) : lineage{};
    };
    auto subs = [&](const char* key) -> lineage {
      lineage out;
      if (const json::array* items = list_member(body, key))
        for (const json::value& item : *items)
          out = union_of(std::move(out), expr(item, b, env, depth + 1));
      return out;
    };
    if (type == "ColumnRef") return column_ref(body, b);
    if (type == "A_Const" || type == "SQLValueFunction") return {};
    if (type == "A_Expr") {
      const std::string_view kind = string_member(body, "kind");
      const json::array* names = list_member(body, "name");
      const auto op = names && names->size() == 1 ? string_node((*names)[0]) : std::nullopt;
      if (!op || !allowed_operator(kind, *op))
        return fail_expr(
            unsupported("The operator '" + std::string(op ? *op : "?") + "' is not supported"));
      return union_of(sub("lexpr"), sub("rexpr"));
    }
    if (type == "BoolExpr" || type == "CoalesceExpr" || type == "MinMaxExpr") return subs("args");
    if (type == "List") return subs("items");
    if (type == "NullTest" || type == "BooleanTest" || type == "TypeCast") return sub("arg");
    if (type == "CaseExpr") return union_of(union_of(sub("arg"), subs("args")), sub("defresult"));
    if (type == "CaseWhen") return union_of(sub("expr"), sub("result"));
    if (type == "FuncCall") return func_call(body, b, env, depth);
    if (type == "SubLink") return sublink(body, b, env, depth);
    if (type == "SortBy") {
      if (member(body, "useOp")) return fail_expr(unsupported("ORDER BY ... USING"));
      return sub("node");
    }
    return fail_expr(unsupported(describe(type) + " are not supported"));
  }

  lineage func_call(const json::object& f, bound_block& b, const cte_def* env, int depth) {
    const auto name = function_name(f);
    if (!name) return fail_expr(unsupported("Schema-qualified function names are not supported"));
    if (bool_member(f, "func_variadic"))
      return fail_expr(unsupported("VARIADIC arguments are not supported"));
    lineage args;
    if (const json::array* list = list_member(f, "args"))
      for (const json::value& a : *list)
        args = union_of(std::move(args), expr(a, b, env, depth + 1));
    for (const char* key : {"agg_order", "agg_filter"})
      if (const json::value* m = member(f, key)) {
        if (const json::array* items = m->if_array())
          for (const json::value& item : *items) expr(item, b, env, depth + 1);
        else
          expr(*m, b, env, depth + 1);
      }
    if (const json::value* over = member(f, "over")) {
      ++q_.window_functions;
      window(*over, b, env, depth + 1);
    }
    if (cuts_lineage(*name) || bool_member(f, "agg_star")) return {};
    return args;
  }

  lineage sublink(const json::object& s, bound_block& b, const cte_def* env, int depth) {
    const std::string_view type = string_member(s, "subLinkType");
    if (type != "EXISTS_SUBLINK" && type != "ANY_SUBLINK" && type != "ALL_SUBLINK" &&
        type != "EXPR_SUBLINK")
      return fail_expr(unsupported("This kind of subquery is not supported"));
    const auto query = as_node(member(s, "subselect"));
    if (!query || query->type != "SelectStmt") return fail_expr(unexpected());
    ++q_.subqueries;
    lineage carried;
    if (const json::value* test = member(s, "testexpr")) carried = expr(*test, b, env, depth + 1);
    const auto outputs = select(*query->body, &b, env, depth + 1, false, false);
    if (fatal) return {};
    if (type == "EXISTS_SUBLINK") return {};
    if (outputs.size() != 1)
      return fail_expr(unsupported("A subquery used as a value must return one column"));
    return union_of(std::move(carried), outputs[0].carried);
  }

  lineage column_ref(const json::object& c, bound_block& b) {
    const json::array* fields = list_member(c, "fields");
    if (!fields || fields->empty()) return fail_expr(unexpected());
    std::vector<std::string_view> names;
    for (const json::value& f : *fields) {
      const auto s = string_node(f);
      if (!s) {
        if (as_node(f) && as_node(f)->type == "A_Star")
          return fail_expr(unsupported("'*' is allowed only in a select list and in COUNT(*)"));
        return fail_expr(unexpected());
      }
      names.push_back(*s);
    }
    if (names.size() > 2) {
      std::string table(names[0]);
      for (std::size_t i = 1; i + 1 < names.size(); ++i) table += "." + std::string(names[i]);
      column_problem(code_unknown_table,
                     "Table '" + table + "' is not a schema of this collaboration");
      return {};
    }
    auto found = resolve(c, names, b, true);
    return found ? *found : lineage{};
  }

  bool resolve_quietly(const json::object& c, const bound_block& b) {
    const json::array* fields = list_member(c, "fields");
    const auto name = fields && fields->size() == 1 ? string_node((*fields)[0]) : std::nullopt;
    return name && resolve(c, {*name}, b, false).has_value();
  }

  // Binds ColumnRef `c` named `names` (column, or table + column) in block `b` or, failing
  // that, an enclosing query. `report`: record a column problem when it cannot be bound.
  std::optional<lineage> resolve(const json::object& c, const std::vector<std::string_view>& names,
                                 const bound_block& b, bool report) {
    const std::string_view column = names.back();
    bool outer = false;
    for (const bound_block* s = &b; s; s = s->parent, outer = true) {
      if (names.size() == 2) {
        for (const auto& e : s->entries) {
          if (!iequals(e->name, names[0])) continue;
          std::optional<std::size_t> index;
          for (std::size_t i = 0; i < e->columns.size(); ++i) {
            if (!iequals(e->columns[i], column)) continue;
            if (index) return ambiguous(column, *e, *e, report);
            index = i;
          }
          if (index) return bind(c, e.get(), *index, outer);
          if (report)
            column_problem(code_unknown_column,
                           "Column '" + std::string(column) + "' is not " + columns_of(*e));
          return std::nullopt;
        }
        continue;
      }
      // Each column of that name must be the one column or the one USING column: SQLite, like
      // PostgreSQL, reads any two as ambiguous, and within one derived table it would take the
      // first of two rather than report it.
      const merged_column* merged = nullptr;
      for (const merged_column& m : s->merged)
        if (iequals(m.name, column)) {
          if (merged)
            return ambiguous(column, *m.sources.front().first, *merged->sources.front().first,
                             report);
          merged = &m;
        }
      const range_entry* match = nullptr;
      std::size_t index = 0;
      for (const auto& e : s->entries)
        for (std::size_t i = 0; i < e->columns.size(); ++i) {
          if (!iequals(e->columns[i], column)) continue;
          if (merged) {
            const auto source = std::make_pair(static_cast<const range_entry*>(e.get()), i);
            if (std::find(merged->sources.begin(), merged->sources.end(), source) ==
                merged->sources.end())
              return ambiguous(column, *merged->sources.front().first, *e, report);
            continue;
          }
          if (match) return ambiguous(column, *match, *e, report);
          match = e.get();
          index = i;
        }
      if (merged) {
        bind(c, merged->sources.front().first, merged->sources.front().second, outer);
        return merged_lineage(*merged);
      }
      if (match) return bind(c, match, index, outer);
    }
    if (!report) return std::nullopt;
    if (names.size() == 2) {
      column_problem(code_unknown_table, "'" + std::string(names[0]) +
                                             "' is not a table or alias of the FROM clause (in '" +
                                             std::string(names[0]) + "." + std::string(column) +
                                             "')");
    } else if (b.entries.size() == 1) {
      column_problem(code_unknown_column,
                     "Column '" + std::string(column) + "' is not " + columns_of(*b.entries[0]));
    } else {
      std::string tables;
      for (const auto& e : b.entries) tables += (tables.empty() ? "'" : ", '") + e->name + "'";
      column_problem(code_unknown_column,
                     "Column '" + std::string(column) +
                         "' is not a column of any table of the "
                         "query" +
                         (tables.empty() ? std::string() : " (" + tables + ")"));
    }
    return std::nullopt;
  }

  std::optional<lineage> ambiguous(std::string_view column, const range_entry& a,
                                   const range_entry& b, bool report) {
    if (report)
      column_problem(code_unknown_column,
                     "Column reference '" + std::string(column) + "' is ambiguous: " +
                         (&a == &b ? "'" + a.name + "' has two columns of that name"
                                   : "it is a column of '" + a.name + "' and of '" + b.name +
                                         "'; qualify it"));
    return std::nullopt;
  }

  std::string columns_of(const range_entry& e) const {
    if (e.schema) return "an allowed column of table '" + facts_.schemas[*e.schema].name + "'";
    return "a column of '" + e.name + "'";
  }

  lineage bind(const json::object& c, const range_entry* e, std::size_t i, bool outer) {
    column_binding binding;
    binding.entry = e;
    binding.column = i;
    binding.outer = outer;
    q_.columns[&c] = binding;
    return e->lineages[i];
  }

  // A WITH query being bound (`reader`) and a name its body must not read: its own, or one
  // the same WITH defines after it.
  struct pending_cte {
    std::string name;
    std::string reader;
  };

  const query_facts& facts_;
  bound_query& q_;
  std::deque<cte_def> ctes_;
  std::vector<pending_cte> pending_;
  std::size_t nodes_ = 0;
};

}  // namespace

bool is_aggregate_name(std::string_view n) {
  static constexpr std::array<std::string_view, 40> names = {"count",
                                                             "sum",
                                                             "avg",
                                                             "min",
                                                             "max",
                                                             "stddev",
                                                             "stddev_pop",
                                                             "stddev_samp",
                                                             "variance",
                                                             "var_pop",
                                                             "var_samp",
                                                             "total",
                                                             "corr",
                                                             "covar_pop",
                                                             "covar_samp",
                                                             "regr_slope",
                                                             "regr_intercept",
                                                             "regr_count",
                                                             "regr_r2",
                                                             "regr_avgx",
                                                             "regr_avgy",
                                                             "bool_and",
                                                             "bool_or",
                                                             "every",
                                                             "bit_and",
                                                             "bit_or",
                                                             "string_agg",
                                                             "array_agg",
                                                             "listagg",
                                                             "group_concat",
                                                             "any_value",
                                                             "median",
                                                             "mode",
                                                             "percentile_cont",
                                                             "percentile_disc",
                                                             "json_agg",
                                                             "jsonb_agg",
                                                             "json_group_array",
                                                             "approx_count_distinct",
                                                             "xmlagg"};
  return std::find(names.begin(), names.end(), n) != names.end();
}

result<bound_query, violation> bind(const json::object& select, const query_facts& facts) {
  bound_query q;
  binder b(facts, q);
  q.outputs = b.select(select, nullptr, nullptr, 1, true, false);
  if (b.fatal) return *b.fatal;
  return q;
}

}  // namespace crs::query::sql
