// Embind bindings for the shopper's rights and the profile: interests and their removal,
// history export/import, forgetting one item. Conversion only.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>
#include <vector>

#include "engine_handle.hpp"
#include "status_value.hpp"
#include "vitrine/engine.hpp"

namespace {

using emscripten::val;
using vitrine::Engine;
using vitrine::wasm::status_value;
using vitrine::wasm::with_engine;
using StringArray = val;

val strings(const std::vector<std::string>& list) {
  val out = val::array();
  for (std::size_t i = 0; i < list.size(); ++i) out.set(i, list[i]);
  return out;
}

val interests(const Engine& engine, double now_ms) {
  auto result = engine.interests(static_cast<std::int64_t>(now_ms));
  if (!result.is_ok()) return status_value(result.status());
  val list = val::array();
  const auto& rows = result.value();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    val row = val::object();
    row.set("category", rows[i].category);
    row.set("weight", rows[i].weight);
    list.set(i, row);
  }
  val out = val::object();
  out.set("ok", true);
  out.set("interests", list);
  out.set("removed", strings(engine.blocked_interests()));
  return out;
}

val block_interest(Engine& engine, const std::string& category) {
  return status_value(engine.block_interest(category));
}

val unblock_interest(Engine& engine, const std::string& category) {
  return status_value(engine.unblock_interest(category));
}

val set_blocked_interests(Engine& engine, const StringArray& categories) {
  return status_value(
      engine.set_blocked_interests(emscripten::vecFromJSArray<std::string>(categories)));
}

val blocked_interests(const Engine& engine) { return strings(engine.blocked_interests()); }

val export_history(const Engine& engine) {
  val out = val::object();
  out.set("ok", true);
  out.set("json", engine.export_history_json());
  return out;
}

val import_history(Engine& engine, const std::string& json) {
  return status_value(engine.import_history_json(json));
}

double remove_item(Engine& engine, const std::string& item_id) {
  return static_cast<double>(engine.remove_item(item_id));
}

}  // namespace

EMSCRIPTEN_BINDINGS(vitrine_privacy) {
  emscripten::function("interests", with_engine<&interests>);
  emscripten::function("blockInterest", with_engine<&block_interest>);
  emscripten::function("unblockInterest", with_engine<&unblock_interest>);
  emscripten::function("setBlockedInterests", with_engine<&set_blocked_interests>);
  emscripten::function("blockedInterests", with_engine<&blocked_interests>);
  emscripten::function("exportHistory", with_engine<&export_history>);
  emscripten::function("importHistory", with_engine<&import_history>);
  emscripten::function("removeItem", with_engine<&remove_item>);
}
