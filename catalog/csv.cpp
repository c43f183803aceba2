#include "catalog/csv.hpp"

#include <exception>
#include <streambuf>

namespace crs::catalog::csv {

namespace {

using traits = std::char_traits<char>;

// The stream's buffer read byte by byte, with room to give back the bytes of a partial byte
// order mark. A failing read surfaces as an exception from the buffer (libstdc++'s filebuf
// throws), which next() turns into io_error.
class source {
 public:
  source(std::streambuf& buf, std::string& pending) : buf_(buf), pending_(pending) {}
  int peek() { return pending_.empty() ? buf_.sgetc() : traits::to_int_type(pending_.front()); }
  int bump() {
    if (pending_.empty()) return buf_.sbumpc();
    const int c = traits::to_int_type(pending_.front());
    pending_.erase(0, 1);
    return c;
  }

 private:
  std::streambuf& buf_;
  std::string& pending_;
};

bool is_line_end(int c) {
  return c == '\n' || c == '\r';
}

}  // namespace

record reader::next(const read_limits& limits) {
  record out;
  std::streambuf* buf = in_.rdbuf();
  if (!buf) {
    out.status = read_status::io_error;
    return out;
  }
  try {
    source src(*buf, pending_);
    const int eof = traits::eof();
    if (!started_) {
      started_ = true;
      static constexpr unsigned char bom[] = {0xEF, 0xBB, 0xBF};
      std::string seen;
      for (unsigned char b : bom) {
        if (src.peek() != traits::to_int_type(static_cast<char>(b))) break;
        seen += static_cast<char>(src.bump());
      }
      if (seen.size() < sizeof bom) pending_ = seen;  // not a mark: those bytes are data
    }
    for (int c = src.peek(); is_line_end(c); c = src.peek()) {
      src.bump();
      if (c == '\r' && src.peek() == '\n') src.bump();
      ++line_;
    }
    if (src.peek() == eof) return out;  // status end
    out.line = line_;
    std::size_t bytes = 0;
    // Counts one consumed byte of the record; false once the record is too long.
    const auto count = [&]() { return ++bytes <= limits.max_record_bytes; };
    const auto fail = [&](read_status s, std::size_t line) {
      out.status = s;
      out.line = line;
      return out;
    };
    for (;;) {
      std::string field;
      int c = src.peek();
      if (c == '"') {
        const std::size_t field_line = line_;
        src.bump();
        if (!count()) return fail(read_status::too_long, out.line);
        for (;;) {
          c = src.bump();
          if (c == eof) return fail(read_status::unclosed_quote, field_line);
          if (!count()) return fail(read_status::too_long, out.line);
          if (c == '"') {
            if (src.peek() != '"') break;
            src.bump();
            if (!count()) return fail(read_status::too_long, out.line);
          } else if (c == '\n' || (c == '\r' && src.peek() != '\n')) {
            ++line_;
          }
          field += traits::to_char_type(c);
        }
        c = src.peek();
        if (c != ',' && !is_line_end(c) && c != eof) return fail(read_status::bad_quote, line_);
      } else {
        for (c = src.peek(); c != ',' && !is_line_end(c) && c != eof; c = src.peek()) {
          src.bump();
          if (!count()) return fail(read_status::too_long, out.line);
          if (c == '"') return fail(read_status::bad_quote, line_);
          field += traits::to_char_type(c);
        }
      }
      ++out.field_count;
      if (out.fields.size() < limits.max_fields) out.fields.push_back(std::move(field));
      if (c == ',') {
        src.bump();
        if (!count()) return fail(read_status::too_long, out.line);
        continue;
      }
      if (c != eof) {
        src.bump();
        if (c == '\r' && src.peek() == '\n') src.bump();
        ++line_;
      }
      out.status = read_status::record;
      return out;
    }
  } catch (const std::exception&) {
    return record{read_status::io_error, {}, 0, line_};
  }
}

}  // namespace crs::catalog::csv
