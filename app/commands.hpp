// The subcommands of cleanroomsd, one file each (app/cmd_*.cpp). Each adds itself to the CLI
// and, when chosen, stores its exit status in `exit_code`.
#pragma once

#include <CLI/CLI.hpp>

namespace crs::app {

void add_serve(CLI::App& app, int& exit_code);
void add_verify(CLI::App& app, int& exit_code);  // verify, rebuild-projections
void add_backup(CLI::App& app, int& exit_code);
void add_events(CLI::App& app, int& exit_code);
void add_replay(CLI::App& app, int& exit_code);
void add_sim(CLI::App& app, int& exit_code);  // sim/

}  // namespace crs::app
