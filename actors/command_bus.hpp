// How api/ hands a command to the aggregate that owns it, without seeing CAF.
#pragma once

#include <functional>
#include <string>

#include "actors/collaboration/commands.hpp"
#include "actors/configured_table/commands.hpp"
#include "actors/context.hpp"
#include "actors/domain_error.hpp"
#include "events/result.hpp"

namespace crs {

// The rendered response body ("" = 204) once durable, or why the command was rejected.
using command_result = result<std::string, domain_error>;
using reply_fn = std::function<void(command_result)>;

class command_bus {
 public:
  virtual ~command_bus() = default;
  // Thread-safe and non-blocking. `reply` runs exactly once, on an actor or journal thread.
  virtual void send(const std::string& collaboration_id, collaboration::command command,
                    decide_context context, reply_fn reply) = 0;
  virtual void send(const std::string& configured_table_id, configured_table::command command,
                    decide_context context, reply_fn reply) = 0;
  // CreateConfiguredTableAssociation spans two aggregates, so it is a protocol of asks rather
  // than one decision: the table's actor checks that the table exists and is the caller's and
  // holds it (a held table cannot be deleted); the collaboration then decides `create`; the
  // hold is released once that answer is known. The association itself is recorded only in the
  // collaboration's stream, and its projection row is what later deletions of the table check.
  virtual void associate(const std::string& configured_table_id,
                         const std::string& collaboration_id,
                         collaboration::create_association create, decide_context context,
                         reply_fn reply) = 0;
};

}  // namespace crs
