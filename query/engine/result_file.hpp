// A result file written atomically: the bytes go to `<file>.tmp`, which becomes `<file>`
// only after an fsync, so a reader sees a whole result or none, even across a crash.
// Threading: one run's object, used by one thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace crs::query {

class result_file {
 public:
  explicit result_file(std::filesystem::path target);
  // Removes the temporary file unless commit() succeeded.
  ~result_file();
  result_file(const result_file&) = delete;
  result_file& operator=(const result_file&) = delete;

  // Creates the parent directories and the temporary file. Nothing, or why it failed.
  [[nodiscard]] std::optional<std::string> open();
  // Buffers `bytes`; false once a write failed (error() says why).
  [[nodiscard]] bool append(std::string_view bytes);
  // Flush, fsync, rename over the target, fsync the directory. Nothing, or why it failed.
  [[nodiscard]] std::optional<std::string> commit();

  [[nodiscard]] std::uint64_t bytes() const { return bytes_; }
  [[nodiscard]] const std::string& error() const { return error_; }

  // The temporary path for a target: `<file>.tmp`.
  [[nodiscard]] static std::filesystem::path temporary_path(const std::filesystem::path& target);

 private:
  [[nodiscard]] bool flush();
  void close_fd();

  std::filesystem::path target_;
  std::filesystem::path temporary_;
  int fd_ = -1;
  bool committed_ = false;
  std::string buffer_;
  std::uint64_t bytes_ = 0;
  std::string error_;
};

}  // namespace crs::query
