// One step round a ring of items, the way Tab and Shift-Tab move among a form's fields and
// among a picture's boxes (not public API). Pure.
#pragma once

#include <cstddef>

namespace mano::client::ui::internal {

// Moves `index` to the next item (`step` 1) or the previous one (`step` -1), from the last
// back to the first and the other way round. False, with `index` unchanged, when fewer than
// two items leave nowhere to go.
inline bool RingStep(int& index, size_t size, int step) {
  if (size < 2) return false;
  const int n = static_cast<int>(size);
  index = (index + step + n) % n;
  return true;
}

}  // namespace mano::client::ui::internal
