// SqliteServerStore on a real file: the reads of large blobs (uploads, assets) never wait for
// the store's mutex, and the upload quota and expiry.
#include "sqlite_server_store.h"

#include <algorithm>
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
