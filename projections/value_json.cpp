#include "projections/value_json.hpp"

namespace crs::projections {
namespace {

void responsible(json_writer& w, std::string_view key, const std::optional<bool>& v) {
  if (v) w.key(key).begin_object().key("isResponsible").boolean(*v).end_object();
}

}  // namespace

void write_payment(json_writer& w, const payment_config& p, payment_form form) {
  using d = payment_dimension;
  const bool api = form == payment_form::api;
  w.begin_object();
  // queryCompute is a required member of the API's shapes; an event says only what was sent.
  responsible(
      w, "queryCompute",
      api ? std::optional<bool>(p.at(d::query_compute).value_or(false)) : p.at(d::query_compute));
  const bool ml_set =
      p.at(d::model_training) || p.at(d::model_inference) || p.at(d::synthetic_data_generation);
  if (ml_set || (!api && p.machine_learning_sent)) {
    w.key("machineLearning").begin_object();
    responsible(w, "modelTraining", p.at(d::model_training));
    responsible(w, "modelInference", p.at(d::model_inference));
    responsible(w, "syntheticDataGeneration", p.at(d::synthetic_data_generation));
    w.end_object();
  }
  responsible(w, "jobCompute", p.at(d::job_compute));
  w.end_object();
}

void write_query_result(json_writer& w, const query_result_config& r) {
  w.begin_object();
  w.key("outputConfiguration").begin_object().key("s3").begin_object();
  w.key("resultFormat").string(to_string(r.format));
  w.key("bucket").string(r.bucket);
  if (r.key_prefix) w.key("keyPrefix").string(*r.key_prefix);
  if (r.single_file_output) w.key("singleFileOutput").boolean(*r.single_file_output);
  w.end_object().end_object();
  if (r.role_arn) w.key("roleArn").string(*r.role_arn);
  w.end_object();
}

void write_job_result(json_writer& w, const job_result_config& r) {
  w.begin_object();
  w.key("outputConfiguration").begin_object().key("s3").begin_object();
  w.key("bucket").string(r.bucket);
  if (r.key_prefix) w.key("keyPrefix").string(*r.key_prefix);
  w.end_object().end_object();
  w.key("roleArn").string(r.role_arn);
  w.end_object();
}

}  // namespace crs::projections
