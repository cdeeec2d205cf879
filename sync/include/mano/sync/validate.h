// Validation of an answer against its form, and of a form itself: one piece of code used by
// the client (before a result enters the outbox) and by the server (before it accepts it).
//
// Validate(form, answer) checks: unknown fields refused; required fields present and non-empty;
// value types per field; single/multi values among the options (multi: no repeats, count in
// [min, max]); scale an integer in [min, max]; number finite and in [min, max]; text valid
// UTF-8 and at most max_length code points; boxes with w, h > 0, inside the image bounds
// (0 <= x, x + w <= width, same for y), label among `labels` when given, count in [min, max].
// It never throws on bad answers; it returns every problem found, each naming its field path
// ("score", "boxes[2].l"). Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "mano/sync/answer.h"
#include "mano/sync/form.h"

namespace mano::sync {

// What is wrong with one value, for the client to put into the worker's language (the
// arguments, in order, are listed per code). ValidateForm's problems are for operators and
// carry kFormProblem.
enum class ValidationCode {
  kRequired,         // (none)
  kUnknownField,     // (none)
  kNotWholeNumber,   // (none)
  kNotNumber,        // (none)
  kNotFinite,        // (none)
  kNotText,          // (none)
  kNotUtf8,          // (none)
  kNotBoxList,       // (none)
  kNotOptionString,  // (none)
  kNotOptionList,    // (none)
  kBoxNotPositive,   // (none)
  kBelowMin,         // min
  kAboveMax,         // max
  kTooFewOptions,    // min
  kTooManyOptions,   // max
  kTooFewBoxes,      // min
  kTooManyBoxes,     // max
  kOutsideImage,     // width, height
  kNotAnOption,      // the value given (clipped)
  kChosenTwice,      // the value given (clipped)
  kNotALabel,        // the label given (clipped)
  kTextTooLong,      // length in characters, limit
  kFormProblem,      // (none; ValidateForm)
};

struct ValidationError {
  std::string field;  // path inside the answer (or the form, for ValidateForm)
  // One English sentence: what the server puts on the wire and operators read. The client
  // never shows it to a worker; it translates `code` and `args` instead.
  std::string message;
  ValidationCode code = ValidationCode::kFormProblem;
  std::vector<std::string> args;

  bool operator==(const ValidationError&) const = default;
};

std::vector<ValidationError> Validate(const Form& form, const Answer& answer);

// Checks a form is usable (at import): fields present, names valid and unique, options for
// single/multi (values unique), scale has integer min <= max, boxes has width/height > 0,
// max_length in 1..kMaxTextCodePoints, counts within limits.h.
std::vector<ValidationError> ValidateForm(const Form& form);

}  // namespace mano::sync
