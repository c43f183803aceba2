// A failed Write must fail the whole batch and leave nothing behind, on disk or in memory.
// The failure is real: RLIMIT_FSIZE makes the WAL append fail with EFBIG.
#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <csignal>
#include <filesystem>

#include "events/event_store.hpp"
#include "store_helpers.hpp"
#include "temp_dir.hpp"

namespace ev = crs::events;
using crs::store_error;
using crs::test::append;
using crs::test::left;
using crs::test::open_store;
using crs::test::request;
using crs::test::temp_dir;

namespace {

// Caps the size of files this process writes, for one scope.
class file_size_cap {
 public:
  explicit file_size_cap(rlim_t bytes) {
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);  // get EFBIG instead of being killed
    ::getrlimit(RLIMIT_FSIZE, &old_);
    rlimit cap = old_;
    cap.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &cap);
  }
  ~file_size_cap() {
    ::setrlimit(RLIMIT_FSIZE, &old_);
    std::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit old_{};
  void (*old_handler_)(int) = nullptr;
};

}  // namespace

SCENARIO("a batch whose write fails leaves no trace", "[store][failure]") {
  temp_dir dir;
  {
    auto store = open_store(dir.path(), true);
    REQUIRE(store);
    REQUIRE(append(*store, {request("s", 0, {left("1"), left("2")}, {{"k", "before"}})})[0].ok());

    // The cap sits well above every file written so far (RocksDB's info LOG must keep working:
    // Debian builds RocksDB with assertions, and a failed LOG write trips one), and the batch
    // alone is larger than the cap, so only the WAL append fails.
    std::uintmax_t largest = 0;
    for (const auto& f : std::filesystem::directory_iterator(dir.path()))
      if (f.is_regular_file()) largest = std::max(largest, f.file_size());
    rlim_t cap_bytes = largest + (1u << 20);
    std::vector<crs::result<ev::append_outcome>> out;
    {
      file_size_cap cap(cap_bytes);
      out = append(*store, {request("s", 2, {left("3")}, {{"k", std::string(cap_bytes, 'x')}}),
                            request("t", 0, {left("4")})});
    }

    THEN("every request in the batch fails with the write's error") {
      REQUIRE(out.size() == 2);
      for (auto& r : out) {
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == store_error::kind::io);
      }
    }
    THEN("the in-memory position and heads did not move") {
      CHECK(store->last_position() == 2);
      CHECK(store->head_version("s") == 2);
      CHECK(store->head_version("t") == 0);
      CHECK(store->get_view("k") == std::optional<std::string>("before"));
    }
  }

  // RocksDB stops accepting writes after a failed WAL write; a reopen recovers.
  auto store = open_store(dir.path(), true);
  REQUIRE(store);
  THEN("after a reopen nothing of the failed batch is there and appends continue gap-free") {
    CHECK(store->last_position() == 2);
    CHECK(store->head_version("t") == 0);
    CHECK(store->get_view("k") == std::optional<std::string>("before"));
    auto out = append(*store, {request("s", 2, {left("3")})});
    REQUIRE(out[0].ok());
    CHECK(out[0]->first_position == 3);
    CHECK(out[0]->new_version == 3);
  }
}
