// bench_queue: prepares a mano data folder for the benchmarks, fast (one process, no
// network), through the same library calls the `mano` program uses.
//
//   bench_queue answer --data-dir DIR [--comment-every 10] [--seed 1]
//       For every assignment in state `claimed`, queues a relevance answer with
//       sync::QueueResult (validated against the form, idempotency key, outbox row), as
//       `mano answer` + `mano submit` would: score 0..4 from a seeded generator, and a short
//       comment on one result in --comment-every. Prints the number queued.
//   bench_queue clone --data-dir DIR --count N
//       Copies the first cached assignment until the folder holds N assignments (new server
//       ids "b<n>"), for the footprint of `mano list` with many cached tasks.
//
// A benchmark tool, not part of mano: it writes through storage::Store only. Single thread.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "bench_main.h"
#include "mano/storage/store.h"
#include "mano/sync/answer.h"
#include "mano/sync/result_builder.h"

namespace {

constexpr const char* kComments[] = {"login page", "outdated prices", "wrong city",
                                     "spam, ads only", "perfect match"};

struct Args {
  std::string command, data_dir;
  int comment_every = 10;
  uint64_t seed = 1;
  int count = 0;
};

int Usage() {
  std::fprintf(stderr,
               "usage: bench_queue answer --data-dir DIR [--comment-every N] [--seed S]\n"
               "       bench_queue clone --data-dir DIR --count N\n");
  return 2;
}

uint64_t NextRandom(uint64_t& state) {  // SplitMix64
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

int Answer(mano::storage::Store& store, const Args& args) {
  mano::storage::AssignmentFilter filter;
  filter.state = mano::storage::AssignmentState::kClaimed;
  uint64_t state = args.seed;
  int queued = 0;
  for (const auto& assignment : store.ListAssignments(filter)) {
    mano::sync::Answer answer;
    answer.Set("score", static_cast<std::int64_t>(NextRandom(state) % 5));
    if (args.comment_every > 0 && queued % args.comment_every == args.comment_every - 1) {
      answer.Set("comment", std::string(kComments[NextRandom(state) % 5]));
    }
    mano::sync::QueueResult(store, assignment.id, answer);
    ++queued;
  }
  std::printf("%d\n", queued);
  return 0;
}

int Clone(mano::storage::Store& store, const Args& args) {
  auto all = store.ListAssignments();
  if (all.empty()) {
    std::fprintf(stderr, "bench_queue: no assignment to clone\n");
    return 1;
  }
  mano::storage::Assignment model = all.front();
  int have = static_cast<int>(all.size());
  for (int n = have; n < args.count; ++n) {
    model.id = 0;
    model.server_id = "b" + std::to_string(n);
    model.task_id = "bench-" + std::to_string(n);
    store.UpsertAssignment(model);
  }
  std::printf("%d\n", std::max(have, args.count));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (argc < 2) return Usage();
  args.command = argv[1];
  mano::bench::BenchFlags flags;
  flags.Text("--data-dir", &args.data_dir)
      .Int("--comment-every", &args.comment_every)
      .Uint64("--seed", &args.seed)
      .Int("--count", &args.count);
  if (!flags.Parse(argc, argv, 2) || args.data_dir.empty()) return Usage();
  return mano::bench::ReportErrors("bench_queue", [&] {
    auto store = mano::storage::Store::Open(args.data_dir);
    if (args.command == "answer") return Answer(store, args);
    if (args.command == "clone") return Clone(store, args);
    return Usage();
  });
}
