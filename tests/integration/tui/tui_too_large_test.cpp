// An answer over 64 MiB in the terminal UI (issue 14), as a worker sees it: Spanish,
// TERM=linux, 80x24 in tmux, a real manod. A result an older mano queued with such an answer
// is put back to its draft by the UI's own sync, once: the message line says so with the
// size, the task is open for editing again, and its screen gives the reason.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>

#include "../client/mano_runner.h"
#include "../client/queued_as_before.h"
#include "mano/sync/answer.h"
#include "manod_process.h"
#include "tmux_session.h"

using namespace mano::test;

namespace {

constexpr int kParts = 70;  // text fields of a million characters: 70 MB of answer

ManodProcess::Options OneLongTask(const std::string& dir) {
  std::string fields;
  for (int i = 0; i < kParts; ++i) {
    fields += std::string(i ? "," : "") + R"({"name":"p)" + std::to_string(100 + i) +
              R"(","type":"text","label":"Parte","max_length":1000000})";
  }
  const std::string path = dir + "/tasks.jsonl";
  std::ofstream(path)
      << R"({"id":"long-1","kind":"transcription","form":{"title":"Larga",)"
      << R"("fields":[)" << fields
      << R"(]},"reward":1000,"currency":"USD","policy":{"late":"accept","lease_ms":3600000}})"
      << "\n";
  ManodProcess::Options options;
  options.imports = {path};
  return options;
}

// What an older mano queued for assignment 1 without looking at its size.
void QueueTooLarge(const ManoRunner& runner) {
  std::string text;
  for (int j = 0; text.size() < 1000000; ++j) text += "palabra " + std::to_string(j) + ". ";
  text.resize(1000000);
  mano::sync::Answer answer;
  for (int i = 0; i < kParts; ++i) answer.Set("p" + std::to_string(100 + i), text);
  QueueAsBefore(runner.data_dir(), 1, answer);
}

}  // namespace

TEST_CASE("tui: a queued answer over 64 MiB comes back as a draft, with the reason",
          "[tui][integration]") {
  ManoRunner runner;
  ManodProcess server(OneLongTask(runner.dir()));
  TmuxServer tmux(runner.dir());
  ManoResult login = runner.Run({"login", "--server", server.url(), "--name", "alice"},
                                server.Token("alice") + "\n");
  REQUIRE(login.status == 0);
  REQUIRE(runner.Run({"claim"}).status == 0);
  QueueTooLarge(runner);

  tmux.Start("ui", {ManoRunner::Binary(), "--data-dir", runner.data_dir()},
             {{"LANGUAGE", "es"},
              {"LANG", "es_ES.UTF-8"},
              {"TERM", "linux"},
              {"MANO_HOME", runner.data_dir()},
              {"XDG_CONFIG_HOME", runner.config_home()}});
  // The UI's first sync pass puts it back and says so in the message line.
  const std::string queue = tmux.WaitFor("ui", "La asignación 1 no se envió y vuelve a ser un", 60);
  INFO(queue);
  REQUIRE(queue.find("La asignación 1 no se envió") != std::string::npos);
  CHECK(queue.find("67 MiB") != std::string::npos);
  CHECK(queue.find("transcripción   borrador") != std::string::npos);  // its state in the queue
  CHECK(server.QueryInt("SELECT COUNT(*) FROM uploads") == 0);

  tmux.Keys("ui", {"Enter"});
  const std::string task = tmux.WaitFor("ui", "Motivo dado:", 60);
  INFO(task);
  CHECK(task.find("No enviada: La respuesta ocupa 67 MiB") != std::string::npos);
}
