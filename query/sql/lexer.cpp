#include "query/sql/lexer.hpp"

namespace crs::query::sql {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_identifier_start(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == '_' || u >= 0x80;
}

class scanner {
 public:
  explicit scanner(std::string_view sql) : s_(sql) {}

  lexed run() {
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (is_space(c)) {
        ++i_;
      } else if (starts("--")) {
        line_comment();
      } else if (starts("/*")) {
        block_comment();
      } else if (c == '\'') {
        quoted(token_kind::string, '\'', false);
      } else if (c == '"') {
        quoted(token_kind::quoted_identifier, '"', false);
      } else if (c == '$') {
        dollar();
      } else if (is_digit(c) || (c == '.' && i_ + 1 < s_.size() && is_digit(s_[i_ + 1]))) {
        number();
      } else if (is_identifier_start(c)) {
        word();
      } else {
        push(token_kind::punct, i_, i_ + 1);
        ++i_;
      }
    }
    return std::move(out_);
  }

 private:
  bool starts(std::string_view p) const { return s_.substr(i_, p.size()) == p; }

  void push(token_kind k, std::size_t b, std::size_t e) { out_.tokens.push_back({k, b, e}); }

  void problem(std::string what) {
    if (!out_.dialect_problem) out_.dialect_problem = std::move(what);
  }

  // PostgreSQL ends a line comment at LF or CR, SQLite only at LF: a lone CR would hide the rest
  // of the line from one of them.
  void line_comment() {
    while (i_ < s_.size() && s_[i_] != '\n') {
      if (s_[i_] == '\r') {
        if (i_ + 1 < s_.size() && s_[i_ + 1] == '\n') break;
        problem("a line comment ended by a carriage return without a line feed");
        break;
      }
      ++i_;
    }
  }

  // PostgreSQL nests block comments, SQLite does not.
  void block_comment() {
    std::size_t depth = 0;
    while (i_ < s_.size()) {
      if (starts("/*")) {
        if (++depth > 1) problem("a block comment nested in another ('/*' inside '/* ... */')");
        i_ += 2;
      } else if (starts("*/")) {
        i_ += 2;
        if (--depth == 0) return;
      } else {
        ++i_;
      }
    }
  }

  // '...' or "..." with the quote doubled inside; `backslash` for E'' strings.
  void quoted(token_kind kind, char q, bool backslash) {
    const std::size_t b = i_;
    ++i_;
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (backslash && c == '\\' && i_ + 1 < s_.size()) {
        i_ += 2;
      } else if (c == q) {
        if (i_ + 1 < s_.size() && s_[i_ + 1] == q) {
          i_ += 2;
        } else {
          ++i_;
          break;
        }
      } else {
        ++i_;
      }
    }
    push(kind, b, i_);
  }

  void dollar() {
    const std::size_t b = i_;
    std::size_t j = i_ + 1;
    if (j < s_.size() && is_digit(s_[j])) {
      while (j < s_.size() && is_digit(s_[j])) ++j;
      push(token_kind::parameter, b, j);
      i_ = j;
      return;
    }
    // $tag$ ... $tag$ (tag empty or an identifier without '$').
    while (j < s_.size() && is_identifier_char(s_[j]) && s_[j] != '$') ++j;
    if (j < s_.size() && s_[j] == '$' && (j == i_ + 1 || is_identifier_start(s_[i_ + 1]))) {
      const std::string_view tag = s_.substr(i_, j + 1 - i_);
      problem("a dollar-quoted string");
      const std::size_t close = s_.find(tag, j + 1);
      i_ = close == std::string_view::npos ? s_.size() : close + tag.size();
      push(token_kind::string, b, i_);
      return;
    }
    push(token_kind::punct, b, b + 1);
    ++i_;
  }

  void number() {
    const std::size_t b = i_;
    while (i_ < s_.size() && is_digit(s_[i_])) ++i_;
    if (i_ < s_.size() && s_[i_] == '.' && !(i_ + 1 < s_.size() && s_[i_ + 1] == '.')) {
      ++i_;
      while (i_ < s_.size() && is_digit(s_[i_])) ++i_;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      std::size_t j = i_ + 1;
      if (j < s_.size() && (s_[j] == '+' || s_[j] == '-')) ++j;
      if (j < s_.size() && is_digit(s_[j])) {
        while (j < s_.size() && is_digit(s_[j])) ++j;
        i_ = j;
      }
    }
    // PostgreSQL reads `0x1f` as 0 followed by the alias x1f, SQLite as a hex number.
    if (i_ < s_.size() && is_identifier_char(s_[i_]))
      problem("a number directly followed by a word ('" + std::string(s_.substr(b, i_ + 1 - b)) +
              "...')");
    push(token_kind::number, b, i_);
  }

  void word() {
    const std::size_t b = i_;
    while (i_ < s_.size() && is_identifier_char(s_[i_])) ++i_;
    const std::string_view w = s_.substr(b, i_ - b);
    if (i_ < s_.size() && s_[i_] == '\'' && w.size() == 1 && ascii_lower(w[0]) == 'e') {
      problem("an escape string constant (E'...')");
      quoted(token_kind::string, '\'', true);
      out_.tokens.back().begin = b;
      return;
    }
    if (w.size() == 1 && ascii_lower(w[0]) == 'u' && i_ + 1 < s_.size() && s_[i_] == '&' &&
        (s_[i_ + 1] == '\'' || s_[i_ + 1] == '"')) {
      problem("a Unicode escape literal (U&'...')");
      ++i_;
      quoted(s_[i_] == '\'' ? token_kind::string : token_kind::quoted_identifier, s_[i_], false);
      out_.tokens.back().begin = b;
      return;
    }
    push(token_kind::word, b, i_);
  }

  std::string_view s_;
  std::size_t i_ = 0;
  lexed out_;
};

}  // namespace

lexed lex(std::string_view sql) {
  return scanner(sql).run();
}

bool is_word(const token& t, std::string_view sql, std::string_view lower_word) {
  if (t.kind != token_kind::word || t.end - t.begin != lower_word.size()) return false;
  for (std::size_t i = 0; i < lower_word.size(); ++i)
    if (ascii_lower(sql[t.begin + i]) != lower_word[i]) return false;
  return true;
}

}  // namespace crs::query::sql
