#include "mano/sync/data_budget.h"

#include <algorithm>
#include <climits>
#include <ctime>

namespace mano::sync {
namespace {

std::string Format(int64_t now_ms, const char* pattern) {
  const time_t seconds = static_cast<time_t>(now_ms / 1000);
  std::tm local{};
  localtime_r(&seconds, &local);
  char text[16] = {0};
  std::strftime(text, sizeof text, pattern, &local);
  return text;
}

}  // namespace

int64_t DataBudget::PrefetchRoom(int64_t used_today, int64_t used_month) const {
  int64_t room = INT64_MAX;
  if (limits_.daily_bytes > 0) room = std::min(room, limits_.daily_bytes - used_today);
  if (limits_.monthly_bytes > 0) room = std::min(room, limits_.monthly_bytes - used_month);
  return std::max<int64_t>(0, room);
}

std::string DataBudget::Day(int64_t now_ms) { return Format(now_ms, "%Y-%m-%d"); }
std::string DataBudget::MonthFirstDay(int64_t now_ms) { return Format(now_ms, "%Y-%m-01"); }
std::string DataBudget::MonthLastDay(int64_t now_ms) { return Format(now_ms, "%Y-%m-31"); }

}  // namespace mano::sync
