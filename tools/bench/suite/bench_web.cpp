// bench_web: the baseline client and the server-side load for the benchmarks (issue 7).
// Every subcommand prints one JSON line on stdout.
//
//   bench_web claim   --url U --token-file F --count N
//       POST /v1/claim in sets of 100 (relevance only); prints {"ids":[...]}.
//   bench_web post    --url U --token-file F --ids FILE [--limit N] [--gzip] [--seed S]
//       The baseline: one POST /v1/submit per result, plain JSON, browser-like headers
//       (web_client.h), keep-alive; a failed request (cut, stall, timeout) is retried after
//       1 s until an HTTP reply comes. --gzip sends the body with Content-Encoding: gzip.
//       Answers come from the same seeded generator as bench_queue's.
//   bench_web batch   --url U --token-file F --ids FILE [--size 100]
//       Submits the results in batches of --size (plain JSON), one after another; prints the
//       results per second the server ingested (each batch answered with receipts).
//   bench_web latency --url U --token-file F [--requests 200] [--trickle 1000] [--rate 100]
//       Opens --trickle slow connections sending --rate B/s each (trickle.h), waits 2 s,
//       then times --requests sequential GET /v1/me; prints p50/p99/max in ms.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_main.h"
#include "trickle.h"
#include "web_client.h"

namespace {

using mano::bench::Clock;
using mano::bench::SecondsSince;

struct Args {
  std::string command, url, token_file, ids_file;
  int count = 0, limit = 0, size = 100, requests = 200, trickle = 1000, rate = 100;
  bool gzip = false;
  uint64_t seed = 1;
};

constexpr const char* kComments[] = {"login page", "outdated prices", "wrong city",
                                     "spam, ads only", "perfect match"};

uint64_t NextRandom(uint64_t& state) {  // SplitMix64, as bench_queue
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// {"a":"ID","v":{"score":N[,"comment":"..."]}}; a comment on one result in ten.
std::string ResultJson(const std::string& id, int index, uint64_t& state) {
  std::string json = "{\"a\":\"" + id + "\",\"v\":{";
  if (index % 10 == 9) {
    std::string score = std::to_string(NextRandom(state) % 5);
    json += "\"comment\":\"" + std::string(kComments[NextRandom(state) % 5]) + "\",";
    return json + "\"score\":" + score + "}}";
  }
  return json + "\"score\":" + std::to_string(NextRandom(state) % 5) + "}}";
}

std::string ReadFirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  if (line.empty()) throw std::runtime_error("empty or missing file " + path);
  return line;
}

std::vector<std::string> ReadIds(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> ids;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) ids.push_back(line);
  }
  return ids;
}

int Claim(const Args& args, const std::string& token) {
  mano::bench::WebClient client;
  auto headers = mano::bench::BrowserHeaders(token);
  std::vector<std::string> ids;
  const std::string stamp = std::to_string(Clock::now().time_since_epoch().count());
  for (int round = 0; static_cast<int>(ids.size()) < args.count; ++round) {
    int want = std::min(100, args.count - static_cast<int>(ids.size()));
    std::string body = "{\"key\":\"bench-" + stamp + "-" + std::to_string(round) +
                       "\",\"count\":" + std::to_string(want) + ",\"kinds\":[\"relevance\"]}";
    auto reply = client.Post(args.url + "/v1/claim", headers, body);
    if (reply.status != 200) {
      std::fprintf(stderr, "bench_web: claim answered %ld %s %s\n", reply.status,
                   reply.error.c_str(), reply.body.c_str());
      return 1;
    }
    size_t before = ids.size();
    for (size_t at = reply.body.find("\"id\":\""); at != std::string::npos;
         at = reply.body.find("\"id\":\"", at + 1)) {
      size_t start = at + 6;
      ids.push_back(reply.body.substr(start, reply.body.find('"', start) - start));
    }
    if (ids.size() == before) {
      std::fprintf(stderr, "bench_web: no more work to claim after %zu\n", ids.size());
      return 1;
    }
  }
  std::string out = "{\"ids\":[";
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? ",\"" : "\"") + ids[i] + "\"";
  std::printf("%s]}\n", out.c_str());
  return 0;
}

int Post(const Args& args, const std::string& token) {
  auto ids = ReadIds(args.ids_file);
  if (args.limit > 0 && static_cast<int>(ids.size()) > args.limit) ids.resize(args.limit);
  mano::bench::WebClient client;
  auto headers = mano::bench::BrowserHeaders(token);
  if (args.gzip) headers.push_back("Content-Encoding: gzip");
  std::map<long, int> statuses;
  int requests = 0, retries = 0;
  uint64_t state = args.seed;
  auto start = Clock::now();
  for (size_t i = 0; i < ids.size(); ++i) {
    std::string body = "{\"results\":[" + ResultJson(ids[i], static_cast<int>(i), state) + "]}";
    if (args.gzip) body = mano::bench::Gzip(body);
    for (;;) {
      ++requests;
      auto reply = client.Post(args.url + "/v1/submit", headers, body);
      if (reply.status != 0 && reply.status != 429 && reply.status < 500) {
        ++statuses[reply.status];
        break;
      }
      ++retries;
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
  double seconds = SecondsSince(start);
  std::string codes;
  for (const auto& [code, n] : statuses) {
    codes += (codes.empty() ? "\"" : ",\"") + std::to_string(code) + "\":" + std::to_string(n);
  }
  std::printf(
      "{\"results\":%zu,\"seconds\":%.3f,\"requests\":%d,\"retries\":%d,"
      "\"statuses\":{%s}}\n",
      ids.size(), seconds, requests, retries, codes.c_str());
  return 0;
}

int Batch(const Args& args, const std::string& token) {
  auto ids = ReadIds(args.ids_file);
  mano::bench::WebClient client;
  auto headers = mano::bench::BrowserHeaders(token);
  uint64_t state = args.seed;
  int accepted = 0;
  auto start = Clock::now();
  for (size_t first = 0; first < ids.size(); first += static_cast<size_t>(args.size)) {
    std::string body = "{\"results\":[";
    for (size_t i = first; i < std::min(ids.size(), first + args.size); ++i) {
      body += (i == first ? "" : ",") + ResultJson(ids[i], static_cast<int>(i), state);
    }
    body += "]}";
    auto reply = client.Post(args.url + "/v1/submit", headers, body);
    if (reply.status != 200) {
      std::fprintf(stderr, "bench_web: batch answered %ld %s\n", reply.status, reply.error.c_str());
      return 1;
    }
    for (size_t at = reply.body.find("\"s\":\"accepted\""); at != std::string::npos;
         at = reply.body.find("\"s\":\"accepted\"", at + 1)) {
      ++accepted;
    }
  }
  double seconds = SecondsSince(start);
  std::printf("{\"results\":%zu,\"accepted\":%d,\"seconds\":%.3f,\"per_second\":%.1f}\n",
              ids.size(), accepted, seconds, static_cast<double>(ids.size()) / seconds);
  return 0;
}

int Latency(const Args& args, const std::string& token) {
  std::string host = "127.0.0.1";
  size_t colon = args.url.rfind(':');
  int port = std::atoi(args.url.c_str() + colon + 1);
  mano::bench::Trickle trickle(host, port, args.trickle, args.rate);
  if (args.trickle > 0) {
    trickle.Start();
    std::this_thread::sleep_for(std::chrono::seconds(2));
  }
  mano::bench::WebClient client;
  auto headers = mano::bench::BrowserHeaders(token);
  std::vector<double> ms;
  int failed = 0;
  for (int i = 0; i < args.requests; ++i) {
    auto start = Clock::now();
    auto reply = client.Get(args.url + "/v1/me", headers);
    if (reply.status != 200) ++failed;
    ms.push_back(SecondsSince(start) * 1000.0);
  }
  int alive = trickle.alive(), opened = trickle.opened();
  trickle.Stop();
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) {
    return ms[std::min(ms.size() - 1, static_cast<size_t>(q * ms.size()))];
  };
  std::printf(
      "{\"requests\":%d,\"failed\":%d,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,"
      "\"trickle_opened\":%d,\"trickle_alive\":%d}\n",
      args.requests, failed, at(0.50), at(0.99), ms.back(), opened, alive);
  return 0;
}

int Usage() {
  std::fprintf(stderr, "usage: bench_web claim|post|batch|latency --url U --token-file F ...\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage();
  Args args;
  args.command = argv[1];
  mano::bench::BenchFlags flags;
  flags.Text("--url", &args.url)
      .Text("--token-file", &args.token_file)
      .Text("--ids", &args.ids_file)
      .Int("--count", &args.count)
      .Int("--limit", &args.limit)
      .Int("--size", &args.size)
      .Int("--requests", &args.requests)
      .Int("--trickle", &args.trickle)
      .Int("--rate", &args.rate)
      .Uint64("--seed", &args.seed)
      .Switch("--gzip", &args.gzip);
  if (!flags.Parse(argc, argv, 2) || args.url.empty() || args.token_file.empty()) return Usage();
  return mano::bench::ReportErrors("bench_web", [&] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    std::string token = ReadFirstLine(args.token_file);
    if (args.command == "claim") return Claim(args, token);
    if (args.command == "post") return Post(args, token);
    if (args.command == "batch") return Batch(args, token);
    if (args.command == "latency") return Latency(args, token);
    return Usage();
  });
}
