// Pagination tokens (api::token_codec) under a fixed secret. Input: four lines, operation,
// caller, filter, and the rest (a token to decode, and also a cursor to encode):
//   ListCollaborations\n111111111111\nACTIVE\n<token bytes...>
// Properties: decode never crashes; a token it accepts is exactly the one encode would issue
// (one spelling per cursor); encode then decode gives the cursor back; a token issued for one
// operation, caller or filter is refused for any other.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/pagination.hpp"

namespace {

void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "property violated: %s\n", what);
  std::abort();
}

constexpr std::size_t max_token_chars = 10240;  // the model's nextToken maximum (pagination.cpp)

std::string_view next_line(std::string_view& in) {
  const auto eol = in.find('\n');
  const auto line = in.substr(0, eol);
  in = eol == std::string_view::npos ? std::string_view() : in.substr(eol + 1);
  return line;
}

// A different string of the same kind (never equal to `s`).
std::string other(std::string_view s) {
  std::string out(s);
  if (out.empty()) return "x";
  out.back() = static_cast<char>(out.back() ^ 1);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const crs::api::token_codec codec("fuzz-pagination-secret");
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const auto operation = next_line(in);
  const auto caller = next_line(in);
  const auto filter = next_line(in);
  const std::string_view rest = in;

  // Decoding hostile bytes.
  if (const auto cursor = codec.decode(rest, operation, caller, filter)) {
    require(codec.encode(operation, caller, filter, *cursor) == rest,
            "an accepted token is not the one encode issues for its cursor");
    require(!codec.decode(rest, operation, other(caller), filter), "token accepted for caller'");
  }

  // Round trip with the rest as the cursor.
  const std::string token = codec.encode(operation, caller, filter, rest);
  require(!token.empty(), "encode failed");
  const auto back = codec.decode(token, operation, caller, filter);
  if (token.size() > max_token_chars) {
    require(!back, "a token longer than the model allows was accepted");
    return 0;
  }
  require(back.has_value() && *back == rest, "encode then decode lost the cursor");
  require(!codec.decode(token, operation, other(caller), filter), "token accepted for caller'");
  require(!codec.decode(token, other(operation), caller, filter), "token accepted for op'");
  require(!codec.decode(token, operation, caller, other(filter)), "token accepted for filter'");
  // Moving bytes between the bound fields must not keep the MAC valid (length-prefixed).
  if (!caller.empty())
    require(!codec.decode(token, std::string(operation) + caller.front(), caller.substr(1), filter),
            "token accepted with a byte moved from caller to operation");
  return 0;
}
