#include "mano/sync/batch_sizer.h"

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "mano/storage/store.h"

using namespace mano;
using sync::BatchSizer;
using sync::BatchSizerOptions;

TEST_CASE("the window is bytes: a count neither starts it nor bounds it", "[batch]") {
  BatchSizer sizer;
  CHECK(sizer.bytes() == BatchSizerOptions{}.start_bytes);
  CHECK(sizer.bytes() >= 64 << 10);  // a link never used starts with room, not 1 result
  CHECK(sizer.items() == static_cast<int>(mano::sync::kMaxSubmitBatch));
  for (int i = 0; i < 40; ++i) sizer.Delivered(100, sizer.bytes());
  CHECK(sizer.bytes() == BatchSizerOptions{}.max_bytes);
  CHECK(sizer.items() == static_cast<int>(mano::sync::kMaxSubmitBatch));
}

TEST_CASE("full batches that go through quickly double the window, small ones hold it",
          "[batch]") {
  BatchSizerOptions options;
  options.start_bytes = 4096;
  options.max_bytes = 40'000;
  BatchSizer sizer(options);
  CHECK(sizer.bytes() == 4096);
  sizer.Delivered(100, 4000);
  CHECK(sizer.bytes() == 8192);
  sizer.Delivered(100, 1000);  // under half the window: says nothing about the link
  CHECK(sizer.bytes() == 8192);
  for (int i = 0; i < 10; ++i) sizer.Delivered(100, sizer.bytes());
  CHECK(sizer.bytes() == 40'000);
}

TEST_CASE("a cut halves the window, never below the floor", "[batch]") {
  BatchSizerOptions options;
  options.start_bytes = 64 << 10;
  options.min_bytes = 1024;
  BatchSizer sizer(options);
  sizer.Cut();
  CHECK(sizer.bytes() == 32 << 10);
  for (int i = 0; i < 20; ++i) sizer.Cut();
  CHECK(sizer.bytes() == 1024);
  CHECK(sizer.items() >= 1);
}

TEST_CASE("slow deliveries shrink, middling ones hold", "[batch]") {
  BatchSizerOptions options;
  options.start_bytes = 8192;
  BatchSizer sizer(options);
  sizer.Delivered(options.fast_ms + 1, 8192);
  CHECK(sizer.bytes() == 8192);
  sizer.Delivered(options.slow_ms + 1, 8192);
  CHECK(sizer.bytes() == 4096);
}

TEST_CASE("a restored window is clamped and replaces the start", "[batch]") {
  BatchSizerOptions options;
  options.start_bytes = 256 << 10;
  options.min_bytes = 1024;
  options.max_bytes = 1 << 20;
  BatchSizer sizer(options);
  sizer.Restore(3000);
  CHECK(sizer.bytes() == 3000);
  sizer.Restore(0);  // nothing remembered: keeps what it has
  CHECK(sizer.bytes() == 3000);
  sizer.Restore(10);
  CHECK(sizer.bytes() == 1024);
  sizer.Restore(int64_t{1} << 40);
  CHECK(sizer.bytes() == 1 << 20);
}

TEST_CASE("the window is remembered per account in the store", "[batch]") {
  char name[] = "/tmp/mano-sizer-XXXXXX";
  REQUIRE(mkdtemp(name) != nullptr);
  const std::string dir = name;
  {
    auto store = storage::Store::Open(dir);
    for (const char* name : {"a", "b"}) {
      storage::Account account;
      account.name = name;
      account.server_url = "http://127.0.0.1:1";
      account.token = "t";
      store.AddAccount(account);
    }
    CHECK(sync::LoadLinkBatchBytes(store, "a") == 0);
    sync::SaveLinkBatchBytes(store, "a", 12345);
    sync::SaveLinkBatchBytes(store, "b", 777);
  }
  {
    auto store = storage::Store::Open(dir);  // as the next process would
    CHECK(sync::LoadLinkBatchBytes(store, "a") == 12345);
    CHECK(sync::LoadLinkBatchBytes(store, "b") == 777);
    store.SetCursor("a", sync::kLinkBatchCursor, "not a number");
    CHECK(sync::LoadLinkBatchBytes(store, "a") == 0);
  }
  std::filesystem::remove_all(dir);
}
