// cleanroomsd: the process boundary. Logging and the subcommands (app/commands.hpp).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "app/commands.hpp"

int main(int argc, char** argv) {
  auto logger = spdlog::stderr_color_mt("cleanroomsd");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  CLI::App app{"cleanroomsd: an AWS Clean Rooms control plane that runs anywhere"};
  app.require_subcommand(1);
  app.fallthrough();  // global options such as --log-level may follow the subcommand
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->capture_default_str();
  app.parse_complete_callback([&] { spdlog::set_level(spdlog::level::from_str(log_level)); });

  int exit_code = 0;
  crs::app::add_serve(app, exit_code);
  crs::app::add_verify(app, exit_code);
  crs::app::add_backup(app, exit_code);
  crs::app::add_events(app, exit_code);
  crs::app::add_replay(app, exit_code);
  crs::app::add_sim(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Help prints and succeeds; any other command-line mistake is a usage error (2) for every
    // subcommand alike, instead of CLI11's own codes.
    return app.exit(e) == 0 ? 0 : 2;
  }
  return exit_code;
}
