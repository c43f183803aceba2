// A small SQL lexer: tokens with byte offsets, strings, quoted identifiers and comments told
// apart the way PostgreSQL's scanner does. The rule check never reads SQL with it (that is the
// parse tree's job); it finds places in the text: `:name` placeholders outside strings and
// comments, the top-level FROM keyword after the select list, the LIMIT clause.
//
// It also reports the constructs PostgreSQL (which the check parses with) and SQLite (which
// runs the query) would read differently, because a check of one text that the engine reads
// as another is no check: nested block comments, line comments ended by a lone CR,
// dollar-quoted strings, E'' and U&'' literals, numbers glued to a following word.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crs::query::sql {

enum class token_kind : std::uint8_t {
  word,               // identifier or keyword
  quoted_identifier,  // "..."
  string,             // '...', E'...', $tag$...$tag$
  number,
  parameter,  // $1
  punct,      // one character: ( ) , ; . : and operator characters
};

struct token {
  token_kind kind = token_kind::punct;
  std::size_t begin = 0;
  std::size_t end = 0;  // one past the last byte
};

struct lexed {
  std::vector<token> tokens;
  // The first construct PostgreSQL and SQLite read differently, described for a message.
  std::optional<std::string> dialect_problem;
};

[[nodiscard]] lexed lex(std::string_view sql);

// True when `t` is the word `lower_word` (ASCII case-insensitive; `lower_word` is lower case).
[[nodiscard]] bool is_word(const token& t, std::string_view sql, std::string_view lower_word);

// True when `t` is the one-character punctuation `c`.
[[nodiscard]] inline bool is_punct(const token& t, std::string_view sql, char c) {
  return t.kind == token_kind::punct && sql[t.begin] == c;
}

// ASCII case folding, the one way names are compared here: SQLite, which runs the query,
// matches identifiers ignoring ASCII case only.
[[nodiscard]] inline char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
[[nodiscard]] inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}
[[nodiscard]] inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

// Characters that may continue an identifier in both dialects (bytes >= 0x80 included, as
// both scanners take them for identifier characters).
[[nodiscard]] inline bool is_identifier_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' ||
         u == '$' || u >= 0x80;
}

}  // namespace crs::query::sql
