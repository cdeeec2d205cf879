// Field values as the command line writes them (`mano answer ID --set FIELD=VALUE`):
//   single, text  the value as is          multi   comma-separated values: a,b,c
//   scale         an integer: 3            number  a decimal number: 12.5
//   boxes         x,y,w,h,label;x,y,w,h,label  (label optional; integers in pixels)
// An empty VALUE clears the field. Parsing checks only the syntax of the type; the form's
// constraints are checked by sync::Validate. Thread-safe: pure functions.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "mano/sync/answer.h"
#include "mano/sync/form.h"

namespace mano::client {

// Parses `text` for `field`. nullopt means "clear the field" (empty text).
// Throws CliError(kValidation) with one translated sentence naming the field.
std::optional<sync::AnswerValue> ParseFieldValue(const sync::Field& field, const std::string& text);

// The value in the syntax ParseFieldValue reads (so it can be pasted back).
std::string FormatFieldValue(const sync::AnswerValue& value);

// Splits "FIELD=VALUE" at the first '='. Throws CliError(kUsage) when there is no '='
// or the name is empty.
std::pair<std::string, std::string> SplitAssignment(const std::string& text);

}  // namespace mano::client
