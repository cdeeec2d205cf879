#include "mano/sync/validate.h"

#include <cmath>
#include <set>
#include <utility>

#include "mano/sync/jcs.h"
#include "mano/sync/limits.h"

namespace mano::sync {

namespace {

std::string Num(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  return std::to_string(v);
}

bool HasOption(const Field& field, const std::string& value) {
  for (const auto& o : field.options) {
    if (o.value == value) return true;
  }
  return false;
}

class Checker {
 public:
  explicit Checker(std::vector<ValidationError>& errors) : errors_(errors) {}

  void Add(std::string field, ValidationCode code, std::string message,
           std::vector<std::string> args = {}) {
    errors_.push_back({std::move(field), std::move(message), code, std::move(args)});
  }

  void CountRange(const Field& f, std::size_t n, bool boxes) {
    const char* what = boxes ? "boxes" : "options";
    if (f.min && static_cast<double>(n) < *f.min) {
      Add(f.name, boxes ? ValidationCode::kTooFewBoxes : ValidationCode::kTooFewOptions,
          "choose at least " + Num(*f.min) + " " + what, {Num(*f.min)});
    }
    if (f.max && static_cast<double>(n) > *f.max) {
      Add(f.name, boxes ? ValidationCode::kTooManyBoxes : ValidationCode::kTooManyOptions,
          "choose at most " + Num(*f.max) + " " + what, {Num(*f.max)});
    }
  }

  void Single(const Field& f, const AnswerValue& v) {
    const auto* s = std::get_if<std::string>(&v);
    if (!s)
      return Add(f.name, ValidationCode::kNotOptionString, "must be one of the options (a string)");
    if (s->empty()) return RequiredEmpty(f);
    if (!HasOption(f, *s))
      Add(f.name, ValidationCode::kNotAnOption, "\"" + Clip(*s) + "\" is not one of the options",
          {Clip(*s)});
  }

  void Multi(const Field& f, const AnswerValue& v) {
    const auto* list = std::get_if<std::vector<std::string>>(&v);
    if (!list)
      return Add(f.name, ValidationCode::kNotOptionList, "must be a list of options (strings)");
    if (list->empty()) RequiredEmpty(f);
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string& s = (*list)[i];
      std::string path = f.name + "[" + std::to_string(i) + "]";
      if (!HasOption(f, s))
        Add(path, ValidationCode::kNotAnOption, "\"" + Clip(s) + "\" is not one of the options",
            {Clip(s)});
      if (!seen.insert(s).second)
        Add(path, ValidationCode::kChosenTwice, "\"" + Clip(s) + "\" is chosen twice", {Clip(s)});
    }
    if (!list->empty() || f.required) CountRange(f, list->size(), false);
  }

  void Scale(const Field& f, const AnswerValue& v) {
    const auto* i = std::get_if<std::int64_t>(&v);
    if (!i) return Add(f.name, ValidationCode::kNotWholeNumber, "must be a whole number");
    if (!Exact(f, static_cast<double>(*i))) return;
    Range(f, static_cast<double>(*i));
  }

  void Number(const Field& f, const AnswerValue& v) {
    double d;
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
      d = static_cast<double>(*i);
    } else if (const auto* x = std::get_if<double>(&v)) {
      d = *x;
    } else {
      return Add(f.name, ValidationCode::kNotNumber, "must be a number");
    }
    if (!std::isfinite(d))
      return Add(f.name, ValidationCode::kNotFinite, "must be a finite number");
    if (!Exact(f, d)) return;
    Range(f, d);
  }

  void Text(const Field& f, const AnswerValue& v) {
    const auto* s = std::get_if<std::string>(&v);
    if (!s) return Add(f.name, ValidationCode::kNotText, "must be text (a string)");
    if (!IsValidUtf8(*s)) return Add(f.name, ValidationCode::kNotUtf8, "is not valid UTF-8");
    if (s->empty()) return RequiredEmpty(f);
    std::int64_t limit = f.max_length.value_or(kDefaultMaxTextCodePoints);
    auto n = static_cast<std::int64_t>(CodePointCount(*s));
    if (n > limit) {
      Add(f.name, ValidationCode::kTextTooLong,
          "is " + std::to_string(n) + " characters long; the limit is " + std::to_string(limit),
          {std::to_string(n), std::to_string(limit)});
    }
  }

  void Boxes(const Field& f, const AnswerValue& v) {
    std::vector<Box> none;
    const std::vector<Box>* boxes = std::get_if<std::vector<Box>>(&v);
    if (const auto* list = std::get_if<std::vector<std::string>>(&v); list && list->empty()) {
      boxes = &none;  // an empty array reads as an empty string list
    }
    if (!boxes) return Add(f.name, ValidationCode::kNotBoxList, "must be a list of boxes");
    if (boxes->empty()) RequiredEmpty(f);
    for (std::size_t i = 0; i < boxes->size(); ++i) {
      const Box& b = (*boxes)[i];
      std::string path = f.name + "[" + std::to_string(i) + "]";
      if (b.w <= 0 || b.h <= 0) {
        Add(path, ValidationCode::kBoxNotPositive, "width and height must be positive");
      } else if (b.x < 0 || b.y < 0 || b.x > f.width - b.w || b.y > f.height - b.h) {
        Add(path, ValidationCode::kOutsideImage,
            "lies outside the image (" + std::to_string(f.width) + "x" + std::to_string(f.height) +
                ")",
            {std::to_string(f.width), std::to_string(f.height)});
      }
      if (!f.labels.empty()) {
        bool known = false;
        for (const auto& l : f.labels) known = known || l == b.label;
        if (!known)
          Add(path + ".l", ValidationCode::kNotALabel,
              "\"" + Clip(b.label) + "\" is not one of the labels", {Clip(b.label)});
      }
    }
    if (!boxes->empty() || f.required) CountRange(f, boxes->size(), true);
  }

 private:
  void RequiredEmpty(const Field& f) {
    if (f.required) Add(f.name, ValidationCode::kRequired, "is required");
  }

  // Within +-(2^53 - 1), where every integer is a double and RFC 8785 keeps it exactly.
  bool Exact(const Field& f, double d) {
    const std::string limit = std::to_string(kMaxExactInteger);
    if (d > static_cast<double>(kMaxExactInteger)) {
      Add(f.name, ValidationCode::kAboveMax, "must be at most " + limit, {limit});
    } else if (d < -static_cast<double>(kMaxExactInteger)) {
      Add(f.name, ValidationCode::kBelowMin, "must be at least -" + limit, {"-" + limit});
    } else {
      return true;
    }
    return false;
  }

  void Range(const Field& f, double d) {
    if (f.min && d < *f.min)
      Add(f.name, ValidationCode::kBelowMin, "must be at least " + Num(*f.min), {Num(*f.min)});
    if (f.max && d > *f.max)
      Add(f.name, ValidationCode::kAboveMax, "must be at most " + Num(*f.max), {Num(*f.max)});
  }

  // Keeps messages short and printable whatever the worker typed.
  static std::string Clip(const std::string& s) {
    std::string out;
    for (char c : s.substr(0, 40)) out += (c >= 0x20 && c != '"' && c != '\\') ? c : '?';
    return out;
  }

  std::vector<ValidationError>& errors_;
};

// The check each field type's answer gets.
using ValueCheck = void (Checker::*)(const Field&, const AnswerValue&);
constexpr std::pair<FieldType, ValueCheck> kValueChecks[] = {
    {FieldType::kSingle, &Checker::Single}, {FieldType::kMulti, &Checker::Multi},
    {FieldType::kScale, &Checker::Scale},   {FieldType::kText, &Checker::Text},
    {FieldType::kNumber, &Checker::Number}, {FieldType::kBoxes, &Checker::Boxes},
};

}  // namespace

std::vector<ValidationError> Validate(const Form& form, const Answer& answer) {
  std::vector<ValidationError> errors;
  Checker check(errors);
  for (const auto& [name, value] : answer.values()) {
    if (!form.FindField(name))
      check.Add(name, ValidationCode::kUnknownField, "is not a field of this form");
  }
  for (const auto& f : form.fields) {
    const AnswerValue* v = answer.Get(f.name);
    if (!v) {
      if (f.required) check.Add(f.name, ValidationCode::kRequired, "is required");
      continue;
    }
    for (const auto& [type, value_check] : kValueChecks) {
      if (type == f.type) (check.*value_check)(f, *v);
    }
  }
  return errors;
}

std::vector<ValidationError> ValidateForm(const Form& form) {
  std::vector<ValidationError> errors;
  auto add = [&](std::string field, std::string message) {
    errors.push_back({std::move(field), std::move(message), ValidationCode::kFormProblem, {}});
  };
  if (form.fields.empty()) add("fields", "a form needs at least one field");
  if (form.fields.size() > kMaxFields) add("fields", "too many fields");
  std::set<std::string> names;
  for (std::size_t i = 0; i < form.fields.size(); ++i) {
    const Field& f = form.fields[i];
    std::string at = "fields[" + std::to_string(i) + "]";
    if (!IsValidId(f.name)) add(at + ".name", "is not a valid field name");
    if (!names.insert(f.name).second) add(at + ".name", "\"" + f.name + "\" is used twice");
    if (f.min && f.max && *f.min > *f.max) add(at + ".min", "is greater than max");
    bool choice = f.type == FieldType::kSingle || f.type == FieldType::kMulti;
    if (choice) {
      if (f.options.empty()) add(at + ".options", "a choice field needs options");
      if (f.options.size() > kMaxOptions) add(at + ".options", "too many options");
      std::set<std::string> values;
      for (const auto& o : f.options) {
        if (o.value.empty()) add(at + ".options", "an option value is empty");
        if (!values.insert(o.value).second) add(at + ".options", "\"" + o.value + "\" twice");
      }
    }
    if (f.type == FieldType::kScale) {
      if (!f.min || !f.max) {
        add(at, "a scale needs min and max");
      } else if (*f.min != std::floor(*f.min) || *f.max != std::floor(*f.max)) {
        add(at, "a scale's min and max must be whole numbers");
      } else if (*f.max - *f.min > 1000) {
        add(at, "a scale has at most 1001 steps");
      }
    }
    if (f.max_length && (*f.max_length < 1 || *f.max_length > kMaxTextCodePoints)) {
      add(at + ".max_length", "must be between 1 and " + std::to_string(kMaxTextCodePoints));
    }
    if (f.type == FieldType::kBoxes) {
      if (f.width <= 0 || f.height <= 0) add(at, "a boxes field needs the image width and height");
      if (f.asset.empty()) add(at + ".asset", "a boxes field names its image asset");
    }
  }
  return errors;
}

}  // namespace mano::sync
