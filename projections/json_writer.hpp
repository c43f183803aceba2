// A minimal streaming JSON writer for read models: rows are rendered once per write and served
// as-is, so rendering writes text directly (exact epoch-second timestamps, no value trees).
// Input strings are valid UTF-8 (the request parser guarantees it); only JSON's mandatory
// escapes are applied.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace crs::projections {

class json_writer {
 public:
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
    char buf[32];
    const std::int64_t s = ms / 1000, frac = ms % 1000;
    std::snprintf(buf, sizeof buf, "%lld.%03lld", static_cast<long long>(s),
                  static_cast<long long>(frac < 0 ? -frac : frac));
    out_ += buf;
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

  static void escape_into(std::string& out, std::string_view s) {
    for (unsigned char c : s) {
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
        default:
          if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
          } else {
            out += static_cast<char>(c);
          }
      }
    }
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
