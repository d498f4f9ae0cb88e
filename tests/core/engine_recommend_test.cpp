// The engine facade's pack and recommendations: loading, bad packs, string ids and
// reasons, and the personalization gate on the shopper's history.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "vitrine/engine.hpp"
#include "vitrine/pack_builder.hpp"

namespace vitrine {
namespace {

using privacy::ConsentState;
using privacy::Purpose;

// Hats h1..h3 and scarves s1, s2: shoppers view h1 -> h2 -> s1 and buy h1 with s2.
std::vector<std::uint8_t> shop_pack() {
  PackBuilder b;
  b.add_catalog_item({"h1", "Hats", 10, true});
  b.add_catalog_item({"h2", "Hats", 11, true});
  b.add_catalog_item({"h3", "Hats", 12, true});
  b.add_catalog_item({"s1", "Scarves", 20, true});
  b.add_catalog_item({"s2", "Scarves", 21, true});
  auto h = [&](const char* id) { return b.intern(id).value(); };
  for (int k = 0; k < 5; ++k) {
    b.add_session({{h("h1"), EventType::view_item},
                   {h("h2"), EventType::view_item},
                   {h("s1"), EventType::view_item}});
  }
  for (int k = 0; k < 3; ++k) {
    b.add_session({{h("h1"), EventType::add_to_cart}, {h("s2"), EventType::add_to_cart}});
  }
  for (int k = 0; k < 2; ++k) {
    b.add_session({{h("h3"), EventType::view_item}, {h("s1"), EventType::view_item}});
  }
  return b.build().value();
}

Status load(Engine& e, const std::vector<std::uint8_t>& bytes) {
  std::uint8_t* buffer = e.pack_buffer(bytes.size());
  if (!bytes.empty()) std::memcpy(buffer, bytes.data(), bytes.size());
  auto summary = e.open_pack();
  return summary.is_ok() ? Status::ok() : summary.status();
}

ConsentState personalized() {
  ConsentState c;
  c.set(Purpose::history, true);
  c.set(Purpose::personalization, true);
  return c;
}

std::vector<std::string> ids(const std::vector<RecommendedItem>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.item_id);
  return out;
}

TEST(EngineRecommend, NeedsAPack) {
  Engine e;
  RecommendQuery q;
  auto r = e.recommend(q);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::failed_precondition);
}

TEST(EngineRecommend, CategoryIndexIsThePacksOwnElseByName) {
  Engine e;
  EXPECT_FALSE(e.category_index("h1", "Hats"));  // no pack yet
  ASSERT_TRUE(load(e, shop_pack()).is_ok());
  const auto hats = e.pack().find_category("Hats");
  const auto scarves = e.pack().find_category("Scarves");
  ASSERT_TRUE(hats && scarves);
  EXPECT_EQ(e.category_index("h1", ""), hats);
  EXPECT_EQ(e.category_index("h1", "Scarves"), hats);  // the pack knows the item
  EXPECT_EQ(e.category_index("unknown", "Scarves"), scarves);
  EXPECT_FALSE(e.category_index("unknown", "Gloves"));
  EXPECT_FALSE(e.category_index("unknown", ""));
}

TEST(EngineRecommend, ABadPackIsRefusedAndTheOldOneStays) {
  Engine e;
  const auto good = shop_pack();
  ASSERT_TRUE(load(e, good).is_ok());
  auto bad = good;
  bad[bad.size() / 2] ^= 0x5a;
  const Status s = load(e, bad);
  EXPECT_EQ(s.code(), Code::data_loss) << s.message();
  ASSERT_TRUE(e.has_pack());
  EXPECT_EQ(e.pack().item_count(), 5u);
  EXPECT_TRUE(e.recommend(RecommendQuery{}).is_ok());
  EXPECT_FALSE(load(e, {}).is_ok());
}

TEST(EngineRecommend, APackCheckedInSlicesOpensAndABadOneIsRefused) {
  Engine e;
  const auto good = shop_pack();
  std::memcpy(e.pack_buffer(good.size()), good.data(), good.size());
  int steps = 0;
  Result<bool> done = false;
  while ((done = e.verify_pack(16)).is_ok() && !done.value()) ++steps;
  ASSERT_TRUE(done.is_ok()) << done.status().message();
  EXPECT_GT(steps, 5);
  ASSERT_TRUE(e.open_pack().is_ok());
  EXPECT_EQ(e.pack().item_count(), 5u);

  // Damage in the last section is found by the last slices; open_pack() then refuses it
  // too (a failed check is never taken as done), and the good pack stays.
  auto bad = good;
  bad[bad.size() - 3] ^= 0x5a;
  std::memcpy(e.pack_buffer(bad.size()), bad.data(), bad.size());
  while ((done = e.verify_pack(16)).is_ok() && !done.value()) {
  }
  ASSERT_FALSE(done.is_ok());
  EXPECT_EQ(done.status().code(), Code::data_loss);
  EXPECT_EQ(e.open_pack().status().code(), Code::data_loss);
  EXPECT_EQ(e.pack().item_count(), 5u);

  // A new buffer forgets a check done on the previous one.
  std::memcpy(e.pack_buffer(good.size()), good.data(), good.size());
  ASSERT_TRUE(e.verify_pack(1 << 20).value());
  std::memcpy(e.pack_buffer(bad.size()), bad.data(), bad.size());
  EXPECT_EQ(e.open_pack().status().code(), Code::data_loss);
}

// Gloves g1..g3 only: a pack that shares no item with shop_pack().
std::vector<std::uint8_t> glove_pack() {
  PackBuilder b;
  for (const char* id : {"g1", "g2", "g3"}) b.add_catalog_item({id, "Gloves", 9, true});
  auto h = [&](const char* id) { return b.intern(id).value(); };
  for (int k = 0; k < 4; ++k) {
    b.add_session({{h("g1"), EventType::view_item}, {h("g3"), EventType::view_item}});
  }
  return b.build().value();
}

// The page builds the recommender in a task of its own after open_pack(); recommend()
// builds it when the page did not. Either way it follows the pack in use.
TEST(EngineRecommend, TheRecommenderIsBuiltWhenNeededForThePackInUse) {
  Engine none;
  none.prepare_recommender();  // no pack: nothing to build
  EXPECT_EQ(none.recommend(RecommendQuery{}).status().code(), Code::failed_precondition);

  RecommendQuery q;
  q.context = Context::item;
  q.item = "g1";
  Engine prepared, lazy;
  ASSERT_TRUE(load(prepared, shop_pack()).is_ok());
  prepared.prepare_recommender();
  ASSERT_TRUE(prepared.recommend(RecommendQuery{}).is_ok());
  ASSERT_TRUE(load(prepared, glove_pack()).is_ok());  // replaces the prepared recommender
  ASSERT_TRUE(load(lazy, glove_pack()).is_ok());
  auto a = prepared.recommend(q);
  auto b = lazy.recommend(q);
  ASSERT_TRUE(a.is_ok() && b.is_ok());
  EXPECT_EQ(ids(a.value()), ids(b.value()));
  ASSERT_FALSE(a.value().empty());
  EXPECT_EQ(a.value()[0].item_id, "g3");
  for (const auto& r : a.value()) EXPECT_EQ(r.item_id[0], 'g') << r.item_id;
  EXPECT_TRUE(lazy.bestsellers(3, 0).is_ok());
}

// A page sets the recommender's per-item state a few hundred KB a task; the lists are the
// same as when recommend() sets it all at once.
TEST(EngineRecommend, TheRecommenderIsPreparedAFewBytesAtATime) {
  Engine sliced, whole;
  for (Engine* e : {&sliced, &whole}) {
    ASSERT_TRUE(load(*e, shop_pack()).is_ok());
    e->set_consent(personalized());
    ASSERT_TRUE(e->track_json(R"({"event":"view_item","items":[{"item_id":"h3"}]})", 10).is_ok());
  }
  int steps = 1;
  while (!sliced.prepare_recommender(7)) ++steps;
  EXPECT_GT(steps, 3);  // 5 items, 14 or 18 bytes each, at 7 bytes a step
  EXPECT_TRUE(sliced.prepare_recommender(7));
  for (Context context : {Context::home, Context::item, Context::cart}) {
    RecommendQuery q;
    q.context = context;
    q.item = "h1";
    q.cart = {"h1"};
    auto a = sliced.recommend(q);
    auto b = whole.recommend(q);
    ASSERT_TRUE(a.is_ok() && b.is_ok());
    ASSERT_FALSE(a.value().empty());
    EXPECT_EQ(ids(a.value()), ids(b.value()));
    for (std::size_t k = 0; k < a.value().size(); ++k) {
      EXPECT_EQ(a.value()[k].score, b.value()[k].score);
      EXPECT_EQ(a.value()[k].reason_item, b.value()[k].reason_item);
    }
  }
}

TEST(EngineRecommend, ItemContextNeverReturnsTheItemAndGivesReasons) {
  Engine e;
  ASSERT_TRUE(load(e, shop_pack()).is_ok());
  RecommendQuery q;
  q.context = Context::item;
  q.item = "h1";
  q.limit = 4;
  auto r = e.recommend(q);
  ASSERT_TRUE(r.is_ok());
  const auto got = ids(r.value());
  EXPECT_EQ(std::count(got.begin(), got.end(), "h1"), 0);
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(r.value()[0].reason_item, "h1");
  EXPECT_TRUE(r.value()[0].source == Source::co_view || r.value()[0].source == Source::co_purchase);
}

TEST(EngineRecommend, HistoryIsUsedOnlyWithPersonalization) {
  Engine e;
  ASSERT_TRUE(load(e, shop_pack()).is_ok());
  ASSERT_TRUE(e.track_json(R"({"event":"view_item","items":[{"item_id":"h3"}]})", 10).is_ok());
  RecommendQuery q;
  q.limit = 3;
  auto anonymous = e.recommend(q);
  ASSERT_TRUE(anonymous.is_ok());
  for (const auto& r : anonymous.value()) {
    EXPECT_EQ(r.source, Source::popularity) << r.item_id;
    EXPECT_TRUE(r.reason_item.empty());
  }
  e.set_consent(personalized());
  auto personal = e.recommend(q);
  ASSERT_TRUE(personal.is_ok());
  ASSERT_FALSE(personal.value().empty());
  EXPECT_EQ(personal.value()[0].reason_item, "h3");
  EXPECT_NE(ids(personal.value()), ids(anonymous.value()));
}

TEST(EngineRecommend, CartComplementsFromThePagesCart) {
  Engine e;
  ASSERT_TRUE(load(e, shop_pack()).is_ok());
  RecommendQuery q;
  q.context = Context::cart;
  q.cart = {"h1", "unknown-id"};
  q.limit = 2;
  auto r = e.recommend(q);
  ASSERT_TRUE(r.is_ok());
  ASSERT_FALSE(r.value().empty());
  EXPECT_EQ(r.value()[0].item_id, "s2");
  EXPECT_EQ(r.value()[0].source, Source::co_purchase);
  for (const auto& x : r.value()) EXPECT_NE(x.item_id, "h1");
}

TEST(EngineRecommend, FiltersAndLimits) {
  Engine e;
  ASSERT_TRUE(load(e, shop_pack()).is_ok());
  RecommendQuery q;
  q.category = "Scarves";
  q.limit = 5;
  auto r = e.recommend(q);
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(ids(r.value()), (std::vector<std::string>{"s1", "s2"}));
  q.category = "No such category";
  EXPECT_TRUE(e.recommend(q).value().empty());
  q.category.clear();
  q.limit = 0;
  EXPECT_EQ(e.recommend(q).status().code(), Code::invalid_argument);
  q.limit = 3;
  q.context = Context::item;
  EXPECT_EQ(e.recommend(q).status().code(), Code::invalid_argument);  // no item given
}

}  // namespace
}  // namespace vitrine

namespace vitrine {
namespace {

TEST(EngineProfile, InterestsNeedPersonalizationAndWithdrawalForgetsRemovals) {
  Engine e;
  ASSERT_TRUE(
      e.track_json(R"({"event":"view_item","items":[{"item_id":"h1","item_category":"Hats"}]})", 10)
          .is_ok());
  EXPECT_EQ(e.interests(10).status().code(), Code::permission_denied);
  EXPECT_EQ(e.block_interest("Hats").code(), Code::permission_denied);
  e.set_consent(personalized());
  ASSERT_EQ(e.interests(10).value().size(), 1u);
  ASSERT_TRUE(e.block_interest("Hats").is_ok());
  EXPECT_TRUE(e.interests(10).value().empty());
  EXPECT_EQ(e.blocked_interests(), std::vector<std::string>{"Hats"});
  e.set_consent(ConsentState{});
  EXPECT_TRUE(e.blocked_interests().empty());
}

TEST(EngineProfile, ARemovedInterestLeavesRecommendations) {
  Engine e;
  ASSERT_TRUE(load(e, shop_pack()).is_ok());
  e.set_consent(personalized());
  ASSERT_TRUE(
      e.track_json(R"({"event":"view_item","items":[{"item_id":"h3","item_category":"Hats"}]})", 10)
          .is_ok());
  RecommendQuery q;
  q.limit = 5;
  auto before = e.recommend(q).value();
  ASSERT_FALSE(before.empty());
  EXPECT_EQ(before[0].reason_item, "h3");
  ASSERT_TRUE(e.block_interest("Hats").is_ok());
  auto after = e.recommend(q).value();
  ASSERT_FALSE(after.empty());
  for (const auto& r : after) {
    EXPECT_NE(r.item_id.front(), 'h') << r.item_id;  // no hat
    EXPECT_TRUE(r.reason_item.empty()) << "a hat in the history still steers: " << r.item_id;
  }
}

TEST(EngineRights, ExportImportRoundTripAndImportNeedsHistory) {
  Engine e;
  ASSERT_TRUE(e.track_json(R"({"event":"view_item","items":[{"item_id":"a","item_name":"A"}]})", 10)
                  .is_ok());
  const std::string json = e.export_history_json();
  Engine other;
  EXPECT_EQ(other.import_history_json(json).code(), Code::permission_denied);
  other.set_consent(personalized());
  ASSERT_TRUE(other.import_history_json(json).is_ok());
  EXPECT_EQ(other.export_history_json(), json);
  EXPECT_EQ(other.import_history_json("{").code(), Code::invalid_argument);
  EXPECT_EQ(other.export_history_json(), json);  // a bad import changes nothing
  EXPECT_EQ(other.remove_item("a"), 1u);
  EXPECT_TRUE(other.recently_viewed({}, 10).empty());
}

}  // namespace
}  // namespace vitrine
