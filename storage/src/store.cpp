// Store: opening (checks, migrations, recovery of a damaged file) and the shared helpers.
#include "mano/storage/store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "mano/storage/data_dir.h"
#include "open_files.h"
#include "recovery.h"
#include "schema.h"
#include "store_impl.h"

namespace mano::storage {
namespace {

namespace fs = std::filesystem;

constexpr int kOpenFlags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
constexpr const char* kMemory = ":memory:";

std::string UtcStamp(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// Creates the file 0600 before SQLite sees it so it is never readable by others, and
// tightens an existing file. An existing file is never opened here (see open_files.h:
// closing a descriptor would drop the locks SQLite holds on it). Quietly skips what a
// read-only folder refuses: the open that follows reports that with the path.
void MakePrivateFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);
  ::chmod(path.c_str(), 0600);
}

void Configure(Database& db, int busy_timeout_ms) {
  db.Exec("PRAGMA busy_timeout = " + std::to_string(busy_timeout_ms));
  Statement mode(db, "PRAGMA journal_mode = WAL");
  if (!mode.Step() || (mode.Text(0) != "wal" && db.path() != kMemory))
    throw StoreError(StoreError::Kind::kIo,
                     "cannot switch the database to WAL mode (" + db.path() + ")", db.path());
  db.Exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON");
}

std::string QuickCheck(Database& db) {
  Statement s(db, "PRAGMA quick_check");
  std::string out;
  while (s.Step()) {
    if (!out.empty()) out += "; ";
    out += s.Text(0);
  }
  return out;
}

[[noreturn]] void RefuseNewer(const std::string& path, int version) {
  throw StoreError(StoreError::Kind::kNewerSchema,
                   "the database " + path + " was written by a newer mano (schema " +
                       std::to_string(version) + ", this build knows " +
                       std::to_string(kCurrentSchema) + "); it was left unchanged",
                   path);
}

// Renames `path` (and its -wal/-shm companions) aside; returns the new name.
std::string MoveAside(const std::string& path, int64_t now_ms) {
  std::string base = path + ".damaged-" + UtcStamp(now_ms);
  std::string aside = base;
  for (int i = 1; Exists(aside); ++i) aside = base + "-" + std::to_string(i);
  if (::rename(path.c_str(), aside.c_str()) != 0)
    throw StoreError(
        errno == EROFS || errno == EACCES ? StoreError::Kind::kReadOnly : StoreError::Kind::kIo,
        "cannot move the damaged database " + path + " aside: " + std::strerror(errno), path);
  for (const char* suffix : {"-wal", "-shm"})
    if (Exists(path + suffix)) ::rename((path + suffix).c_str(), (aside + suffix).c_str());
  return aside;
}

// Builds a fresh database at `path` from the readable rows of `aside`.
std::vector<TableRecovery> Salvage(const std::string& aside, const std::string& path,
                                   const OpenOptions& options) {
  Database damaged(aside, SQLITE_OPEN_READWRITE, "");
  // Reading must not fold the damaged WAL back into the file we keep for inspection.
  sqlite3_db_config(damaged.handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  int version = kCurrentSchema;
  try {
    version = static_cast<int>(damaged.QueryInt("PRAGMA user_version"));
  } catch (const StoreError&) {
  }
  if (version < 1 || version > kCurrentSchema) version = kCurrentSchema;
  MakePrivateFile(path);
  Database fresh(path, kOpenFlags, options.TEST_vfs);
  Configure(fresh, options.busy_timeout_ms);
  fresh.Exec("PRAGMA foreign_keys = OFF");  // parents may be among the lost rows
  Migrate(fresh, 0, version);
  auto tables = CopyReadableRows(damaged, fresh);
  if (version < kCurrentSchema) Migrate(fresh, version, kCurrentSchema);
  return tables;
}

}  // namespace

// Read-only open (OpenOptions::read_only): see store.h. Tries a shared read first (sees
// the WAL); when the -shm cannot grow (disk full) falls back to reading the file immutable.
Store Store::OpenReadOnly(std::unique_ptr<Impl> impl, const std::string& path) {
  const OpenOptions& options = impl->options;
  OpenReport& report = impl->report;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || st.st_size == 0)
    throw StoreError(StoreError::Kind::kNotFound, "no database to read at " + path, path);
  for (const char* query : {"mode=ro", "immutable=1"}) {
    try {
      impl->db = std::make_unique<Database>(path, SQLITE_OPEN_READONLY, options.TEST_vfs, query);
      impl->db->Exec("PRAGMA busy_timeout = " + std::to_string(options.busy_timeout_ms));
      int version = static_cast<int>(impl->db->QueryInt("PRAGMA user_version"));
      if (version > kCurrentSchema) RefuseNewer(path, version);
      if (version < kCurrentSchema)
        throw StoreError(StoreError::Kind::kReadOnly,
                         "the database " + path + " needs an upgrade that cannot be written now",
                         path);
      report.schema_from = report.schema_to = version;
      report.immutable = std::string_view(query) == "immutable=1";
      break;
    } catch (const StoreError& e) {
      impl->db.reset();
      if (e.kind() == StoreError::Kind::kNewerSchema || std::string_view(query) == "immutable=1")
        throw;
    }
  }
  report.read_only = true;
  auto s = impl->db->Prepare("SELECT value FROM meta WHERE key = 'newest_local_ms'");
  if (s->Step()) impl->newest_local_ms = std::stoll(s->Text(0));
  return Store(std::move(impl));
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Store Store::Open(const std::string& data_dir, OpenOptions options) {
  EnsurePrivateDir(data_dir);
  return OpenFile((fs::path(data_dir) / kFileName).string(), std::move(options));
}

Store Store::OpenFile(const std::string& path, OpenOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->clock = options.clock ? options.clock : DefaultClock();
  fs::path folder = fs::path(path).parent_path();
  impl->data_dir = folder.empty() ? "." : folder.string();
  const bool memory = path == kMemory;
  // A missing folder is made private; an existing one (maybe /tmp) is left as it is.
  if (!memory && !fs::exists(impl->data_dir)) EnsurePrivateDir(impl->data_dir);
  OpenReport& report = impl->report;
  report.path = path;
  if (options.read_only && !memory) return OpenReadOnly(std::move(impl), path);

  auto lock = OpenFiles::Lock();
  // Another Store of this process has the file open: its version is known good, and it
  // must not be read or touched outside SQLite (see open_files.h).
  const bool held = !memory && OpenFiles::IsHeld(path);
  struct stat st;
  bool existed = ::stat(path.c_str(), &st) == 0 && st.st_size > 0;
  if (existed && !held) {
    int raw = ReadUserVersionRaw(path.c_str());
    if (raw > kCurrentSchema) RefuseNewer(path, raw);
  }
  report.created = !existed;
  for (int attempt = 0;; ++attempt) {
    try {
      if (!memory) MakePrivateFile(path);
      impl->db = std::make_unique<Database>(path, kOpenFlags, options.TEST_vfs);
      Database& db = *impl->db;
      // Wait for other processes' locks from the first statement on: a mano closing the file
      // (checkpoint) or recovering a killed one's WAL holds it briefly, and without a busy
      // handler the first read would fail at once with "database is locked".
      db.Exec("PRAGMA busy_timeout = " + std::to_string(options.busy_timeout_ms));
      // Until the version is known good, closing must not fold a WAL into the file.
      sqlite3_db_config(db.handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
      int version = static_cast<int>(db.QueryInt("PRAGMA user_version"));
      if (version > kCurrentSchema) RefuseNewer(path, version);
      sqlite3_db_config(db.handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, nullptr);
      Configure(db, options.busy_timeout_ms);
      if (!memory)
        for (const char* suffix : {"-wal", "-shm"}) ::chmod((path + suffix).c_str(), 0600);
      // A file another Store of this process holds was checked when that Store opened it
      // and has been in use since. Checking again costs a read of every page (tens of ms
      // at 10,000 assignments, at every UI start and sync pass), and a failure here could
      // not be handled safely anyway: moving the file aside under open connections would
      // split their writes from the rebuilt file.
      if (!held) {
        std::string check = QuickCheck(db);
        report.quick_checked = true;
        if (check != "ok")
          throw StoreError(StoreError::Kind::kCorrupt,
                           "quick_check failed on " + path + ": " + check, path);
      }
      if (attempt == 0) report.schema_from = version;
      if (version < kCurrentSchema) Migrate(db, version, kCurrentSchema);
      report.schema_to = kCurrentSchema;
      break;
    } catch (const StoreError& e) {
      impl->db.reset();
      if (e.kind() != StoreError::Kind::kCorrupt || attempt > 0 || !existed) throw;
      report.damage = e.what();
      report.recovered_from = MoveAside(path, impl->clock->NowMs());
      report.tables = Salvage(report.recovered_from, path, options);
    }
  }

  // Clock: the newest local time ever recorded, to notice a clock that went backwards.
  if (!memory) impl->registration = OpenFiles::Registration(path);
  Database& db = *impl->db;
  {
    auto s = db.Prepare("SELECT value FROM meta WHERE key = 'newest_local_ms'");
    if (s->Step()) impl->newest_local_ms = std::stoll(s->Text(0));
  }
  int64_t now = impl->clock->NowMs();
  report.clock_jumped_back = now < impl->newest_local_ms;
  if (!report.clock_jumped_back) {
    Transaction tx(db);
    impl->Now();
    impl->SaveNewestLocal();
    tx.Commit();
  }
  return Store(std::move(impl));
}

const OpenReport& Store::report() const { return impl_->report; }
const std::string& Store::path() const { return impl_->db->path(); }
const std::string& Store::data_dir() const { return impl_->data_dir; }
Clock& Store::clock() { return *impl_->clock; }

std::string Store::TEST_IntegrityCheck() {
  Statement s(*impl_->db, "PRAGMA integrity_check");
  std::string out;
  while (s.Step()) {
    if (!out.empty()) out += "; ";
    out += s.Text(0);
  }
  return out;
}

int64_t Store::Impl::Now() {
  int64_t now = clock->NowMs();
  if (now > newest_local_ms) newest_local_ms = now;
  return now;
}

void Store::Impl::SaveNewestLocal() {
  auto s = db->Prepare(
      "INSERT INTO meta(key, value) VALUES('newest_local_ms', ?) "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  s->BindAll(std::to_string(newest_local_ms)).Run();
}

void Store::Impl::NotFound(const std::string& what) const {
  throw StoreError(StoreError::Kind::kNotFound, what + " not found in " + db->path(), db->path());
}

void Store::Impl::RequireAccount(const std::string& account) {
  auto s = db->Prepare("SELECT 1 FROM accounts WHERE name = ?");
  if (!s->BindAll(account).Step()) NotFound("account '" + account + "'");
}

std::string JsonQuote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace mano::storage
