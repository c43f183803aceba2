// A minimal streaming JSON writer for read models: rows are rendered once per write and served
// as-is, so rendering writes text directly (exact epoch-second timestamps, no value trees).
// Input strings are valid UTF-8 (the request parser guarantees it); only JSON's mandatory
// escapes are applied.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace crs::projections {

class json_writer {
 public:
  // Most rows fit: one allocation where doubling from the small-string buffer made four.
  json_writer() { out_.reserve(128); }
  json_writer& begin_object() { return open('{'); }
  json_writer& end_object() { return close('}'); }
  json_writer& begin_array() { return open('['); }
  json_writer& end_array() { return close(']'); }
  json_writer& key(std::string_view k) {
    comma();
    quoted(k);
    out_ += ':';
    after_key_ = true;
    return *this;
  }
  // A key spelled in the code (a member name) needs no escape scan: appended whole.
  template <std::size_t N>
  json_writer& key(const char (&k)[N]) {
    comma();
    out_ += '"';
    out_.append(k, N - 1);
    out_.append("\":", 2);
    after_key_ = true;
    return *this;
  }
  // A writable array may hold data (and bytes past its end): it must go through the escaping
  // overload, as a std::string_view.
  template <std::size_t N>
  json_writer& key(char (&k)[N]) = delete;
  json_writer& string(std::string_view v) {
    comma();
    quoted(v);
    return *this;
  }
  json_writer& boolean(bool v) {
    comma();
    out_ += v ? "true" : "false";
    return *this;
  }
  json_writer& number(std::int64_t v) {
    comma();
    out_ += std::to_string(v);
    return *this;
  }
  // Epoch milliseconds as epoch seconds with millisecond precision ("1732147200.123").
  json_writer& timestamp(std::int64_t ms) {
    comma();
    const std::int64_t s = ms / 1000, frac = ms % 1000 < 0 ? -(ms % 1000) : ms % 1000;
    char buf[32];
    auto end = std::to_chars(buf, buf + sizeof buf - 4, s).ptr;
    *end++ = '.';
    *end++ = static_cast<char>('0' + frac / 100);
    *end++ = static_cast<char>('0' + frac / 10 % 10);
    *end++ = static_cast<char>('0' + frac % 10);
    out_.append(buf, end);
    return *this;
  }
  // Already-rendered JSON (a row), inserted as one value.
  json_writer& raw(std::string_view json) {
    comma();
    out_ += json;
    return *this;
  }
  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

  // Runs of bytes that need no escape are appended whole: rendering rows is most of a rebuild's
  // CPU, and a push_back per byte was the top self-time in its profile.
  static void escape_into(std::string& out, std::string_view s) {
    std::size_t plain = 0;  // where the pending run of unescaped bytes starts
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out.append(s.data() + plain, i - plain);
      plain = i + 1;
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default: {
          static constexpr char hex[] = "0123456789abcdef";
          const char u[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
          out.append(u, sizeof u);
        }
      }
    }
    out.append(s.data() + plain, s.size() - plain);
  }

 private:
  json_writer& open(char c) {
    comma();
    out_ += c;
    first_ = true;
    return *this;
  }
  json_writer& close(char c) {
    out_ += c;
    first_ = false;
    return *this;
  }
  void comma() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_) out_ += ',';
    first_ = false;
  }
  void quoted(std::string_view s) {
    out_ += '"';
    escape_into(out_, s);
    out_ += '"';
  }
  std::string out_;
  bool first_ = true;
  bool after_key_ = false;
};

}  // namespace crs::projections
