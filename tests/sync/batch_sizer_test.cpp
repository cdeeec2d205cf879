#include "mano/sync/batch_sizer.h"

#include <catch2/catch.hpp>

using mano::sync::BatchSizer;
using mano::sync::BatchSizerOptions;

TEST_CASE("batches start small and grow while they go through quickly", "[batch]") {
  BatchSizerOptions options;
  options.start_items = 2;
  options.max_items = 20;
  options.start_bytes = 4096;
  options.max_bytes = 40'000;
  BatchSizer sizer(options);
  CHECK(sizer.items() == 2);
  CHECK(sizer.bytes() == 4096);
  sizer.Delivered(100);
  CHECK(sizer.items() == 4);
  CHECK(sizer.bytes() == 8192);
  for (int i = 0; i < 10; ++i) sizer.Delivered(100);
  CHECK(sizer.items() == 20);
  CHECK(sizer.bytes() == 40'000);
}

TEST_CASE("a cut halves the batch, never below one item", "[batch]") {
  BatchSizer sizer;
  for (int i = 0; i < 5; ++i) sizer.Delivered(10);
  const int before = sizer.items();
  sizer.Cut();
  CHECK(sizer.items() == before / 2);
  for (int i = 0; i < 20; ++i) sizer.Cut();
  CHECK(sizer.items() == 1);
  CHECK(sizer.bytes() >= 1024);
}

TEST_CASE("slow deliveries shrink, middling ones hold", "[batch]") {
  BatchSizerOptions options;
  options.start_items = 8;
  BatchSizer sizer(options);
  sizer.Delivered(options.fast_ms + 1);
  CHECK(sizer.items() == 8);
  sizer.Delivered(options.slow_ms + 1);
  CHECK(sizer.items() == 4);
}
