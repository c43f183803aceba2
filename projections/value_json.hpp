// JSON of the value types the API shapes and the recorded events share (payment configuration,
// result configurations), written once for render.cpp and event_json.cpp.
#pragma once

#include "events/values.hpp"
#include "projections/json_writer.hpp"

namespace crs::projections {

enum class payment_form {
  api,       // what the API answers: queryCompute always present, empty machineLearning hidden
  recorded,  // exactly what an event carries: absent stays absent, an empty ML object shows
};

// Each writes one JSON object value (the caller writes the key).
void write_payment(json_writer& w, const payment_config& p, payment_form form);
void write_query_result(json_writer& w, const query_result_config& r);
void write_job_result(json_writer& w, const job_result_config& r);

}  // namespace crs::projections
