// A small, strict JSON reader for outside data (events, imports). Bounded depth, size
// and counts, so hostile input cannot exhaust the stack or memory; numbers are doubles.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vitrine/status.hpp"

namespace vitrine {

struct JsonLimits {
  std::size_t max_bytes = 1 << 20;
  std::size_t max_depth = 32;
  std::size_t max_elements = 100000;  // values in arrays plus members of objects
  // Members of one object (a GA4 item has about 20 standard and at most 27 custom ones).
  // Duplicate names are found pair by pair, so a bound keeps that quadratic check small.
  std::size_t max_members = 128;
};

class Json {
 public:
  enum class Kind { null, boolean, number, string, array, object };
  // An object's members in document order, names unique (the parser refuses duplicates).
  // A vector, not a map: events and records have a handful of members, and a search of a
  // few names is faster than a tree's nodes to allocate.
  using Members = std::vector<std::pair<std::string, Json>>;

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::null; }
  bool is_bool() const { return kind_ == Kind::boolean; }
  bool is_number() const { return kind_ == Kind::number; }
  bool is_string() const { return kind_ == Kind::string; }
  bool is_array() const { return kind_ == Kind::array; }
  bool is_object() const { return kind_ == Kind::object; }

  bool as_bool() const { return bool_; }
  double as_number() const { return number_; }
  const std::string& as_string() const { return string_; }
  const std::vector<Json>& as_array() const { return array_; }
  const Members& as_object() const { return object_; }

  // The member named key of an object, or nullptr (also when this is not an object).
  const Json* find(std::string_view key) const;

  static Result<Json> parse(std::string_view text, const JsonLimits& limits = {});

  static Json make_null() { return Json(); }
  static Json make_bool(bool v);
  static Json make_number(double v);
  static Json make_string(std::string v);
  static Json make_array(std::vector<Json> v);
  static Json make_object(Members v);

 private:
  Kind kind_ = Kind::null;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<Json> array_;
  Members object_;
};

// Appends s to out as a JSON string literal (quotes included).
void json_quote(std::string_view s, std::string& out);

}  // namespace vitrine
