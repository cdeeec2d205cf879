// DataBudget: the worker's daily and monthly caps on mobile data, applied to prefetch
// only (claiming new work and downloading its assets). Results, anchors, receipts and
// events are never held back by the budget: the engine sends them first and counts them,
// so they use up room that prefetch then does not get.
// Days are local calendar days "YYYY-MM-DD" (the worker's bill follows their clock).
// Thread safety: a DataBudget is an immutable value.
#pragma once

#include <cstdint>
#include <string>

namespace mano::sync {

struct BudgetLimits {
  int64_t daily_bytes = 0;    // 0: no daily cap
  int64_t monthly_bytes = 0;  // 0: no monthly cap
};

class DataBudget {
 public:
  explicit DataBudget(BudgetLimits limits = {}) : limits_(limits) {}

  const BudgetLimits& limits() const { return limits_; }
  bool unlimited() const { return limits_.daily_bytes <= 0 && limits_.monthly_bytes <= 0; }

  // Bytes prefetch may still move, given what was used today and this month (up + down,
  // all accounts). INT64_MAX when unlimited; never negative.
  int64_t PrefetchRoom(int64_t used_today, int64_t used_month) const;

  // "YYYY-MM-DD" of now_ms in the local time zone.
  static std::string Day(int64_t now_ms);
  // First and last day of that month, "YYYY-MM-01" / "YYYY-MM-31" (text comparison).
  static std::string MonthFirstDay(int64_t now_ms);
  static std::string MonthLastDay(int64_t now_ms);

 private:
  BudgetLimits limits_;
};

}  // namespace mano::sync
