// The shopper's privacy budget: epsilon per device per day (default 1 in total). Amounts
// are kept in millionths so that 0.25 + 0.25 + 0.5 is exactly 1 and never 1.0000000001.
// Persistence and cross-tab atomicity are the caller's (one IndexedDB transaction that
// reads the ledger, spends and queues the report).
#pragma once
#include <cstdint>

namespace vitrine::privacy::ldp {

class BudgetLedger {
 public:
  static constexpr std::int64_t kUnits = 1000000;  // millionths of epsilon
  explicit BudgetLedger(double daily_epsilon = 1.0);

  // Restores a persisted state.
  void restore(std::int64_t day, std::int64_t spent_units) {
    day_ = day;
    spent_ = spent_units;
  }
  // Spends epsilon on `day` if what is left covers it; false and no change otherwise. A new
  // day starts from zero.
  bool try_spend(std::int64_t day, double epsilon);
  double remaining(std::int64_t day) const;

  std::int64_t day() const { return day_; }
  std::int64_t spent_units() const { return spent_; }

  static std::int64_t to_units(double epsilon);

 private:
  std::int64_t daily_;
  std::int64_t day_ = -1;
  std::int64_t spent_ = 0;
};

}  // namespace vitrine::privacy::ldp
