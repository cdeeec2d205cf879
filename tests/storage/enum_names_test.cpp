#include "mano/storage/enum_names.h"

#include <catch2/catch.hpp>
#include <string>

#include "mano/storage/records.h"
#include "mano/storage/store_error.h"

using mano::storage::EnumName;
using mano::storage::NameOf;
using mano::storage::ValueOf;

namespace {

enum class Color { kRed, kGreen, kBlue };
constexpr EnumName<Color> kColors[] = {{Color::kRed, "red"}, {Color::kGreen, "green"}};

}  // namespace

TEST_CASE("NameOf and ValueOf read one table both ways", "[unit]") {
  CHECK(std::string(NameOf(kColors, Color::kGreen, "?")) == "green");
  CHECK(ValueOf(kColors, "red") == Color::kRed);
  // A value missing from the table gets the fallback; an unknown name, nothing.
  CHECK(std::string(NameOf(kColors, Color::kBlue, "?")) == "?");
  CHECK_FALSE(ValueOf(kColors, "blue").has_value());
  CHECK_FALSE(ValueOf(kColors, "Red").has_value());
  CHECK_FALSE(ValueOf(kColors, "").has_value());
  static_assert(NameOf(kColors, Color::kRed, "?")[0] == 'r');
  static_assert(*ValueOf(kColors, "green") == Color::kGreen);
}

TEST_CASE("NamesEvery holds only for a table naming each value once", "[unit]") {
  using mano::storage::NamesEvery;
  static constexpr EnumName<Color> kAll[] = {
      {Color::kBlue, "blue"}, {Color::kRed, "red"}, {Color::kGreen, "green"}};
  static constexpr EnumName<Color> kTwice[] = {
      {Color::kRed, "red"}, {Color::kGreen, "green"}, {Color::kGreen, "vert"}};
  static_assert(NamesEvery(kAll, Color::kBlue));
  static_assert(!NamesEvery(kColors, Color::kBlue));  // kBlue has no name
  static_assert(NamesEvery(kColors, Color::kGreen));
  static_assert(!NamesEvery(kTwice, Color::kBlue));  // kGreen twice, kBlue never
  static_assert(!NamesEvery(kAll, Color::kGreen));   // more names than values
  SUCCEED();
}

TEST_CASE("every stored state name reads back as its state", "[unit]") {
  using mano::storage::AssignmentState;
  for (int i = 0; i <= static_cast<int>(mano::storage::kLastAssignmentState); ++i) {
    const auto state = static_cast<AssignmentState>(i);
    CHECK(mano::storage::AssignmentStateFromString(mano::storage::ToString(state)) == state);
  }
  CHECK(mano::storage::ToString(AssignmentState::kLateAccepted) == "late_accepted");
  CHECK_THROWS_AS(mano::storage::AssignmentStateFromString("finished"), mano::storage::StoreError);
  using mano::storage::OutboxState;
  for (auto s : {OutboxState::kPending, OutboxState::kSending, OutboxState::kAcknowledged})
    CHECK(mano::storage::OutboxStateFromString(mano::storage::ToString(s)) == s);
  CHECK(mano::storage::OutboxStateFromString("unheard-of") == OutboxState::kPending);
  CHECK(mano::storage::ToString(mano::storage::StoreError::Kind::kReadOnly) == "read-only");
}
