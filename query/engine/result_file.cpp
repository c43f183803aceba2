#include "query/engine/result_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace crs::query {

namespace {

constexpr std::size_t flush_bytes = 1 << 16;

std::string os_error(const char* what, int error) {
  return std::string("cannot ") + what + " the result file (" + std::strerror(error) + ")";
}

}  // namespace

std::filesystem::path result_file::temporary_path(const std::filesystem::path& target) {
  std::filesystem::path tmp = target;
  tmp += ".tmp";
  return tmp;
}

result_file::result_file(std::filesystem::path target)
    : target_(std::move(target)), temporary_(temporary_path(target_)) {}

result_file::~result_file() {
  close_fd();
  if (!committed_) ::unlink(temporary_.c_str());
}

std::optional<std::string> result_file::open() {
  if (target_.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(target_.parent_path(), ec);
    if (ec) return "cannot create the result directory (" + ec.message() + ")";
  }
  fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) return os_error("create", errno);
  buffer_.reserve(flush_bytes * 2);
  return std::nullopt;
}

bool result_file::append(std::string_view bytes) {
  if (!error_.empty()) return false;
  buffer_.append(bytes);
  bytes_ += bytes.size();
  return buffer_.size() < flush_bytes || flush();
}

bool result_file::flush() {
  std::size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      error_ = os_error("write", errno);
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  buffer_.clear();
  return true;
}

void result_file::close_fd() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::optional<std::string> result_file::commit() {
  if (!error_.empty()) return error_;
  if (fd_ < 0) return std::string("the result file is not open");
  if (!flush()) return error_;
  if (::fsync(fd_) != 0) return os_error("sync", errno);
  const int closed = ::close(fd_);
  fd_ = -1;
  if (closed != 0) return os_error("close", errno);
  if (::rename(temporary_.c_str(), target_.c_str()) != 0) return os_error("rename", errno);
  committed_ = true;
  // The rename itself is durable only once the directory is synced; failing that is not
  // worth failing a query whose file is already complete.
  const std::filesystem::path dir = target_.has_parent_path() ? target_.parent_path() : ".";
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return std::nullopt;
}

}  // namespace crs::query
