#include "mano/sync/data_budget.h"

#include <catch2/catch.hpp>
#include <climits>
#include <cstdlib>

using mano::sync::BudgetLimits;
using mano::sync::DataBudget;

TEST_CASE("no caps leave prefetch unlimited", "[budget]") {
  DataBudget budget;
  CHECK(budget.unlimited());
  CHECK(budget.PrefetchRoom(1 << 30, int64_t{1} << 40) == INT64_MAX);
}

TEST_CASE("the tighter of the daily and monthly caps wins", "[budget]") {
  DataBudget budget(BudgetLimits{1'000'000, 20'000'000});
  CHECK(budget.PrefetchRoom(0, 0) == 1'000'000);
  CHECK(budget.PrefetchRoom(400'000, 0) == 600'000);
  CHECK(budget.PrefetchRoom(0, 19'500'000) == 500'000);
  // Results sent first may overshoot the cap: prefetch gets nothing, never a negative room.
  CHECK(budget.PrefetchRoom(1'500'000, 1'500'000) == 0);
  DataBudget monthly_only(BudgetLimits{0, 5'000});
  CHECK(monthly_only.PrefetchRoom(1'000'000, 4'000) == 1'000);
}

TEST_CASE("days and months are local calendar days", "[budget]") {
  setenv("TZ", "UTC", 1);
  tzset();
  const int64_t t = 1'795'000'000'000;  // 2026-11-18T07:06:40Z
  CHECK(DataBudget::Day(t) == "2026-11-18");
  CHECK(DataBudget::MonthFirstDay(t) == "2026-11-01");
  CHECK(DataBudget::MonthLastDay(t) == "2026-11-31");
  setenv("TZ", "Pacific/Kiritimati", 1);  // UTC+14: already the next day
  tzset();
  const int64_t late = 1'795'045'000'000;  // 2026-11-18T19:36:40Z
  CHECK(DataBudget::Day(late) == "2026-11-19");
  setenv("TZ", "UTC", 1);
  tzset();
}
