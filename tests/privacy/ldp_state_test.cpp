// Buckets, permanent responses, the budget ledger and the report format.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <regex>
#include <set>

#include "vitrine/privacy/ldp/buckets.hpp"
#include "vitrine/privacy/ldp/ledger.hpp"
#include "vitrine/privacy/ldp/permanent.hpp"
#include "vitrine/privacy/ldp/report.hpp"

namespace ldp = vitrine::privacy::ldp;

TEST(LdpBuckets, MapsNumbersToBuckets) {
  const auto b = *ldp::Buckets::make({1, 2, 4});
  EXPECT_EQ(b.size(), 4u);
  EXPECT_EQ(*b.bucket_of(-5), 0u);
  EXPECT_EQ(*b.bucket_of(1), 0u);
  EXPECT_EQ(*b.bucket_of(1.5), 1u);
  EXPECT_EQ(*b.bucket_of(4), 2u);
  EXPECT_EQ(*b.bucket_of(1e300), 3u);
  EXPECT_FALSE(b.bucket_of(std::nan("")));
  EXPECT_FALSE(ldp::Buckets::make({}));
  EXPECT_FALSE(ldp::Buckets::make({2, 2}));
  EXPECT_FALSE(ldp::Buckets::make({1, std::numeric_limits<double>::infinity()}));
}

TEST(LdpPermanent, RepeatsTheSameAnswerPerValue) {
  const auto o = *ldp::Oracle::make(ldp::Mechanism::grr, 64, 0.5);
  ldp::SeededRandom rng(3);
  ldp::PermanentResponses memo;
  const auto first = memo.respond("t@1", o, 5, rng);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(memo.respond("t@1", o, 5, rng), first);
  // Fresh draws would differ: at eps 0.5 over 64 values, 100 draws agree with prob ~0.
  std::set<std::uint32_t> fresh;
  for (int i = 0; i < 100; ++i) fresh.insert(ldp::perturb(o, 5, rng).value);
  EXPECT_GT(fresh.size(), 10u);
  EXPECT_EQ(memo.entries().size(), 1u);
  memo.respond("t@2", o, 5, rng);
  memo.respond("t@1", o, 6, rng);
  EXPECT_EQ(memo.entries().size(), 3u);
  // A malformed restored entry is replaced, not used.
  memo.restore({"t@1", 9}, ldp::Response{999, {}});
  EXPECT_LT(memo.respond("t@1", o, 9, rng).value, 64u);
}

TEST(LdpLedger, RefusesPastTheDailyBudget) {
  ldp::BudgetLedger ledger;  // 1 per day
  EXPECT_TRUE(ledger.try_spend(100, 0.5));
  EXPECT_TRUE(ledger.try_spend(100, 0.25));
  EXPECT_TRUE(ledger.try_spend(100, 0.25));
  EXPECT_FALSE(ledger.try_spend(100, 0.25));
  EXPECT_EQ(ledger.remaining(100), 0.0);
  EXPECT_TRUE(ledger.try_spend(101, 1.0));   // a new day
  EXPECT_FALSE(ledger.try_spend(100, 0.1));  // the clock going back refills nothing
  EXPECT_FALSE(ledger.try_spend(101, 0.000001));
  EXPECT_FALSE(ledger.try_spend(102, 0.0));
  EXPECT_FALSE(ledger.try_spend(102, -1.0));
  EXPECT_FALSE(ledger.try_spend(102, 1.5));
  ldp::BudgetLedger restored(1.0);
  restored.restore(ledger.day(), ledger.spent_units());
  EXPECT_FALSE(restored.try_spend(101, 0.1));
  EXPECT_DOUBLE_EQ(restored.remaining(102), 1.0);
}

TEST(LdpReport, CatalogueIsClosedAndWithinTheDailyBudget) {
  double total = 0;
  for (const auto& t : ldp::report_types()) {
    total += t.epsilon;
    EXPECT_EQ(t.mechanism, ldp::choose_mechanism(t.domain, t.epsilon)) << t.name;
    EXPECT_TRUE(t.labels.empty() || t.labels.size() == t.domain) << t.name;
    EXPECT_EQ(ldp::find_report_type(t.name, t.version), &t);
  }
  EXPECT_LE(total, 1.0);
  EXPECT_EQ(ldp::find_report_type("top_category", 2), nullptr);
  EXPECT_EQ(ldp::find_report_type("url", 1), nullptr);
}

TEST(LdpReport, EncodesOnlyTypeVersionFreshIdAndAnswer) {
  ldp::SeededRandom rng(11);
  const auto* small = ldp::find_report_type("recency", 1);
  const auto* oue = ldp::find_report_type("top_category", 1);
  ASSERT_TRUE(small && oue);
  std::set<std::string> ids;
  const std::regex small_shape(
      R"re(\{"t":"recency","v":1,"id":"([0-9a-f]{32})","y":"[0-9a-f]{2}"\})re");
  const std::regex oue_shape(
      R"re(\{"t":"top_category","v":1,"id":"([0-9a-f]{32})","y":"[0-9a-f]{256}"\})re");
  for (int i = 0; i < 50; ++i) {
    std::smatch m;
    const auto a = ldp::encode_report(*small, ldp::perturb(small->oracle(), 2, rng), rng);
    ASSERT_TRUE(std::regex_match(a, m, small_shape)) << a;
    ids.insert(m[1]);
    const auto b = ldp::encode_report(*oue, ldp::perturb(oue->oracle(), 7, rng), rng);
    ASSERT_TRUE(std::regex_match(b, m, oue_shape)) << b;
    ids.insert(m[1]);
  }
  EXPECT_EQ(ids.size(), 100u);  // every report has its own id
}

TEST(LdpReport, GrrAnswerIsAnInteger) {
  const ldp::ReportType t{"example", 3, 4, ldp::Mechanism::grr, 2.0, "", {}};
  ldp::SeededRandom rng(5);
  const auto s = ldp::encode_report(t, {3, {}}, rng);
  EXPECT_TRUE(
      std::regex_match(s, std::regex(R"re(\{"t":"example","v":3,"id":"[0-9a-f]{32}","y":3\})re")))
      << s;
}

TEST(LdpReport, OueHexIsPostgresBitOrder) {
  const auto* oue = ldp::find_report_type("top_category", 1);
  ldp::Response r;
  r.bits.assign(128, 0);
  r.bits[0] = 0x02;  // value 1
  r.bits[1] = 0x80;  // value 15
  ldp::SeededRandom rng(1);
  const auto s = ldp::encode_report(*oue, r, rng);
  EXPECT_NE(s.find("\"y\":\"0280"), std::string::npos) << s;
  EXPECT_TRUE(ldp::supports(oue->oracle(), r, 1));
  EXPECT_TRUE(ldp::supports(oue->oracle(), r, 15));
  EXPECT_FALSE(ldp::supports(oue->oracle(), r, 0));
}

TEST(LdpReport, MakeReportReusesTheMemoizedAnswer) {
  const auto* t = ldp::find_report_type("recency", 1);
  ldp::SeededRandom rng(8);
  const auto first = ldp::make_report(*t, 3, nullptr, rng);
  EXPECT_TRUE(ldp::well_formed(t->oracle(), first.answer));
  for (int i = 0; i < 20; ++i) {
    const auto again = ldp::make_report(*t, 3, &first.answer, rng);
    EXPECT_EQ(again.answer, first.answer);
    EXPECT_NE(again.json, first.json);  // a fresh id every time
    EXPECT_EQ(again.json.substr(again.json.find("\"y\"")),
              first.json.substr(first.json.find("\"y\"")));
  }
  const ldp::Response bad{0, {0x01, 0x02}};  // wrong length for 8 values: drawn afresh
  EXPECT_TRUE(ldp::well_formed(t->oracle(), ldp::make_report(*t, 3, &bad, rng).answer));
}

// The device measures plain numbers; each type turns them into the value its labels name.
TEST(LdpReport, MeasuredNumbersBecomeTheLabelledValues) {
  const auto& recency = *ldp::find_report_type("recency", 1);
  const auto& views = *ldp::find_report_type("views_per_day", 1);
  const auto& category = *ldp::find_report_type("top_category", 1);
  const auto label = [](const ldp::ReportType& t, double x) {
    return std::string(t.labels.at(*t.value_of(x)));
  };
  EXPECT_EQ(label(recency, -1), "first visit");
  EXPECT_EQ(label(recency, 0), "same day");
  EXPECT_EQ(label(recency, 1), "1");
  EXPECT_EQ(label(recency, 3), "2-3");
  EXPECT_EQ(label(recency, 4), "4-7");
  EXPECT_EQ(label(recency, 30), "15-30");
  EXPECT_EQ(label(recency, 400), "31+");
  EXPECT_EQ(label(views, 1), "1");
  EXPECT_EQ(label(views, 2), "2");
  EXPECT_EQ(label(views, 3), "3-4");
  EXPECT_EQ(label(views, 32), "17-32");
  EXPECT_EQ(label(views, 33), "33+");
  EXPECT_EQ(*category.value_of(7), 7u);
  EXPECT_EQ(*category.value_of(5000), 1023u);
  EXPECT_FALSE(category.value_of(-1));
  EXPECT_FALSE(views.value_of(std::numeric_limits<double>::quiet_NaN()));
}
