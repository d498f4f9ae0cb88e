#include "vitrine/privacy/ldp/ledger.hpp"

#include <cmath>

namespace vitrine::privacy::ldp {

std::int64_t BudgetLedger::to_units(double epsilon) {
  if (!(epsilon >= 0.0) || epsilon > 1e6) return -1;
  return static_cast<std::int64_t>(std::llround(epsilon * static_cast<double>(kUnits)));
}

BudgetLedger::BudgetLedger(double daily_epsilon) {
  const auto units = to_units(daily_epsilon);
  daily_ = units < 0 ? 0 : units;
}

bool BudgetLedger::try_spend(std::int64_t day, double epsilon) {
  const auto units = to_units(epsilon);
  if (units <= 0 || day < day_) return false;  // a clock going back never refills the budget
  const std::int64_t spent = day == day_ ? spent_ : 0;
  if (spent + units > daily_) return false;
  day_ = day;
  spent_ = spent + units;
  return true;
}

double BudgetLedger::remaining(std::int64_t day) const {
  if (day < day_) return 0.0;
  const std::int64_t spent = day == day_ ? spent_ : 0;
  return static_cast<double>(daily_ - spent) / static_cast<double>(kUnits);
}

}  // namespace vitrine::privacy::ldp
