// `manod import` against operators' data that is wrong or hostile: asset paths whose links
// lead out of the import folder, assets too big to import, storage failing half-way (a real
// file-size limit on the process). An import is all or nothing and names the line; asset
// files are streamed, so manod's peak memory (VmHWM, from wait4) stays far below their size.
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "mano/sync/crypto_util.h"
#include "manod_fixture.h"

using namespace mano::test;
namespace fs = std::filesystem;

namespace {

// A task with one asset at `path` (relative to the JSONL file).
std::string AssetTask(const std::string& id, const std::string& path) {
  return "{\"id\":\"" + id +
         "\",\"kind\":\"img\",\"reward\":50000,\"form\":{\"title\":\"t\",\"show\":[{\"type\":"
         "\"asset\",\"label\":\"Image\",\"value\":\"image\"}],\"fields\":[{\"name\":\"score\","
         "\"type\":\"scale\",\"min\":0,\"max\":4}]},\"assets\":[{\"name\":\"image\",\"type\":"
         "\"image/png\",\"path\":\"" +
         path + "\"}]}";
}

// A server prepared but not serving, with no tasks, and an import folder `bundle/` beside a
// folder `outside/` holding a secret.
struct Bundle {
  ManodProcess server{[] {
    ManodProcess::Options o;
    o.imports.clear();
    o.start = false;
    return o;
  }()};
  std::string dir = server.dir() + "/bundle";
  std::string outside = server.dir() + "/outside";

  Bundle() {
    fs::create_directories(dir + "/assets");
    fs::create_directories(outside);
    std::ofstream(outside + "/secret.txt") << "the operator's private key\n";
    for (int i = 1; i <= 5; ++i) {
      std::ofstream(dir + "/assets/" + std::to_string(i) + ".png") << "picture " << i << "\n";
    }
  }

  // Runs `manod import` of `lines` written as bundle/tasks.jsonl; stderr into *err.
  int Import(const std::vector<std::string>& lines, std::string* err,
             const std::vector<std::string>& extra = {}) {
    std::string file = WriteFile(dir, "tasks.jsonl", lines);
    std::vector<std::string> args = {"import", "--db", server.db(), file};
    args.insert(args.end(), extra.begin(), extra.end());
    std::string out;
    int status = server.Run(args, &out, err);
    INFO(out << *err);
    return status;
  }

  int64_t Count(const std::string& table) const {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(server.db().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    std::string sql = "SELECT COUNT(*) FROM " + table;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    int64_t n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
  }
};

// Five tasks; the fourth's asset is `fourth`.
std::vector<std::string> FiveTasks(const std::string& fourth) {
  return {AssetTask("t1", "assets/1.png"), AssetTask("t2", "assets/2.png"),
          AssetTask("t3", "assets/3.png"), AssetTask("t4", fourth),
          AssetTask("t5", "assets/5.png")};
}

// A sparse file of `size` bytes (truncate -s): no disk used, reads as zeros.
void Sparse(const std::string& path, int64_t size) {
  std::ofstream(path).close();
  fs::resize_file(path, static_cast<uintmax_t>(size));
}

// Lowers the file-size limit (RLIMIT_FSIZE) of processes started while it lives, with SIGXFSZ
// ignored so a write past it fails with EFBIG instead of killing the process: a disk that fills.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    old_handler_ = signal(SIGXFSZ, SIG_IGN);
    rlimit lower = saved_;
    lower.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &lower);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    signal(SIGXFSZ, old_handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  rlimit saved_{};
  sighandler_t old_handler_ = SIG_DFL;
};

}  // namespace

TEST_CASE("an asset path whose link leads out of the import folder is refused, naming the line") {
  Bundle b;
  fs::create_symlink(b.outside + "/secret.txt", b.dir + "/assets/link.png");
  fs::create_directory_symlink(b.outside, b.dir + "/elsewhere");
  std::string err;
  SECTION("a link to a file") {
    CHECK(b.Import(FiveTasks("assets/link.png"), &err) != 0);
    CHECK(err.find("tasks.jsonl line 4 (assets.image)") != std::string::npos);
    CHECK(err.find("assets/link.png") != std::string::npos);
    CHECK(err.find("outside the import folder") != std::string::npos);
  }
  SECTION("a link to a folder") {
    CHECK(b.Import(FiveTasks("elsewhere/secret.txt"), &err) != 0);
    CHECK(err.find("tasks.jsonl line 4 (assets.image)") != std::string::npos);
    CHECK(err.find("outside the import folder") != std::string::npos);
  }
  SECTION("a link to a device") {
    fs::create_symlink("/dev/zero", b.dir + "/assets/zero.png");
    CHECK(b.Import(FiveTasks("assets/zero.png"), &err) != 0);
    CHECK(err.find("tasks.jsonl line 4 (assets.image)") != std::string::npos);
  }
  SECTION("a FIFO inside the folder") {
    REQUIRE(mkfifo((b.dir + "/assets/fifo.png").c_str(), 0600) == 0);
    CHECK(b.Import(FiveTasks("assets/fifo.png"), &err) != 0);
    CHECK(err.find("tasks.jsonl line 4 (assets.image): assets/fifo.png is not a regular file") !=
          std::string::npos);
  }
  CHECK(b.Count("tasks") == 0);
  CHECK(b.Count("assets") == 0);
}

TEST_CASE("a link that stays inside the import folder imports, and workers get its bytes") {
  Bundle b;
  fs::create_symlink("../assets/1.png", b.dir + "/assets/alias.png");
  fs::create_directory_symlink(b.dir + "/assets", b.dir + "/pictures");
  std::string err;
  REQUIRE(b.Import({AssetTask("t1", "assets/alias.png"), AssetTask("t2", "pictures/2.png")},
                   &err) == 0);
  CHECK(b.Count("tasks") == 2);
  b.server.Start();
  Client alice{Http(b.server.url()), b.server.Token("alice")};
  auto claim = alice.Claim("c", 2);
  REQUIRE(claim.assignments.size() == 2);
  Reply asset = alice.http.Get("/v1/assets/" + claim.assignments[0].assets.at(0).hash, alice.token);
  REQUIRE(asset.status == 200);
  CHECK(asset.body == "picture 1\n");
}

TEST_CASE(
    "an asset over the size limit fails the whole import, naming the line, never read whole") {
  Bundle b;
  Sparse(b.dir + "/assets/huge.bin", 1000000001);
  std::string err;
  CHECK(b.Import(FiveTasks("assets/huge.bin"), &err) != 0);
  CHECK(err.find("tasks.jsonl line 4 (assets.image): assets/huge.bin is 1000000001 bytes, over "
                 "the limit of 67108864 bytes per asset") != std::string::npos);
  CHECK(b.Count("tasks") == 0);
  CHECK(b.Count("assets") == 0);
  INFO("peak memory of manod import: " << b.server.last_run_max_rss_kb() << " KiB");
  CHECK(b.server.last_run_max_rss_kb() < 64 * 1024);

  // The limit is the operator's: lowered, a small file is refused too; raised past SQLite's
  // largest blob, the option itself is refused.
  CHECK(b.Import({AssetTask("t1", "assets/1.png")}, &err, {"--max-asset-bytes", "5"}) != 0);
  CHECK(err.find("line 1 (assets.image): assets/1.png is 10 bytes, over the limit of 5") !=
        std::string::npos);
  CHECK(b.Import({AssetTask("t1", "assets/1.png")}, &err, {"--max-asset-bytes", "1000000001"}) !=
        0);
  CHECK(err.find("--max-asset-bytes must be between 1 and 1000000000") != std::string::npos);
  CHECK(b.Count("tasks") == 0);
}

TEST_CASE("storage failing half-way (the file-size limit) leaves no task, and names the line") {
  Bundle b;
  const int64_t size = int64_t{48} << 20;  // under the 64 MiB asset limit
  Sparse(b.dir + "/assets/big.bin", size);
  std::string err;
  {
    FileSizeLimit limit(16 << 20);  // the database may not grow past 16 MiB
    CHECK(b.Import(FiveTasks("assets/big.bin"), &err) != 0);
  }
  CHECK(err.find("tasks.jsonl line 4 (assets.image)") != std::string::npos);
  CHECK(b.Count("tasks") == 0);
  CHECK(b.Count("assets") == 0);
  INFO("peak memory of manod import: " << b.server.last_run_max_rss_kb() << " KiB");
  CHECK(b.server.last_run_max_rss_kb() * 1024 < size / 3);

  // Without the limit the same file goes in whole, still streamed.
  REQUIRE(b.Import(FiveTasks("assets/big.bin"), &err) == 0);
  CHECK(b.Count("tasks") == 5);
  CHECK(b.server.last_run_max_rss_kb() * 1024 < size / 3);
}

TEST_CASE("a streamed asset is stored byte for byte across its pieces") {
  Bundle b;
  std::string bytes((size_t{3} << 20) + 17, '\0');  // 3 MiB + 17: a piece boundary and a tail
  std::mt19937 rng(7);
  for (auto& c : bytes) c = static_cast<char>(rng());
  std::ofstream(b.dir + "/assets/noise.bin", std::ios::binary) << bytes;
  std::string err;
  REQUIRE(b.Import({AssetTask("t1", "assets/noise.bin"), AssetTask("t2", "assets/noise.bin")},
                   &err) == 0);
  CHECK(b.Count("assets") == 1);  // the same bytes are stored once
  b.server.Start();
  Client alice{Http(b.server.url()), b.server.Token("alice")};
  auto claim = alice.Claim("c", 1);
  REQUIRE(claim.assignments.size() == 1);
  const auto& ref = claim.assignments[0].assets.at(0);
  CHECK(ref.hash == mano::sync::Sha256Hex(bytes));
  CHECK(ref.size == static_cast<int64_t>(bytes.size()));
  Reply asset = alice.http.Get("/v1/assets/" + ref.hash, alice.token);
  REQUIRE(asset.status == 200);
  CHECK(asset.body == bytes);
}
