// What each fuzz target provides. The same target source builds two ways:
// - with fuzz_driver.cpp into a plain program (any compiler) that runs the seeds and a fixed,
//   seeded number of mutations of them (label `fuzz`, part of the normal suite);
// - with -fsanitize=fuzzer into a libFuzzer binary when the compiler is Clang.
// A target aborts (__builtin_trap) when an invariant breaks; hostile input must only ever
// produce mano::sync::SyncError, which the target catches.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

// Valid inputs to start mutating from.
std::vector<std::string> FuzzSeeds();

#define FUZZ_CHECK(cond)           \
  do {                             \
    if (!(cond)) __builtin_trap(); \
  } while (0)
