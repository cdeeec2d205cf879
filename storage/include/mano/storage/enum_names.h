// EnumName tables: the one way mano maps an enum to its names and back. A table is a
// constexpr array of {value, name} pairs written once beside the enum's users; NameOf reads
// it one way (value -> name, with a fallback for a value the table lacks) and ValueOf the
// other (name -> value, std::nullopt for an unknown name). Header-only and free of any
// dependency, it sits in storage's public headers, the bottom layer, so that sync, the
// client and the tools use the same one. Everything is constexpr and thread-safe (the
// tables are immutable). A linear scan: the tables hold a few dozen entries at most.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <type_traits>

namespace mano::storage {

template <typename Enum>
struct EnumName {
  Enum value;
  const char* name;
};

// The name `table` gives `value`, or `fallback` when no entry has that value.
template <typename Enum, std::size_t N>
constexpr const char* NameOf(const EnumName<Enum> (&table)[N], Enum value,
                             const char* fallback) noexcept {
  for (const EnumName<Enum>& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return fallback;
}

// The value `table` names `name` (compared byte for byte), or std::nullopt.
template <typename Enum, std::size_t N>
constexpr std::optional<Enum> ValueOf(const EnumName<Enum> (&table)[N],
                                      std::string_view name) noexcept {
  for (const EnumName<Enum>& entry : table) {
    if (name == entry.name) return entry.value;
  }
  return std::nullopt;
}

// True when `table` names every value of an enum numbered 0 to `last` (the default numbering),
// each once. A static_assert of it beside a table makes a value added to the enum without a
// name a compile error, as a switch's -Wswitch would: for enums that declare their last
// value (e.g. kLastAssignmentState), so that the assert moves with the enum.
template <typename Enum, std::size_t N>
constexpr bool NamesEvery(const EnumName<Enum> (&table)[N], Enum last) noexcept {
  using Number = std::underlying_type_t<Enum>;
  if (N != static_cast<std::size_t>(static_cast<Number>(last)) + 1) return false;
  for (Number v = 0; v <= static_cast<Number>(last); ++v) {
    if (NameOf(table, static_cast<Enum>(v), nullptr) == nullptr) return false;
  }
  return true;
}

}  // namespace mano::storage
