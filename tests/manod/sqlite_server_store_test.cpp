// SqliteServerStore on a real file: the reads of large blobs (uploads, assets) never wait for
// the store's mutex, and the upload quota and expiry. With MANO_TEST_DB=postgres (ctest entry
// manod_server_store_pg_test) the same cases run on PgServerStore, on a fresh database of the
// test's private PostgreSQL.
#include "sqlite_server_store.h"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <future>
#include <thread>

#include "pg_server_store.h"
#include "postgres_process.h"
#include "temp_dir.h"

using namespace mano::manod;

namespace {

std::unique_ptr<ServerStore> Open(const std::string& file) {
  if (mano::test::PostgresProcess::UseForManod()) {
    return std::make_unique<PgServerStore>(mano::test::PostgresProcess::Shared().CreateDatabase(),
                                           true);
  }
  return std::make_unique<SqliteServerStore>(file, true);
}

struct Fixture {
  mano::test::TempDir dir{"manod-store"};
  std::unique_ptr<ServerStore> owned = Open(dir.File("manod.db"));
  ServerStore& store = *owned;
  int64_t alice = 0;
  Fixture() {
    REQUIRE(store.AddWorker("alice", "hash-a", 1));
    alice = store.WorkerByTokenHash("hash-a")->id;
  }
};

}  // namespace

// Before, reading an upload and ReadAsset held the store's one mutex while they read (a 64 MiB upload
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
  auto upload = std::async(std::launch::async, [&] {
    std::string read;
    auto chunks = f.store.OpenUpload(f.alice, "u1");
    for (std::string_view c = chunks->Next(); !c.empty(); c = chunks->Next()) read += c;
    CHECK(chunks->whole());
    return read;
  });
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

TEST_CASE("an upload is read back chunk by chunk, in order, only when complete and its own") {
  Fixture f;
  REQUIRE(f.store.AddWorker("bob", "hash-b", 1));
  const std::string bytes = "0123456789abcdefghij";
  REQUIRE(f.store.CreateUpload(f.alice, "u1", 20, 1, {}) == UploadOutcome::kCreated);
  int64_t offset = 0;
  REQUIRE(f.store.AppendUpload(f.alice, "u1", 0, bytes.substr(0, 7), &offset) ==
          ChangeOutcome::kDone);
  CHECK(f.store.OpenUpload(f.alice, "u1") == nullptr);  // incomplete
  // Chunks whose keys would sort differently as text (7 before 13): the order is by offset.
  REQUIRE(f.store.AppendUpload(f.alice, "u1", 7, bytes.substr(7, 6), &offset) ==
          ChangeOutcome::kDone);
  REQUIRE(f.store.AppendUpload(f.alice, "u1", 13, bytes.substr(13), &offset) ==
          ChangeOutcome::kDone);
  auto chunks = f.store.OpenUpload(f.alice, "u1");
  REQUIRE(chunks);
  CHECK(chunks->length() == 20);
  std::vector<std::string> read;
  for (std::string_view c = chunks->Next(); !c.empty(); c = chunks->Next()) read.emplace_back(c);
  CHECK(read == std::vector<std::string>{"0123456", "789abc", "defghij"});
  CHECK(chunks->whole());
  CHECK(chunks->Next().empty());
  chunks.reset();
  CHECK(f.store.OpenUpload(f.store.WorkerByTokenHash("hash-b")->id, "u1") == nullptr);
  CHECK(f.store.OpenUpload(f.alice, "nope") == nullptr);
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

// Assets are read in ranges (GET /v1/assets with Range); PostgreSQL keeps them in 1 MiB chunks,
// so ranges that start, end or span chunk boundaries, and ranges past the end, must come back
// exactly as the bytes stored.
TEST_CASE("asset ranges come back exact across chunk boundaries and past the end") {
  Fixture f;
  std::string bytes((5u << 19) + 7, '\0');  // 2.5 MiB + 7
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 131 + i / 7) & 0xff);
  const std::string hash(64, 'b');
  {
    auto batch = f.store.BeginImport(0);
    size_t sent = 0;
    // Odd piece sizes, so chunks and pieces never line up.
    batch->PutAsset(hash, "audio/ogg", static_cast<int64_t>(bytes.size()),
                    [&](char* buf, size_t max) {
                      size_t n = std::min({max, bytes.size() - sent, size_t{300001}});
                      std::memcpy(buf, bytes.data() + sent, n);
                      sent += n;
                      return n;
                    });
    batch->Commit();
  }
  const int64_t mib = 1 << 20, size = static_cast<int64_t>(bytes.size());
  for (auto [offset, max] : std::vector<std::pair<int64_t, int64_t>>{{0, 10},
                                                                     {mib - 3, 6},
                                                                     {mib, mib},
                                                                     {mib - 1, 2 * mib + 2},
                                                                     {0, size},
                                                                     {size - 5, 100},
                                                                     {size, 10},
                                                                     {size + 10, 10},
                                                                     {2 * mib + 1, 0}}) {
    INFO("offset " << offset << " max " << max);
    int64_t total = 0;
    std::string type;
    auto got = f.store.ReadAsset(hash, offset, max, &total, &type);
    REQUIRE(got);
    CHECK(total == size);
    CHECK(type == "audio/ogg");
    const std::string want =
        offset >= size ? std::string()
                       : bytes.substr(static_cast<size_t>(offset), static_cast<size_t>(max));
    CHECK((*got == want));
  }
  int64_t total = 0;
  std::string type;
  CHECK_FALSE(f.store.ReadAsset(std::string(64, 'c'), 0, 10, &total, &type));
}

// A task goes back into the pool when its lease expires, is returned or is revoked, and never
// past its `assignments`: on PostgreSQL the claim's `taken` hint must not hide such a task.
TEST_CASE("a task comes back after an expired, returned or revoked lease, never beyond its count") {
  Fixture f;
  REQUIRE(f.store.AddWorker("bob", "hash-b", 1));
  REQUIRE(f.store.AddWorker("carol", "hash-c", 1));
  REQUIRE(f.store.AddWorker("dan", "hash-d", 1));
  const int64_t bob = f.store.WorkerByTokenHash("hash-b")->id;
  const int64_t carol = f.store.WorkerByTokenHash("hash-c")->id;
  const int64_t dan = f.store.WorkerByTokenHash("hash-d")->id;
  {
    auto batch = f.store.BeginImport(0);
    TaskRecord task;
    task.id = "only";
    task.kind = "k";
    task.task_json = "{}";
    task.lease_ms = 1000;
    REQUIRE(batch->PutTask(task));
    batch->Commit();
  }
  auto leased = f.store.Claim(f.alice, "a1", 5, {}, 100);
  REQUIRE(leased.size() == 1);
  CHECK(f.store.Claim(bob, "b1", 5, {}, 200).empty());   // held
  auto expired = f.store.Claim(bob, "b2", 5, {}, 1200);  // alice's lease expired at 1100
  REQUIRE(expired.size() == 1);
  CHECK(f.store.Claim(carol, "c1", 5, {}, 1300).empty());  // bob holds it now
  CHECK(f.store.Return(bob, expired[0].id, 1300) == ChangeOutcome::kDone);
  auto returned = f.store.Claim(carol, "c2", 5, {}, 1400);  // bob handed it back
  REQUIRE(returned.size() == 1);
  CHECK(f.store.RevokeLease(returned[0].id, "taken back", 1500) == ChangeOutcome::kDone);
  auto revoked = f.store.Claim(dan, "d1", 5, {}, 1600);
  REQUIRE(revoked.size() == 1);
  CHECK(f.store.Claim(dan, "d2", 5, {}, 1700).empty());  // never twice to one worker
  // Each worker once; the one live lease is dan's.
  CHECK(f.store.CountByKind(1700).at(0).leased == 1);
}

// Group commit: batches queued while another group commits go into one transaction together,
// each under its own savepoint. A batch whose decision throws is undone whole (its first
// result too) and its caller gets the error; the batch beside it is stored and returns.
TEST_CASE("group commit: a failing batch is undone alone, the one beside it is stored",
          "[sqlite]") {
  struct {
    mano::test::TempDir dir{"manod-store"};
    SqliteServerStore store{dir.File("manod.db"), true};
    int64_t alice = 0;
  } f;
  REQUIRE(f.store.AddWorker("alice", "hash-a", 1));
  f.alice = f.store.WorkerByTokenHash("hash-a")->id;
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
