// SqliteServerStore on a real file: the reads of large blobs (uploads, assets) never wait for
// the store's mutex, and the upload quota and expiry.
#include "sqlite_server_store.h"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <future>
#include <thread>

#include "temp_dir.h"

using namespace mano::manod;

namespace {

struct Fixture {
  mano::test::TempDir dir{"manod-store"};
  SqliteServerStore store{dir.File("manod.db"), true};
  int64_t alice = 0;
  Fixture() {
    REQUIRE(store.AddWorker("alice", "hash-a", 1));
    alice = store.WorkerByTokenHash("hash-a")->id;
  }
};

}  // namespace

// Before, ReadUpload and ReadAsset held the store's one mutex while they read (a 64 MiB upload
// kept every other worker's request waiting). Here a submit holds that mutex (its decision
// function blocks) while the reads run: they must finish anyway. On the old code they wait
// for the mutex, and the 60 s bound below fails the test instead of hanging it.
TEST_CASE("large reads do not wait for the store's mutex") {
  Fixture f;
  std::string bytes(8u << 20, 'x');
  REQUIRE(f.store.CreateUpload(f.alice, "u1", static_cast<int64_t>(bytes.size()), 1, {}) ==
          UploadOutcome::kCreated);
  int64_t offset = 0;
  REQUIRE(f.store.AppendUpload(f.alice, "u1", 0, bytes, &offset) == ChangeOutcome::kDone);
  {
    auto batch = f.store.BeginImport(0);
    size_t sent = 0;
    batch->PutAsset(std::string(64, 'a'), "image/png", static_cast<int64_t>(bytes.size()),
                    [&](char* buf, size_t max) {
                      size_t n = std::min(max, bytes.size() - sent);
                      std::memcpy(buf, bytes.data() + sent, n);
                      sent += n;
                      return n;
                    });
    batch->Commit();
  }

  std::promise<void> inside, release;
  std::shared_future<void> released = release.get_future().share();
  std::thread holder([&] {
    std::vector<SubmitAttempt> attempts(1);
    attempts[0].worker_id = f.alice;
    attempts[0].key = "k";
    f.store.SubmitBatch(attempts, [&](size_t, const SubmitFacts&) {
      inside.set_value();
      released.wait();  // the store's mutex is held all this time
      return SubmitDecision{};
    });
  });
  inside.get_future().wait();
  auto upload = std::async(std::launch::async, [&] { return f.store.ReadUpload(f.alice, "u1"); });
  auto asset = std::async(std::launch::async, [&] {
    int64_t total = 0;
    std::string type;
    return f.store.ReadAsset(std::string(64, 'a'), 10, 100, &total, &type);
  });
  const bool upload_done = upload.wait_for(std::chrono::seconds(60)) == std::future_status::ready;
  const bool asset_done = asset.wait_for(std::chrono::seconds(60)) == std::future_status::ready;
  release.set_value();
  holder.join();
  CHECK(upload_done);
  CHECK(asset_done);
  CHECK((upload.get() == bytes));
  CHECK((asset.get() == bytes.substr(10, 100)));
}

TEST_CASE("the upload quota counts open uploads and their declared bytes") {
  Fixture f;
  UploadQuota quota{3, 100};
  CHECK(f.store.CreateUpload(f.alice, "a", 60, 1, quota) == UploadOutcome::kCreated);
  CHECK(f.store.CreateUpload(f.alice, "b", 41, 1, quota) == UploadOutcome::kTooManyBytes);
  CHECK(f.store.CreateUpload(f.alice, "b", 40, 1, quota) == UploadOutcome::kCreated);
  CHECK(f.store.CreateUpload(f.alice, "c", 0, 1, quota) == UploadOutcome::kCreated);
  CHECK(f.store.CreateUpload(f.alice, "d", 0, 1, quota) == UploadOutcome::kTooMany);
  CHECK_FALSE(f.store.GetUpload(f.alice, "d"));
  // Expiry goes by creation time; what expires no longer counts.
  CHECK(f.store.CreateUpload(f.alice, "e", 0, 5, {}) == UploadOutcome::kCreated);
  CHECK(f.store.ExpireUploads(2) == 3);
  CHECK_FALSE(f.store.GetUpload(f.alice, "a"));
  CHECK(f.store.GetUpload(f.alice, "e"));
  CHECK(f.store.CreateUpload(f.alice, "f", 100, 6, quota) == UploadOutcome::kCreated);
}

// Group commit: batches queued while another group commits go into one transaction together,
// each under its own savepoint. A batch whose decision throws is undone whole (its first
// result too) and its caller gets the error; the batch beside it is stored and returns.
TEST_CASE("group commit: a failing batch is undone alone, the one beside it is stored") {
  Fixture f;
  auto attempt = [&](const std::string& key, int64_t assignment) {
    SubmitAttempt a;
    a.worker_id = f.alice;
    a.key = key;
    a.assignment_id = assignment;
    a.answer_json = "{}";
    a.hash = "h-" + key;
    a.now = 5;
    return a;
  };
  auto store = [](size_t, const SubmitFacts&) {
    SubmitDecision d;
    d.receipt_json = "{}";
    d.record_receipt = true;
    d.store_result = true;
    d.status = "accepted";
    return d;
  };
  std::promise<void> inside, release;
  std::shared_future<void> released = release.get_future().share();
  std::thread first([&] {
    f.store.SubmitBatch({attempt("a", 1)}, [&](size_t i, const SubmitFacts& facts) {
      inside.set_value();
      released.wait();  // this group stays open while the next two queue up
      return store(i, facts);
    });
  });
  inside.get_future().wait();
  std::atomic<bool> b_ok{false}, c_threw{false};
  std::thread b([&] {
    f.store.SubmitBatch({attempt("b1", 2), attempt("b2", 3)}, store);
    b_ok = true;
  });
  std::thread c([&] {
    try {
      f.store.SubmitBatch({attempt("c1", 4), attempt("c2", 5)},
                          [&](size_t i, const SubmitFacts& facts) {
                            if (i == 1) throw std::runtime_error("bad task");
                            return store(i, facts);
                          });
    } catch (const std::runtime_error&) {
      c_threw = true;
    }
  });
  while (f.store.TEST_Queued() < 2) std::this_thread::yield();
  release.set_value();
  first.join();
  b.join();
  c.join();
  CHECK(b_ok);
  CHECK(c_threw);
  SqliteDb db(f.dir.File("manod.db"), false);
  SqliteStatement keys(db,
                       "SELECT group_concat(key, ',') FROM (SELECT key FROM results ORDER BY key)");
  REQUIRE(keys.Step());
  CHECK(keys.Text(0) == "a,b1,b2");
  SqliteStatement receipts(db, "SELECT COUNT(*) FROM receipts");
  REQUIRE(receipts.Step());
  CHECK(receipts.Int(0) == 3);
}
