// Transaction: BEGIN IMMEDIATE on construction, ROLLBACK in the destructor unless Commit()
// succeeded. IMMEDIATE takes the write lock up front so a writer never fails half way on
// a lock upgrade. Not thread-safe; not nestable (store methods open one each).
#pragma once

#include "mano/storage/database.h"

namespace mano::storage {

class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // COMMIT; with synchronous=FULL in WAL mode this returns once the WAL is fsynced.
  void Commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace mano::storage
