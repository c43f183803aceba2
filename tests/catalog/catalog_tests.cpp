#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "catalog_fixture.hpp"

using namespace crs;
using namespace crs::catalog;
using crs::test::columns;
using status = lookup_result::status;

TEST_CASE("catalog: glue and athena references name DIR/<database>/<table>.csv", "[catalog]") {
  test::catalog_fixture f;
  const auto path = f.write("sales/orders.csv", "id,amount,note\n1,2.5,x\n");
  local_catalog catalog(f.dir);
  CHECK(catalog.dir() == f.dir);
  for (const auto& ref : {test::glue("sales", "orders"), test::athena("sales", "orders")}) {
    const auto r = catalog.lookup(ref);
    REQUIRE(r.what == status::found);
    CHECK(r.found.columns == columns({{"id", "bigint"}, {"amount", "double"}, {"note", "string"}}));
    CHECK(r.found.partition_keys.empty());
    CHECK(r.found.data_file == path);
    CHECK(r.found.all_names() == std::vector<std::string>{"id", "amount", "note"});
  }
  CHECK(catalog.lookup(test::glue("sales", "returns")).what == status::missing);
  CHECK(catalog.lookup(test::glue("marketing", "orders")).what == status::missing);
}

TEST_CASE("catalog: snowflake references add the schema folder", "[catalog]") {
  test::catalog_fixture f;
  const auto path = f.write("db/public/users.csv", "id,name\n1,ann\n");
  local_catalog catalog(f.dir);
  const auto r = catalog.lookup(test::snowflake("db", "public", "users"));
  REQUIRE(r.what == status::found);
  CHECK(r.found.columns == columns({{"id", "bigint"}, {"name", "string"}}));
  CHECK(r.found.data_file == path);
  CHECK(catalog.lookup(test::glue("db", "users")).what == status::missing);
  CHECK(catalog.lookup(test::snowflake("db", "other", "users")).what == status::missing);
}

TEST_CASE("catalog: snowflake tableSchema types apply when there is no sidecar", "[catalog]") {
  test::catalog_fixture f;
  f.write("db/public/users.csv", "ID,Name,score\n1,ann,2\n");
  local_catalog catalog(f.dir);
  const auto r = catalog.lookup(test::snowflake(
      "db", "public", "users", {{"ID", "NUMBER(38,0)"}, {"NAME", "VARCHAR"}, {"gone", "INT"}}));
  REQUIRE(r.what == status::found);
  // score is not in tableSchema, so it is inferred; "gone" is not in the CSV, so ignored.
  CHECK(r.found.columns ==
        columns({{"id", "NUMBER(38,0)"}, {"name", "VARCHAR"}, {"score", "bigint"}}));
  // The cache holds the file's types, not the first reference's.
  const auto plain = catalog.lookup(test::snowflake("db", "public", "users"));
  CHECK(plain.found.columns ==
        columns({{"id", "bigint"}, {"name", "string"}, {"score", "bigint"}}));
}

TEST_CASE("catalog: a snowflake sidecar wins over tableSchema", "[catalog]") {
  test::catalog_fixture f;
  f.write("db/public/users.csv", "id,name\n1,ann\n");
  f.write("db/public/users.schema.json",
          R"j({"columns":[{"name":"id","type":"int"},{"name":"name","type":"varchar(10)"}]})j");
  local_catalog catalog(f.dir);
  const auto r = catalog.lookup(test::snowflake("db", "public", "users", {{"id", "NUMBER"}}));
  REQUIRE(r.what == status::found);
  CHECK(r.found.columns == columns({{"id", "int"}, {"name", "varchar(10)"}}));
}

TEST_CASE("catalog: a sidecar gives types and partition keys", "[catalog]") {
  test::catalog_fixture f;
  f.write("sales/orders.csv", "id,dt,amount,region\n1,2024-01-01,3,eu\n");
  f.write("sales/orders.schema.json", R"j({
    "columns": [{"name": "amount", "type": "decimal(10,2)"},
                {"name": "ID", "type": "bigint"}],
    "partitionKeys": [{"name": "dt", "type": "date"}, {"name": "region", "type": "string"}]
  })j");
  local_catalog catalog(f.dir);
  const auto r = catalog.lookup(test::glue("sales", "orders"));
  REQUIRE(r.what == status::found);
  // The sidecar's order is the catalog's; names are lower-cased like the header's.
  CHECK(r.found.columns == columns({{"amount", "decimal(10,2)"}, {"id", "bigint"}}));
  CHECK(r.found.partition_keys == columns({{"dt", "date"}, {"region", "string"}}));
  CHECK(r.found.all_names() == std::vector<std::string>{"amount", "id", "dt", "region"});
}

TEST_CASE("catalog: inference reads quoted fields, CRLF and empty columns", "[catalog]") {
  test::catalog_fixture f;
  f.write("d/t.csv",
          "\"Order Id\",\"note\",empty,ratio\r\n"
          "1,\"a, \"\"quoted\"\"\r\nnote\",,1e3\r\n"
          "2,plain,,\"-0.5\"\r\n");
  local_catalog catalog(f.dir);
  const auto r = catalog.lookup(test::glue("d", "t"));
  REQUIRE(r.what == status::found);
  CHECK(
      r.found.columns ==
      columns(
          {{"order id", "bigint"}, {"note", "string"}, {"empty", "string"}, {"ratio", "double"}}));
}

TEST_CASE("catalog: a header-only file is a table with string columns", "[catalog]") {
  test::catalog_fixture f;
  f.write("d/t.csv", "a,b\n");
  local_catalog catalog(f.dir);
  const auto r = catalog.lookup(test::glue("d", "t"));
  REQUIRE(r.what == status::found);
  CHECK(r.found.columns == columns({{"a", "string"}, {"b", "string"}}));
}

TEST_CASE("catalog: rows past the inference rows are not read", "[catalog]") {
  test::catalog_fixture f;
  f.write("d/t.csv", "n\n1\n2\nx,too,many\n");
  catalog_limits limits;
  limits.inference_rows = 2;
  local_catalog catalog(f.dir, limits);
  const auto r = catalog.lookup(test::glue("d", "t"));
  REQUIRE(r.what == status::found);
  CHECK(r.found.columns == columns({{"n", "bigint"}}));
}

TEST_CASE("catalog: an edited file is read again, an unchanged one is not", "[catalog]") {
  test::catalog_fixture f;
  const auto path = f.write("d/t.csv", "a,b\n1,2\n");
  local_catalog catalog(f.dir);
  const auto first = catalog.lookup(test::glue("d", "t"));
  REQUIRE(first.what == status::found);
  CHECK(first.found.columns == columns({{"a", "bigint"}, {"b", "bigint"}}));
  const auto stamp = std::filesystem::last_write_time(path);

  SECTION("rewritten with a new mtime") {
    f.write("d/t.csv", "a,c\nx,2\n");
    std::filesystem::last_write_time(path, stamp + std::chrono::seconds(5));
    const auto second = catalog.lookup(test::glue("d", "t"));
    REQUIRE(second.what == status::found);
    CHECK(second.found.columns == columns({{"a", "string"}, {"c", "bigint"}}));
  }
  SECTION("a sidecar appears, then is edited, then removed") {
    const auto sidecar = f.write(
        "d/t.schema.json", R"({"columns":[{"name":"a","type":"int"},{"name":"b","type":"int"}]})");
    CHECK(catalog.lookup(test::glue("d", "t")).found.columns ==
          columns({{"a", "int"}, {"b", "int"}}));
    const auto sidecar_stamp = std::filesystem::last_write_time(sidecar);
    f.write("d/t.schema.json", R"({"columns":[{"name":"a","type":"smallint"}],
                                   "partitionKeys":[{"name":"b","type":"int"}]})");
    std::filesystem::last_write_time(sidecar, sidecar_stamp + std::chrono::seconds(5));
    const auto edited = catalog.lookup(test::glue("d", "t"));
    CHECK(edited.found.columns == columns({{"a", "smallint"}}));
    CHECK(edited.found.partition_keys == columns({{"b", "int"}}));
    std::filesystem::remove(sidecar);
    CHECK(catalog.lookup(test::glue("d", "t")).found.columns ==
          columns({{"a", "bigint"}, {"b", "bigint"}}));
  }
  SECTION("removed") {
    std::filesystem::remove(path);
    CHECK(catalog.lookup(test::glue("d", "t")).what == status::missing);
  }
}

TEST_CASE("catalog: a cached table is served without reading the file again", "[catalog]") {
  test::catalog_fixture f;
  const auto path = f.write("d/t.csv", "a\n1\n");
  local_catalog catalog(f.dir);
  REQUIRE(catalog.lookup(test::glue("d", "t")).found.columns == columns({{"a", "bigint"}}));
  // Same size, same mtime, same inode: the cache cannot tell, so the old parse answers. That
  // is how a test sees that the file was not read again.
  const auto stamp = std::filesystem::last_write_time(path);
  f.write("d/t.csv", "b\nx\n");
  std::filesystem::last_write_time(path, stamp);
  CHECK(catalog.lookup(test::glue("d", "t")).found.columns == columns({{"a", "bigint"}}));
  // A fresh catalog has no cache and sees the new content.
  local_catalog fresh(f.dir);
  CHECK(fresh.lookup(test::glue("d", "t")).found.columns == columns({{"b", "string"}}));
}

TEST_CASE("catalog: the cache is bounded and still answers", "[catalog]") {
  test::catalog_fixture f;
  catalog_limits limits;
  limits.max_cached_tables = 2;
  local_catalog catalog(f.dir, limits);
  for (int i = 0; i < 5; ++i) f.write("d/t" + std::to_string(i) + ".csv", "a\n1\n");
  for (int round = 0; round < 2; ++round)
    for (int i = 0; i < 5; ++i)
      CHECK(catalog.lookup(test::glue("d", "t" + std::to_string(i))).what == status::found);
}

TEST_CASE("catalog: lookups from many threads agree", "[catalog]") {
  test::catalog_fixture f;
  for (int i = 0; i < 4; ++i) f.write("d/t" + std::to_string(i) + ".csv", "a,b\n1,x\n");
  catalog_limits limits;
  limits.max_cached_tables = 2;  // evictions race with hits
  local_catalog catalog(f.dir, limits);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const auto r = catalog.lookup(test::glue("d", "t" + std::to_string((i + t) % 4)));
        if (r.what != status::found ||
            !(r.found.columns == columns({{"a", "bigint"}, {"b", "string"}})))
          ++wrong;
      }
    });
  for (auto& t : threads) t.join();
  CHECK(wrong == 0);
}
