#include "pg_db.h"

#include <libpq-fe.h>

#include <cstdlib>

namespace mano::manod {

namespace {

std::string Message(pg_conn* conn) {
  std::string m = PQerrorMessage(conn);
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return "postgresql: " + m;
}

}  // namespace

PgParams& PgParams::Add(const std::string& text) {
  values_.push_back(text);
  borrowed_.push_back(nullptr);
  null_.push_back(false);
  binary_.push_back(0);
  return *this;
}

PgParams& PgParams::Add(int64_t value) { return Add(std::to_string(value)); }

PgParams& PgParams::AddBorrowed(const std::string& text) {
  Add(std::string());
  borrowed_.back() = &text;
  return *this;
}

PgParams& PgParams::AddBytes(const std::string& bytes) {
  Add(bytes);
  binary_.back() = 1;
  return *this;
}

PgParams& PgParams::AddNull() {
  values_.emplace_back();
  borrowed_.push_back(nullptr);
  null_.push_back(true);
  binary_.push_back(0);
  return *this;
}

void PgResult::Clear::operator()(pg_result* r) const noexcept { PQclear(r); }

int PgResult::Rows() const { return PQntuples(result_.get()); }

size_t PgResult::MemorySize() const { return PQresultMemorySize(result_.get()); }

int64_t PgResult::Affected() const {
  const char* n = PQcmdTuples(result_.get());
  return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}

bool PgResult::IsNull(int row, int col) const { return PQgetisnull(result_.get(), row, col); }

std::string PgResult::Text(int row, int col) const {
  return std::string(PQgetvalue(result_.get(), row, col),
                     static_cast<size_t>(PQgetlength(result_.get(), row, col)));
}

int64_t PgResult::Int(int row, int col) const {
  if (IsNull(row, col)) return 0;
  return std::strtoll(PQgetvalue(result_.get(), row, col), nullptr, 10);
}

std::string PgResult::Bytes(int row, int col) const {
  size_t n = 0;
  unsigned char* raw = PQunescapeBytea(
      reinterpret_cast<const unsigned char*>(PQgetvalue(result_.get(), row, col)), &n);
  if (!raw) throw PgError("postgresql: cannot decode bytea", "");
  std::string out(reinterpret_cast<const char*>(raw), n);
  PQfreemem(raw);
  return out;
}

void PgConnection::Finish::operator()(pg_conn* c) const noexcept { PQfinish(c); }

PgConnection::PgConnection(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
  if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK) {
    throw PgError(conn_ ? Message(conn_.get()) : "postgresql: out of memory", "");
  }
  // Notices (e.g. "relation exists, skipping") are not for manod's operator.
  PQsetNoticeProcessor(
      conn_.get(), [](void*, const char*) {}, nullptr);
}

bool PgConnection::Ok() const { return PQstatus(conn_.get()) == CONNECTION_OK; }

PgResult PgConnection::Exec(const std::string& sql, const PgParams& params) {
  const size_t n = params.values_.size();
  std::vector<const char*> values(n);
  std::vector<int> lengths(n);
  size_t sent = 0;
  for (size_t i = 0; i < n; ++i) {
    const std::string& value = params.borrowed_[i] ? *params.borrowed_[i] : params.values_[i];
    values[i] = params.null_[i] ? nullptr : value.data();
    lengths[i] = static_cast<int>(value.size());
    sent += value.size();
  }
  PgResult result = Check(PQexecParams(conn_.get(), sql.c_str(), static_cast<int>(n), nullptr,
                                       values.data(), lengths.data(), params.binary_.data(), 0));
  if (sent > kLargeTraffic || result.MemorySize() > kLargeTraffic) bloated_ = true;
  return result;
}

void PgConnection::ExecScript(const std::string& sql) { Check(PQexec(conn_.get(), sql.c_str())); }

PgResult PgConnection::Check(pg_result* raw) {
  PgResult result(raw);
  const ExecStatusType status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  const char* state = raw ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
  throw PgError(Message(conn_.get()), state ? state : "");
}

PgTransaction::PgTransaction(PgConnection& conn) : conn_(conn) { conn_.Exec("BEGIN"); }

PgTransaction::~PgTransaction() {
  if (done_) return;
  try {
    conn_.Exec("ROLLBACK");
  } catch (...) {
  }
}

void PgTransaction::Commit() {
  conn_.Exec("COMMIT");
  done_ = true;
}

PgPool::Lease::~Lease() {
  // A broken connection is dropped, a new one made next time; so is one whose buffers grew.
  if (!conn_->Ok() || conn_->Bloated()) return;
  std::lock_guard<std::mutex> lock(pool_.mu_);
  pool_.idle_.push_back(std::move(conn_));
}

PgPool::Lease PgPool::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(conn));
    }
  }
  return Lease(*this, std::make_unique<PgConnection>(url_));
}

bool IsPostgresUrl(const std::string& db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

}  // namespace mano::manod
