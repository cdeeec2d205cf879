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

}  // namespace

TEST_CASE("a large result is uploaded with resume across cuts, then submitted once",
          "[integration][fault]") {
  const test::TempDir temp_dir("mano-upload");
  const std::string dir = temp_dir.path();
  test::ManodProcess server(test::ServerOptions(WriteLongTasks(dir)));
  auto net = test::FlakynetProcess::ToPort(server.port(), {"--profile", "good"});
  sync::SyncEngine engine(dir + "/client", test::FastEngineOptions());
  engine.Login("alice", "http://" + net.address(), server.Token("alice"));
  const auto ids = engine.Claim("alice", 1);
  REQUIRE(ids.size() == 1);
  sync::Answer answer;
  std::string text;
  for (int i = 0; text.size() < 300'000; ++i) text += "line " + std::to_string(i) + " [unclear]\n";
  answer.Set("text", text);
  sync::QueueResult(engine.store(), ids[0], answer);

  // Every connection is cut after 50 kB up. libcurl itself resends a request whose reused
  // connection died before any reply, but a chunk cut on a fresh connection ends the pass:
  // the next pass asks the server for its offset (HEAD) and goes on from there.
  int passes = 0;
  const std::vector<int64_t> offsets = PassesThroughCuts(engine, net, 50000, 30, &passes);
  CHECK(engine.store().OutboxStats("alice").items == 0);
  CHECK(passes > 1);  // it was cut, and resumed
  REQUIRE_FALSE(offsets.empty());
  // A pass ended with part of the upload on the server (the first chunks, as large as the
  // batch window, may be cut whole: each cut halves the window until chunks go through).
  CHECK(std::any_of(offsets.begin(), offsets.end(), [](int64_t offset) { return offset > 0; }));
  for (size_t i = 1; i < offsets.size(); ++i) CHECK(offsets[i] >= offsets[i - 1]);
  CHECK(net.Stats().cuts > 0);
  net.ControlOk("set cut_after_up 0");
  net.ControlOk("cut reset");
  const auto receipt = engine.store().GetReceipt(ids[0]);
  REQUIRE(receipt);
  CHECK(receipt->status == "accepted");
  test::CheckExactlyOnce(server, engine, "alice",
                         {{engine.store().GetAssignment(ids[0])->server_id, answer}});
}

// An answer over the 4 MiB JSON body limit (a transcript in six parts): the client keeps it,
// uploads it across cuts and the server reads it; before, the server refused every uploaded
// answer above 4 MiB as invalid.
TEST_CASE("an answer over 4 MiB goes by upload across cuts and is stored exactly",
          "[integration][fault]") {
  const test::TempDir temp_dir("mano-upload-big");
  const std::string dir = temp_dir.path();
  test::ManodProcess server(test::ServerOptions(WriteLongTasks(dir, 1, 5)));
  auto net = test::FlakynetProcess::ToPort(server.port(), {"--profile", "good"});
  sync::SyncEngine engine(dir + "/client", test::FastEngineOptions());
  engine.Login("alice", "http://" + net.address(), server.Token("alice"));
  const auto ids = engine.Claim("alice", 1);
  REQUIRE(ids.size() == 1);
  sync::Answer answer;
  std::string text;
  for (int i = 0; text.size() < 900'000; ++i) text += "part line " + std::to_string(i) + "\n";
  answer.Set("text", text);
  for (int i = 1; i <= 5; ++i) answer.Set("text" + std::to_string(i), std::to_string(i) + text);
  REQUIRE(answer.ToJson().size() > sync::kMaxDecompressedBytes);
  sync::QueueResult(engine.store(), ids[0], answer);
  int passes = 0;
  PassesThroughCuts(engine, net, 2000000, 40, &passes);
  CHECK(engine.store().OutboxStats("alice").items == 0);
  CHECK(net.Stats().cuts > 0);
  net.ControlOk("set cut_after_up 0");
  const auto receipt = engine.store().GetReceipt(ids[0]);
  REQUIRE(receipt);
  CHECK(receipt->status == "accepted");
  test::CheckExactlyOnce(server, engine, "alice",
                         {{engine.store().GetAssignment(ids[0])->server_id, answer}});
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
  std::string text;
  for (int i = 0; text.size() < 270'000; ++i) text += "line " + std::to_string(i) + "\n";
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
