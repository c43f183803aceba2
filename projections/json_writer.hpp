// A minimal streaming JSON writer for read models: rows are rendered once per write and served
// as-is, so rendering writes text directly (exact epoch-second timestamps, no value trees).
// Input strings are valid UTF-8 (the request parser guarantees it); only JSON's mandatory
// escapes are applied.
#pragma once

#include <algorithm>
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
  // ~800 bytes), and the rows kept in memory carry no spare capacity. The buffer is written
  // through a raw cursor, not std::string::append: a row is dozens of short pieces, and the
  // append call per piece (with its capacity check) was a tenth of a simulator step
  // (callgrind, sim/README.md).
  json_writer() : buf_(acquire()), len_(0) {}
  ~json_writer() { release(std::move(buf_)); }
  json_writer(const json_writer&) = delete;
  json_writer& operator=(const json_writer&) = delete;
  json_writer& begin_object() { return open('{'); }
  json_writer& end_object() { return close('}'); }
  json_writer& begin_array() { return open('['); }
  json_writer& end_array() { return close(']'); }
  json_writer& key(std::string_view k) {
    comma();
    quoted(k);
    put(':');
    after_key_ = true;
    return *this;
  }
  // A key spelled in the code (a member name) needs no escape scan: appended whole.
  template <std::size_t N>
  json_writer& key(const char (&k)[N]) {
    comma();
    char* p = room(N + 2);
    *p = '"';
    std::memcpy(p + 1, k, N - 1);
    p[N] = '"';
    p[N + 1] = ':';
    len_ += N + 2;
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
    if (v)
      put("true", 4);
    else
      put("false", 5);
    return *this;
  }
  json_writer& number(std::int64_t v) {
    comma();
    char* p = room(24);
    len_ = static_cast<std::size_t>(std::to_chars(p, p + 24, v).ptr - buf_.data());
    return *this;
  }
  // Epoch milliseconds as epoch seconds with millisecond precision ("1732147200.123").
  json_writer& timestamp(std::int64_t ms) {
    comma();
    const std::int64_t s = ms / 1000, frac = ms % 1000 < 0 ? -(ms % 1000) : ms % 1000;
    char* p = room(32);
    char* end = std::to_chars(p, p + 28, s).ptr;
    *end++ = '.';
    *end++ = static_cast<char>('0' + frac / 100);
    *end++ = static_cast<char>('0' + frac / 10 % 10);
    *end++ = static_cast<char>('0' + frac % 10);
    len_ = static_cast<std::size_t>(end - buf_.data());
    return *this;
  }
  // Already-rendered JSON (a row), inserted as one value.
  json_writer& raw(std::string_view json) {
    comma();
    put(json.data(), json.size());
    return *this;
  }
  // Members already rendered ("a":1,"b":2, no braces) inside the open object, not after a key.
  // No text passed to a writer may point into its own buffer (str()): a write may move it.
  json_writer& members(std::string_view rendered) {
    if (rendered.empty()) return *this;
    comma();
    put(rendered.data(), rendered.size());
    return *this;
  }
  std::string_view str() const { return {buf_.data(), len_}; }
  // An exact-size copy of a row; a large text (a page of a list) is moved out whole instead.
  std::string take() {
    if (len_ <= kept_capacity / 4) return std::string(buf_.data(), len_);
    buf_.resize(len_);
    len_ = 0;
    return std::move(buf_);
  }

  // Runs of bytes that need no escape are appended whole: rendering rows is most of a rebuild's
  // CPU, and a push_back per byte was the top self-time in its profile.
  static void escape_into(std::string& out, std::string_view s) {
    escape(s, [&](const char* p, std::size_t n) { out.append(p, n); });
  }

 private:
  static constexpr std::size_t kept_capacity = 16384;  // larger buffers are not pooled
  static constexpr std::size_t initial_capacity = 1024;
  // Calls sink(bytes, count) for each run of `s` as JSON writes it inside quotes.
  template <class Sink>
  static void escape(std::string_view s, Sink&& sink) {
    std::size_t plain = 0;  // where the pending run of unescaped bytes starts
    for (std::size_t i = 0; i < s.size(); ++i) {
      // Eight bytes at a time: ids and ARNs, most of what is written, never need an escape.
      while (s.size() - i >= 8 && plain8(s.data() + i)) i += 8;
      if (i == s.size()) break;
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      if (i > plain) sink(s.data() + plain, i - plain);
      plain = i + 1;
      switch (c) {
        case '"':
          sink("\\\"", 2);
          break;
        case '\\':
          sink("\\\\", 2);
          break;
        case '\n':
          sink("\\n", 2);
          break;
        case '\r':
          sink("\\r", 2);
          break;
        case '\t':
          sink("\\t", 2);
          break;
        default: {
          static constexpr char hex[] = "0123456789abcdef";
          const char u[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
          sink(u, sizeof u);
        }
      }
    }
    // Never a zero-length run: an empty view's data() may be null, and memcpy must not see it.
    if (s.size() > plain) sink(s.data() + plain, s.size() - plain);
  }
  static std::vector<std::string>& pool() {
    thread_local std::vector<std::string> spare = [] {
      std::vector<std::string> v;
      v.reserve(8);
      return v;
    }();
    return spare;
  }
  // A buffer whose whole size is writable space (len_ says how much is text).
  static std::string acquire() {
    auto& spare = pool();
    if (spare.empty()) return std::string(initial_capacity, '\0');
    std::string s = std::move(spare.back());
    spare.pop_back();
    if (s.size() < initial_capacity) s.resize(initial_capacity);
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
  // Space for n more bytes at the cursor; the caller advances len_ by what it wrote.
  char* room(std::size_t n) {
    if (buf_.size() - len_ < n) buf_.resize(std::max(buf_.size() * 2, len_ + n));
    return buf_.data() + len_;
  }
  void put(char c) {
    *room(1) = c;
    ++len_;
  }
  void put(const char* p, std::size_t n) {
    if (n == 0) return;  // p may be null (an empty view), which memcpy must not see
    std::memcpy(room(n), p, n);
    len_ += n;
  }
  json_writer& open(char c) {
    comma();
    put(c);
    first_ = true;
    return *this;
  }
  json_writer& close(char c) {
    put(c);
    first_ = false;
    return *this;
  }
  void comma() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_) put(',');
    first_ = false;
  }
  void quoted(std::string_view s) {
    // At most six bytes out per byte in, plus the quotes: one check, then raw writes. Long
    // texts go piece by piece, so the worst case does not grow the buffer past pooling.
    if (s.size() <= 256) {
      char* start = room(s.size() * 6 + 2);
      char* p = start;
      *p++ = '"';
      escape(s, [&p](const char* q, std::size_t n) {
        std::memcpy(p, q, n);
        p += n;
      });
      *p++ = '"';
      len_ += static_cast<std::size_t>(p - start);
      return;
    }
    put('"');
    escape(s, [this](const char* q, std::size_t n) { put(q, n); });
    put('"');
  }
  std::string buf_;  // writable space: [0, len_) is the text so far
  std::size_t len_;
  bool first_ = true;
  bool after_key_ = false;
};

}  // namespace crs::projections
