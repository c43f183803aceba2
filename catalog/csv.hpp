// A small streaming RFC 4180 reader: quoted fields, doubled quotes inside them, CRLF, LF or a
// lone CR between records. It reads one record at a time so the catalog can stop after the
// header and the inference rows of a file of any size.
// Deviations from the RFC, chosen for hand-edited files: a UTF-8 byte order mark before the
// first record is skipped, and blank lines (nothing between two line ends) are skipped rather
// than read as a record with one empty field.
// Threading: a reader is used by one thread at a time.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

namespace crs::catalog::csv {

struct read_limits {
  std::size_t max_record_bytes = 1024 * 1024;  // raw bytes of one record, line end excluded
  std::size_t max_fields = 1000;               // fields kept; the rest are only counted
};

enum class read_status {
  record,          // a record was read
  end,             // no more records
  too_long,        // the record exceeds max_record_bytes (reading stopped inside it)
  unclosed_quote,  // the input ends inside a quoted field
  bad_quote,       // a quote inside an unquoted field, or text after a closing quote
  io_error,        // the stream failed
};

struct record {
  read_status status = read_status::end;
  std::vector<std::string> fields;  // at most max_fields of them
  std::size_t field_count = 0;      // every field of the record, kept or not
  std::size_t line = 0;             // 1-based line where the record (or the error) starts
};

class reader {
 public:
  // The stream must outlive the reader.
  explicit reader(std::istream& in) : in_(in) {}

  // The next record. After any status but `record` the reader is spent: the caller stops.
  [[nodiscard]] record next(const read_limits& limits);

 private:
  std::istream& in_;
  std::size_t line_ = 1;  // line of the next unread byte
  bool started_ = false;  // the byte order mark has been looked for
  std::string pending_;   // bytes of a partial byte order mark, given back as data
};

}  // namespace crs::catalog::csv
