// A small RAII wrapper over libpq for manod's PostgreSQL store: PgConnection owns a PGconn,
// PgResult a PGresult, PgTransaction rolls back in its destructor unless Commit() ran, and
// PgPool hands out connections to one database (one per concurrent caller, kept for reuse).
// Every query is parameterised (PQexecParams): values never enter SQL text.
//
// Results come back as text; bytea columns are read with Bytes(), which decodes PostgreSQL's
// hex form. Errors: every failure throws PgError with the server's message and SQLSTATE (so
// callers can retry serialization failures, deadlocks and unique violations from races).
// Thread safety: a PgConnection belongs to one thread at a time; PgPool may be used from any
// thread.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace mano::manod {

class PgError : public std::runtime_error {
 public:
  PgError(const std::string& what, std::string sqlstate)
      : std::runtime_error(what), sqlstate_(std::move(sqlstate)) {}
  // "40001" serialization failure, "40P01" deadlock, "23505" unique violation, "" for a
  // connection failure.
  const std::string& sqlstate() const { return sqlstate_; }
  // A conflict with a concurrent transaction: running the transaction again may succeed.
  bool Retryable() const {
    return sqlstate_ == "40001" || sqlstate_ == "40P01" || sqlstate_ == "23505";
  }

 private:
  std::string sqlstate_;
};

// The parameters of one statement, $1 upwards, in the order added.
class PgParams {
 public:
  PgParams& Add(const std::string& text);
  PgParams& Add(const char* text) { return Add(std::string(text)); }
  PgParams& Add(int64_t value);
  PgParams& Add(int value) { return Add(static_cast<int64_t>(value)); }
  PgParams& AddBytes(const std::string& bytes);  // for a bytea parameter
  // Text sent without a copy (for values of megabytes): `text` must outlive the Exec.
  PgParams& AddBorrowed(const std::string& text);
  PgParams& AddNull();
  PgParams& AddOptional(const std::optional<std::string>& text) {
    return text ? Add(*text) : AddNull();
  }

 private:
  friend class PgConnection;
  std::vector<std::string> values_;
  std::vector<const std::string*> borrowed_;  // when set, the value instead of values_[i]
  std::vector<bool> null_;
  std::vector<int> binary_;
};

class PgResult {
 public:
  explicit PgResult(pg_result* result) : result_(result) {}
  int Rows() const;
  size_t MemorySize() const;  // what the result takes in memory
  // Rows changed by an INSERT/UPDATE/DELETE.
  int64_t Affected() const;
  bool IsNull(int row, int col) const;
  std::string Text(int row, int col) const;
  int64_t Int(int row, int col) const;  // 0 for NULL
  std::string Bytes(int row, int col) const;

 private:
  struct Clear {
    void operator()(pg_result* r) const noexcept;
  };
  std::unique_ptr<pg_result, Clear> result_;
};

// One row of a PgResult, read the way a storage::Statement row is (Columns(...): column 0,
// 1, 2... into each argument by its type; NULL reads as 0 or ""), so both stores share their
// row-to-struct mappings (server_rows.h). Borrows the result.
class PgRow {
 public:
  PgRow(const PgResult& result, int row) : result_(result), row_(row) {}
  template <typename... T>
  void Columns(T&... out) const {
    int column = 0;
    (Column(column++, out), ...);
  }
  void Column(int column, int64_t& out) const { out = result_.Int(row_, column); }
  void Column(int column, std::string& out) const { out = result_.Text(row_, column); }

 private:
  const PgResult& result_;
  int row_;
};

class PgConnection {
 public:
  // Connects to `url` (postgresql://...); throws PgError when it cannot.
  explicit PgConnection(const std::string& url);
  PgResult Exec(const std::string& sql, const PgParams& params = PgParams());
  // Several statements without parameters (schema).
  void ExecScript(const std::string& sql);
  bool Ok() const;
  // True once a statement sent or received more than kLargeTraffic bytes: libpq keeps its
  // buffers at their largest for the connection's life, so the pool does not keep it.
  bool Bloated() const { return bloated_; }
  static constexpr size_t kLargeTraffic = 4u << 20;

 private:
  // Wraps `raw`; throws PgError unless it is a success.
  PgResult Check(pg_result* raw);
  struct Finish {
    void operator()(pg_conn* c) const noexcept;
  };
  std::unique_ptr<pg_conn, Finish> conn_;
  bool bloated_ = false;
};

class PgTransaction {
 public:
  explicit PgTransaction(PgConnection& conn);
  ~PgTransaction();
  void Commit();
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;

 private:
  PgConnection& conn_;
  bool done_ = false;
};

class PgPool {
 public:
  explicit PgPool(std::string url) : url_(std::move(url)) {}

  // A connection of the pool, given back on destruction (dropped instead when it broke).
  class Lease {
   public:
    Lease(PgPool& pool, std::unique_ptr<PgConnection> conn) : pool_(pool), conn_(std::move(conn)) {}
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    PgConnection& operator*() { return *conn_; }
    PgConnection* operator->() { return conn_.get(); }

   private:
    PgPool& pool_;
    std::unique_ptr<PgConnection> conn_;
  };

  Lease Acquire();
  const std::string& url() const { return url_; }

 private:
  std::string url_;
  std::mutex mu_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
};

// True for a database argument that names PostgreSQL (postgresql:// or postgres://).
bool IsPostgresUrl(const std::string& db);

}  // namespace mano::manod
