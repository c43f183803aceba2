// A minimal streaming JSON writer for read models: rows are rendered once per write and served
// as-is, so rendering writes text directly (exact epoch-second timestamps, no value trees).
// Input strings are valid UTF-8 (the request parser guarantees it); only JSON's mandatory
// escapes are applied.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace crs::projections {

class json_writer {
 public:
  // The text is built in a buffer reused by this thread's writers, so a row costs one exact
  // allocation in take() where growing a fresh string made three or four (a membership row is
  // ~800 bytes), and the rows kept in memory carry no spare capacity.
  json_writer() : out_(acquire()) {}
  ~json_writer() { release(std::move(out_)); }
  json_writer(const json_writer&) = delete;
  json_writer& operator=(const json_writer&) = delete;
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
  // An exact-size copy of a row; a large text (a page of a list) is moved out whole instead.
  std::string take() {
    if (out_.size() > kept_capacity / 4) return std::move(out_);
    return std::string(out_);
  }

  // Runs of bytes that need no escape are appended whole: rendering rows is most of a rebuild's
  // CPU, and a push_back per byte was the top self-time in its profile.
  static void escape_into(std::string& out, std::string_view s) {
    std::size_t plain = 0;  // where the pending run of unescaped bytes starts
    for (std::size_t i = 0; i < s.size(); ++i) {
      // Eight bytes at a time: ids and ARNs, most of what is written, never need an escape.
      while (s.size() - i >= 8 && plain8(s.data() + i)) i += 8;
      if (i == s.size()) break;
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
  static constexpr std::size_t kept_capacity = 16384;  // larger buffers are not pooled
  static std::vector<std::string>& pool() {
    thread_local std::vector<std::string> spare = [] {
      std::vector<std::string> v;
      v.reserve(8);
      return v;
    }();
    return spare;
  }
  static std::string acquire() {
    auto& spare = pool();
    std::string s;
    if (spare.empty()) {
      s.reserve(1024);
    } else {
      s = std::move(spare.back());
      spare.pop_back();
      s.clear();
      s.reserve(1024);  // a buffer whose text was moved out comes back small
    }
    return s;
  }
  static void release(std::string&& s) noexcept {
    auto& spare = pool();
    if (s.capacity() > kept_capacity || spare.size() >= 8 || spare.capacity() == spare.size())
      return;  // never allocates here: the destructor must not throw
    spare.push_back(std::move(s));
  }
  // True when none of the eight bytes at p needs an escape: none is below 0x20, '"' or '\\'.
  // (v - n*ones) & ~v & highs is non-zero exactly when some byte of v is below n (n <= 0x80).
  static bool plain8(const char* p) {
    constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    const std::uint64_t quote = v ^ (ones * '"'), backslash = v ^ (ones * '\\');
    const std::uint64_t hits =
        ((v - ones * 0x20) & ~v) | ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash);
    return (hits & highs) == 0;
  }
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
