// An answer over 64 MiB (sync::kMaxUploadBytes: no server takes more, docs/PROTOCOL.md
// section 11), end to end with the real `mano` and a real manod: `mano submit` refuses it
// with the size and the limit and keeps the draft; a result queued before that rule (by an
// older mano) goes back to its draft on the next `mano sync`, once, reported in the
// worker's language and shown by `mano show`, instead of being tried (413) on every pass.
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "cli_json.h"
#include "mano/sync/answer.h"
#include "mano/sync/limits.h"
#include "mano_runner.h"
#include "manod_process.h"
#include "queued_as_before.h"

using namespace mano::test;

namespace {

constexpr int kParts = 70;  // text fields of up to a million characters: 70 MB of answer

std::string WriteTask(const std::string& dir) {
  std::string fields;
  for (int i = 0; i < kParts; ++i) {
    if (i) fields += ',';
    fields += R"({"name":"p)" + std::to_string(100 + i) +
              R"(","type":"text","label":"Part","max_length":1000000})";
  }
  const std::string path = dir + "/big.jsonl";
  std::ofstream(path) << R"({"id":"big-1","kind":"transcription","form":{"title":"Long",)"
                      << R"("fields":[)" << fields
                      << R"(]},"reward":1000,"currency":"USD","policy":{"late":"accept",)"
                      << R"("lease_ms":3600000}})"
                      << "\n";
  return path;
}

// An answer of fields p<100+from>... p<100+to-1>, each a million ASCII characters.
mano::sync::Answer BigAnswer(int to, int from = 0) {
  std::string text;
  for (int j = 0; text.size() < 1000000; ++j) text += "word " + std::to_string(j) + ". ";
  text.resize(1000000);
  mano::sync::Answer answer;
  for (int i = from; i < to; ++i) answer.Set("p" + std::to_string(100 + i), text);
  return answer;
}

struct World {
  ManoRunner runner;
  ManodProcess server{ManodProcess::Importing(WriteTask(runner.dir()))};
  std::string id;  // mano's local id of the claimed assignment

  World() {
    runner.LogIn(server);
    REQUIRE(runner.Run({"claim", "--count", "1"}).status == 0);
    rapidjson::Document list = Json(runner.Run({"list", "--json"}).out);
    REQUIRE(list.Size() == 1);
    id = Str(list[0], "id");
  }
  std::string State() {
    rapidjson::Document list = Json(runner.Run({"list", "--json"}).out);
    return Str(list[0], "state");
  }
};

// `mano answer ID --json FILE` with `values`, merged into the draft.
void SetDraft(World& w, const mano::sync::Answer& values, const std::string& file) {
  std::ofstream(file, std::ios::trunc) << values.ToJson();
  ManoResult set = w.runner.Run({"answer", w.id, "--json", file});
  INFO(set.out << set.err);
  REQUIRE(set.status == 0);
}

}  // namespace

TEST_CASE("mano submit refuses an answer over 64 MiB, with its size, and keeps the draft") {
  World w;
  const mano::sync::Answer answer = BigAnswer(kParts);
  REQUIRE(answer.ToJson().size() > mano::sync::kMaxUploadBytes);
  // In two halves: `mano answer` merges with the draft, and reads at most 64 MiB at once.
  const std::string file = w.runner.dir() + "/answer.json";
  SetDraft(w, BigAnswer(kParts / 2), file);
  SetDraft(w, BigAnswer(kParts, kParts / 2), file);

  ManoResult submit = w.runner.Run({"submit", w.id}, {}, {{"LANG", "es_ES.UTF-8"}});
  INFO(submit.out << submit.err);
  CHECK(submit.status == 6);  // ExitCode::kValidation, as for any answer that cannot go
  CHECK(submit.err.find("La respuesta ocupa 67 MiB, más de los 64 MiB que admite un resultado") !=
        std::string::npos);
  CHECK(w.State() == "in_progress");
  // Nothing is queued, so a sync sends nothing and the server holds no upload.
  ManoResult sync = w.runner.Run({"sync"});
  INFO(sync.out << sync.err);
  CHECK(sync.status == 0);
  CHECK(w.server.QueryInt("SELECT COUNT(*) FROM uploads") == 0);
  // The draft is the worker's to shorten: six fields less (64 MB, 61 MiB) go.
  std::ofstream(file, std::ios::trunc) << R"({"p164":"","p165":"","p166":"","p167":"","p168":"",)"
                                       << R"("p169":""})";
  REQUIRE(w.runner.Run({"answer", w.id, "--json", file}).status == 0);
  ManoResult again = w.runner.Run({"submit", w.id});
  INFO(again.out << again.err);
  CHECK(again.status == 0);
  CHECK(w.State() == "queued");
}

TEST_CASE("a queued answer over 64 MiB goes back to its draft once, reported, never uploaded") {
  World w;
  const mano::sync::Answer answer = BigAnswer(kParts);
  const size_t bytes = answer.ToJson().size();
  // What an older mano queued without looking at the size.
  QueueAsBefore(w.runner.data_dir(), std::stoll(w.id), answer);
  REQUIRE(w.State() == "queued");

  ManoResult sync = w.runner.Run({"sync"}, {}, {{"LANG", "es_ES.UTF-8"}});
  INFO(sync.out << sync.err);
  CHECK(sync.err.find("La asignación " + w.id + " no se envió y vuelve a ser un borrador.") !=
        std::string::npos);
  CHECK(sync.err.find("67 MiB, más de los 64 MiB") != std::string::npos);
  CHECK(sync.out.find("rechazados 1") != std::string::npos);
  CHECK(w.State() == "in_progress");
  CHECK(w.server.QueryInt("SELECT COUNT(*) FROM uploads") == 0);
  // `mano show` says why, in the worker's language; the JSON keeps the code.
  ManoResult show = w.runner.Run({"show", w.id}, {}, {{"LANG", "es_ES.UTF-8"}});
  INFO(show.out);
  CHECK(show.out.find("Motivo dado: No enviada: La respuesta ocupa 67 MiB") != std::string::npos);
  rapidjson::Document list = Json(w.runner.Run({"list", "--json"}).out);
  CHECK(Str(list[0], "state_reason") == "mano:answer_too_large " + std::to_string(bytes) + " " +
                                            std::to_string(mano::sync::kMaxUploadBytes));

  // Once: the next pass has nothing to say about it, and still uploads nothing.
  ManoResult next = w.runner.Run({"sync"});
  INFO(next.out << next.err);
  CHECK(next.status == 0);
  CHECK(next.err.find("draft again") == std::string::npos);
  CHECK(w.server.QueryInt("SELECT COUNT(*) FROM uploads") == 0);
  CHECK(w.State() == "in_progress");
}
