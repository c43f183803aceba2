#include <catch2/catch.hpp>

#include <string>

#include "api/validate.hpp"

using namespace crs::api;

TEST_CASE("uuid pattern: lower-case hex 8-4-4-4-12, whole value") {
  CHECK(matches(pattern::uuid, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"));
  CHECK_FALSE(matches(pattern::uuid, "0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D"));
  CHECK_FALSE(matches(pattern::uuid, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4dx"));
  CHECK_FALSE(matches(pattern::uuid, " 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"));
  CHECK_FALSE(matches(pattern::uuid, "0a1b2c3d4e5f4a6b8c7d9e0f1a2b3c4d"));
  CHECK_FALSE(matches(pattern::uuid, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4"));
  CHECK_FALSE(matches(pattern::uuid, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3g4d"));
  CHECK_FALSE(matches(pattern::uuid, "0a1b2c3d_4e5f-4a6b-8c7d-9e0f1a2b3c4d"));
  CHECK_FALSE(matches(pattern::uuid, ""));
}

TEST_CASE("digits pattern and the account rule") {
  CHECK(matches(pattern::digits, "111122223333"));
  CHECK(matches(pattern::digits, "0"));
  CHECK_FALSE(matches(pattern::digits, ""));
  CHECK_FALSE(matches(pattern::digits, "11112222333a"));
  CHECK_FALSE(matches(pattern::digits, "-1"));
  CHECK_FALSE(matches(pattern::digits, "\xd9\xa1"));  // ARABIC-INDIC DIGIT ONE is not \d

  validator v;
  CHECK(v.check("111122223333", "accountId", account_rule));
  CHECK_FALSE(v.check("11112222333", "accountId", account_rule));    // 11 digits
  CHECK_FALSE(v.check("1111222233334", "accountId", account_rule));  // 13 digits
  CHECK_FALSE(v.check("11112222333x", "accountId", account_rule));
  CHECK(v.errors().size() == 3);
}

TEST_CASE("nonblank_line: printable, TAB, not all whitespace, no CR/LF") {
  CHECK(matches(pattern::nonblank_line, "My collaboration"));
  CHECK(matches(pattern::nonblank_line, "\tx\t"));
  CHECK(matches(pattern::nonblank_line, "caf\xc3\xa9"));       // é
  CHECK(matches(pattern::nonblank_line, "\xf0\x9f\x98\x80"));  // U+1F600 (supplementary)
  CHECK(matches(pattern::nonblank_line, "\xef\xbf\xbd"));      // U+FFFD
  CHECK(matches(pattern::nonblank_line, "\xc2\xa0"));          // NBSP is not Java \s
  CHECK_FALSE(matches(pattern::nonblank_line, ""));
  CHECK_FALSE(matches(pattern::nonblank_line, "   "));
  CHECK_FALSE(matches(pattern::nonblank_line, " \t "));
  CHECK_FALSE(matches(pattern::nonblank_line, "a\rb"));
  CHECK_FALSE(matches(pattern::nonblank_line, "a\nb"));
  CHECK_FALSE(matches(pattern::nonblank_line, "a\x01"));
  CHECK(matches(pattern::nonblank_line,
                "\x7f"
                "a"));                                           // DEL is in U+0020..U+D7FF
  CHECK_FALSE(matches(pattern::nonblank_line, "\xef\xbf\xbe"));  // U+FFFE
  CHECK_FALSE(matches(pattern::nonblank_line, "\xed\xa0\x80"));  // a UTF-8 encoded surrogate
  CHECK_FALSE(matches(pattern::nonblank_line, "\xc3"));          // truncated sequence
  CHECK_FALSE(matches(pattern::nonblank_line, "\xc0\xaf"));      // overlong '/'
  CHECK_FALSE(matches(pattern::nonblank_line, "\xff"));
  // Java's `$` also matches before a final U+2028, so this counts as blank there.
  CHECK_FALSE(matches(pattern::nonblank_line, "  \xe2\x80\xa8"));
  CHECK(matches(pattern::nonblank_line, "\xe2\x80\xa8 x"));
}

TEST_CASE("nonblank_text also allows CR and LF") {
  CHECK(matches(pattern::nonblank_text, "line one\r\nline two"));
  CHECK(matches(pattern::nonblank_text, "\nx\n"));
  CHECK_FALSE(matches(pattern::nonblank_text, "\r\n \t\n"));
  CHECK_FALSE(matches(pattern::nonblank_text, ""));
  CHECK_FALSE(matches(pattern::nonblank_text, "a\x0b"));
}

TEST_CASE("s3_bucket pattern") {
  CHECK(matches(pattern::s3_bucket, "my-bucket"));
  CHECK(matches(pattern::s3_bucket, "my.bucket.name"));
  CHECK(matches(pattern::s3_bucket, "a--b"));
  CHECK(matches(pattern::s3_bucket, "123"));  // digits without dots are fine
  CHECK(matches(pattern::s3_bucket, "192.168.1.x"));
  CHECK_FALSE(matches(pattern::s3_bucket, "192.168.1.1"));  // IPv4-shaped
  CHECK_FALSE(matches(pattern::s3_bucket, "10.0"));         // any dotted digit groups
  CHECK_FALSE(matches(pattern::s3_bucket, "My-Bucket"));
  CHECK_FALSE(matches(pattern::s3_bucket, "-bucket"));
  CHECK_FALSE(matches(pattern::s3_bucket, "bucket-"));
  CHECK_FALSE(matches(pattern::s3_bucket, "a..b"));
  CHECK_FALSE(matches(pattern::s3_bucket, ".ab"));
  CHECK_FALSE(matches(pattern::s3_bucket, "ab."));
  CHECK_FALSE(matches(pattern::s3_bucket, "a_b"));
  CHECK_FALSE(matches(pattern::s3_bucket, "a.-b"));
  CHECK_FALSE(matches(pattern::s3_bucket, ""));
}

TEST_CASE("key_prefix pattern") {
  CHECK(matches(pattern::key_prefix, ""));
  CHECK(matches(pattern::key_prefix, "results/2024=01/*.csv!_-"));
  CHECK_FALSE(matches(pattern::key_prefix, "a b"));
  CHECK_FALSE(matches(pattern::key_prefix, "a?b"));
  CHECK_FALSE(matches(pattern::key_prefix, "caf\xc3\xa9"));
}

TEST_CASE("role_arn pattern") {
  CHECK(matches(pattern::role_arn, "arn:aws:iam::111122223333:role/CleanRoomsRole"));
  CHECK(matches(pattern::role_arn, "arn:aws:iam::111122223333:role/path/My+=.@-_Role"));
  CHECK_FALSE(matches(pattern::role_arn, "arn:aws:iam::111122223333:role/"));
  CHECK_FALSE(matches(pattern::role_arn, "arn:aws:iam:::role/x"));
  CHECK_FALSE(matches(pattern::role_arn, "arn:aws:iam::111122223333:user/x"));
  CHECK_FALSE(matches(pattern::role_arn, "arn:aws-cn:iam::111122223333:role/x"));
  CHECK_FALSE(matches(pattern::role_arn, "arn:aws:iam::111122223333:role/a,b"));
  CHECK_FALSE(matches(pattern::role_arn, " arn:aws:iam::111122223333:role/x"));
  CHECK_FALSE(matches(pattern::role_arn, "arn:aws:iam::1111-2222:role/x"));
}

TEST_CASE("cleanrooms_arn pattern") {
  CHECK(matches(pattern::cleanrooms_arn,
                "arn:aws:cleanrooms:us-east-1:111122223333:collaboration/"
                "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"));
  CHECK(matches(pattern::cleanrooms_arn,
                "arn:aws:cleanrooms:ap-southeast-2:111122223333:membership/m/analysistemplate/t"));
  CHECK_FALSE(matches(pattern::cleanrooms_arn,
                      "arn:aws:cleanrooms:us-gov-west-1:111122223333:collaboration/x"));
  CHECK_FALSE(matches(pattern::cleanrooms_arn, "arn:aws:cleanrooms:us-eas-1:111122223333:x"));
  CHECK_FALSE(matches(pattern::cleanrooms_arn,
                      "arn:aws:cleanrooms:us-northeastern-1:111122223333:x"));  // 10 > 9
  CHECK_FALSE(matches(pattern::cleanrooms_arn, "arn:aws:cleanrooms:us-east-1:11112222333:x"));
  CHECK_FALSE(matches(pattern::cleanrooms_arn, "arn:aws:cleanrooms:us-east-1:111122223333:"));
  CHECK_FALSE(matches(pattern::cleanrooms_arn, "arn:aws:cleanrooms:us-east-1:111122223333:a:b"));
  CHECK_FALSE(matches(pattern::cleanrooms_arn, "arn:aws:s3:us-east-1:111122223333:x"));
  CHECK_FALSE(matches(pattern::cleanrooms_arn, "arn:aws:cleanrooms:us-east-12:111122223333:x"));
}

TEST_CASE("column pattern («COLUMN»)") {
  CHECK(matches(pattern::column, "a"));
  CHECK(matches(pattern::column, "_"));
  CHECK(matches(pattern::column, "user_id"));
  CHECK(matches(pattern::column, "age band"));
  CHECK(matches(pattern::column, "ab-cd-e f"));
  CHECK(matches(pattern::column, "a "));  // a trailing space is inside the run class
  CHECK_FALSE(matches(pattern::column, ""));
  CHECK_FALSE(matches(pattern::column, "a-b"));  // the first run needs a character before '-'
  CHECK_FALSE(matches(pattern::column, "User_id"));
  CHECK_FALSE(matches(pattern::column, " a"));
  CHECK_FALSE(matches(pattern::column, "-a"));
  CHECK_FALSE(matches(pattern::column, "ab-"));
  CHECK_FALSE(matches(pattern::column, "ab--c"));
  CHECK_FALSE(matches(pattern::column, "a.b"));
  CHECK_FALSE(matches(pattern::column, "caf\xc3\xa9"));
}

TEST_CASE("alias pattern («ALIAS»)") {
  CHECK(matches(pattern::alias, "Sales 2024-Q1"));
  CHECK(matches(pattern::alias, "T"));
  CHECK_FALSE(matches(pattern::alias, ""));
  CHECK_FALSE(matches(pattern::alias, " T"));
  CHECK_FALSE(matches(pattern::alias, "Sales--Q1"));
  CHECK_FALSE(matches(pattern::alias, "Sales.Q1"));
  CHECK_FALSE(matches(pattern::alias, "Sales-"));
}

TEST_CASE("line and text patterns («LINE» / «TEXT»): blank and empty allowed") {
  CHECK(matches(pattern::line, ""));
  CHECK(matches(pattern::line, "   "));
  CHECK(matches(pattern::line, "VARCHAR(256)\t"));
  CHECK(matches(pattern::line, "\xf0\x9f\x98\x80"));
  CHECK_FALSE(matches(pattern::line, "a\nb"));
  CHECK_FALSE(matches(pattern::line, "a\x01"));
  CHECK_FALSE(matches(pattern::line, "\xef\xbf\xbe"));  // U+FFFE
  CHECK_FALSE(matches(pattern::line, "\xc3"));
  CHECK(matches(pattern::text, ""));
  CHECK(matches(pattern::text, "\r\n"));
  CHECK_FALSE(matches(pattern::text, "a\x0b"));
}

TEST_CASE("Glue and Athena name patterns") {
  CHECK(matches(pattern::glue_database, "sales_db"));
  CHECK(matches(pattern::glue_database, "d"));
  CHECK(matches(pattern::glue_database, "Sales-DB-2"));
  CHECK_FALSE(matches(pattern::glue_database, ""));
  CHECK_FALSE(matches(pattern::glue_database, "sales db"));
  CHECK_FALSE(matches(pattern::glue_database, "s-db"));  // as «COLUMN»: a run before each '-'
  CHECK_FALSE(matches(pattern::glue_database, "sales--db"));
  CHECK_FALSE(matches(pattern::glue_database, "sales-"));

  CHECK(matches(pattern::athena_table, "t"));
  CHECK(matches(pattern::athena_table, "Events_2024"));
  CHECK_FALSE(matches(pattern::athena_table, ""));
  CHECK_FALSE(matches(pattern::athena_table, "events-2024"));
  CHECK_FALSE(matches(pattern::athena_table, "events 2024"));
  // The model's regex backtracks exponentially on this; the matcher is linear.
  CHECK_FALSE(matches(pattern::athena_table, std::string(100000, 'a') + "!"));

  CHECK(matches(pattern::athena_work_group, ""));
  CHECK(matches(pattern::athena_work_group, "primary"));
  CHECK(matches(pattern::athena_work_group, "team.a-wg_1"));
  CHECK_FALSE(matches(pattern::athena_work_group, "team a"));
  CHECK_FALSE(matches(pattern::athena_work_group, "wg/1"));

  CHECK(matches(pattern::athena_catalog, "AwsDataCatalog"));
  CHECK(matches(pattern::athena_catalog, "-_-"));
  CHECK_FALSE(matches(pattern::athena_catalog, ""));
  CHECK_FALSE(matches(pattern::athena_catalog, "cat.log"));
}

TEST_CASE("s3_uri pattern") {
  CHECK(matches(pattern::s3_uri, "s3://abc"));
  CHECK(matches(pattern::s3_uri, "s3://my-bucket/results/2024 Q1/"));
  CHECK(matches(pattern::s3_uri, "s3://a.b/caf\xc3\xa9"));
  CHECK_FALSE(matches(pattern::s3_uri, "s3://ab"));
  CHECK_FALSE(matches(pattern::s3_uri, "s3://My-bucket"));
  CHECK_FALSE(matches(pattern::s3_uri, "S3://abc"));
  CHECK_FALSE(matches(pattern::s3_uri, "https://abc"));
  CHECK_FALSE(matches(pattern::s3_uri, "s3://abc/x\ny"));           // Java's `.` stops at \n
  CHECK_FALSE(matches(pattern::s3_uri, "s3://abc/x\xe2\x80\xa8"));  // ... and at U+2028
  CHECK_FALSE(matches(pattern::s3_uri, "s3://abc/\xff"));
}

TEST_CASE("snowflake name and account patterns (Unicode classes, approximated)") {
  CHECK(matches(pattern::snowflake_name, "SALES"));
  CHECK(matches(pattern::snowflake_name, "my_db-2 prod"));
  CHECK(matches(pattern::snowflake_name,
                "Stra\xc3\x9f"
                "e"));                                                  // ß
  CHECK(matches(pattern::snowflake_name, "\xe6\x9d\xb1\xe4\xba\xac"));  // 東京
  CHECK(matches(pattern::snowflake_name, "\xd9\xa1"));                  // Arabic-Indic one (Nd)
  CHECK(matches(pattern::snowflake_name, "e\xcc\x81"));                 // e + combining acute
  CHECK(matches(pattern::snowflake_name,
                "a\xe2\x80\x94"
                "b"));                                      // em dash (Pd)
  CHECK(matches(pattern::snowflake_name, "\xe3\x80\x80"));  // ideographic space
  CHECK(matches(pattern::snowflake_name, "\xc2\xbd"));      // ½ (No)
  CHECK_FALSE(matches(pattern::snowflake_name, ""));
  CHECK_FALSE(matches(pattern::snowflake_name, "a.b"));
  CHECK_FALSE(matches(pattern::snowflake_name, "a;b"));
  CHECK_FALSE(matches(pattern::snowflake_name, "a\"b"));
  CHECK_FALSE(matches(pattern::snowflake_name, "a\tb"));
  CHECK_FALSE(matches(pattern::snowflake_name, "\xc3\x97"));          // × (Sm)
  CHECK_FALSE(matches(pattern::snowflake_name, "\xe2\x82\xac"));      // € (Sc)
  CHECK_FALSE(matches(pattern::snowflake_name, "\xf0\x9f\x98\x80"));  // emoji (So)
  CHECK_FALSE(matches(pattern::snowflake_name, "\xee\x80\x80"));      // private use
  CHECK_FALSE(matches(pattern::snowflake_name, "\xc3"));
  CHECK(matches(pattern::snowflake_account, "xy12345.us-east-1"));
  CHECK(matches(pattern::snowflake_account, "myorg-account_1"));
  CHECK_FALSE(matches(pattern::snowflake_account, "xy12345/us"));
  CHECK_FALSE(matches(pattern::snowflake_account, ""));
}

TEST_CASE("secret_arn pattern") {
  CHECK(
      matches(pattern::secret_arn, "arn:aws:secretsmanager:us-east-1:111122223333:secret:sf-AbC"));
  CHECK(matches(pattern::secret_arn, "arn:aws:secretsmanager:ap-southeast-2:111122223333:secret:"));
  CHECK_FALSE(
      matches(pattern::secret_arn, "arn:aws:secretsmanager:us-east-1:11112222333:secret:x"));
  CHECK_FALSE(
      matches(pattern::secret_arn, "arn:aws:secretsmanager:use-east-1:111122223333:secret:x"));
  CHECK_FALSE(
      matches(pattern::secret_arn, "arn:aws:secretsmanager:us-east1:111122223333:secret:x"));
  CHECK_FALSE(matches(pattern::secret_arn, "arn:aws:secretsmanager:us-east-1:111122223333:key:x"));
  CHECK_FALSE(
      matches(pattern::secret_arn, "arn:aws:secretsmanager:us-east-1:111122223333:secret:a\nb"));
  CHECK_FALSE(matches(pattern::secret_arn, "arn:aws:kms:us-east-1:111122223333:secret:x"));
}

TEST_CASE("analysis_ref pattern (AnalysisRuleCustom.allowedAnalyses)") {
  CHECK(matches(pattern::analysis_ref, "ANY_QUERY"));
  CHECK(matches(pattern::analysis_ref, "ANY_JOB"));
  CHECK(matches(pattern::analysis_ref,
                "arn:aws:cleanrooms:us-east-1:111122223333:membership/"
                "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/analysistemplate/t_1-2"));
  CHECK_FALSE(matches(pattern::analysis_ref, "ANY_QUERY "));
  CHECK_FALSE(matches(pattern::analysis_ref, "any_query"));
  CHECK_FALSE(matches(pattern::analysis_ref, "ANY_QUERYANY_JOB"));
  CHECK_FALSE(matches(pattern::analysis_ref, ""));
  CHECK_FALSE(matches(pattern::analysis_ref,
                      "arn:aws:cleanrooms:us-east-1:111122223333:membership/m/analysistemplate/"));
  CHECK_FALSE(
      matches(pattern::analysis_ref,
              "arn:aws:cleanrooms:us-east-1:111122223333:membership/m/x/analysistemplate/t"));
  CHECK_FALSE(
      matches(pattern::analysis_ref, "arn:aws:cleanrooms:us-east-1:111122223333:collaboration/c"));
  CHECK_FALSE(matches(pattern::analysis_ref,
                      "arn:aws:cleanrooms:us-east-1:*:membership/m/analysistemplate/t"));
}

TEST_CASE("additional_analysis_arn pattern (allowedAdditionalAnalyses)") {
  const pattern p = pattern::additional_analysis_arn;
  CHECK(matches(p,
                "arn:aws:cleanrooms:us-east-1:111122223333:membership/m-1/"
                "configuredaudiencemodelassociation/a_2"));
  CHECK(matches(
      p, "arn:aws:cleanrooms:us-east-1:*:membership/*/configuredaudiencemodelassociation/*"));
  CHECK(matches(p,
                "arn:aws:cleanrooms-ml:us-east-1:111122223333:membership/m/"
                "configured-model-algorithm-association/a/b.c-d"));
  CHECK(matches(p,
                "arn:aws-cn:cleanrooms-ml:cn-north-1:*:membership/m/"
                "configured-model-algorithm-association/*"));
  CHECK_FALSE(matches(p,
                      "arn:aws:cleanrooms:us-east-1:111122223333:membership/m/"
                      "configuredaudiencemodelassociation/"));
  CHECK_FALSE(matches(p,
                      "arn:aws:cleanrooms:us-east-1:111122223333:membership/m/"
                      "configuredaudiencemodelassociation/a/b"));
  CHECK_FALSE(matches(p,
                      "arn:aws:cleanrooms:us-east-1:111122223333:membership/m/"
                      "configured-model-algorithm-association/a"));  // the ML form needs -ml
  CHECK_FALSE(matches(p,
                      "arn:aws:cleanrooms-ml:us-east-1:111122223333:membership/m/"
                      "configured-model-algorithm-association/a*"));
  CHECK_FALSE(matches(p,
                      "arn:aws:cleanrooms-ml:US-EAST-1:111122223333:membership/m/"
                      "configured-model-algorithm-association/a"));
  CHECK_FALSE(
      matches(p, "arn:aws:cleanrooms:us-east-1:111122223333:membership/m/analysistemplate/t"));
  CHECK_FALSE(matches(p, ""));
}

TEST_CASE("code_points counts Unicode scalar values") {
  CHECK(code_points("") == 0);
  CHECK(code_points("abc") == 3);
  CHECK(code_points("caf\xc3\xa9") == 4);
  CHECK(code_points("\xf0\x9f\x98\x80") == 1);
}
