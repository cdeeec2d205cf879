// A share of a server-wide byte budget (bodies in flight, answers being parsed): taken for one
// request, given back by the destructor. The pool is an atomic counter the server owns.
// Thread safety: Take may race with other shares of the same pool (compare-and-swap); one
// share belongs to one request.
#pragma once

#include <atomic>
#include <cstddef>

namespace mano::manod {

class BudgetShare {
 public:
  BudgetShare() = default;
  ~BudgetShare() {
    if (pool_) pool_->fetch_sub(bytes_);
  }
  BudgetShare(const BudgetShare&) = delete;
  BudgetShare& operator=(const BudgetShare&) = delete;
  // False (and nothing taken) when `bytes` more would pass `budget`.
  bool Take(std::atomic<size_t>* pool, size_t budget, size_t bytes) {
    size_t used = pool->load();
    do {
      if (bytes > budget || used > budget - bytes) return false;
    } while (!pool->compare_exchange_weak(used, used + bytes));
    pool_ = pool;
    bytes_ = bytes;
    return true;
  }

 private:
  std::atomic<size_t>* pool_ = nullptr;
  size_t bytes_ = 0;
};

}  // namespace mano::manod
