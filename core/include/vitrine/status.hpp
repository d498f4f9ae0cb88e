// Status values instead of exceptions for every expected failure: bad input is normal
// for an engine that reads pages, packs and stored snapshots.
#pragma once
#include <optional>
#include <string>
#include <utility>

namespace vitrine {

enum class Code {
  ok,
  invalid_argument,     // malformed or out-of-range input
  permission_denied,    // the consent purpose for this operation is not granted
  data_loss,            // corrupt bytes (bad checksum, truncated, wrong magic)
  failed_precondition,  // e.g. no model pack loaded
  unsupported,          // e.g. a newer format version
};

const char* code_name(Code code);

class Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status ok() { return {}; }

  bool is_ok() const { return code_ == Code::ok; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Code code_ = Code::ok;
  std::string message_;
};

template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT

  bool is_ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace vitrine
