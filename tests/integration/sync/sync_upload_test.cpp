// A result over 256 KB goes by the tus upload flow: created once, resumed from the server's
// offset (HEAD) after each cut, then submitted by reference; it arrives exactly once.
#include <algorithm>
#include <fstream>

#include "mano/sync/limits.h"
#include "sync_fixture.h"

using namespace mano;

namespace {

// `count` transcription tasks (long-1, long-2...) whose transcript may be a million code points,
// with `extra` more text fields of that size (text1, text2...).
std::string WriteLongTasks(const std::string& dir, int count = 1, int extra = 0) {
  sync::TaskSpec spec;
  for (const auto& sample : sync::SampleTasks()) {
    if (sample.kind == "transcription") spec = sample;
  }
  spec.assignments = 1;
  for (auto& asset : spec.assets) {
    asset.path.clear();
    asset.data = sync::MakeSampleWav(200, 440);
  }
  for (auto& field : spec.form.fields) {
    if (field.name == "text") field.max_length = 1'000'000;
  }
  for (int i = 1; i <= extra; ++i) {
    for (auto field : spec.form.fields) {
      if (field.name != "text") continue;
      field.name = "text" + std::to_string(i);
      spec.form.fields.push_back(field);
      break;
    }
  }
  const std::string path = dir + "/long.jsonl";
  std::ofstream out(path);
  for (int i = 1; i <= count; ++i) {
    spec.id = "long-" + std::to_string(i);
    out << sync::ToJsonString(spec) << '\n';
  }
  return path;
}

// "<before>0<after>\n<before>1<after>\n"... until the text holds at least `size` bytes.
std::string NumberedLines(const std::string& before, const std::string& after, size_t size) {
  std::string text;
  for (int i = 0; text.size() < size; ++i) text += before + std::to_string(i) + after + "\n";
  return text;
}

// Cuts every new connection after `cut_after` bytes up and runs passes until alice's outbox
// is empty (at most `max_passes`); returns the upload offset the outbox held after each pass
// that left the result pending. `passes` counts the passes run.
std::vector<int64_t> PassesThroughCuts(sync::SyncEngine& engine, test::FlakynetProcess& net,
                                       int64_t cut_after, int max_passes, int* passes) {
  net.ControlOk("set cut_after_up " + std::to_string(cut_after));
  net.ControlOk("cut reset");
  std::vector<int64_t> offsets;
  *passes = 0;
  while (engine.store().OutboxStats("alice").items > 0 && *passes < max_passes) {
    engine.RunPass(true);
    ++*passes;
    const auto pending = engine.store().PendingResults("alice");
    if (!pending.empty()) offsets.push_back(pending.front().upload_offset);
  }
  return offsets;
}

// One long transcription task (with `extra` more long text fields), claimed by alice through
// flakynet on a good link: `id` is its local id.
struct UploadWorld {
  UploadWorld(const char* name, int extra)
      : temp_dir(name), server(test::ServerOptions(WriteLongTasks(temp_dir.path(), 1, extra))) {
    engine.Login("alice", "http://" + net.address(), server.Token("alice"));
    const auto ids = engine.Claim("alice", 1);
    REQUIRE(ids.size() == 1);
    id = ids[0];
  }
  // With the cuts off: `answer` has its accepted receipt and reached the server exactly once.
  void CheckAcceptedOnce(const sync::Answer& answer) {
    net.ControlOk("set cut_after_up 0");
    net.ControlOk("cut reset");
    const auto receipt = engine.store().GetReceipt(id);
    REQUIRE(receipt);
    CHECK(receipt->status == "accepted");
    test::CheckExactlyOnce(server, engine, "alice",
                           {{engine.store().GetAssignment(id)->server_id, answer}});
  }

  const test::TempDir temp_dir;
  test::ManodProcess server;
  test::FlakynetProcess net = test::FlakynetProcess::ToPort(server.port(), {"--profile", "good"});
  sync::SyncEngine engine{temp_dir.path() + "/client", test::FastEngineOptions()};
  int64_t id = 0;
};

}  // namespace

TEST_CASE("a large result is uploaded with resume across cuts, then submitted once",
          "[integration][fault]") {
  UploadWorld w("mano-upload", 0);
  sync::SyncEngine& engine = w.engine;
  sync::Answer answer;
  answer.Set("text", NumberedLines("line ", " [unclear]", 300'000));
  sync::QueueResult(engine.store(), w.id, answer);

  // Every connection is cut after 50 kB up. libcurl itself resends a request whose reused
  // connection died before any reply, but a chunk cut on a fresh connection ends the pass:
  // the next pass asks the server for its offset (HEAD) and goes on from there.
  int passes = 0;
  const std::vector<int64_t> offsets = PassesThroughCuts(engine, w.net, 50000, 30, &passes);
  CHECK(engine.store().OutboxStats("alice").items == 0);
  CHECK(passes > 1);  // it was cut, and resumed
  REQUIRE_FALSE(offsets.empty());
  // A pass ended with part of the upload on the server (the first chunks, as large as the
  // batch window, may be cut whole: each cut halves the window until chunks go through).
  CHECK(std::any_of(offsets.begin(), offsets.end(), [](int64_t offset) { return offset > 0; }));
  for (size_t i = 1; i < offsets.size(); ++i) CHECK(offsets[i] >= offsets[i - 1]);
  CHECK(w.net.Stats().cuts > 0);
  w.CheckAcceptedOnce(answer);
}

// An answer over the 4 MiB JSON body limit (a transcript in six parts): the client keeps it,
// uploads it across cuts and the server reads it; before, the server refused every uploaded
// answer above 4 MiB as invalid.
TEST_CASE("an answer over 4 MiB goes by upload across cuts and is stored exactly",
          "[integration][fault]") {
  UploadWorld w("mano-upload-big", 5);
  sync::SyncEngine& engine = w.engine;
  sync::Answer answer;
  const std::string text = NumberedLines("part line ", "", 900'000);
  answer.Set("text", text);
  for (int i = 1; i <= 5; ++i) answer.Set("text" + std::to_string(i), std::to_string(i) + text);
  REQUIRE(answer.ToJson().size() > sync::kMaxDecompressedBytes);
  sync::QueueResult(engine.store(), w.id, answer);
  int passes = 0;
  PassesThroughCuts(engine, w.net, 2000000, 40, &passes);
  CHECK(engine.store().OutboxStats("alice").items == 0);
  CHECK(w.net.Stats().cuts > 0);
  w.CheckAcceptedOnce(answer);
}

// manod holds at most kMaxOpenUploads uploads per worker that no result names yet (429
// upload_quota beyond). A pass with more large results than that sends the results whose
// uploads are done, which frees their places, and goes on; before, every pass stopped at the
// quota without submitting anything, and the outbox never drained.
TEST_CASE("more large results than the server's upload quota still drain", "[integration]") {
  const test::TempDir temp_dir("mano-upload-quota");
  const std::string dir = temp_dir.path();
  const size_t count = sync::kMaxOpenUploads + 3;
  test::ManodProcess server(test::ServerOptions(WriteLongTasks(dir, static_cast<int>(count))));
  auto options = test::FastEngineOptions();
  sync::SyncEngine engine(dir + "/client", options);
  engine.Login("alice", server.url(), server.Token("alice"));
  const auto ids = engine.Claim("alice", static_cast<int>(count));
  REQUIRE(ids.size() == count);
  const std::string text = NumberedLines("line ", "", 270'000);
  for (size_t i = 0; i < ids.size(); ++i) {
    sync::Answer answer;
    answer.Set("text", std::to_string(i) + text);
    sync::QueueResult(engine.store(), ids[i], answer);
  }
  for (int pass = 0; pass < 5 && engine.store().OutboxStats("alice").items > 0; ++pass) {
    engine.RunPass(true);
  }
  CHECK(engine.store().OutboxStats("alice").items == 0);
  for (const auto& id : ids) {
    const auto receipt = engine.store().GetReceipt(id);
    REQUIRE(receipt);
    CHECK(receipt->status == "accepted");
  }
}
